/**
 * The start-up fast path of the console shortcuts (`logs`, `tfc view`, `open … <target>`, `--version`).
 *
 * These run dozens of times a day from shells and scripts, and importing oclif, zod and the YAML
 * parser costs more than Node's own start-up. So bin/run.js first offers the argv to this module,
 * which imports only Node built-ins and the pure link builders. It answers only the plain happy path
 * — an argv it fully understands and a spec found valid in the spec cache (see spec-cache.ts) — and
 * declines everything else (help, unknown flags, --json, errors, a cache miss) by returning false,
 * so oclif runs the command in full and stays the single source of every message and error.
 */
import {homedir} from 'node:os'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {systemBrowser} from '../lib/io/browser.js'
import {deliverUrl} from '../lib/io/deliver-url.js'
import {formatSpecIssue} from '../lib/io/errors.js'
import {createOutput} from '../lib/io/output.js'
import {environmentLinks} from '../lib/links/environment.js'
import {buildLogsUrl} from '../lib/links/gcp.js'
import {buildTfcWorkspacesUrl} from '../lib/links/tfc.js'
import {isValidId} from '../lib/repo/ids.js'
import {assertInsideRepo} from '../lib/repo/inside.js'
import {resolveRepoRoot} from '../lib/repo/root.js'
import {readSpecCache, specCacheDir, specCacheKey, type CachedService} from '../lib/repo/spec-cache.js'
import {buildFingerprint} from './build-info.js'

interface Parsed {
  positionals: string[]
  open: boolean
  repo?: string
}

/** Parses the few flags the shortcuts share; undefined for anything else (oclif then handles it). */
function parseArgv(argv: readonly string[], allowComponent: boolean): Parsed | undefined {
  const parsed: Parsed = {positionals: [], open: true}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--no-open') parsed.open = false
    else if (a === '--open') parsed.open = true
    else if (a === '--repo' && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) parsed.repo = argv[++i]
    else if (a.startsWith('--repo=') && a.length > 7) parsed.repo = a.slice(7)
    else if (allowComponent && (a === '-c' || a === '--component') && argv[i + 1] === 'service') i++
    else if (allowComponent && a === '--component=service') continue
    else if (a.startsWith('-')) return undefined
    else parsed.positionals.push(a)
  }
  return parsed
}

function cachedService(repoFlag: string | undefined, id: string): CachedService | undefined {
  if (!isValidId(id)) return undefined
  const dir = specCacheDir(process.env, homedir())
  if (!dir) return undefined
  let root: string
  try {
    root = resolveRepoRoot({cwd: process.cwd(), flag: repoFlag, env: process.env}).dir
  } catch {
    return undefined
  }
  try {
    // The cache is content-addressed, so a hit must not bypass the symlink guard of the full path.
    assertInsideRepo(root, join(root, 'services', id))
  } catch {
    return undefined
  }
  const key = specCacheKey(root, id, buildFingerprint())
  return key ? readSpecCache(dir, key) : undefined
}

/** The URL (and ids) the argv asks for, or undefined to decline. */
function resolveUrl(argv: readonly string[]): {url: string; meta: Record<string, string>; parsed: Parsed; warnings: CachedService['warnings']} | undefined {
  const [command, ...rest] = argv
  if (command === 'logs') {
    const parsed = parseArgv(rest, true)
    if (parsed?.positionals.length !== 2) return undefined
    const [svc, envId] = parsed.positionals as [string, string]
    const service = cachedService(parsed.repo, svc)
    const env = service?.spec.environments.find((e) => e.id === envId)
    if (!service || !env) return undefined
    const url = buildLogsUrl({projectId: env.projectID, kind: service.spec.service.kind === 'job' ? 'job' : 'service'})
    return {url, meta: {service: service.id, environment: env.id}, parsed, warnings: service.warnings}
  }
  if (command === 'tfc' && rest[0] === 'view') {
    const parsed = parseArgv(rest.slice(1), false)
    if (!parsed || parsed.positionals.length > 2) return undefined
    const [svc, envId] = parsed.positionals
    if (svc === undefined) return {url: buildTfcWorkspacesUrl(), meta: {}, parsed, warnings: []}
    const service = cachedService(parsed.repo, svc)
    if (!service) return undefined
    if (envId === undefined) return {url: buildTfcWorkspacesUrl({serviceId: service.id}), meta: {service: service.id}, parsed, warnings: service.warnings}
    const env = service.spec.environments.find((e) => e.id === envId)
    if (!env) return undefined
    return {url: buildTfcWorkspacesUrl({serviceId: service.id, envId: env.id}), meta: {service: service.id, environment: env.id}, parsed, warnings: service.warnings}
  }
  if (command === 'open') {
    const parsed = parseArgv(rest, false)
    if (parsed?.positionals.length !== 3) return undefined
    const [svc, envId, target] = parsed.positionals as [string, string, string]
    const service = cachedService(parsed.repo, svc)
    const env = service?.spec.environments.find((e) => e.id === envId)
    if (!service || !env) return undefined
    const link = environmentLinks(service.spec, env).find((l) => l.target === target)
    if (!link) return undefined
    return {url: link.url, meta: {service: service.id, environment: env.id, target}, parsed, warnings: service.warnings}
  }
  return undefined
}

/**
 * Runs the argv if it is a plain console shortcut with a cached spec; returns false to let oclif run it.
 * @param argv - process.argv without node and the script
 */
export async function runFastPath(argv: readonly string[]): Promise<boolean> {
  if (argv.length === 1 && argv[0] === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {name: string; version: string}
    process.stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    return true
  }
  let resolved: ReturnType<typeof resolveUrl>
  try {
    resolved = resolveUrl(argv)
  } catch {
    return false // A cache entry msp cannot use: the full path reports whatever is wrong.
  }
  if (!resolved) return false
  const out = createOutput(process.stdout, process.stderr, process.env)
  for (const w of resolved.warnings) out.warn(formatSpecIssue(w))
  await deliverUrl({
    url: resolved.url,
    meta: resolved.meta,
    out,
    browser: () => systemBrowser(process.env),
    open: resolved.parsed.open,
    json: false,
    env: process.env,
    platform: process.platform,
  })
  return true
}
