import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {isSweepableTemp, TEMP_PREFIX} from '../io/atomic-file.js'
import {UserError, type SpecIssue} from '../io/errors.js'
import {SafeFolder} from '../io/safe-folder.js'
import type {WriteTracker} from '../io/write-tracker.js'
import {resolveService} from '../repo/resolve.js'
import {requireServiceFolders} from '../repo/services.js'
import type {LoadedService} from '../spec/load.js'
import {loadEvery} from '../spec/load-every.js'
import type {Edition} from '../edition/editions.js'
import {collectAlertPolicies} from './alerts.js'
import {buildDiagram, diagramFileName, renderD2} from './diagram.js'
import {hasGeneratedHeader, type PageHeaderOptions} from './header.js'
import {renderIndexPage} from './index-page.js'
import {renderServicePage} from './service-page.js'
import type {HandbookSpec} from './spec-view.js'
import {d2SourceHash, stampSvg, svgSourceHash, type SvgRenderer} from './svg.js'
import {letSignalsIn} from '../io/cooperate.js'

/** A service as the handbook needs it: the spec and the README body (title removed), if any. */
export interface HandbookService {
  spec: HandbookSpec
  readme?: string
}

/** Everything one handbook run writes, before any I/O: pages as Markdown, diagrams as D2 source. */
export interface HandbookPlan {
  /** `<service>.md` and `index.md`, in write order (the index last). */
  pages: {file: string; service: string; contents: string}[]
  /** `<service>-<env>.svg`; the D2 source is built on demand, as runs without diagrams never need it. */
  diagrams: {file: string; service: string; d2: () => string}[]
}

/** The npm package name of sourcegraph/handbook, which the destination must be a checkout of. */
export const HANDBOOK_PACKAGE = '@sourcegraph/handbook.sourcegraph.com'
/** Where the pages live inside the handbook repository. */
export const HANDBOOK_PAGES_DIR = 'content/departments/engineering/managed-services'

/**
 * Renders every page and diagram source of the handbook in memory (letting signals in between services);
 * what the bench times.
 * Throws when two services would write the same file.
 * @param services - all services, in id order
 * @param header - generate command, time and revision for the header comments
 * @param edition - the release of the original whose alert catalogue and defaults the pages show
 */
export async function planHandbook(services: readonly HandbookService[], header: PageHeaderOptions, edition: Edition): Promise<HandbookPlan> {
  const pages: HandbookPlan['pages'] = []
  const diagrams: HandbookPlan['diagrams'] = []
  for (const {spec, readme} of services) {
    await letSignalsIn()
    const id = spec.service.id
    pages.push({file: `${id}.md`, service: id, contents: renderServicePage(spec, collectAlertPolicies(spec, edition), {...header, handbook: true, readme})})
    for (const env of spec.environments ?? []) {
      diagrams.push({file: diagramFileName(id, env.id), service: id, d2: () => renderD2(buildDiagram(spec, env, edition))})
    }
  }
  pages.push({
    file: 'index.md',
    service: 'index',
    contents: renderIndexPage(
      services.map((s) => s.spec),
      header,
    ),
  })
  // `<service>-<env>` is ambiguous ("a-b" + "c" and "a" + "b-c"); two writers of one file would
  // silently lose a diagram, so refuse instead.
  const owner = new Map<string, string>()
  for (const f of [...pages, ...diagrams]) {
    const previous = owner.get(f.file)
    if (previous !== undefined) {
      throw new UserError(`services "${previous}" and "${f.service}" both produce handbook file "${f.file}"`, {
        hint: 'rename a service or environment so that <service>-<environment> names are unique',
      })
    }
    owner.set(f.file, f.service)
  }
  return {pages, diagrams}
}

/**
 * Checks that a directory is a sourcegraph/handbook checkout (its package.json names the handbook
 * package) and returns the pages folder inside it.
 * @param handbookPath - the --handbook-path value
 */
