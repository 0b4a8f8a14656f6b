/** GitHub links: the managed-services repository, a service's files in it, a service's source tree. */
import {serviceFolder} from '../spec/layout.js'

const MANAGED_SERVICES_REPO = 'https://github.com/sourcegraph/managed-services'

/** A file of a service in the managed-services repo on GitHub (`service.yaml`, `README.md`, table schemas). */
export function buildServiceFileUrl(serviceId: string, file: string): string {
  return `${MANAGED_SERVICES_REPO}/blob/main/${serviceFolder(serviceId)}/${file}`
}

/** The managed-services repo at a revision, or the repo itself. */
export function buildManagedServicesUrl(revision?: string): string {
  return revision ? `${MANAGED_SERVICES_REPO}/tree/${revision}` : MANAGED_SERVICES_REPO
}

/**
 * The source tree of a service: `https://<repo>/tree/HEAD/<clean dir>` (Go `path.Clean` of the dir).
 * @param repo - `build.source.repo`, e.g. `github.com/sourcegraph/foo`
 * @param dir - `build.source.dir`, e.g. `cmd/` or `.`
 */
export function buildSourceCodeUrl(repo: string, dir: string): string {
  return `https://${repo}/tree/HEAD/${cleanPath(dir)}`
}

/** Go's `path.Clean`: collapse slashes, drop `.` segments and resolve `..`; empty becomes `.`. */
export function cleanPath(p: string): string {
  if (p === '') return '.'
  const rooted = p.startsWith('/')
  const out: string[] = []
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop()
      else if (!rooted) out.push('..')
      continue
    }
    out.push(seg)
  }
  const joined = out.join('/')
  if (rooted) return `/${joined}`
  return joined === '' ? '.' : joined
}
