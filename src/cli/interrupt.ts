import {rmSync} from 'node:fs'
import {pendingTempFiles} from '../lib/io/atomic-write.js'

let installed = false

/**
 * On Ctrl-C (SIGINT) or SIGTERM: remove the temp files of writes still in flight, so an interrupted
 * run leaves every file either old or new and no `.msp-tmp-*` litter, then exit 130 (143 for SIGTERM).
 * Lives in the entry layer: it is the one place besides bin/ allowed to end the process.
 */
export function installInterruptHandler(): void {
  if (installed) return
  installed = true
  const onSignal = (signal: NodeJS.Signals) => {
    for (const file of pendingTempFiles()) rmSync(file, {force: true})
    process.stderr.write(signal === 'SIGINT' ? '\nInterrupted.\n' : '\nTerminated.\n')
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
}
