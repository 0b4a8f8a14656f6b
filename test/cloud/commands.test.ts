/**
 * The real `msp status` and `msp tfc sync` commands (dist/, run in-process) against the local fakes:
 * exit codes, stream split, JSON documents, and that no token is ever printed. The credential lookups
 * run in a child process with a clean home and environment.
 */
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {makeRepoFromFixtures, runMspIsolated, spawnMspIsolated} from '../helpers/cli.js'
import {afterEach, beforeAll, beforeEach, describe, expect, test} from 'vitest'
import {CloudRunFake, googleError} from './fakes/cloud-run-fake.js'
import {testRevision, testService} from './fakes/cloud-run-data.js'
import {TfcFake} from './fakes/tfc-fake.js'
import {repoDir} from '../helpers/paths.js'

const TOKEN = 'tfc-e2e-secret.atlasv1.NEVER-PRINT-ME'
const PROD_SVC = 'projects/cody-analytics-prod-da5a/locations/us-central1/services/cody-analytics-prod-us-central1'
const READY = 'cody-analytics-prod-us-central1-00042-abc'

let repo: string
let home: string

beforeAll(async () => {
  if (!existsSync(join(repoDir, 'dist/commands/status.js'))) throw new Error('run `npm run build` first: these tests spawn bin/run.js')
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
})

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'msp-live-home-'))
})

const msp = (args: string[], env: Record<string, string>) => runMspIsolated(args, {repo, home, env, timeoutMs: 20_000})
// Google's credential lookup reads the process's own environment and home: a child process gets the clean ones.
const spawnedMsp = (args: string[], env: Record<string, string>) => spawnMspIsolated(args, {repo, home, env, timeoutMs: 20_000})

