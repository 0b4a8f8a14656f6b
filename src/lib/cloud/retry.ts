/** Bounded exponential backoff with a per-attempt deadline, shared by the Cloud Run and TFC clients. */

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

export const DEFAULT_RETRY_POLICY: RetryPolicy = {attempts: 4, baseDelayMs: 500, maxDelayMs: 8000, deadlineMs: 20_000}

/** What the caller decides about one failure. */
export interface RetryDecision {
  retry: boolean
  /** Server-requested delay (Retry-After), used instead of the backoff when present. */
  delayMs?: number
}

/** Raised when one attempt exceeds its deadline; retried like a 503. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError'
  constructor(readonly deadlineMs: number) {
    super(`no answer within ${deadlineMs / 1000}s`)
  }
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

/**
 * Runs `call` until it succeeds, fails with a non-retryable error, or the attempts run out.
 * @param call - one attempt; receives an AbortSignal that fires at the attempt's deadline
 * @param options - the policy, the classifier of failures, and the sleep function (injected by tests)
 */
export async function withRetry<T>(
  call: (signal: AbortSignal) => Promise<T>,
  options: {policy: RetryPolicy; classify: (error: unknown) => RetryDecision; sleep?: Sleep; random?: () => number},
): Promise<T> {
  const {policy, classify, sleep = realSleep, random = Math.random} = options
  let lastError: unknown
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    try {
      return await withDeadline(call, policy.deadlineMs)
    } catch (error) {
      const decision = error instanceof DeadlineError ? {retry: true} : classify(error)
      if (!decision.retry) throw error
      lastError = error
      if (attempt === policy.attempts - 1) break
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
      // Half fixed, half random ("equal jitter"): bounded, yet concurrent callers do not retry in lockstep.
      const delay = decision.delayMs === undefined ? backoff / 2 + (random() * backoff) / 2 : Math.min(policy.maxDelayMs, decision.delayMs)
      await sleep(delay)
    }
  }
  throw new RetriesExhaustedError(policy.attempts, lastError)
}

async function withDeadline<T>(call: (signal: AbortSignal) => Promise<T>, deadlineMs: number): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new DeadlineError(deadlineMs))
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
