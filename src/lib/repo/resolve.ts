import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {UserError} from '../io/errors.js'
import {loadServiceFromSources, type LoadedService} from '../spec/load.js'
import {SpecSchema, type Environment} from '../spec/schema.js'
import {readServiceSources} from '../spec/sources.js'
import {closestMatch} from '../text/suggest.js'
import {isValidId} from './ids.js'
import {listServiceIds} from './services.js'
import {serviceSpecFile} from '../spec/layout.js'
import {readSpecCache, specCacheKey, writeSpecCache} from './spec-cache.js'

function didYouMean(input: string, candidates: readonly string[]): string {
  const close = closestMatch(input, candidates)
  return close ? `did you mean "${close}"? ` : ''
}

/**
 * Loads one service of the repo by id: the id is validated before it reaches a path, an unknown id
 * fails with "did you mean" and the list of services, and an invalid spec fails with every issue.
 * @param root - the repo root
 * @param id - the service id given by the user
 * @param cache - the spec cache (optional): a hit skips parsing; a miss loads and stores the result
 */
export async function resolveService(root: string, id: string, cache: {cacheDir?: string; fingerprint?: string} = {}): Promise<LoadedService> {
  if (!isValidId(id) || !existsSync(join(root, serviceSpecFile(id)))) {
    const ids = await listServiceIds(root)
    throw new UserError(`service "${id}" does not exist`, {
      hint: ids.length > 0 ? `${didYouMean(id, ids)}available services: ${ids.join(', ')}` : `no services found under ${join(root, 'services')}`,
    })
  }
  // One read: the cache key hashes and the loader parses the same texts.
  const sources = readServiceSources(root, id)
  if (sources === undefined) throw new UserError(`service "${id}" does not exist`)
  const key = cache.cacheDir && cache.fingerprint ? specCacheKey(id, sources, cache.fingerprint) : undefined
  if (key) {
    const hit = readSpecCache(cache.cacheDir!, key)
    // A hit is re-checked against the schema (idempotent on a validated spec): an entry of the right
    // key but the wrong shape is a miss, never a crash (issue 15).
    if (hit && SpecSchema.safeParse(hit.spec).success) return hit
  }
  const service = loadServiceFromSources(id, sources)
  if (key) await writeSpecCache(cache.cacheDir!, key, service)
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
  const ids = envs.map((e) => e.id)
  throw new UserError(`environment "${envId}" not found in the "${service.id}" service spec`, {
    hint: `${didYouMean(envId, ids)}available environments: ${ids.join(', ') || '(none)'}`,
  })
}
