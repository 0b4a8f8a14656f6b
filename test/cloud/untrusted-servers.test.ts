/**
 * API servers answer with whatever they like. The real binaries (dist/) against
 * local fakes that echo the token, send terminal escape sequences and hostile URLs, or never answer.
 */
import {existsSync} from 'node:fs'
import {mkdtemp} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {makeRepoFromFixtures, runMspIsolated} from '../helpers/cli.js'
import {afterEach, beforeAll, beforeEach, describe, expect, test} from 'vitest'
import {CloudRunFake} from './fakes/cloud-run-fake.js'
import {testRevision, testService} from './fakes/cloud-run-data.js'
import {TfcFake} from './fakes/tfc-fake.js'
import {repoDir} from '../helpers/paths.js'

const TOKEN = 'tfcTokenAbc123.atlasv1.ECHOED-BY-A-HOSTILE-SERVER-0123456789'
const PROD_SVC = 'projects/cody-analytics-prod-da5a/locations/us-central1/services/cody-analytics-prod-us-central1'
const READY = 'cody-analytics-prod-us-central1-00042-abc'

let repo: string
let home: string

beforeAll(async () => {
  if (!existsSync(join(repoDir, 'dist/commands/status.js'))) throw new Error('run `npm run build` first: these tests spawn bin/run.js')
  repo = makeRepoFromFixtures(['cody-analytics'])
})

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'msp-hostile-home-'))
})

const msp = (args: string[], env: Record<string, string>) => runMspIsolated(args, {repo, home, env})

describe('tokens echoed by a server never reach the output', () => {
  let fake: TfcFake
  let env: Record<string, string>
  beforeEach(async () => {
    fake = await TfcFake.start({token: TOKEN})
    fake.oauthClients.set('oc-e2e', ['ot-e2e'])
    env = {TFE_ADDRESS: fake.address, TFE_TOKEN: TOKEN, TFC_OAUTH_CLIENT_ID: 'oc-e2e'}
  })
  afterEach(() => fake.close())

  const secretParts = [TOKEN, 'ECHOED-BY-A-HOSTILE-SERVER', 'tfcTokenAbc123']

  test.each([
    ['a JSON:API error detail', 'json', []],
    ['a plain-text body', 'text', []],
    ['a bare token without "Bearer"', 'bare', []],
    ['a JSON:API error detail, with --json', 'json', ['--json']],
    ['a plain-text body, with --json', 'text', ['--json']],
    ['a bare token, with --debug', 'bare', ['--debug']],
    ['a plain-text body, with --debug', 'text', ['--debug']],
  ] as const)('%s', async (_name, echo, flags) => {
    fake.script('GET /oauth-clients/oc-e2e', {status: 400, echoAuthorization: echo})
    const run = await msp(['tfc', 'sync', 'cody-analytics', 'prod', ...flags], env)
    expect(run.code).toBe(1)
    // The server did get the token, and did echo it.
    expect(fake.requests[0]?.authorization).toBe(`Bearer ${TOKEN}`)
    for (const part of secretParts) expect(run.stdout + run.stderr).not.toContain(part)
    // A JSON error or a bare token is shown redacted (a proxy's text page is cut to its first line).
    if (echo !== 'text') expect(run.stdout + run.stderr).toContain('[redacted]')
    if (flags[0] === '--json') expect(JSON.parse(run.stdout).error.message).toContain('GET /oauth-clients/oc-e2e failed: 400')
  })

  test('a 5xx that echoes the token, retried until the attempts run out', async () => {
    const reply = {status: 502, echoAuthorization: 'json'} as const
    fake.script('GET /oauth-clients/oc-e2e', reply, reply, reply, reply, reply)
    const run = await msp(['tfc', 'sync', 'cody-analytics', 'prod', '--json'], env)
    expect(run.code).toBe(1)
    for (const part of secretParts) expect(run.stdout + run.stderr).not.toContain(part)
  })
})

