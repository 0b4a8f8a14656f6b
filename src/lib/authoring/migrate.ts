/**
 * `msp migrate`: rewrites spec keys of older releases into their final form (see spec/retired.ts):
 * a job's `schedule.deadline: N` becomes the environment's `deadlineSeconds: N`, and a
 * response-code alert's `duration: "<Go duration>"` becomes `durationMinutes: <minutes>`.
 *
 * The YAML is parsed only to locate the keys; the edits are spliced into the original text line by
 * line, so every other byte (comments, blank lines, quoting, key order, line endings) survives, and
 * a comment at the end of a moved line moves with it.
 */
import {join} from 'node:path'
import {isMap, isScalar, isSeq, parseDocument, type Pair, type YAMLMap} from 'yaml'
import {assertServiceContained} from '../io/contained.js'
import {readTextIfExists} from '../io/read-text.js'
import {repositoryFolder} from '../io/safe-folder.js'
import type {WriteTracker} from '../io/write-tracker.js'
import {UserError} from '../io/errors.js'
import {missingIdError, unknownIdError} from '../repo/resolve.js'
import {listServiceIds, requireServiceIds} from '../repo/services.js'
import {isValidId} from '../repo/ids.js'
import {goDurationSeconds} from '../spec/units.js'
import {parseBoundedYaml} from '../spec/load.js'
import {loadEvery} from '../spec/load-every.js'
import {serviceSpecFile} from '../spec/layout.js'

/** One rewritten key. */
export interface MigrationChange {
  /** 1-based line of the old key in the original file. */
  line: number
  /** Dotted path of the old key (`environments.0.schedule.deadline`). */
  from: string
  /** What it became, as a short description (`environments.0.deadlineSeconds: 600`). */
  to: string
}

type Edit = {line: number; remove?: true; replace?: string; insertAfter?: string}

function keyName(pair: Pair<unknown, unknown>): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined
}

function findPair(map: YAMLMap<unknown, unknown>, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((p) => keyName(p) === key)
}

/**
 * Rewrites the retired keys of one spec. Returns the source unchanged (and no changes) when there
 * is nothing to do.
 * @param source - the contents of service.yaml
 */
