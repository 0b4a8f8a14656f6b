/**
 * Server-side log filters (`--severity`, `--grep`, `--revision`, `--execution`): the built CLI and the real
 * Cloud Logging client against the local REST fake. The assertions are on the request body the fake
 * receives, so `--limit` counts matching entries because the server does the filtering; the Logs
 * Explorer link carries the same query.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {LoggingFake} from '../cloud/fakes/logging-fake.js'
import {buildLogsQuery, buildLogsUrl, loggingString} from '../../src/lib/links/gcp.js'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {seedPage} from '../helpers/paths.js'

const PROJECT = 'cody-analytics-prod-da5a'
const seedLogsUrl =
  [...readFileSync(seedPage, 'utf8').matchAll(/^\| Service logs +\| \[GCP logging\]\(([^)]+)\)/gm)]
    .map((m) => m[1]!)
    .find((u) => u.endsWith(`project=${PROJECT}`)) ?? ''
/** The query of the published prod Logs Explorer link, percent-decoded: every filter is added after it. */
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

const env = () => ({LOGGING_EMULATOR_HOST: fake.host, MSP_CACHE_DIR: cache})
const logs = (svc: string, args: string[]) => runMsp(['logs', svc, 'prod', ...args], {cwd: repo, env: env()})
/** The filter lines before the time bound. */
const queryOf = (filter: string) => filter.replace(/\ntimestamp >= "[^"]+"$/, '')

describe('msp logs filters reach the Logging query itself', () => {
  it('--severity error --grep timeout sends severity >= ERROR and the quoted text in the request filter', async () => {
    expect(publishedQuery).toContain('cloud_run_revision')
    const r = await logs('cody-analytics', ['--print', '--severity', 'error', '--grep', 'timeout', '--limit', '5'])
    expect(r.code, r.stderr).toBe(0)
    expect(fake.requests).toHaveLength(1)
    const [request] = fake.requests
    expect(request!.pageSize).toBe(5)
    expect(queryOf(request!.filter)).toBe(`${publishedQuery}\nseverity >= ERROR\n"timeout"`)
  })

  it('the Logs Explorer link carries the same query (printed with --no-open, also with --json)', async () => {
    const r = await logs('cody-analytics', ['--no-open', '--severity', 'error', '--grep', 'timeout'])
    expect(r.code, r.stderr).toBe(0)
    const url = r.stdout.trim()
    expect(decodeURIComponent(/;query=([^;]+);/.exec(url)?.[1] ?? '')).toBe(`${publishedQuery}\nseverity >= ERROR\n"timeout"`)
    // Everything after the query is the published link's: summary fields and project.
    expect(url.slice(url.indexOf(';summaryFields='))).toBe(seedLogsUrl.slice(seedLogsUrl.indexOf(';summaryFields=')))
    const j = await logs('cody-analytics', ['--severity', 'warning', '--json'])
    expect(decodeURIComponent(/;query=([^;]+);/.exec((JSON.parse(j.stdout) as {url: string}).url)?.[1] ?? '')).toBe(`${publishedQuery}\nseverity >= WARNING`)
  })

  it('--revision selects one revision of a service; --execution one execution of a job', async () => {
    const rev = 'cody-analytics-prod-us-central1-00042-abc'
    const r = await logs('cody-analytics', ['--print', '--revision', rev])
    expect(r.code, r.stderr).toBe(0)
    expect(queryOf(fake.requests[0]!.filter)).toBe(`${publishedQuery}\nresource.labels.revision_name = "${rev}"`)
    const exe = 'gatekeeper-prod-us-central1-x7k2p'
    const j = await logs('gatekeeper', ['--print', '--execution', exe])
    expect(j.code, j.stderr).toBe(0)
    expect(queryOf(fake.requests[1]!.filter)).toBe(`resource.type = "cloud_run_job"\nlabels."run.googleapis.com/execution_name" = "${exe}"`)
  })

  it('a job has no revisions and a service no executions: usage errors, nothing sent', async () => {
    const a = await logs('gatekeeper', ['--print', '--revision', 'x-00001-abc'])
    expect(a.code).toBe(2)
    expect(a.stderr).toContain('--revision')
    const b = await logs('cody-analytics', ['--print', '--execution', 'x-abc'])
    expect(b.code).toBe(2)
    expect(b.stderr).toContain('--execution')
    const c = await logs('cody-analytics', ['--print', '--revision', 'bad name"'])
    expect(c.code).toBe(2)
    const d = await logs('cody-analytics', ['--print', '--severity', 'loud'])
    expect(d.code).toBe(2)
    expect(fake.requests).toEqual([])
  })
})

describe('user text is quoted safely inside the Logging query language', () => {
  it('escapes backslash and double quote; the query stays one restriction per line', () => {
    expect(loggingString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"')
    const query = buildLogsQuery('service', {grep: 'a" OR severity>=DEFAULT OR "'})
    expect(query.split('\n')).toEqual([publishedQuery, '"a\\" OR severity>=DEFAULT OR \\""'])
  })

  it('control characters in --grep are refused rather than sent (a line break would start a new restriction)', () => {
    expect(() => buildLogsQuery('service', {grep: 'a\nseverity >= DEFAULT'})).toThrow(/--grep/)
  })

  it('without filters the link is the published one', () => {
    expect(buildLogsUrl({projectId: PROJECT, kind: 'service'})).toBe(seedLogsUrl)
    expect(buildLogsUrl({projectId: PROJECT, kind: 'service', filters: {}})).toBe(seedLogsUrl)
  })
})
