/**
 * Terraform Cloud credentials from Google Secret Manager, as the original read them. The original's
 * `sg msp tfc sync` (dev/sg/msp/sg_msp.go in sourcegraph/sourcegraph-public-snapshot) reads both values
 * with
 *
 *     secretStore.GetExternal(c.Context, secrets.ExternalSecret{
 *         Name:    googlesecretsmanager.SecretTFCOrgToken,
 *         Project: googlesecretsmanager.SharedSecretsProjectID,
 *     })
 *     ... Name: googlesecretsmanager.SecretTFCOAuthClientID ...
 *
 * and dev/managedservicesplatform/googlesecretsmanager/googlesecretsmanager.go defines
 *
 *     const SharedSecretsProjectID = "sourcegraph-secrets"
 *     SecretTFCOrgToken = "TFC_ORGANIZATION_TOKEN"
 *     SecretTFCOAuthClientID = "TFC_OAUTH_CLIENT_ID"
 *
 * msp reads them only when neither a flag nor a variable (nor `terraform login`'s file, for the token)
 * gives them; the real Secret Manager client talks to the local REST fake.
 */
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, test} from 'vitest'
import {resolveOAuthClientId, resolveTfcConnection, tfcSecretReader} from '../../src/lib/cloud/tfc-auth.js'
import {UsageError, UserError} from '../../src/lib/io/errors.js'
import {redactSecrets} from '../../src/lib/io/secrets.js'
import {makeRepoFromFixtures, runMspIsolated} from '../helpers/cli.js'
import {SecretManagerFake} from './fakes/secret-manager-fake.js'
import {TfcFake} from './fakes/tfc-fake.js'

const PROJECT = 'sourcegraph-secrets'
const ORG_TOKEN = 'org-token.atlasv1.FROM-SECRET-MANAGER'
const CLIENT = 'oc-fromSecretManager'

let secrets: SecretManagerFake
let home: string
beforeEach(async () => {
  secrets = await SecretManagerFake.start()
  home = await mkdtemp(join(tmpdir(), 'msp-tfc-auth-home-'))
})
afterEach(() => secrets.close())

const env = (extra: Record<string, string> = {}) => ({SECRET_MANAGER_EMULATOR_HOST: secrets.host, ...extra})

describe('the TFC token', () => {
  test('without TFE_TOKEN, TF_TOKEN_app_terraform_io or a credentials file it is the secret TFC_ORGANIZATION_TOKEN of sourcegraph-secrets', async () => {
    secrets.put(PROJECT, 'TFC_ORGANIZATION_TOKEN', ORG_TOKEN)
    const e = env()
    const c = await resolveTfcConnection({env: e, homeDir: home, secrets: tfcSecretReader({env: e})})
    expect(c).toMatchObject({
      address: 'https://app.terraform.io',
      token: ORG_TOKEN,
      tokenSource: 'Secret Manager secret TFC_ORGANIZATION_TOKEN (project sourcegraph-secrets)',
    })
    expect(secrets.requests).toEqual([`GET /v1/projects/${PROJECT}/secrets/TFC_ORGANIZATION_TOKEN/versions/latest:access`])
    // The token is redacted from every message from now on.
    expect(redactSecrets(`echo ${ORG_TOKEN}`)).not.toContain(ORG_TOKEN)
  })

  test('a variable wins: Secret Manager is not asked', async () => {
    secrets.put(PROJECT, 'TFC_ORGANIZATION_TOKEN', ORG_TOKEN)
    const e = env({TFE_TOKEN: 'from-env'})
    expect((await resolveTfcConnection({env: e, homeDir: home, secrets: tfcSecretReader({env: e})})).token).toBe('from-env')
    expect(secrets.requests).toEqual([])
  })

  test('another TFE address never gets the organization token of app.terraform.io', async () => {
    secrets.put(PROJECT, 'TFC_ORGANIZATION_TOKEN', ORG_TOKEN)
    const e = env({TFE_ADDRESS: 'https://tfe.example-corp.com'})
    await expect(resolveTfcConnection({env: e, homeDir: home, secrets: tfcSecretReader({env: e})})).rejects.toThrow(
      'no Terraform Cloud token found for tfe.example-corp.com',
    )
    expect(secrets.requests).toEqual([])
  })

  test('missing everywhere: exit-1 error naming every place looked, including why Secret Manager failed', async () => {
    secrets.deny(PROJECT)
    const e = env()
    const error = await resolveTfcConnection({env: e, homeDir: home, secrets: tfcSecretReader({env: e})}).catch((x: unknown) => x)
    expect(error).toBeInstanceOf(UserError)
    expect(error).not.toBeInstanceOf(UsageError)
    expect((error as UserError).message).toBe('no Terraform Cloud token found for app.terraform.io')
    expect((error as UserError).hint).toContain('terraform login')
    expect((error as UserError).hint).toContain('TFC_ORGANIZATION_TOKEN in project sourcegraph-secrets: permission denied')
  })
})

