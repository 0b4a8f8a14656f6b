/**
 * Reading inside a folder that is not trusted to point elsewhere: a path is accepted only when its
 * real path (every symlink resolved) stays inside the real root. Symlinks that stay inside are fine
 * for reading; writes are stricter (see safe-folder.ts: no symlink at all).
 */
import {readdirSync, realpathSync} from 'node:fs'
import {isAbsolute, join, relative} from 'node:path'
import {UnsafePathError} from './errors.js'

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path)
  } catch {
    return undefined // Missing paths are reported by whoever reads them.
  }
}

/**
 * Refuses a path that resolves (through symlinks) outside the root.
 * @param root - the trusted folder (the repository root)
 * @param path - a path inside it (missing paths pass: their reader reports them)
 * @param what - what the root is, for the message
 */
export function assertContained(root: string, path: string, what = 'repository'): void {
  const realRoot = realOrUndefined(root)
  if (realRoot !== undefined) assertInside(realRoot, path, what)
}

/** {@link assertContained} for a root already resolved. */
function assertInside(realRoot: string, path: string, what: string): void {
  const realPath = realOrUndefined(path)
  if (realPath === undefined) return
  const rel = relative(realRoot, realPath)
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return
  throw new UnsafePathError(`${path} resolves to ${realPath}, outside the ${what} ${realRoot}`, {
    hint: `msp follows no symlink out of the ${what}; replace the link with the real file or folder`,
  })
}

/**
 * Refuses a service folder when it, `services/`, or any file msp reads from it (service.yaml,
 * README.md, `*.bigquerytable.json`) resolves outside the repository.
 * @param root - the repository root
 * @param id - a validated service id
 */
export function assertServiceContained(root: string, id: string): void {
  const realRoot = realOrUndefined(root)
  if (realRoot === undefined) return
  const services = join(root, 'services')
  const dir = join(services, id)
  assertInside(realRoot, services, 'repository')
  assertInside(realRoot, dir, 'repository')
  let entries
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch {
    return
  }
  for (const entry of entries) {
    const name = entry.name
    if (name !== 'service.yaml' && name !== 'README.md' && !name.endsWith('.bigquerytable.json')) continue
    // An entry that is no link lies where its folder does, which was just found inside: only a link
    // needs resolving (Node fills in the type with lstat where the file system does not report it).
    if (entry.isSymbolicLink()) assertInside(realRoot, join(dir, name), 'repository')
  }
}
