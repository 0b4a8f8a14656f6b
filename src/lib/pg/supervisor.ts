/**
 * The supervisor of cloud-sql-proxy: a small Node process between msp and the proxy, run as
 * `node supervisor.js <timeout ms> <grace ms> <binary> <args…>`, so that the proxy never outlives msp
 * however msp ends (Ctrl-C, SIGTERM, SIGHUP, SIGKILL, a crash) and the session limit holds even then.
 *
 * - msp holds the write end of the supervisor's stdin and never writes to it. The pipe closes when msp
 *   asks the session to end (it closes the pipe) and when msp dies in any way (the kernel closes it),
 *   so one event covers every ending: the supervisor stops the proxy (SIGTERM, SIGKILL after the grace
 *   period) and exits. A parent-pid check every 500 ms is a second, independent trigger.
 * - The session limit is enforced here, not only in msp: when it passes the proxy is stopped whether or
 *   not msp is still alive.
 * - The proxy shares the supervisor's stdout and stderr (msp reads them); events for msp (timeout,
 *   failed start) go as JSON lines to file descriptor 3.
 * - SIGINT, SIGTERM and SIGHUP sent to the supervisor (a terminal sends them to the whole process
 *   group) stop the proxy the same way.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {createWriteStream} from 'node:fs'
import {pathToFileURL} from 'node:url'

/** The supervisor's exit status when the session limit ended the session (as `timeout(1)`). */
export const SUPERVISOR_TIMEOUT_STATUS = 124
/** The supervisor's exit status when the proxy could not be started. */
export const SUPERVISOR_SPAWN_FAILED_STATUS = 126

/** One message from the supervisor to msp on file descriptor 3. */
export type SupervisorEvent = {event: 'timeout'} | {event: 'spawn-error'; message: string}

function main(argv: readonly string[]): void {
  const [timeoutText, graceText, binary, ...args] = argv
  const timeoutMs = Number(timeoutText)
  const graceMs = Number(graceText)
  const events = createWriteStream('', {fd: 3})
  // msp may be gone: a closed pipe is not the supervisor's problem.
  events.on('error', () => undefined)
  process.stdout.on('error', () => undefined)
  process.stderr.on('error', () => undefined)
  const tell = (event: SupervisorEvent) => void events.write(`${JSON.stringify(event)}\n`)

  if (!binary || !Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 2 ** 31 - 1 || !Number.isInteger(graceMs)) {
    tell({event: 'spawn-error', message: 'invalid supervisor arguments'})
    process.exitCode = SUPERVISOR_SPAWN_FAILED_STATUS
    return
  }

  const parent = process.ppid
  let proxy: ChildProcess | undefined
  let stopping = false
  let exitStatus: number | undefined
  const timers: NodeJS.Timeout[] = []

  const finish = () => {
    for (const t of timers) clearTimeout(t)
    process.stdin.destroy()
    events.end()
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(s)
  }
  const stop = (status?: number) => {
    if (status !== undefined && exitStatus === undefined) exitStatus = status
    if (stopping) return
    stopping = true
    if (!proxy || proxy.exitCode !== null || proxy.signalCode !== null) return finish()
    proxy.kill('SIGTERM')
    const force = setTimeout(() => proxy?.kill('SIGKILL'), graceMs)
    force.unref()
    timers.push(force)
  }

  try {
    proxy = spawn(binary, args, {stdio: ['ignore', 'inherit', 'inherit'], shell: false})
  } catch (error) {
    tell({event: 'spawn-error', message: (error as Error).message})
    process.exitCode = SUPERVISOR_SPAWN_FAILED_STATUS
    return finish()
  }
  proxy.once('error', (error) => {
    tell({event: 'spawn-error', message: error.message})
    process.exitCode = SUPERVISOR_SPAWN_FAILED_STATUS
    stopping = true
    finish()
  })
  proxy.once('exit', (code, signal) => {
    process.exitCode = exitStatus ?? code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)
    finish()
  })
  // A crash of the supervisor itself still takes the proxy with it.
  process.once('exit', () => void proxy?.kill('SIGKILL'))

  process.stdin.on('data', () => undefined)
  process.stdin.once('end', () => stop())
  process.stdin.once('close', () => stop())
  process.stdin.once('error', () => stop())
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => stop(status))
  }
  const watch = setInterval(() => {
    if (process.ppid !== parent) stop()
  }, 500)
  timers.push(watch)
  if (timeoutMs > 0) {
    timers.push(
      setTimeout(() => {
        tell({event: 'timeout'})
        stop(SUPERVISOR_TIMEOUT_STATUS)
      }, timeoutMs),
    )
  }
}

// Run only as the supervisor process, never when imported for its constants.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2))
