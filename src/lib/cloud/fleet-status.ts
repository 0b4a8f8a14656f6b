/**
 * `msp status --all` / `--category`: the live Cloud Run state of every environment of every service, in
 * one table. Reads run a few at a time (a fleet has dozens of projects), each environment on its own:
 * one that cannot be read (no access to its project, say) becomes an error row, the others are shown.
 */
import type {UserError} from '../io/errors.js'
import {formatTable, type Env, type Styler} from '../io/output.js'
import {terminalSafe} from '../io/terminal.js'
import type {Category} from '../spec/schema.js'
import {connectCloudRun, type CloudRunApi} from './cloud-run.js'
import type {ConnectOptions} from './google-client.js'
import {createDeadline, DEFAULT_COMMAND_TIMEOUT_SECONDS} from './retry.js'
import {collectStatus, newestNotReady, shortImage, shortTime, statusText, styleRow, type EnvironmentStatus} from './status.js'
import type {SpecFacts} from './target.js'

/** How many environments are read at once: quick for a fleet, gentle on the API's per-minute quota. */
export const FLEET_STATUS_CONCURRENCY = 8

/** One environment of the fleet: its live state, or why it could not be read. */
export interface FleetStatusRow {
  service: string
  environment: string
  category: Category
  project: string
  status?: EnvironmentStatus
  error?: {message: string; hint?: string; reason: string}
}

/** The fleet's live state; `failed` counts the rows with an error. */
export interface FleetStatusReport {
  environments: FleetStatusRow[]
  failed: number
}

/**
 * Reads every environment of the given specs (optionally one category) with bounded concurrency;
 * rows keep the fleet's order (services by id, environments in spec order).
 * @param options - the specs, an optional category, the Cloud Run API, the concurrency and a progress callback
 */
export async function collectFleetStatus(options: {
  specs: readonly SpecFacts[]
  category?: Category
  api: CloudRunApi
  concurrency?: number
  onProgress?: (done: number, total: number) => void
}): Promise<FleetStatusReport> {
  const specs = [...options.specs].sort((a, b) => (a.service.id < b.service.id ? -1 : a.service.id > b.service.id ? 1 : 0))
  const work = specs.flatMap((spec) =>
    spec.environments.filter((e) => options.category === undefined || e.category === options.category).map((env) => ({spec, env})),
  )
  const rows: FleetStatusRow[] = new Array(work.length)
  let next = 0
  let done = 0
  options.onProgress?.(0, work.length)
  const worker = async () => {
    while (next < work.length) {
      const i = next++
      const {spec, env} = work[i]!
      const report = await collectStatus({service: spec.service, environments: [env], api: options.api})
      const row: FleetStatusRow = {service: spec.service.id, environment: env.id, category: env.category, project: env.projectID}
      const [status] = report.statuses
      const [failure] = report.failures
      if (status) row.status = status
      if (failure) row.error = errorOf(failure.error, failure.reason)
      rows[i] = row
      options.onProgress?.(++done, work.length)
    }
  }
  await Promise.all(Array.from({length: Math.min(options.concurrency ?? FLEET_STATUS_CONCURRENCY, work.length)}, worker))
  return {environments: rows, failed: rows.filter((r) => r.error).length}
}

function errorOf(error: UserError, reason: string): NonNullable<FleetStatusRow['error']> {
  return error.hint ? {message: error.message, hint: error.hint, reason} : {message: error.message, reason}
}

/**
 * Connects once (emulator or Application Default Credentials) and reads the fleet: the entry point of
 * `msp status --all`.
 * @param options - specs, category, process environment, the command's time limit and a progress callback
 */
export async function readFleetStatus(options: {
  specs: readonly SpecFacts[]
  category?: Category
  env: Env
  timeoutMs?: number
  onProgress?: (done: number, total: number) => void
  connect?: Omit<ConnectOptions, 'env'>
}): Promise<FleetStatusReport> {
  const deadline = createDeadline(options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_SECONDS * 1000)
  const api = await connectCloudRun({env: options.env, deadline, ...options.connect})
  return collectFleetStatus({specs: options.specs, category: options.category, api, onProgress: options.onProgress})
}

export const FLEET_STATUS_HEADER = ['SERVICE', 'ENV', 'STATUS', 'CURRENT', 'LATEST', 'UPDATED', 'IMAGE', 'URL'] as const

/**
 * The cells of one row: CURRENT is the ready revision of a service or the last execution of a job;
 * LATEST is the newest revision when it is not the ready one (flagged); a row that could not be read
 * says why and in which project.
 * @param row - one fleet row
 */
export function fleetStatusCells(row: FleetStatusRow): string[] {
  const head = [row.service, row.environment]
  if (!row.status) return [...head, `error: ${row.error?.reason ?? 'error'} (project ${row.project})`, '', '', '', '', '']
  const s = row.status
  const rev = (r: string | undefined) => (r?.startsWith(`${s.name}-`) ? r.slice(s.name.length + 1) : (r ?? ''))
  if (s.kind === 'job') {
    const [last] = s.executions ?? []
    return [...head, statusText(s), last ? `${last.name} ${last.outcome}` : '', '', shortTime(s.updateTime), shortImage(s.image), '']
  }
  const latest = s.newestRevisionReady === false ? newestNotReady(rev(s.latestCreatedRevision)) : ''
  return [...head, statusText(s), rev(s.latestReadyRevision), latest, shortTime(s.updateTime), shortImage(s.image), s.url ?? '']
}

/**
 * The fleet table: every environment in one table, errors in red, not-ready newest revisions in yellow.
 * @param report - what {@link collectFleetStatus} found
 * @param style - the stdout styler
 * @param maxWidth - the terminal's width, or undefined for full width
 */
export function renderFleetStatusTable(report: FleetStatusReport, style: Styler, maxWidth?: number): string {
  const rows = report.environments.map((r) => fleetStatusCells(r).map(terminalSafe))
  const [head, ...lines] = formatTable([...FLEET_STATUS_HEADER], rows, undefined, maxWidth).split('\n')
  const styled = lines.map((line, i) => {
    const row = report.environments[i]!
    return row.status ? styleRow(row.status, line, style) : style('red', line)
  })
  return [style('bold', head!), ...styled].join('\n')
}

/**
 * The stderr report of the rows that failed: each with its message, then each distinct hint once, then
 * how many of how many (empty when none failed).
 * @param report - the fleet report
 */
export function fleetFailureLines(report: FleetStatusReport): string[] {
  const failed = report.environments.filter((r) => r.error)
  if (failed.length === 0) return []
  const hints = [...new Set(failed.map((r) => r.error!.hint).filter((h): h is string => Boolean(h)))]
  return [
    ...failed.map((r) => `error: ${r.service}/${r.environment}: ${r.error!.message}`),
    ...hints.map((h) => `hint: ${h}`),
    `${failed.length} of ${report.environments.length} environments could not be read; the others are shown`,
  ]
}