export async function resolveHandbookPagesDir(handbookPath: string): Promise<string> {
  const what = `expecting github.com/sourcegraph/handbook at "${handbookPath}"`
  const hint = 'clone sourcegraph/handbook next to the managed-services repository, or pass --handbook-path <dir>'
  let raw: string
  try {
    raw = await readFile(join(handbookPath, 'package.json'), 'utf8')
  } catch (error) {
    throw new UserError(`${what}: expected package.json: ${(error as Error).message}`, {hint, cause: error})
  }
  let name: unknown
  try {
    name = (JSON.parse(raw) as {name?: unknown}).name
  } catch (error) {
    throw new UserError(`${what}: parse package.json: ${(error as Error).message}`, {hint, cause: error})
  }
  if (name !== HANDBOOK_PACKAGE) throw new UserError(`${what}: unexpected package ${JSON.stringify(name ?? '')}`, {hint})
  // No folder between the checkout and the pages (the pages folder included) may be a symlink: msp
  // deletes files in the pages folder.
  return handbookFolder(handbookPath).path('')
}

/**
 * The guard of the pages folder of a handbook checkout: every handbook write and delete goes through it.
 * @param handbookPath - the sourcegraph/handbook checkout
 * @param writes - the run's writes in flight
 */
export function handbookFolder(handbookPath: string, writes?: WriteTracker): SafeFolder {
  return new SafeFolder(handbookPath, {what: 'handbook checkout', base: HANDBOOK_PAGES_DIR, ...(writes ? {writes} : {})})
}

/** The files msp generates in the pages folder: `<service>.md`, `index.md`, `<service>-<env>.svg`. */
const GENERATED_PAGE_FILE = /^[a-z0-9-]+\.(?:md|svg)$/

/** What happened (or, with `check`, would happen) to one file of the pages folder. */
export interface HandbookFileChange {
  file: string
  service: string
  change: 'created' | 'changed' | 'unchanged' | 'removed'
}

/** The result of `msp handbook` (its --json document): every file of the folder by what happened to it (or would, with --check). */
export interface HandbookReport {
  /** The pages folder. */
  dir: string
  check: boolean
  /** False when --check found a file that would change. */
  ok: boolean
  created: string[]
  changed: string[]
  removed: string[]
  unchanged: string[]
}

/**
 * The report of one handbook run, file names sorted within each kind of change.
 * @param dir - the pages folder
 * @param changes - what writeHandbook returned
 * @param check - whether this was `--check`
 */
export function handbookReport(dir: string, changes: readonly HandbookFileChange[], check: boolean): HandbookReport {
  const of = (change: HandbookFileChange['change']) =>
    changes
      .filter((c) => c.change === change)
      .map((c) => c.file)
      .sort()
  const [created, changed, removed] = [of('created'), of('changed'), of('removed')]
  return {dir, check, ok: !check || created.length + changed.length + removed.length === 0, created, changed, removed, unchanged: of('unchanged')}
}

/** Options of {@link writeHandbook}. */
export interface WriteHandbookOptions {
  /** The pages folder (see resolveHandbookPagesDir), or its guard (see handbookFolder). */
  dir: string | SafeFolder
  plan: HandbookPlan
  /** Compute the changes without writing or rendering anything. */
  check?: boolean
  /** Render SVG diagrams (default true); when false, existing diagram files are left as they are. */
  diagrams?: boolean
  /** Renders SVGs; created lazily and only when some diagram changed, closed before returning. */
  createSvgRenderer: () => SvgRenderer
  /** Called after each file is settled (for progress lines). */
  onFile?: (change: HandbookFileChange) => void
  /** Called before the first SVG render (done 0) and after each, for a `3/20` counter. */
  onRender?: (done: number, total: number, file: string) => void
}

/**
 * Brings the pages folder to exactly the planned files: pages written when their content differs, SVGs
 * re-rendered only when their D2 source changed, every other file msp generated removed. The end
 * state is the original's "delete and recreate the folder", without rewriting unchanged files, so
 * unchanged diagrams skip the slow D2 render and a `--check` run can tell what would change.
 * @param options - folder, plan, check mode, SVG renderer factory and progress callback
 */
