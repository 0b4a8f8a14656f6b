/**
 * A content-addressed cache of validated specs, so the console shortcuts (`logs`, `tfc view`, `open`)
 * can answer without loading the YAML parser, zod and oclif on every run, and bulk commands
 * (`generate --all`, `handbook`) re-parse only the specs that changed since the last run.
 *
 * The key hashes everything a load depends on: service.yaml, README.md and every
 * `*.bigquerytable.json` of the service folder, plus a fingerprint of the msp build (package version
 * and the compiled spec loader). A changed file or a new msp build is a miss; a miss simply takes the
 * full path, which validates and refreshes the entry. Only successfully validated specs are cached.
 */
import {join} from 'node:path'
import {privateCacheDir, writeCacheFile} from '../io/cache-file.js'
import {parseBoundedJson, readBoundedTextSync} from '../io/read-text.js'
import {sha256Hex} from '../io/sha256.js'
import {ID_PATTERN, PROJECT_ID_PATTERN} from '../spec/layout.js'
import type {Env} from '../io/output.js'
import type {LoadedService} from '../spec/load.js'
import type {ServiceSources} from '../spec/sources.js'
import {isValidId} from './ids.js'

/** Bump when the shape of a cache entry changes. */
const ENTRY_VERSION = 3

/** An entry holds a spec (≤ 1 Mi characters), its README and table schemas (each bounded alike). */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024
/** A spec nests at most 64 levels; an entry wraps it in a few more. */
const MAX_ENTRY_NESTING = 80

/**
 * The cache directory: MSP_CACHE_DIR, else $XDG_CACHE_HOME/msp/specs, else ~/.cache/msp/specs;
 * undefined when MSP_NO_CACHE is set (or no home directory is known).
 * @param env - the environment
 * @param home - the user's home directory
 */
export function specCacheDir(env: Env, home: string | undefined): string | undefined {
  if (env.MSP_NO_CACHE) return undefined
  if (env.MSP_CACHE_DIR) return env.MSP_CACHE_DIR
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'msp', 'specs')
  return home ? join(home, '.cache', 'msp', 'specs') : undefined
}

/**
 * The cache key of a service: a hash of the sources a load parses (read once, by
 * spec/sources.ts readServiceSources) and the build fingerprint.
 * @param id - a validated service id
 * @param sources - the service's files, the very texts the loader parses on a miss
 * @param fingerprint - identifies the msp build (see buildFingerprint)
 */
export function specCacheKey(id: string, sources: ServiceSources, fingerprint: string): string {
  const parts = [`${ENTRY_VERSION}\0${fingerprint}\0${id}\0`, sources.spec]
  if (sources.readme !== undefined) parts.push('\0README.md\0', sources.readme)
  for (const table of Object.keys(sources.tables).sort()) parts.push(`\0${table}.bigquerytable.json\0`, sources.tables[table]!)
  return sha256Hex(parts)
}

/** A cache entry holds the whole loaded service (spec, README body, table schemas, warnings). */
export type CachedService = LoadedService

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * A cheap structural check of a cache entry (no zod here: the fast path must stay light): the fields
 * every reader touches have the right types. The full path also re-validates the spec (resolve.ts).
 * @param value - the parsed entry's `service`
 */
export function hasServiceShape(value: unknown): value is CachedService {
  if (!isObject(value) || typeof value.id !== 'string' || !isValidId(value.id) || typeof value.file !== 'string') return false
  if (value.readme !== undefined && typeof value.readme !== 'string') return false
  if (!isObject(value.bigQuerySchemas) || !Object.values(value.bigQuerySchemas).every((v) => typeof v === 'string')) return false
  const warningOk = (w: unknown) =>
    isObject(w) &&
    typeof w.file === 'string' &&
    typeof w.line === 'number' &&
    typeof w.column === 'number' &&
    typeof w.path === 'string' &&
    typeof w.message === 'string'
  if (!Array.isArray(value.warnings) || !value.warnings.every(warningOk)) return false
  const spec = value.spec
  if (!isObject(spec) || !isObject(spec.service) || spec.service.id !== value.id || !Array.isArray(spec.environments)) return false
  // The values the fast path puts into URLs and terminals have the loader's own shape: an entry
  // that does not is a miss, whoever wrote it.
  if (spec.service.kind !== undefined && spec.service.kind !== 'service' && spec.service.kind !== 'job') return false
  return spec.environments.every(
    (e) =>
      isObject(e) &&
      typeof e.id === 'string' &&
      ID_PATTERN.test(e.id) &&
      typeof e.projectID === 'string' &&
      PROJECT_ID_PATTERN.test(e.projectID) &&
      (e.category === 'test' || e.category === 'internal' || e.category === 'external'),
  )
}

/**
 * Reads a cache entry; undefined on a miss or an unreadable, foreign or malformed entry.
 * @param dir - the cache directory
 * @param key - from specCacheKey
 */
export function readSpecCache(dir: string, key: string): CachedService | undefined {
  if (!privateCacheDir(dir)) return undefined
  try {
    // The one bounded reader: a regular file, size-capped, nesting checked before parsing.
    const text = readBoundedTextSync(join(dir, `${key}.json`), MAX_ENTRY_BYTES)
    if (text === undefined) return undefined
    const entry = parseBoundedJson(text, 'spec cache entry', MAX_ENTRY_NESTING) as {key?: string; service?: CachedService}
    if (entry.key !== key || !hasServiceShape(entry.service)) return undefined
    return entry.service
  } catch {
    return undefined
  }
}

/**
 * Stores a validated service (atomically). Failures are ignored: the cache is an optimisation, and a
 * read-only home directory must not break a command.
 * @param dir - the cache directory
 * @param key - from specCacheKey
 * @param service - the loaded, validated service
 */
export async function writeSpecCache(dir: string, key: string, service: LoadedService): Promise<void> {
  // No fsync (see writeCacheFile): a thousand fsyncs would dominate a cold bulk run.
  if (privateCacheDir(dir)) writeCacheFile(join(dir, `${key}.json`), JSON.stringify({key, service}))
}
