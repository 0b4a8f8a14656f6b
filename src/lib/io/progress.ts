/**
 * Progress of long work on stderr. On a terminal: one status line rewritten in place (what is
 * happening, `3/20`, seconds elapsed), cleared before any other line is written. Otherwise (a pipe,
 * a CI log, TERM=dumb): one plain line per step and no counters, so logs stay short and readable.
 */
import type {Env, WritableLike} from './output.js'

export interface Progress {
  /** A step begins ("Loading the diagram renderer"). */
  step(text: string): void
  /** A count within the current step; shown on a terminal only. */
  count(done: number, total: number, detail?: string): void
  /** A permanent line on stderr (the status line is cleared first and drawn again after). */
  line(text: string): void
  /** Clears the status line and stops its clock; call before the command ends. */
  end(): void
}

/** Whether progress is drawn in place: stderr is a terminal and TERM is not `dumb`. */
export function liveProgress(stderr: WritableLike, env: Env): boolean {
  return Boolean(stderr.isTTY) && env.TERM !== 'dumb'
}

/**
 * Creates the progress reporter for one command run.
 * @param stderr - the stream (process.stderr, or a test buffer)
 * @param env - the environment (TERM)
 * @param now - the clock, in milliseconds (tests pass a fixed one)
 */
export function createProgress(stderr: WritableLike & {columns?: number}, env: Env, now: () => number = Date.now): Progress {
  if (!liveProgress(stderr, env)) {
    return {
      step: (text) => void stderr.write(`${text}\n`),
      count: () => undefined,
      line: (text) => void stderr.write(text.endsWith('\n') ? text : `${text}\n`),
      end: () => undefined,
    }
  }
  let step = ''
  let counter = ''
  let started = now()
  let shown = false
  let timer: ReturnType<typeof setInterval> | undefined
  const clear = () => {
    if (shown) stderr.write('\r\u001B[2K')
    shown = false
  }
  const draw = () => {
    if (step === '') return
    const seconds = Math.floor((now() - started) / 1000)
    const text = `${step}${counter ? ` ${counter}` : ''}${seconds > 0 ? ` (${seconds} s)` : ''}`
    // A terminal that reports no size (0 columns, e.g. a bare pseudo-terminal) counts as 80 wide.
    const width = Math.max(20, (stderr.columns || 80) - 1)
    stderr.write(`\r\u001B[2K${[...text].length > width ? `${[...text].slice(0, width - 1).join('')}…` : text}`)
    shown = true
  }
  return {
    step(text) {
      step = text
      counter = ''
      started = now()
      draw()
      // The clock moves while one long step (loading D2) runs; unref'd so it never keeps Node alive.
      timer ??= setInterval(draw, 1000)
      timer.unref?.()
    },
    count(done, total, detail) {
      counter = `${done}/${total}${detail ? ` ${detail}` : ''}`
      draw()
    },
    line(text) {
      clear()
      stderr.write(text.endsWith('\n') ? text : `${text}\n`)
      draw()
    },
    end() {
      if (timer) clearInterval(timer)
      timer = undefined
      clear()
      step = ''
    },
  }
}
