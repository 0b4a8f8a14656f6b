/**
 * Transport and credentials: downloads only over https (plain http only to a loopback address), a
 * cached proxy re-checked before it runs, no Terraform Cloud token over plain http to another host,
 * and no key material echoed from a broken GOOGLE_APPLICATION_CREDENTIALS file. The built CLI, local
 * servers only: every refused address below is refused before any connection is tried.
 */
import {createHash} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {SecretManagerFake} from '../cloud/fakes/secret-manager-fake.js'
import {makeRepoFromFixtures, runMsp, runMspIsolated, spawnMspIsolated} from '../helpers/cli.js'

const PROJECT = 'sams-prod-ywuz'
const STANDIN = `#!${process.execPath}
require('node:fs').writeFileSync(process.env.STANDIN_RECORD, JSON.stringify({args: process.argv.slice(2)}))
`

let repo: string
let work: string
let fake: SecretManagerFake
beforeAll(() => {
  repo = makeRepoFromFixtures(['sams', 'cody-analytics'])
})
afterAll(() => rmSync(repo, {recursive: true, force: true}))
beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'msp-transport-'))
  fake = await SecretManagerFake.start()
  fake.put(PROJECT, 'iam_operator_access_service_account', 'operatoraccess-a1b2@sams-prod-ywuz.iam.gserviceaccount.com')
  fake.put(PROJECT, 'cloudrun_cloudsql_connection_name', 'sams-prod-ywuz:us-central1:sams-prod-1234')
})
afterEach(async () => {
  await fake.close()
  rmSync(work, {recursive: true, force: true})
})

const cached = () => join(work, 'cache/sourcegraph/bin/cloud-sql-proxy/2.8.1/cloud-sql-proxy')
const env = (extra: Record<string, string> = {}) => ({
  PATH: dirname(process.execPath),
  HOME: join(work, 'home'),
  XDG_CACHE_HOME: join(work, 'cache'),
  MSP_NO_CACHE: '1',
  SECRET_MANAGER_EMULATOR_HOST: fake.host,
  STANDIN_RECORD: join(work, 'record.json'),
  ...extra,
})
const pg = (args: string[], extra: Record<string, string> = {}) =>
  runMsp(['pg', 'connect', 'sams', 'prod', '--port', '54329', '--session.timeout', '1', ...args], {cwd: repo, env: env(extra)})

describe('cloud-sql-proxy downloads and the cached binary', () => {
  let server: Server
  let requests = 0
  beforeEach(async () => {
    requests = 0
    server = createServer((_req, res) => (requests++, res.end('{}')))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const refused: [string, Record<string, string>][] = [
    [
      'a plain-http download URL to another host',
      {MSP_CLOUD_SQL_PROXY_DOWNLOAD_URL: 'http://10.255.255.1/bin', MSP_CLOUD_SQL_PROXY_RELEASE_URL: 'https://127.0.0.1:9/x'},
    ],
    ['a plain-http release-notes URL to another host', {MSP_CLOUD_SQL_PROXY_RELEASE_URL: 'http://mirror.example.com/release'}],
    ['a non-http scheme', {MSP_CLOUD_SQL_PROXY_RELEASE_URL: 'file:///etc/passwd'}],
  ]
  for (const [name, extra] of refused) {
    it(`--download refuses ${name}: exit 1, nothing fetched, nothing installed`, async () => {
      const r = await pg(['--download'], extra)
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toMatch(/refusing to download .* only https: URLs are used/)
      expect(r.stderr).toContain('plain http is accepted only for a loopback address')
      expect(existsSync(cached())).toBe(false)
      expect(existsSync(join(work, 'record.json'))).toBe(false)
      expect(fake.requests).toEqual([])
    })
  }

  function installCached(recorded: string | undefined): void {
    mkdirSync(dirname(cached()), {recursive: true})
    writeFileSync(cached(), STANDIN)
    chmodSync(cached(), 0o755)
    if (recorded !== undefined) writeFileSync(`${cached()}.sha256`, `${recorded}\n`)
  }
  const sha = (text: string) => createHash('sha256').update(text).digest('hex')

  it('a cached proxy whose bytes match the checksum recorded at install runs', async () => {
    installCached(sha(STANDIN))
    const r = await pg([])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(work, 'record.json'), 'utf8')).args[0]).toBe('-i')
  })

  it('a cached proxy changed since install is not run: exit 1, the reinstall hint, the file left as it is', async () => {
    installCached(sha('the binary that was installed'))
    const r = await pg([])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`the cached cloud-sql-proxy at "${cached()}" changed since it was installed`)
    expect(r.stderr).toContain('--download')
    expect(existsSync(join(work, 'record.json'))).toBe(false)
    expect(readFileSync(cached(), 'utf8')).toBe(STANDIN)
    expect(fake.requests).toEqual([])
  })

  it('a cached proxy without a recorded checksum is not run', async () => {
    installCached(undefined)
    const r = await pg([])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('has no recorded checksum')
    expect(existsSync(join(work, 'record.json'))).toBe(false)
  })

  it('an install records the checksum next to the binary', async () => {
    const file = `cloud-sql-proxy.${process.platform}.${process.arch === 'arm64' ? 'arm64' : 'amd64'}`
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    server.removeAllListeners('request')
    server.on('request', (req, res) => {
      requests++
      if (req.url === `/bin/v2.8.1/${file}`) return void res.end(STANDIN)
      res.end(JSON.stringify({body: `| [${file}](x) | ${sha(STANDIN)} |\n`}))
    })
    const r = await pg(['--download'], {MSP_CLOUD_SQL_PROXY_DOWNLOAD_URL: `${base}/bin`, MSP_CLOUD_SQL_PROXY_RELEASE_URL: `${base}/release`})
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(`${cached()}.sha256`, 'utf8')).toBe(`${sha(STANDIN)}\n`)
    expect(requests).toBe(2)
  })
})

describe('Terraform Cloud token transport', () => {
  it('a plain-http TFE_ADDRESS to another host is refused before any request: exit 2, the token not shown', async () => {
    const token = 'tfc-secret-token-0123456789.atlasv1.abcdef'
    const r = await runMspIsolated(['tfc', 'sync', 'cody-analytics', 'prod', '--dry-run'], {
      repo,
      home: join(work, 'home'),
      env: {TFE_ADDRESS: 'http://tfc.example.com', TFE_TOKEN: token},
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('TFE_ADDRESS "http://tfc.example.com" uses plain http: the Terraform Cloud token would be sent unencrypted')
    expect(r.stderr).toContain('use https://tfc.example.com')
    expect(r.stderr + r.stdout).not.toContain(token)
  })
})

describe('GOOGLE_APPLICATION_CREDENTIALS', () => {
  // A child process: Google's auth library reads the credentials variable from the process environment.
  it('a file that is not JSON: exit 1, the file named, none of its contents echoed', async () => {
    const file = join(work, 'key.txt')
    writeFileSync(file, 'PRIVATEKEYMATERIAL-a1b2c3 {"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE"}\n')
    const r = await spawnMspIsolated(['logs', 'cody-analytics', 'prod', '--print'], {
      repo,
      home: join(work, 'home'),
      env: {GOOGLE_APPLICATION_CREDENTIALS: file},
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`cannot load Google Cloud credentials from GOOGLE_APPLICATION_CREDENTIALS=${file}: the file is not a JSON key file`)
    expect(r.stderr).not.toContain('PRIVATEKEY')
    expect(r.stderr).not.toContain('BEGIN')
  })
})
