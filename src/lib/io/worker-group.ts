/**
 * A group of worker threads seen from the main thread, the part every pool of msp shares: a worker
 * that dies (out of memory, a bug in its start-up) fails the run instead of hanging it, the main
 * thread waits for what the workers have said so far, and on Ctrl-C each worker is asked to stop
 * (its answer awaited) before msp exits.
 */
import {Worker} from 'node:worker_threads'
import {onShutdown} from './shutdown.js'

export interface WorkerGroup<In> {
  /** Posts a message to every worker. */
  post(message: In): void
  /** Resolves once `done()` holds, checked after every message; rejects when a worker died. */
  until(done: () => boolean): Promise<void>
  /** Ends the workers. */
  close(): Promise<void>
}

/**
 * Starts `count` workers of one script.
 * @param script - the worker's module
 * @param count - how many
 * @param options - `what` names the workers in a crash message; `onMessage` gets every message
 *   (with the index of its worker); `stop` is what an interrupt posts, and `stopped` tells the answer
 *   the interrupt waits for
 */
export function startWorkerGroup<In, Out>(
  script: URL,
  count: number,
  options: {what: string; onMessage: (message: Out, worker: number) => void; stop: In; stopped: (message: Out) => boolean},
): WorkerGroup<In> {
  const workers = Array.from({length: count}, () => new Worker(script))
  let crash: Error | undefined
  const stopped = new Map<Worker, () => void>()
  const waiters = new Set<() => void>()
  const wake = () => {
    for (const w of [...waiters]) w()
  }
  workers.forEach((worker, i) => {
    worker.on('message', (message: Out) => {
      if (options.stopped(message)) stopped.get(worker)?.()
      else options.onMessage(message, i)
      wake()
    })
    worker.on('error', (error) => {
      crash ??= error
      wake()
    })
    worker.on('exit', (code) => {
      if (code !== 0) crash ??= new Error(`${options.what} exited with code ${code}`)
      stopped.get(worker)?.()
      wake()
    })
  })
  const unregister = onShutdown(async () => {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            stopped.set(worker, resolve)
            worker.postMessage(options.stop)
          }),
      ),
    )
  })
  return {
    post: (message) => {
      for (const worker of workers) worker.postMessage(message)
    },
    until: (done) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (crash !== undefined || done()) waiters.delete(check)
          if (crash !== undefined) reject(crash)
          else if (done()) resolve()
        }
        waiters.add(check)
        check()
      }),
    close: async () => {
      unregister()
      await Promise.all(workers.map((worker) => worker.terminate()))
    },
  }
}
