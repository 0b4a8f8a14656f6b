import {mkdtemp, mkdir, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {afterEach, beforeEach, describe, expect, test} from 'vitest'
import {CancelledError, UsageError, UserError} from '../../src/lib/io/errors.js'
import {makeStyler} from '../../src/lib/io/output.js'
import {createConfirm} from '../../src/lib/io/prompt.js'
import {STACK_NAMES} from '../../src/lib/stacks/naming.js'
import type {EnvironmentFacts, SpecFacts} from '../../src/lib/cloud/target.js'
import {resolveTfcConnection, tokenVariableFor} from '../../src/lib/cloud/tfc-auth.js'
import {createTfcClient, retryAfterMs} from '../../src/lib/cloud/tfc-client.js'
import {renderEnvironmentPlan, runTfcSync, selectSyncTargets, type TfcSyncDeps, type TfcSyncRequest} from '../../src/lib/cloud/tfc-sync-environments.js'
import {diffAttributes, type EnvironmentPlan} from '../../src/lib/cloud/tfc-sync.js'
import {TfcFake} from './fakes/tfc-fake.js'

const TOKEN = 'tfc-secret-token.atlasv1.DO-NOT-PRINT'
const OAUTH_CLIENT = 'oc-fakeGitHub'
const SPECS: Record<string, SpecFacts> = {
  'cody-analytics': {
    service: {id: 'cody-analytics', kind: 'service'},
    environments: [
      {id: 'dev', projectID: 'cody-analytics-dev-bd34', category: 'test', allowDestroys: true},
      {id: 'prod', projectID: 'cody-analytics-prod-da5a', category: 'external', allowDestroys: false},
    ],
  },
  gatekeeper: {
    service: {id: 'gatekeeper', kind: 'job'},
    environments: [{id: 'prod', projectID: 'gatekeeper-prod-1', category: 'internal', allowDestroys: false}],
  },
}
const PROD_REQUEST: TfcSyncRequest = {serviceId: 'cody-analytics', envId: 'prod', mode: 'vcs', delete: false, dryRun: false}

let fake: TfcFake
let home: string

beforeEach(async () => {
  fake = await TfcFake.start({token: TOKEN})
  fake.oauthClients.set(OAUTH_CLIENT, ['ot-old', 'ot-current'])
  home = await mkdtemp(join(tmpdir(), 'msp-tfc-home-'))
})
afterEach(() => fake.close())

function deps(overrides: Partial<TfcSyncDeps> = {}): TfcSyncDeps {
  return {
    listServices: async () => Object.keys(SPECS).sort(),
    loadService: async (id) => {
      const spec = SPECS[id]
      if (!spec) throw new UserError(`service "${id}" does not exist`)
      return spec
    },
    confirm: async () => {
      throw new Error('confirmation was not expected')
    },
    env: {TFE_ADDRESS: fake.address, TFE_TOKEN: TOKEN, TFC_OAUTH_CLIENT_ID: OAUTH_CLIENT},
    homeDir: home,
    policy: {attempts: 3, baseDelayMs: 1, maxDelayMs: 5000, deadlineMs: 5000},
    sleep: async () => {},
    ...overrides,
  }
}

const ws = (stack: string) => `msp-cody-analytics-prod-${stack}`

describe('tfc sync against a stateful TFC fake', () => {
  test('a first sync creates the project, its team access and five workspaces with tags and working directories', async () => {
    const plans = await runTfcSync(PROD_REQUEST, deps())

    const project = [...fake.projects.values()]
    expect(project.map((p) => p.name)).toEqual(['msp-cody-analytics-prod'])
    const projectId = project[0]!.id
    expect([...fake.teamProjects.values()].map((tp) => [tp.teamId, tp.access, tp.projectId])).toEqual([
      ['team-gGtVVgtNRaCnkhKp', 'write', projectId],
      ['team-E5hRDE57eKcqcdnU', 'read', projectId],
      ['team-Wdejc42bWrRonQEY', 'write', projectId],
    ])
    expect([...fake.workspaces.keys()]).toEqual(STACK_NAMES.map(ws))
    for (const stack of STACK_NAMES) {
      const w = fake.workspaces.get(ws(stack))!
      expect(w.projectId).toBe(projectId)
      expect(w.attributes).toMatchObject({
        'tag-names': ['msp', 'msp-service-cody-analytics', 'msp-env-cody-analytics-prod'],
        'working-directory': `services/cody-analytics/terraform/prod/stacks/${stack}/`,
        'trigger-prefixes': [`services/cody-analytics/terraform/prod/stacks/${stack}/`],
        'execution-mode': 'remote',
        'terraform-version': '1.3.10',
        'auto-apply': true,
        'global-remote-state': true,
        'allow-destroy-plan': false,
        'queue-all-runs': stack === 'tfcworkspaces',
        'vcs-repo': expect.objectContaining({identifier: 'sourcegraph/managed-services', branch: 'main', 'oauth-token-id': 'ot-current'}),
      })
    }
    expect(fake.calls()).toEqual([
      `GET /oauth-clients/${OAUTH_CLIENT}`,
      'GET /organizations/sourcegraph/projects?filter[names]=msp-cody-analytics-prod',
      ...STACK_NAMES.map((s) => `GET /organizations/sourcegraph/workspaces/${ws(s)}`),
      'POST /organizations/sourcegraph/projects',
      'POST /team-projects',
      'POST /team-projects',
      'POST /team-projects',
      ...STACK_NAMES.map(() => 'POST /organizations/sourcegraph/workspaces'),
    ])
    expect(fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true)
    expect(plans[0]!.workspaces.map((w) => w.action)).toEqual(['create', 'create', 'create', 'create', 'create'])
  })

  test('a second sync reports everything unchanged and makes no write request', async () => {
    await runTfcSync(PROD_REQUEST, deps())
    fake.clearRequests()

    const [plan] = await runTfcSync(PROD_REQUEST, deps())

    expect(fake.writes()).toEqual([])
    expect(plan!.project.action).toBe('unchanged')
    expect(plan!.teamAccess.map((t) => t.action)).toEqual(['unchanged', 'unchanged', 'unchanged'])
    expect(plan!.workspaces.map((w) => w.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged'])
    expect(renderEnvironmentPlan(plan!, {dryRun: false, style: makeStyler(false)})).toBe(
      [
        'cody-analytics/prod  project msp-cody-analytics-prod: unchanged',
        '  team access: unchanged',
        ...STACK_NAMES.map((s) => `  ${ws(s).padEnd(ws('tfcworkspaces').length)}  unchanged  https://app.terraform.io/app/sourcegraph/workspaces/${ws(s)}`),
      ].join('\n'),
    )
  })

  test('--dry-run on a fresh TFC makes no write request and lists what it would create', async () => {
    const [plan] = await runTfcSync({...PROD_REQUEST, dryRun: true}, deps())

    expect(fake.writes()).toEqual([])
    expect(fake.projects.size + fake.workspaces.size + fake.teamProjects.size).toBe(0)
    const text = renderEnvironmentPlan(plan!, {dryRun: true, style: makeStyler(false)})
    expect(text).toContain('project msp-cody-analytics-prod: would create')
    expect(text).toMatch(new RegExp(`^  ${ws('iam')} +would create  https://app.terraform.io/app/sourcegraph/workspaces/${ws('iam')}$`, 'm'))
    expect(text).toContain('      tags: ["msp","msp-service-cody-analytics","msp-env-cody-analytics-prod"]')
    expect(text).toContain('      working-directory: "services/cody-analytics/terraform/prod/stacks/iam/"')
  })

  test('drift: only the differing attributes and the missing tag are written', async () => {
    await runTfcSync(PROD_REQUEST, deps())
    const iam = fake.workspaces.get(ws('iam'))!
    iam.attributes['auto-apply'] = false
    iam.attributes['terraform-version'] = '1.3.3'
    iam.attributes['tag-names'] = ['msp', 'msp-service-cody-analytics', 'hand-made']
    fake.clearRequests()

    const [plan] = await runTfcSync({...PROD_REQUEST, dryRun: true}, deps())
    expect(fake.writes()).toEqual([])
    expect(
      renderEnvironmentPlan(plan!, {dryRun: true, style: makeStyler(false)})
        .split('\n')
        .filter((l) => l.includes('→') || l.includes('would')),
    ).toEqual([
      `  ${ws('iam')}            would update  https://app.terraform.io/app/sourcegraph/workspaces/${ws('iam')}`,
      '      terraform-version: "1.3.3" → "1.3.10"',
      '      auto-apply: false → true',
      '      tags: ["msp","msp-service-cody-analytics","hand-made"] → ["msp","msp-service-cody-analytics","hand-made","msp-env-cody-analytics-prod"]',
    ])

    await runTfcSync(PROD_REQUEST, deps())
    expect(fake.writes()).toEqual([`PATCH /organizations/sourcegraph/workspaces/${ws('iam')}`, `POST /workspaces/${iam.id}/relationships/tags`])
    const patch = fake.requests.find((r) => r.method === 'PATCH')!
    expect(patch.body).toEqual({data: {type: 'workspaces', attributes: {'terraform-version': '1.3.10', 'auto-apply': true}}})
    expect(iam.attributes['tag-names']).toEqual(['msp', 'msp-service-cody-analytics', 'hand-made', 'msp-env-cody-analytics-prod'])
  })

  test('team access with the wrong level is patched, not duplicated', async () => {
    await runTfcSync(PROD_REQUEST, deps())
    const everyone = [...fake.teamProjects.values()].find((tp) => tp.teamId === 'team-E5hRDE57eKcqcdnU')!
    everyone.access = 'admin'
    fake.clearRequests()
    await runTfcSync(PROD_REQUEST, deps())
    expect(fake.writes()).toEqual([`PATCH /team-projects/${everyone.id}`])
    expect(everyone.access).toBe('read')
  })

  test('a workspace in another project is moved into the environment project', async () => {
    const other = fake.seedProject('somewhere-else')
    fake.seedWorkspace(ws('project'), {}, other.id)
    await runTfcSync({...PROD_REQUEST, mode: 'cli'}, deps())
    const moved = fake.workspaces.get(ws('project'))!
    expect(moved.projectId).not.toBe(other.id)
    expect(fake.projects.get(moved.projectId!)!.name).toBe('msp-cody-analytics-prod')
  })

  test('--workspace-run-mode cli removes the VCS connection and needs no OAuth client', async () => {
    await runTfcSync(PROD_REQUEST, deps())
    fake.clearRequests()
    await runTfcSync({...PROD_REQUEST, mode: 'cli'}, deps({env: {TFE_ADDRESS: fake.address, TFE_TOKEN: TOKEN}}))
    expect(fake.calls()).not.toContain(`GET /oauth-clients/${OAUTH_CLIENT}`)
    expect(fake.writes()).toEqual(STACK_NAMES.map((s) => `PATCH /organizations/sourcegraph/workspaces/${ws(s)}`))
    expect(fake.requests.filter((r) => r.method === 'PATCH').map((r) => r.body.data.attributes)).toEqual(STACK_NAMES.map(() => ({'vcs-repo': null})))
    expect(fake.workspaces.get(ws('iam'))!.attributes['vcs-repo']).toBeNull()
    const [plan] = await runTfcSync({...PROD_REQUEST, mode: 'vcs', dryRun: true}, deps())
    // Only the keys msp manages are shown, not TFC's read-only extras of vcs-repo.
    expect(renderEnvironmentPlan(plan!, {dryRun: true, style: makeStyler(false)})).toContain(
      '      vcs-repo: null → {"identifier":"sourcegraph/managed-services","branch":"main","oauth-token-id":"ot-current"}',
    )
    const [back] = await runTfcSync({...PROD_REQUEST, mode: 'cli', dryRun: true}, deps())
    expect(back!.workspaces.every((w) => w.action === 'unchanged')).toBe(true)
  })

  test('--workspace-run-mode ignore keeps VCS settings, and refuses before any write when a workspace is missing', async () => {
    await runTfcSync(PROD_REQUEST, deps())
    fake.workspaces.get(ws('iam'))!.attributes['working-directory'] = 'elsewhere/'
    fake.clearRequests()
    await runTfcSync({...PROD_REQUEST, mode: 'ignore'}, deps())
    expect(fake.writes()).toEqual([])

    fake.workspaces.delete(ws('monitoring'))
    fake.clearRequests()
    await expect(runTfcSync({...PROD_REQUEST, mode: 'ignore'}, deps())).rejects.toThrow(UsageError)
    expect(fake.writes()).toEqual([])
  })

  test('VCS mode without an OAuth client id (flag, variable or shared secret) fails before any request, exit 1 like a missing token', async () => {
    const asked: string[] = []
    const secrets = async (id: string) => {
      asked.push(id)
      throw new UserError('no Google Cloud credentials found')
    }
    const error = await runTfcSync(PROD_REQUEST, deps({env: {TFE_ADDRESS: fake.address, TFE_TOKEN: TOKEN}, secrets})).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(error).not.toBeInstanceOf(UsageError)
    expect((error as Error).message).toBe('no Terraform Cloud OAuth client id found (needed by the VCS run mode)')
    expect(asked).toEqual(['TFC_OAUTH_CLIENT_ID'])
    expect(fake.calls()).toEqual([])
  })

  test('--delete removes the workspaces in reverse stack order, then the project, after confirmation', async () => {
    const dev = {...PROD_REQUEST, envId: 'dev'}
    await runTfcSync(dev, deps())
    const questions: string[] = []
    fake.clearRequests()
    await runTfcSync({...dev, delete: true}, deps({confirm: async (q) => void questions.push(q)}))
    expect(questions).toEqual(['Delete the Terraform Cloud workspaces and project of cody-analytics/dev (no teardown run is applied)?'])
    const projectId = [...fake.requests].find((r) => r.method === 'DELETE' && r.path.startsWith('/projects/'))!.path.split('/')[2]
    expect(fake.writes()).toEqual([
      ...[...STACK_NAMES].reverse().map((s) => `DELETE /organizations/sourcegraph/workspaces/msp-cody-analytics-dev-${s}`),
      `DELETE /projects/${projectId}`,
    ])
    expect(fake.workspaces.size).toBe(0)
    expect(fake.projects.size).toBe(0)
  })

  test('--delete refuses environments that do not allow destroys, before any request', async () => {
    await expect(runTfcSync({...PROD_REQUEST, delete: true}, deps())).rejects.toThrow("environments[prod].allowDestroys must be 'true' to delete workspaces")
    expect(fake.calls()).toEqual([])
  })

  test('--all asks once for confirmation and syncs every environment; a refusal writes nothing', async () => {
    await expect(
      runTfcSync({mode: 'vcs', delete: false, dryRun: false}, deps({confirm: async () => Promise.reject(new CancelledError('aborted'))})),
    ).rejects.toThrow('aborted')
    expect(fake.writes()).toEqual([])

    const questions: string[] = []
    const plans = await runTfcSync({mode: 'vcs', delete: false, dryRun: false}, deps({confirm: async (q) => void questions.push(q)}))
    expect(questions).toHaveLength(1)
    expect(questions[0]).toContain('all services (3: cody-analytics/dev, cody-analytics/prod, gatekeeper/prod)')
    expect(plans.map((p) => `${p.service}/${p.environment}`)).toEqual(['cody-analytics/dev', 'cody-analytics/prod', 'gatekeeper/prod'])
    expect(fake.workspaces.size).toBe(15)
  })

  test('429 is retried after the server-requested Retry-After', async () => {
    fake.script('GET /organizations/sourcegraph/projects?filter[names]=msp-cody-analytics-prod', {
      status: 429,
      headers: {'retry-after': '2'},
      body: {errors: [{status: '429', title: 'Too many requests'}]},
    })
    const sleeps: number[] = []
    await runTfcSync({...PROD_REQUEST, dryRun: true}, deps({sleep: async (ms) => void sleeps.push(ms)}))
    expect(sleeps).toEqual([2000])
    expect(fake.calls().filter((c) => c.includes('/projects?'))).toHaveLength(2)
  })

  test('persistent 503 ends with a clear error after bounded attempts; a POST is never retried on 5xx', async () => {
    const path = 'GET /organizations/sourcegraph/projects?filter[names]=msp-cody-analytics-prod'
    fake.script(path, ...Array.from({length: 3}, () => ({status: 503, body: {errors: [{status: '503', title: 'unavailable'}]}})))
    await expect(runTfcSync(PROD_REQUEST, deps())).rejects.toThrow(
      'Terraform Cloud API GET /organizations/sourcegraph/projects?filter%5Bnames%5D=msp-cody-analytics-prod failed after 3 attempts: 503 unavailable',
    )
    fake.clearRequests()
    fake.script('POST /organizations/sourcegraph/projects', {status: 503, body: {errors: [{status: '503', title: 'unavailable'}]}})
    await expect(runTfcSync(PROD_REQUEST, deps())).rejects.toThrow('failed: 503 unavailable')
    expect(fake.writes()).toEqual(['POST /organizations/sourcegraph/projects'])
  })

  test('a rejected token gives a 401 error that names the token source, never the token', async () => {
    const error: UserError = await runTfcSync(
      PROD_REQUEST,
      deps({env: {TFE_ADDRESS: fake.address, TFE_TOKEN: 'wrong-token-value', TFC_OAUTH_CLIENT_ID: OAUTH_CLIENT}}),
    ).catch((e) => e)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(`Terraform Cloud API GET /oauth-clients/${OAUTH_CLIENT} failed: 401 unauthorized`)
    expect(`${error.message}${error.hint}`).toContain('TFE_TOKEN')
    expect(`${error.message}${error.hint}${error.stack}`).not.toContain('wrong-token-value')
  })
})

describe('diffAttributes', () => {
  const liveRepo = {
    identifier: 'sourcegraph/managed-services',
    branch: 'main',
    'oauth-token-id': 'ot-1',
    'service-provider': 'github',
    'display-identifier': 'x',
  }
  test('vcs-repo is compared and shown on the keys msp sets only', () => {
    expect(
      diffAttributes({'vcs-repo': liveRepo}, {'vcs-repo': {identifier: 'sourcegraph/managed-services', branch: 'main', 'oauth-token-id': 'ot-1'}}),
    ).toEqual([])
    expect(diffAttributes({'vcs-repo': liveRepo}, {'vcs-repo': null})).toEqual([
      {attribute: 'vcs-repo', from: {identifier: 'sourcegraph/managed-services', branch: 'main', 'oauth-token-id': 'ot-1'}, to: null},
    ])
  })
  test('attributes msp does not manage are ignored; missing live values count as null', () => {
    expect(diffAttributes({'auto-apply': true, description: 'hand-written'}, {'auto-apply': true})).toEqual([])
    expect(diffAttributes({}, {'trigger-prefixes': ['a/']})).toEqual([{attribute: 'trigger-prefixes', from: null, to: ['a/']}])
  })
})

describe('selectSyncTargets (selection → environments)', () => {
  const d = deps as unknown as () => TfcSyncDeps
  const cases: [string, Partial<TfcSyncRequest>, string[] | RegExp][] = [
    ['one service environment', {serviceId: 'cody-analytics', envId: 'prod'}, ['cody-analytics/prod']],
    ['a service alone: its environments in spec order', {serviceId: 'cody-analytics'}, ['cody-analytics/dev', 'cody-analytics/prod']],
    ['nothing named: every service', {}, ['cody-analytics/dev', 'cody-analytics/prod', 'gatekeeper/prod']],
    ['a category keeps matching environments', {category: 'external'}, ['cody-analytics/prod']],
    ['a category also filters one service (the original ignored it)', {serviceId: 'cody-analytics', category: 'test'}, ['cody-analytics/dev']],
    [
      'an unknown environment lists the available ones',
      {serviceId: 'cody-analytics', envId: 'staging'},
      /unknown environment "staging" of service "cody-analytics"/,
    ],
  ]
  test.each(cases)('%s', async (_name, partial, expected) => {
    const request: TfcSyncRequest = {mode: 'vcs', delete: false, dryRun: false, ...partial}
    const result = selectSyncTargets(request, d())
    if (expected instanceof RegExp) await expect(result).rejects.toThrow(expected)
    else expect((await result).map((t) => `${t.serviceId}/${t.env.id}`)).toEqual(expected)
  })
})

describe('TFC token and address', () => {
  test('TFE_TOKEN wins, then TF_TOKEN_<host>, then ~/.terraform.d/credentials.tfrc.json', async () => {
    await mkdir(join(home, '.terraform.d'))
    await writeFile(join(home, '.terraform.d', 'credentials.tfrc.json'), JSON.stringify({credentials: {'app.terraform.io': {token: 'from-file'}}}))
    expect((await resolveTfcConnection({env: {TFE_TOKEN: 'a', TF_TOKEN_app_terraform_io: 'b'}, homeDir: home})).token).toBe('a')
    expect((await resolveTfcConnection({env: {TF_TOKEN_app_terraform_io: 'b'}, homeDir: home})).token).toBe('b')
    const fromFile = await resolveTfcConnection({env: {}, homeDir: home})
    expect(fromFile).toMatchObject({token: 'from-file', apiBase: 'https://app.terraform.io/api/v2'})
  })

  test('TFE_ADDRESS picks the host, its TF_TOKEN_ variable and its credentials entry', async () => {
    expect(tokenVariableFor('tfe.example-corp.com')).toBe('TF_TOKEN_tfe_example__corp_com')
    const c = await resolveTfcConnection({env: {TFE_ADDRESS: 'tfe.example-corp.com/', TF_TOKEN_tfe_example__corp_com: 'x'}, homeDir: home})
    expect(c).toMatchObject({address: 'https://tfe.example-corp.com', apiBase: 'https://tfe.example-corp.com/api/v2', token: 'x'})
  })

  test('no token anywhere says how to log in', async () => {
    await expect(resolveTfcConnection({env: {}, homeDir: home})).rejects.toMatchObject({
      message: 'no Terraform Cloud token found for app.terraform.io',
      hint: expect.stringContaining('terraform login'),
    })
  })

  test('Retry-After accepts seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000)
    expect(retryAfterMs(null)).toBeUndefined()
    expect(retryAfterMs('Wed, 01 May 2024 12:00:05 GMT', () => Date.parse('2024-05-01T12:00:00Z'))).toBe(5000)
  })

  test('the client sends the JSON:API media type on writes', async () => {
    const client = createTfcClient({connection: {address: fake.address, apiBase: `${fake.address}/api/v2`, token: TOKEN, tokenSource: 'test'}})
    await client.write('POST', '/organizations/sourcegraph/projects', {data: {type: 'projects', attributes: {name: 'p'}}})
    expect(fake.requests[0]).toMatchObject({contentType: 'application/vnd.api+json', authorization: `Bearer ${TOKEN}`})
  })
})

describe('confirmation', () => {
  test('Ctrl-C at the prompt cancels instead of hanging', async () => {
    const stdin = Object.assign(new PassThrough(), {isTTY: true})
    const stderr = Object.assign(new PassThrough(), {isTTY: true, columns: 80})
    const pending = createConfirm({yes: false, stdin, stderr})('Sync all?')
    stdin.write('\u0003')
    await expect(pending).rejects.toThrow(CancelledError)
  })

  test('without a terminal and without --yes it refuses instead of waiting', async () => {
    const stdin = Object.assign(new PassThrough(), {isTTY: false})
    await expect(createConfirm({yes: false, stdin, stderr: new PassThrough()})('Sync all?')).rejects.toThrow(UsageError)
  })

  test('--yes confirms without reading stdin; on a terminal only "y" confirms', async () => {
    await expect(createConfirm({yes: true, stdin: new PassThrough(), stderr: new PassThrough()})('Sync all?')).resolves.toBeUndefined()
    for (const [answer, ok] of [
      ['y\n', true],
      ['yes\n', true],
      ['\n', false],
      ['n\n', false],
    ] as const) {
      const stdin = Object.assign(new PassThrough(), {isTTY: true})
      const pending = createConfirm({yes: false, stdin, stderr: new PassThrough()})('Sync all?')
      stdin.write(answer)
      if (ok) await expect(pending).resolves.toBeUndefined()
      else await expect(pending).rejects.toThrow(CancelledError)
    }
  })
})

// Keeps the EnvironmentFacts type import honest (the spec's Environment must stay assignable to it).
export type _EnvCheck = EnvironmentFacts
export type _PlanCheck = EnvironmentPlan

describe('--timeout is one limit for the whole sync', () => {
  const ALL: TfcSyncRequest = {serviceId: 'cody-analytics', mode: 'vcs', delete: false, dryRun: false}
  /** Each environment's first read answers after 700 ms: about 0.75 s an environment. */
  const slowProjectReads = () => {
    for (const env of ['dev', 'prod']) fake.script(`GET /organizations/sourcegraph/projects?filter[names]=msp-cody-analytics-${env}`, {delayMs: 700})
  }

  test('two environments that each fit the limit but together do not: the second times out, naming the whole limit', async () => {
    slowProjectReads()
    const synced: string[] = []
    const run = runTfcSync(ALL, deps({confirm: async () => {}, timeoutMs: 1200, onResult: (plan) => void synced.push(plan.environment)}))
    await expect(run).rejects.toThrow('timed out after 1.2s')
    // Before, each environment had the whole limit from its own start, and both were synced.
    expect(synced).toEqual(['dev'])
  })

  test('the time spent answering the confirmation is not counted', async () => {
    const synced: string[] = []
    const confirm = () => new Promise<void>((resolve) => setTimeout(resolve, 1500))
    await runTfcSync(ALL, deps({confirm, timeoutMs: 1200, onResult: (plan) => void synced.push(plan.environment)}))
    expect(synced).toEqual(['dev', 'prod'])
  })
})
