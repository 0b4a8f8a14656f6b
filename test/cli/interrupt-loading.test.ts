/**
 * Ctrl-C, SIGTERM and SIGHUP during spec loading. Reading and validating a spec is synchronous work
 * of a few milliseconds; over hundreds of services it used to hold the event loop until every spec
 * was loaded (17 s on 2,000 services), so the signal handler ran only then. Every repo-wide command
 * is interrupted here while it loads, and must stop with the signal's status, say so, and print no
 * result. The latency target itself (half a second) is measured by `npm run bench`; the bound here
 * only has to tell "answered at once" from "answered when loading ended" (seconds later).
 */
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writeSyntheticRepo} from '../../bench/synthetic.mjs'
import {repoDir} from '../helpers/paths.js'
import {iterations} from '../helpers/stress.js'

const SERVICES = iterations(3000, 2000)
/** Far below the seconds loading takes after the signal on the old code, far above a turn of the loop. */
const ANSWER_BOUND_MS = 2000

let work: string
let repo: string
let handbook: string
let startupMs: number

interface Interrupted {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** From the signal to the exit. */
  answeredMs: number
  /** The run ended before the signal was sent: the test did not test anything. */
  endedEarly: boolean
}

function run(args: readonly string[], signal?: {name: NodeJS.Signals; afterMs: number}): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoDir, 'bin/run.js'), ...args], {
      // No spec cache: every run parses every spec, so loading lasts as long for the last command as
      // for the first (with the cache the earlier runs fill, the handbook was writing when the signal came).
      env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', MSP_CACHE_DIR: join(work, 'cache'), MSP_NO_CACHE: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let sentAt: number | undefined
    let ended = false
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    const timer = signal
      ? setTimeout(() => {
          if (ended) return
          sentAt = performance.now()
          child.kill(signal.name)
        }, signal.afterMs)
      : undefined
    child.on('exit', (code, sig) => {
      ended = true
      const answeredMs = sentAt === undefined ? 0 : performance.now() - sentAt
      clearTimeout(timer)
      child.on('close', () => resolve({code, signal: sig, stdout, stderr, answeredMs, endedEarly: signal !== undefined && sentAt === undefined}))
    })
  })
}

/**
 * Sends the signal once start-up is over. A signal that lands before msp has installed its handler
 * ends Node by the signal itself (start-up is not what this file tests): then again, later.
 */
async function interrupt(args: readonly string[], name: NodeJS.Signals): Promise<Interrupted> {
  let afterMs = Math.round(startupMs * 1.5) + 300
  for (let attempt = 1; ; attempt++) {
    const r = await run(args, {name, afterMs})
    if (r.signal !== name || attempt === 3) return r
    afterMs *= 2
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'msp-interrupt-loading-'))
  repo = join(work, 'repo')
  writeSyntheticRepo(repo, SERVICES)
  handbook = join(work, 'handbook')
  mkdirSync(handbook)
  writeFileSync(join(handbook, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
  // The start-up of a repo-wide command before it loads anything: a repo of one service.
  const one = join(work, 'one')
  writeSyntheticRepo(one, 1)
  const started = performance.now()
  const probe = await run(['validate', '--repo', one])
  startupMs = performance.now() - started
  expect(probe.code, probe.stderr).toBe(0)
}, 120_000)

afterAll(() => rmSync(work, {recursive: true, force: true}))

const COMMANDS: {name: string; args: () => string[]}[] = [
  {name: 'validate', args: () => ['validate', '--repo', repo]},
  {name: 'generate --all', args: () => ['generate', '--all', '--repo', repo]},
  {name: 'generate --all --check', args: () => ['generate', '--all', '--check', '--repo', repo]},
  {name: 'fleet', args: () => ['fleet', '--repo', repo]},
  {name: 'migrate --all --check', args: () => ['migrate', '--all', '--check', '--repo', repo]},
  {name: 'diff --all', args: () => ['diff', '--all', '--repo', repo]},
  {name: 'handbook', args: () => ['handbook', '--repo', repo, '--handbook-path', handbook]},
]

describe(`a stop signal during spec loading (${SERVICES} services)`, () => {
  it.each(COMMANDS)('$name: Ctrl-C exits 130 at once, prints no result and writes nothing', async ({args}) => {
    // After start-up, well before loading ends (loading takes seconds at this size).
    const r = await interrupt(args(), 'SIGINT')
    expect(r.endedEarly, 'the run ended before the signal: nothing was tested').toBe(false)
    expect({code: r.code, signal: r.signal}).toEqual({code: 130, signal: null})
    expect(r.stderr).toContain('Interrupted.')
    expect(r.answeredMs).toBeLessThan(ANSWER_BOUND_MS)
    expect(r.stdout).toBe('')
    // Loading comes before any write: no service got a terraform folder, no page was written.
    expect(readdirSync(join(repo, 'services', 'svc-0000'))).toEqual(['service.yaml'])
    expect(readdirSync(handbook)).toEqual(['package.json'])
  })

  it.each([
    {signal: 'SIGTERM' as const, code: 143, message: 'Terminated.'},
    {signal: 'SIGHUP' as const, code: 129, message: 'Hung up.'},
  ])('$signal during validate exits $code at once', async ({signal, code, message}) => {
    const r = await interrupt(['validate', '--repo', repo], signal)
    expect(r.endedEarly).toBe(false)
    expect({code: r.code, signal: r.signal}).toEqual({code, signal: null})
    expect(r.stderr).toContain(message)
    expect(r.answeredMs).toBeLessThan(ANSWER_BOUND_MS)
  })
})
