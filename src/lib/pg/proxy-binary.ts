/**
 * Where `cloud-sql-proxy` comes from: `PATH`, else the user cache folder the original used
 * (`<user cache dir>/sourcegraph/bin/cloud-sql-proxy/<version>/cloud-sql-proxy`), else a download of the
 * pinned release for this platform, checked against the sha256 published in that release's notes.
 */
import {createHash} from 'node:crypto'
import {accessSync, constants, statSync} from 'node:fs'
import {chmod, readFile} from 'node:fs/promises'
import {delimiter, isAbsolute, join} from 'node:path'
import {writeFileAtomic} from '../io/atomic-file.js'
import {WriteTracker} from '../io/write-tracker.js'
import {UserError} from '../io/errors.js'
import {isSecureOrLoopback} from '../io/transport.js'
import type {Env} from '../io/output.js'

/** The release the original pinned (K `dev/sg/cloudsqlproxy/binary.go`). */
export const CLOUD_SQL_PROXY_VERSION = '2.8.1'

/** Base URL of the release binaries; `<base>/v<version>/<file>`. Overridable for tests and mirrors. */
export const PROXY_DOWNLOAD_URL_ENV = 'MSP_CLOUD_SQL_PROXY_DOWNLOAD_URL'
const DEFAULT_DOWNLOAD_URL = 'https://storage.googleapis.com/cloud-sql-connectors/cloud-sql-proxy'

/** The GitHub release whose notes publish the sha256 of every binary. Overridable for tests and mirrors. */
export const PROXY_RELEASE_URL_ENV = 'MSP_CLOUD_SQL_PROXY_RELEASE_URL'
const DEFAULT_RELEASE_URL = `https://api.github.com/repos/GoogleCloudPlatform/cloud-sql-proxy/releases/tags/v${CLOUD_SQL_PROXY_VERSION}`

const BINARY = 'cloud-sql-proxy'
/** Larger than any proxy build (about 30 MB), small enough to refuse a runaway response. */
const MAX_BINARY_BYTES = 200 * 1024 * 1024
const MAX_RELEASE_BYTES = 2 * 1024 * 1024
const DOWNLOAD_TIMEOUT_MS = 300_000

/**
 * Go's `os.UserCacheDir`, which decided where the original kept the proxy: `%LocalAppData%` on Windows,
 * `~/Library/Caches` on macOS, else an absolute `$XDG_CACHE_HOME` or `~/.cache`.
 * @param env - environment variables
 * @param platform - process.platform
 * @param home - the home directory
 */
export function userCacheDir(env: Env, platform: NodeJS.Platform, home: string): string {
  if (platform === 'win32' && env.LocalAppData) return env.LocalAppData
  if (platform === 'darwin') return join(home, 'Library', 'Caches')
  const xdg = env.XDG_CACHE_HOME
  return xdg && isAbsolute(xdg) ? xdg : join(home, '.cache')
}

/**
 * The original's install location of the pinned proxy.
 * @param cacheDir - from {@link userCacheDir}
 */
export function cachedProxyPath(cacheDir: string): string {
  return join(cacheDir, 'sourcegraph', 'bin', 'cloud-sql-proxy', CLOUD_SQL_PROXY_VERSION, BINARY)
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The proxy to run: the first executable `cloud-sql-proxy` on PATH, else the cached install; undefined when neither exists.
 * @param options - environment (PATH), platform and the cache path
 */
export function findProxy(options: {env: Env; platform: NodeJS.Platform; cachePath: string}): string | undefined {
  const names = options.platform === 'win32' ? [`${BINARY}.exe`, BINARY] : [BINARY]
  for (const dir of (options.env.PATH ?? '').split(delimiter)) {
    // Only absolute PATH entries: a relative one would run whatever the working directory holds.
    if (!dir || !isAbsolute(dir)) continue
    for (const name of names) if (isExecutableFile(join(dir, name))) return join(dir, name)
  }
  return isExecutableFile(options.cachePath) ? options.cachePath : undefined
}

/**
 * The release file for a platform: `cloud-sql-proxy.<goos>.<goarch>` (Windows: `cloud-sql-proxy.x64.exe`).
 * @param platform - process.platform
 * @param arch - process.arch
 */
export function proxyReleaseFile(platform: NodeJS.Platform, arch: string): string {
  const goarch = {x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm'}[arch]
  if (platform === 'win32' && (arch === 'x64' || arch === 'ia32')) return `${BINARY}.${arch === 'x64' ? 'x64' : 'x86'}.exe`
  if ((platform === 'linux' || platform === 'darwin') && goarch) return `${BINARY}.${platform}.${goarch}`
  throw new UserError(`no cloud-sql-proxy ${CLOUD_SQL_PROXY_VERSION} release for ${platform}/${arch}`, {
    hint: 'install cloud-sql-proxy yourself and put it on PATH: https://github.com/GoogleCloudPlatform/cloud-sql-proxy',
  })
}

/**
 * The sha256 the release notes publish for one file (their `| [<file>](<url>) | <sha256> |` table).
 * @param notes - the release body (Markdown)
 * @param file - the release file name
 */
export function publishedChecksum(notes: string, file: string): string | undefined {
  for (const line of notes.split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    const name = /^\[([^\]]+)\]/.exec(cells[1] ?? '')?.[1] ?? cells[1]
    if (name === file && /^[0-9a-f]{64}$/i.test(cells[2] ?? '')) return cells[2]!.toLowerCase()
  }
  return undefined
}

/**
 * Refuses a URL a download may not come from: only `https:`, or plain `http:` to a loopback address
 * (a local mirror or test server, reached only through the explicit override variables).
 */
function requireSecure(url: string, what: string): void {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UserError(`cannot download ${what}: ${JSON.stringify(url)} is not a URL`)
  }
  if (!isSecureOrLoopback(parsed))
    throw new UserError(`refusing to download ${what} from ${url}: only https: URLs are used`, {
      hint: `set ${PROXY_DOWNLOAD_URL_ENV} and ${PROXY_RELEASE_URL_ENV} to https: URLs (plain http is accepted only for a loopback address), or unset them`,
    })
}

