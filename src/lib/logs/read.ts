/**
 * `msp logs --print` / `--follow`: the entries the Logs Explorer link shows (same filter), read through
 * the Cloud Logging API. `--print` shows the newest N since a point in time, oldest first; `--follow`
 * then polls for newer entries, printing each entry once, backing off (bounded) while the API fails.
 */
import {GoogleCallError} from '../cloud/google-client.js'
import type {LogEntry, LoggingApi} from '../cloud/logging.js'
import {UsageError} from '../io/errors.js'
import {buildLogsQuery, type LogsQueryFilters, type WorkloadKind} from '../links/gcp.js'

/** Default of `--limit`. */
export const DEFAULT_LOG_LIMIT = 100
/** Upper bound of `--limit` (and of one catch-up poll). */
export const MAX_LOG_LIMIT = 10_000
const PAGE_SIZE = 1000
/** Late entries (ingestion delay) still show up if they are at most this much older than the newest one seen. */
const FOLLOW_LOOKBACK_MS = 10_000

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/**
 * Parses `--since`: a duration (`90s`, `15m`, `1h`, `2d`) before `now`, or an RFC 3339 time.
 * @param text - the flag value
 * @param now - the current time
 */
export function parseSince(text: string, now: Date): Date {
  const duration = /^(\d{1,7})([smhd])$/.exec(text.trim())
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNITS[duration[2]!]!)
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim())) {
    const at = new Date(text.trim())
    if (!Number.isNaN(at.getTime())) return at
  }
  throw new UsageError(`invalid --since value ${JSON.stringify(text)}`, {hint: 'a duration such as 30s, 15m, 1h or 2d, or a time such as 2024-05-01T12:00:00Z'})
}

/**
 * The Logging filter: the Logs Explorer query of the workload kind with the user's filters, and a lower
 * time bound (a new line is an AND in the Logging query language, as in the Logs Explorer).
 * @param kind - service or job
 * @param since - the oldest time to include
 * @param filters - severity, text, revision or execution (the link's query carries the same)
 */
export function buildLogsFilter(kind: WorkloadKind, since: Date, filters: LogsQueryFilters = {}): string {
  return `${buildLogsQuery(kind, filters)}\ntimestamp >= "${since.toISOString()}"`
}

/** What to read: the environment's project, its workload kind, the time bound and the count. */
export interface LogsTarget {
  projectId: string
  kind: WorkloadKind
  since: Date
  limit: number
  /** Restrictions the server applies, so `limit` counts matching entries. */
  filters?: LogsQueryFilters
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_LIMIT)
    throw new UsageError(`invalid --limit ${limit}`, {hint: `a whole number from 1 to ${MAX_LOG_LIMIT}`})
}

/**
 * The newest `limit` entries since `since`, oldest first.
 * @param api - the Logging API
 * @param target - project, kind, time bound and count
 */
export async function readRecentLogs(api: LoggingApi, target: LogsTarget): Promise<LogEntry[]> {
  checkLimit(target.limit)
  const filter = buildLogsFilter(target.kind, target.since, target.filters)
  const newestFirst: LogEntry[] = []
  let pageToken: string | undefined
  do {
    const page = await api.listEntries({
      projectId: target.projectId,
      filter,
      orderBy: 'timestamp desc',
      pageSize: Math.min(PAGE_SIZE, target.limit - newestFirst.length),
      pageToken,
    })
    newestFirst.push(...page.entries)
    pageToken = page.nextPageToken
  } while (pageToken && newestFirst.length < target.limit)
  return newestFirst.slice(0, target.limit).reverse()
}

const entryKey = (e: LogEntry) => `${e.insertId}\0${e.timestamp}\0${e.logName ?? ''}`

/** How `followLogs` waits and reports; injected so tests need no real time. */
export interface FollowOptions {
  /** Poll interval while the API answers. */
  intervalMs: number
  /** Upper bound of the back-off delay while it fails. */
  maxBackoffMs: number
  sleep: (ms: number) => Promise<void>
  /** New entries, oldest first (called with the initial window too). */
  emit: (entries: LogEntry[]) => void
  /** A transient failure; the next poll waits `delayMs`. */
  onRetry: (error: GoogleCallError, delayMs: number) => void
  /** Stops the loop (the command ends on Ctrl-C anyway). */
  signal?: AbortSignal
}

/**
 * Prints the recent window like {@link readRecentLogs}, then polls for newer entries until the signal
 * aborts: each entry is emitted once; transient failures double the wait up to `maxBackoffMs`; any
 * other failure (permission, not found) ends the loop with that error.
 * @param api - the Logging API
 * @param target - project, kind, time bound and count of the initial window
 * @param options - interval, back-off bound, sleep, emitters and stop signal
 */
export async function followLogs(api: LoggingApi, target: LogsTarget, options: FollowOptions): Promise<void> {
  const {intervalMs, maxBackoffMs, sleep, emit, onRetry, signal} = options
  const initial = await readRecentLogs(api, target)
  emit(initial)
  let newest = initial.at(-1)?.timestamp ?? target.since.toISOString()
  const seen = new Map<string, string>(initial.map((e) => [entryKey(e), e.timestamp]))
  let delay = intervalMs
  while (!signal?.aborted) {
    await sleep(delay)
    if (signal?.aborted) break
    const from = new Date(Date.parse(newest) - FOLLOW_LOOKBACK_MS)
    try {
      const batch: LogEntry[] = []
      let pageToken: string | undefined
      do {
        const page = await api.listEntries({
          projectId: target.projectId,
          filter: buildLogsFilter(target.kind, from, target.filters),
          orderBy: 'timestamp asc',
          pageSize: PAGE_SIZE,
          pageToken,
        })
        batch.push(...page.entries)
        pageToken = page.nextPageToken
      } while (pageToken && batch.length < MAX_LOG_LIMIT)
      const fresh = batch.filter((e) => !seen.has(entryKey(e)))
      for (const e of fresh) {
        seen.set(entryKey(e), e.timestamp)
        if (e.timestamp > newest) newest = e.timestamp
      }
      if (fresh.length > 0) emit(fresh)
      // Forget what the next query can no longer return, so memory stays bounded while following for hours.
      const horizon = new Date(Date.parse(newest) - FOLLOW_LOOKBACK_MS).toISOString()
      for (const [key, ts] of seen) if (ts < horizon) seen.delete(key)
      delay = intervalMs
    } catch (error) {
      // A failure that may pass (unavailable, rate-limited, no answer in time) is waited out; the rest ends following.
      if (!(error instanceof GoogleCallError) || (error.kind !== 'transient' && error.kind !== 'timeout')) throw error
      delay = Math.min(maxBackoffMs, delay * 2)
      onRetry(error, delay)
    }
  }
}
