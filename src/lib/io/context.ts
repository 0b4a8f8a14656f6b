/**
 * The I/O context of one msp run: everything a command would otherwise take from the process (its
 * streams, environment, working directory, home, clock, browser and exit code). The entry point builds
 * it from the process once (src/cli/io.ts); a test builds one from buffers and runs commands in-process
 * against it. Commands and lib code receive what they need from it and never reach for `process`.
 */
import type {Readable, Writable} from 'node:stream'
import type {Browser} from './browser.js'
import type {Env} from './output.js'

/** An output stream, and what msp asks of a terminal: whether it is one, and its width when it says. */
export type OutStream = Writable & {isTTY?: boolean; columns?: number}

/** The input stream: prompts and confirmations read it; only a TTY may be asked a question. */
export type InStream = Readable & {isTTY?: boolean}

/** The signals an interrupted run reacts to (see src/cli/interrupt.ts). */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP'

export interface IoContext {
  readonly stdout: OutStream
  readonly stderr: OutStream
  readonly stdin: InStream
  /** Environment variables of this run. */
  readonly env: Env
  /** The working directory (an absolute path). */
  readonly cwd: string
  /** The user's home directory. */
  readonly home: string
  readonly platform: NodeJS.Platform
  readonly arch: string
  /** The clock: the current time of this run. */
  now(): Date
  /** Opens URLs (the system browser, or a recorder in tests). */
  readonly browser: Browser
  /** Records the run's exit code (the process's `exitCode`, or a test's result). */
  setExitCode(code: number): void
  /**
   * Calls `handler` once when the run is asked to stop (Ctrl-C, SIGTERM, SIGHUP); absent where nothing can
   * send a signal (an in-process test).
   */
  readonly onStopSignal?: (handler: (signal: StopSignal) => void) => void
}
