/**
 * `msp logs --follow` under load, against hostile servers and into a closed pipe: the built CLI and
 * the real Cloud Logging client against the local Logging fake. The quota is Cloud Logging's read
 * limit: 60 entries.list calls a minute per project. MSP_FOLLOW_LOAD_SECONDS scales the load run
 * (2,000 entries/s, more than a page of 1,000 per poll: 4 s by default, 10 s under MSP_STRESS=1).
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {LoggingFake, type FakeEntry} from '../cloud/fakes/logging-fake.js'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'
import {iterations} from '../helpers/stress.js'

const PROJECT = 'cody-analytics-prod-da5a' // cody-analytics prod (test/fixtures/handbook/cody-analytics/service.yaml)
const REVISION = 'cody-analytics-prod-us-central1-00042-abc'
const LOAD_SECONDS = Number(process.env.MSP_FOLLOW_LOAD_SECONDS ?? iterations(10, 4))
const RATE = 2000

let repo: string
let cache: string
beforeAll(() => {
  repo = makeRepoFromFixtures(['cody-analytics'])
  cache = mkdtempSync(join(tmpdir(), 'msp-follow-cache-'))
})
afterAll(() => {
  rmSync(repo, {recursive: true, force: true})
  rmSync(cache, {recursive: true, force: true})
})

/**
 * Runs one case against a Logging fake of its own, so the cases (each bound by the once-a-second
 * polling, not by the CPU) run at the same time; the msp processes it started are killed after it.
 */
function withFake(test: (fake: LoggingFake, children: ChildProcess[]) => Promise<void>): () => Promise<void> {
  return async () => {
    const fake = await LoggingFake.start()
    const children: ChildProcess[] = []
    try {
      await test(fake, children)
    } finally {
      for (const c of children) c.kill('SIGKILL')
      await fake.close()
    }
  }
}

const entry = (id: string, timestamp: string, extra: Partial<FakeEntry> = {}): FakeEntry => ({
  insertId: id,
  timestamp,
  severity: 'INFO',
  logName: `projects/${PROJECT}/logs/run.googleapis.com%2Fstdout`,
  resource: {type: 'cloud_run_revision', labels: {revision_name: REVISION, service_name: 'cody-analytics-prod-us-central1'}},
  textPayload: `message ${id}`,
  ...extra,
})
const id = (i: number) => `e${String(i).padStart(7, '0')}`

/** Starts `msp logs cody-analytics prod -f …` against `fake` with stdout collected, or through a shell pipeline. */
function follow(fake: LoggingFake, children: ChildProcess[], args: string[] = [], pipeline?: string) {
  const env = {...process.env, LOGGING_EMULATOR_HOST: fake.host, MSP_CACHE_DIR: cache, NODE_ENV: 'production', NO_COLOR: '1'}
  const msp = [process.execPath, join(repoDir, 'bin/run.js'), 'logs', 'cody-analytics', 'prod', '-f', ...args]
  const child = pipeline
    ? // --norc: bash reads ~/.bashrc when its stdin is a socket (as Node's pipes are); the user's rc files are not the test's.
      spawn('bash', ['--norc', '--noprofile', '-c', `${msp.map((a) => JSON.stringify(a)).join(' ')} ${pipeline}; exit \${PIPESTATUS[0]}`], {cwd: repo, env})
    : spawn(msp[0]!, msp.slice(1), {cwd: repo, env})
  children.push(child)
  const out = {stdout: '', stderr: ''}
  child.stdout.on('data', (d) => (out.stdout += d))
  child.stderr.on('data', (d) => (out.stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {child, out, exited}
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  return check()
}

/** The most calls in any 60-second window. */
function busiestMinute(times: readonly number[]): number {
  let most = 0
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= 60_000) i++
    most = Math.max(most, j - i + 1)
  }
  return most
}

