import {existsSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {assertContained} from '../io/contained.js'
import {isValidId} from './ids.js'

/** Repo-relative path of a service's spec file (the id must already be validated). */
export function specPath(id: string): string {
  return `services/${id}/service.yaml`
}

/**
 * Lists the services of a repo: direct children `services/<id>/service.yaml`, sorted by id.
 * Directories whose names are not valid ids are skipped (they could not be addressed safely).
 * @param root - the repo root
 */
export async function listServiceIds(root: string): Promise<string[]> {
  let entries
  // A services/ folder that is a symlink out of the repository is refused by every command alike.
  assertContained(root, join(root, 'services'))
  try {
    entries = await readdir(join(root, 'services'), {withFileTypes: true})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return entries
    .filter((e) => e.isDirectory() && isValidId(e.name) && existsSync(join(root, specPath(e.name))))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}
