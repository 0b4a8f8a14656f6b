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

/**
 * A Cloud Logging v2 REST fake on 127.0.0.1: `POST /v2/entries:list` answers from its entries, honouring
 * the `timestamp >= "…"` bound of the filter, `orderBy` and paging; it records every request body. A
 * project can be denied (403). Anything else is a 400, so an unexpected call fails the test.
 */
export class LoggingFake {
  readonly requests: ListRequest[] = []
  readonly paths: string[] = []
  private readonly entries: FakeEntry[] = []
  private readonly denied = new Set<string>()
  private delayMs = 0

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
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs))
    if (res.destroyed) return
    const project = body.resourceNames[0]?.replace(/^projects\//, '') ?? ''
    if (this.denied.has(project)) return send(res, 403, googleError(403, 'PERMISSION_DENIED', `The caller does not have permission`))
    const bound = /timestamp >= "([^"]+)"/.exec(body.filter)?.[1]
    const from = bound ? Date.parse(bound) : -Infinity
    const sorted = this.entries.filter((e) => Date.parse(e.timestamp) >= from).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
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