export function migrateSpecSource(source: string): {source: string; changes: MigrationChange[]} {
  // The main loader's limits first: a hostile spec costs one linear scan, not the parser's time.
  if (parseBoundedYaml(source) === undefined) {
    throw new UserError('cannot migrate a file past the spec limits (size, nesting or number of keys)', {hint: 'run msp validate to see which limit it passes'})
  }
  const doc = parseDocument(source, {keepSourceTokens: false})
  if (doc.errors.length > 0) throw new UserError(`cannot migrate a file that is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`)
  const lines = source.split(/(?<=\n)/)
  const starts: number[] = []
  let offset = 0
  for (const l of lines) {
    starts.push(offset)
    offset += l.length
  }
  const lineOf = (at: number): number => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= at) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  const eolOf = (i: number) => /\r?\n$/.exec(lines[i]!)?.[0] ?? ''
  const body = (i: number) => lines[i]!.slice(0, lines[i]!.length - eolOf(i).length)
  /** The text of a line after the key and its colon: the value and any trailing comment. */
  const afterKey = (pair: Pair<unknown, unknown>) => {
    const keyRange = (pair.key as {range?: [number, number, number]}).range!
    const i = lineOf(keyRange[0])
    const text = body(i)
    return {i, indent: keyRange[0] - starts[i]!, rest: text.slice(text.indexOf(':', keyRange[1] - starts[i]!) + 1)}
  }
  const edits: Edit[] = []
  const changes: MigrationChange[] = []
  const root = doc.contents
  if (!isMap(root)) return {source, changes}

  const envs = findPair(root, 'environments')?.value
  if (isSeq(envs)) {
    envs.items.forEach((env, n) => {
      if (!isMap(env) || env.flow) return
      const schedule = findPair(env, 'schedule')
      if (!schedule || !isMap(schedule.value) || schedule.value.flow) return
      const deadline = findPair(schedule.value, 'deadline')
      if (!deadline) return
      const old = afterKey(deadline)
      const envIndent = afterKey(env.items[0]!).indent
      const to = `environments.${n}.deadlineSeconds`
      edits.push({line: old.i, remove: true})
      if (findPair(env, 'deadlineSeconds')) {
        changes.push({line: old.i + 1, from: `environments.${n}.schedule.deadline`, to: `${to} (already set; the old key was removed)`})
        return
      }
      const moved = `${' '.repeat(envIndent)}deadlineSeconds:${old.rest}${eolOf(old.i) || '\n'}`
      const others = schedule.value.items.filter((p) => p !== deadline)
      if (others.length === 0) {
        // `schedule:` held only the deadline: the environment keeps no empty schedule block.
        edits.push({line: afterKey(schedule).i, replace: moved})
      } else {
        const ends = others.map((p) => ((p.value as {range?: number[]} | null)?.range ?? (p.key as {range: number[]}).range)[1]!)
        edits.push({line: lineOf(Math.max(...ends) - 1), insertAfter: moved})
      }
      changes.push({line: old.i + 1, from: `environments.${n}.schedule.deadline`, to: `${to}:${old.rest.replace(/\s+#.*$/, '')}`})
    })
  }

  const monitoring = findPair(root, 'monitoring')?.value
  const alerts = isMap(monitoring) ? findPair(monitoring, 'alerts')?.value : undefined
  const ratios = isMap(alerts) ? findPair(alerts, 'responseCodeRatios')?.value : undefined
  if (isSeq(ratios)) {
    ratios.items.forEach((ratio, n) => {
      if (!isMap(ratio) || ratio.flow) return
      const duration = findPair(ratio, 'duration')
      if (!duration) return
      const old = afterKey(duration)
      const from = `monitoring.alerts.responseCodeRatios.${n}.duration`
      if (findPair(ratio, 'durationMinutes')) {
        edits.push({line: old.i, remove: true})
        changes.push({line: old.i + 1, from, to: `monitoring.alerts.responseCodeRatios.${n}.durationMinutes (already set; the old key was removed)`})
        return
      }
      const seconds = isScalar(duration.value) ? goDurationSeconds(String(duration.value.value)) : undefined
      if (seconds === undefined)
        throw new UserError(`line ${old.i + 1}: ${from}: "${String((duration.value as {value?: unknown})?.value)}" is not a Go duration such as 300s or 5m`, {
          hint: 'fix the value or replace the key by durationMinutes by hand',
        })
      const minutes = Math.max(1, Math.ceil(seconds / 60))
      const valueEnd = (duration.value as {range: number[]}).range[1]! - starts[old.i]!
      const comment = body(old.i).slice(valueEnd)
      edits.push({line: old.i, replace: `${' '.repeat(old.indent)}durationMinutes: ${minutes}${comment}${eolOf(old.i)}`})
      changes.push({
        line: old.i + 1,
        from,
        to: `monitoring.alerts.responseCodeRatios.${n}.durationMinutes: ${minutes}${seconds % 60 ? ` (${seconds}s rounded up)` : ''}`,
      })
    })
  }

  if (edits.length === 0) return {source, changes}
  const out: string[] = []
  lines.forEach((line, i) => {
    const here = edits.filter((e) => e.line === i)
    const replaced = here.find((e) => e.replace !== undefined)
    if (replaced) out.push(replaced.replace!)
    else if (!here.some((e) => e.remove)) out.push(line.endsWith('\n') || !here.some((e) => e.insertAfter) ? line : `${line}\n`)
    for (const e of here) if (e.insertAfter !== undefined) out.push(e.insertAfter)
  })
  return {source: out.join(''), changes: changes.sort((a, b) => a.line - b.line)}
}

/** The outcome of migrating one service. */
export interface ServiceMigration {
  id: string
  /** `services/<id>/service.yaml`. */
  file: string
  changes: MigrationChange[]
}

/**
 * Migrates the named services (or, with `all`, every service): rewrites each spec that has retired
 * keys, atomically, unless `write` is false (`--dry-run`, `--check`).
 * @param options - repo root, service ids or all, and whether to write
 */
export async function migrateServices(options: {
  root: string
  ids: readonly string[]
  all?: boolean
  write: boolean
  writes?: WriteTracker
}): Promise<ServiceMigration[]> {
  const folder = repositoryFolder(options.root, options.writes)
  const known = options.all ? await requireServiceIds(options.root) : await listServiceIds(options.root)
  if (!options.all && options.ids.length === 0) throw missingIdError('service', known, undefined, 'or --all for every service')
  const unknown = options.ids.find((id) => !isValidId(id) || !known.includes(id))
  if (unknown !== undefined) throw unknownIdError('service', unknown, known)
  const ids = options.all ? known : [...new Set(options.ids)].sort()
  // Every spec is read and migrated in memory first: one that cannot be is reported with all the
  // others, and then nothing is written.
  const migrations = await loadEvery(ids, async (id) => {
    // As the main loader: no spec through a link out of the repository (also under --dry-run).
    assertServiceContained(options.root, id)
    const source = await readTextIfExists(join(options.root, serviceSpecFile(id)))
    if (source === undefined) throw new UserError(`service "${id}" does not exist`)
    const migrated = migrateSpecSource(source)
    return {id, source, migrated: migrated.source, changes: migrated.changes}
  })
  const results: ServiceMigration[] = []
  for (const m of migrations) {
    const file = serviceSpecFile(m.id)
    if (options.write && m.source !== m.migrated) await folder.write(file, m.migrated)
    results.push({id: m.id, file, changes: m.changes})
  }
  return results
}
