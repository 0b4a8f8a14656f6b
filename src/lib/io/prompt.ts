/**
 * Questions on a terminal: free-form answers (`msp init`) and yes/no confirmations (`msp tfc sync
 * --all`). Questions go to stderr in msp, so stdout keeps only the result; end of input or Ctrl-C
 * cancels, and a confirmation without a terminal refuses instead of hanging.
 */
import {createInterface} from 'node:readline/promises'
import type {Readable, Writable} from 'node:stream'
import {CancelledError, UsageError} from './errors.js'

/** Asks questions on a terminal; injected so the question flow can be tested with scripted answers. */
export interface Prompter {
  /** Prints an explanation line before a question. */
  say(text: string): void
  /** Prints `question ` and resolves with the answer line, trailing whitespace trimmed. */
  ask(question: string): Promise<string>
  /** Releases the input stream. */
  close(): void
}

/**
 * Creates a prompter reading answer lines from `input` and writing questions to `output`.
 * Answers typed ahead are buffered; end of input or Ctrl-C cancels.
 * @param streams - where answers come from and where questions go
 */
export function createPrompter(streams: {input: Readable; output: Writable}): Prompter {
  const {input, output} = streams
  const rl = createInterface({input, output, terminal: Boolean((input as {isTTY?: boolean}).isTTY)})
  // Without a listener readline would only pause on Ctrl-C and leave the question hanging.
  rl.on('SIGINT', () => rl.close())
  // One line reader for the whole run: lines typed ahead (or pasted, or piped into a terminal) wait in
  // its iterator for their question. A reader per question would drop what the previous one had
  // already read from the stream ("cancelled: no answer was given").
  const lines = rl[Symbol.asyncIterator]()
  return {
    say(text) {
      output.write(`${text}\n`)
    },
    async ask(question) {
      // Through readline, so that line editing in a terminal redraws this prompt and not the default "> ".
      rl.setPrompt(`${question} `)
      rl.prompt()
      const next = await lines.next()
      if (next.done) {
        output.write('\n')
        throw new CancelledError('cancelled: no answer was given (input closed)')
      }
      return String(next.value).trimEnd()
    },
    close() {
      rl.close()
    },
  }
}

/** Asks a question; resolves when confirmed, throws when refused or when nobody can answer. */
export type Confirm = (question: string) => Promise<void>

/**
 * A confirmation that always passes (`--yes`) or asks on the terminal: only an explicit "y"/"yes"
 * confirms; without a TTY on stdin it throws a UsageError naming the flag rather than waiting forever.
 * @param options - whether --yes was given, the streams to use, and the flag to mention
 */
export function createConfirm(options: {
  yes: boolean
  stdin: NodeJS.ReadableStream & {isTTY?: boolean}
  stderr: NodeJS.WritableStream
  flag?: string
}): Confirm {
  const {yes, stdin, stderr, flag = '--yes'} = options
  return async (question) => {
    if (yes) return
    if (!stdin.isTTY)
      throw new UsageError(`${question} — refusing without confirmation: stdin is not a terminal`, {hint: `pass ${flag} to confirm non-interactively`})
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
