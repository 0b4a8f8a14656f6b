import {rmSync} from 'node:fs'
import {haltWork} from '../lib/io/cooperate.js'
import type {IoContext, StopSignal} from '../lib/io/context.js'
import {runShutdownCleanups} from '../lib/io/shutdown.js'
import type {WriteTracker} from '../lib/io/write-tracker.js'
import {ExitCode, exitWhenDrained, setExitCode} from './exit.js'

const installed = new WeakSet<IoContext>()

/** How long an interrupt waits for writes in flight to stop and clean up. */
const DRAIN_MS = 3000

const SIGNALS = {
  SIGINT: {code: ExitCode.interrupted, message: '\nInterrupted.\n'},
  SIGTERM: {code: ExitCode.terminated, message: '\nTerminated.\n'},
  SIGHUP: {code: ExitCode.hangup, message: '\nHung up.\n'},
} as const

/**
 * On Ctrl-C (SIGINT), SIGTERM or SIGHUP: stop starting writes, wait for the ones in flight to remove
 * their temp files, so an interrupted run leaves every file either old or new and no `.msp-tmp-*`
 * litter, then exit 130 (143 for SIGTERM, 129 for SIGHUP) once stdout and stderr have drained (see
 * exit.ts). A closed stdout or stderr does not delay the exit.
 * A context without signals (a command run in-process by a test) gets no handler.
 * @param writes - the run's writes in flight
 * @param io - the run's I/O context
 */
export function installInterruptHandler(writes: WriteTracker, io: IoContext): void {
  if (!io.onStopSignal || installed.has(io)) return
  installed.add(io)
  io.onStopSignal((signal: StopSignal) => {
    io.stderr.write(SIGNALS[signal].message)
    // The status is the signal's from now on, even if the work ends on its own before the drain below
    // does; and no further slice of long synchronous work starts (see cooperate.ts).
    setExitCode(SIGNALS[signal].code)
    haltWork()
    // Child processes are stopped (and waited for) alongside the writes, so none outlives msp.
    void Promise.all([writes.drain(DRAIN_MS), runShutdownCleanups(DRAIN_MS)]).finally(() => {
      for (const file of writes.tempFiles()) rmSync(file, {force: true})
      void exitWhenDrained(SIGNALS[signal].code)
    })
  })
}
