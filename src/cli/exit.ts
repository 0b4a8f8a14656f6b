/**
 * The exit-code map of msp, and the only module that sets the process exit code.
 *
 *   0   ok
 *   1   error: the work failed (invalid spec, unknown resource, network, an unexpected failure)
 *   2   usage: wrong flags or arguments (unknown flag, missing or unknown id, extra argument)
 *   130 interrupted: Ctrl-C (SIGINT), or a confirmation answered "no"
 *   129 hung up: SIGHUP (128 + 1: the terminal closed)
 *   143 terminated: SIGTERM (128 + 15, the shell convention; CI runners and supervisors stop jobs this way)
 *
 * msp never ends the process while output is pending: a finished command records its exit code in
 * the run's I/O context (the process's `exitCode`, see io.ts) and
 * lets Node exit once stdout and stderr have drained (a forced exit loses what is still queued for a
 * pipe). Only a signal ends the process early, and then only after both streams have drained.
 */
import {CancelledError, UsageError, UserError} from '../lib/io/errors.js'
import {currentIo} from './io.js'

export const ExitCode = {ok: 0, error: 1, usage: 2, hangup: 129, interrupted: 130, terminated: 143} as const

/**
 * Maps any thrown value to its exit code: the one mapping of error kinds to codes.
 * @param error - what a command threw
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CancelledError) return ExitCode.interrupted
  if (error instanceof UsageError) return ExitCode.usage
  if (error instanceof UserError) return ExitCode.error
  // An exit msp already reported (silentExit) or oclif's own `this.exit(code)`.
  const oclifExit = (error as {oclif?: {exit?: unknown}} | undefined)?.oclif?.exit
  if (typeof oclifExit === 'number') return oclifExit
  return ExitCode.error
}

/**
 * Records the exit code of this run; the process ends by itself once its output has drained.
 * @param code - a value of {@link ExitCode}
 */
export function setExitCode(code: number): void {
  const io = currentIo()
  recorded.set(io, code)
  io.setExitCode(code)
}

const recorded = new WeakMap<object, number>()

/** The exit code this run has recorded so far (undefined: none yet, the run would end with 0). */
export function recordedExitCode(): number | undefined {
  return recorded.get(currentIo())
}

/**
 * The error that ends a command with `code` after msp has printed its own message: oclif's handler
 * skips printing it (skipOclifErrorHandling) and the entry point only records `oclif.exit`.
 * @param code - the exit code
 */
export function silentExit(code: number): Error {
  return Object.assign(new Error(`EEXIT: ${code}`), {skipOclifErrorHandling: true, code: 'EEXIT', oclif: {exit: code}})
}

/** Resolves once everything written so far to the stream has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve()
    stream.write('', () => resolve())
  })
}

/**
 * Ends the process with `code` after stdout and stderr have drained. Used only when a signal must stop
 * work that is still running; a command that finishes never calls it.
 * @param code - the exit code
 */
export async function exitWhenDrained(code: number): Promise<never> {
  setExitCode(code)
  await Promise.all([drained(process.stdout), drained(process.stderr)])
  // The one deliberate exit: a signal stopped the work, and the output has drained.
  process.exit(code)
}
