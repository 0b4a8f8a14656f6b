/**
 * Runs `cloud-sql-proxy` for `msp pg connect`: port check first, then the proxy as a child process
 * without a shell, each output line streamed with the original's prefix, the original's permission
 * hint on the known failure lines, and a session timeout. The proxy runs under a supervisor process
 * that stops it when the session ends or msp goes away (whatever ends msp): no proxy outlives msp.
 */
import {spawn as nodeSpawn, type ChildProcess} from 'node:child_process'
import {createServer} from 'node:net'
import {createInterface} from 'node:readline'
import type {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'
import {UserError} from '../io/errors.js'
import {onShutdown} from '../io/shutdown.js'
import {SUPERVISOR_SPAWN_FAILED_STATUS, SUPERVISOR_TIMEOUT_STATUS, type SupervisorEvent} from './supervisor.js'
import {processEnv} from '../io/env.js'

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
 * local port, and the service account to impersonate; plus an explicit `--address 127.0.0.1` (the
 * proxy's default, stated so that nothing else can widen it) where msp tells the user to connect.
 * @param options - port, service account e-mail and instance connection name
 */
export function proxyArgs(options: {port: number; serviceAccount: string; connectionName: string}): string[] {
  return ['-i', '--address', '127.0.0.1', '-p', String(options.port), `--impersonate-service-account=${options.serviceAccount}`, options.connectionName]
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

/** Where the compiled supervisor lives: next to this module (dist/lib/pg/). */
function supervisorPath(): string {
  return fileURLToPath(new URL('./supervisor.js', import.meta.url))
}

/**
 * Runs the proxy, under the supervisor (supervisor.ts), until it exits, the session times out, or msp
 * is interrupted (the shutdown hook stops it). The supervisor enforces the session limit and stops the
 * proxy when msp goes away in any way, so neither depends on this process staying alive. Resolves
 * 'timeout' or 'exited' (status 0); a failed start or a non-zero exit is a UserError.
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
  const child: ChildProcess = spawn(process.execPath, [supervisorPath(), String(timeoutSeconds * 1000), String(STOP_GRACE_MS), binary, ...args], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    shell: false,
    env: options.env ?? processEnv(),
  })
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
  let timedOut = false
  let spawnError: string | undefined
  const events = child.stdio[3] as Readable | null | undefined
  if (events) {
    createInterface({input: events, crlfDelay: Infinity}).on('line', (text) => {
      let event: SupervisorEvent | undefined
      try {
        event = JSON.parse(text) as SupervisorEvent
      } catch {
        return
      }
      if (event.event === 'timeout') {
        timedOut = true
        report.timedOut(timeoutSeconds)
      } else if (event.event === 'spawn-error') spawnError = event.message
    })
  }

  let stopping: Promise<unknown> | undefined
  const stop = () => {
    stopping ??= (async () => {
      // Closing the pipe is the one "stop" the supervisor knows (the same event as msp dying).
      child.stdin?.destroy()
      if (child.exitCode === null && child.signalCode === null) {
        // The supervisor itself allows the proxy STOP_GRACE_MS; past that and a margin, it is stuck.
        const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS + 2000)
        await exited
        clearTimeout(force)
      }
    })()
    return stopping
  }
  // Ctrl-C: the interrupt handler awaits this before exiting.
  const unregister = onShutdown(async () => void (await stop()))
  try {
    const result = await exited
    await drained
    if (timedOut || result.code === SUPERVISOR_TIMEOUT_STATUS) return 'timeout'
    if (result.error || spawnError !== undefined || result.code === SUPERVISOR_SPAWN_FAILED_STATUS)
      throw new UserError(`failed to start cloud-sql-proxy: ${result.error?.message ?? spawnError ?? 'unknown error'}`, {
        hint: `is ${binary} an executable for this platform?`,
      })
    if (result.code === 0) return 'exited'
    throw new UserError(`failed to start cloud-sql-proxy: it exited with ${result.code === null ? `signal ${result.signal}` : `status ${result.code}`}`, {
      hint: 'see its output above',
    })
  } finally {
    // A proxy that fails right after the telling line still gets its hint.
    for (const t of hintTimers) {
      clearTimeout(t)
      report.permissionHint()
    }
    unregister()
    await stop()
  }
}
