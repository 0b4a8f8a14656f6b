/**
 * `generate` over many environments on several threads. The environments to build are claimed one at
 * a time from a shared counter by the main thread and by each worker (worker.ts); whoever builds an
 * environment also writes it, so rendered bytes never cross threads. Each thread builds its share,
 * then waits: only when every thread has built every environment it claimed without an error does
 * writing start, so a spec error still aborts before anything is written. Results travel back to the
 * main thread, which reports them in the order of the environments and records their stamps.
 *
 * A failed build is reported as the first failing environment in order, as one thread would find it:
 * a thread stops claiming after its own failure and no thread claims past the lowest failure, so
 * every environment before that one is built by someone.
 */
import {letSignalsIn} from '../io/cooperate.js'
import {receivedError, type SentError} from '../io/threads.js'
import {startWorkerGroup} from '../io/worker-group.js'
import type {Edition} from '../edition/editions.js'

/** Below this many environments to build, starting a worker costs more than it saves. */
export const THREADED_MIN_ENVIRONMENTS = 200

/** How long an interrupted worker may take to stop its writes and remove its temp files. */
const WORKER_DRAIN_MS = 2500

/** One environment a worker may build: what planEnvironment needs, by reference into {@link ThreadJob.services}. */
export interface JobEnvironment {
  /** Its index in the run's selection (results are reported in this order). */
  index: number
  service: number
  envId: string
  edition: Edition
  /** The resolved image tag to write to terraform.tfvars (`--stable=false`). */
  tag?: string
}

/** What every worker receives at its start (structured-cloneable). */
export interface ThreadJob<Service> {
  root: string
  terraformVersion: string
  check: boolean
  services: Service[]
  /** The environments to build, by position; claimed through {@link claims}. */
  environments: JobEnvironment[]
  claims: Int32Array
}

/** Messages from a worker to the main thread. */
export type FromWorker<Result> =
  | {type: 'built'; count: number; failed?: {position: number; error: SentError}}
  | {type: 'result'; index: number; result: Result; files: string[]}
  | {type: 'write-failed'; index: number; error: SentError}
  | {type: 'written'}
  | {type: 'drained'}

/** Messages from the main thread to a worker. */
export type ToWorker<Service> =
  {type: 'job'; job: ThreadJob<Service>} | {type: 'write'} | {type: 'stop-after'; index: number} | {type: 'drain'; timeoutMs: number}

/** The workers of one run, seen from the main thread. */
export interface WorkerPool<Result> {
  /** Resolves when every worker has built its share: how many environments each built, and the failures. */
  built(): Promise<{counts: number[]; failures: {position: number; error: SentError}[]}>
  /**
   * Lets every worker write its share; resolves when all have written (or stopped after a failure).
   * @param onResult - each written environment, as it arrives
   * @param onFailure - a worker's failed write, with the environment's index
   */
  write(onResult: (index: number, result: Result, files: string[]) => void, onFailure: (index: number, error: Error) => void): Promise<void>
  /**
   * No worker starts an environment after this one (the ones in flight finish).
   * @param index - the failed environment's index
   */
  stopAfter(index: number): void
  /** Ends the workers. */
  close(): Promise<void>
}

/**
 * Starts `count` workers on one job.
 * @param count - how many
 * @param job - the run's environments, services and shared counter
 */
export function startWorkers<Service, Result>(count: number, job: ThreadJob<Service>): WorkerPool<Result> {
  // What the workers have said so far; a message can arrive before the main thread asks for it.
  const state = {built: 0, written: 0, counts: [] as number[], failures: [] as {position: number; error: SentError}[]}
  let writing: {onResult: (index: number, result: Result, files: string[]) => void; onFailure: (index: number, error: Error) => void} | undefined
  const onMessage = (message: FromWorker<Result>, worker: number) => {
    switch (message.type) {
      case 'built':
        state.built++
        state.counts[worker] = message.count
        if (message.failed) state.failures.push(message.failed)
        break
      case 'result':
        writing?.onResult(message.index, message.result, message.files)
        break
      case 'write-failed':
        writing?.onFailure(message.index, receivedError(message.error))
        break
      case 'written':
        state.written++
        break
    }
  }
  // Ctrl-C: each worker stops its writes and removes its temp files before msp exits.
  const group = startWorkerGroup<ToWorker<Service>, FromWorker<Result>>(new URL('./worker.js', import.meta.url), count, {
    what: 'a generate worker',
    onMessage,
    stop: {type: 'drain', timeoutMs: WORKER_DRAIN_MS},
    stopped: (message) => message.type === 'drained',
  })
  group.post({type: 'job', job})
  return {
    async built() {
      await group.until(() => state.built === count)
      return {counts: state.counts, failures: state.failures}
    },
    async write(onResult, onFailure) {
      writing = {onResult, onFailure}
      group.post({type: 'write'})
      await group.until(() => state.written === count)
    },
    stopAfter: (index) => group.post({type: 'stop-after', index}),
    close: () => group.close(),
  }
}

/**
 * Runs `run` over the items with at most `width` in flight: a window, not batches, so the next item
 * starts as soon as one is done (with batches the event loop sat idle at each batch's slowest fsync).
 * After a failure, or when `halted(item)` holds for the next item, no new item starts; the ones in
 * flight finish.
 * @param items - the work, started in order
 * @param width - how many at once
 * @param run - does one item
 * @param halted - true when this item may not start (it comes after another thread's failure)
 * @returns the first failure and its item, if any
 */
export async function inWindow<T>(
  items: readonly T[],
  width: number,
  run: (item: T) => Promise<void>,
  halted: (item: T) => boolean,
): Promise<{error: unknown; item: T} | undefined> {
  let next = 0
  let failure: {error: unknown; item: T} | undefined
  const lane = async () => {
    while (failure === undefined && next < items.length && !halted(items[next]!)) {
      // Writes of new files never wait for the disk: a signal (or a worker's message) is taken
      // between two items all the same (see cooperate.ts).
      await letSignalsIn()
      if (failure !== undefined || next >= items.length || halted(items[next]!)) return
      const item = items[next++]!
      try {
        await run(item)
      } catch (error) {
        failure ??= {error, item}
        return
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(width, items.length)}, lane))
  return failure
}
