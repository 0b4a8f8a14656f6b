import type {Edition} from '../edition/editions.js'
import {UserError} from '../io/errors.js'
import {validateServices, type ValidationReport} from '../spec/load.js'
import {isValidId} from './ids.js'
import {listServiceIds} from './services.js'

/**
 * Validates every service of the repo, or the named ones (each must exist), for `msp validate`.
 * @param root - the repo root
 * @param only - service ids to check; all when empty
 * @param edition - the edition whose spec keys apply
 */
export async function validateRepository(root: string, only: readonly string[], edition: Edition): Promise<ValidationReport> {
  const all = await listServiceIds(root)
  const unknown = only.filter((id) => !isValidId(id) || !all.includes(id))
  if (unknown.length > 0) {
    throw new UserError(`unknown service${unknown.length > 1 ? 's' : ''}: ${unknown.map((id) => `"${id}"`).join(', ')}`, {
      hint: `available services: ${all.join(', ') || '(none)'}`,
    })
  }
  return validateServices(root, only.length > 0 ? [...new Set(only)].sort() : all, edition)
}
