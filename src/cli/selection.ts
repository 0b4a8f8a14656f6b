/**
 * How `--all`, `--category` and the service/environment arguments combine, for every command that
 * selects environments (`msp generate`, `msp tfc sync`): one rule, one wording. Flag semantics stay
 * here; lib receives the resulting selection as typed options.
 */
import {UsageError} from '../lib/io/errors.js'

export interface SelectionArgs {
  service?: string | undefined
  env?: string | undefined
  all: boolean
  category?: string | undefined
}

/**
 * Throws a UsageError when the arguments and flags contradict each other.
 * @param args - the parsed service/env arguments and --all/--category flags
 * @param options - whether an environment is required without --all, and the usage line for the hint
 */
export function checkSelection(args: SelectionArgs, options: {envRequired: boolean; usage: string}): void {
  if (args.category !== undefined && !args.all) throw new UsageError("'--category' can only be used with '--all'", {hint: options.usage})
  if (args.all && args.env !== undefined) throw new UsageError("'--all' takes at most a service id, not an environment", {hint: options.usage})
  if (!args.all && args.service === undefined) {
    throw new UsageError(`give a service${options.envRequired ? ' and an environment' : ' (and optionally an environment)'}, or --all`, {hint: options.usage})
  }
  if (options.envRequired && !args.all && args.env === undefined) {
    throw new UsageError(`give an environment of "${args.service}", or --all for all of them`, {hint: options.usage})
  }
}
