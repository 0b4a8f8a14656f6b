/**
 * A hostile or broken Google API server answering with a huge body must not make
 * `msp status` read it whole. The real binary (dist/) runs against a raw HTTP server on 127.0.0.1 that
 * answers every GET with ~30 MB, once with a Content-Length and once chunked without one.
 */
import {existsSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {makeRepoFromFixtures, runMspIsolated} from '../helpers/cli.js'
import {afterEach, beforeAll, describe, expect, test} from 'vitest'
import {MAX_RESPONSE_BYTES} from '../../src/lib/cloud/limits.js'
import {repoDir} from '../helpers/paths.js'

const CHUNK = Buffer.alloc(64 * 1024, ' ')
const TOTAL = 30 * 1024 * 1024
/** The cap plus what socket buffers on both sides may hold when the client hangs up (~5 MB seen on loopback). */
const WRITTEN_AT_MOST = MAX_RESPONSE_BYTES + 8 * 1024 * 1024

let repo: string

beforeAll(async () => {
  if (!existsSync(join(repoDir, 'dist/commands/status.js'))) throw new Error('run `npm run build` first: these tests spawn bin/run.js')
  repo = makeRepoFromFixtures(['cody-analytics'])
})

/** A server answering every request with a ~30 MB JSON-ish body, counting what it managed to write. */
interface HugeServer {
  host: string
  written: () => number
  requests: () => number
  finished: () => number
  close: () => Promise<void>
}

async function hugeServer(withLength: boolean, status = 200): Promise<HugeServer> {
  let written = 0
  let requests = 0
  let finished = 0
  const server: Server = createServer((req, res) => {
    requests++
    res.writeHead(status, {'content-type': 'application/json', ...(withLength ? {'content-length': String(TOTAL)} : {})})
    let sent = 0
    const pump = (): void => {
      while (sent < TOTAL) {
        if (res.destroyed) return
        const piece = sent === 0 ? Buffer.concat([Buffer.from('{"name":"'), CHUNK.subarray(9)]) : CHUNK.subarray(0, Math.min(CHUNK.length, TOTAL - sent))
        sent += piece.length
        written += piece.length
        if (!res.write(piece)) {
          res.once('drain', pump)
          return
        }
      }
      res.end(() => finished++)
    }
    res.on('close', () => res.removeAllListeners('drain'))
    pump()
  })
  const sockets = new Set<import('node:net').Socket>()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    written: () => written,
    requests: () => requests,
    finished: () => finished,
    close: () =>
      new Promise((done) => {
        for (const s of sockets) s.destroy()
        server.close(() => done())
      }),
  }
}

const msp = (args: string[], env: Record<string, string>) => runMspIsolated(args, {repo, home: join(repo, 'home'), env})

describe('msp status refuses a Cloud Run answer larger than the response cap', () => {
  let server: HugeServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  test('a 30 MB body with a Content-Length is refused before it is read', async () => {
    server = await hugeServer(true)
    const run = await msp(['status', 'cody-analytics', 'prod'], {CLOUD_RUN_EMULATOR_HOST: server.host})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`the Cloud Run API answered with more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB`)
    expect(run.stderr).not.toMatch(/unexpected failure/i)
    expect(run.stdout).toBe('')
    // Refused, not retried: one request, and the connection was dropped long before 30 MB went out.
    expect(server.requests()).toBe(1)
    expect(server.finished()).toBe(0)
    expect(server.written()).toBeLessThan(WRITTEN_AT_MOST)
    expect(run.ms).toBeLessThan(15_000)
  })

  test('a chunked 30 MB body without a length is cut off past the cap', async () => {
    server = await hugeServer(false)
    const run = await msp(['status', 'cody-analytics', 'prod'], {CLOUD_RUN_EMULATOR_HOST: server.host})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`the Cloud Run API answered with more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB`)
    expect(run.stderr).not.toMatch(/unexpected failure/i)
    expect(server.requests()).toBe(1)
    // The client hung up: the server never finished writing, and wrote little more than the cap
    // (plus what the sockets buffered in between).
    expect(server.finished()).toBe(0)
    expect(server.written()).toBeLessThan(WRITTEN_AT_MOST)
    expect(run.ms).toBeLessThan(15_000)
  })

  test('a chunked 30 MB error body (gaxios reads error bodies itself) is cut off past the cap, not retried', async () => {
    server = await hugeServer(false, 503)
    const run = await msp(['status', 'cody-analytics', 'prod'], {CLOUD_RUN_EMULATOR_HOST: server.host})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`the Cloud Run API answered with more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB`)
    expect(server.requests()).toBe(1)
    expect(server.finished()).toBe(0)
    expect(server.written()).toBeLessThan(WRITTEN_AT_MOST)
  })
})
