/** `msp logs --print/--follow` from parsed flags to printed lines, with Google failures explained. */
import {GoogleCallError} from '../cloud/google-client.js'
import {connectLogging, type LoggingApi} from '../cloud/logging.js'
import {createDeadline, DEFAULT_COMMAND_TIMEOUT_SECONDS} from '../cloud/retry.js'
import {UsageError, UserError} from '../io/errors.js'
import type {Env, Styler} from '../io/output.js'
import {buildEntitleProjectAccessUrl} from '../links/entitle.js'
import {buildLogsQuery, type LogsQueryFilters, type WorkloadKind} from '../links/gcp.js'
import type {Category} from '../spec/schema.js'
import {formatLogJson, formatLogLine} from './format.js'
import {DEFAULT_LOG_LIMIT, followLogs, parseSince, readRecentLogs, type LogsTarget} from './read.js'

/** Poll interval of `--follow` once caught up (Cloud Logging allows 60 list calls a minute per project). */
export const FOLLOW_INTERVAL_MS = 3000
/** Longest wait between polls while the API keeps failing. */
export const FOLLOW_MAX_BACKOFF_MS = 60_000

export interface LogsSessionOptions {
  projectId: string
  category: Category
  kind: WorkloadKind
  /** Flags as given: since (default 1h), limit (default 100), follow, json. */
  since?: string
  limit?: number
  /** Server-side restrictions (`--severity`, `--grep`, `--revision`, `--execution`). */
  filters?: LogsQueryFilters
  follow: boolean
  json: boolean
  /** `--timeout` in seconds: the total time of `--print` (default 20 s); `--follow` runs until Ctrl-C, each read bounded on its own. */
  timeoutSeconds?: number
  now: Date
  processEnv: Env
  /** One line of output (stdout). */
  print: (line: string) => void
  warn: (text: string) => void
  style: Styler
  /** Logging API seam (default: the real client, or LOGGING_EMULATOR_HOST). */
  api?: () => Promise<LoggingApi>
  sleep?: (ms: number) => Promise<void>
  /** Ends `--follow` quietly: stdout was closed by its reader (`| head -1`). */
  stop?: AbortSignal
}

/** A sleep that ends early when `signal` aborts, so a closed stdout ends following at once. */
function abortableSleep(signal: AbortSignal | undefined): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const done = () => (clearTimeout(timer), signal?.removeEventListener('abort', done), resolve())
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, {once: true})
    })
}

/**
 * Reads (and with `follow`, keeps reading) the environment's logs and prints one line per entry, oldest
 * first: formatted for a terminal, or NDJSON with `json`.
 * @param options - the environment facts, the flags, the clock, the printers and optional seams
 */
export async function runLogsSession(options: LogsSessionOptions): Promise<void> {
  const {projectId, kind, follow, json, now, print, warn, style} = options
  const filters = options.filters ?? {}
  // Bad filters are usage errors before any credentials are looked up.
  buildLogsQuery(kind, filters)
  const target: LogsTarget = {projectId, kind, since: parseSince(options.since ?? '1h', now), limit: options.limit ?? DEFAULT_LOG_LIMIT, filters}
  const emit = (entries: readonly Parameters<typeof formatLogJson>[0][]) => {
    for (const e of entries) print(json ? formatLogJson(e) : formatLogLine(e, style))
  }
  try {
    const deadline = follow ? undefined : createDeadline((options.timeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS) * 1000)
    const api = await (options.api ?? (() => connectLogging({env: options.processEnv, ...(deadline ? {deadline} : {})})))()
    if (!follow) return emit(await readRecentLogs(api, target))
    await followLogs(api, target, {
      intervalMs: FOLLOW_INTERVAL_MS,
      maxBackoffMs: FOLLOW_MAX_BACKOFF_MS,
      sleep: options.sleep ?? abortableSleep(options.stop),
      ...(options.stop ? {signal: options.stop} : {}),
      emit,
      onRetry: (error, delayMs) => warn(`reading logs failed (${error.message}); retrying in ${Math.round(delayMs / 1000)}s`),
    })
  } catch (error) {
    throw explainLogsFailure(error, options)
  }
}

function explainLogsFailure(error: unknown, options: LogsSessionOptions): unknown {
  if (error instanceof UserError || !(error instanceof GoogleCallError)) return error
  const where = `the logs of project "${options.projectId}"`
  switch (error.kind) {
    case 'permission-denied':
      return new UserError(`permission denied reading ${where}`, {
        hint: `request read access to project "${options.projectId}" through Entitle: ${buildEntitleProjectAccessUrl(options.category, 'read')}`,
      })
    case 'unauthenticated':
      return new UserError(`Google Cloud rejected your credentials while reading ${where}`, {hint: 'log in again with `gcloud auth application-default login`'})
    case 'api-disabled':
      return new UserError(`the Cloud Logging API is not enabled in project "${options.projectId}"`)
    case 'transient':
      return new UserError(`Cloud Logging did not answer for ${where}: ${error.message}`, {hint: 'this is usually temporary: try again in a minute'})
    case 'timeout':
      return new UserError(`no answer from Cloud Logging in time for ${where}: ${error.message}`, {
        hint: 'try again, or allow more time with --timeout <seconds>',
      })
    case 'other':
      // A filter the API rejects (400) is a bad --since; anything else is reported as it came.
      return error.status === 400
        ? new UsageError(`Cloud Logging rejected the query: ${error.message}`)
        : new UserError(`reading ${where} failed: ${error.message}`)
    default:
      return new UserError(`reading ${where} failed: ${error.message}`)
  }
}