export async function writeHandbook(options: WriteHandbookOptions): Promise<HandbookFileChange[]> {
  const {plan, check = false, diagrams = true} = options
  const folder = typeof options.dir === 'string' ? new SafeFolder(options.dir, {what: 'handbook pages folder'}) : options.dir
  const changes: HandbookFileChange[] = []
  const settle = (c: HandbookFileChange) => {
    changes.push(c)
    options.onFile?.(c)
  }
  const planned = new Set([...plan.pages, ...plan.diagrams].map((f) => f.file))

  // Pages are compared and written a few at a time (a thousand sequential reads would dominate), but
  // settled in plan order so progress lines and the result stay deterministic; the index stays last.
  const outcomes = await mapLimit(plan.pages, FILE_CONCURRENCY, async (page) => {
    const change = diffOutcome(await folder.readText(page.file), page.contents)
    if (!check && change !== 'unchanged') await folder.write(page.file, page.contents)
    return change
  })
  plan.pages.forEach((page, i) => settle({file: page.file, service: page.service, change: outcomes[i]!}))

  const stale: {file: string; d2: string; service: string; change: 'created' | 'changed'}[] = []
  const wanted = diagrams ? plan.diagrams : []
  const existing = await mapLimit(wanted, FILE_CONCURRENCY, (d) => folder.readText(d.file))
  for (const [i, diagram] of wanted.entries()) {
    await letSignalsIn()
    const current = existing[i]
    const d2 = diagram.d2()
    if (current !== undefined && svgSourceHash(current) === d2SourceHash(d2)) {
      settle({file: diagram.file, service: diagram.service, change: 'unchanged'})
    } else {
      stale.push({file: diagram.file, service: diagram.service, d2, change: current === undefined ? 'created' : 'changed'})
    }
  }
  if (check) {
    for (const d of stale) settle({file: d.file, service: d.service, change: d.change})
  } else if (stale.length > 0) {
    const renderer = options.createSvgRenderer()
    let rendered = 0
    options.onRender?.(0, stale.length, '')
    try {
      // One at a time, in plan order: D2 renders one diagram at a time anyway (one process, bounded
      // memory), and the progress lines come out in a stable order.
      for (const d of stale) {
        const svg = await renderer.render(d.d2)
        await folder.write(d.file, stampSvg(svg, d.d2))
        options.onRender?.(++rendered, stale.length, d.file)
        settle({file: d.file, service: d.service, change: d.change})
      }
    } finally {
      await renderer.close()
    }
  }

  // Only files msp generates are removed: a name msp would write AND the proof msp wrote it (the
  // generated header of a page, msp's source stamp in an SVG); anything else in the folder is
  // someone else's. Temp files of another run are removed only once they are old enough to be leftovers.
  for (const name of folder.listFiles('').filter((f) => !f.includes('/'))) {
    if (name.startsWith(TEMP_PREFIX)) {
      if (!check && isSweepableTemp(folder.path(name), folder.writes)) await folder.remove(name)
      continue
    }
    if (planned.has(name) || !GENERATED_PAGE_FILE.test(name) || !isGeneratedFile(name, await folder.readText(name))) continue
    if (!check) await folder.remove(name)
    settle({file: name, service: '', change: 'removed'})
  }
  return changes
}

// A page whose only difference is in the three run-dependent header lines (command line, time,
// revision) counts as unchanged: rewriting it would only churn the docs repo, and `--check` in CI must
// pass when the content is current.
const RUN_LINES = /^(Generated documentation; DO NOT EDIT\. Regenerate using this command: |Last updated: |Generated from: ).*$/gm

/** How many page files are read or written at once. */
const FILE_CONCURRENCY = 16

/** Maps with at most `limit` calls in flight, keeping the input order in the result. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      await letSignalsIn()
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return out
}

/** Whether an existing file of the pages folder was written by msp (or by the original, for pages). */
function isGeneratedFile(name: string, text: string | undefined): boolean {
  if (text === undefined) return false
  return name.endsWith('.svg') ? svgSourceHash(text) !== undefined : hasGeneratedHeader(text)
}

function diffOutcome(current: string | undefined, next: string): HandbookFileChange['change'] {
  if (current === undefined) return 'created'
  return current.replace(RUN_LINES, '') === next.replace(RUN_LINES, '') ? 'unchanged' : 'changed'
}

