/** A small JSON:API client for the Terraform Cloud API v2: bearer token, retries, Retry-After, deadlines, a size cap. */
import {UserError} from '../io/errors.js'
import {redactSecrets, registerSecret} from '../io/secrets.js'
import {DEFAULT_RETRY_POLICY, DeadlineError, RetriesExhaustedError, withRetry, type Deadline, type RetryPolicy, type Sleep} from './retry.js'
import {MAX_RESPONSE_BYTES} from './limits.js'
import {readCappedBody} from '../io/http-body.js'
import type {TfcConnection} from './tfc-auth.js'

/** One JSON:API resource object. */
export interface JsonApiResource {
  id: string
  type: string
  attributes?: Record<string, unknown>
  relationships?: Record<string, {data?: {id: string; type: string} | {id: string; type: string}[] | null}>
}

/** A JSON:API document. */
export interface JsonApiDocument {
  data?: JsonApiResource | JsonApiResource[] | null
  meta?: Record<string, unknown>
}

/** A TFC API call that failed with an HTTP status; a UserError so it prints without a stack. */
export class TfcApiError extends UserError {
  override readonly name = 'TfcApiError'
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    detail: string,
    hint?: string,
  ) {
    super(`Terraform Cloud API ${method} ${path} failed: ${status}${detail ? ` ${detail}` : ''}`, {hint})
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Options of one write. */
export interface WriteOptions {
  /**
   * The caller knows that sending this write twice does no harm (a PATCH to absolute values, adding
   * tags that may already be there), so it may be retried after a timeout or a 5xx. DELETE is always.
   */
  idempotent?: boolean
}

/** The calls the sync planner makes; every write goes through {@link TfcClient.write} or {@link TfcClient.create}. */
export interface TfcClient {
  /** GET a document; undefined on 404. */
  get(path: string): Promise<JsonApiDocument | undefined>
  /** POST, PATCH or DELETE; returns the response document (undefined for 204). */
  write(method: Exclude<HttpMethod, 'GET'>, path: string, body?: unknown, options?: WriteOptions): Promise<JsonApiDocument | undefined>
  /**
   * POSTs a new resource once. When the POST gets no answer in time it may still have been created,
   * so it is never sent again blindly: `reread` looks for it (a few times, with the retry pauses) and
   * its result is returned; when it never shows up, the error says to run again.
   */
  create(path: string, body: unknown, reread: () => Promise<JsonApiResource | undefined>): Promise<JsonApiResource | undefined>
  /**
   * GETs a file the API handed out by URL (a state version's download URL), as text, up to `maxBytes`.
   * The token goes only to the API's own origin (the hosted state of app.terraform.io lives on another
   * host, behind a signed URL); every hop, redirects included, must be `https:` or a loopback address.
   */
  download(url: string, options?: {maxBytes?: number; what?: string}): Promise<string>
}

export interface TfcClientOptions {
  connection: TfcConnection
  fetch?: typeof globalThis.fetch
  policy?: RetryPolicy
  /** The command's total deadline (`--timeout`), shared by every call. */
  deadline?: Deadline
  sleep?: Sleep
}

/** A write that got no answer in time: it may or may not have been applied by the server. */
export class TfcTimeoutError extends UserError {
  override readonly name = 'TfcTimeoutError'
}

/** A status worth retrying, carrying the server's Retry-After when it sent one. */
class RetryableStatus extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${status}${detail ? ` ${detail}` : ''}`)
  }
}

/**
 * Creates a TFC client. 429 is retried on every method after Retry-After (bounded); 5xx, network
 * failures and timeouts only on idempotent requests (GET, DELETE, and writes marked idempotent): a
 * POST that failed may still have created something.
 * @param options - address and token, plus fetch, retry policy, total deadline and sleep for tests
 */
export function createTfcClient(options: TfcClientOptions): TfcClient {
  const {connection, fetch = globalThis.fetch, policy = DEFAULT_RETRY_POLICY, sleep, deadline} = options
  registerSecret(connection.token)
  async function request(method: HttpMethod, path: string, body?: unknown, writeOptions: WriteOptions = {}): Promise<{status: number; doc?: JsonApiDocument}> {
    const idempotent = method === 'GET' || method === 'DELETE' || writeOptions.idempotent === true
    try {
      return await withRetry(
        async (signal) => {
          const response = await fetch(`${connection.apiBase}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${connection.token}`,
              accept: 'application/vnd.api+json',
              ...(body === undefined ? {} : {'content-type': 'application/vnd.api+json'}),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal,
          })
          const text = await readCapped(response, method, path)
          if (response.status === 429 || (response.status >= 500 && idempotent)) {
            throw new RetryableStatus(response.status, errorDetail(text), retryAfterMs(response.headers.get('retry-after')))
          }
          if (response.status === 404 && method === 'GET') return {status: 404}
          if (!response.ok) throw apiError(method, path, response.status, text, connection)
          return {status: response.status, doc: text ? parseDocument(text, method, path) : undefined}
        },
        {
          policy,
          sleep,
          deadline,
          idempotent,
          classify: (error) => {
            if (error instanceof RetryableStatus) return {retry: true, delayMs: error.retryAfterMs}
            if (error instanceof UserError) return {retry: false}
            // fetch rejects with TypeError on network failures; safe to repeat only when idempotent.
            return {retry: idempotent && error instanceof TypeError}
          },
        },
      )
    } catch (error) {
      if (error instanceof DeadlineError) {
        if (error.total) {
          throw new TfcTimeoutError(`Terraform Cloud API ${method} ${path} timed out after ${error.deadlineMs / 1000}s (the command's time limit)`, {
            hint: 'Terraform Cloud is slow or unreachable: try again, or allow more time with --timeout <seconds>',
          })
        }
        throw new TfcTimeoutError(`Terraform Cloud API ${method} ${path}: ${error.message}; the request may or may not have been applied`, {
          hint: 'run the command again: it re-reads Terraform Cloud and only does what is still missing',
        })
      }
      if (error instanceof RetriesExhaustedError) {
        const last = error.lastError
        // fetch's TypeError says only "fetch failed"; the reason (ECONNREFUSED, DNS…) is its cause.
        const what = last instanceof TypeError ? `cannot reach ${connection.address}: ${networkReason(last)}` : (last as Error).message
        throw new UserError(`Terraform Cloud API ${method} ${path} failed after ${error.attempts} attempt${error.attempts === 1 ? '' : 's'}: ${what}`, {
          hint:
            last instanceof TypeError
              ? `check the network and TFE_ADDRESS (now ${connection.address})`
              : last instanceof DeadlineError
                ? 'Terraform Cloud is not answering in time: try again in a minute, or allow more time with --timeout <seconds>'
                : 'Terraform Cloud may be busy or rate-limiting: try again in a minute (https://status.hashicorp.com)',
        })
      }
      if (error instanceof RetryableStatus) throw apiError(method, path, error.status, error.detail, connection)
      if (error instanceof TypeError) {
        throw new UserError(`cannot reach Terraform Cloud at ${connection.address}: ${networkReason(error)}`)
      }
      throw error
    }
  }
  async function download(url: string, downloadOptions: {maxBytes?: number; what?: string} = {}): Promise<string> {
    const what = downloadOptions.what ?? 'download'
    const api = new URL(connection.address)
    let start: URL
    try {
      start = new URL(url, connection.address)
    } catch {
      throw new UserError(`Terraform Cloud handed out a ${what} URL that is not a URL`)
    }
    try {
      return await withRetry(
        async (signal) => {
          let current = start
          for (let hop = 0; ; hop++) {
            if (hop > MAX_REDIRECTS) throw new UserError(`${what} from ${current.host}: more than ${MAX_REDIRECTS} redirects`)
            checkTransport(current, what)
            // The token belongs to the API's origin: a download URL (or a redirect) elsewhere is signed on its own.
            const sameOrigin = current.origin === api.origin
            const response = await fetch(current, {
              headers: {accept: 'application/json', ...(sameOrigin ? {authorization: `Bearer ${connection.token}`} : {})},
              redirect: 'manual',
              signal,
            })
            const location = response.headers.get('location')
            if (response.status >= 300 && response.status < 400 && location) {
              await response.body?.cancel().catch(() => undefined)
              current = new URL(location, current)
              continue
            }
            const text = await readCapped(response, 'GET', `(${what} from ${current.host})`, downloadOptions.maxBytes)
            if (response.status === 429 || response.status >= 500) {
              throw new RetryableStatus(response.status, '', retryAfterMs(response.headers.get('retry-after')))
            }
            if (!response.ok)
              throw new UserError(`${what} from ${current.host} failed: ${response.status}`, {
                hint: 'the token may lack permission to read state in this workspace',
              })
            return text
          }
        },
        {
          policy,
          sleep,
          deadline,
          idempotent: true,
          classify: (error) => {
            if (error instanceof RetryableStatus) return {retry: true, delayMs: error.retryAfterMs}
            if (error instanceof UserError) return {retry: false}
            return {retry: error instanceof TypeError}
          },
        },
      )
    } catch (error) {
      if (error instanceof DeadlineError)
        throw new TfcTimeoutError(`${what} from ${start.host} ${error.message}`, {hint: 'try again, or allow more time with --timeout <seconds>'})
      if (error instanceof RetriesExhaustedError) {
        const last = error.lastError
        throw new UserError(
          `${what} from ${start.host} failed after ${error.attempts} attempts: ${last instanceof TypeError ? networkReason(last) : (last as Error).message}`,
        )
      }
      if (error instanceof RetryableStatus) throw new UserError(`${what} from ${start.host} failed: ${error.status}`)
      if (error instanceof TypeError) throw new UserError(`cannot reach ${start.host} for the ${what}: ${networkReason(error)}`)
      throw error
    }
  }
  return {
    download,
    get: async (path) => (await request('GET', path)).doc,
    write: async (method, path, body, writeOptions) => (await request(method, path, body, writeOptions)).doc,
    create: async (path, body, reread) => {
      try {
        return single((await request('POST', path, body)).doc?.data)
      } catch (error) {
        if (!(error instanceof TfcTimeoutError) || (deadline && deadline.remaining() === 0)) throw error
        // The POST may still be running on the server: look for its result before anything else.
        for (let attempt = 0; attempt < policy.attempts; attempt++) {
          const found = await reread()
          if (found) return found
          const pause = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
          if (deadline && deadline.remaining() <= pause) break
          await (sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms))))(pause)
        }
        throw error
      }
    },
  }
}

