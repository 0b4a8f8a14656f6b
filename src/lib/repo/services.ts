import {existsSync, readdir, type Dirent} from 'node:fs'
import {join} from 'node:path'
import {assertContained} from '../io/contained.js'
import {UserError, type SpecIssue} from '../io/errors.js'
import {terminalSafe} from '../io/terminal.js'
import {serviceSpecFile} from '../spec/layout.js'
import {isValidId} from './ids.js'

/** What a walk of `services/` found: the usable service ids, and a warning for every other folder. */
export interface ServiceFolders {
  /** Direct children `services/<id>/service.yaml` with valid ids, sorted. */
  ids: string[]
  /** One per folder msp cannot use (a name that is not an id, no service.yaml), naming the rule. */
  issues: SpecIssue[]
}

/**
 * Walks `services/`: the usable service ids, plus an issue for every folder that is not one —
 * reported, never skipped silently, by every command that walks the repository.
 * @param root - the repo root
 * @param severity - 'error' for `msp validate` (the CI check), 'warning' elsewhere
 */
export async function scanServiceFolders(root: string, severity: 'error' | 'warning' = 'warning'): Promise<ServiceFolders> {
  let entries
  // A services/ folder that is a symlink out of the repository is refused by every command alike.
  assertContained(root, join(root, 'services'))
  try {
    // fs's callback form: node:fs/promises would load some twenty of Node's modules into the fast path.
    entries = await new Promise<Dirent[]>((resolve, reject) =>
      readdir(join(root, 'services'), {withFileTypes: true}, (error, found) => (error ? reject(error) : resolve(found))),
    )
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {ids: [], issues: []}
    throw error
  }
  const ids: string[] = []
  const issues: SpecIssue[] = []
  const report = (name: string, message: string) => issues.push({file: `services/${terminalSafe(name)}`, line: 1, column: 1, path: '', message, severity})
  for (const e of entries) {
    if (!e.isDirectory() && !e.isSymbolicLink()) continue
    if (!isValidId(e.name)) {
      report(e.name, `folder ${JSON.stringify(e.name)} is not a valid service id (lowercase letters, digits and hyphens, at most 63 characters); it is skipped`)
    } else if (!existsSync(join(root, serviceSpecFile(e.name)))) {
      report(e.name, 'folder has no service.yaml; it is skipped')
    } else {
      ids.push(e.name)
    }
  }
  ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  issues.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return {ids, issues}
}

/**
 * Lists the services of a repo: direct children `services/<id>/service.yaml`, sorted by id (see
 * {@link scanServiceFolders} for the folders that are not services).
 * @param root - the repo root
 */
export async function listServiceIds(root: string): Promise<string[]> {
  return (await scanServiceFolders(root)).ids
}

/**
 * {@link scanServiceFolders} for a command that acts on every service (validate, fleet, handbook,
 * migrate --all, generate --all, tfc sync): a repository of zero services is an error naming the root,
 * never an empty success — a wrong path must not pass a CI gate or empty the handbook.
 * @param root - the repo root
 * @param severity - as for scanServiceFolders
 */
export async function requireServiceFolders(root: string, severity: 'error' | 'warning' = 'warning'): Promise<ServiceFolders> {
  const folders = await scanServiceFolders(root, severity)
  if (folders.ids.length > 0) return folders
  const skipped = folders.issues.map((i) => `${i.file}: ${i.message}`)
  throw new UserError(`no services found in ${root}: expected at least one services/<id>/service.yaml`, {
    hint:
      skipped.length > 0
        ? `no folder under services/ is a service: ${skipped.slice(0, 3).join('; ')}${skipped.length > 3 ? `; and ${skipped.length - 3} more` : ''}`
        : 'check --repo (or MSP_REPO_ROOT): it must name the root of the managed-services checkout',
  })
}

/**
 * The service ids of a repository for a command that acts on every service; see {@link requireServiceFolders}.
 * @param root - the repo root
 */
export async function requireServiceIds(root: string): Promise<string[]> {
  return (await requireServiceFolders(root)).ids
}
