/** followLogs' polling rules with a scripted Logging API and a recorded sleep (no real time passes). */
import {describe, expect, it} from 'vitest'
import {GoogleCallError} from '../../src/lib/cloud/google-client.js'
import type {LogEntry, LoggingApi, LogPage} from '../../src/lib/cloud/logging.js'
import {followLogs} from '../../src/lib/logs/read.js'

const e = (id: string, timestamp: string): LogEntry => ({insertId: id, timestamp, severity: 'INFO', textPayload: id})

function scripted(pages: (LogPage | GoogleCallError)[]): LoggingApi & {calls: number} {
  const api = {
    calls: 0,
    async listEntries(): Promise<LogPage> {
      const next = pages[api.calls++]
      if (next === undefined) throw new Error('unexpected call')
      if (next instanceof GoogleCallError) throw next
      return next
    },
  }
  return api
}

describe('followLogs', () => {
  const target = {projectId: 'p-123456', kind: 'service' as const, since: new Date('2026-01-01T00:00:00Z'), limit: 10}

  it('emits each entry once (overlapping polls), backs off on transient failures up to the bound, resets after a success, and stops on abort', async () => {
    const transient = new GoogleCallError('transient', 503, 'UNAVAILABLE')
    const api = scripted([
      {entries: [e('b', '2026-01-01T00:00:02.000000000Z'), e('a', '2026-01-01T00:00:01.000000000Z')]},
      {entries: [e('b', '2026-01-01T00:00:02.000000000Z'), e('c', '2026-01-01T00:00:03.000000000Z')]},
      transient,
      transient,
      transient,
      {entries: [e('c', '2026-01-01T00:00:03.000000000Z'), e('d', '2026-01-01T00:00:04.000000000Z')]},
      {entries: []},
    ])
    const emitted: string[][] = []
    const sleeps: number[] = []
    const retries: number[] = []
    const stop = new AbortController()
    let clock = Date.parse('2026-01-01T00:01:00Z')
    await followLogs(api, target, {
      intervalMs: 1000,
      maxBackoffMs: 5000,
      minGapMs: 0,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms)
        clock += ms
        if (api.calls === 7) stop.abort()
      },
      emit: (entries) => emitted.push(entries.map((x) => x.insertId)),
      onRetry: (_error, delay) => retries.push(delay),
      signal: stop.signal,
    })
    expect(emitted).toEqual([['a', 'b'], ['c'], ['d']])
    expect(retries).toEqual([2000, 4000, 5000])
    expect(sleeps).toEqual([1000, 1000, 2000, 4000, 5000, 1000, 1000])
  })

  it('a permission error ends following with that error', async () => {
    const api = scripted([{entries: []}, new GoogleCallError('permission-denied', 403, 'PERMISSION_DENIED')])
    const run = followLogs(api, target, {intervalMs: 1, maxBackoffMs: 1, sleep: async () => undefined, emit: () => undefined, onRetry: () => undefined})
    await expect(run).rejects.toMatchObject({kind: 'permission-denied'})
  })

  it('follows next-page tokens at once while catching up, never closer than the gap, and bounds each query at now', async () => {
    const requests: {filter: string; pageToken?: string}[] = []
    const pages: LogPage[] = [
      {entries: []},
      {entries: [e('a', '2026-01-01T00:00:01Z')], nextPageToken: 't1'},
      {entries: [e('b', '2026-01-01T00:00:02Z')], nextPageToken: 't2'},
      {entries: [], nextPageToken: 't3'},
      {entries: [], nextPageToken: 't4'},
      {entries: [], nextPageToken: 't5'},
      {entries: [e('c', '2026-01-01T00:00:03Z')]},
    ]
    const api: LoggingApi = {
      async listEntries(request) {
        requests.push(request)
        const page = pages.shift()
        if (!page) throw new Error('unexpected call')
        return page
      },
    }
    let clock = Date.parse('2026-01-01T00:01:00Z')
    const sleeps: number[] = []
    const stop = new AbortController()
    const emitted: string[] = []
    await followLogs(api, target, {
      intervalMs: 3000,
      maxBackoffMs: 60_000,
      minGapMs: 1000,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms)
        clock += ms
        if (pages.length === 0) stop.abort()
      },
      emit: (entries) => emitted.push(...entries.map((x) => x.insertId)),
      onRetry: () => undefined,
      signal: stop.signal,
    })
    expect(emitted).toEqual(['a', 'b', 'c'])
    // The poll interval, then the gap before each page of the same poll; after three empty pages the
    // token is dropped and the next poll waits the interval again.
    expect(sleeps).toEqual([3000, 1000, 1000, 1000, 1000, 3000, 3000])
    expect(requests.map((r) => r.pageToken)).toEqual([undefined, undefined, 't1', 't2', 't3', 't4', undefined])
    expect(requests[1]!.filter).toMatch(/\ntimestamp >= "2026-01-01T00:00:00.000Z"\ntimestamp <= "2026-01-01T00:01:03.000Z"$/)
  })
})
