/**
 * Runs `cloud-sql-proxy` for `msp pg connect`: port check first, then the proxy as a child process
 * without a shell, each output line streamed with the original's prefix, the original's permission
 * hint on the known failure lines, and a session timeout. However the session ends (timeout, Ctrl-C,
 * the proxy failing), the child is stopped and waited for: no proxy outlives msp.
 */
import {spawn as nodeSpawn, type ChildProcess} from 'node:child_process'
import {createServer} from 'node:net'
import {createInterface} from 'node:readline'
import {UserError} from '../io/errors.js'
import {onShutdown} from '../io/shutdown.js'

/** Lines after which the original suggested a missing Entitle grant (GCP sometimes times out instead of denying). */
const PERMISSION_PATTERNS = ['IAM_PERMISSION_DENIED', 'failed to connect to instance: context deadline exceeded']

/** How long a stopped proxy gets to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3000

/**
 * Fails when something already listens on 127.0.0.1:`port` (where the proxy would listen).
 * @param port - the local port for the proxy
 */
export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(new UserError(`port ${port} is in use: port already in use`, {hint: "try a different port using the '--port' flag"}))
      } else reject(error)
    })
    server.listen({port, host: '127.0.0.1', exclusive: true}, () => server.close(() => resolve()))
  })
}

/**
 * The proxy's arguments, as the original ran it: automatic IAM database authentication (`-i`), the
 * local port, and the service account to impersonate.
 * @param options - port, service account e-mail and instance connection name
 */
export function proxyArgs(options: {port: number; serviceAccount: string; connectionName: string}): string[] {
  return ['-i', '-p', String(options.port), `--impersonate-service-account=${options.serviceAccount}`, options.connectionName]
}

/** How a proxy session ended (failures are thrown instead). */
export type ProxyOutcome = 'timeout' | 'exited'

/** Where the session's text goes; the caller decides streams and styles. */
export interface ProxyReporter {
  /** One line of the proxy's output (stdout or stderr), without its newline. */
  line(text: string): void
  /** A line matched a known permission failure (called after a short delay so related output comes first). */
  permissionHint(): void
  /** The session timeout fired; the proxy is being stopped. */
  timedOut(seconds: number): void
}

/**
 * Runs the proxy until it exits, the session times out, or msp is interrupted (the shutdown hook stops
 * it). Resolves 'timeout' or 'exited' (status 0); a failed start or a non-zero exit is a UserError.
 * @param options - binary path, arguments, timeout in seconds (0 = none), reporter, and a spawn seam
 */
export async function runProxy(options: {
  binary: string
  args: readonly string[]
  timeoutSeconds: number
  report: ProxyReporter
  env?: NodeJS.ProcessEnv
  spawn?: typeof nodeSpawn
}): Promise<ProxyOutcome> {
  const {binary, args, timeoutSeconds, report} = options
  const spawn = options.spawn ?? nodeSpawn
  const child: ChildProcess = spawn(binary, [...args], {stdio: ['ignore', 'pipe', 'pipe'], shell: false, env: options.env ?? process.env})
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null; error?: Error}>((resolve) => {
    child.once('error', (error) => resolve({code: null, signal: null, error}))
    child.once('exit', (code, signal) => resolve({code, signal}))
  })
  const hintTimers = new Set<NodeJS.Timeout>()
  const onLine = (text: string) => {
    report.line(text)
    if (PERMISSION_PATTERNS.some((p) => text.includes(p))) {
      const timer = setTimeout(() => (hintTimers.delete(timer), report.permissionHint()), 100)
      hintTimers.add(timer)
    }
  }
  const streams = [child.stdout, child.stderr].filter((s) => s !== null)
  const readers = streams.map((s) => createInterface({input: s, crlfDelay: Infinity}))
  for (const r of readers) r.on('line', onLine)
  const drained = Promise.all(streams.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))))

  let stopping: Promise<unknown> | undefined
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
        await exited
        clearTimeout(force)
      }
    })()
    return stopping
  }
  // Ctrl-C: the interrupt handler awaits this before exiting. A plain exit (any other path) still kills it.
  const unregister = onShutdown(async () => void (await stop()))
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)

  let timedOut = false
  const timer =
    timeoutSeconds > 0
      ? setTimeout(() => {
          timedOut = true
          report.timedOut(timeoutSeconds)
          void stop()
        }, timeoutSeconds * 1000)
      : undefined
  try {
    const result = await exited
    await drained
    if (timedOut) return 'timeout'
    if (result.error) throw new UserError(`failed to start cloud-sql-proxy: ${result.error.message}`, {hint: `is ${binary} an executable for this platform?`})
    if (result.code === 0) return 'exited'
    throw new UserError(`failed to start cloud-sql-proxy: it exited with ${result.code === null ? `signal ${result.signal}` : `status ${result.code}`}`, {
      hint: 'see its output above',
    })
  } finally {
    clearTimeout(timer)
    // A proxy that fails right after the telling line still gets its hint.
    for (const t of hintTimers) {
      clearTimeout(t)
      report.permissionHint()
    }
    unregister()
    process.removeListener('exit', killOnExit)
    await stop()
  }
}
