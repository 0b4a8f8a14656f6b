/**
 * Bounded exponential backoff with a per-attempt deadline and an optional total deadline per command,
 * shared by the Google and TFC clients. After a timeout only idempotent calls are sent again: a
 * timed-out POST may have done its work on the server, so its caller re-reads the state instead.
 */

/** How hard to try one logical call. */
export interface RetryPolicy {
  /** Total attempts, including the first. */
  attempts: number
  /** Delay before the second attempt; doubles each time. */
  baseDelayMs: number
  /** Upper bound of one delay (also bounds a server's Retry-After). */
  maxDelayMs: number
  /** Deadline of one attempt. */
  deadlineMs: number
}

/** A few seconds per attempt: an API read that takes longer is stuck, not slow. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {attempts: 4, baseDelayMs: 500, maxDelayMs: 8000, deadlineMs: 5_000}

/** The default total time one network command may take (`--timeout` changes it). */
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 20

/** The total time budget of one command: every call of the command shares it. */
export interface Deadline {
  /** The whole budget, for messages. */
  readonly totalMs: number
  /** Milliseconds left (0 when spent). */
  remaining(): number
}

/**
 * Starts a command's total deadline now.
 * @param totalMs - the budget
 * @param now - the clock (tests)
 */
export function createDeadline(totalMs: number, now: () => number = () => performance.now()): Deadline {
  const end = now() + totalMs
  return {totalMs, remaining: () => Math.max(0, end - now())}
}

/** What the caller decides about one failure. */
export interface RetryDecision {
  retry: boolean
  /** Server-requested delay (Retry-After), used instead of the backoff when present. */
  delayMs?: number
}

/**
 * Raised when an attempt gets no answer in time. `total` says the command's whole budget is spent
 * (`timed out after 20s`); otherwise one attempt's deadline passed (`no answer within 5s`).
 */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError'
  constructor(
    readonly deadlineMs: number,
    readonly total = false,
  ) {
    super(total ? `timed out after ${seconds(deadlineMs)}` : `no answer within ${seconds(deadlineMs)}`)
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`
}

/** Raised when every attempt failed with a retryable error; `cause` is the last failure. */
export class RetriesExhaustedError extends Error {
  override readonly name = 'RetriesExhaustedError'
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`gave up after ${attempts} attempts`, {cause: lastError})
  }
}

export type Sleep = (ms: number) => Promise<void>

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export interface RetryOptions {
  policy: RetryPolicy
  classify: (error: unknown) => RetryDecision
  /**
   * Whether sending the request again is harmless (GET, HEAD, PUT, DELETE, or a write the caller
   * knows to be idempotent). A non-idempotent attempt that timed out is not repeated: the
   * {@link DeadlineError} is thrown, and the caller re-reads the state. Default true.
   */
  idempotent?: boolean
  /** The command's total deadline: bounds every attempt and stops the retries when spent. */
  deadline?: Deadline
  sleep?: Sleep
  random?: () => number
}

/**
 * Runs `call` until it succeeds, fails with a non-retryable error, or the attempts (or the total
 * deadline) run out.
 * @param call - one attempt; receives an AbortSignal that fires at the attempt's deadline
 * @param options - the policy, the classifier of failures, idempotency, total deadline and the sleep function (injected by tests)
 */
export async function withRetry<T>(call: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<T> {
  const {policy, classify, sleep = realSleep, random = Math.random, idempotent = true, deadline} = options
  let lastError: unknown
  let made = 0
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    made++
    const left = deadline ? deadline.remaining() : Number.POSITIVE_INFINITY
    if (left <= 0) throw new DeadlineError(deadline!.totalMs, true)
    const lastChance = left <= policy.deadlineMs
    try {
      return await withDeadline(call, Math.min(policy.deadlineMs, left), lastChance ? deadline!.totalMs : undefined)
    } catch (error) {
      if (error instanceof DeadlineError && (error.total || !idempotent)) throw error
      const decision = error instanceof DeadlineError ? {retry: true} : classify(error)
      if (!decision.retry) throw error
      lastError = error
      if (attempt === policy.attempts - 1) break
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
      // Half fixed, half random ("equal jitter"): bounded, yet concurrent callers do not retry in lockstep.
      const delay = decision.delayMs === undefined ? backoff / 2 + (random() * backoff) / 2 : Math.min(policy.maxDelayMs, decision.delayMs)
      // No time left for the pause and another attempt: report the last failure now.
      if (deadline && deadline.remaining() <= delay) break
      await sleep(delay)
    }
  }
  throw new RetriesExhaustedError(made, lastError)
}

/**
 * Runs one attempt with its own deadline.
 * @param totalMs - set when this attempt's deadline is the command's total deadline (its expiry is then reported as such)
 */
async function withDeadline<T>(call: (signal: AbortSignal) => Promise<T>, deadlineMs: number, totalMs?: number): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(totalMs === undefined ? new DeadlineError(deadlineMs) : new DeadlineError(totalMs, true))
    }, deadlineMs)
  })
  const attempt = call(controller.signal)
  // The losing promise of the race must not surface later as an unhandled rejection.
  attempt.catch(() => undefined)
  try {
    return await Promise.race([attempt, deadline])
  } finally {
    clearTimeout(timer)
  }
}