describe.concurrent('logs --follow keeps up', () => {
  it(
    `${RATE} entries/s for ${LOAD_SECONDS} s: every entry printed exactly once, in order, within the read quota`,
    withFake(async (fake, children) => {
      const run = follow(fake, children, ['--since', '1m'])
      expect(await until(() => fake.requests.length > 0, 20_000), run.out.stderr).toBe(true)
      const total = await fake.produce({perSecond: RATE, durationMs: LOAD_SECONDS * 1000, make: (i, ts) => entry(id(i), ts)})
      expect(total).toBe(RATE * LOAD_SECONDS)
      const last = `message ${id(total - 1)}\n`
      expect(await until(() => run.out.stdout.endsWith(last), 120_000), `printed ${run.out.stdout.split('\n').length - 1} of ${total}`).toBe(true)
      // A little longer: nothing more may come (no duplicates after the last one).
      await new Promise((r) => setTimeout(r, 3500))
      run.child.kill('SIGINT')
      expect(await run.exited).toBe(130)
      const printed = run.out.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ').at(-1))
      expect(printed.length).toBe(total)
      expect(printed).toEqual(Array.from({length: total}, (_, i) => id(i)))
      expect(busiestMinute(fake.times)).toBeLessThanOrEqual(60)
      for (let i = 1; i < fake.times.length; i++) expect(fake.times[i]! - fake.times[i - 1]!).toBeGreaterThanOrEqual(950)
      expect(fake.requests.every((r) => r.pageSize <= 1000)).toBe(true)
    }),
    240_000,
  )

  it(
    'an entry stamped an hour ahead does not silence it: later entries still print, in order',
    withFake(async (fake, children) => {
      const future = new Date(Date.now() + 3_600_000).toISOString()
      fake.add(entry('from-the-future', future))
      const run = follow(fake, children, ['--since', '1m'])
      expect(await until(() => fake.requests.length > 0, 20_000)).toBe(true)
      await fake.produce({perSecond: 40, durationMs: 1000, make: (i, ts) => entry(id(i), ts)})
      expect(await until(() => run.out.stdout.includes(`message ${id(39)}\n`), 30_000), run.out.stdout).toBe(true)
      run.child.kill('SIGINT')
      await run.exited
      const printed = run.out.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ').at(-1))
      expect(printed).toEqual(Array.from({length: 40}, (_, i) => id(i)))
    }),
    60_000,
  )

  it(
    'a server answering endless empty pages with a next-page token is asked at most once a second',
    withFake(async (fake, children) => {
      const run = follow(fake, children, ['--since', '1m'])
      expect(await until(() => fake.requests.length > 0, 20_000)).toBe(true)
      fake.emptyPagesForever()
      const before = fake.requests.length
      await new Promise((r) => setTimeout(r, 5000))
      const during = fake.requests.length - before
      run.child.kill('SIGINT')
      await run.exited
      expect(during).toBeGreaterThanOrEqual(1)
      expect(during).toBeLessThanOrEqual(6)
    }),
    60_000,
  )

  it(
    '| head -1 ends it quietly once the reader is gone: exit 0, nothing on stderr',
    withFake(async (fake, children) => {
      const run = follow(fake, children, ['--since', '1m'], '| head -1')
      expect(await until(() => fake.requests.length > 0, 20_000)).toBe(true)
      let exited = false
      void run.exited.then(() => (exited = true))
      // Entries keep coming until msp has gone (or for 8 s): it must notice the closed pipe on its own.
      const producing = fake.produce({perSecond: 50, durationMs: 8000, make: (i, ts) => entry(id(i), ts), until: () => exited})
      const code = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))])
      await producing
      expect(code).toBe(0)
      expect(run.out.stdout).toBe(`${run.out.stdout.split('\n')[0]}\n`)
      expect(run.out.stderr).toBe('')
    }),
    60_000,
  )
})

describe('logs --print --json passes no raw control or bidi character', () => {
  it(
    'C1 controls, DEL, line separators and bidi overrides are escaped; the parsed entry is the server one',
    withFake(async (fake) => {
      const text = 'a\u009b2Jb\u007fc\u202eevil\u2066d\u2028e\u001b[31m'
      fake.add(entry('hostile', new Date(Date.now() - 1000).toISOString(), {textPayload: text}))
      const r = await runMsp(['logs', 'cody-analytics', 'prod', '--print', '--json'], {
        cwd: repo,
        env: {LOGGING_EMULATOR_HOST: fake.host, MSP_CACHE_DIR: cache},
      })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/)
      expect((JSON.parse(r.stdout) as {textPayload: string}).textPayload).toBe(text)
    }),
  )
})
