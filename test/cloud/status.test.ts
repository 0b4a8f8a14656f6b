import {afterEach, beforeEach, describe, expect, test} from 'vitest'
import {UserError} from '../../src/lib/io/errors.js'
import {makeStyler} from '../../src/lib/io/output.js'
import {connectCloudRun, type CloudRunApi} from '../../src/lib/cloud/cloud-run.js'
import type {RetryPolicy} from '../../src/lib/cloud/retry.js'
import {collectStatus, renderStatusTable} from '../../src/lib/cloud/status.js'
import type {EnvironmentFacts, ServiceFacts} from '../../src/lib/cloud/target.js'
import {CloudRunFake, googleError} from './fakes/cloud-run-fake.js'
import {testJob, testRevision, testService} from './fakes/cloud-run-data.js'

const FAST: RetryPolicy = {attempts: 3, baseDelayMs: 1, maxDelayMs: 2, deadlineMs: 2000}
const dev: EnvironmentFacts = {id: 'dev', projectID: 'cody-analytics-dev-bd34', category: 'test', allowDestroys: false}
const prod: EnvironmentFacts = {id: 'prod', projectID: 'cody-analytics-prod-da5a', category: 'external', allowDestroys: false}
const service: ServiceFacts = {id: 'cody-analytics', kind: 'service'}
const PROD_SVC = 'projects/cody-analytics-prod-da5a/locations/us-central1/services/cody-analytics-prod-us-central1'
const DEV_SVC = 'projects/cody-analytics-dev-bd34/locations/us-central1/services/cody-analytics-dev-us-central1'

let fake: CloudRunFake
let api: CloudRunApi
const sleeps: number[] = []

beforeEach(async () => {
  fake = await CloudRunFake.start()
  sleeps.length = 0
  api = await connectCloudRun({env: {CLOUD_RUN_EMULATOR_HOST: fake.host}, policy: FAST, sleep: async (ms) => void sleeps.push(ms)})
})
afterEach(() => fake.close())

