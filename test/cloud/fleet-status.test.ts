/**
 * `msp status --all` / `--category` (the built CLI) against the local Cloud Run server, over a repository
 * of 13 services: the 9 handbook fixtures (reconstructed from published pages) and 4 synthetic specs.
 * Resource names follow the cloudrun stack's convention `<service>-<env>-<region>` in the environment's
 * project, written out here rather than taken from msp.
 */
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse, stringify} from 'yaml'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, test} from 'vitest'
import {makeRepoFromFixtures, runMspIsolated} from '../helpers/cli.js'
import {fixturesDir, repoDir} from '../helpers/paths.js'
import {BASE_ENVIRONMENT, BASE_SERVICE} from '../helpers/spec-builders.js'
import {CloudRunFake, googleError} from './fakes/cloud-run-fake.js'
import {testRevision, testService} from './fakes/cloud-run-data.js'

const FIXTURES = readdirSync(fixturesDir, {withFileTypes: true})
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
const SYNTHETIC = [
  {id: 'alpha', environments: [{id: 'dev', projectID: 'alpha-dev-1a2b', category: 'test'}]},
  {
    id: 'bravo',
    environments: [
      {id: 'dev', projectID: 'bravo-dev-3c4d', category: 'test'},
      {id: 'prod', projectID: 'bravo-prod-5e6f', category: 'external', locations: {gcpRegion: 'europe-west3', gcpLocation: 'europe'}},
    ],
  },
  {id: 'charlie', environments: [{id: 'prod', projectID: 'charlie-prod-7a8b', category: 'internal'}]},
  {id: 'delta', environments: [{id: 'prod', projectID: 'delta-prod-9c0d', category: 'external'}]},
]

interface EnvFact {
  service: string
  env: string
  project: string
  category: string
  kind: 'service' | 'job'
  path: string
}

let repo: string
let home: string
let facts: EnvFact[]

beforeAll(() => {
  repo = makeRepoFromFixtures(FIXTURES)
  for (const s of SYNTHETIC) {
    mkdirSync(join(repo, 'services', s.id), {recursive: true})
    const spec = {service: {...BASE_SERVICE, id: s.id}, environments: s.environments.map((e) => ({...BASE_ENVIRONMENT, ...e}))}
    writeFileSync(join(repo, 'services', s.id, 'service.yaml'), stringify(spec))
  }
  home = mkdtempSync(join(tmpdir(), 'msp-fleet-home-'))
  // Every environment of every spec, read from the YAML files themselves.
  facts = readdirSync(join(repo, 'services'))
    .sort()
    .flatMap((id) => {
      const spec = parse(readFileSync(join(repo, 'services', id, 'service.yaml'), 'utf8')) as {
        service: {kind?: string}
        environments: {id: string; projectID: string; category: string; locations?: {gcpRegion?: string}}[]
      }
      const kind = spec.service.kind === 'job' ? 'job' : 'service'
      return spec.environments.map((e) => {
        const region = e.locations?.gcpRegion ?? 'us-central1'
        const path = `projects/${e.projectID}/locations/${region}/${kind}s/${id}-${e.id}-${region}`
        return {service: id, env: e.id, project: e.projectID, category: e.category, kind, path}
      })
    })
})
afterAll(() => {
  rmSync(repo, {recursive: true, force: true})
  rmSync(home, {recursive: true, force: true})
})

let fake: CloudRunFake
beforeEach(async () => {
  fake = await CloudRunFake.start()
})
afterEach(() => fake.close())

const DENIED = 'cody-analytics-prod-da5a'
const NOT_READY = 'sams-prod-ywuz'

/** Every workload deployed and ready, except: the sams prod newest revision is not ready; cody-analytics prod denies access. */
function deployFleet(delayMs = 0): void {
  for (const f of facts) {
    if (f.kind === 'job') {
      fake.put({name: f.path, terminalCondition: {type: 'Ready', state: 'CONDITION_SUCCEEDED'}, updateTime: '2024-05-01T12:00:00Z'})
      fake.putExecutions(f.path, [{name: `${f.path}/executions/${f.service}-run1`, completionTime: '2024-05-01T12:05:00Z', succeededCount: 1}])
      continue
    }
    const svc = testService(f.path)
    if (f.project !== NOT_READY) svc.latestCreatedRevision = svc.latestReadyRevision
    const ready = String(svc.latestReadyRevision)
    if (f.project === DENIED) fake.script(`/v2/${f.path}`, {status: 403, body: googleError(403, 'PERMISSION_DENIED', "Permission 'run.services.get' denied")})
    else if (delayMs > 0) fake.script(`/v2/${f.path}`, {status: 200, body: svc, delayMs})
    fake.put(svc)
    fake.put(testRevision(ready))
  }
}

const msp = (args: string[]) => runMspIsolated(args, {repo, home, env: {CLOUD_RUN_EMULATOR_HOST: fake.host}, timeoutMs: 60_000})

