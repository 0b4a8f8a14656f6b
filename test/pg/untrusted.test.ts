/**
 * `msp pg connect` when Secret Manager holds hostile values, and when msp itself goes away: the built
 * CLI, the real Secret Manager client against the local REST fake, and a stand-in `cloud-sql-proxy`
 * on PATH that records its pid and arguments and runs until it is stopped.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer as createTcpServer, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {SecretManagerFake} from '../cloud/fakes/secret-manager-fake.js'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'

const PROJECT = 'sams-prod-ywuz' // sams prod (test/fixtures/handbook/sams/service.yaml)
const OPERATOR = 'operatoraccess-a1b2@sams-prod-ywuz.iam.gserviceaccount.com'
const CONNECTION = 'sams-prod-ywuz:us-central1:sams-prod-1234'
const ESC = '\u001B'

// Like the real proxy, it keeps serving until it is told to stop; it never notices msp going away.
const STANDIN = `#!${process.execPath}
const fs = require('node:fs')
fs.writeFileSync(process.env.STANDIN_RECORD, JSON.stringify({pid: process.pid, args: process.argv.slice(2)}))
if (process.env.STANDIN_MODE === 'exit0') process.exit(0)
console.error('Listening on 127.0.0.1:' + process.argv[process.argv.indexOf('-p') + 1])
console.log('The proxy has started successfully and is ready for new connections!')
setInterval(() => {}, 1000)
`

let repo: string
let work: string
let fake: SecretManagerFake
const children: ChildProcess[] = []
const pids: number[] = []

beforeAll(() => {
  repo = makeRepoFromFixtures(['sams'])
})
afterAll(() => rmSync(repo, {recursive: true, force: true}))
beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'msp-pg-untrusted-'))
  mkdirSync(join(work, 'bin'))
  writeFileSync(join(work, 'bin', 'cloud-sql-proxy'), STANDIN)
  chmodSync(join(work, 'bin', 'cloud-sql-proxy'), 0o755)
  fake = await SecretManagerFake.start()
  fake.put(PROJECT, 'iam_operator_access_service_account', OPERATOR)
  fake.put(PROJECT, 'cloudrun_cloudsql_connection_name', CONNECTION)
})
afterEach(async () => {
  // Whatever a failing test left behind is stopped here, so it cannot disturb the next one.
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL')
  await fake.close()
  rmSync(work, {recursive: true, force: true})
})

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${join(work, 'bin')}:${dirname(process.execPath)}`,
    HOME: join(work, 'home'),
    XDG_CACHE_HOME: join(work, 'cache'),
    MSP_NO_CACHE: '1',
    SECRET_MANAGER_EMULATOR_HOST: fake.host,
    STANDIN_RECORD: join(work, 'record.json'),
    ...extra,
  }
}

async function freePort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const recordFile = () => join(work, 'record.json')
const record = () => JSON.parse(readFileSync(recordFile(), 'utf8')) as {pid: number; args: string[]}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (Date.now() < deadline) {
    if (!alive(pid)) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return !alive(pid)
}

describe('pg connect treats Secret Manager values as data', () => {
  const cases: {name: string; account?: string; connection?: string; message: string}[] = [
    {
      name: 'a connection name with proxy query parameters (listen on every interface)',
      connection: `${CONNECTION}?address=0.0.0.0&port=6543`,
      message:
        `secret "cloudrun_cloudsql_connection_name" in project "${PROJECT}" holds "${CONNECTION}?address=0.0.0.0&port=6543", which is not a Cloud ` +
        `SQL instance connection name`,
    },
    {
      name: 'two instances in one value',
      connection: `${CONNECTION} ${PROJECT}:us-central1:other`,
      message: 'which is not a Cloud SQL instance connection name',
    },
    {
      name: 'an escape sequence in the connection name (shown escaped)',
      connection: `${CONNECTION}${ESC}]0;owned${ESC}\\`,
      message: `holds "${CONNECTION}\\u001b]0;owned\\u001b\\\\", which is not a Cloud SQL instance connection name`,
    },
    {
      name: 'an account that is not a service account e-mail',
      account: 'someone@example.com',
      message: `secret "iam_operator_access_service_account" in project "${PROJECT}" holds "someone@example.com", which is not a service account e-mail`,
    },
    {
      name: 'an account with an escape sequence that would clear the screen from the psql line',
      account: `op${ESC}[2J${ESC}[H-a1b2@${PROJECT}.iam.gserviceaccount.com`,
      message: 'which is not a service account e-mail',
    },
    {
      name: 'an account that smuggles a flag',
      account: `${OPERATOR} --address=0.0.0.0`,
      message: 'which is not a service account e-mail',
    },
  ]
  for (const c of cases) {
    it(`refuses ${c.name}: exit 1, the value escaped in the message, nothing printed on stdout, no proxy started`, async () => {
      if (c.account) fake.put(PROJECT, 'iam_operator_access_service_account', c.account)
      if (c.connection) fake.put(PROJECT, 'cloudrun_cloudsql_connection_name', c.connection)
      const r = await runMsp(['pg', 'connect', 'sams', 'prod', '--port', String(await freePort())], {cwd: repo, env: env()})
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toContain(c.message)
      expect(r.stderr).toContain('nothing was started')
      expect(r.stderr).not.toContain(ESC)
      expect(r.stdout).toBe('')
      expect(existsSync(recordFile())).toBe(false)
    })
  }

  it('accepts a domain-scoped project and always tells the proxy to listen on 127.0.0.1', async () => {
    const account = 'operatoraccess-a1b2@sams-prod.example.com.iam.gserviceaccount.com'
    const connection = 'example.com:sams-prod:us-central1:sams-prod-1234'
    fake.put(PROJECT, 'iam_operator_access_service_account', account)
    fake.put(PROJECT, 'cloudrun_cloudsql_connection_name', connection)
    const port = await freePort()
    const r = await runMsp(['pg', 'connect', 'sams', 'prod', '--port', String(port)], {cwd: repo, env: env({STANDIN_MODE: 'exit0'})})
    expect(r.code, r.stderr).toBe(0)
    expect(record().args).toEqual(['-i', '--address', '127.0.0.1', '-p', String(port), `--impersonate-service-account=${account}`, connection])
    expect(r.stdout).toContain(`psql -U operatoraccess-a1b2@sams-prod.example.com.iam -d accounts -h 127.0.0.1 -p ${port}\n`)
  })
})

describe('pg connect session limits', () => {
  for (const value of ['2147484', '9999999999']) {
    it(`--session.timeout ${value} (beyond what a timer can hold) is a usage error before anything is read or started`, async () => {
      const r = await runMsp(['pg', 'connect', 'sams', 'prod', '--port', String(await freePort()), '--session.timeout', value], {cwd: repo, env: env()})
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toMatch(/--session\.timeout/)
      expect(r.stderr).toContain('2147483')
      expect(fake.requests).toEqual([])
      expect(existsSync(recordFile())).toBe(false)
    })
  }

  it('--session.timeout 2147483 (the largest) is accepted', async () => {
    const r = await runMsp(['pg', 'connect', 'sams', 'prod', '--port', String(await freePort()), '--session.timeout', '2147483'], {
      cwd: repo,
      env: env({STANDIN_MODE: 'exit0'}),
    })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('will terminate in 2147483 seconds')
  })

  it('the supervisor ends the session at the limit on its own (msp still holding the pipe, doing nothing)', async () => {
    const supervisor = spawn(process.execPath, [join(repoDir, 'dist/lib/pg/supervisor.js'), '1000', '3000', join(work, 'bin', 'cloud-sql-proxy'), '-p', '1'], {
      stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
      env: {...process.env, STANDIN_RECORD: recordFile()},
    })
    children.push(supervisor)
    let events = ''
    ;(supervisor.stdio[3] as NodeJS.ReadableStream).on('data', (d) => (events += String(d)))
    const code = await new Promise<number | null>((resolve) => supervisor.on('exit', resolve))
    expect(code).toBe(124)
    expect(events).toBe('{"event":"timeout"}\n')
    expect(alive(record().pid)).toBe(false)
  })
})

describe('the proxy never outlives msp', () => {
  async function startSession(): Promise<{child: ChildProcess; proxy: number; exited: Promise<{code: number | null; signal: string | null}>}> {
    const port = await freePort()
    const child = spawn(process.execPath, [join(repoDir, 'bin/run.js'), 'pg', 'connect', 'sams', 'prod', '--port', String(port), '--session.timeout', '0'], {
      cwd: repo,
      env: {...env(), NODE_ENV: 'production', NO_COLOR: '1'},
    })
    children.push(child)
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.stdout.resume()
    const exited = new Promise<{code: number | null; signal: string | null}>((resolve) => child.on('exit', (code, signal) => resolve({code, signal})))
    const deadline = Date.now() + 15_000
    while (!stderr.includes('ready for new connections') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(stderr).toContain('ready for new connections')
    const proxy = record().pid
    pids.push(proxy)
    expect(alive(proxy)).toBe(true)
    return {child, proxy, exited}
  }

  it('SIGKILL of msp: no proxy process within 5 s', async () => {
    const {child, proxy, exited} = await startSession()
    child.kill('SIGKILL')
    expect((await exited).signal).toBe('SIGKILL')
    expect(await gone(proxy, 5000)).toBe(true)
  }, 30_000)

  it('SIGHUP of msp (terminal closed): exit 129 and no proxy process within 5 s', async () => {
    const {child, proxy, exited} = await startSession()
    child.kill('SIGHUP')
    expect((await exited).code).toBe(129)
    expect(await gone(proxy, 5000)).toBe(true)
  }, 30_000)

  it('SIGTERM of msp: exit 143 and no proxy process within 5 s', async () => {
    const {child, proxy, exited} = await startSession()
    child.kill('SIGTERM')
    expect((await exited).code).toBe(143)
    expect(await gone(proxy, 5000)).toBe(true)
  }, 30_000)
})
