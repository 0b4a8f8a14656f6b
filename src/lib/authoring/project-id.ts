import {randomBytes} from 'node:crypto'
import {UserError} from '../io/errors.js'

/** Length of the random hex suffix of a new project id when none is asked for (the original's default). */
export const DEFAULT_SUFFIX_LENGTH = 4

/** GCP's limit on project ids, which the spec enforces too. */
export const MAX_PROJECT_ID_LENGTH = 30

/** Source of random bytes; injectable so tests get stable project ids. */
export type RandomBytes = (size: number) => Uint8Array

/**
 * Generates a GCP project id `<service>-<env>-<random hex>` for a new environment.
 * @param options - the service and environment ids, the suffix length and an optional random source
 */
export function generateProjectId(options: {serviceId: string; envId: string; suffixLength?: number; random?: RandomBytes}): string {
  const {serviceId, envId, suffixLength = DEFAULT_SUFFIX_LENGTH, random = randomBytes} = options
  if (!Number.isInteger(suffixLength) || suffixLength < 2) {
    throw new UserError(`project id suffix length must be at least 2 characters long, got ${suffixLength}`)
  }
  const prefix = `${serviceId}-${envId}-`
  if (prefix.length + suffixLength > MAX_PROJECT_ID_LENGTH) {
    // Unlike the original (whose message printed "%!q(MISSING)"), name the id that would be too long.
    throw new UserError(
      `project ID "${prefix}${'x'.repeat(suffixLength)}" would be ${prefix.length + suffixLength} characters long, but must be no longer ` +
        `than ${MAX_PROJECT_ID_LENGTH}`,
      {hint: 'try a shorter service ID or environment ID, or a smaller --project-id-suffix-length'},
    )
  }
  const hex = Buffer.from(random(Math.ceil(suffixLength / 2))).toString('hex')
  return prefix + hex.slice(0, suffixLength)
}
