import {UsageError} from '../io/errors.js'
import {ID_PATTERN} from '../spec/layout.js'

/** True when `id` is safe to use in a path or URL segment. */
export function isValidId(id: string): boolean {
  return id.length > 0 && id.length <= 63 && ID_PATTERN.test(id)
}

/**
 * Rejects an id that could escape a path or break a URL before it reaches either.
 * @param kind - "service" or "environment", for the message
 * @param id - the value given by the user
 */
export function assertValidId(kind: 'service' | 'environment', id: string): void {
  if (!isValidId(id)) {
    throw new UsageError(`invalid ${kind} id ${JSON.stringify(id)}: ids contain only lowercase letters, digits and hyphens`)
  }
}
