/**
 * `msp logs --print/--follow` end to end: the built CLI and the real Cloud Logging client against a local
 * REST fake. The expected filter is the query of the Logs Explorer link the original published (seed
 * page), decoded here, so the terminal reads exactly what the link shows.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {LoggingFake, type FakeEntry} from '../cloud/fakes/logging-fake.js'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {repoDir, seedPage} from '../helpers/paths.js'

const PROJECT = 'cody-analytics-prod-da5a'
const REVISION = 'cody-analytics-prod-us-central1-00042-abc'
const seedLogsUrl =
  [...readFileSync(seedPage, 'utf8').matchAll(/^\| Service logs +\| \[GCP logging\]\(([^)]+)\)/gm)]
    .map((m) => m[1]!)
    .find((u) => u.endsWith(`project=${PROJECT}`)) ?? ''
/** The `;query=` part of the published prod Logs Explorer link, percent-decoded. */
const publishedQuery = decodeURIComponent(/;query=([^;]+);/.exec(seedLogsUrl)?.[1] ?? '')

let repo: string
let cache: string
let fake: LoggingFake
beforeAll(() => {
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
  cache = mkdtempSync(join(tmpdir(), 'msp-logs-cache-'))
})
afterAll(() => {
  rmSync(repo, {recursive: true, force: true})
  rmSync(cache, {recursive: true, force: true})
})
beforeEach(async () => {
  fake = await LoggingFake.start()
})
afterEach(() => fake.close())

const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
const entry = (id: string, msAgo: number, extra: Partial<FakeEntry> = {}): FakeEntry => ({
  insertId: id,
  timestamp: ago(msAgo),
  severity: 'INFO',
  logName: `projects/${PROJECT}/logs/run.googleapis.com%2Fstdout`,
  resource: {type: 'cloud_run_revision', labels: {revision_name: REVISION, service_name: 'cody-analytics-prod-us-central1'}},
  textPayload: `message ${id}`,
  ...extra,
})
const env = (extra: Record<string, string | undefined> = {}) => ({LOGGING_EMULATOR_HOST: fake.host, MSP_CACHE_DIR: cache, ...extra})
const logs = (args: string[], extra: Record<string, string | undefined> = {}) =>
  runMsp(['logs', 'cody-analytics', 'prod', ...args], {cwd: repo, env: env(extra)})

function boundOf(filter: string): number {
  return Date.parse(/\ntimestamp >= "([^"]+)"$/.exec(filter)?.[1] ?? 'x')
}