describe('collectStatus against the Cloud Run v2 REST fake', () => {
  test('reads the service and its ready revision from the environment project and default region', async () => {
    fake.put(testService(PROD_SVC))
    fake.put(testRevision(`${PROD_SVC}/revisions/cody-analytics-prod-us-central1-00042-abc`))

    const report = await collectStatus({service, environments: [prod], api})

    expect(report.failures).toEqual([])
    expect(report.statuses).toEqual([
      {
        environment: 'prod',
        project: 'cody-analytics-prod-da5a',
        region: 'us-central1',
        kind: 'service',
        name: 'cody-analytics-prod-us-central1',
        deployed: true,
        ready: true,
        condition: {state: 'CONDITION_SUCCEEDED'},
        url: 'https://cody-analytics-prod-us-central1-abc123-uc.a.run.app',
        latestReadyRevision: 'cody-analytics-prod-us-central1-00042-abc',
        latestCreatedRevision: 'cody-analytics-prod-us-central1-00043-def',
        // Cloud Run's latest created revision is not its latest ready one: the newest is not ready.
        newestRevisionReady: false,
        traffic: [
          {revision: 'cody-analytics-prod-us-central1-00042-abc', percent: 90, latest: true},
          {revision: 'cody-analytics-prod-us-central1-00041-xyz', percent: 10, tag: 'canary', latest: false},
        ],
        updateTime: '2024-05-01T12:00:00.000Z',
        image: 'us-central1-docker.pkg.dev/sourcegraph-dev/cody-analytics/service:insiders',
        minInstances: 1,
        maxInstances: 5,
      },
    ])
    expect(fake.calls()).toEqual([`GET /v2/${PROD_SVC}`, `GET /v2/${PROD_SVC}/revisions/cody-analytics-prod-us-central1-00042-abc`])
    expect(fake.requests[0]!.headers.authorization).toBeUndefined()
  })

  test('uses locations.gcpRegion when the environment sets one', async () => {
    const eu: EnvironmentFacts = {...prod, id: 'eu', locations: {gcpRegion: 'europe-west3', gcpLocation: 'US'}}
    const report = await collectStatus({service, environments: [eu], api})
    expect(report.statuses[0]).toMatchObject({region: 'europe-west3', deployed: false})
    expect(fake.calls()).toEqual(['GET /v2/projects/cody-analytics-prod-da5a/locations/europe-west3/services/cody-analytics-eu-europe-west3'])
  })

  test('a 404 means not deployed yet, not an error', async () => {
    const report = await collectStatus({service, environments: [prod], api})
    expect(report).toEqual({
      failures: [],
      statuses: [
        {
          environment: 'prod',
          project: 'cody-analytics-prod-da5a',
          region: 'us-central1',
          kind: 'service',
          name: 'cody-analytics-prod-us-central1',
          deployed: false,
          ready: false,
        },
      ],
    })
  })

  test('queries every environment concurrently and keeps spec order', async () => {
    fake.put(testService(DEV_SVC))
    fake.script(`/v2/${PROD_SVC}`, {status: 404, body: googleError(404, 'NOT_FOUND', 'nope'), delayMs: 150})
    fake.script(`/v2/${DEV_SVC}`, {status: 200, body: testService(DEV_SVC), delayMs: 150})
    const report = await collectStatus({service, environments: [dev, prod], api})
    const [first, second] = fake.requests
    // Both environments were asked before either answer came back.
    expect(second!.receivedAt).toBeLessThan(first!.answeredAt!)
    expect(report.statuses.map((s) => s.environment)).toEqual(['dev', 'prod'])
  })

  test('a 503 followed by success is retried and succeeds', async () => {
    fake.put(testService(PROD_SVC))
    fake.put(testRevision(`${PROD_SVC}/revisions/cody-analytics-prod-us-central1-00042-abc`))
    fake.script(`/v2/${PROD_SVC}`, {status: 503, body: googleError(503, 'UNAVAILABLE', 'try later')})

    const report = await collectStatus({service, environments: [prod], api})

    expect(report.failures).toEqual([])
    expect(report.statuses[0]!.ready).toBe(true)
    expect(fake.calls()).toEqual([`GET /v2/${PROD_SVC}`, `GET /v2/${PROD_SVC}`, `GET /v2/${PROD_SVC}/revisions/cody-analytics-prod-us-central1-00042-abc`])
    expect(sleeps).toHaveLength(1)
  })

  test('retries are bounded: persistent 503 ends in a clear error naming the attempts', async () => {
    fake.script(`/v2/${PROD_SVC}`, ...Array.from({length: 5}, () => ({status: 503, body: googleError(503, 'UNAVAILABLE', 'backend down')})))
    const report = await collectStatus({service, environments: [prod], api})
    expect(fake.calls()).toEqual(Array.from({length: 3}, () => `GET /v2/${PROD_SVC}`))
    expect(sleeps).toHaveLength(2)
    expect(sleeps[1]!).toBeLessThanOrEqual(FAST.maxDelayMs)
    const error = report.failures[0]!.error
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(
      'the Cloud Run API did not answer for service "cody-analytics-prod-us-central1" in project "cody-analytics-prod-da5a" (environment "prod") after 3 ' +
        'attempts: 503 UNAVAILABLE: backend down',
    )
  })

  test('a call that exceeds its deadline is retried, then reported', async () => {
    const slow = await connectCloudRun({env: {CLOUD_RUN_EMULATOR_HOST: fake.host}, policy: {...FAST, attempts: 2, deadlineMs: 100}, sleep: async () => {}})
    fake.script(`/v2/${PROD_SVC}`, {status: 200, body: {}, delayMs: 400}, {status: 200, body: {}, delayMs: 400})
    const report = await collectStatus({service, environments: [prod], api: slow})
    // Reported as a timeout of the read that hung, not as a refusal.
    expect(report.failures[0]!.error.message).toMatch(
      /^no answer within 0\.1s after 2 attempts reading the service of Cloud Run service "cody-analytics-prod-us-central1"/,
    )
    // Both late calls were really cancelled (the client hung up), not left running in the background.
    await new Promise((r) => setTimeout(r, 50))
    expect(fake.requests.map((r) => r.aborted)).toEqual([true, true])
  })

  test('429 is retried like a 5xx', async () => {
    fake.put(testService(PROD_SVC))
    fake.script(`/v2/${PROD_SVC}`, {status: 429, body: googleError(429, 'RESOURCE_EXHAUSTED', 'quota')})
    fake.script(`/v2/${PROD_SVC}/revisions/cody-analytics-prod-us-central1-00042-abc`, {status: 404, body: googleError(404, 'NOT_FOUND', 'gone')})
    const report = await collectStatus({service, environments: [prod], api})
    // The ready revision vanished: image and scaling come from the service template instead.
    expect(report.statuses[0]).toMatchObject({
      ready: true,
      image: 'us-central1-docker.pkg.dev/sourcegraph-dev/cody-analytics/service:template',
      minInstances: 0,
      maxInstances: 3,
    })
  })

  test('403 becomes a permission error naming the project and the Entitle read link of its category', async () => {
    fake.script(`/v2/${PROD_SVC}`, {status: 403, body: googleError(403, 'PERMISSION_DENIED', "Permission 'run.services.get' denied")})
    const report = await collectStatus({service, environments: [prod], api})
    const error = report.failures[0]!.error
    expect(error.message).toBe(
      'permission denied reading Cloud Run service "cody-analytics-prod-us-central1" in project "cody-analytics-prod-da5a" (environment "prod")',
    )
    expect(error.hint).toMatch(/^request read access to project "cody-analytics-prod-da5a" through Entitle: https:\/\/app\.entitle\.io\/request\?data=/)
    const data = JSON.parse(Buffer.from(decodeURIComponent(error.hint!.split('data=')[1]!), 'base64').toString())
    expect(data.roleIds[0].id).toBe('a489c609-50ec-4803-b3f2-363dba1801ba')
    expect(fake.calls()).toHaveLength(1)
  })

  test('403 SERVICE_DISABLED says the API is not enabled', async () => {
    fake.script(`/v2/${PROD_SVC}`, {
      status: 403,
      body: googleError(403, 'PERMISSION_DENIED', 'Cloud Run Admin API has not been used in project 123 before or it is disabled.', [
        {'@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED'},
      ]),
    })
    const report = await collectStatus({service, environments: [prod], api})
    expect(report.failures[0]!.error.message).toBe('the Cloud Run Admin API is not enabled in project "cody-analytics-prod-da5a" (environment "prod")')
  })

  test('401 asks to log in again', async () => {
    fake.script(`/v2/${PROD_SVC}`, {status: 401, body: googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.')})
    const report = await collectStatus({service, environments: [prod], api})
    expect(report.failures[0]!.error.hint).toBe('log in again with `gcloud auth application-default login`')
  })

  test('jobs: reads the job and its last executions with their outcomes', async () => {
    const JOB = 'projects/cody-analytics-prod-da5a/locations/us-central1/jobs/cody-analytics-prod-us-central1'
    fake.put(testJob(JOB))
    fake.putExecutions(JOB, [
      {name: `${JOB}/executions/e3`, createTime: '2024-05-03T00:00:00Z'},
      {name: `${JOB}/executions/e2`, createTime: '2024-05-02T00:00:00Z', completionTime: '2024-05-02T00:05:00Z', failedCount: 1},
      {name: `${JOB}/executions/e1`, createTime: '2024-05-01T00:00:00Z', completionTime: '2024-05-01T00:05:00Z', succeededCount: 1},
    ])
    const report = await collectStatus({service: {id: 'cody-analytics', kind: 'job'}, environments: [prod], api})
    expect(report.statuses[0]).toMatchObject({
      kind: 'job',
      ready: true,
      image: 'us-central1-docker.pkg.dev/sourcegraph-dev/cody-analytics/job:insiders',
      executions: [
        {name: 'e3', outcome: 'running', createTime: '2024-05-03T00:00:00.000Z', succeededTasks: 0, failedTasks: 0},
        {name: 'e2', outcome: 'failed', completionTime: '2024-05-02T00:05:00.000Z', failedTasks: 1},
        {name: 'e1', outcome: 'succeeded', succeededTasks: 1},
      ],
    })
    expect(fake.calls()).toEqual([`GET /v2/${JOB}`, `GET /v2/${JOB}/executions`])
    expect(fake.requests[1]!.query.pageSize).toBe('5')
  })
})

describe('renderStatusTable', () => {
  test('one aligned row per environment; colour only when the styler is on', async () => {
    fake.put(testService(PROD_SVC))
    fake.put(testRevision(`${PROD_SVC}/revisions/cody-analytics-prod-us-central1-00042-abc`))
    const report = await collectStatus({service, environments: [dev, prod], api})
    const plain = renderStatusTable(report.statuses, makeStyler(false))
    expect(plain.split('\n')).toEqual([
      'ENV   STATUS            READY      LATEST                 TRAFFIC                                        INSTANCES  UPDATED            ' +
        'IMAGE             URL',
      'dev   not deployed yet',
      'prod  ready             00042-abc  00043-def (not ready)  00042-abc=90% (latest), 00041-xyz=10% #canary  1-5        2024-05-01 12:00Z  ' +
        'service:insiders  https://cody-analytics-prod-us-central1-abc123-uc.a.run.app',
    ])
    expect(plain).not.toContain('\u001B[')
    const coloured = renderStatusTable(report.statuses, makeStyler(true))
    expect(coloured).toContain('\u001B[33mdev')
    // Serving, but the newest revision is not ready: yellow, not the plain of a healthy row.
    expect(coloured).toContain('\u001B[33mprod')
  })

  test('on a terminal the table fits its width: the widest columns are cut with an ellipsis', async () => {
    fake.put(testService(PROD_SVC))
    fake.put(testRevision(`${PROD_SVC}/revisions/cody-analytics-prod-us-central1-00042-abc`))
    const report = await collectStatus({service, environments: [dev, prod], api})
    const full = renderStatusTable(report.statuses, makeStyler(false))
    expect(Math.max(...full.split('\n').map((l) => [...l].length))).toBeGreaterThan(174)
    const fitted = renderStatusTable(report.statuses, makeStyler(false), 100).split('\n')
    for (const line of fitted) expect([...line].length).toBeLessThanOrEqual(100)
    expect(fitted[2]).toMatch(/^prod {2}ready {2,}00042-abc {2}/)
    expect(fitted[2]).toContain('…')
  })
})

describe('credentials never leak', () => {
  const SECRET = 'ya29.test-access-token-SHOULD-NOT-APPEAR'

  test('the bearer token is sent to the API but appears in no error, hint or stack', async () => {
    const {googleAuthLibrary} = await import('google-gax')
    const authClient = new googleAuthLibrary.OAuth2Client()
    authClient.setCredentials({access_token: SECRET, expiry_date: Date.now() + 3_600_000})
    const authed = await connectCloudRun({env: {CLOUD_RUN_EMULATOR_HOST: fake.host}, authClient, policy: FAST, sleep: async () => {}})
    fake.script(`/v2/${PROD_SVC}`, {status: 403, body: googleError(403, 'PERMISSION_DENIED', 'denied')})
    fake.script(`/v2/${DEV_SVC}`, {status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'bad')})

    const report = await collectStatus({service, environments: [dev, prod], api: authed})

    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`)
    expect(report.failures).toHaveLength(2)
    for (const {error} of report.failures) {
      const everything = JSON.stringify({message: error.message, hint: error.hint, stack: error.stack, cause: String(error.cause)})
      expect(everything).not.toContain(SECRET)
    }
  })
})
