/**
 * The closed error taxonomy of msp. Every failure a user can act on is one of these types;
 * exactly one function (exitCodeFor in src/cli/exit.ts) maps them to exit codes.
 */

/** A problem the user can fix (unknown service, bad spec, missing credentials): exit 1, no stack. */
export class UserError extends Error {
  override readonly name: string = 'UserError'
  /** A short next step shown under the message ("available environments: dev, prod"). */
  readonly hint?: string

  constructor(message: string, options: {hint?: string; cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.hint = options.hint
  }
}

/** Wrong arguments or flags: exit 2. `usage` is the command's short usage line, when known. */
export class UsageError extends UserError {
  override readonly name = 'UsageError'
  readonly usage?: string
  /** Machine-readable facts for --json: the valid ids or values, and the suggestion made. */
  readonly details?: {valid?: readonly string[]; suggestion?: string}

  constructor(message: string, options: {hint?: string; cause?: unknown; usage?: string; details?: {valid?: readonly string[]; suggestion?: string}} = {}) {
    super(message, options)
    this.usage = options.usage
    this.details = options.details
  }
}

/** The user interrupted the work (Ctrl-C or answered "no"): exit 130. */
export class CancelledError extends UserError {
  override readonly name = 'CancelledError'
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

/** True when the error is an expected user-facing failure (printed without a stack trace). */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError
}
