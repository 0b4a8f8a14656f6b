/** A small JSON:API client for the Terraform Cloud API v2: bearer token, retries, Retry-After. */
import {UserError} from '../io/errors.js'
import {DEFAULT_RETRY_POLICY, RetriesExhaustedError, withRetry, type RetryPolicy, type Sleep} from './retry.js'
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

/** The calls the sync planner makes; every write goes through {@link TfcClient.write}. */
export interface TfcClient {
  /** GET a document; undefined on 404. */
  get(path: string): Promise<JsonApiDocument | undefined>
  /** POST, PATCH or DELETE; returns the response document (undefined for 204). */
  write(method: Exclude<HttpMethod, 'GET'>, path: string, body?: unknown): Promise<JsonApiDocument | undefined>
}

export interface TfcClientOptions {
  connection: TfcConnection
  fetch?: typeof globalThis.fetch
  policy?: RetryPolicy
  sleep?: Sleep
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
 * Creates a TFC client. 429 is retried on every method after Retry-After (bounded); 5xx and network
 * failures only on GET, PATCH and DELETE (a failed POST may still have created something).
 * @param options - address and token, plus fetch, retry policy and sleep for tests
 */
export function createTfcClient(options: TfcClientOptions): TfcClient {
  const {connection, fetch = globalThis.fetch, policy = DEFAULT_RETRY_POLICY, sleep} = options
  async function request(method: HttpMethod, path: string, body?: unknown): Promise<{status: number; doc?: JsonApiDocument}> {
    const idempotent = method !== 'POST'
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
          const text = await response.text()
          if (response.status === 429 || (response.status >= 500 && idempotent)) {
            throw new RetryableStatus(response.status, errorDetail(text), retryAfterMs(response.headers.get('retry-after')))
          }
          if (response.status === 404 && method === 'GET') return {status: 404}
          if (!response.ok) throw apiError(method, path, response.status, text, connection)
          return {status: response.status, doc: text ? (JSON.parse(text) as JsonApiDocument) : undefined}
        },
        {
          policy,
          sleep,
          classify: (error) => {
            if (error instanceof RetryableStatus) return {retry: true, delayMs: error.retryAfterMs}
            if (error instanceof UserError) return {retry: false}
            // fetch rejects with TypeError on network failures; safe to repeat only when idempotent.
            return {retry: idempotent && error instanceof TypeError}
          },
        },
      )
    } catch (error) {
      if (error instanceof RetriesExhaustedError) {
        const last = error.lastError
        // fetch's TypeError says only "fetch failed"; the reason (ECONNREFUSED, DNS…) is its cause.
        const what = last instanceof TypeError ? `cannot reach ${connection.address}: ${networkReason(last)}` : (last as Error).message
        throw new UserError(`Terraform Cloud API ${method} ${path} failed after ${error.attempts} attempts: ${what}`, {
          hint:
            last instanceof TypeError
              ? `check the network and TFE_ADDRESS (now ${connection.address})`
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
  return {
    get: async (path) => (await request('GET', path)).doc,
    write: async (method, path, body) => (await request(method, path, body)).doc,
  }
}

function apiError(method: string, path: string, status: number, text: string, connection: TfcConnection): TfcApiError {
  const detail = typeof text === 'string' && text.startsWith('{') ? errorDetail(text) : text
  if (status === 401) {
    return new TfcApiError(method, path, status, 'unauthorized', `the token from ${connection.tokenSource} was rejected: run \`terraform login\` or set TFE_TOKEN to a valid token`)
  }
  if (status === 403 || (status === 404 && method !== 'GET')) {
    return new TfcApiError(method, path, status, detail, 'the token may lack permission in the organization: request the MSP operator role through Entitle (see `msp tfc view`)')
  }
  return new TfcApiError(method, path, status, detail)
}

/** The first JSON:API error as "title: detail" (TFC never echoes the Authorization header in bodies). */
function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as {errors?: ({title?: string; detail?: string; status?: string} | string)[]}
    const first = parsed.errors?.[0]
    if (!first) return ''
    if (typeof first === 'string') return first
    return [first.title, first.detail].filter(Boolean).join(': ')
  } catch {
    return ''
  }
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
