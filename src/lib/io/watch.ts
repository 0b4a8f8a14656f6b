/**
 * `--watch`: take a snapshot, show it, wait, again, until Ctrl-C (the interrupt handler ends the process
 * with 130). On a terminal each snapshot replaces the previous one (cursor home, clear screen); off a
 * terminal snapshots are appended, each under a time line, so a log keeps the history.
 */

import {redactDeep} from './secrets.js'
import {terminalSafeJson} from './terminal.js'

/**
 * A JSON document on one line, as `--watch --json` prints each snapshot: secrets redacted, no raw
 * control character.
 * @param doc - the document
 */
export function compactJson(doc: unknown): string {
  return terminalSafeJson(JSON.stringify(redactDeep(doc)))
}

/** Clears the screen and puts the cursor at the top left (ANSI). */
const CLEAR_SCREEN = '\u001B[H\u001B[2J'

export interface WatchOptions {
  /** Takes one snapshot and returns the text to show (a failure ends the watch with that error). */
  snapshot: () => Promise<string>
  /** Writes to stdout. */
  write: (text: string) => void
  /** True when stdout is a terminal: redraw in place. */
  live: boolean
  /** False for JSON documents: one per line, nothing around them (NDJSON), terminal or not. */
  framed?: boolean
  intervalMs: number
  now: () => Date
  sleep: (ms: number) => Promise<void>
  /** Stops the loop (tests; the command runs until a signal). */
  signal?: AbortSignal
}

/**
 * Shows a snapshot every `intervalMs` until the signal aborts.
 * @param options - the snapshot, the writer, the mode, the interval and the clock
 */
export async function watch(options: WatchOptions): Promise<void> {
  const {snapshot, write, live, intervalMs, now, sleep, signal, framed = true} = options
  while (!signal?.aborted) {
    const text = await snapshot()
    const at = now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
    const body = text.endsWith('\n') ? text : `${text}\n`
    if (!framed) write(body)
    else if (live) write(`${CLEAR_SCREEN}Every ${intervalMs / 1000}s · ${at} · Ctrl-C to stop\n\n${body}`)
    else write(`== ${at} ==\n${body}\n`)
    await sleep(intervalMs)
  }
}
