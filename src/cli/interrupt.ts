import {rmSync} from 'node:fs'
import {drainWrites, pendingTempFiles} from '../lib/io/atomic-write.js'
import {runShutdownCleanups} from '../lib/io/shutdown.js'
import {ExitCode, exitWhenDrained} from './exit.js'

let installed = false

/** How long an interrupt waits for writes in flight to stop and clean up. */
const DRAIN_MS = 3000

/**
 * On Ctrl-C (SIGINT) or SIGTERM: stop starting writes, wait for the ones in flight to remove their
 * temp files, so an interrupted run leaves every file either old or new and no `.msp-tmp-*` litter,
 * then exit 130 (143 for SIGTERM) once stdout and stderr have drained (see exit.ts).
 */
export function installInterruptHandler(): void {
  if (installed) return
  installed = true
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(signal === 'SIGINT' ? '\nInterrupted.\n' : '\nTerminated.\n')
    // Child processes are stopped (and waited for) alongside the writes, so none outlives msp.
    void Promise.all([drainWrites(DRAIN_MS), runShutdownCleanups(DRAIN_MS)]).finally(() => {
      for (const file of pendingTempFiles()) rmSync(file, {force: true})
      void exitWhenDrained(signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated)
    })
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
}
