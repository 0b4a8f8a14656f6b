import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {describe, expect, test} from 'vitest'
import {DeadlineError, RetriesExhaustedError, withRetry, type RetryPolicy} from '../../src/lib/cloud/retry.js'
import {createTfcClient} from '../../src/lib/cloud/tfc-client.js'
import {expectInstanceOf} from '../helpers/assert.js'

const policy: RetryPolicy = {attempts: 5, baseDelayMs: 100, maxDelayMs: 300, deadlineMs: 1000}

describe('withRetry', () => {
  test('backs off exponentially with equal jitter, capped at maxDelayMs', async () => {
    const sleeps: number[] = []
    const error = await withRetry(async () => Promise.reject(new Error('503')), {
      policy,
      classify: () => ({retry: true}),
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 1,
    }).catch((e) => e)
    expect(error).toBeInstanceOf(RetriesExhaustedError)
    expect(error.attempts).toBe(5)
    expect(sleeps).toEqual([100, 200, 300, 300])
    const low: number[] = []
    await withRetry(async () => Promise.reject(new Error('503')), {
      policy,
      classify: () => ({retry: true}),
      sleep: async (ms) => void low.push(ms),
      random: () => 0,
    }).catch(() => {})
    expect(low).toEqual([50, 100, 150, 150])
  })

  test('a server-requested delay replaces the backoff but is still bounded', async () => {
    const sleeps: number[] = []
    let n = 0
    const result = await withRetry(async () => (++n < 3 ? Promise.reject(new Error('429')) : 'ok'), {
      policy,
      classify: () => ({retry: true, delayMs: n === 1 ? 50 : 60_000}),
      sleep: async (ms) => void sleeps.push(ms),
    })
    expect(result).toBe('ok')
    expect(sleeps).toEqual([50, 300])
  })

  test('a non-retryable failure is thrown at once', async () => {
    let calls = 0
    const boom = new Error('403')
    await expect(withRetry(async () => (calls++, Promise.reject(boom)), {policy, classify: () => ({retry: false}), sleep: async () => {}})).rejects.toBe(boom)
    expect(calls).toBe(1)
  })

  test('an attempt past its deadline is aborted and retried', async () => {
    const signals: AbortSignal[] = []
    const error = await withRetry((signal) => (signals.push(signal), new Promise(() => {})), {
      policy: {...policy, attempts: 2, deadlineMs: 20},
      classify: () => ({retry: false}),
      sleep: async () => {},
    }).catch((e: unknown) => e)
    expectInstanceOf(error, RetriesExhaustedError)
    expect(error.lastError).toBeInstanceOf(DeadlineError)
    expect(signals.map((s) => s.aborted)).toEqual([true, true])
  })
})

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

test('TFC unreachable: GETs are retried, then a clear error names the address', async () => {
  const address = `http://127.0.0.1:${await closedPort()}`
  const client = createTfcClient({
    connection: {address, apiBase: `${address}/api/v2`, token: 't', tokenSource: 'test'},
    policy: {attempts: 2, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 2000},
    sleep: async () => {},
  })
  await expect(client.get('/organizations/sourcegraph/projects')).rejects.toThrow(
    `Terraform Cloud API GET /organizations/sourcegraph/projects failed after 2 attempts: cannot reach ${address}: ECONNREFUSED`,
  )
  await expect(client.write('POST', '/organizations/sourcegraph/projects', {})).rejects.toThrow(`cannot reach Terraform Cloud at ${address}: ECONNREFUSED`)
})
