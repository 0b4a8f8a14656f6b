/** Live state of a service's Cloud Run workloads: collected concurrently, rendered as a table. */
import {UserError} from '../io/errors.js'
import {formatTable, type Env, type Styler} from '../io/output.js'
import {httpsUrlOrUndefined, terminalSafe} from '../io/terminal.js'
import {buildEntitleProjectAccessUrl} from '../links/entitle.js'
import {tfcWorkspaceName} from '../links/tfc.js'
import {createDeadline, DEFAULT_COMMAND_TIMEOUT_SECONDS} from './retry.js'
import {CloudRunCallError, connectCloudRun, type CloudRunApi, type RunExecution, type RunJob, type RunRevision, type RunService} from './cloud-run.js'
import type {ConnectOptions} from './google-client.js'
import {cloudRunTarget, type CloudRunTarget, type EnvironmentFacts, type ServiceFacts} from './target.js'

/** One traffic target as Cloud Run reports it (trafficStatuses: what is really served). */
export interface TrafficShare {
  revision: string
  percent: number
  tag?: string
  /** True when the share follows the latest ready revision. */
  latest: boolean
}

/** The ready condition (Cloud Run's terminal condition). */
export interface ReadyCondition {
  /** CONDITION_SUCCEEDED, CONDITION_FAILED, CONDITION_RECONCILING, … */
  state: string
  reason?: string
  message?: string
}

/** The outcome of one job execution. */
export interface ExecutionSummary {
  name: string
  outcome: 'succeeded' | 'failed' | 'cancelled' | 'running'
  createTime?: string
  completionTime?: string
  succeededTasks: number
  failedTasks: number
}

/** The live state of one environment, as printed by `msp status --json` (one object per environment). */
export interface EnvironmentStatus {
  environment: string
  project: string
  region: string
  kind: 'service' | 'job'
  /** Cloud Run resource name (`<service>-<env>-<region>`). */
  name: string
  /** False when Cloud Run has no such service or job: not deployed yet. */
  deployed: boolean
  /** True when the terminal condition succeeded. */
  ready: boolean
  condition?: ReadyCondition
  url?: string
  latestReadyRevision?: string
  latestCreatedRevision?: string
  /**
   * False when the newest revision is not the latest ready one: it is still starting, or it failed and
   * traffic stays on the older one. Services only.
   */
  newestRevisionReady?: boolean
  traffic?: TrafficShare[]
  updateTime?: string
  image?: string
  minInstances?: number
  maxInstances?: number
  executions?: ExecutionSummary[]
}

/** Everything `msp status` learned: one status per environment that answered, one error per one that did not. */
export interface StatusReport {
  statuses: EnvironmentStatus[]
  failures: StatusFailure[]
}

/** An environment whose state could not be read. */
export interface StatusFailure {
  environment: string
  error: UserError
  /** A few words for a table cell: `permission denied`, `API not enabled`, `no answer`… */
  reason: string
}

/** How many job executions to show. */
export const EXECUTIONS_SHOWN = 5

/**
 * Reads the Cloud Run service (or job) of each environment concurrently and reports its live state.
 * @param options - the spec's service block, the environments to query, and the Cloud Run API
 */
export async function collectStatus(options: {service: ServiceFacts; environments: readonly EnvironmentFacts[]; api: CloudRunApi}): Promise<StatusReport> {
  const {service, environments, api} = options
  const targets = environments.map((env) => cloudRunTarget(service, env))
  const settled = await Promise.allSettled(targets.map((t) => statusOf(t, api)))
  const report: StatusReport = {statuses: [], failures: []}
  settled.forEach((result, i) => {
    const target = targets[i]!
    if (result.status === 'fulfilled') report.statuses.push(result.value)
    else report.failures.push({environment: target.envId, error: explainFailure(result.reason, target, service.id), reason: failureReason(result.reason)})
  })
  return report
}

/** A failed read, with what was being read when it failed (a timeout names the read that hung). */
class ReadFailure extends Error {
  constructor(
    readonly reading: string,
    readonly failure: unknown,
  ) {
    super(reading)
  }
}