describe('the OAuth client id', () => {
  test('--oauth-client-id or TFC_OAUTH_CLIENT_ID first, else the secret TFC_OAUTH_CLIENT_ID of sourcegraph-secrets', async () => {
    secrets.put(PROJECT, 'TFC_OAUTH_CLIENT_ID', `${CLIENT}\n`)
    const reader = tfcSecretReader({env: env()})
    expect(await resolveOAuthClientId({flag: 'oc-flag', env: {}, secrets: reader})).toBe('oc-flag')
    expect(await resolveOAuthClientId({env: {TFC_OAUTH_CLIENT_ID: 'oc-env'}, secrets: reader})).toBe('oc-env')
    expect(secrets.requests).toEqual([])
    // A trailing newline (`gcloud secrets versions add --data-file`) is not part of the id.
    expect(await resolveOAuthClientId({env: {}, secrets: reader})).toBe(CLIENT)
    expect(secrets.requests).toEqual([`GET /v1/projects/${PROJECT}/secrets/TFC_OAUTH_CLIENT_ID/versions/latest:access`])
  })

  test('missing everywhere: the same exit-1 kind of error as a missing token, not a usage error', async () => {
    const error = await resolveOAuthClientId({env: {}, secrets: tfcSecretReader({env: env()})}).catch((x: unknown) => x)
    expect(error).toBeInstanceOf(UserError)
    expect(error).not.toBeInstanceOf(UsageError)
    expect((error as UserError).message).toBe('no Terraform Cloud OAuth client id found (needed by the VCS run mode)')
    expect((error as UserError).hint).toContain('TFC_OAUTH_CLIENT_ID')
    expect((error as UserError).hint).toContain('--workspace-run-mode cli')
  })
})

describe('msp tfc sync (spawned) reads the OAuth client id from Secret Manager', () => {
  const TOKEN = 'tfc-e2e.atlasv1.NEVER-PRINT'
  let tfc: TfcFake
  beforeEach(async () => {
    tfc = await TfcFake.start({token: TOKEN})
    tfc.oauthClients.set(CLIENT, ['ot-current'])
  })
  afterEach(() => tfc.close())

  test('--dry-run resolves the client through the secret and plans; without it anywhere, exit 1', async () => {
    const repo = makeRepoFromFixtures(['cody-analytics'])
    secrets.put(PROJECT, 'TFC_OAUTH_CLIENT_ID', CLIENT)
    const base = {TFE_ADDRESS: tfc.address, TFE_TOKEN: TOKEN, SECRET_MANAGER_EMULATOR_HOST: secrets.host}
    const run = await runMspIsolated(['tfc', 'sync', 'cody-analytics', 'prod', '--dry-run', '--json'], {repo, home, env: base})
    expect(run.code, run.stderr).toBe(0)
    expect(tfc.calls()).toContain(`GET /oauth-clients/${CLIENT}`)
    expect(run.stdout + run.stderr).not.toContain(TOKEN)

    const empty = await SecretManagerFake.start()
    const missing = await runMspIsolated(['tfc', 'sync', 'cody-analytics', 'prod', '--dry-run'], {
      repo,
      home,
      env: {...base, SECRET_MANAGER_EMULATOR_HOST: empty.host},
    })
    await empty.close()
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('Error: no Terraform Cloud OAuth client id found (needed by the VCS run mode)')
  }, 60_000)
})
