/**
 * Loading many specs on several threads: the main thread and its workers (load-worker.ts) claim
 * services from a shared counter and each reads, parses, validates (and caches) what it claimed; the
 * workers send the loaded services to the main thread. The outcome is exactly loadEvery's over
 * resolveService: the services in id order, or one SpecError naming every broken spec, or the first
 * failure that is not about a spec (in id order).
 */
import {startWorkerGroup} from '../io/worker-group.js'
import {eachClaim, newClaims, receivedError, sendError, type SentError} from '../io/threads.js'
import type {SpecIssue} from '../io/errors.js'
import {loadEvery, loadFailureIssues, throwLoadFailures} from '../spec/load-every.js'
import type {LoadedService} from '../spec/load.js'
import {resolveService} from './resolve.js'

/** Below this many services, starting a worker costs more than it saves. */
export const THREADED_MIN_SERVICES = 100

/** The spec cache a load reads and refreshes (see spec-cache.ts). */
export interface LoadCache {
  cacheDir?: string
  fingerprint?: string
}

/** One service's outcome, as a thread sends it. */
export type LoadOutcome = {service: LoadedService} | {issues: SpecIssue[]} | {failure: SentError}

/** Messages between the main thread and a load worker. */
export type ToLoadWorker = {type: 'load'; root: string; ids: readonly string[]; cache: LoadCache; claims: Int32Array} | {type: 'halt'}
export type FromLoadWorker = {type: 'loaded'; position: number; outcome: LoadOutcome} | {type: 'done'} | {type: 'halted'}

/**
 * One service loaded as resolveService loads it, its failure turned into what loadEvery keeps.
 * @param root - the repo root
 * @param id - the service id
 * @param cache - the spec cache
 */
export async function loadOutcome(root: string, id: string, cache: LoadCache): Promise<LoadOutcome> {
  try {
    return {service: await resolveService(root, id, cache)}
  } catch (error) {
    const issues = loadFailureIssues(id, error)
    return issues === undefined ? {failure: sendError(error)} : {issues}
  }
}

/**
 * loadEvery over resolveService, on `workers` worker threads besides this one when there are at
 * least {@link THREADED_MIN_SERVICES} services (else on this thread alone).
 * @param root - the repo root
 * @param ids - the service ids, in order
 * @param cache - the spec cache
 * @param workers - how many worker threads may help
 * @param report - filled in: whether workers were started (they are when loading is slow)
 */
export async function loadEveryInThreads(
  root: string,
  ids: readonly string[],
  cache: LoadCache,
  workers: number,
  report: {workersStarted?: boolean} = {},
): Promise<LoadedService[]> {
  if (workers <= 0 || ids.length < THREADED_MIN_SERVICES) return loadEvery(ids, (id) => resolveService(root, id, cache))
  const claims = newClaims()
  const outcomes: (LoadOutcome | undefined)[] = new Array(ids.length)
  let pool: LoadPool | undefined
  let decided = false
  const started = performance.now()
  try {
    // Reading and parsing a spec is synchronous: a signal (or a worker's message) is taken between two.
    await eachClaim(claims, ids.length, async (position) => {
      // Workers only when loading is slow (specs parsed, not read from the spec cache): decided once,
      // after a first stretch, from the pace so far. A warm cache loads a thousand specs in about the
      // time a worker takes to start.
      const elapsed = performance.now() - started
      if (!decided && elapsed > WORKERS_AFTER_MS) {
        decided = true
        const done = Math.max(1, Atomics.load(claims, 0))
        if ((elapsed * (ids.length - done)) / done > WORKERS_WORTH_MS) pool = startLoadPool(workers, {type: 'load', root, ids, cache, claims}, outcomes)
        report.workersStarted = pool !== undefined
      }
      outcomes[position] = await loadOutcome(root, ids[position]!, cache)
      return true
    })
    await pool?.done()
  } finally {
    await pool?.close()
  }
  const failure = outcomes.find((o) => o !== undefined && 'failure' in o)
  if (failure && 'failure' in failure) throw receivedError(failure.failure)
  throwLoadFailures(outcomes.flatMap((o) => (o && 'issues' in o ? o.issues : [])))
  return outcomes.map((o, i) => {
    if (!o || !('service' in o)) throw new Error(`service ${ids[i]} was not loaded`)
    return o.service
  })
}

/** How long the main thread loads alone before it decides on workers. */
const WORKERS_AFTER_MS = 100

/** Workers start only when the loading left at that pace would take longer than this. */
const WORKERS_WORTH_MS = 400

interface LoadPool {
  /** Resolves when every worker has loaded all it claimed; rejects when one died. */
  done(): Promise<void>
  close(): Promise<void>
}

/**
 * Starts the load workers; each outcome they send lands in `outcomes`.
 * @param count - how many
 * @param job - the load
 * @param outcomes - where the outcomes go, by position
 */
function startLoadPool(count: number, job: ToLoadWorker, outcomes: (LoadOutcome | undefined)[]): LoadPool {
  let doneCount = 0
  // Ctrl-C: each worker finishes the spec in hand (a cache write included) and starts no other.
  const group = startWorkerGroup<ToLoadWorker, FromLoadWorker>(new URL('./load-worker.js', import.meta.url), count, {
    what: 'a spec loading worker',
    onMessage: (message) => {
      if (message.type === 'loaded') outcomes[message.position] = message.outcome
      else if (message.type === 'done') doneCount++
    },
    stop: {type: 'halt'},
    stopped: (message) => message.type === 'halted',
  })
  group.post(job)
  return {done: () => group.until(() => doneCount === count), close: () => group.close()}
}
