import {realpathSync} from 'node:fs'
import {relative, isAbsolute} from 'node:path'
import {UserError} from '../io/errors.js'

/**
 * Refuses a path that resolves (through symlinks) outside the repo root, so a symlinked service
 * folder can neither feed msp a spec from elsewhere nor make it write outside the repository.
 * A path that does not exist yet is checked through its nearest existing parent by the caller.
 * @param root - the repo root
 * @param path - an existing path inside it
 */
export function assertInsideRepo(root: string, path: string): void {
  let realRoot: string
  let realPath: string
  try {
    realRoot = realpathSync(root)
    realPath = realpathSync(path)
  } catch {
    return // Missing paths are reported by whoever reads them.
  }
  const rel = relative(realRoot, realPath)
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return
  throw new UserError(`${path} resolves to ${realPath}, outside the repository ${realRoot}`, {
    hint: 'msp follows no symlink out of the service-definitions repository; replace the link with the real folder',
  })
}