function single(data: JsonApiResource | JsonApiResource[] | null | undefined): JsonApiResource | undefined {
  return Array.isArray(data) ? data[0] : (data ?? undefined)
}

/** Redirects a download may follow. */
const MAX_REDIRECTS = 5

/** True for the addresses of this machine (plain `http:` is allowed there: local test servers, a local proxy). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

/** A download goes over `https:`, or plain `http:` to this machine only: state holds secrets. */
function checkTransport(url: URL, what: string): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return
  throw new UserError(`refusing the ${what} from ${url.host}: ${url.protocol === 'http:' ? 'plain http to another machine' : `a ${url.protocol} URL`}`, {
    hint: 'Terraform Cloud serves state over https; check TFE_ADDRESS and any proxy in between',
  })
}

/** Reads a response body as text, refusing (and cancelling) it past `maxBytes` (default {@link MAX_RESPONSE_BYTES}). */
function readCapped(response: Response, method: string, path: string, maxBytes: number = MAX_RESPONSE_BYTES): Promise<string> {
  return readCappedBody(response, maxBytes, `Terraform Cloud API ${method} ${path}`)
}

function parseDocument(text: string, method: string, path: string): JsonApiDocument {
  try {
    return JSON.parse(text) as JsonApiDocument
  } catch {
    throw new UserError(`Terraform Cloud API ${method} ${path} answered with something that is not JSON`)
  }
}

