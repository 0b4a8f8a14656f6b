/**
 * No Node warning under msp's own messages: Google's auth library warns (`MetadataLookupWarning`) when
 * its metadata-server probe fails in an unusual way, after msp has already said that no credentials
 * were found. Through the real binary with the probe pointed at a local server that resets every
 * connection (the "unusual way"), and in-process for the filter itself: the quiet type goes to the
 * debug output, every other warning still reaches Node.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {quietRedundantWarnings} from '../../src/cli/warnings.js'
import {makeRepoFromFixtures, spawnMsp} from '../helpers/cli.js'

let server: Server
let address: string
let home: string
let repo: string
beforeAll(async () => {
  server = createServer((socket) => socket.resetAndDestroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  address = `127.0.0.1:${(server.address() as {port: number}).port}`
  home = mkdtempSync(join(tmpdir(), 'msp-warn-home-'))
  repo = makeRepoFromFixtures(['cody-analytics'])
})
afterAll(() => {
  server.close()
  rmSync(home, {recursive: true, force: true})
  rmSync(repo, {recursive: true, force: true})
})

describe('missing credentials', () => {
  it.each([[['status', 'cody-analytics', 'prod']], [['logs', 'cody-analytics', 'prod', '--print']]])(
    '%j: the error and its hint, nothing else',
    async (args) => {
      // The probe goes to the local resetting server (the test setup turns probing off elsewhere).
      const env = {
        HOME: home,
        GCE_METADATA_HOST: address,
        GOOGLE_APPLICATION_CREDENTIALS: undefined,
        CLOUDSDK_CONFIG: join(home, 'gcloud'),
        METADATA_SERVER_DETECTION: undefined,
      }
      const r = await spawnMsp([...args, '--repo', repo], {env})
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(
        'Error: no Google Cloud credentials found (Application Default Credentials)\n' +
          'hint: log in with `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file\n',
      )
    },
  )
})

describe('quietRedundantWarnings', () => {
  it('sends MetadataLookupWarning to the debug output only, and lets other warnings through', async () => {
    const original = process.emitWarning
    const seen: string[] = []
    const onWarning = (w: Error) => seen.push(w.name)
    process.on('warning', onWarning)
    const debugLines: string[] = []
    try {
      quietRedundantWarnings(true, {write: (s: string) => debugLines.push(s)} as unknown as NodeJS.WritableStream)
      process.emitWarning('received unexpected error = x code = UNKNOWN', 'MetadataLookupWarning')
      process.emitWarning('something real', 'DeprecationWarning')
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.emitWarning = original
      process.off('warning', onWarning)
    }
    expect(seen).toEqual(['DeprecationWarning'])
    expect(debugLines).toEqual(['msp: debug: MetadataLookupWarning: received unexpected error = x code = UNKNOWN\n'])
  })
})
