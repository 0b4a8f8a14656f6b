/**
 * Where a run finds its I/O context (src/lib/io/context.ts). The entry point (main.ts) runs oclif inside
 * {@link runWithIo}; a test runs commands in-process with a context of buffers the same way. This module
 * is the one place that builds a context from the process.
 */
import {AsyncLocalStorage} from 'node:async_hooks'
import {homedir} from 'node:os'
import type {IoContext} from '../lib/io/context.js'

const store = new AsyncLocalStorage<IoContext>()
let fromProcess: IoContext | undefined

/** The context of the process itself: its streams, environment, working directory, home and signals. */
export function processIo(): IoContext {
  fromProcess ??= {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    home: homedir(),
    platform: process.platform,
    arch: process.arch,
    now: () => new Date(),
    // The opener (and the `open` package behind it) is loaded only when a URL is really opened.
    browser: {open: async (url) => (await import('../lib/io/browser.js')).systemBrowser(process.env).open(url)},
    setExitCode: (code) => {
      process.exitCode = code
    },
    onStopSignal: (handler) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, handler)
    },
  }
  return fromProcess
}

/** The context of the current run: the one {@link runWithIo} set, else the process's. */
export function currentIo(): IoContext {
  return store.getStore() ?? processIo()
}

/**
 * Runs `fn` (one msp run) against `io`: everything it starts, awaits or schedules sees that context.
 * @param io - the context
 * @param fn - the run
 */
export function runWithIo<T>(io: IoContext, fn: () => T): T {
  return store.run(io, fn)
}
