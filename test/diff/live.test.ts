/**
 * `msp diff --live` against a local Terraform Cloud (test/cloud/fakes/tfc-fake.ts on 127.0.0.1): the
 * workspaces hold states built from the generated configuration, as Terraform would have applied it
 * (nested blocks as lists, references resolved to values msp cannot know), in both forms Terraform
 * Cloud serves; then one resource is taken out, one added and one attribute drifted.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {createTfcClient} from '../../src/lib/cloud/tfc-client.js'
import {generateServices} from '../../src/lib/generate/generate.js'
import {resolveService} from '../../src/lib/repo/resolve.js'
import {LocalServer} from '../cloud/fakes/local-server.js'
import {TfcFake} from '../cloud/fakes/tfc-fake.js'
import {makeRepoFromFixtures, runMspIsolated} from '../helpers/cli.js'

const TOKEN = 'diffLiveToken.atlasv1.0123456789abcdefghijABCDEFGHIJ'
const STACKS = ['project', 'iam', 'cloudrun', 'monitoring', 'tfcworkspaces']
// Attributes that are maps in the provider schemas; every other object in the configuration is a nested block.
const MAPS = new Set(['labels', 'user_labels', 'annotations', 'keepers', 'resource_labels', 'filter_labels', 'metadata', 'headers'])

type J = null | boolean | number | string | J[] | {[k: string]: J}

const isBlock = (key: string, v: J): v is {[k: string]: J} => v !== null && typeof v === 'object' && !Array.isArray(v) && !MAPS.has(key)

/** A configured value as it sits in state after an apply: nested blocks as one-item lists, references as the values they resolved to. */
function applied(value: J, key: string): J {
  if (typeof value === 'string') return value.replace(/\$\$\{/g, '').includes('${') ? `resolved-by-terraform:${key}` : value.replace(/\$\$\{/g, '${')
  if (Array.isArray(value)) return value.map((v) => applied(v, key))
  if (value !== null && typeof value === 'object') {
    const out: {[k: string]: J} = {}
    for (const [k, v] of Object.entries(value)) out[k] = isBlock(k, v) ? [applied(v, k)] : applied(v, k)
    return out
  }
  return value
}

interface Instance {
  type: string
  name: string
  attributes: {[k: string]: J}
}

function instancesOf(config: any): Instance[] {
  const out: Instance[] = []
  for (const [type, byName] of Object.entries<any>(config.resource ?? {})) {
    for (const [name, body] of Object.entries<any>(byName)) {
      const attributes: {[k: string]: J} = {id: `${type}/${name}`}
      for (const [k, v] of Object.entries<J>(body)) {
        if (['lifecycle', 'depends_on', 'provider', 'count', 'for_each'].includes(k)) continue
        attributes[k] = isBlock(k, v) ? [applied(v, k)] : applied(v, k)
      }
      out.push({type, name, attributes})
    }
  }
  return out
}

function outputsOf(config: any): {[k: string]: {value: J; sensitive: boolean}} {
  const out: {[k: string]: {value: J; sensitive: boolean}} = {}
  for (const [name, o] of Object.entries<any>(config.output ?? {})) out[name] = {value: applied(o.value, name), sensitive: o.sensitive === true}
  return out
}

/** The JSON state (`terraform show -json`'s shape). */
function jsonState(instances: Instance[], outputs: ReturnType<typeof outputsOf>): unknown {
  return {
    format_version: '1.0',
    terraform_version: '1.5.7',
    values: {
      outputs,
      root_module: {
        resources: instances.map((i) => ({
          address: `${i.type}.${i.name}`,
          mode: 'managed',
          type: i.type,
          name: i.name,
          provider_name: 'registry.terraform.io/hashicorp/google',
          schema_version: 0,
          values: i.attributes,
          sensitive_values: {},
        })),
      },
    },
  }
}

/** The raw state file (format version 4), as states older than Terraform 1.3 are served. */
function rawState(instances: Instance[], outputs: ReturnType<typeof outputsOf>): unknown {
  return {
    version: 4,
    terraform_version: '1.2.9',
    serial: 3,
    lineage: '5d0c9f35-1f3e-4d38-9c3a-4c6c43f0b1a2',
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, {value: o.value, type: 'string', ...(o.sensitive ? {sensitive: true} : {})}])),
    resources: instances.map((i) => ({
      mode: 'managed',
      type: i.type,
      name: i.name,
      provider: 'provider["registry.terraform.io/hashicorp/google"]',
      instances: [{schema_version: 0, attributes: i.attributes, sensitive_attributes: []}],
    })),
  }
}

