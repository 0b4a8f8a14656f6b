import {UsageError} from '../io/errors.js'
import {ID_PATTERN} from '../spec/layout.js'

/** True when `id` is safe to use in a path or URL segment. */
export function isValidId(id: string): boolean {
  return id.length > 0 && id.length <= 63 && ID_PATTERN.test(id)
}

/**
 * The valid id closest to a malformed one: lower case, every run of other characters one hyphen
 * (`My_Service` → `my-service`); undefined when that is no valid id either.
 * @param id - the value given by the user
 */
export function idSuggestion(id: string): string | undefined {
  const slug = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return slug !== id && isValidId(slug) ? slug : undefined
}

/**
 * Rejects an id that could escape a path or break a URL before it reaches either.
 * @param kind - "service" or "environment", for the message
 * @param id - the value given by the user
 */
export function assertValidId(kind: 'service' | 'environment', id: string): void {
  if (!isValidId(id)) {
    const close = idSuggestion(id)
    throw new UsageError(`invalid ${kind} id ${JSON.stringify(id)}: ids contain only lowercase letters, digits and hyphens`, {
      ...(close ? {hint: `did you mean "${close}"?`, details: {suggestion: close}} : {}),
    })
  }
}
