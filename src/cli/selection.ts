/**
 * How `--all`, `--category` and the service/environment arguments combine, for every command that
 * selects environments (`msp generate`, `msp diff`, `msp tfc sync`): one rule, one wording, and the
 * shared argument and flag declarations. Flag semantics stay here; lib receives the resulting
 * selection as typed options.
 */
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {UsageError} from '../lib/io/errors.js'
import {missingIdError} from '../lib/repo/resolve.js'
import {CATEGORIES} from '../lib/spec/schema.js'

/** The service and environment arguments of a command that selects environments. */
export const selectionArgs = {
  service: Args.string({description: 'service id (a folder under services/)'}),
  env: Args.string({description: 'environment id (default: every environment of the service)'}),
}

/** `--all` and `--category` of a command that selects environments (with selectionArgs). */
export const selectionFlags = {
  all: Flags.boolean({description: 'every service (or, with a service id, every environment of it)'}),
  category: Flags.option({options: CATEGORIES, description: 'with --all: only environments of this category'})(),
}

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
