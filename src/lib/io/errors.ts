import {terminalSafe} from './terminal.js'

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

/**
 * A known system error on a path (permissions, a full or read-only disk, a folder where a file
 * belongs): the user can act on it, so it is a user error naming the path and the next step.
 */
export class FileSystemError extends UserError {
  override readonly name = 'FileSystemError'
  /** The system error code (EACCES, ENOSPC…). */
  readonly code: string

  constructor(message: string, options: {code: string; hint: string; cause: unknown}) {
    super(message, {hint: options.hint, cause: options.cause})
    this.code = options.code
  }
}

/** What each known system error means, and what to do about it. */
const FILE_SYSTEM_ERRORS: Readonly<Record<string, {what: string; hint: string}>> = {
  EACCES: {what: 'permission denied', hint: 'check the permissions of the file and its folders (ls -l), or run msp as a user allowed to use them'},
  EPERM: {what: 'permission denied (operation not permitted)', hint: 'check the permissions and attributes of the file and its folders'},
  ENOSPC: {what: 'no space left on the device', hint: 'free some disk space, then run msp again'},
  EDQUOT: {what: 'disk quota exceeded', hint: 'free some space within your quota, then run msp again'},
  EROFS: {what: 'the file system is read-only', hint: 'run msp in a writable checkout, or remount the file system read-write'},
  EISDIR: {what: 'it is a folder, where msp expects a file', hint: 'move the folder away (msp writes a file at this path), then run msp again'},
  ENOTDIR: {what: 'a part of the path is not a folder', hint: 'move away the file that stands where msp expects a folder, then run msp again'},
  EFBIG: {what: 'the file is larger than the file system or a limit allows', hint: 'write to another file system, or raise the file size limit (ulimit -f)'},
  EIO: {what: 'an input/output error of the device', hint: 'check the disk or terminal it goes to, then run msp again'},
  EBADF: {what: 'it is not open for writing', hint: 'redirect it to a file or pipe opened for writing (> file, | command)'},
}

/**
 * Turns a known system error (see FILE_SYSTEM_ERRORS) into a {@link FileSystemError} that names the
 * path and what to do; any other value is returned unchanged.
 * @param error - what a file system call threw
 * @param action - what msp was doing: "read", "write", "remove", "create the folder of"
 * @param path - the path msp was working on
 */
export function fileSystemError(error: unknown, action: string, path: string): unknown {
  if (error instanceof UserError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const known = code === undefined ? undefined : FILE_SYSTEM_ERRORS[code]
  if (!known || code === undefined) return error
  return new FileSystemError(`cannot ${action} ${path}: ${known.what} (${code})`, {code, hint: known.hint, cause: error})
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

/**
 * Formats one spec issue as `file:line:col: path: message`, terminal-safe: key paths and messages
 * quote spec text (unknown key names, values), whose control characters are shown escaped.
 */
export function formatSpecIssue(issue: SpecIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`
  return terminalSafe(issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`)
}

/** One or more spec files are invalid; carries every issue found, not just the first. */
export class SpecError extends UserError {
  override readonly name = 'SpecError'
  readonly issues: readonly SpecIssue[]

  constructor(issues: readonly SpecIssue[], options: {hint?: string} = {}) {
    const errors = issues.filter((i) => i.severity === 'error')
    const files = new Set(errors.map((i) => i.file)).size
    const count = errors.length === 1 ? '' : `: ${errors.length} errors`
    const head = files > 1 ? `${files} service specs are invalid${count}` : `invalid service spec${count}`
    super(`${head}\n${errors.map((i) => `  ${formatSpecIssue(i)}`).join('\n')}`, options)
    this.issues = issues
  }
}
