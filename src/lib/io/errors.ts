/**
 * The closed error taxonomy of msp. Every failure a user can act on is one of these types;
 * exactly one function ({@link exitCodeFor}) maps them to exit codes.
 */

/** A problem the user can fix (unknown service, bad spec, missing credentials): exit 1, no stack. */
export class UserError extends Error {
  override readonly name: string = 'UserError'
  /** A short next step shown under the message ("available environments: dev, prod"). */
  readonly hint?: string
  readonly exitCode: number = 1

  constructor(message: string, options: {hint?: string; cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.hint = options.hint
  }
}

/** Wrong arguments or flags: exit 2. */
export class UsageError extends UserError {
  override readonly name = 'UsageError'
  override readonly exitCode = 2
}

/** The user interrupted the work (Ctrl-C or answered "no"): exit 130. */
export class CancelledError extends UserError {
  override readonly name = 'CancelledError'
  override readonly exitCode = 130
}

/**
 * msp refused to write, delete or read a path because it would leave the folder msp may touch (a
 * symlink, `..`, an absolute path): the repository or the handbook checkout is not trusted to point
 * msp elsewhere.
 */
export class UnsafePathError extends UserError {
  override readonly name = 'UnsafePathError'
}

/** One problem found in a spec file, located at `file:line:col`. */
export interface SpecIssue {
  /** Path of the file relative to the repo root, e.g. `services/foo/service.yaml`. */
  file: string
  line: number
  column: number
  /** Dotted key path, e.g. `environments.1.id` (empty for the document itself). */
  path: string
  message: string
  severity: 'error' | 'warning'
}

/** Formats one spec issue as `file:line:col: path: message`. */
export function formatSpecIssue(issue: SpecIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`
}

/** One or more spec files are invalid; carries every issue found, not just the first. */
export class SpecError extends UserError {
  override readonly name = 'SpecError'
  readonly issues: readonly SpecIssue[]

  constructor(issues: readonly SpecIssue[], options: {hint?: string} = {}) {
    const errors = issues.filter((i) => i.severity === 'error')
    const head = errors.length === 1 ? 'invalid service spec' : `invalid service spec: ${errors.length} errors`
    super(`${head}\n${errors.map((i) => `  ${formatSpecIssue(i)}`).join('\n')}`, options)
    this.issues = issues
  }
}

/** Maps any thrown value to the process exit code: 0 ok, 1 failure, 2 usage, 130 cancelled. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UserError) return error.exitCode
  const oclifExit = (error as {oclif?: {exit?: unknown}} | undefined)?.oclif?.exit
  if (typeof oclifExit === 'number') return oclifExit
  return 1
}

/** True when the error is an expected user-facing failure (printed without a stack trace). */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError
}
