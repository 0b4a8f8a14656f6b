/**
 * Resolving a subscribed image tag to `<tag>@<digest>` through the OCI distribution API, as the
 * original's `-stable=false` does for `deploy.type: subscription`: `HEAD /v2/<name>/manifests/<tag>`
 * and the `Docker-Content-Digest` response header. Google registries (`*.gcr.io`, `gcr.io`,
 * `*-docker.pkg.dev`) get an Application Default Credentials token (google-auth-library from
 * google-gax, imported lazily); other registries are asked anonymously, following a Bearer token
 * challenge once. `MSP_REGISTRY_ENDPOINT=http://host:port` sends every call to that server over
 * plain HTTP without credentials (how tests reach a fake registry).
 */
import {UserError} from '../io/errors.js'
import type {Env} from '../io/output.js'
import {readCappedBody} from '../io/http-body.js'
import {parseBoundedJson} from '../io/read-text.js'

/** The variable that redirects every registry call to a local server. */
export const REGISTRY_ENDPOINT_ENV = 'MSP_REGISTRY_ENDPOINT'

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ')

// Distribution spec grammar: repository path components and tags.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[\w][\w.-]{0,127}$/
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$/
const DIGEST = /^sha256:[0-9a-f]{64}$/

/** An image reference split into its registry host and repository name. */
export interface ImageName {
  host: string
  repository: string
}

/**
 * Splits `build.image` (no tag) into registry host and repository, Docker's way: a first component
 * with a `.` or `:` (or `localhost`) is a host; otherwise Docker Hub, with `library/` for one-part names.
 * @param image - the image repository, e.g. `us.gcr.io/sourcegraph-dev/msp-example`
 */
export function parseImageName(image: string): ImageName {
  const parts = image.split('/')
  let host = 'registry-1.docker.io'
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) host = parts.shift()!
  if (host === 'index.docker.io' || host === 'docker.io') host = 'registry-1.docker.io'
  if (host === 'registry-1.docker.io' && parts.length === 1) parts.unshift('library')
  if (!HOST.test(host) || parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) {
    throw new UserError(`invalid image "${image}"`, {hint: 'build.image must be a registry repository such as us.gcr.io/<project>/<name>, without a tag'})
  }
  return {host, repository: parts.join('/')}
}

/** Whether the registry host is Google's (Container Registry or Artifact Registry), which takes ADC tokens. */
export function isGoogleRegistry(host: string): boolean {
  return host === 'gcr.io' || host.endsWith('.gcr.io') || host.endsWith('-docker.pkg.dev')
}

/** Larger registry token answers are refused while they stream in: a real one is a few kilobytes. */
export const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024

/** A fetch-like function; tests and the default use the global `fetch`. */
export type Fetch = (url: string, init: {method: string; headers: Record<string, string>; signal?: AbortSignal}) => Promise<Response>

export interface ResolveOptions {
  env: Env
  fetch?: Fetch
  /** An ADC access token for Google registries; the default asks google-auth-library. */
  googleToken?: () => Promise<string>
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number
}

function endpointOverride(env: Env): string | undefined {
  const value = env[REGISTRY_ENDPOINT_ENV]
  if (value === undefined || value === '') return undefined
  if (!/^http:\/\/[A-Za-z0-9.-]+:\d{1,5}$/.test(value)) {
    throw new UserError(`invalid ${REGISTRY_ENDPOINT_ENV} "${value}"`, {hint: 'expected http://<host>:<port> (plain HTTP, for a local registry)'})
  }
  return value
}

async function adcToken(): Promise<string> {
  const gax = await import('google-gax')
  const auth = new gax.googleAuthLibrary.GoogleAuth({scopes: ['https://www.googleapis.com/auth/cloud-platform']})
  try {
    const token = await auth.getAccessToken()
    if (!token) throw new Error('no access token')
    return token
  } catch {
    throw new UserError('no Google Cloud credentials to read the image registry (Application Default Credentials)', {
      hint: 'log in with `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS',
    })
  }
}

