/**
 * What every Google API client of msp shares (Cloud Run, Secret Manager, Cloud Logging): credentials
 * (Application Default Credentials, or none for a local emulator given as `<NAME>_EMULATOR_HOST`),
 * REST transport options, per-attempt deadlines that really cancel the HTTP call, retries with our
 * policy, and the reduction of any Google error to a status, a kind and a token-free message.
 * google-gax is imported lazily, inside {@link connectGoogle}; only types appear at the top level.
 */
import {AsyncLocalStorage} from 'node:async_hooks'
import {Readable, Transform, pipeline} from 'node:stream'
import {UsageError, UserError} from '../io/errors.js'
import type {Env} from '../io/output.js'
import {terminalSafe} from '../io/terminal.js'
import {MAX_RESPONSE_BYTES, MAX_RESPONSE_MB} from './limits.js'
import {DEFAULT_RETRY_POLICY, DeadlineError, withRetry, type Deadline, type RetryPolicy, type Sleep} from './retry.js'

/** The kinds of failure a user can act on, decided from the HTTP (or gRPC) status of a Google error. */
export type GoogleFailureKind = 'permission-denied' | 'api-disabled' | 'not-found' | 'unauthenticated' | 'transient' | 'timeout' | 'other'

/**
 * A failed Google API call, with the Google error reduced to status and message. The original error is
 * deliberately not kept: gaxios errors carry the request config, including the Authorization header.
 */
export class GoogleCallError extends Error {
  override readonly name = 'GoogleCallError'
  constructor(
    readonly kind: GoogleFailureKind,
    readonly status: number | undefined,
    readonly detail: string,
    readonly attempts = 1,
  ) {
    super(status === undefined ? detail : `${status} ${detail}`)
  }
}

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform'

/** A connected Google API: client constructor options and a retrying call wrapper. */
export interface GoogleConnection {
  /** Options for any `@google-cloud/*` client constructor: REST transport, auth client, emulator endpoint. */
  clientOptions: Record<string, unknown>
  /** True when talking to a local emulator (plain HTTP, no credentials). */
  emulator: boolean
  /**
   * Runs one logical call with retries of transient failures; each attempt is cancelled at its deadline.
   * Errors come out as {@link GoogleCallError}.
   */
  call<T>(attempt: () => Promise<T>): Promise<T>
}

/** What a caller of a Google client gives: the environment and, optionally, credentials, retry policy and deadline. */
export interface ConnectOptions {
  /** Environment variables (the API's emulator variable). */
  env: Env
  /** An already-authenticated client (tests, or callers that resolved credentials themselves). */
  authClient?: unknown
  /** Retries of transient failures (default DEFAULT_RETRY_POLICY). */
  policy?: RetryPolicy
  /** The command's total deadline (`--timeout`), shared by every call. */
  deadline?: Deadline
  sleep?: Sleep
}

/**
 * Resolves credentials and builds the shared client options: plain HTTP REST without credentials when
 * the emulator variable is set, else Application Default Credentials over HTTPS REST.
 * @param options - environment, the emulator variable's name, optional injected auth client, retry policy, sleep and API name for messages
 */
export async function connectGoogle(options: ConnectOptions & {emulatorVariable: string; apiName: string}): Promise<GoogleConnection> {
  const {env, emulatorVariable, apiName, policy = DEFAULT_RETRY_POLICY, sleep, deadline} = options
  const emulator = parseEmulatorHost(emulatorVariable, env[emulatorVariable])
  const gax = await import('google-gax')
  let authClient = options.authClient
  if (authClient === undefined && emulator) authClient = new gax.googleAuthLibrary.PassThroughClient()
  if (authClient === undefined) {
    // Resolve credentials before the first call: a client left to find them itself rejects the call
    // and then fires a second, unhandled rejection that would crash Node with a stack trace.
    const auth = new gax.googleAuthLibrary.GoogleAuth({scopes: [CLOUD_PLATFORM_SCOPE]})
    try {
      authClient = await auth.getClient()
    } catch (error) {
      const hint = 'log in with `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file'
      const message = error instanceof Error ? error.message : String(error)
      if (/Could not load the default credentials/i.test(message)) {
        throw new UserError('no Google Cloud credentials found (Application Default Credentials)', {hint, cause: sanitizedCause(error)})
      }
      // Credentials exist but are unusable (a missing or malformed key file): say which, without contents.
      // JSON.parse quotes the start of what it could not parse, which may be the key itself: never shown.
      const file = env.GOOGLE_APPLICATION_CREDENTIALS
      const reason = error instanceof SyntaxError || /\bJSON\b/.test(message) ? 'the file is not a JSON key file' : redactTokens(firstLine(message))
      throw new UserError(
        `cannot load Google Cloud credentials${file ? ` from GOOGLE_APPLICATION_CREDENTIALS=${terminalSafe(file)}` : ''}: ${terminalSafe(reason)}`,
        {
          hint,
          cause: sanitizedCause(error),
        },
      )
    }
  }
  // Each attempt runs with its deadline's AbortSignal in this store; the auth client's fetch (which gax
  // uses for every REST call) picks it up, so a call past its deadline is really cancelled instead of
  // keeping a socket, and the process, alive. gax's own `timeout` option is ignored by its REST transport.
  const attemptSignal = new AsyncLocalStorage<AbortSignal>()
  authClient = abortableAuthClient(authClient as object, attemptSignal, apiName)
  // REST ("fallback") in production too: one transport, one set of HTTP status codes to map.
  const clientOptions = {
    fallback: true,
    authClient,
    ...(emulator ? {apiEndpoint: emulator.host, port: emulator.port, protocol: 'http'} : {}),
  }
  return {
    clientOptions,
    emulator: emulator !== undefined,
    call: (attempt) => callWithRetry((signal) => attemptSignal.run(signal, attempt), policy, sleep, apiName, deadline),
  }
}

