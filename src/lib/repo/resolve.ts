import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {UsageError} from '../io/errors.js'
import {loadServiceFromSources, type LoadedService} from '../spec/load.js'
import {SpecSchema, type Environment} from '../spec/schema.js'
import {readServiceSources} from '../spec/sources.js'
import {closestMatch} from '../text/suggest.js'
import {isValidId} from './ids.js'
import {listServiceIds} from './services.js'
import {serviceSpecFile} from '../spec/layout.js'
import {readSpecCache, specCacheKey, writeSpecCache} from './spec-cache.js'
import {sliced} from '../io/cooperate.js'

export type IdKind = 'service' | 'environment'

function validList(kind: IdKind, valid: readonly string[], owner?: string, alternative?: string): string {
  const what = kind === 'service' ? 'valid services' : `valid environments of "${owner}"`
  return `${what}: ${valid.length > 0 ? valid.join(', ') : '(none)'}${alternative ? ` (${alternative})` : ''}`
}

/**
 * The one error for an id the user typed that does not exist: "did you mean" the closest valid id,
 * then every valid id. Every command resolves service and environment ids through this module.
 * @param kind - what the id names
 * @param input - the id as typed
 * @param valid - the ids that exist
 * @param owner - for an environment, the service it was looked up in
 */
export function unknownIdError(kind: IdKind, input: string, valid: readonly string[], owner?: string): UsageError {
  const close = closestMatch(input, valid)
  const message = kind === 'service' ? `unknown service "${input}"` : `unknown environment "${input}" of service "${owner}"`
  return new UsageError(message, {
    hint: `${close ? `did you mean "${close}"? ` : ''}${validList(kind, valid, owner)}`,
    details: {valid, ...(close ? {suggestion: close} : {})},
  })
}

/**
 * The one error for an id argument that was not given: the valid ids are the hint.
 * @param kind - what the id names
 * @param valid - the ids that exist
 * @param owner - for an environment, the service whose environments are listed
 * @param alternative - another way to call the command, e.g. "or --all for every service"
 */
export function missingIdError(kind: IdKind, valid: readonly string[], owner?: string, alternative?: string): UsageError {
  const message = kind === 'service' ? 'missing the service id' : `missing the environment id of service "${owner}"`
  return new UsageError(message, {hint: validList(kind, valid, owner, alternative), details: {valid}})
}

/**
 * Checks service ids typed by the user against the repo before anything is loaded.
 * @param root - the repo root
 * @param ids - the ids as typed
 */
export async function assertServicesExist(root: string, ids: readonly string[]): Promise<void> {
  const bad = ids.find((id) => !isValidId(id) || !existsSync(join(root, serviceSpecFile(id))))
  if (bad !== undefined) throw unknownIdError('service', bad, await listServiceIds(root))
}

/**
 * Loads one service of the repo by id: the id is validated before it reaches a path, an unknown id
 * fails with "did you mean" and the list of services (unknownIdError), and an invalid spec fails with every issue.
 * @param root - the repo root
 * @param id - the service id given by the user
 * @param cache - the spec cache (optional): a hit skips parsing; a miss loads and stores the result
 */
export async function resolveService(root: string, id: string, cache: {cacheDir?: string; fingerprint?: string} = {}): Promise<LoadedService> {
  await assertServicesExist(root, [id])
  // Reading, parsing and caching one spec is one unit of synchronous work: between two units a
  // signal can be taken, however many loads run at once (see cooperate.ts).
  const service = await sliced(() => loadThroughCache(root, id, cache))
  if (service === undefined) throw unknownIdError('service', id, await listServiceIds(root))
  return service
}

function loadThroughCache(root: string, id: string, cache: {cacheDir?: string; fingerprint?: string}): LoadedService | undefined {
  // One read: the cache key hashes and the loader parses the same texts.
  const sources = readServiceSources(root, id)
  if (sources === undefined) return undefined
  const key = cache.cacheDir && cache.fingerprint ? specCacheKey(id, sources, cache.fingerprint) : undefined
  if (key) {
    const hit = readSpecCache(cache.cacheDir!, key)
    // A hit is re-checked against the schema (idempotent on a validated spec): an entry of the right
    // key but the wrong shape is a miss, never a crash.
    if (hit && SpecSchema.safeParse(hit.spec).success) return hit
  }
  const service = loadServiceFromSources(id, sources)
  if (key) writeSpecCache(cache.cacheDir!, key, service)
  return service
}

/**
 * Finds an environment of a loaded service; an unknown id fails with "did you mean" and the list.
 * @param service - the loaded service
 * @param envId - the environment id given by the user
 */
export function resolveEnvironment(service: LoadedService, envId: string): Environment {
  const envs = service.spec.environments ?? []
  const env = envs.find((e) => e.id === envId)
  if (env) return env
  throw unknownIdError(
    'environment',
    envId,
    envs.map((e) => e.id),
    service.id,
  )
}

/**
 * The service named by an id argument: a missing id lists the services, an unknown one suggests.
 * @param root - the repo root
 * @param id - the argument, undefined when not given
 * @param load - how to load a service that exists (the command's caching loader)
 */
export async function requireService(root: string, id: string | undefined, load: (root: string, id: string) => Promise<LoadedService>): Promise<LoadedService> {
  if (id === undefined) throw missingIdError('service', await listServiceIds(root))
  await assertServicesExist(root, [id])
  return load(root, id)
}

/**
 * The environment named by an id argument of a loaded service, in the same format as services.
 * @param service - the loaded service
 * @param envId - the argument, undefined when not given
 */
export function requireEnvironment(service: LoadedService, envId: string | undefined): Environment {
  if (envId === undefined)
    throw missingIdError(
      'environment',
      (service.spec.environments ?? []).map((e) => e.id),
      service.id,
    )
  return resolveEnvironment(service, envId)
}
