/**
 * `msp doctor` / `msp auth status` (the built CLI) in an isolated HOME, against the local Secret Manager
 * fake: what is found, what each check enables, how to fix what is missing, the exit status, and that no
 * token or key ever reaches the output.
 */
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, test} from 'vitest'
import {makeRepoFromFixtures, runMspIsolated} from '../helpers/cli.js'
import {SecretManagerFake} from './fakes/secret-manager-fake.js'

const ORG_TOKEN = 'org-token.atlasv1.DOCTOR-MUST-NOT-PRINT'
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIDOCTORSECRETKEY\n-----END PRIVATE KEY-----\n'

let home: string
let repo: string
let secrets: SecretManagerFake
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'msp-doctor-home-'))
  repo = makeRepoFromFixtures(['cody-analytics'])
  secrets = await SecretManagerFake.start()
})
afterEach(async () => {
  await secrets.close()
  rmSync(home, {recursive: true, force: true})
  rmSync(repo, {recursive: true, force: true})
})

const doctor = (args: string[], env: Record<string, string> = {}) => runMspIsolated(args, {repo, home, env: {PATH: '/usr/bin:/bin', ...env}, timeoutMs: 30_000})

interface Check {
  id: string
  state: string
  detail: string
  enables: string[]
  fix?: string
}
const byId = (stdout: string) => Object.fromEntries((JSON.parse(stdout) as {checks: Check[]}).checks.map((c) => [c.id, c]))

describe('msp doctor', () => {
  test('a fresh machine: every credential missing, each with what it enables and how to fix it; exit 1', async () => {
    const run = await doctor(['doctor'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    const lines = run.stdout.split('\n')
    expect(lines[0]).toMatch(/^error +Google Application Default Credentials: gcloud ADC file .*application_default_credentials\.json does not exist/)
    expect(run.stdout).toContain('    fix: run `gcloud auth application-default login`')
    expect(run.stdout).toMatch(/^error +Terraform Cloud token: no Terraform Cloud token found for app\.terraform\.io$/m)
    expect(run.stdout).toContain('    enables: tfc sync, diff --live')
    expect(run.stdout).toMatch(/^error +Terraform Cloud OAuth client: /m)
    // pg connect downloads the proxy itself: a warning, not a failure.
    expect(run.stdout).toMatch(/^warning cloud-sql-proxy: not on PATH and not cached at /m)
    expect(run.stdout).toMatch(/^- +Entitle access to service projects: cannot be checked/m)
    expect(run.stdout).toContain('https://app.entitle.io/request?data=')
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('3 missing: the commands they enable will fail until fixed.')
    // Without Google credentials Secret Manager is not even asked (no metadata-server probing).
    expect(secrets.requests).toEqual([])
    expect(run.stderr).not.toContain('MetadataLookupWarning')
  })

  test('everything in place (key file, Secret Manager secrets, proxy on PATH): exit 0, sources named, no value printed', async () => {
    const key = join(home, 'sa.json')
    writeFileSync(key, JSON.stringify({type: 'service_account', client_email: 'msp@p.iam.gserviceaccount.com', private_key: PRIVATE_KEY}))
    secrets.put('sourcegraph-secrets', 'TFC_ORGANIZATION_TOKEN', ORG_TOKEN)
    secrets.put('sourcegraph-secrets', 'TFC_OAUTH_CLIENT_ID', 'oc-doctor')
    const bin = join(home, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'cloud-sql-proxy'), '#!/bin/sh\n')
    chmodSync(join(bin, 'cloud-sql-proxy'), 0o755)
    const env = {GOOGLE_APPLICATION_CREDENTIALS: key, SECRET_MANAGER_EMULATOR_HOST: secrets.host, PATH: `${bin}:/usr/bin:/bin`}

    const run = await doctor(['doctor', '--json'], env)
    expect(run.code, run.stderr).toBe(0)
    const checks = byId(run.stdout)
    expect(JSON.parse(run.stdout).ok).toBe(true)
    expect(checks['google-adc']).toMatchObject({state: 'ok', detail: `GOOGLE_APPLICATION_CREDENTIALS=${key} (service_account)`})
    expect(checks['tfc-token']).toMatchObject({
      state: 'ok',
      detail: 'Secret Manager secret TFC_ORGANIZATION_TOKEN (project sourcegraph-secrets) (for app.terraform.io)',
      enables: ['tfc sync', 'diff --live'],
    })
    expect(checks['tfc-oauth-client']).toMatchObject({state: 'ok', detail: 'Secret Manager secret TFC_OAUTH_CLIENT_ID (project sourcegraph-secrets)'})
    expect(checks['cloud-sql-proxy']).toMatchObject({state: 'ok', detail: `on PATH: ${join(bin, 'cloud-sql-proxy')}`})
    expect(checks.entitle!.state).toBe('info')

    const text = await doctor(['auth', 'status'], env)
    expect(text.code).toBe(0)
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('Everything msp needs is in place.')
    for (const out of [run.stdout, run.stderr, text.stdout, text.stderr]) {
      expect(out).not.toContain(ORG_TOKEN)
      expect(out).not.toContain('MIIDOCTORSECRETKEY')
    }
  })

  test('a token in TFE_TOKEN is named by its variable, never shown; a broken key file is named without its contents', async () => {
    const key = join(home, 'broken.json')
    writeFileSync(key, `{"private_key": "${'x'.repeat(10)}MIIDOCTORSECRETKEY`)
    const run = await doctor(['doctor', '--json'], {TFE_TOKEN: ORG_TOKEN, TFC_OAUTH_CLIENT_ID: 'oc-env', GOOGLE_APPLICATION_CREDENTIALS: key})
    expect(run.code).toBe(1)
    const checks = byId(run.stdout)
    expect(checks['tfc-token']).toMatchObject({state: 'ok', detail: 'TFE_TOKEN (for app.terraform.io)'})
    expect(checks['tfc-oauth-client']).toMatchObject({state: 'ok', detail: 'TFC_OAUTH_CLIENT_ID'})
    expect(checks['google-adc']).toMatchObject({state: 'missing', detail: expect.stringContaining(`GOOGLE_APPLICATION_CREDENTIALS=${key} is not valid JSON`)})
    expect(run.stdout + run.stderr).not.toContain(ORG_TOKEN)
    expect(run.stdout + run.stderr).not.toContain('MIIDOCTORSECRETKEY')
  })
})
