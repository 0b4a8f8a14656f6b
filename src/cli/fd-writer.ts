import {fstatSync, writeSync} from 'node:fs'

/** A standard stream of the fast path, written without Node's stream machinery. */
export interface FdWriter {
  write(chunk: string): boolean
  readonly isTTY: false
  /** The write error that ended the output, other than the reader going away (a full disk behind `>`). */
  readonly failure?: NodeJS.ErrnoException
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * The fast path's stdout or stderr when it is not a terminal (a pipe, a socket, a file): written with
 * `writeSync`, so an answer loads none of Node's stream modules (`process.stdout` on a pipe costs about
 * 5 ms of a 130 ms answer). Synchronous, so nothing is pending at exit. A reader that went away
 * (EPIPE) ends the output and nothing else, as the guarded streams of the full path do; any other
 * write error ends it too and is kept in `failure`, for the run to report. On a terminal (or a
 * character device such as /dev/null) the answer is undefined: the caller uses `process.stdout`,
 * which knows the terminal's width.
 * @param fd - 1 or 2
 */
export function fdWriter(fd: 1 | 2): FdWriter | undefined {
  try {
    if (fstatSync(fd).isCharacterDevice()) return undefined
  } catch {
    return undefined
  }
  let closed = false
  let failure: NodeJS.ErrnoException | undefined
  return {
    isTTY: false,
    get failure() {
      return failure
    },
    write(chunk: string): boolean {
      if (closed) return true
      const bytes = Buffer.from(chunk, 'utf8')
      let offset = 0
      while (offset < bytes.length) {
        try {
          offset += writeSync(fd, bytes, offset)
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code
          // A non-blocking pipe that is full: wait a millisecond for the reader, then write the rest.
          if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1)
          else {
            closed = true
            if (code !== 'EPIPE') failure = error as NodeJS.ErrnoException
            return true
          }
        }
      }
      return true
    },
  }
}
