/**
 * The one printer of errors: `Error:` + `hint:` (+ a short `usage:` line for usage errors) on stderr,
 * or one compact `{"error": {…}}` document on stdout under --json. Commands, the unknown-command
 * hook and the entry point all end up here, so there is a single format.
 */
import {fileSystemError, SpecError, UsageError, UserError} from '../lib/io/errors.js'
import {colourEnabled, makeStyler, outputFailure, type Env, type WritableLike} from '../lib/io/output.js'
import {redactDeep, redactSecrets} from '../lib/io/secrets.js'
import {terminalSafeJson, terminalSafeLines} from '../lib/io/terminal.js'
import {ExitCode, exitCodeFor} from './exit.js'

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

/** What may be written to a terminal: secrets redacted, control characters escaped (line breaks kept). */
function printable(text: string): string {
  return terminalSafeLines(redactSecrets(text))
}

/**
 * Prints a failure in the one format and returns its exit code (the caller records it).
 * @param error - what was thrown
 * @param options - where and how to print
 */
export function reportError(error: unknown, options: ReportOptions): number {
  const code = exitCodeFor(error)
  if (options.json) {
    // Every message passes the one redaction function (servers echo tokens) and the terminal sanitiser.
    options.stdout.write(`${terminalSafeJson(JSON.stringify(redactDeep(errorDocument(error, code))))}\n`)
    return code
  }
  const s = makeStyler(colourEnabled(options.stderr, options.env))
  const e = error instanceof Error ? error : new Error(String(error))
  const lines: string[] = []
  if (e instanceof UserError) {
    lines.push(`${s('red', 'Error:')} ${printable(e.message)}`)
    if (e.hint) lines.push(`${s('dim', 'hint:')} ${printable(e.hint)}`)
    if (e instanceof UsageError && e.usage) lines.push(`${s('dim', 'usage:')} ${printable(e.usage)}`)
  } else {
    lines.push(`${s('red', 'Error:')} unexpected failure: ${printable(e.message)}`)
    if (!options.debug) lines.push(`${s('dim', 'hint:')} run again with --debug to see the stack trace`)
  }
  if (options.debug && e.stack) lines.push(printable(e.stack))
  options.stderr.write(`${lines.join('\n')}\n`)
  return code
}

/**
 * When the answer could not be written (a full disk behind `>`, `>/dev/full`): says so on stderr when
 * stderr still takes it, and returns the exit code of a failed run; undefined when nothing failed.
 * @param stdout - the run's stdout, guarded (see guardStream)
 * @param stderr - the run's stderr
 * @param failure - the write error of stdout, if any (outputFailure, or the fast path's direct writer)
 * @param env - the run's environment (colour)
 */
export function reportOutputFailure(stdout: WritableLike, stderr: WritableLike, failure: NodeJS.ErrnoException | undefined, env: Env): number | undefined {
  if (failure === undefined) return undefined
  if (outputFailure(stderr) === undefined)
    reportError(fileSystemError(failure, 'write', 'the standard output'), {json: false, debug: false, stdout, stderr, env})
  return ExitCode.error
}