describe('msp status --all against the local Cloud Run server (13 services)', () => {
  test('every environment in one table; a denied project is its own error row, the others are shown; exit 1', async () => {
    expect(readdirSync(join(repo, 'services'))).toHaveLength(13)
    deployFleet()
    const run = await msp(['status', '--all'])
    expect(run.code, run.stderr).toBe(1)
    const [header, ...rows] = run.stdout.trimEnd().split('\n')
    expect(header).toMatch(/^SERVICE +ENV +STATUS +CURRENT +LATEST +UPDATED +IMAGE +URL$/)
    expect(rows).toHaveLength(facts.length)
    expect(rows.map((r) => r.split(/ +/).slice(0, 2).join('/'))).toEqual(facts.map((f) => `${f.service}/${f.env}`))
    for (const [i, f] of facts.entries()) {
      const row = rows[i]!
      if (f.project === DENIED) expect(row).toMatch(new RegExp(`^cody-analytics +prod +error: permission denied \\(project ${DENIED}\\)$`))
      else if (f.kind === 'job') expect(row).toMatch(new RegExp(`^${f.service} +${f.env} +ready +${f.service}-run1 succeeded `))
      else
        expect(row, row).toMatch(
          new RegExp(`^${f.service} +${f.env} +ready +00042-abc +${f.project === NOT_READY ? '00043-def \\(not ready\\) +' : ''}2024-05-01 12:00Z`),
        )
    }
    // Every environment was asked for, the denied one included.
    expect(new Set(fake.calls().filter((c) => !c.includes('/revisions/') && !c.endsWith('/executions')))).toEqual(
      new Set(facts.map((f) => `GET /v2/${f.path}`)),
    )
    // The denied project on stderr too, with the Entitle link, and the count.
    expect(run.stderr).toContain(
      `error: cody-analytics/prod: permission denied reading Cloud Run service "cody-analytics-prod-us-central1" in project "${DENIED}" (environment "prod")`,
    )
    expect(run.stderr).toMatch(/hint: request read access to project "cody-analytics-prod-da5a" through Entitle: https:\/\/app\.entitle\.io\/request\?data=/)
    expect(run.stderr).toContain(`1 of ${facts.length} environments could not be read; the others are shown`)
    expect(run.stderr).toContain('Reading the live state of the fleet')
    expect(run.stderr).not.toMatch(/\n\s+at /)
  }, 90_000)

  test('--json is one document with every row; the failed row carries its error; exit 1', async () => {
    deployFleet()
    const run = await msp(['status', '--all', '--json'])
    expect(run.code).toBe(1)
    const doc = JSON.parse(run.stdout)
    expect(doc.failed).toBe(1)
    expect(doc.environments).toHaveLength(facts.length)
    const denied = doc.environments.find((r: {project: string}) => r.project === DENIED)
    expect(denied).toMatchObject({service: 'cody-analytics', environment: 'prod', error: {reason: 'permission denied'}})
    expect(denied.status).toBeUndefined()
    const sams = doc.environments.find((r: {project: string}) => r.project === NOT_READY)
    expect(sams.status).toMatchObject({ready: true, newestRevisionReady: false, latestCreatedRevision: 'sams-prod-us-central1-00043-def'})
    const ok = doc.environments.filter((r: {error?: unknown}) => !r.error)
    expect(ok.every((r: {status: {deployed: boolean}}) => r.status.deployed)).toBe(true)
  }, 90_000)

  test('reads run concurrently but never more than 8 at once', async () => {
    deployFleet(150)
    const run = await msp(['status', '--all', '--json'])
    expect(run.code).toBe(1)
    const reads = fake.requests.filter((r) => !r.path.includes('/revisions/') && !r.path.endsWith('/executions') && r.answeredAt !== undefined)
    const inFlight = reads.map((r) => reads.filter((o) => o.receivedAt <= r.receivedAt && o.answeredAt! > r.receivedAt).length)
    expect(Math.max(...inFlight)).toBeGreaterThan(1)
    expect(Math.max(...inFlight)).toBeLessThanOrEqual(8)
  }, 90_000)

  test('--category keeps one category; a service id with --all is a usage error', async () => {
    deployFleet()
    const run = await msp(['status', '--category', 'external', '--json'])
    expect(run.code).toBe(1)
    const doc = JSON.parse(run.stdout)
    expect(doc.environments.map((r: {service: string; environment: string}) => `${r.service}/${r.environment}`)).toEqual(
      facts.filter((f) => f.category === 'external').map((f) => `${f.service}/${f.env}`),
    )
    const usage = await msp(['status', 'sams', '--all'])
    expect(usage.code).toBe(2)
  }, 90_000)
})

describe('a newest revision that is not ready is flagged in the single-service view', () => {
  test('msp status sams: the prod row shows the newest revision "(not ready)"', async () => {
    deployFleet()
    const run = await msp(['status', 'sams'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/\nprod +ready +00042-abc +00043-def \(not ready\) /)
    expect(run.stdout).toMatch(/\ndev +ready +00042-abc += /)
  }, 60_000)
})

describe('msp status --watch', () => {
  test('off a terminal it appends snapshots under a time line until Ctrl-C, then exits 130', async () => {
    deployFleet()
    const child = spawn(process.execPath, [join(repoDir, 'bin/run.js'), 'status', 'sams', '--watch', '--interval', '2', '--repo', repo], {
      cwd: repo,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        METADATA_SERVER_DETECTION: 'none',
        NODE_ENV: 'production',
        NO_COLOR: '1',
        CLOUD_RUN_EMULATOR_HOST: fake.host,
      },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    const deadline = Date.now() + 30_000
    while ((stdout.match(/^== /gm) ?? []).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    const snapshots = stdout.split(/^== \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z ==\n/m).filter(Boolean)
    expect(snapshots.length, stderr).toBeGreaterThanOrEqual(2)
    for (const s of snapshots) expect(s).toMatch(/^ENV +STATUS[^\n]*\ndev +ready[^\n]*\nprod +ready[^\n]*\(not ready\)/)
    expect(stdout).not.toContain('\u001B[')
  }, 60_000)
})
