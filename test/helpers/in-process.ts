/**
 * Runs msp commands in the test's own process: the same command-line reading → oclif path as
 * bin/run.js (minus the process exit and the fast path), against an I/O context of buffers (src/lib/io/context.ts).
 * A spawned `node bin/run.js` costs ~0.5–1 s of start-up and module loading; here oclif and the command
 * modules are loaded once per test worker (Node's module cache) and shared by every call. Each call
 * loads a fresh oclif Config from the manifest (~6 ms once warm), as each process does: oclif's help
 * rewrites the command ids of its Config in place, so a shared one breaks the next run after a help.
 *
 * What runs is the build in dist/ (as bin/run.js runs it), loaded by Node itself rather than by vitest:
 * oclif imports the command files natively, and the entry point must share their module instances (the
 * context store in dist/cli/io.js). test/global-setup.ts rebuilds dist/ when src/ is newer, so unit
 * tests (src/) and command tests (dist/) test the same code.
 */
import {AsyncLocalStorage} from 'node:async_hooks'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {Readable, Writable} from 'node:stream'
import {pathToFileURL} from 'node:url'
import {format} from 'node:util'
import type {CommandLine, CommandTable} from '../../src/lib/command-line/grammar.js'
import type {IoContext} from '../../src/lib/io/context.js'
import {repoDir} from './paths.js'

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface InProcessOptions {
  /** The working directory of the run (default: the msp repository, as runMsp). */
  cwd?: string
  /** Variables added to (or, when undefined, removed from) the test process's environment, as spawnMsp. */
  env?: Record<string, string | undefined>
  /** false: the run's environment is `env` alone, nothing of the test process's. */
  inherit?: boolean
  /** What stdin holds (default: nothing, an ended stream). */
  input?: string
  /** The home directory (default: $HOME of the resulting environment, as a spawned Node would). */
  home?: string
  /** Pretend the streams are terminals (all three, or each); `columns` is the terminal width. */
  tty?: boolean | {stdin?: boolean; stdout?: boolean; stderr?: boolean; columns?: number}
  /** The clock (default: the real one). */
  now?: () => Date
  /** The browser (default: the system browser of the run's environment: $BROWSER, as spawned). */
  browser?: IoContext['browser']
}

interface Loaded {
  runCli: (line: CommandLine, root: string, io: IoContext) => Promise<void>
  commandLineOf: (argv: readonly string[], table: CommandTable) => CommandLine
  readCommandTable: () => CommandTable
  systemBrowser: (env: IoContext['env']) => IoContext['browser']
}

// dist/ must be loaded by Node, once, so that the modules oclif imports (commands, hooks) and the entry
// point are the same instances: vitest.config.ts externalises dist/ (never transformed by vitest).
const dist = (path: string) => import(pathToFileURL(join(repoDir, 'dist', path)).href) as Promise<Record<string, unknown>>

let loading: Promise<Loaded> | undefined

/** The output of the in-process run in progress, for oclif's own printing (help, --version). */
const capture = new AsyncLocalStorage<{stdout: Writable; stderr: Writable}>()

function load(): Promise<Loaded> {
  loading ??= (async () => {
    // oclif runs compiled commands (never its TypeScript auto-transpile) only when NODE_ENV says
    // production, as bin/run.js's tests run it (vitest sets NODE_ENV=test).
    process.env.NODE_ENV = 'production'
    const [main, argv, browser] = await Promise.all([dist('cli/main.js'), dist('cli/argv.js'), dist('lib/io/browser.js')])
    routeConsole()
    return {
      runCli: main.runCli as Loaded['runCli'],
      commandLineOf: argv.commandLineOf as Loaded['commandLineOf'],
      readCommandTable: argv.readCommandTable as Loaded['readCommandTable'],
      systemBrowser: browser.systemBrowser as Loaded['systemBrowser'],
    }
  })()
  return loading
}

/**
 * oclif prints help and its version with console.log/console.error: inside an in-process run these
 * go to the run's streams, elsewhere to the console as before.
 */
function routeConsole(): void {
  const route = (original: (...args: unknown[]) => void, which: 'stdout' | 'stderr') =>
    function (this: Console, ...args: unknown[]) {
      const streams = capture.getStore()
      if (streams) streams[which].write(`${format(...args)}\n`)
      else original.apply(this, args)
    }
  console.log = route(console.log, 'stdout')
  console.info = route(console.info, 'stdout')
  console.error = route(console.error, 'stderr')
  console.warn = route(console.warn, 'stderr')
}

/** A writable that keeps what is written, with the terminal properties a test gives it. */
function buffer(isTTY: boolean, columns: number | undefined): {stream: Writable & {isTTY: boolean; columns?: number}; text: () => string} {
  const chunks: string[] = []
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))
      done()
    },
  })
  return {stream: Object.assign(stream, {isTTY, ...(isTTY && columns !== undefined ? {columns} : {})}), text: () => chunks.join('')}
}

/** The environment spawnMsp gives its child: the test's, production, no colour, no DEBUG or CI. */
export function mspEnvironment(extra: Record<string, string | undefined> = {}): Record<string, string> {
  return definedOnly({...process.env, NODE_ENV: 'production', NO_COLOR: '1', DEBUG: undefined, CI: undefined, ...extra})
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
}

/**
 * Runs `msp <args>` in-process and returns its exit code and output, as spawnMsp returns a spawned
 * run's (test/cli/in-process.test.ts holds the two to the same bytes).
 * @param args - the arguments after `msp`
 * @param options - working directory, environment, stdin, home, terminal, clock and browser
 */
export async function runMspInProcess(args: readonly string[], options: InProcessOptions = {}): Promise<RunResult & {code: number}> {
  const loaded = await load()
  const env = options.inherit === false ? definedOnly(options.env ?? {}) : mspEnvironment(options.env)
  const tty = typeof options.tty === 'object' ? options.tty : {stdin: options.tty, stdout: options.tty, stderr: options.tty}
  const stdout = buffer(Boolean(tty.stdout), typeof options.tty === 'object' ? options.tty.columns : undefined)
  const stderr = buffer(Boolean(tty.stderr), typeof options.tty === 'object' ? options.tty.columns : undefined)
  const stdin = Object.assign(Readable.from(options.input ? [options.input] : []), {isTTY: Boolean(tty.stdin)})
  let code = 0
  const io: IoContext = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    env,
    cwd: options.cwd ?? repoDir,
    home: options.home ?? env.HOME ?? homedir(),
    platform: process.platform,
    arch: process.arch,
    now: options.now ?? (() => new Date()),
    browser: options.browser ?? loaded.systemBrowser(env),
    setExitCode: (c) => {
      code = c
    },
  }
  // As bin/run.js: the command table (read each time, as each process reads it) and the one reading of the line.
  const line = loaded.commandLineOf(args, loaded.readCommandTable())
  await capture.run({stdout: stdout.stream, stderr: stderr.stream}, () => loaded.runCli(line, repoDir, io))
  return {code, stdout: stdout.text(), stderr: stderr.text()}
}