async function statusOf(target: CloudRunTarget, api: CloudRunApi): Promise<EnvironmentStatus> {
  const base = {environment: target.envId, project: target.projectId, region: target.region, kind: target.kind, name: target.name}
  const read = async <T>(reading: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call()
    } catch (error) {
      throw error instanceof CloudRunCallError && error.kind === 'timeout' ? new ReadFailure(reading, error) : error
    }
  }
  try {
    if (target.kind === 'job') {
      const job = await read('the job', () => api.getJob(target.resourceName))
      const executions = await read('the executions of the job', () => api.listExecutions(target.resourceName, EXECUTIONS_SHOWN))
      return {...base, ...jobStatus(job, executions)}
    }
    const svc = await read('the service', () => api.getService(target.resourceName))
    const readyName = svc.latestReadyRevision || undefined
    const revision = readyName
      ? await read(`revision ${JSON.stringify(shortName(readyName))}`, () => api.getRevision(readyName)).catch(ignoreNotFound)
      : undefined
    return {...base, ...serviceStatus(svc, revision ?? undefined)}
  } catch (error) {
    if (error instanceof CloudRunCallError && error.kind === 'not-found') return {...base, deployed: false, ready: false}
    throw error
  }
}

function ignoreNotFound(error: unknown): undefined {
  // A ready revision deleted between the two reads: fall back to the service template.
  if (error instanceof CloudRunCallError && error.kind === 'not-found') return undefined
  throw error
}

type Live = Omit<EnvironmentStatus, 'environment' | 'project' | 'region' | 'kind' | 'name'>

function serviceStatus(svc: RunService, revision: RunRevision | undefined): Live {
  const condition = readyCondition(svc.terminalCondition)
  const readyRevision = shortName(svc.latestReadyRevision)
  const scaling = revision?.scaling ?? svc.template?.scaling
  const image = revision?.containers?.[0]?.image || svc.template?.containers?.[0]?.image || undefined
  const traffic = (svc.trafficStatuses ?? []).map((t): TrafficShare => {
    const latest = String(t.type) === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST'
    const share: TrafficShare = {revision: shortName(t.revision) ?? (latest ? (readyRevision ?? '') : ''), percent: t.percent ?? 0, latest}
    if (t.tag) share.tag = t.tag
    return share
  })
  const latestCreatedRevision = shortName(svc.latestCreatedRevision)
  return compact({
    deployed: true,
    ready: condition?.state === 'CONDITION_SUCCEEDED',
    condition,
    // A server field that should be a link is kept only when it is an https: URL.
    url: httpsUrlOrUndefined(svc.uri),
    latestReadyRevision: readyRevision,
    latestCreatedRevision,
    newestRevisionReady: latestCreatedRevision === undefined ? undefined : latestCreatedRevision === readyRevision,
    traffic,
    updateTime: isoTime(svc.updateTime),
    image,
    minInstances: scaling?.minInstanceCount ?? undefined,
    maxInstances: scaling?.maxInstanceCount ?? undefined,
  })
}

function jobStatus(job: RunJob, executions: RunExecution[]): Live {
  const condition = readyCondition(job.terminalCondition)
  return compact({
    deployed: true,
    ready: condition?.state === 'CONDITION_SUCCEEDED',
    condition,
    updateTime: isoTime(job.updateTime),
    image: job.template?.template?.containers?.[0]?.image || undefined,
    executions: executions.map((e) =>
      compact({
        name: shortName(e.name) ?? '',
        outcome: outcomeOf(e),
        createTime: isoTime(e.createTime),
        completionTime: isoTime(e.completionTime),
        succeededTasks: e.succeededCount ?? 0,
        failedTasks: e.failedCount ?? 0,
      }),
    ),
  })
}

function outcomeOf(e: RunExecution): ExecutionSummary['outcome'] {
  if (!isoTime(e.completionTime)) return 'running'
  if ((e.cancelledCount ?? 0) > 0) return 'cancelled'
  if ((e.failedCount ?? 0) > 0) return 'failed'
  return 'succeeded'
}

function readyCondition(c: RunService['terminalCondition']): ReadyCondition | undefined {
  if (!c) return undefined
  const reason = [c.reason, c.revisionReason, c.executionReason]
    .map((r) => (r === undefined || r === null ? '' : String(r)))
    .find((r) => r && !r.endsWith('_UNDEFINED'))
  return compact({state: String(c.state ?? 'STATE_UNSPECIFIED'), reason, message: c.message || undefined})
}

function shortName(name: string | null | undefined): string | undefined {
  if (!name) return undefined
  return name.slice(name.lastIndexOf('/') + 1)
}

