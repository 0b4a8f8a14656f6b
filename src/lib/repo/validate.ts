import type {Edition} from '../edition/editions.js'
import {UserError} from '../io/errors.js'
import {validateServices, type ValidationReport} from '../spec/load.js'
import {isValidId} from './ids.js'
import {scanServiceFolders} from './services.js'

/** A validation report, plus the folders under services/ that are not services (errors in validate). */
export interface RepositoryValidation extends ValidationReport {
  /** One error per unusable folder under services/ (all of them only when every service is checked). */
  folders: ValidationReport['issues']
}

/**
 * Validates every service of the repo, or the named ones (each must exist), for `msp validate`.
 * @param root - the repo root
 * @param only - service ids to check; all when empty
 * @param edition - the edition whose spec keys apply
 */
export async function validateRepository(root: string, only: readonly string[], edition: Edition): Promise<RepositoryValidation> {
  const {ids: all, issues: folders} = await scanServiceFolders(root, 'error')
  const unknown = only.filter((id) => !isValidId(id) || !all.includes(id))
  if (unknown.length > 0) {
    throw new UserError(`unknown service${unknown.length > 1 ? 's' : ''}: ${unknown.map((id) => `"${id}"`).join(', ')}`, {
      hint: `available services: ${all.join(', ') || '(none)'}`,
    })
  }
  const report = await validateServices(root, only.length > 0 ? [...new Set(only)].sort() : all, edition)
  if (only.length > 0) return {...report, folders: []}
  return {...report, folders, issues: [...folders, ...report.issues], errorCount: report.errorCount + folders.length}
}