describe('msp status against the Cloud Run fake', () => {
  let fake: CloudRunFake
  beforeEach(async () => {
    fake = await CloudRunFake.start()
  })
  afterEach(() => fake.close())

  test('--json returns the fake URL and ready revision, read from the environment project and default region', async () => {
    fake.put(testService(PROD_SVC))
    fake.put(testRevision(`${PROD_SVC}/revisions/${READY}`))
    const run = await msp(['status', 'cody-analytics', 'prod', '--json'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const doc = JSON.parse(run.stdout)
    expect(doc.service).toBe('cody-analytics')
    expect(doc.environments).toHaveLength(1)
    expect(doc.environments[0]).toMatchObject({
      environment: 'prod',
      url: 'https://cody-analytics-prod-us-central1-abc123-uc.a.run.app',
      latestReadyRevision: READY,
      ready: true,
    })
    expect(fake.calls()).toEqual([`GET /v2/${PROD_SVC}`, `GET /v2/${PROD_SVC}/revisions/${READY}`])
  })

  test('without an environment every environment is queried and shown in a table', async () => {
    fake.put(testService(PROD_SVC))
    fake.put(testRevision(`${PROD_SVC}/revisions/${READY}`))
    const run = await msp(['status', 'cody-analytics'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^ENV +STATUS +READY +LATEST +TRAFFIC/)
    expect(lines[1]).toMatch(/^dev +not deployed yet$/)
    expect(lines[2]).toMatch(/^prod +ready +00042-abc +00043-def /)
    expect(run.stdout).not.toContain('\u001B[')
    expect(fake.calls().sort()).toEqual(
      [
        `GET /v2/${PROD_SVC}`,
        `GET /v2/${PROD_SVC}/revisions/${READY}`,
        'GET /v2/projects/cody-analytics-dev-bd34/locations/us-central1/services/cody-analytics-dev-us-central1',
      ].sort(),
    )
  })

  test('a 403 is a clear permission error: exit 1, Entitle link, no stack trace', async () => {
    fake.script(`/v2/${PROD_SVC}`, {status: 403, body: googleError(403, 'PERMISSION_DENIED', 'denied')})
    const run = await msp(['status', 'cody-analytics', 'prod'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      new RegExp(
        String.raw`^Error: permission denied reading Cloud Run service "cody-analytics-prod-us-central1" in project ` +
          String.raw`"cody-analytics-prod-da5a" \(environment "prod"\)\nhint: request read access to project "cody-analytics-prod-da5a" ` +
          String.raw`through Entitle: https:\/\/app\.entitle\.io\/request\?data=\S+\n$`,
      ),
    )
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  test('a 503 followed by success is retried and succeeds', async () => {
    fake.put(testService(PROD_SVC))
    fake.put(testRevision(`${PROD_SVC}/revisions/${READY}`))
    fake.script(`/v2/${PROD_SVC}`, {status: 503, body: googleError(503, 'UNAVAILABLE', 'try again')})
    const run = await msp(['status', 'cody-analytics', 'prod', '--json'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).environments[0].latestReadyRevision).toBe(READY)
    expect(fake.calls()).toEqual([`GET /v2/${PROD_SVC}`, `GET /v2/${PROD_SVC}`, `GET /v2/${PROD_SVC}/revisions/${READY}`])
  })

  test('a job shows its last executions', async () => {
    const JOB = 'projects/gatekeeper-prod-0c1e/locations/us-central1/jobs/gatekeeper-prod-us-central1'
    const spec = await readFile(join(repo, 'services/gatekeeper/service.yaml'), 'utf8')
    const project = /projectID: (\S+)/.exec(spec.split('- id: prod')[1] ?? spec)![1]!
    const job = JOB.replace('gatekeeper-prod-0c1e', project)
    fake.put({name: job, terminalCondition: {type: 'Ready', state: 'CONDITION_SUCCEEDED'}})
    fake.putExecutions(job, [{name: `${job}/executions/gatekeeper-abc`, completionTime: '2024-05-01T00:05:00Z', succeededCount: 1}])
    const run = await msp(['status', 'gatekeeper', 'prod', '--json'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout).environments[0]).toMatchObject({kind: 'job', executions: [{name: 'gatekeeper-abc', outcome: 'succeeded'}]})
  })

  test('no credentials: says how to log in, exit 1, no unhandled rejection', async () => {
    const run = await spawnedMsp(['status', 'cody-analytics', 'prod'], {})
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'Error: no Google Cloud credentials found (Application Default Credentials)\nhint: log in with `gcloud auth application-default login`, or set ' +
        'GOOGLE_APPLICATION_CREDENTIALS to a service account key file\n',
    )
    expect(fake.calls()).toEqual([])
  })

  test('an unusable GOOGLE_APPLICATION_CREDENTIALS file is named, with the same login hint', async () => {
    const missing = join(home, 'no-such-key.json')
    const run = await spawnedMsp(['status', 'cody-analytics', 'prod'], {GOOGLE_APPLICATION_CREDENTIALS: missing})
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      new RegExp(
        `^Error: cannot load Google Cloud credentials from GOOGLE_APPLICATION_CREDENTIALS=${missing}: .+\nhint: log in with \`gcloud auth ` +
          `application-default login\``,
      ),
    )
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(fake.calls()).toEqual([])
  })

  test('--json errors are one JSON document on stdout', async () => {
    fake.script(`/v2/${PROD_SVC}`, {status: 403, body: googleError(403, 'PERMISSION_DENIED', 'denied')})
    const run = await msp(['status', 'cody-analytics', 'prod', '--json'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout).error).toMatchObject({exitCode: 1, message: expect.stringContaining('permission denied')})
  })
})

describe('msp tfc sync (spawned) against the TFC fake', () => {
  let fake: TfcFake
  let env: Record<string, string>
  beforeEach(async () => {
    fake = await TfcFake.start({token: TOKEN})
    fake.oauthClients.set('oc-e2e', ['ot-e2e'])
    env = {TFE_ADDRESS: fake.address, TFE_TOKEN: TOKEN, TFC_OAUTH_CLIENT_ID: 'oc-e2e'}
  })
  afterEach(() => fake.close())

  test('creates the project and five workspaces; a second run writes nothing; the token never shows', async () => {
    const first = await msp(['tfc', 'sync', 'cody-analytics', 'prod', '--debug'], env)
    expect(first.code).toBe(0)
    expect(first.stderr).toBe('[cody-analytics] Synchronizing Terraform Cloud workspaces for environment "prod"\n')
    expect(first.stdout).toContain('cody-analytics/prod  project msp-cody-analytics-prod: created')
    expect(first.stdout).toMatch(
      new RegExp(
        String.raw`^ {2}msp-cody-analytics-prod-tfcworkspaces +created +https:\/\/app\.terraform\.io\/app\/sourcegraph\/workspaces\/` +
          String.raw`msp-cody-analytics-prod-tfcworkspaces$`,
        'm',
      ),
    )
    expect([...fake.projects.values()].map((p) => p.name)).toEqual(['msp-cody-analytics-prod'])
    expect([...fake.workspaces.values()].map((w) => [w.name, w.attributes['working-directory'], (w.attributes['tag-names'] as string[]).join(',')])).toEqual(
      ['project', 'iam', 'cloudrun', 'monitoring', 'tfcworkspaces'].map((s) => [
        `msp-cody-analytics-prod-${s}`,
        `services/cody-analytics/terraform/prod/stacks/${s}/`,
        'msp,msp-service-cody-analytics,msp-env-cody-analytics-prod',
      ]),
    )
    expect(fake.writes()).toHaveLength(1 + 3 + 5)

    fake.clearRequests()
    const second = await msp(['tfc', 'sync', 'cody-analytics', 'prod', '--debug'], env)
    expect(second.code).toBe(0)
    expect(fake.writes()).toEqual([])
    expect(second.stdout.match(/unchanged/g)).toHaveLength(1 + 1 + 5)

    expect(fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true)
    for (const out of [first.stdout, first.stderr, second.stdout, second.stderr]) expect(out).not.toContain(TOKEN)
  })

  test('--dry-run on a fresh TFC makes no write request and prints the attributes it would set', async () => {
    const run = await msp(['tfc', 'sync', 'cody-analytics', 'prod', '--dry-run'], env)
    expect(run.code).toBe(0)
    expect(fake.writes()).toEqual([])
    expect(fake.calls().length).toBeGreaterThan(0)
    expect(run.stdout).toContain('project msp-cody-analytics-prod: would create')
    expect(run.stdout).toContain('      working-directory: "services/cody-analytics/terraform/prod/stacks/cloudrun/"')
    expect(run.stdout + run.stderr).not.toContain(TOKEN)
  })

  test('--json returns the plans', async () => {
    const run = await msp(['tfc', 'sync', 'cody-analytics', 'prod', '--json', '--workspace-run-mode', 'cli'], {TFE_ADDRESS: fake.address, TFE_TOKEN: TOKEN})
    expect(run.code).toBe(0)
    const [plan] = JSON.parse(run.stdout).plans
    expect(plan).toMatchObject({service: 'cody-analytics', environment: 'prod', operation: 'sync', project: {action: 'create'}})
    expect(plan.workspaces.map((w: {action: string}) => w.action)).toEqual(['create', 'create', 'create', 'create', 'create'])
  })

  test('a wrong token: exit 1, hint names the token variable, neither token printed even with --debug', async () => {
    const run = await msp(['tfc', 'sync', 'cody-analytics', 'prod', '--debug'], {...env, TFE_TOKEN: 'wrong-secret-value'})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Error: Terraform Cloud API GET /oauth-clients/oc-e2e failed: 401 unauthorized')
    expect(run.stderr + run.stdout).not.toContain('wrong-secret-value')
    expect(run.stderr + run.stdout).not.toContain(TOKEN)
  })

  test('the token can come from ~/.terraform.d/credentials.tfrc.json', async () => {
    await mkdir(join(home, '.terraform.d'))
    const host = new URL(fake.address).host
    await writeFile(join(home, '.terraform.d/credentials.tfrc.json'), JSON.stringify({credentials: {[host]: {token: TOKEN}}}))
    const run = await msp(['tfc', 'sync', 'cody-analytics', 'prod', '--dry-run'], {TFE_ADDRESS: fake.address, TFC_OAUTH_CLIENT_ID: 'oc-e2e'})
    expect(run.stderr).not.toContain('Error')
    expect(run.code).toBe(0)
    expect(fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true)
  })

  test('--all without --yes and without a terminal refuses with a usage error and no request', async () => {
    const run = await msp(['tfc', 'sync', '--all', 'cody-analytics'], env)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('refusing without confirmation: stdin is not a terminal')
    expect(run.stderr).toContain('hint: pass --yes to confirm non-interactively')
    expect(fake.calls()).toEqual([])
  })

  test('--delete refuses an environment without allowDestroys, before any request', async () => {
    const run = await msp(['tfc', 'sync', '--delete', '--yes', 'cody-analytics', 'prod'], env)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("Error: environments[prod].allowDestroys must be 'true' to delete workspaces")
    expect(fake.calls()).toEqual([])
  })

  test('--all --yes syncs every environment of the service', async () => {
    const run = await msp(['tfc', 'sync', '--all', '--yes', 'cody-analytics'], env)
    expect(run.code).toBe(0)
    expect(fake.workspaces.size).toBe(10)
  })
})

describe('argv rejected before any request (spawned)', () => {
  const cases: [string, string[], RegExp][] = [
    ['status needs a service', ['status'], /^Error: missing the service id\nhint: valid services: cody-analytics, gatekeeper\n$/],
    [
      'an unknown run mode',
      ['tfc', 'sync', 'cody-analytics', 'prod', '--workspace-run-mode', 'remote'],
      /^Error: invalid value "remote" for --workspace-run-mode\nhint: valid values: vcs, cli, ignore\n/,
    ],
    [
      'an unknown category',
      ['tfc', 'sync', '--all', '--category', 'prod'],
      /^Error: invalid value "prod" for --category\nhint: valid values: test, internal, external\n/,
    ],
    [
      'sync without an environment or --all',
      ['tfc', 'sync', 'cody-analytics'],
      new RegExp(
        String.raw`^Error: missing the environment id of service "cody-analytics"\nhint: valid environments of "cody-analytics": dev, ` +
          String.raw`prod \(or --all for every environment\)\n$`,
      ),
    ],
    ['--delete for all services', ['tfc', 'sync', '--all', '--delete', '--yes'], /cannot delete workspaces for all services/],
  ]
  test.each(cases)('%s → exit 2', async (_name, args, message) => {
    const run = await msp(args, {TFE_ADDRESS: 'http://127.0.0.1:9', TFE_TOKEN: 'unused'})
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stdout).toBe('')
  })

  test('an unknown environment: exit 2 with the valid ones', async () => {
    const run = await msp(['status', 'cody-analytics', 'staging'], {})
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('valid environments of "cody-analytics": dev, prod')
  })
})
