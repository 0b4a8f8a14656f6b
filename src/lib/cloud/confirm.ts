/** Yes/no confirmation on a terminal; refuses instead of hanging when there is no terminal to ask. */
import {createInterface} from 'node:readline/promises'
import {CancelledError, UsageError} from '../io/errors.js'

/** Asks a question; resolves when confirmed, throws when refused or when nobody can answer. */
export type Confirm = (question: string) => Promise<void>

/**
 * A confirmation that always passes (`--yes`) or asks on the terminal: only an explicit "y"/"yes"
 * confirms; without a TTY on stdin it throws a UsageError naming the flag rather than waiting forever.
 * @param options - whether --yes was given, the streams to use, and the flag to mention
 */
export function createConfirm(options: {yes: boolean; stdin: NodeJS.ReadableStream & {isTTY?: boolean}; stderr: NodeJS.WritableStream; flag?: string}): Confirm {
  const {yes, stdin, stderr, flag = '--yes'} = options
  return async (question) => {
    if (yes) return
    if (!stdin.isTTY) throw new UsageError(`${question} — refusing without confirmation: stdin is not a terminal`, {hint: `pass ${flag} to confirm non-interactively`})
    const rl = createInterface({input: stdin, output: stderr})
    // In terminal mode readline swallows Ctrl-C and, with no listener, merely pauses: the prompt would
    // hang. Treat it as "no" instead.
    const interrupted = new AbortController()
    rl.on('SIGINT', () => interrupted.abort())
    try {
      const answer = (await rl.question(`${question} (y/N) `, {signal: interrupted.signal})).trim().toLowerCase()
      if (answer !== 'y' && answer !== 'yes') throw new CancelledError('aborted')
    } catch (error) {
      if (interrupted.signal.aborted) throw new CancelledError('aborted (interrupted)')
      throw error
    } finally {
      rl.close()
    }
  }
}
