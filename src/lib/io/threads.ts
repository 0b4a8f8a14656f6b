/**
 * What the worker threads of msp share with the main thread: how many to start, a counter the
 * threads claim work from (a position in a list every thread holds), and errors as they cross a
 * thread (structured cloning keeps neither their class nor their hint).
 */
import {availableParallelism} from 'node:os'
import {letSignalsIn} from './cooperate.js'
import {CancelledError, FileSystemError, SpecError, UnsafePathError, UsageError, UserError, type SpecIssue} from './errors.js'

/** The most workers a run starts (on two cores one; the gain flattens while the disk is shared). */
const MAX_WORKERS = 3

/**
 * How many worker threads a command may start: `MSP_THREADS` when set (0 turns them off), else one
 * fewer than the processors available, at most {@link MAX_WORKERS}.
 * @param env - the run's environment variables
 */
export function workerCount(env: Readonly<Record<string, string | undefined>>): number {
  const set = env.MSP_THREADS
  if (set !== undefined && set !== '') {
    if (!/^[0-9]{1,2}$/.test(set) || Number(set) > 16) {
      throw new UsageError(`MSP_THREADS=${JSON.stringify(set)} is not a thread count`, {
        hint: 'set MSP_THREADS to a number from 0 (no workers) to 16, or unset it',
      })
    }
    return Number(set)
  }
  return Math.max(0, Math.min(availableParallelism() - 1, MAX_WORKERS))
}

/** The shared counter: [0] the next position to claim, [1] the lowest position whose work failed. */
export function newClaims(): Int32Array {
  const claims = new Int32Array(new SharedArrayBuffer(8))
  claims[1] = 0x7fffffff
  return claims
}

/**
 * Claims the next position to work on, or undefined when none is left (or one before it failed).
 * @param claims - the shared counter
 * @param total - how many positions there are
 */
export function claimNext(claims: Int32Array, total: number): number | undefined {
  const position = Atomics.add(claims, 0, 1)
  return position < total && position < Atomics.load(claims, 1) ? position : undefined
}

/**
 * Claims positions one at a time and works on each until none is left, `work` answers false (it
 * failed: it stops this thread) or `stopped()` holds. Between two positions a signal, or a message
 * from another thread, is taken (see cooperate.ts).
 * @param claims - the shared counter
 * @param total - how many positions there are
 * @param work - works on one position; false ends the loop
 * @param stopped - true when this thread must claim no more
 */
export async function eachClaim(
  claims: Int32Array,
  total: number,
  work: (position: number) => boolean | Promise<boolean>,
  stopped: () => boolean = () => false,
): Promise<void> {
  for (;;) {
    await letSignalsIn()
    const position = stopped() ? undefined : claimNext(claims, total)
    if (position === undefined || !(await work(position))) return
  }
}

/**
 * Records a failed position, so no thread claims a later one.
 * @param claims - the shared counter
 * @param position - the failed position
 */
export function markFailed(claims: Int32Array, position: number): void {
  for (let seen = Atomics.load(claims, 1); position < seen; seen = Atomics.load(claims, 1)) {
    if (Atomics.compareExchange(claims, 1, seen, position) === seen) return
  }
}

/** An error as it crosses a thread: its class, message, hint and the fields its class carries. */
export interface SentError {
  kind: 'user' | 'usage' | 'cancelled' | 'unsafe' | 'fs' | 'spec' | 'bug'
  message: string
  hint?: string
  code?: string
  issues?: SpecIssue[]
  stack?: string
}

/** An error to send to another thread (structured cloning keeps neither the class nor the hint). */
export function sendError(error: unknown): SentError {
  const hint = error instanceof UserError && error.hint !== undefined ? {hint: error.hint} : {}
  if (error instanceof SpecError) return {kind: 'spec', message: error.message, issues: [...error.issues], ...hint}
  if (error instanceof FileSystemError) return {kind: 'fs', message: error.message, code: error.code, ...hint}
  if (error instanceof UnsafePathError) return {kind: 'unsafe', message: error.message, ...hint}
  if (error instanceof CancelledError) return {kind: 'cancelled', message: error.message, ...hint}
  if (error instanceof UsageError) return {kind: 'usage', message: error.message, ...hint}
  if (error instanceof UserError) return {kind: 'user', message: error.message, ...hint}
  const e = error instanceof Error ? error : new Error(String(error))
  return {kind: 'bug', message: e.message, ...(e.stack === undefined ? {} : {stack: e.stack})}
}

/** The error a thread sent, as the class it was thrown as. */
export function receivedError(sent: SentError): Error {
  const hint = sent.hint === undefined ? {} : {hint: sent.hint}
  switch (sent.kind) {
    case 'spec':
      return new SpecError(sent.issues ?? [], hint)
    case 'fs':
      return new FileSystemError(sent.message, {code: sent.code ?? '', hint: sent.hint ?? '', cause: undefined})
    case 'unsafe':
      return new UnsafePathError(sent.message, hint)
    case 'cancelled':
      return new CancelledError(sent.message, hint)
    case 'usage':
      return new UsageError(sent.message, hint)
    case 'user':
      return new UserError(sent.message, hint)
    default: {
      const error = new Error(sent.message)
      if (sent.stack !== undefined) error.stack = sent.stack
      return error
    }
  }
}
