/**
 * The one load loop of the commands that act on many services (generate and diff --all, handbook,
 * fleet, status --all, tfc sync --all, the subscription matrix, migrate): every service is loaded
 * before any work starts, and a broken spec does not stop the loop, so one run names every broken
 * spec with all its errors — the errors `msp validate` lists — instead of one spec per run.
 */
import {CancelledError, SpecError, UsageError, UserError, type SpecIssue} from '../io/errors.js'
import {letSignalsIn} from '../io/cooperate.js'
import {serviceSpecFile} from './layout.js'

/** What a repo-wide command says when specs are broken: nothing was done, and where the full report is. */
export const BROKEN_SPECS_HINT = 'nothing was written or changed; run msp validate for every problem of every spec (warnings included), fix them and run again'

/**
 * The issues a failed load of one service stands for: a spec error's own, or one issue at the top of
 * the file for any other user error (a missing or unreadable spec), as `msp validate` reports it.
 * @param id - the service id
 * @param error - what loading it threw
 * @returns undefined for what is not about the spec (a bug, an interrupt, a usage error): it must propagate
 */
export function loadFailureIssues(id: string, error: unknown): SpecIssue[] | undefined {
  if (error instanceof SpecError) return error.issues.filter((i) => i.severity === 'error')
  if (!(error instanceof UserError) || error instanceof UsageError || error instanceof CancelledError) return undefined
  return [{file: serviceSpecFile(id), line: 1, column: 1, path: '', message: error.message, severity: 'error'}]
}

/**
 * Loads every id with `load`, in order. When some fail, throws one {@link SpecError} carrying the
 * errors of every broken spec (in id order) and the hint to run `msp validate`; nothing else has run.
 * @param ids - the service ids, in the order the command works through them
 * @param load - loads one service (the command's caching loader, or a reader of its own)
 * @returns what `load` returned for each id, in order
 */
export async function loadEvery<T>(ids: readonly string[], load: (id: string) => Promise<T>): Promise<T[]> {
  const loaded: T[] = []
  const errors: SpecIssue[] = []
  for (const id of ids) {
    try {
      // A load reads and parses synchronously: a signal is taken between two (see cooperate.ts).
      await letSignalsIn()
      loaded.push(await load(id))
    } catch (error) {
      const issues = loadFailureIssues(id, error)
      if (issues === undefined) throw error
      errors.push(...issues)
    }
  }
  throwLoadFailures(errors)
  return loaded
}

/**
 * The one error of a repo-wide load that found broken specs: every error of every broken spec, in
 * the order of the ids, and the hint to run `msp validate`. Nothing when there are none.
 * @param errors - the errors of the broken specs
 */
export function throwLoadFailures(errors: readonly SpecIssue[]): void {
  if (errors.length > 0) throw new SpecError(errors, {hint: BROKEN_SPECS_HINT})
}
