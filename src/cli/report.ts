/**
 * The one printer of errors: `Error:` + `hint:` (+ a short `usage:` line for usage errors) on stderr,
 * or one compact `{"error": {…}}` document on stdout under --json. Commands, the unknown-command
 * hook and the entry point all end up here, so there is a single format.
 */
import {SpecError, UsageError, UserError} from '../lib/io/errors.js'
import {colourEnabled, makeStyler, type Env, type WritableLike} from '../lib/io/output.js'
import {exitCodeFor} from './exit.js'

export interface ReportOptions {
  json: boolean
  debug: boolean
  stdout: WritableLike
  stderr: WritableLike
  env: Env
}

/** True when DEBUG names msp (or everything) or --debug is among the arguments. */
export function debugEnabled(argv: readonly string[], env: Env): boolean {
  return argv.includes('--debug') || /(^|,)\s*(msp|\*)/.test(env.DEBUG ?? '')
}

/**
 * The `{"error": …}` document of a failure: kind, message, hint, exit code, and for usage errors the
 * usage line and the valid values; spec errors carry their issues.
 * @param error - what was thrown
 * @param exitCode - its exit code
 */
export function errorDocument(error: unknown, exitCode: number): {error: Record<string, unknown>} {
  const e = error instanceof Error ? error : new Error(String(error))
  const doc: Record<string, unknown> = {kind: e instanceof UserError ? e.name : 'BugError', message: e.message, exitCode}
  if (e instanceof UserError && e.hint) doc.hint = e.hint
  if (e instanceof UsageError) {
    if (e.usage) doc.usage = e.usage
    if (e.details?.valid) doc.valid = e.details.valid
    if (e.details?.suggestion) doc.suggestion = e.details.suggestion
  }
  if (e instanceof SpecError) doc.issues = e.issues
  return {error: doc}
}

/**
 * Prints a failure in the one format and returns its exit code (the caller records it).
 * @param error - what was thrown
 * @param options - where and how to print
 */
export function reportError(error: unknown, options: ReportOptions): number {
  const code = exitCodeFor(error)
  if (options.json) {
    options.stdout.write(`${JSON.stringify(errorDocument(error, code), null, 2)}\n`)
    return code
  }
  const s = makeStyler(colourEnabled(options.stderr, options.env))
  const e = error instanceof Error ? error : new Error(String(error))
  const lines: string[] = []
  if (e instanceof UserError) {
    lines.push(`${s('red', 'Error:')} ${e.message}`)
    if (e.hint) lines.push(`${s('dim', 'hint:')} ${e.hint}`)
    if (e instanceof UsageError && e.usage) lines.push(`${s('dim', 'usage:')} ${e.usage}`)
  } else {
    lines.push(`${s('red', 'Error:')} unexpected failure: ${e.message}`)
    if (!options.debug) lines.push(`${s('dim', 'hint:')} run again with --debug to see the stack trace`)
  }
  if (options.debug && e.stack) lines.push(e.stack)
  options.stderr.write(`${lines.join('\n')}\n`)
  return code
}