/** Loads one validated service; commands pass one that goes through the spec cache. */
export type ServiceLoader = (root: string, id: string) => Promise<LoadedService>

/**
 * Loads every service of the repo for the handbook (spec and README body), in id order, with the
 * loader's warnings; specs with errors fail the whole run (as in the original) with the errors of all of them.
 * @param root - the service-definitions repo root
 * @param load - the service loader (default: resolveService without a cache)
 */
export async function loadHandbookServices(root: string, load: ServiceLoader = resolveService): Promise<{services: HandbookService[]; warnings: SpecIssue[]}> {
  const {ids, issues} = await requireServiceFolders(root)
  const loaded = await loadEvery(ids, (id) => load(root, id))
  return {
    services: loaded.map((s) => (s.readme === undefined ? {spec: s.spec} : {spec: s.spec, readme: s.readme})),
    warnings: [...issues, ...loaded.flatMap((s) => s.warnings)],
  }
}

/** Options of {@link generateHandbook}. */
export interface GenerateHandbookOptions extends Omit<WriteHandbookOptions, 'dir' | 'plan'> {
  /** The service-definitions repo root. */
  root: string
  /** The sourcegraph/handbook checkout (its managed-services pages folder is written). */
  handbookPath: string
  /**
   * Any folder to write the pages and diagrams into instead (`--out`, for a preview): no handbook
   * checkout is needed, and writes still go through the same folder guard.
   */
  out?: string
  /** The run's writes in flight (see write-tracker.ts). */
  writes?: WriteTracker
  header: PageHeaderOptions
  /** The release of the original whose alert catalogue and defaults the pages show. */
  edition: Edition
  /** How to load each service (default: resolveService without a cache). */
  load?: ServiceLoader
}

/**
 * `msp handbook`: checks the handbook checkout, loads every service, renders all pages and diagrams
 * and brings the managed-services pages folder up to date (or, with `check`, only reports).
 * @param options - repo root, handbook path, header values, check/diagram switches and I/O hooks
 */
export async function generateHandbook(options: GenerateHandbookOptions): Promise<{dir: string; changes: HandbookFileChange[]; warnings: SpecIssue[]}> {
  const {root, handbookPath, out, header, load, edition, writes, ...rest} = options
  const folder = out === undefined ? handbookFolder(handbookPath, writes) : new SafeFolder(out, {what: 'output folder', ...(writes ? {writes} : {})})
  const dir = out === undefined ? await resolveHandbookPagesDir(handbookPath) : folder.path('')
  const {services, warnings} = await loadHandbookServices(root, load)
  const changes = await writeHandbook({...rest, dir: folder, plan: await planHandbook(services, header, edition)})
  return {dir, changes, warnings}
}

/**
 * Where `msp handbook diagram` puts its output: on a terminal an SVG (the default there, or asked for)
 * goes to a file, as `tfc graph` does, instead of flooding the screen; piped, everything goes to stdout
 * (D2 by default, as before).
 * @param format - --format, when given
 * @param stdoutIsTTY - whether stdout is a terminal
 */
export function diagramDestination(format: 'd2' | 'json' | 'svg' | undefined, stdoutIsTTY: boolean): {format: 'd2' | 'json' | 'svg'; toFile: boolean} {
  const chosen = format ?? (stdoutIsTTY ? 'svg' : 'd2')
  return {format: chosen, toFile: stdoutIsTTY && chosen === 'svg'}
}

/**
 * Writes a rendered diagram to `<dir>/<service>-<env>.svg` through the folder guard (one plain file
 * name, no symlink) and atomically; returns the path.
 * @param options - the SVG, the ids, the folder and the run's writes in flight
 */
export async function writeDiagramFile(options: {svg: string; serviceId: string; envId: string; dir: string; writes?: WriteTracker}): Promise<string> {
  const name = diagramFileName(options.serviceId, options.envId)
  await new SafeFolder(options.dir, {what: 'output folder', ...(options.writes ? {writes: options.writes} : {})}).write(name, options.svg)
  return join(options.dir, name)
}