async function fetchCapped(url: string, maxBytes: number, what: string, fetchImpl: typeof fetch): Promise<Buffer> {
  requireSecure(url, what)
  let response: Response
  try {
    response = await fetchImpl(url, {signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), headers: {'user-agent': 'msp-cli'}})
  } catch (error) {
    throw new UserError(`cannot download ${what} from ${url}: ${(error as Error).message}`, {hint: 'check your network connection and try again'})
  }
  // A redirect must not take the download to plain http either.
  if (response.url) requireSecure(response.url, what)
  if (!response.ok) throw new UserError(`cannot download ${what} from ${url}: HTTP ${response.status}`)
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > maxBytes) throw new UserError(`refusing to download ${what}: ${declared} bytes is more than ${maxBytes}`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body ?? []) {
    size += (chunk as Uint8Array).byteLength
    if (size > maxBytes) throw new UserError(`refusing to download ${what}: more than ${maxBytes} bytes`)
    chunks.push(Buffer.from(chunk as Uint8Array))
  }
  return Buffer.concat(chunks)
}

/**
 * Downloads the pinned proxy for this platform, verifies its sha256 against the release notes, and
 * installs it (mode 0755, atomically) at `dest`. Nothing is written when the checksum differs.
 * @param options - environment (URL overrides), platform, arch, destination and an optional fetch
 */
export async function downloadProxy(options: {
  env: Env
  platform: NodeJS.Platform
  arch: string
  dest: string
  fetch?: typeof fetch
  writes?: WriteTracker
}): Promise<{url: string; sha256: string}> {
  const fetchImpl = options.fetch ?? fetch
  const file = proxyReleaseFile(options.platform, options.arch)
  const base = (options.env[PROXY_DOWNLOAD_URL_ENV] || DEFAULT_DOWNLOAD_URL).replace(/\/+$/, '')
  const url = `${base}/v${CLOUD_SQL_PROXY_VERSION}/${file}`
  const releaseUrl = options.env[PROXY_RELEASE_URL_ENV] || DEFAULT_RELEASE_URL
  // Both addresses are checked before anything is fetched.
  requireSecure(url, 'cloud-sql-proxy')
  requireSecure(releaseUrl, 'the cloud-sql-proxy release notes')
  const release = await fetchCapped(releaseUrl, MAX_RELEASE_BYTES, 'the cloud-sql-proxy release notes', fetchImpl)
  let notes = ''
  try {
    notes = String((JSON.parse(release.toString('utf8')) as {body?: unknown}).body ?? '')
  } catch {
    throw new UserError(`the cloud-sql-proxy release notes at ${releaseUrl} are not JSON`)
  }
  const expected = publishedChecksum(notes, file)
  if (!expected)
    throw new UserError(`the cloud-sql-proxy ${CLOUD_SQL_PROXY_VERSION} release notes publish no sha256 for ${file}`, {hint: `release notes: ${releaseUrl}`})
  const binary = await fetchCapped(url, MAX_BINARY_BYTES, 'cloud-sql-proxy', fetchImpl)
  const actual = createHash('sha256').update(binary).digest('hex')
  if (actual !== expected) {
    throw new UserError(`checksum mismatch for ${url}: got sha256 ${actual}, the release publishes ${expected}`, {
      hint: 'nothing was installed; try again later, or install cloud-sql-proxy yourself and put it on PATH',
    })
  }
  const writes = options.writes ?? new WriteTracker()
  // The checksum first: a binary never sits in the cache without the record it is checked against.
  await writeFileAtomic(checksumPath(options.dest), `${actual}\n`, writes)
  await writeFileAtomic(options.dest, binary, writes)
  await chmod(options.dest, 0o755)
  return {url, sha256: actual}
}

/**
 * Where the sha256 of a cached proxy is recorded at install time.
 * @param binary - the cached binary
 */
export function checksumPath(binary: string): string {
  return `${binary}.sha256`
}

/**
 * Checks a cached proxy against the sha256 recorded when msp installed it (after the release's
 * published checksum matched), just before it runs: a binary changed or replaced since, or one
 * without a record, is refused.
 * @param binary - the cached binary
 */
export async function verifyCachedProxy(binary: string): Promise<void> {
  const hint = 'run again with --download to reinstall the pinned, checksum-verified release'
  let recorded: string
  try {
    recorded = (await readFile(checksumPath(binary), 'utf8')).trim()
  } catch {
    throw new UserError(`the cached cloud-sql-proxy at "${binary}" has no recorded checksum, so it is not run`, {hint})
  }
  const actual = createHash('sha256')
    .update(await readFile(binary))
    .digest('hex')
  if (!/^[0-9a-f]{64}$/.test(recorded) || actual !== recorded)
    throw new UserError(`the cached cloud-sql-proxy at "${binary}" changed since it was installed (sha256 ${actual}), so it is not run`, {hint})
}