/** A TCP server that accepts connections and never answers. */
async function hangingServer(): Promise<{host: string; close: () => Promise<void>; connections: () => number}> {
  let connections = 0
  const sockets = new Set<import('node:net').Socket>()
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as import('node:net').AddressInfo
  return {
    host: `127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

describe('deadlines', () => {
  test('status against a server that never answers gives up within --timeout and says it timed out', async () => {
    const server = await hangingServer()
    try {
      // The deadline covers the whole command, loading the Google client included: 4 s leave a loaded
      // machine time to reach the server, which the test requires.
      const run = await msp(['status', 'cody-analytics', 'prod', '--timeout', '4'], {CLOUD_RUN_EMULATOR_HOST: server.host})
      expect(run.code).toBe(1)
      expect(server.connections()).toBeGreaterThan(0)
      // 4 s of waiting plus the start-up of a process.
      expect(run.ms).toBeLessThan(4000 + 3000)
      expect(run.stderr).toMatch(/timed out after 4s/)
      expect(run.stderr).not.toMatch(/unexpected failure/)
    } finally {
      await server.close()
    }
  })

  test('a hung revision read is reported as a timeout of that read, not as the service not answering', async () => {
    const fake = await CloudRunFake.start()
    try {
      fake.put(testService(PROD_SVC))
      fake.script(`/v2/${PROD_SVC}/revisions/${READY}`, {status: 200, body: testRevision(`${PROD_SVC}/revisions/${READY}`), delayMs: 15_000})
      const run = await msp(['status', 'cody-analytics', 'prod', '--timeout', '2'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
      expect(run.code).toBe(1)
      expect(run.ms).toBeLessThan(2000 + 3000)
      expect(run.stderr).toMatch(/timed out after 2s reading revision "cody-analytics-prod-us-central1-00042-abc"/)
      expect(run.stderr).not.toMatch(/did not answer/)
    } finally {
      await fake.close()
    }
  })

  test('--timeout must be a positive number of seconds', async () => {
    const run = await msp(['status', 'cody-analytics', 'prod', '--timeout', '0'], {})
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--timeout/)
  })
})

describe('hostile Cloud Run answers', () => {
  let fake: CloudRunFake
  beforeEach(async () => {
    fake = await CloudRunFake.start()
  })
  afterEach(() => fake.close())

  function hostileService(): ReturnType<typeof testService> {
    const svc = testService(PROD_SVC)
    svc.uri = 'javascript:alert(document.cookie)//'
    svc.terminalCondition = {type: 'Ready', state: 'CONDITION_FAILED', message: 'Bad\u001B]0;pwned-title\u0007\u001B[2J\u001B[31mRED\nline two\r\u009B6n'}
    // A traffic tag with a newline: it must not start a new table row.
    svc.trafficStatuses = [{type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100, tag: 'x\nprod  ready  FORGED'}]
    return svc
  }

  test('escape sequences are shown escaped, a javascript: URL is not shown, and a newline does not crash the table', async () => {
    fake.put(hostileService())
    const rev = testRevision(`${PROD_SVC}/revisions/${READY}`)
    ;(rev.containers as {image: string}[])[0]!.image = 'evil/image:tag\u001B]0;pwned-title\u0007\u001B[2J'
    fake.put(rev)
    const run = await msp(['status', 'cody-analytics', 'prod'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.stderr).not.toMatch(/unexpected failure/)
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/)
    expect(run.stdout).toContain('\\x1b]0;pwned-title\\x07')
    expect(run.stdout).not.toContain('javascript:')
    // One header and one row: the newline in the image did not add a row.
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(2)
  })

  test('--json keeps the text (JSON escapes it) but drops a URL that is not https', async () => {
    fake.put(hostileService())
    fake.put(testRevision(`${PROD_SVC}/revisions/${READY}`))
    const run = await msp(['status', 'cody-analytics', 'prod', '--json'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/)
    const [status] = JSON.parse(run.stdout).environments
    expect(status.url).toBeUndefined()
    expect(status.condition.message).toBe('Bad\u001B]0;pwned-title\u0007\u001B[2J\u001B[31mRED\nline two\r\u009B6n')
  })

  test('an https URL is still shown', async () => {
    fake.put(testService(PROD_SVC))
    fake.put(testRevision(`${PROD_SVC}/revisions/${READY}`))
    const run = await msp(['status', 'cody-analytics', 'prod'], {CLOUD_RUN_EMULATOR_HOST: fake.host})
    expect(run.stdout).toContain('https://cody-analytics-prod-us-central1-abc123-uc.a.run.app')
  })
})
