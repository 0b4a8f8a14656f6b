/**
 * Which services and environments one `msp generate` invocation covers, and how its progress reads.
 */
import type {SpecIssue} from '../io/errors.js'
import {assertServicesExist, resolveEnvironment, resolveService} from '../repo/resolve.js'
import {requireServiceFolders} from '../repo/services.js'
import type {LoadedService} from '../spec/load.js'
import {loadEvery} from '../spec/load-every.js'
import {loadEveryInThreads, type LoadCache} from '../repo/load-threads.js'
import {serviceSpecFile} from '../spec/layout.js'
import type {Category} from '../spec/schema.js'
import type {EnvironmentResult, FileOutcome, GenerateSummary} from './generate.js'
import {describeEdition} from '../edition/resolve.js'

/** What to generate, already checked by the command. */
export interface GenerateSelection {
  /** One service; every service of the repo when absent. */
  serviceId?: string
  /** One environment of that service; every environment when absent. */
  envId?: string
  /** Only environments of this category. */
  category?: Category
}

export interface GenerateTargets {
  services: LoadedService[]
  /** Set when one environment was named. */
  envIds?: string[]
  category?: Category
  warnings: SpecIssue[]
}

/**
 * Loads what to generate: one service (one or all of its environments) or every service; every spec
 * is loaded and validated before anything is generated, and one error names every broken spec.
 * @param root - the repo root
 * @param selection - which services and environments
 * @param load - loads one service (defaults to resolveService; the command passes its caching loader)
 * @param threads - for every service of the repo: the spec cache the loader uses and how many worker threads may help
 */
export async function resolveGenerateTargets(
  root: string,
  selection: GenerateSelection,
  load: (root: string, id: string) => Promise<LoadedService> = resolveService,
  threads?: {cache: LoadCache; workers: number},
): Promise<GenerateTargets> {
  const {serviceId, envId, category} = selection
  const folders = serviceId !== undefined ? {ids: [serviceId], issues: []} : await requireServiceFolders(root)
  const ids = folders.ids
  // Unknown ids fail in the one format (did you mean + the valid ids) before anything is loaded.
  if (serviceId !== undefined) await assertServicesExist(root, [serviceId])
  // Every service of the repo: on worker threads as well when there are many (the loader is then
  // resolveService over `threads.cache`, as the command's own loader is).
  const services =
    threads && serviceId === undefined ? await loadEveryInThreads(root, ids, threads.cache, threads.workers) : await loadEvery(ids, (id) => load(root, id))
  if (envId !== undefined) resolveEnvironment(services[0]!, envId)
  return {
    services,
    ...(envId === undefined ? {} : {envIds: [envId]}),
    ...(category === undefined ? {} : {category}),
    warnings: [...folders.issues, ...services.flatMap((s) => s.warnings)],
  }
}

/** What `--check` says instead of the past tense: nothing was written. */
const WOULD: Readonly<Record<Exclude<FileOutcome, 'unchanged'>, string>> = {created: 'to create', changed: 'to change', removed: 'to remove'}

function counts(files: readonly {outcome: FileOutcome}[], check: boolean): string {
  const by = (o: FileOutcome) => files.filter((f) => f.outcome === o).length
  const parts = (['created', 'changed', 'removed'] as const).filter((o) => by(o) > 0).map((o) => `${by(o)} ${check ? WOULD[o] : o}`)
  parts.push(`${by('unchanged')} unchanged`)
  return parts.join(', ')
}

/** One progress line per environment: `[svc] prod (external): 2 changed, 4 unchanged` (`2 to change` under --check). */
export function describeEnvironment(result: EnvironmentResult, check = false): string {
  return `[${result.serviceId}] ${result.envId} (${result.category}): ${counts(result.files, check)}`
}

/** The closing summary line: `Generated 3 environments: 1 created, 17 unchanged`. */
export function describeSummary(summary: GenerateSummary, check: boolean): string {
  const n = summary.environments.length
  const files = summary.environments.flatMap((e) => e.files)
  // The edition is named only when it is not the default (msp generate must say so).
  const editions = summary.editions.flatMap((e) => describeEdition(e) ?? [])
  return `${check ? 'Checked' : 'Generated'} ${n} environment${n === 1 ? '' : 's'}: ${counts(files, check)}${editions.length ? `\n${editions.join('\n')}` : ''}`
}

/** The warning for an environment folder no environment of the spec generates (see GenerateSummary.stale). */
export function describeStale(dir: string): string {
  const [, service, , env] = dir.split('/')
  return (
    `${dir} is not generated from the spec (no environment "${env}" in ${serviceSpecFile(service!)}); msp leaves it in place: its Terraform Cloud ` +
    `workspaces may still hold live infrastructure — delete them (msp tfc sync --delete) before the folder`
  )
}

/** Why `generate --check` failed, and what to do: one message and one hint. */
export function describeCheckFailure(changed: number, stale: number): {message: string; hint: string} {
  const parts = [
    changed > 0 ? `${changed} generated file${changed === 1 ? ' is' : 's are'} out of date` : '',
    stale > 0 ? `${stale} environment folder${stale === 1 ? ' is' : 's are'} stale` : '',
  ]
  const hints = [
    changed > 0 ? 'run msp generate and commit the result' : '',
    stale > 0 ? 'remove the folder of a removed environment once its workspaces are gone' : '',
  ]
  return {message: parts.filter(Boolean).join(', '), hint: hints.filter(Boolean).join('; ')}
}

/** The result of `msp generate` (its --json document): the summary plus whether a --check passed. */
export interface GenerateReport extends GenerateSummary {
  /** False when --check found a differing file or a stale environment folder. */
  ok: boolean
  /** Repo-relative paths that are (or would be) created, changed or removed. */
  changed: string[]
}

/**
 * The report of one run; with `check`, any changed path or stale folder fails it.
 * @param summary - what generateServices returned
 * @param check - whether this was `--check`
 */
export function generateReport(summary: GenerateSummary, check: boolean): GenerateReport {
  const changed = changedPaths(summary)
  return {ok: !check || (changed.length === 0 && summary.stale.length === 0), changed, ...summary}
}

/** Repo-relative paths that are (or, in check mode, would be) created, changed or removed. */
export function changedPaths(summary: GenerateSummary): string[] {
  return summary.environments.flatMap((e) => e.files.filter((f) => f.outcome !== 'unchanged').map((f) => f.path))
}
