import {createInterface} from 'node:readline/promises'
import type {Readable, Writable} from 'node:stream'
import {CancelledError} from '../io/errors.js'

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
 * Creates a prompter reading answer lines from `input` and writing questions to `output` (stderr in msp,
 * so stdout keeps only the result). Answers typed ahead are buffered; end of input or Ctrl-C cancels.
 * @param streams - where answers come from and where questions go
 */
export function createPrompter(streams: {input: Readable; output: Writable}): Prompter {
  const {input, output} = streams
  const rl = createInterface({input, output, terminal: Boolean((input as {isTTY?: boolean}).isTTY)})
  // Without a listener readline would only pause on Ctrl-C and leave the question hanging.
  rl.on('SIGINT', () => rl.close())
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