/** Parses `Bearer realm="…",service="…",scope="…"`. */
function bearerChallenge(header: string | null): Record<string, string> | undefined {
  if (!header || !/^Bearer\s/i.test(header)) return undefined
  const out: Record<string, string> = {}
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!
  return out.realm ? out : undefined
}

/**
 * Resolves `tag` of `image` to `<tag>@sha256:<hex>`.
 * @param image - `build.image` (no tag)
 * @param tag - the subscribed tag
 * @param options - environment (for the endpoint override), injectable fetch and token source
 */
export async function resolveImageTag(image: string, tag: string, options: ResolveOptions): Promise<string> {
  if (!TAG.test(tag)) throw new UserError(`invalid subscription tag "${tag}" for image "${image}"`)
  const name = parseImageName(image)
  const override = endpointOverride(options.env)
  const base = override ?? `https://${name.host}`
  const url = `${base}/v2/${name.repository}/manifests/${encodeURIComponent(tag)}`
  const fetch = options.fetch ?? (globalThis.fetch as Fetch)
  const timeoutMs = options.timeoutMs ?? 30_000
  const request = async (headers: Record<string, string>, target = url, method = 'HEAD') => {
    try {
      return await fetch(target, {method, headers, signal: AbortSignal.timeout(timeoutMs)})
    } catch (error) {
      throw new UserError(`cannot reach the registry of ${image} (${override ?? name.host}): ${(error as Error).message}`)
    }
  }
  const headers: Record<string, string> = {Accept: MANIFEST_TYPES}
  if (!override && isGoogleRegistry(name.host)) headers.Authorization = `Bearer ${await (options.googleToken ?? adcToken)()}`
  let response = await request(headers)
  const challenge = response.status === 401 && !override && !headers.Authorization ? bearerChallenge(response.headers.get('www-authenticate')) : undefined
  if (challenge) {
    // Anonymous pull token (Docker Hub and other public registries).
    const tokenUrl = new URL(challenge.realm!)
    if (tokenUrl.protocol !== 'https:') throw new UserError(`registry of ${image} asked for a token over ${tokenUrl.protocol}`)
    if (challenge.service) tokenUrl.searchParams.set('service', challenge.service)
    tokenUrl.searchParams.set('scope', challenge.scope ?? `repository:${name.repository}:pull`)
    const tokenResponse = await request({Accept: 'application/json'}, tokenUrl.toString(), 'GET')
    // A token answer is a few kilobytes; its body is capped while it streams (after decompression).
    const raw = await readCappedBody(tokenResponse, MAX_TOKEN_RESPONSE_BYTES, `the registry token endpoint of ${image} (${tokenUrl.host})`)
    let body: {token?: unknown; access_token?: unknown} = {}
    try {
      body = (parseBoundedJson(raw, 'registry token answer') ?? {}) as typeof body
    } catch {
      body = {}
    }
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined
    if (tokenResponse.ok && token) response = await request({...headers, Authorization: `Bearer ${token}`})
  }
  if (response.status === 404) throw new UserError(`image ${image}:${tag} not found in its registry`, {hint: 'check deploy.subscription.tag and build.image'})
  if (response.status === 401 || response.status === 403) {
    throw new UserError(`not allowed to read ${image}:${tag} (HTTP ${response.status})`, {
      hint: isGoogleRegistry(name.host)
        ? 'your Application Default Credentials need read access to the registry'
        : 'the registry requires credentials msp does not have',
    })
  }
  if (!response.ok) throw new UserError(`registry answered HTTP ${response.status} for ${image}:${tag}`)
  const digest = response.headers.get('docker-content-digest')
  if (!digest || !DIGEST.test(digest)) throw new UserError(`registry gave no usable Docker-Content-Digest for ${image}:${tag}`)
  return `${tag}@${digest}`
}
