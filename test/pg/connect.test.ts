/**
 * `msp pg connect` end to end: the built CLI, the real Secret Manager client against a local REST fake,
 * and a stand-in `cloud-sql-proxy` on PATH that records its pid and arguments and prints like the real one.
 */
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {createServer as createTcpServer, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {SecretManagerFake} from '../cloud/fakes/secret-manager-fake.js'
import {makeRepoFromFixtures, runMsp, type RunResult} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'

const PROJECT = 'sams-prod-ywuz' // sams prod, category external (test/fixtures/handbook/sams/service.yaml)
const OPERATOR = 'operatoraccess-a1b2@sams-prod-ywuz.iam.gserviceaccount.com'
const WORKLOAD = 'sams-sa@sams-prod-ywuz.iam.gserviceaccount.com'
const CONNECTION = 'sams-prod-ywuz:us-central1:sams-prod-1234'

const STANDIN = `#!${process.execPath}
const fs = require('node:fs')
fs.writeFileSync(process.env.STANDIN_RECORD, JSON.stringify({pid: process.pid, args: process.argv.slice(2)}))
console.log('Authorizing with Application Default Credentials')
if (process.env.STANDIN_MODE === 'denied') {
  console.error('failed to connect to instance: rpc error: code = PermissionDenied desc = IAM_PERMISSION_DENIED')
  process.exit(1)
}
console.error('Listening on 127.0.0.1:' + process.argv[process.argv.indexOf('-p') + 1])
console.log('The proxy has started successfully and is ready for new connections!')
setInterval(() => {}, 1000)
`

let repo: string
let work: string
let bin: string
let fake: SecretManagerFake

beforeAll(() => {
  repo = makeRepoFromFixtures(['sams', 'gatekeeper'])
})
afterAll(() => rmSync(repo, {recursive: true, force: true}))
beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'msp-pg-'))
  bin = join(work, 'bin')
  fake = await SecretManagerFake.start()
  fake.put(PROJECT, 'iam_operator_access_service_account', OPERATOR)
  fake.put(PROJECT, 'iam_cloud_run_service_account', WORKLOAD)
  fake.put(PROJECT, 'cloudrun_cloudsql_connection_name', CONNECTION)
})
afterEach(async () => {
  await fake.close()
  rmSync(work, {recursive: true, force: true})
})

function installStandin(dir = bin): void {
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'cloud-sql-proxy'), STANDIN)
  chmodSync(join(dir, 'cloud-sql-proxy'), 0o755)
}

function mspEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${bin}:${dirname(process.execPath)}`,
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

function record(): {pid: number; args: string[]} {
  return JSON.parse(readFileSync(join(work, 'record.json'), 'utf8')) as {pid: number; args: string[]}
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const pg = (args: string[], env: Record<string, string> = {}): Promise<RunResult> =>
  runMsp(['pg', 'connect', 'sams', 'prod', ...args], {cwd: repo, env: mspEnv(env)})

describe('msp pg connect (read-only and write access)', () => {
  it('impersonates the operator account read-only, prints a psql line per database, streams the proxy, ends at the session timeout (exit 0)', async () => {
    installStandin()
    const port = await freePort()
    const r = await pg(['--port', String(port), '--session.timeout', '1'])
    expect(r.code, r.stderr).toBe(0)
    const user = OPERATOR.replace('.gserviceaccount.com', '')
    expect(r.stdout).toBe(`psql -U ${user} -d accounts -h 127.0.0.1 -p ${port}\npsql -U ${user} -d cody_management -h 127.0.0.1 -p ${port}\n`)
    expect(record().args).toEqual(['-i', '--address', '127.0.0.1', '-p', String(port), `--impersonate-service-account=${OPERATOR}`, CONNECTION])
    expect(r.stderr).toContain("Preparing a connection with read-only access - for write access, use the '--write-access' flag.")
    expect(r.stderr).toContain('Use this command to connect to database "accounts":')
    expect(r.stderr).toContain('  [cloud-sql-proxy] Authorizing with Application Default Credentials\n')
    expect(r.stderr).toContain(`  [cloud-sql-proxy] Listening on 127.0.0.1:${port}\n`)
    expect(r.stderr).toContain('  [cloud-sql-proxy] The proxy has started successfully and is ready for new connections!\n')
    expect(r.stderr).toContain('For security reasons, the current session will terminate in 1 seconds.')
    expect(r.stderr).toContain('The current session has timed out after 1 seconds and will be terminated.')
    expect(alive(record().pid)).toBe(false)
    expect(fake.requests).toEqual([
      `GET /v1/projects/${PROJECT}/secrets/iam_operator_access_service_account/versions/latest:access`,
      `GET /v1/projects/${PROJECT}/secrets/cloudrun_cloudsql_connection_name/versions/latest:access`,
    ])
  }, 20_000)

  it("--json: one document with the psql command of each database (the text form's lines), printed before the session runs", async () => {
    installStandin()
    const port = await freePort()
    const r = await pg(['--port', String(port), '--session.timeout', '1', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const user = OPERATOR.replace('.gserviceaccount.com', '')
    expect(JSON.parse(r.stdout)).toEqual({
      service: 'sams',
      environment: 'prod',
      access: 'read-only',
      port,
      sessionTimeoutSeconds: 1,
      databases: [
        {database: 'accounts', psql: `psql -U ${user} -d accounts -h 127.0.0.1 -p ${port}`},
        {database: 'cody_management', psql: `psql -U ${user} -d cody_management -h 127.0.0.1 -p ${port}`},
      ],
    })
    // The session itself runs as without --json (the proxy's lifetime is the other cases' subject).
    expect(r.stderr).toContain('The current session has timed out after 1 seconds and will be terminated.')
  }, 20_000)

  it('--write-access impersonates the Cloud Run workload identity and says so', async () => {
    installStandin()
    const port = await freePort()
    const r = await pg(['--write-access', '--port', String(port), '--session.timeout', '1'])
    expect(r.code, r.stderr).toBe(0)
    expect(record().args).toEqual(['-i', '--address', '127.0.0.1', '-p', String(port), `--impersonate-service-account=${WORKLOAD}`, CONNECTION])
    expect(r.stdout).toContain(`psql -U ${WORKLOAD.replace('.gserviceaccount.com', '')} -d accounts`)
    expect(r.stderr).toContain('Preparing a connection with write access - proceed with caution!')
    expect(fake.requests[0]).toBe(`GET /v1/projects/${PROJECT}/secrets/iam_cloud_run_service_account/versions/latest:access`)
    expect(alive(record().pid)).toBe(false)
  }, 20_000)

  it('Ctrl-C ends the session with exit 130 and stops the proxy', async () => {
    installStandin()
    const port = await freePort()
    const child = spawn(process.execPath, [join(repoDir, 'bin/run.js'), 'pg', 'connect', 'sams', 'prod', '--port', String(port), '--session.timeout', '0'], {
      cwd: repo,
      env: {...mspEnv(), NODE_ENV: 'production', NO_COLOR: '1'},
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    const deadline = Date.now() + 15_000
    while (!stderr.includes('ready for new connections') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(stderr).toContain('ready for new connections')
    expect(stderr).not.toContain('the current session will terminate')
    const {pid} = record()
    expect(alive(pid)).toBe(true)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(alive(pid)).toBe(false)
  }, 20_000)
})

describe('msp pg connect failures', () => {
  it('a port in use fails before any secret is read, with a --port hint', async () => {
    installStandin()
    const blocker = createTcpServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const {port} = blocker.address() as AddressInfo
    try {
      const r = await pg(['--port', String(port)])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`port ${port} is in use`)
      expect(r.stderr).toContain("'--port'")
      expect(fake.requests).toEqual([])
      expect(existsSync(join(work, 'record.json'))).toBe(false)
    } finally {
      blocker.close()
    }
  })

  it('an environment without PostgreSQL fails with the original message', async () => {
    installStandin()
    const r = await runMsp(['pg', 'connect', 'gatekeeper', 'prod'], {cwd: repo, env: mspEnv()})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('no postgresql instance provisioned')
    expect(fake.requests).toEqual([])
  })

  it('permission denied names the project and the Entitle grant, and starts no proxy', async () => {
    installStandin()
    fake.deny(PROJECT)
    const r = await pg(['--port', String(await freePort())])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`permission denied reading secret "iam_operator_access_service_account" in project "${PROJECT}"`)
    expect(r.stderr).toMatch(
      new RegExp(
        String.raw`hint: request write access to project "sams-prod-ywuz" through Entitle \(needed even for read-only connections\): ` +
          String.raw`https:\/\/app\.entitle\.io\/request\?data=\S+`,
      ),
    )
    expect(existsSync(join(work, 'record.json'))).toBe(false)
  })

  it("the proxy's IAM_PERMISSION_DENIED line gets the original's Entitle hint, and its failure is the command's", async () => {
    installStandin()
    const r = await pg(['--port', String(await freePort())], {STANDIN_MODE: 'denied'})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('  [cloud-sql-proxy] failed to connect to instance: rpc error: code = PermissionDenied desc = IAM_PERMISSION_DENIED\n')
    expect(r.stderr).toContain(
      'Possible permissions error detected - do you have the prerequisite Entitle permissions grant? See ' +
        'https://handbook.sourcegraph.com/departments/engineering/managed-services/sams#prod for more details.',
    )
    expect(r.stderr).toContain('failed to start cloud-sql-proxy: it exited with status 1')
  })

  it('without cloud-sql-proxy and without a terminal, it fails and points at --download', async () => {
    const r = await pg(['--port', String(await freePort())])
    expect(r.code).toBe(1)
    // Said once, as the error, with the way out as the hint.
    expect(r.stderr).toBe(
      `Error: cloud-sql-proxy binary not found on PATH or at "${join(work, 'cache/sourcegraph/bin/cloud-sql-proxy/2.8.1/cloud-sql-proxy')}"\n` +
        `hint: run again with --download to install cloud-sql-proxy 2.8.1 (checksum-verified) ` +
        `at ${join(work, 'cache/sourcegraph/bin/cloud-sql-proxy/2.8.1/cloud-sql-proxy')}\n`,
    )
    expect(fake.requests).toEqual([])
  })
})

describe('msp pg connect --download', () => {
  let server: Server
  let base: string
  let served: {binary: string; checksum: string}
  const requests: string[] = []
  beforeEach(async () => {
    requests.length = 0
    server = createServer((req, res) => {
      requests.push(req.url ?? '')
      const file =
        process.platform === 'darwin'
          ? `cloud-sql-proxy.darwin.${process.arch === 'arm64' ? 'arm64' : 'amd64'}`
          : `cloud-sql-proxy.linux.${process.arch === 'arm64' ? 'arm64' : 'amd64'}`
      if (req.url === `/bin/v2.8.1/${file}`) return void res.end(served.binary)
      if (req.url === '/release') {
        const body = `## Bug Fixes\n\n| filename | sha256 hash |\n|----------|-------------|\n| [${file}](${base}/bin/v2.8.1/${file}) | ${served.checksum} |\n`
        return void res.end(JSON.stringify({tag_name: 'v2.8.1', body}))
      }
      res.statusCode = 404
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const download = (port: number) =>
    pg(['--download', '--port', String(port), '--session.timeout', '1'], {
      MSP_CLOUD_SQL_PROXY_DOWNLOAD_URL: `${base}/bin`,
      MSP_CLOUD_SQL_PROXY_RELEASE_URL: `${base}/release`,
    })
  const cached = () => join(work, 'cache/sourcegraph/bin/cloud-sql-proxy/2.8.1/cloud-sql-proxy')

  it('installs the pinned release in the cache folder when its sha256 matches the published one, then runs it', async () => {
    served = {binary: STANDIN, checksum: createHash('sha256').update(STANDIN).digest('hex')}
    const r = await download(await freePort())
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(cached(), 'utf8')).toBe(STANDIN)
    expect(statSync(cached()).mode & 0o777).toBe(0o755)
    expect(r.stderr).toContain(`sha256 ${served.checksum}`)
    expect(record().args[0]).toBe('-i')
    expect(alive(record().pid)).toBe(false)
  }, 20_000)

  it('on a terminal, answering y to the install question downloads and verifies the release, then connects', async () => {
    served = {binary: STANDIN, checksum: createHash('sha256').update(STANDIN).digest('hex')}
    const port = await freePort()
    const env = {
      ...process.env,
      ...mspEnv({MSP_CLOUD_SQL_PROXY_DOWNLOAD_URL: `${base}/bin`, MSP_CLOUD_SQL_PROXY_RELEASE_URL: `${base}/release`}),
      NODE_ENV: 'production',
      NO_COLOR: '1',
    }
    const command = [process.execPath, join(repoDir, 'bin/run.js'), 'pg', 'connect', 'sams', 'prod', '--port', String(port), '--session.timeout', '1']
      .map((a) => JSON.stringify(a))
      .join(' ')
    // `script` runs msp on a pseudo-terminal (stdin and stdout are terminals); the answer is typed into it.
    const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: repo, env})
    let output = ''
    let answered = false
    child.stdout.on('data', (d) => {
      output += d
      if (!answered && output.includes('install cloud-sql-proxy for you?')) {
        answered = true
        child.stdin.write('y\n')
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(output).toContain(`cloud-sql-proxy binary not found on PATH or at "${cached()}"`)
    expect(code, output).toBe(0)
    expect(readFileSync(cached(), 'utf8')).toBe(STANDIN)
    expect(output).toContain('psql -U ')
    expect(alive(record().pid)).toBe(false)
  }, 30_000)

  it('refuses a binary whose sha256 differs from the published one and installs nothing', async () => {
    served = {binary: STANDIN, checksum: createHash('sha256').update('something else').digest('hex')}
    const r = await download(await freePort())
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('checksum mismatch')
    expect(r.stderr).toContain(served.checksum)
    expect(existsSync(cached())).toBe(false)
    expect(existsSync(join(work, 'record.json'))).toBe(false)
    expect(fake.requests).toEqual([])
  })
})