/** A response body past {@link MAX_RESPONSE_BYTES}: refused, never retried. */
class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError'
  constructor(readonly apiName: string) {
    super(`${apiName} answered with more than ${MAX_RESPONSE_MB} MB`)
  }
}

/** The gaxios request options msp touches: the abort signal and the response adapter. */
interface FetchInit {
  signal?: AbortSignal
  adapter?: (options: unknown, defaultAdapter: (options: unknown) => Promise<unknown>) => Promise<unknown>
}

/**
 * Wraps an auth client so that its `fetch` also honours the signal of the current attempt, and refuses
 * response bodies past {@link MAX_RESPONSE_BYTES}. The cap sits in a gaxios `adapter`, around the HTTP
 * call itself: gaxios reads a whole error body there before its caller sees the response.
 */
function abortableAuthClient(client: object, attemptSignal: AsyncLocalStorage<AbortSignal>, apiName: string): object {
  const target = client as {fetch?: (url: unknown, init?: FetchInit) => Promise<unknown>}
  if (typeof target.fetch !== 'function') return client
  const fetch = (url: unknown, init: FetchInit = {}) => {
    const deadline = attemptSignal.getStore()
    const signal = deadline && init.signal ? AbortSignal.any([deadline, init.signal]) : (deadline ?? init.signal)
    const inner = init.adapter
    const adapter: FetchInit['adapter'] = async (options, defaultAdapter) =>
      capResponse(await (inner ? inner(options, defaultAdapter) : defaultAdapter(options)), apiName)
    return target.fetch!.call(client, url, {...init, signal, adapter})
  }
  // A Proxy rather than a copy: every other property and method still reads and writes the real client.
  return new Proxy(client, {get: (obj, prop, receiver) => (prop === 'fetch' ? fetch : Reflect.get(obj, prop, receiver))})
}

/**
 * Applies the size cap to one gaxios response (a node-fetch `Response` whose `data` is the body stream,
 * since gax asks for `responseType: 'stream'`): a declared Content-Length past the cap is refused at once;
 * otherwise the body is replaced by a counting stream that fails, and hangs up, past the cap. gax reads
 * the body through `arrayBuffer()` (or `body` for server streaming), gaxios through `data`: all three
 * read the counting stream.
 */
function capResponse(response: unknown, apiName: string): unknown {
  const res = response as {headers?: {get(name: string): string | null}; body?: unknown; data?: unknown}
  const body = res.body
  const declared = Number(res.headers?.get('content-length') ?? Number.NaN)
  if (declared > MAX_RESPONSE_BYTES) {
    if (body instanceof Readable) body.destroy()
    throw new ResponseTooLargeError(apiName)
  }
  if (!(body instanceof Readable)) return response
  let size = 0
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      done(size > MAX_RESPONSE_BYTES ? new ResponseTooLargeError(apiName) : null, size > MAX_RESPONSE_BYTES ? undefined : chunk)
    },
  })
  // On failure pipeline destroys the source too: the socket is closed, the rest is never read.
  pipeline(body, counted, () => undefined)
  const arrayBuffer = async (): Promise<ArrayBuffer> => {
    const chunks: Buffer[] = []
    for await (const chunk of counted) chunks.push(chunk as Buffer)
    const all = Buffer.concat(chunks)
    return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer
  }
  Object.defineProperties(res, {
    body: {configurable: true, enumerable: true, value: counted},
    data: {configurable: true, enumerable: true, writable: true, value: res.data === body ? counted : res.data},
    arrayBuffer: {configurable: true, value: arrayBuffer},
  })
  return response
}

/** The {@link ResponseTooLargeError} somewhere in an error's cause chain (gaxios and gax wrap errors). */
function tooLargeIn(error: unknown): ResponseTooLargeError | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof ResponseTooLargeError) return e
    e = (e as {cause?: unknown}).cause ?? (e as {error?: unknown}).error
  }
  return undefined
}

