/**
 * A thin wrapper over `@google-cloud/run` (Cloud Run Admin API v2). The Google client and google-gax are
 * imported lazily inside {@link connectCloudRun}, so commands that never call Google do not pay ~130 ms
 * of start-up for them. Only `import type` appears at the top level (erased at build time).
 */
import {AsyncLocalStorage} from 'node:async_hooks'
import type {protos} from '@google-cloud/run'
import {UsageError, UserError} from '../io/errors.js'
import type {Env} from '../io/output.js'
import {DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy, type Sleep} from './retry.js'

export type RunService = protos.google.cloud.run.v2.IService
export type RunRevision = protos.google.cloud.run.v2.IRevision
export type RunJob = protos.google.cloud.run.v2.IJob
export type RunExecution = protos.google.cloud.run.v2.IExecution

/** The reads `msp status` makes; each one retried and bounded by a deadline. */
export interface CloudRunApi {
  getService(name: string): Promise<RunService>
  getRevision(name: string): Promise<RunRevision>
  getJob(name: string): Promise<RunJob>
  /** The newest executions of a job, newest first (one page, no auto-pagination). */
  listExecutions(jobName: string, pageSize: number): Promise<RunExecution[]>
}

/** The kinds of failure a user can act on, decided from the HTTP (or gRPC) status of a Google error. */
export type CloudRunFailureKind = 'permission-denied' | 'api-disabled' | 'not-found' | 'unauthenticated' | 'transient' | 'other'

/**
 * A failed Cloud Run call, with the Google error reduced to status and message. The original error is
 * deliberately not kept: gaxios errors carry the request config, including the Authorization header.
 */
export class CloudRunCallError extends Error {
  override readonly name = 'CloudRunCallError'
  constructor(
    readonly kind: CloudRunFailureKind,
    readonly status: number | undefined,
    readonly detail: string,
    readonly attempts = 1,
  ) {
    super(status === undefined ? detail : `${status} ${detail}`)
  }
}

export interface ConnectOptions {
  /** Environment variables (CLOUD_RUN_EMULATOR_HOST). */
  env: Env
  /** An already-authenticated client (tests, or callers that resolved credentials themselves). */
  authClient?: unknown
  policy?: RetryPolicy
  sleep?: Sleep
}

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform'

/**
 * Resolves credentials and builds the Cloud Run API: plain HTTP REST without credentials when
 * CLOUD_RUN_EMULATOR_HOST is set, else Application Default Credentials over HTTPS REST.
 * @param options - environment, optional injected auth client, retry policy and sleep
 */
export async function connectCloudRun(options: ConnectOptions): Promise<CloudRunApi> {
  const {env, policy = DEFAULT_RETRY_POLICY, sleep} = options
  const emulator = parseEmulatorHost(env.CLOUD_RUN_EMULATOR_HOST)
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
      const file = env.GOOGLE_APPLICATION_CREDENTIALS
      throw new UserError(`cannot load Google Cloud credentials${file ? ` from GOOGLE_APPLICATION_CREDENTIALS=${file}` : ''}: ${redactTokens(firstLine(message))}`, {
        hint,
        cause: sanitizedCause(error),
      })
    }
  }
  // Each attempt runs with its deadline's AbortSignal in this store; the auth client's fetch (which gax
  // uses for every REST call) picks it up, so a call past its deadline is really cancelled instead of
  // keeping a socket, and the process, alive. gax's own `timeout` option is ignored by its REST transport.
  const attemptSignal = new AsyncLocalStorage<AbortSignal>()
  authClient = abortableAuthClient(authClient as object, attemptSignal)
  const {v2} = await import('@google-cloud/run')
  // REST ("fallback") in production too: one transport, one set of HTTP status codes to map.
  const clientOptions = {
    fallback: true,
    authClient,
    ...(emulator ? {apiEndpoint: emulator.host, port: emulator.port, protocol: 'http'} : {}),
  } as ConstructorParameters<typeof v2.ServicesClient>[0]
  const services = new v2.ServicesClient(clientOptions)
  const revisions = new v2.RevisionsClient(clientOptions)
  const jobs = new v2.JobsClient(clientOptions)
  const executions = new v2.ExecutionsClient(clientOptions)
  // gax's own retries are off (retry: null): retrying happens once, here, with our policy and deadline.
  const callOptions = {retry: null}
  const run = <T>(call: () => Promise<T>): Promise<T> => callWithRetry((signal) => attemptSignal.run(signal, call), policy, sleep)
  return {
    getService: (name) => run(async () => (await services.getService({name}, callOptions))[0]),
    getRevision: (name) => run(async () => (await revisions.getRevision({name}, callOptions))[0]),
    getJob: (name) => run(async () => (await jobs.getJob({name}, callOptions))[0]),
    listExecutions: (parent, pageSize) =>
      run(async () => (await executions.listExecutions({parent, pageSize}, {...callOptions, autoPaginate: false}))[0]),
  }
}