function isoTime(t: {seconds?: unknown; nanos?: number | null} | null | undefined): string | undefined {
  if (!t || t.seconds === undefined || t.seconds === null) return undefined
  const seconds = Number(t.seconds)
  if (!seconds) return undefined
  return new Date(seconds * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString()
}

/** Drops undefined fields so the JSON document has no `"x": undefined` noise and stable keys. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

/**
 * A few words on why a read failed, for the cell of a table row (the full error goes to stderr).
 * @param error - what the Cloud Run API threw
 */
export function failureReason(error: unknown): string {
  const failure = error instanceof ReadFailure ? error.failure : error
  if (!(failure instanceof CloudRunCallError)) return 'error'
  const reasons: Partial<Record<CloudRunCallError['kind'], string>> = {
    'permission-denied': 'permission denied',
    'api-disabled': 'API not enabled',
    unauthenticated: 'credentials rejected',
    transient: 'no answer',
    timeout: 'timed out',
  }
  return reasons[failure.kind] ?? 'error'
}

/**
 * Turns a failed read into an error the user can act on: log in, request access, enable the API, retry.
 * @param error - what the Cloud Run API threw
 * @param target - where it was reading
 * @param serviceId - the service, for the hints
 */
export function explainFailure(error: unknown, target: CloudRunTarget, serviceId: string): UserError {
  if (error instanceof UserError) return error
  const where = `${target.kind} "${target.name}" in project "${target.projectId}" (environment "${target.envId}")`
  if (error instanceof ReadFailure) {
    // Only timeouts are wrapped: name the read that hung, so a slow revision read is not taken for a dead service.
    const failure = error.failure as CloudRunCallError
    const attempts = failure.attempts > 1 ? ` after ${failure.attempts} attempts` : ''
    return new UserError(`${failure.message}${attempts} reading ${error.reading} of Cloud Run ${where}`, {
      hint: 'no answer from the Cloud Run API in time: try again, or allow more time with --timeout <seconds>',
    })
  }
  if (!(error instanceof CloudRunCallError)) {
    return new UserError(`reading Cloud Run ${where} failed: ${(error as Error)?.message ?? String(error)}`)
  }
  switch (error.kind) {
    case 'permission-denied':
      return new UserError(`permission denied reading Cloud Run ${where}`, {
        hint: `request read access to project "${target.projectId}" through Entitle: ${buildEntitleProjectAccessUrl(target.category, 'read')}`,
      })
    case 'api-disabled':
      return new UserError(`the Cloud Run Admin API is not enabled in project "${target.projectId}" (environment "${target.envId}")`, {
        hint:
          `the project stack enables it: apply workspace ${tfcWorkspaceName(serviceId, target.envId, 'project')} in Terraform Cloud (msp tfc ` +
          `view ${serviceId} ${target.envId})`,
      })
    case 'unauthenticated':
      return new UserError(`Google Cloud rejected your credentials while reading ${where}`, {
        hint: 'log in again with `gcloud auth application-default login`',
      })
    case 'transient':
      return new UserError(
        `the Cloud Run API did not answer for ${where} after ${error.attempts} attempt${error.attempts === 1 ? '' : 's'}: ${error.message}`,
        {hint: 'this is usually temporary: try again in a minute (https://status.cloud.google.com)'},
      )
    default:
      return new UserError(`reading Cloud Run ${where} failed: ${error.message}`)
  }
}

/**
 * Renders a compact table: one row per environment (services: revisions, traffic, instances, URL;
 * jobs: last execution and recent outcomes); rows that are not ready are styled.
 * @param statuses - what {@link collectStatus} found
 * @param style - the stdout styler (no-op when colour is off)
 */
export function renderStatusTable(statuses: readonly EnvironmentStatus[], style: Styler, maxWidth?: number): string {
  const isJob = statuses.some((s) => s.kind === 'job')
  const header = isJob
    ? ['ENV', 'STATUS', 'LAST EXECUTION', 'RECENT OUTCOMES', 'UPDATED', 'IMAGE']
    : ['ENV', 'STATUS', 'READY', 'LATEST', 'TRAFFIC', 'INSTANCES', 'UPDATED', 'IMAGE', 'URL']
  // Server text is shown with its control characters escaped: no escape sequence, no forged row.
  const rows = statuses.map((s) => (isJob ? jobRow(s) : serviceRow(s)).map((cell) => terminalSafe(cell)))
  const [head, ...lines] = formatTable(header, rows, undefined, maxWidth).split('\n')
  // Style whole lines after alignment, so escape codes never count towards column widths.
  const styled = lines.map((line, i) => styleRow(statuses[i]!, line, style))
  return [style('bold', head!), ...styled].join('\n')
}

/** Red: not ready; yellow: not deployed, or serving while its newest revision is not ready; plain: ready. */
export function styleRow(s: EnvironmentStatus, line: string, style: Styler): string {
  if (!s.deployed || (s.ready && s.newestRevisionReady === false)) return style('yellow', line)
  return s.ready ? line : style('red', line)
}

export function statusText(s: EnvironmentStatus): string {
  if (!s.deployed) return 'not deployed yet'
  if (s.ready) return 'ready'
  const c = s.condition
  return c?.reason ? `not ready (${c.reason})` : `not ready (${c?.state ?? 'unknown'})`
}

function serviceRow(s: EnvironmentStatus): string[] {
  // Revisions are named `<service>-<env>-<region>-NNNNN-xyz`: the prefix repeats the row, so drop it.
  const rev = (r: string | undefined) => (r?.startsWith(`${s.name}-`) ? r.slice(s.name.length + 1) : (r ?? ''))
  const traffic = (s.traffic ?? []).map((t) => `${rev(t.revision) || '?'}=${t.percent}%${t.latest ? ' (latest)' : ''}${t.tag ? ` #${t.tag}` : ''}`).join(', ')
  const instances = s.minInstances === undefined && s.maxInstances === undefined ? '' : `${s.minInstances ?? 0}-${s.maxInstances || '∞'}`
  const created = s.latestCreatedRevision === s.latestReadyRevision ? (s.latestCreatedRevision ? '=' : '') : newestNotReady(rev(s.latestCreatedRevision))
  return [s.environment, statusText(s), rev(s.latestReadyRevision), created, traffic, instances, shortTime(s.updateTime), shortImage(s.image), s.url ?? '']
}

/** The newest revision's cell when it is not the ready one: flagged, so a failed rollout is not missed. */
export function newestNotReady(revision: string): string {
  return `${revision} (not ready)`
}

/** `2024-05-01T12:00:00.000Z` → `2024-05-01 12:00Z`: minutes are enough to recognise a deploy. */
export function shortTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : ''
}

/** The image's last path segment (`service:insiders`); the full reference is in --json. */
export function shortImage(image: string | undefined): string {
  return image ? image.slice(image.lastIndexOf('/') + 1) : ''
}

function jobRow(s: EnvironmentStatus): string[] {
  const [last] = s.executions ?? []
  const lastText = last ? `${last.name} ${last.outcome}${last.completionTime ? ` ${shortTime(last.completionTime)}` : ''}` : ''
  const recent = (s.executions ?? []).map((e) => e.outcome).join(', ')
  return [s.environment, statusText(s), lastText, recent, shortTime(s.updateTime), shortImage(s.image)]
}

/**
 * Connects to Cloud Run (emulator or Application Default Credentials) and collects the live state of
 * the given environments: the one entry point of `msp status`.
 * @param options - the spec's service block, the environments, and the process environment variables
 */
export async function readLiveStatus(options: {
  service: ServiceFacts
  environments: readonly EnvironmentFacts[]
  env: Env
  /** The time limit of the whole command (`--timeout`), default {@link DEFAULT_COMMAND_TIMEOUT_SECONDS}. */
  timeoutMs?: number
  connect?: Omit<ConnectOptions, 'env'>
}): Promise<StatusReport> {
  const deadline = createDeadline(options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_SECONDS * 1000)
  const api = await connectCloudRun({env: options.env, deadline, ...options.connect})
  return collectStatus({service: options.service, environments: options.environments, api})
}

/**
 * Throws the failures of a report as one error: the error itself for one environment, a list otherwise.
 * @param report - what {@link collectStatus} returned
 */
export function assertNoFailures(report: StatusReport): void {
  const {failures} = report
  if (failures.length === 0) return
  if (failures.length === 1) throw failures[0]!.error
  const hints = [...new Set(failures.map((f) => f.error.hint).filter(Boolean))]
  throw new UserError(`${failures.length} environments could not be read:\n${failures.map((f) => `  ${f.environment}: ${f.error.message}`).join('\n')}`, {
    hint: hints.join('\n      ') || undefined,
  })
}

/**
 * The stderr lines of the environments that could not be read (message, then hint), for views that
 * show the others anyway (`--watch`).
 * @param report - what {@link collectStatus} returned
 */
export function statusFailureLines(report: StatusReport): string[] {
  return report.failures.flatMap((f) => [`error: ${f.environment}: ${f.error.message}`, ...(f.error.hint ? [`hint: ${f.error.hint}`] : [])])
}