describe('msp logs --print', () => {
  it('prints the last hour oldest first, from the project of the environment, with the Logs Explorer query', async () => {
    expect(publishedQuery).toContain('cloud_run_revision')
    fake.add(entry('b', 20 * 60_000), entry('old', 2 * 3_600_000), entry('c', 60_000), entry('a', 40 * 60_000))
    const before = Date.now()
    const r = await logs(['--print'])
    const after = Date.now()
    expect(r.code, r.stderr).toBe(0)
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ').at(-1)),
    ).toEqual(['a', 'b', 'c'])
    expect(fake.requests).toHaveLength(1)
    const [request] = fake.requests
    expect(request).toMatchObject({resourceNames: [`projects/${PROJECT}`], orderBy: 'timestamp desc', pageSize: 100})
    expect(request!.filter.startsWith(`${publishedQuery}\ntimestamp >= "`)).toBe(true)
    const bound = boundOf(request!.filter)
    expect(bound).toBeGreaterThanOrEqual(before - 3_600_000 - 1000)
    expect(bound).toBeLessThanOrEqual(after - 3_600_000)
  })

  it('one line per entry: UTC time to the millisecond, padded severity, revision, message (jsonPayload message + other fields)', async () => {
    fake.add(
      entry('t', 30_000, {
        timestamp: new Date(Date.now() - 30_000).toISOString().slice(0, 19) + '.123456789Z',
        severity: 'ERROR',
        textPayload: 'boom\nsecond line\u001b[31m',
      }),
      entry('j', 10_000, {textPayload: undefined, jsonPayload: {message: 'served', status: 200, user: {id: 7}}}),
    )
    const r = await logs(['--print'])
    const [first, second] = r.stdout.trimEnd().split('\n')
    expect(first).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.123Z ERROR     ${REVISION} boom\\\\nsecond line\\\\x1b\\[31m$`))
    expect(second).toMatch(new RegExp(`Z INFO      ${REVISION} served \\{"status":200,"user":\\{"id":7\\}\\}$`))
  })

  it('colours the severity when colour is on (a terminal, or FORCE_COLOR)', async () => {
    fake.add(entry('e', 5000, {severity: 'ERROR'}))
    const r = await logs(['--print'], {NO_COLOR: undefined, FORCE_COLOR: '1'})
    expect(r.stdout).toContain('\u001B[31mERROR    \u001B[39m')
  })

  it('--since sends that time bound and --limit keeps the newest entries, still oldest first', async () => {
    fake.add(entry('x', 20 * 60_000), entry('y', 9 * 60_000), entry('z', 5 * 60_000), entry('w', 60_000))
    const before = Date.now()
    const r = await logs(['--print', '--since', '15m', '--limit', '2'])
    expect(r.code, r.stderr).toBe(0)
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ').at(-1)),
    ).toEqual(['z', 'w'])
    const [request] = fake.requests
    expect(request!.pageSize).toBe(2)
    expect(Math.abs(boundOf(request!.filter) - (before - 15 * 60_000))).toBeLessThan(5000)
    const at = await logs(['--print', '--since', '2024-05-01T12:00:00Z'])
    expect(at.code).toBe(0)
    expect(fake.requests[1]!.filter.endsWith('\ntimestamp >= "2024-05-01T12:00:00.000Z"')).toBe(true)
  })

  it('--json prints valid NDJSON, one entry per line, payloads as plain JSON', async () => {
    fake.add(entry('n1', 3000, {textPayload: undefined, jsonPayload: {message: 'hi', nested: {list: [1, 'two', true, null]}}}), entry('n2', 1000))
    const r = await logs(['--print', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const docs = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(docs.map((d) => d.insertId)).toEqual(['n1', 'n2'])
    expect(docs[0]).toMatchObject({
      severity: 'INFO',
      jsonPayload: {message: 'hi', nested: {list: [1, 'two', true, null]}},
      resource: {type: 'cloud_run_revision'},
    })
    expect(docs[1]).toMatchObject({textPayload: 'message n2'})
  })

  it('a kind: job service uses the job query and shows the execution', async () => {
    fake.add(
      entry('job1', 1000, {
        resource: {type: 'cloud_run_job', labels: {job_name: 'gatekeeper-prod-us-central1'}},
        labels: {'run.googleapis.com/execution_name': 'gatekeeper-prod-us-central1-x7k2p'},
      }),
    )
    const r = await runMsp(['logs', 'gatekeeper', 'prod', '--print'], {cwd: repo, env: env()})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(' gatekeeper-prod-us-central1-x7k2p message job1')
    expect(fake.requests[0]!.filter.startsWith('resource.type = "cloud_run_job"\n')).toBe(true)
  })

  it('permission denied names the project and the Entitle read grant', async () => {
    fake.deny(PROJECT)
    const r = await logs(['--print'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`permission denied reading the logs of project "${PROJECT}"`)
    expect(r.stderr).toMatch(/hint: request read access to project "cody-analytics-prod-da5a" through Entitle: https:\/\/app\.entitle\.io\/request\?data=/)
  })

  it('is not answered by the start-up fast path: with a warm spec cache it still reads the logs', async () => {
    fake.add(entry('fp', 1000))
    await runMsp(['logs', 'cody-analytics', 'prod', '--no-open'], {cwd: repo, env: env()}) // fills the cache
    const r = await logs(['--print'])
    expect(r.stdout).toContain('message fp')
    expect(fake.requests).toHaveLength(1)
    const plain = await runMsp(['logs', 'cody-analytics', 'prod'], {cwd: repo, env: env()})
    expect(plain.stdout).toBe(`${seedLogsUrl}\n`)
  })

  it('--timeout bounds --print: a server that does not answer in time is a clear error, not a hang', async () => {
    fake.add(entry('slow', 1000))
    fake.delay(10_000)
    const started = Date.now()
    const r = await logs(['--print', '--timeout', '1'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`no answer from Cloud Logging in time for the logs of project "${PROJECT}"`)
    expect(r.stderr).toContain('--timeout')
    expect(Date.now() - started).toBeLessThan(8000)
  })

  it('--since/--limit without --print or --follow is a usage error', async () => {
    const r = await logs(['--since', '1h'])
    expect(r.code).toBe(2)
    expect(fake.requests).toEqual([])
  })
})

describe('msp logs --follow', () => {
  it('shows the recent entries, then new ones once each, and stops on Ctrl-C with exit 130', async () => {
    fake.add(entry('first', 30_000), entry('second', 20_000))
    const child = spawn(process.execPath, [join(repoDir, 'bin/run.js'), 'logs', 'cody-analytics', 'prod', '-f'], {
      cwd: repo,
      env: {...process.env, ...env(), NODE_ENV: 'production', NO_COLOR: '1'},
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 15_000
      while (!stdout.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(stdout, stderr).toContain(text)
    }
    await waitFor('message second')
    fake.add(entry('third', 0))
    await waitFor('message third')
    fake.add(entry('fourth', 0))
    await waitFor('message fourth')
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    const ids = stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' ').at(-1))
    expect(ids).toEqual(['first', 'second', 'third', 'fourth'])
    expect(fake.requests.length).toBeGreaterThanOrEqual(3)
    expect(fake.requests.slice(1).every((r) => r.orderBy === 'timestamp asc' && r.resourceNames[0] === `projects/${PROJECT}`)).toBe(true)
  }, 30_000)
})
