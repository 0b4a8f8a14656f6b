/**
 * `msp logs --print` / `--follow`: the entries the Logs Explorer link shows (same filter), read through
 * the Cloud Logging API. `--print` shows the newest N since a point in time, oldest first; `--follow`
 * then pages through newer entries from a cursor, printing each entry once and in order, within the
 * API's read quota, backing off (bounded) while the API fails.
 */
import {GoogleCallError} from '../cloud/google-client.js'
import type {LogEntry, LoggingApi} from '../cloud/logging.js'
import {UsageError} from '../io/errors.js'
import {buildLogsQuery, type LogsQueryFilters, type WorkloadKind} from '../links/gcp.js'

/** Default of `--limit`. */
export const DEFAULT_LOG_LIMIT = 100
/** Upper bound of `--limit` (and of one catch-up poll). */
export const MAX_LOG_LIMIT = 10_000
/** The API's largest page. */
const PAGE_SIZE = 1000

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
 * The Logging filter: the Logs Explorer query of the workload kind with the user's filters, a lower
 * time bound and, when following, an upper one (a new line is an AND in the Logging query language, as
 * in the Logs Explorer).
 * @param kind - service or job
 * @param since - the oldest time to include
 * @param filters - severity, text, revision or execution (the link's query carries the same)
 * @param bounds - `until`: the newest time to include (none: no upper bound); `sinceText`: the lower
 *   bound exactly as an entry carried it (nanoseconds kept), instead of `since`
 */
export function buildLogsFilter(kind: WorkloadKind, since: Date, filters: LogsQueryFilters = {}, bounds: {until?: Date; sinceText?: string} = {}): string {
  const lower = `${buildLogsQuery(kind, filters)}\ntimestamp >= "${bounds.sinceText ?? since.toISOString()}"`
  return bounds.until ? `${lower}\ntimestamp <= "${bounds.until.toISOString()}"` : lower
}

/** What to read: the environment's project, its workload kind, the time bound and the count. */
export interface LogsTarget {
  projectId: string
  kind: WorkloadKind
  since: Date
  limit: number
  /** Restrictions the server applies, so `limit` counts matching entries. */
  filters?: LogsQueryFilters
  /** The newest time to include (follow: now, so a future-stamped entry cannot become the cursor). */
  until?: Date
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
  const filter = buildLogsFilter(target.kind, target.since, target.filters, target.until ? {until: target.until} : {})
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

/** Cloud Logging's read quota: 60 `entries.list` calls a minute per project, so at least this long between two. */
export const MIN_REQUEST_GAP_MS = 1000
/** Empty pages that still carry a next-page token followed in one poll before waiting for the next poll. */
const MAX_EMPTY_PAGES_PER_POLL = 3

/**
 * An entry's place in the API's order (timestamp, then insertId): the timestamp with its fraction
 * padded to nanoseconds, so `…:01.5Z` and `…:01.500000000Z` compare as the same instant.
 * @param entry - timestamp and insertId
 */
function orderKey(entry: Pick<LogEntry, 'timestamp' | 'insertId'>): [string, string] {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(entry.timestamp)
  const time = m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : new Date(entry.timestamp).toISOString().replace(/Z$/, '000000Z')
  return [time, entry.insertId]
}

/**
 * True when `a` comes after `b` in the API's order.
 * @param a - an entry
 * @param b - the cursor
 */
function after(a: Pick<LogEntry, 'timestamp' | 'insertId'>, b: Pick<LogEntry, 'timestamp' | 'insertId'>): boolean {
  const [ta, ia] = orderKey(a)
  const [tb, ib] = orderKey(b)
  return ta > tb || (ta === tb && ia > ib)
}

/** How `followLogs` waits and reports; injected so tests need no real time. */
export interface FollowOptions {
  /** Poll interval once caught up. */
  intervalMs: number
  /** Upper bound of the back-off delay while it fails. */
  maxBackoffMs: number
  /** Waits; should return early when `signal` aborts. */
  sleep: (ms: number) => Promise<void>
  /** New entries, oldest first (called with the initial window too). */
  emit: (entries: LogEntry[]) => void
  /** A transient failure; the next poll waits `delayMs`. */
  onRetry: (error: GoogleCallError, delayMs: number) => void
  /** Stops the loop: Ctrl-C, or stdout closed (`| head -1`). */
  signal?: AbortSignal
  /** The clock (ms since the epoch); default Date.now. */
  now?: () => number
  /** Least time between two API calls (default {@link MIN_REQUEST_GAP_MS}: the read quota). */
  minGapMs?: number
}

/**
 * Prints the recent window like {@link readRecentLogs}, then follows new entries until the signal
 * aborts. A cursor (timestamp + insertId of the last entry printed) drives every query: each poll asks
 * for `cursor ≤ timestamp ≤ now`, oldest first, in pages of at most 1,000, and prints only what comes
 * after the cursor, so each entry prints once and in order, and memory holds one page. The upper bound
 * keeps an entry stamped in the future from moving the cursor past everything else (it prints when its
 * time comes). While pages keep coming (catching up), the next page follows at once, else the next
 * poll waits `intervalMs`; no two calls are closer than `minGapMs` (the read quota). A server that
 * answers empty pages with a next-page token is followed at most a few pages per poll. Transient
 * failures double the wait up to `maxBackoffMs`; any other failure ends the loop with that error.
 * Entries that reach Cloud Logging later than `now` with an older timestamp (ingestion delay beyond
 * the cursor) are not shown.
 * @param api - the Logging API
 * @param target - project, kind, time bound and count of the initial window
 * @param options - interval, back-off bound, sleep, emitters, stop signal and clock
 */
export async function followLogs(api: LoggingApi, target: LogsTarget, options: FollowOptions): Promise<void> {
  const {intervalMs, maxBackoffMs, sleep, emit, onRetry, signal} = options
  const now = options.now ?? Date.now
  const minGap = options.minGapMs ?? MIN_REQUEST_GAP_MS
  let lastCall = -Infinity
  const paced: LoggingApi = {
    async listEntries(request) {
      const wait = lastCall + minGap - now()
      if (wait > 0) await sleep(wait)
      if (signal?.aborted) return {entries: []}
      lastCall = now()
      return api.listEntries(request)
    },
  }
  const initial = await readRecentLogs(paced, {...target, until: new Date(now())})
  if (signal?.aborted) return
  emit(initial)
  let cursor: Pick<LogEntry, 'timestamp' | 'insertId'> | undefined = initial.at(-1)
  let delay = intervalMs
  let page: {filter: string; token: string; empty: number} | undefined
  while (!signal?.aborted) {
    if (!page) await sleep(delay)
    if (signal?.aborted) break
    const filter =
      page?.filter ?? buildLogsFilter(target.kind, target.since, target.filters, {until: new Date(now()), ...(cursor ? {sinceText: cursor.timestamp} : {})})
    try {
      const answer = await paced.listEntries({
        projectId: target.projectId,
        filter,
        orderBy: 'timestamp asc',
        pageSize: PAGE_SIZE,
        ...(page ? {pageToken: page.token} : {}),
      })
      if (signal?.aborted) break
      const fresh: LogEntry[] = []
      for (const e of answer.entries) {
        if (cursor && !after(e, cursor)) continue
        fresh.push(e)
        cursor = e
      }
      if (fresh.length > 0) emit(fresh)
      const empty = answer.entries.length === 0 ? (page?.empty ?? 0) + 1 : 0
      page = answer.nextPageToken && empty < MAX_EMPTY_PAGES_PER_POLL ? {filter, token: answer.nextPageToken, empty} : undefined
      delay = intervalMs
    } catch (error) {
      // A failure that may pass (unavailable, rate-limited, no answer in time) is waited out; the rest ends following.
      if (!(error instanceof GoogleCallError) || (error.kind !== 'transient' && error.kind !== 'timeout')) throw error
      page = undefined
      delay = Math.min(maxBackoffMs, delay * 2)
      onRetry(error, delay)
    }
  }
}
