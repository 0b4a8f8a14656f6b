/**
 * The Terraform version of the generated stacks (`required_version`, `.tool-versions`) and of every
 * TFC workspace. Its own module, importing nothing heavy, so `msp tfc sync` can read it without
 * loading the stacks model.
 */
import {UserError} from '../io/errors.js'

export const DEFAULT_TERRAFORM_VERSION = '1.3.10'
/** The environment variable that overrides {@link DEFAULT_TERRAFORM_VERSION}. */
export const TERRAFORM_VERSION_ENV = 'MSP_TERRAFORM_VERSION'

/**
 * The Terraform version to use: `MSP_TERRAFORM_VERSION` when set and non-empty, else the default.
 * @param env - the process environment (or a fake)
 */
export function terraformVersionFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  return env[TERRAFORM_VERSION_ENV] || DEFAULT_TERRAFORM_VERSION
}

/** Validates a Terraform version string such as `1.3.10` (from a flag or `MSP_TERRAFORM_VERSION`). */
export function checkTerraformVersion(version: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new UserError(`invalid Terraform version "${version}"`, {hint: `expected a version such as ${DEFAULT_TERRAFORM_VERSION} (${TERRAFORM_VERSION_ENV})`})
  }
  return version
}
