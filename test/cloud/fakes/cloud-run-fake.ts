import type {IncomingMessage, ServerResponse} from 'node:http'
import {LocalServer} from './local-server.js'

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string
  /** Path without the query string, e.g. `/v2/projects/p/locations/us-central1/services/s`. */
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  /** performance.now() when the request arrived and when its reply was sent (for concurrency checks). */
  receivedAt: number
  answeredAt?: number
  /** True when the client hung up before the reply was sent (a cancelled call). */
  aborted?: boolean
}

/** A canned reply that overrides the state for one request. */
export interface ScriptedReply {
  status: number
  body?: unknown
  /** Wait this long before answering (to provoke client deadlines). */
  delayMs?: number
}

/** A Google-style error body (what the real API returns for 4xx/5xx). */
export function googleError(code: number, status: string, message: string, details: unknown[] = []): unknown {
  return {error: {code, message, status, details}}
}

/**
 * A Cloud Run Admin API v2 REST fake on 127.0.0.1 (random port). It keeps services, revisions, jobs and
 * executions as proto3 JSON, answers GETs for them, records every request, and can be scripted to
 * answer a path with a sequence of replies (e.g. 503 then the real resource).
 */
export class CloudRunFake {
  readonly requests: RecordedRequest[] = []
  private readonly resources = new Map<string, unknown>()
  private readonly executions = new Map<string, unknown[]>()
  private readonly scripts = new Map<string, ScriptedReply[]>()

  private constructor(private readonly local: LocalServer) {}

  /** Starts the fake on a random port. */
  static async start(): Promise<CloudRunFake> {
    const local = await LocalServer.start()
    const fake = new CloudRunFake(local)
    local.answer((req, res) => void fake.handle(req, res))
    return fake
  }

  /** `127.0.0.1:<port>`, the value for CLOUD_RUN_EMULATOR_HOST. */
  get host(): string {
    return this.local.host
  }

  /** Stores a resource under its full name (`projects/…/services/…`, `…/revisions/…`, `…/jobs/…`). */
  put(resource: {name: string} & Record<string, unknown>): void {
    this.resources.set(resource.name, resource)
  }

  /** Stores the executions of a job, newest first (as the API lists them). */
  putExecutions(jobName: string, executions: unknown[]): void {
    this.executions.set(jobName, executions)
  }

  /** Answers the next requests to `path` with these replies, in order, before falling back to the state. */
  script(path: string, ...replies: ScriptedReply[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...replies])
  }

  /** `METHOD path` of every request so far, for exact assertions. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`)
  }

  close(): Promise<void> {
    return this.local.close()
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    const path = decodeURIComponent(url.pathname)
    const record: RecordedRequest = {
      method: req.method ?? '',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: {...req.headers},
      receivedAt: performance.now(),
    }
    this.requests.push(record)
    res.on('finish', () => (record.answeredAt = performance.now()))
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true
    })
    for await (const _chunk of req) {
      // drain the body; this fake serves reads only
    }
    const scripted = this.scripts.get(path)?.shift()
    if (scripted) {
      if (scripted.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs))
      return send(res, scripted.status, scripted.body ?? {})
    }
    if (req.method !== 'GET' || !path.startsWith('/v2/')) {
      return send(res, 400, googleError(400, 'INVALID_ARGUMENT', `unexpected ${req.method} ${path}`))
    }
    const name = path.slice('/v2/'.length)
    const executionsOf = /^(.*\/jobs\/[^/]+)\/executions$/.exec(name)
    if (executionsOf) {
      const all = this.executions.get(executionsOf[1]!)
      if (!all) return send(res, 404, googleError(404, 'NOT_FOUND', `Resource '${executionsOf[1]}' was not found`))
      const pageSize = Number(url.searchParams.get('pageSize') ?? all.length)
      return send(res, 200, {executions: all.slice(0, pageSize)})
    }
    const resource = this.resources.get(name)
    if (!resource) return send(res, 404, googleError(404, 'NOT_FOUND', `Resource '${name}' was not found`))
    return send(res, 200, resource)
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json; charset=utf-8'})
  res.end(JSON.stringify(body))
}