let repo: string
let home: string
let fake: TfcFake
const env = () => ({TFE_ADDRESS: fake.address, TFE_TOKEN: TOKEN})
const configOf = (stack: string) => JSON.parse(readFileSync(join(repo, `services/cloud-ops/terraform/dev/stacks/${stack}/cdk.tf.json`), 'utf8'))

beforeEach(async () => {
  repo = makeRepoFromFixtures(['cloud-ops'])
  home = mkdtempSync(join(tmpdir(), 'msp-home-'))
  await generateServices({root: repo, services: [await resolveService(repo, 'cloud-ops')]})
  fake = await TfcFake.start({token: TOKEN})
  for (const stack of STACKS) fake.seedWorkspace(`msp-cloud-ops-dev-${stack}`, {})
})
afterEach(async () => {
  await fake.close()
  rmSync(repo, {recursive: true, force: true})
  rmSync(home, {recursive: true, force: true})
})

/**
 * Every workspace's state as applied from the generated configuration; cloudrun's as an old raw state.
 * The downloads are on another origin than the API (localhost, not 127.0.0.1), as app.terraform.io
 * hands out archivist.terraform.io URLs.
 */
function seedAppliedStates(edit: (stack: string, instances: Instance[]) => void = () => {}): void {
  const origin = fake.address.replace('127.0.0.1', 'localhost')
  for (const stack of STACKS) {
    const config = configOf(stack)
    const instances = instancesOf(config)
    edit(stack, instances)
    const outputs = outputsOf(config)
    if (stack === 'cloudrun') fake.seedState(`msp-cloud-ops-dev-${stack}`, {raw: rawState(instances, outputs), origin})
    else fake.seedState(`msp-cloud-ops-dev-${stack}`, {json: jsonState(instances, outputs), raw: rawState(instances, outputs), origin})
  }
}

describe('msp diff --live', () => {
  it('reports nothing when every workspace holds what the configuration says', async () => {
    seedAppliedStates()
    const r = await runMspIsolated(['diff', 'cloud-ops', 'dev', '--live', '--json', '--exit-code'], {repo, home, env: env()})
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({changes: [], summary: {create: 0, update: 0, replace: 0, delete: 0}})
    // Both forms were read: the JSON state where there is one, the raw state of the older cloudrun state.
    const downloads = fake.calls().filter((c) => c.includes('/_archivist/'))
    expect(downloads.filter((c) => c.endsWith('/json'))).toHaveLength(4)
    expect(downloads.filter((c) => c.endsWith('/raw'))).toHaveLength(1)
  })

  it('reports exactly one create, one delete and one update for a missing resource, an extra one and a drifted attribute', async () => {
    seedAppliedStates((stack, instances) => {
      if (stack === 'cloudrun') {
        // Taken out of the raw state: the plan would create it.
        instances.splice(
          instances.findIndex((i) => i.type === 'google_redis_instance'),
          1,
        )
        // Changed in the console: 3 instances at most, where the spec says 5.
        const service = instances.find((i) => i.type === 'google_cloud_run_v2_service')!
        ;((service.attributes.template as any)[0].scaling[0] as any).max_instance_count = 3
      }
      if (stack === 'iam') instances.push({type: 'google_storage_bucket', name: 'left-behind', attributes: {id: 'b', name: 'left-behind', location: 'US'}})
    })
    const r = await runMspIsolated(['diff', 'cloud-ops', 'dev', '--live', '--json'], {repo, home, env: env()})
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.summary).toEqual({create: 1, update: 1, replace: 0, delete: 1})
    expect(doc.changes).toEqual([
      {
        workspace: 'msp-cloud-ops-dev-cloudrun',
        address: 'google_cloud_run_v2_service.cloudrun',
        action: 'update',
        attributes: ['template.scaling.max_instance_count'],
        before: {'template.scaling.max_instance_count': 3},
        after: {'template.scaling.max_instance_count': 5},
      },
      {workspace: 'msp-cloud-ops-dev-cloudrun', address: 'google_redis_instance.redis-instance', action: 'create'},
      {workspace: 'msp-cloud-ops-dev-iam', address: 'google_storage_bucket.left-behind', action: 'delete'},
    ])
    // Progress on stderr, one line per workspace.
    expect(r.stderr.match(/^\[\d\/5\] msp-cloud-ops-dev-\w+: /gm)).toHaveLength(5)
    const text = await runMspIsolated(['diff', 'cloud-ops', 'dev', '--live', '--exit-code'], {repo, home, env: env()})
    expect(text.code).toBe(1)
    expect(text.stdout.trimEnd().split('\n').pop()).toBe('Plan: 1 to add, 1 to change, 1 to destroy.')
  })

  it('fails naming a missing workspace, and a workspace without state', async () => {
    seedAppliedStates()
    fake.workspaces.delete('msp-cloud-ops-dev-monitoring')
    const r = await runMspIsolated(['diff', 'cloud-ops', 'dev', '--live'], {repo, home, env: env()})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('workspace msp-cloud-ops-dev-monitoring not found in the Terraform Cloud organization sourcegraph')
    expect(r.stderr).toContain('msp tfc sync cloud-ops dev')
    fake.seedWorkspace('msp-cloud-ops-dev-monitoring', {})
    const noState = await runMspIsolated(['diff', 'cloud-ops', 'dev', '--live'], {repo, home, env: env()})
    expect(noState.code).toBe(1)
    expect(noState.stderr).toContain('workspace msp-cloud-ops-dev-monitoring has no state yet')
  })

  it('--timeout is one limit for the whole comparison: workspaces read after it is spent time out', async () => {
    // Two environments: ten workspaces, read eight at a time, each answering after 700 ms (no state).
    const two = makeRepoFromFixtures(['cody-analytics'])
    try {
      for (const e of ['dev', 'prod']) {
        for (const stack of STACKS) {
          fake.seedWorkspace(`msp-cody-analytics-${e}-${stack}`, {})
          fake.script(`GET /organizations/sourcegraph/workspaces/msp-cody-analytics-${e}-${stack}`, {delayMs: 700})
        }
      }
      const r = await runMspIsolated(['diff', 'cody-analytics', '--live', '--timeout', '1'], {repo: two, home, env: env()})
      expect(r.code).toBe(1)
      // The first eight answer within the second (no state yet); the last two start at 0.7 s and
      // would answer at 1.4 s: past the one limit. Before, each workspace had the limit from its own start.
      expect(r.stderr.match(/has no state yet/g)).toHaveLength(8)
      expect(r.stderr.match(/timed out after 1s/g)).toHaveLength(2)
    } finally {
      rmSync(two, {recursive: true, force: true})
    }
  })

  it('never shows the token, --debug and a server that echoes it included', async () => {
    seedAppliedStates()
    fake.script('GET /organizations/sourcegraph/workspaces/msp-cloud-ops-dev-iam', {status: 400, echoAuthorization: 'bare'})
    for (const args of [['--debug'], ['--debug', '--json'], []]) {
      const r = await runMspIsolated(['diff', 'cloud-ops', 'dev', '--live', ...args], {repo, home, env: {...env(), DEBUG: 'msp*'}})
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1)
      expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN)
      expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN.split('.')[0])
      fake.script('GET /organizations/sourcegraph/workspaces/msp-cloud-ops-dev-iam', {status: 400, echoAuthorization: 'json'})
    }
    // The token went to the API only, never with the state downloads on the other origin (signed URLs).
    const downloads = fake.requests.filter((req) => req.path.startsWith('/_archivist/'))
    expect(downloads.length).toBeGreaterThan(0)
    for (const req of downloads) expect(req.authorization).toBeUndefined()
  })
})

