/**
 * Long synchronous work (reading and validating thousands of specs, building their stacks, rendering
 * pages) gives the event loop a turn every {@link SLICE_MS} milliseconds, so a Ctrl-C, SIGTERM or
 * SIGHUP handler runs within one slice instead of when the work ends. Units of work go through one
 * queue, run one at a time: concurrent callers (`Promise.all` over loads) are sliced as well as a
 * loop is. Once a stop signal has been taken, no further unit starts: the work parks where it stands
 * and the interrupt handler exits.
 */

/** The longest stretch of work between two turns of the event loop. */
export const SLICE_MS = 25

const queue: (() => void)[] = []
let sliceStart = performance.now()
let turnScheduled = false
let running = false
let halted = false

/** A promise that never settles and holds no handle: parked work keeps nothing alive. */
const parked = new Promise<never>(() => {})

function runQueue(): void {
  // A unit that queues another (nested) leaves it to the loop already running.
  if (running) return
  running = true
  try {
    drainQueue()
  } finally {
    running = false
  }
}

function drainQueue(): void {
  while (queue.length > 0 && !halted) {
    if (performance.now() - sliceStart >= SLICE_MS) {
      if (!turnScheduled) {
        turnScheduled = true
        setImmediate(() => {
          turnScheduled = false
          sliceStart = performance.now()
          runQueue()
        })
      }
      return
    }
    queue.shift()!()
  }
}

/**
 * Runs one unit of synchronous work in its turn: at once while the current slice is short, else
 * after the event loop has had a turn (I/O and signals run). After {@link haltWork}, never runs it.
 * @param work - the unit (one spec loaded, one environment built, one page rendered)
 */
export function sliced<T>(work: () => T): Promise<T> {
  if (halted) return parked
  return new Promise<T>((resolve, reject) => {
    queue.push(() => {
      try {
        resolve(work())
      } catch (error) {
        reject(error)
      }
    })
    if (!turnScheduled) runQueue()
  })
}

/** Call between units of a loop: waits for a turn of the event loop when the slice is spent. */
export function letSignalsIn(): Promise<void> {
  return sliced(() => undefined)
}

/** A stop signal was taken: work waiting in {@link sliced} or {@link letSignalsIn} never runs. */
export function haltWork(): void {
  halted = true
}