function apiError(method: string, path: string, status: number, text: string, connection: TfcConnection): TfcApiError {
  const detail = text.trimStart().startsWith('{') ? errorDetail(text) : plainDetail(text)
  if (status === 401) {
    return new TfcApiError(
      method,
      path,
      status,
      'unauthorized',
      `the token from ${connection.tokenSource} was rejected: run \`terraform login\` or set TFE_TOKEN to a valid token`,
    )
  }
  if (status === 403 || (status === 404 && method !== 'GET')) {
    return new TfcApiError(
      method,
      path,
      status,
      detail,
      'the token may lack permission in the organization: request the MSP operator role through Entitle (see `msp tfc view`)',
    )
  }
  return new TfcApiError(method, path, status, detail)
}

/** The first JSON:API error as "title: detail", secrets redacted (a server may echo the Authorization header). */
function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as {errors?: ({title?: unknown; detail?: unknown; status?: string} | string)[]}
    const first = parsed.errors?.[0]
    if (!first) return ''
    if (typeof first === 'string') return clip(redactSecrets(first))
    return clip(redactSecrets([first.title, first.detail].filter((t): t is string => typeof t === 'string' && t !== '').join(': ')))
  } catch {
    return ''
  }
}

/** A non-JSON error body (a proxy's HTML page): its first non-empty line, redacted and clipped. */
function plainDetail(text: string): string {
  const line =
    text
      .split(/\r?\n/)
      .map((l) => l.replace(/<[^>]*>/g, '').trim())
      .find(Boolean) ?? ''
  return clip(redactSecrets(line))
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

function networkReason(error: TypeError): string {
  const cause = error.cause as {code?: string; message?: string} | undefined
  return cause?.code ?? cause?.message ?? error.message
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unparseable. */
export function retryAfterMs(value: string | null, now: () => number = Date.now): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now())
}
