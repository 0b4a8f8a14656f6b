/**
 * The writes in flight of one msp run, as an explicit object the command creates and passes down
 * (no module-level registry): an interrupt stops new writes, waits for the ones in flight to remove
 * their temp files, and the stale-file sweep never takes a temp file this run is still writing.
 */
import {CancelledError} from './errors.js'

export class WriteTracker {
  /** Temp file → the promise of its write (settles after its clean-up). */
  private readonly inFlight = new Map<string, Promise<void>>()
  private stopping = false

  /** True once an interrupt has started draining: new writes are refused. */
  get draining(): boolean {
    return this.stopping
  }

  /** Temp files still being written. */
  tempFiles(): readonly string[] {
    return [...this.inFlight.keys()]
  }

  /**
   * Whether this run is writing the temp file right now.
   * @param tmp - absolute path of a temp file
   */
  isWriting(tmp: string): boolean {
    return this.inFlight.has(tmp)
  }

  /** Throws the interrupt's CancelledError once draining has started (checked between write steps). */
  assertOpen(): void {
    if (this.stopping) throw new CancelledError('interrupted')
  }

  /**
   * Registers a write until it settles.
   * @param tmp - its temp file
   * @param write - the write, which removes its temp file itself on failure
   */
  async track(tmp: string, write: Promise<void>): Promise<void> {
    this.inFlight.set(tmp, write)
    try {
      await write
    } finally {
      this.inFlight.delete(tmp)
    }
  }

  /**
   * For an interrupt: refuse new writes, let the ones in flight stop at their next step and remove
   * their temp files, and resolve when they all have (or after `timeoutMs`). Waiting matters: a file
   * system call already handed to the thread pool can create a temp file after any synchronous clean-up.
   * @param timeoutMs - upper bound on the wait
   */
  async drain(timeoutMs: number): Promise<void> {
    this.stopping = true
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      }),
    ])
    clearTimeout(timer)
  }
}