async function callWithRetry<T>(
  call: (signal: AbortSignal) => Promise<T>,
  policy: RetryPolicy,
  sleep: Sleep | undefined,
  apiName: string,
  deadline?: Deadline,
): Promise<T> {
  let attempts = 0
  try {
    return await withRetry(
      async (signal) => {
        attempts++
        try {
          return await call(signal)
        } catch (error) {
          const tooLarge = tooLargeIn(error)
          if (tooLarge) {
            throw new UserError(`${tooLarge.message}; refused, without reading the rest (a real answer is a few kilobytes)`, {
              hint:
                'the server (or a proxy in between) sent far more than this API ever returns: try again later, or check the <NAME>_EMULATOR_HOST ' +
                'variable if you set one',
            })
          }
          throw toCallError(error, apiName)
        }
      },
      // Every Google call msp makes is a read: safe to repeat after a timeout.
      {policy, sleep, deadline, idempotent: true, classify: (error) => ({retry: error instanceof GoogleCallError && error.kind === 'transient'})},
    )
  } catch (error) {
    if (error instanceof GoogleCallError || error instanceof UserError) throw error
    // Retries exhausted: report the last failure (or the deadline) with the number of attempts.
    const last = (error as {lastError?: unknown}).lastError ?? error
    // No answer in time (the command's limit, or every attempt's): a timeout, not a refusal.
    if (last instanceof DeadlineError) throw new GoogleCallError('timeout', undefined, last.message, attempts)
    const reduced = last instanceof GoogleCallError ? last : new GoogleCallError('transient', undefined, (last as Error).message)
    throw new GoogleCallError('transient', reduced.status, reduced.detail, attempts)
  }
}

/** gRPC status codes the REST transport may also surface, mapped to their HTTP equivalents. */
const GRPC_TO_HTTP: Record<number, number> = {4: 504, 5: 404, 7: 403, 8: 429, 13: 500, 14: 503, 16: 401}

/**
 * Reduces any error thrown by a Google client to a {@link GoogleCallError} (status, kind, message),
 * dropping everything else, so no header or token can reach the output.
 * @param error - what the client threw
 * @param apiName - the API's name for the "cannot reach" message (e.g. "the Cloud Run API")
 */
export function toCallError(error: unknown, apiName = 'the Google API'): GoogleCallError {
  if (error instanceof GoogleCallError) return error
  const e = (error ?? {}) as {code?: unknown; message?: unknown}
  const rawMessage = typeof e.message === 'string' ? e.message : String(error)
  const body = parseGoogleErrorBody(rawMessage)
  let status = typeof e.code === 'number' ? e.code : body?.code
  if (status !== undefined && status < 100) status = GRPC_TO_HTTP[status] ?? status
  const detail = redactTokens(body ? [body.status, body.message].filter(Boolean).join(': ') : rawMessage)
  if (status === undefined) {
    // No HTTP status: a network failure (refused, reset, DNS) or a credential refresh problem.
    if (/invalid_grant|invalid_rapt|reauth/i.test(rawMessage)) return new GoogleCallError('unauthenticated', undefined, detail)
    // gaxios says "request to <url> failed, reason: <why>"; the why is what a user can act on.
    const reason = /failed, reason: (.+)$/s.exec(detail)?.[1]
    return new GoogleCallError('transient', undefined, reason ? `cannot reach ${apiName}: ${reason}` : detail)
  }
  if (status === 401) return new GoogleCallError('unauthenticated', status, detail)
  if (status === 403) {
    const disabled = body?.reasons.includes('SERVICE_DISABLED') || /has not been used in project|is disabled|API not enabled/i.test(detail)
    return new GoogleCallError(disabled ? 'api-disabled' : 'permission-denied', status, detail)
  }
  if (status === 404) return new GoogleCallError('not-found', status, detail)
  if (status === 408 || status === 429 || status >= 500) return new GoogleCallError('transient', status, detail)
  return new GoogleCallError('other', status, detail)
}

interface GoogleErrorBody {
  code?: number
  status?: string
  message?: string
  reasons: string[]
}

function parseGoogleErrorBody(text: string): GoogleErrorBody | undefined {
  try {
    const parsed = JSON.parse(text) as {error?: {code?: number; status?: string; message?: string; details?: {reason?: string}[]}}
    if (!parsed.error) return undefined
    const {code, status, message, details} = parsed.error
    return {code, status, message, reasons: (details ?? []).map((d) => d.reason ?? '').filter(Boolean)}
  } catch {
    return undefined
  }
}

/** Replaces anything shaped like a bearer token or OAuth access token with a placeholder. */
export function redactTokens(text: string): string {
  return text.replace(/(bearer\s+)[^\s"',]+/gi, '$1[redacted]').replace(/ya29\.[\w.-]+/g, '[redacted]')
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim()
}

function sanitizedCause(error: unknown): Error {
  return new Error(redactTokens(error instanceof Error ? error.message : String(error)))
}

/**
 * Parses `<NAME>_EMULATOR_HOST` (`host:port`, `[v6]:port`); undefined when unset.
 * @param variable - the variable's name, for the error message
 * @param value - its value
 */
export function parseEmulatorHost(variable: string, value: string | undefined): {host: string; port: number} | undefined {
  if (!value) return undefined
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value.trim())
  if (!match) throw new UsageError(`${variable} must be host:port, got ${JSON.stringify(value)}`)
  return {host: match[1]!, port: Number(match[2])}
}
