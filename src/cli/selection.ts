/**
 * How `--all`, `--category` and the service/environment arguments combine, for every command that
 * selects environments (`msp generate`, `msp tfc sync`): one rule, one wording. Flag semantics stay
 * here; lib receives the resulting selection as typed options.
 */
import {UsageError} from '../lib/io/errors.js'
import {missingIdError} from '../lib/repo/resolve.js'

export interface SelectionArgs {
  service?: string | undefined
  env?: string | undefined
  all: boolean
  category?: string | undefined
}

/** How to list the valid ids when one is missing (the one format of src/lib/repo/resolve.ts). */
export interface SelectionIds {
  /** The services of the repository. */
  services: () => Promise<readonly string[]>
  /** The environments of one service (an unknown service fails there, with "did you mean"). */
  environments: (serviceId: string) => Promise<readonly string[]>
}

/**
 * Throws a UsageError when the arguments and flags contradict each other, or when an id is missing
 * (then the hint lists the valid ids, and --all as the alternative).
 * @param args - the parsed service/env arguments and --all/--category flags
 * @param options - whether an environment is required without --all, the usage line for the hint, and the id lookups
 */
export async function checkSelection(args: SelectionArgs, options: {envRequired: boolean; usage: string; ids: SelectionIds}): Promise<void> {
  if (args.category !== undefined && !args.all) throw new UsageError("'--category' can only be used with '--all'", {hint: options.usage})
  if (args.all && args.env !== undefined) throw new UsageError("'--all' takes at most a service id, not an environment", {hint: options.usage})
  if (!args.all && args.service === undefined) throw missingIdError('service', await options.ids.services(), undefined, 'or --all for every service')
  if (options.envRequired && !args.all && args.env === undefined) {
    throw missingIdError('environment', await options.ids.environments(args.service!), args.service, 'or --all for every environment')
  }
}
