import type {IncomingMessage, ServerResponse} from 'node:http'
import {LocalServer} from './local-server.js'
import {googleError} from './cloud-run-fake.js'

/** An entry as the Logging REST API returns it (proto3 JSON). */
export interface FakeEntry {
  insertId: string
  timestamp: string
  severity?: string
  logName?: string
  resource?: {type: string; labels: Record<string, string>}
  labels?: Record<string, string>
  textPayload?: string
  jsonPayload?: Record<string, unknown>
}

/** The JSON body of one `entries:list` call, as received. */
export interface ListRequest {
  resourceNames: string[]
  filter: string
  orderBy: string
  pageSize: number
  pageToken?: string
}

/** A timestamp with its fraction padded to nanoseconds: RFC 3339 UTC times then compare as strings. */
function instant(timestamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(timestamp)
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : timestamp
}

/** The API's order: timestamp, then insertId (as documented for entries.list). */
function compare(a: FakeEntry, b: FakeEntry): number {
  const ta = instant(a.timestamp)
  const tb = instant(b.timestamp)
  return ta < tb ? -1 : ta > tb ? 1 : a.insertId < b.insertId ? -1 : a.insertId > b.insertId ? 1 : 0
}

/**
 * A Cloud Logging v2 REST fake on 127.0.0.1: `POST /v2/entries:list` answers from its entries, honouring
 * the `timestamp >= "…"` and `timestamp <= "…"` bounds of the filter, `orderBy` (timestamp, then
 * insertId) and paging; it records every request body and when it came. A project can be denied (403);
 * {@link produce} adds entries at a steady rate, as a busy service writes them; {@link emptyPagesForever}
 * makes it answer empty pages that always carry a next-page token. Anything else is a 400, so an
 * unexpected call fails the test.
 */
export class LoggingFake {
  readonly requests: ListRequest[] = []
  /** When each request came (ms since the epoch). */
  readonly times: number[] = []
  readonly paths: string[] = []
  private entries: FakeEntry[] = []
  private sorted = true
  private readonly denied = new Set<string>()
  private delayMs = 0
  private endlessEmpty = false

  private constructor(private readonly local: LocalServer) {}

  static async start(): Promise<LoggingFake> {
    const local = await LocalServer.start()
    const fake = new LoggingFake(local)
    local.answer((req, res) => void fake.handle(req, res))
    return fake
  }

  /** `127.0.0.1:<port>`, the value for LOGGING_EMULATOR_HOST. */
  get host(): string {
    return this.local.host
  }

  add(...entries: FakeEntry[]): void {
    this.entries.push(...entries)
    this.sorted = false
  }

  /**
   * Adds `perSecond` entries a second for `durationMs`, each stamped with the time it was written,
   * made by `make(i, timestamp)`; resolves with the number written. `until`, checked at each tick,
   * stops it early (the client under test has finished).
   */
  produce(options: {perSecond: number; durationMs: number; make: (i: number, timestamp: string) => FakeEntry; until?: () => boolean}): Promise<number> {
    const start = Date.now()
    let written = 0
    return new Promise((resolve) => {
      const tick = setInterval(() => {
        const elapsed = Math.min(Date.now() - start, options.durationMs)
        const due = Math.floor((elapsed * options.perSecond) / 1000)
        const timestamp = new Date().toISOString()
        for (; written < due; written++) this.entries.push(options.make(written, timestamp))
        this.sorted = false
        if (elapsed >= options.durationMs || options.until?.()) {
          clearInterval(tick)
          resolve(written)
        }
      }, 10)
    })
  }

  /** Every later request gets an empty page with a next-page token (a server that never finishes). */
  emptyPagesForever(): void {
    this.endlessEmpty = true
  }

  deny(project: string): void {
    this.denied.add(project)
  }

  /** Answers every later request only after `ms` (to provoke client deadlines). */
  delay(ms: number): void {
    this.delayMs = ms
  }

  close(): Promise<void> {
    return this.local.close()
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname
    this.paths.push(`${req.method} ${path}`)
    let text = ''
    for await (const chunk of req) text += chunk
    if (req.method !== 'POST' || path !== '/v2/entries:list') return send(res, 400, googleError(400, 'INVALID_ARGUMENT', `unexpected ${req.method} ${path}`))
    const body = JSON.parse(text) as ListRequest
    this.requests.push(body)
    this.times.push(Date.now())
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs))
    if (res.destroyed) return
    const project = body.resourceNames[0]?.replace(/^projects\//, '') ?? ''
    if (this.denied.has(project)) return send(res, 403, googleError(403, 'PERMISSION_DENIED', `The caller does not have permission`))
    if (this.endlessEmpty) return send(res, 200, {entries: [], nextPageToken: `more-${this.requests.length}`})
    const lower = /timestamp >= "([^"]+)"/.exec(body.filter)?.[1]
    const upper = /timestamp <= "([^"]+)"/.exec(body.filter)?.[1]
    if (!this.sorted) {
      this.entries.sort(compare)
      this.sorted = true
    }
    const from = lower === undefined ? undefined : instant(lower)
    const to = upper === undefined ? undefined : instant(upper)
    const sorted = this.entries.filter((e) => (from === undefined || instant(e.timestamp) >= from) && (to === undefined || instant(e.timestamp) <= to))
    if (body.orderBy === 'timestamp desc') sorted.reverse()
    const offset = Number(body.pageToken ?? 0)
    const page = sorted.slice(offset, offset + body.pageSize)
    const next = offset + body.pageSize < sorted.length ? String(offset + body.pageSize) : ''
    return send(res, 200, {entries: page, nextPageToken: next})
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json; charset=utf-8'})
  res.end(JSON.stringify(body))
}
