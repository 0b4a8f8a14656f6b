/**
 * A timed-out request that is not idempotent is never sent again blindly, every
 * command has a total deadline, and response bodies are capped.
 */
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterEach, beforeEach, describe, expect, test} from 'vitest'
import {createDeadline, DeadlineError, withRetry, type RetryPolicy} from '../../src/lib/cloud/retry.js'
import {MAX_RESPONSE_BYTES} from '../../src/lib/cloud/limits.js'
import {createTfcClient} from '../../src/lib/cloud/tfc-client.js'
import {applyEnvironmentPlan, planEnvironmentSync, PROJECT_TEAM_ACCESS} from '../../src/lib/cloud/tfc-sync.js'
import {TfcFake} from './fakes/tfc-fake.js'

const policy: RetryPolicy = {attempts: 4, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 50}
const hang = () => new Promise<never>(() => {})

describe('withRetry after a timeout', () => {
  test('an idempotent call is retried', async () => {
    let calls = 0
    const error = await withRetry(() => (calls++, hang()), {policy, idempotent: true, classify: () => ({retry: false}), sleep: async () => {}}).catch(
      (e: unknown) => e,
    )
    expect(calls).toBe(4)
    expect(error).toBeInstanceOf(Error)
  })

  test('a non-idempotent call is tried once and the timeout is reported as such', async () => {
    let calls = 0
    const error = await withRetry(() => (calls++, hang()), {policy, idempotent: false, classify: () => ({retry: true}), sleep: async () => {}}).catch(
      (e: unknown) => e,
    )
    expect(calls).toBe(1)
    expect(error).toBeInstanceOf(DeadlineError)
  })

  test('the total deadline ends the retries and bounds each attempt', async () => {
    const deadline = createDeadline(120)
    const started = performance.now()
    let calls = 0
    const error = await withRetry(() => (calls++, hang()), {
      policy: {...policy, attempts: 100, deadlineMs: 1000},
      idempotent: true,
      deadline,
      classify: () => ({retry: true}),
    }).catch((e: unknown) => e)
    expect(performance.now() - started).toBeLessThan(600)
    expect(calls).toBe(1)
    expect(error).toBeInstanceOf(DeadlineError)
    expect((error as DeadlineError).total).toBe(true)
  })
})

describe('Terraform Cloud writes that time out', () => {
  const TOKEN = 'retry-safety-token.atlasv1.x'
  let fake: TfcFake
  beforeEach(async () => {
    fake = await TfcFake.start({token: TOKEN})
  })
  afterEach(() => fake.close())

  const client = () =>
    createTfcClient({
      connection: {address: fake.address, apiBase: `${fake.address}/api/v2`, token: TOKEN, tokenSource: 'test'},
      // Real pauses between the re-reads: the slow POST completes on the server 300 ms after the client gave up.
      policy: {attempts: 4, baseDelayMs: 200, maxDelayMs: 400, deadlineMs: 300},
    })

  test('a slow POST /team-projects is not repeated: sync re-reads and finds what the first POST created', async () => {
    const project = fake.seedProject('msp-svc-prod')
    // Two of the three team-access POSTs are slow: each completes on the server after the client gave up.
    fake.script('POST /team-projects', {delayMs: 600}, {delayMs: 600})
    const options = {
      client: client(),
      serviceId: 'svc',
      env: {id: 'prod', projectID: 'svc-prod-1', category: 'internal' as const, allowDestroys: false},
      mode: 'cli' as const,
      terraformVersion: '1.9.5',
    }
    const plan = await planEnvironmentSync(options)
    expect(plan.project.id).toBe(project.id)
    await applyEnvironmentPlan({client: options.client, plan})
    await new Promise((r) => setTimeout(r, 700))
    const teams = [...fake.teamProjects.values()].map((tp) => tp.teamId).sort()
    expect(teams).toEqual([...new Set(teams)])
    expect(teams).toEqual([...PROJECT_TEAM_ACCESS.map((t) => t.teamId)].sort())
    expect(fake.writes().filter((w) => w === 'POST /team-projects')).toHaveLength(PROJECT_TEAM_ACCESS.length)
    expect(fake.workspaces.size).toBe(5)
  })

  test('a slow workspace POST does not end in "name taken": the workspace is found and kept', async () => {
    fake.seedProject('msp-svc-prod')
    fake.script('POST /organizations/sourcegraph/workspaces', {delayMs: 600})
    const options = {
      client: client(),
      serviceId: 'svc',
      env: {id: 'prod', projectID: 'svc-prod-1', category: 'internal' as const, allowDestroys: false},
      mode: 'cli' as const,
      terraformVersion: '1.9.5',
    }
    const plan = await planEnvironmentSync(options)
    await expect(applyEnvironmentPlan({client: options.client, plan})).resolves.toBeDefined()
    expect(fake.workspaces.size).toBe(5)
    expect(fake.writes().filter((w) => w === 'POST /organizations/sourcegraph/workspaces')).toHaveLength(5)
  })
})

test('a response larger than the cap is aborted, not read whole', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, {'content-type': 'application/vnd.api+json'})
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    let sent = 0
    const pump = () => {
      while (sent < 64 && res.write(chunk)) sent++
      if (sent < 64) res.once('drain', pump)
      else res.end()
    }
    pump()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const c = createTfcClient({
      connection: {address, apiBase: `${address}/api/v2`, token: 't', tokenSource: 'test'},
      policy: {attempts: 1, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 10_000},
    })
    await expect(c.get('/big')).rejects.toThrow(`response larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB`)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})