describe('state downloads (the Terraform Cloud client)', () => {
  const connection = () => ({address: fake.address, apiBase: `${fake.address}/api/v2`, token: TOKEN, tokenSource: 'TFE_TOKEN'})

  it('send the token to the API origin only, not to another host or after a redirect to one', async () => {
    const other = await LocalServer.start()
    const seen: (string | undefined)[] = []
    other.answer((req, res) => {
      seen.push(req.headers.authorization)
      res.writeHead(200, {'content-type': 'application/json'}).end('{"version":4}')
    })
    try {
      const client = createTfcClient({connection: connection()})
      // Same origin as the API: with the token (Terraform Enterprise serves state itself).
      fake.downloads.set('/_archivist/same', {body: '{"ok":1}'})
      await client.download(`${fake.address}/_archivist/same`)
      expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${TOKEN}`)
      // Another host (localhost is not 127.0.0.1), directly and through a redirect: without it.
      expect(await client.download(`http://localhost:${other.host.split(':')[1]}/state`)).toBe('{"version":4}')
      fake.downloads.set('/_archivist/moved', {status: 302, location: `http://${other.host}/state`})
      await client.download(`${fake.address}/_archivist/moved`)
      expect(seen).toEqual([undefined, undefined])
    } finally {
      await other.close()
    }
  })

  it('refuse plain http to another machine, also as a redirect target', async () => {
    const client = createTfcClient({connection: connection()})
    await expect(client.download('http://state.example.com/x')).rejects.toThrow(/refusing the download from state\.example\.com: plain http to another machine/)
    fake.downloads.set('/_archivist/downgrade', {status: 307, location: 'http://state.example.com/x'})
    await expect(client.download(`${fake.address}/_archivist/downgrade`)).rejects.toThrow(/plain http to another machine/)
    await expect(client.download('file:///etc/passwd')).rejects.toThrow(/a file: URL/)
  })
})