/** Wraps an auth client so that its `fetch` also honours the signal of the current attempt. */
function abortableAuthClient(client: object, attemptSignal: AsyncLocalStorage<AbortSignal>): object {
  const target = client as {fetch?: (url: unknown, init?: {signal?: AbortSignal}) => Promise<unknown>}
  if (typeof target.fetch !== 'function') return client
  const fetch = (url: unknown, init: {signal?: AbortSignal} = {}) => {
    const deadline = attemptSignal.getStore()
    const signal = deadline && init.signal ? AbortSignal.any([deadline, init.signal]) : (deadline ?? init.signal)
    return target.fetch!.call(client, url, {...init, signal})
  }
  // A Proxy rather than a copy: every other property and method still reads and writes the real client.
  return new Proxy(client, {get: (obj, prop, receiver) => (prop === 'fetch' ? fetch : Reflect.get(obj, prop, receiver))})
}

async function callWithRetry<T>(call: (signal: AbortSignal) => Promise<T>, policy: RetryPolicy, sleep: Sleep | undefined): Promise<T> {
  let attempts = 0
  try {
    return await withRetry(
      async (signal) => {
        attempts++
        try {
          return await call(signal)
        } catch (error) {
          throw toCallError(error)
        }
      },
      {policy, sleep, classify: (error) => ({retry: error instanceof CloudRunCallError && error.kind === 'transient'})},
    )
  } catch (error) {
    if (error instanceof CloudRunCallError) throw error
    // Retries exhausted: report the last failure (or the deadline) with the number of attempts.
    const last = (error as {lastError?: unknown}).lastError ?? error
    const reduced = last instanceof CloudRunCallError ? last : new CloudRunCallError('transient', undefined, (last as Error).message)
    throw new CloudRunCallError('transient', reduced.status, reduced.detail, attempts)
  }
}

/** gRPC status codes the REST transport may also surface, mapped to their HTTP equivalents. */
const GRPC_TO_HTTP: Record<number, number> = {4: 504, 5: 404, 7: 403, 8: 429, 13: 500, 14: 503, 16: 401}

/**
 * Reduces any error thrown by the Google client to a {@link CloudRunCallError} (status, kind, message),
 * dropping everything else, so no header or token can reach the output.
 * @param error - what the client threw
 */
export function toCallError(error: unknown): CloudRunCallError {
  if (error instanceof CloudRunCallError) return error
  const e = (error ?? {}) as {code?: unknown; message?: unknown}
  const rawMessage = typeof e.message === 'string' ? e.message : String(error)
  const body = parseGoogleErrorBody(rawMessage)
  let status = typeof e.code === 'number' ? e.code : body?.code
  if (status !== undefined && status < 100) status = GRPC_TO_HTTP[status] ?? status
  const detail = redactTokens(body ? [body.status, body.message].filter(Boolean).join(': ') : rawMessage)
  if (status === undefined) {
    // No HTTP status: a network failure (refused, reset, DNS) or a credential refresh problem.
    if (/invalid_grant|invalid_rapt|reauth/i.test(rawMessage)) return new CloudRunCallError('unauthenticated', undefined, detail)
    // gaxios says "request to <url> failed, reason: <why>"; the why is what a user can act on.
    const reason = /failed, reason: (.+)$/s.exec(detail)?.[1]
    return new CloudRunCallError('transient', undefined, reason ? `cannot reach the Cloud Run API: ${reason}` : detail)
  }
  if (status === 401) return new CloudRunCallError('unauthenticated', status, detail)
  if (status === 403) {
    const disabled = body?.reasons.includes('SERVICE_DISABLED') || /has not been used in project|is disabled|API not enabled/i.test(detail)
    return new CloudRunCallError(disabled ? 'api-disabled' : 'permission-denied', status, detail)
  }
  if (status === 404) return new CloudRunCallError('not-found', status, detail)
  if (status === 408 || status === 429 || status >= 500) return new CloudRunCallError('transient', status, detail)
  return new CloudRunCallError('other', status, detail)
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

function parseEmulatorHost(value: string | undefined): {host: string; port: number} | undefined {
  if (!value) return undefined
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value.trim())
  if (!match) throw new UsageError(`CLOUD_RUN_EMULATOR_HOST must be host:port, got ${JSON.stringify(value)}`)
  return {host: match[1]!, port: Number(match[2])}
}
