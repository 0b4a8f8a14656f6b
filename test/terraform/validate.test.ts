import {cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {loadService} from '../../src/lib/spec/load.js'
import type {Environment, Spec} from '../../src/lib/spec/schema.js'
import {environmentStacks} from '../../src/lib/stacks/index.js'
import {monitoringAlertPolicies} from '../../src/lib/stacks/monitoring/alert-policies.js'
import {STACK_NAMES} from '../../src/lib/stacks/naming.js'
import {renderTerraform} from '../../src/lib/terraform/render.js'
import {blockSchema, PINNED_ONLY_ATTRIBUTES, providerSchema, UNCHECKED_PROVIDERS, unknownAttributes} from './provider-schema.js'
import {featuresRepo, fixturesDir} from '../helpers/paths.js'
import {DEFAULT_EDITION, type Edition} from '../../src/lib/edition/editions.js'

const REPO = path.resolve(import.meta.dirname, '../..')
const FIXTURES = fixturesDir
const EXAMPLES = path.join(REPO, 'examples/managed-services/services')

function serviceIds(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {withFileTypes: true})
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'service.yaml')))
    .map((d) => d.name)
    .sort()
}

// Specs go through the real loader (defaults applied, BigQuery schemas read); the flat fixture
// folders are copied into a temporary repo layout for that.
const fixtureRepo = mkdtempSync(path.join(tmpdir(), 'msp-validate-'))
afterAll(() => rmSync(fixtureRepo, {recursive: true, force: true}))
const fixtureIds = serviceIds(FIXTURES)
for (const id of fixtureIds) cpSync(path.join(FIXTURES, id), path.join(fixtureRepo, 'services', id), {recursive: true})
type Loaded = {label: string; spec: Spec; schemas: Record<string, string>}
const loaded: Loaded[] = [
  ...(await Promise.all(fixtureIds.map((id) => loadService(fixtureRepo, id)))).map((s) => ({label: s.id, spec: s.spec, schemas: s.bigQuerySchemas})),
  ...(await Promise.all(serviceIds(EXAMPLES).map((id) => loadService(path.dirname(EXAMPLES), id)))).map((s) => ({
    label: `example/${s.id}`,
    spec: s.spec,
    schemas: s.bigQuerySchemas,
  })),
  // Specs written for msp's tests, for features no fixture uses (test/fixtures/ORIGIN.md).
  ...(await Promise.all(serviceIds(path.join(featuresRepo, 'services')).map((id) => loadService(featuresRepo, id)))).map((s) => ({
    label: `feature/${s.id}`,
    spec: s.spec,
    schemas: s.bigQuerySchemas,
  })),
]
/** The handbook fixtures (labels without a `example/` or `feature/` prefix). */
const isFixture = (label: string) => !label.includes('/')
function specsIn(dir: string): [string, Spec][] {
  return (dir === FIXTURES ? loaded.filter((l) => isFixture(l.label)) : loaded).map((l) => [l.label, l.spec])
}
const schemasOf = new Map(loaded.map((l) => [l.spec, l.schemas]))

const specs = loaded.map((l): [string, Spec] => [l.label, l.spec])
const cases = specs.flatMap(([label, spec]) => (spec.environments ?? []).map((env) => ({label: `${label} ${env.id}`, spec, env})))

type Json = Record<string, any>
/** Renders and re-parses every stack of one environment. */
function rendered(spec: Spec, env: Environment, edition: Edition = DEFAULT_EDITION): Record<string, Json> {
  const out: Record<string, Json> = {}
  for (const s of environmentStacks(spec, env, edition, {bigQuerySchemas: schemasOf.get(spec) ?? {}})) {
    out[s.name] = JSON.parse(renderTerraform(s.config, {terraformVersion: '1.3.10'}))
  }
  return out
}

function names(doc: Json, kind: 'resource' | 'data', type: string): string[] {
  return Object.keys(doc[kind]?.[type] ?? {})
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value
  else if (Array.isArray(value)) for (const v of value) yield* strings(v)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* strings(v)
}

/** Every reference in a document that does not resolve to something declared in it. */
function danglingReferences(doc: Json): string[] {
  const problems: string[] = []
  const declared = (ref: string): boolean => {
    const parts = ref.split('.')
    if (parts[0] === 'data') return doc.data?.[parts[1]!]?.[parts[2]!] !== undefined
    if (parts[0] === 'local') return doc.locals?.[parts[1]!] !== undefined
    if (parts[0] === 'var') return doc.variable?.[parts[1]!] !== undefined
    return doc.resource?.[parts[0]!]?.[parts[1]!] !== undefined
  }
  // `dynamic "<name>"` blocks may use their iterator (`<name>.key`, `<name>.value`).
  const iterators = new Set<string>()
  for (const byName of Object.values((doc.resource ?? {}) as Json)) {
    for (const body of Object.values(byName as Json)) for (const name of Object.keys((body as Json).dynamic ?? {})) iterators.add(name)
  }
  const plain = /^[a-z][\w-]*(\.[\w-]+|\[\d+\])+$/
  for (const s of strings({...doc, terraform: undefined})) {
    for (const m of s.matchAll(/(?<![$%])\$\{([^}]*)\}/g)) {
      const expr = m[1]!
      if (plain.test(expr)) {
        if (!declared(expr) && !iterators.has(expr.split('.')[0]!)) problems.push(`dangling: ${expr}`)
        continue
      }
      // Expressions: only these functions and arithmetic, over references that resolve.
      const code = expr.replace(/"[^"]*"/g, '""')
      for (const call of code.matchAll(/([a-z_][a-z0-9_]*)\(/g))
        if (!['trimsuffix', 'chunklist', 'sort', 'base64decode'].includes(call[1]!)) problems.push(`unexpected function: ${call[1]}`)
      for (const ref of code.matchAll(/[a-z][\w-]*(?:\.[\w-]+|\[\d+\])+/g)) {
        if (!declared(ref[0]) && !iterators.has(ref[0].split('.')[0]!)) problems.push(`dangling: ${ref[0]}`)
      }
    }
  }
  for (const blocks of [doc.resource ?? {}, doc.data ?? {}]) {
    for (const byName of Object.values(blocks as Json)) {
      for (const body of Object.values(byName as Json)) {
        for (const dep of (body as Json).depends_on ?? []) if (!declared(dep)) problems.push(`dangling depends_on: ${dep}`)
      }
    }
  }
  return problems
}

describe('generated Terraform for every fixture and example service', () => {
  it('covers the nine handbook fixtures and the feature specs', () => {
    expect(specs.filter(([l]) => isFixture(l))).toHaveLength(9)
    expect(specs.map(([l]) => l).filter((l) => l.startsWith('feature/'))).toEqual(['feature/ledger-replica', 'feature/slo-pilot'])
  })

  it.each(cases)('$label: five stacks, each valid JSON with its own TFC workspace and pinned Terraform', ({spec, env}) => {
    const stacks = environmentStacks(spec, env, DEFAULT_EDITION, {bigQuerySchemas: schemasOf.get(spec) ?? {}})
    expect(stacks.map((s) => s.name)).toEqual([...STACK_NAMES])
    for (const s of stacks) {
      const text = renderTerraform(s.config, {terraformVersion: '1.3.10'})
      expect(text.endsWith('}\n')).toBe(true)
      const doc = JSON.parse(text)
      expect(doc.terraform.cloud).toEqual({
        hostname: 'app.terraform.io',
        organization: 'sourcegraph',
        workspaces: {name: `msp-${spec.service.id}-${env.id}-${s.name}`},
      })
      expect(doc.terraform.required_version).toBe('~> 1.3.10')
      for (const p of Object.keys(doc.provider ?? {})) expect(doc.terraform.required_providers[p]).toBeDefined()
    }
  })

  it.each(cases)('$label: every reference and depends_on points at something declared in the same stack', ({spec, env}) => {
    const docs = rendered(spec, env)
    for (const [stack, doc] of Object.entries(docs)) expect({stack, problems: danglingReferences(doc)}).toEqual({stack, problems: []})
    // Remote-state reads must name outputs the producing stack really has.
    for (const [stack, doc] of Object.entries(docs)) {
      for (const s of strings(doc)) {
        for (const m of s.matchAll(/data\.terraform_remote_state\.cross-stack-reference-input-([\w]+)\.outputs\.([\w-]+)/g)) {
          expect(docs[m[1]!]?.output, `${stack} reads ${m[1]}.${m[2]}`).toHaveProperty([m[2]!])
        }
      }
    }
  })

  it.each(cases)('$label: resource types and attribute names exist in the provider schemas', ({spec, env}) => {
    const problems: string[] = []
    for (const [stack, doc] of Object.entries(rendered(spec, env))) {
      for (const kind of ['resource', 'data'] as const) {
        for (const [type, byName] of Object.entries((doc[kind] ?? {}) as Json)) {
          for (const [name, body] of Object.entries(byName as Json)) {
            // google-beta-only types (google_project_service_identity) are absent from the GA package.
            const schema = (body as Json).provider === 'google-beta' ? undefined : blockSchema(REPO, kind, type)
            if (!schema) {
              const provider = String((body as Json).provider ?? (type === 'terraform_remote_state' ? 'terraform' : type.split('_')[0]))
              // An aliased configuration (`postgresql.postgresql_admin_provider`) belongs to its provider.
              expect(UNCHECKED_PROVIDERS).toContain(provider.split('.')[0])
              continue
            }
            for (const attr of unknownAttributes(schema, body)) {
              if (kind === 'resource' && PINNED_ONLY_ATTRIBUTES[type]?.includes(attr)) continue
              problems.push(`${stack}: ${kind} ${type}.${name}: ${attr}`)
            }
          }
        }
      }
      for (const [provider, configs] of Object.entries((doc.provider ?? {}) as Json)) {
        const schema = providerSchema(REPO, provider)
        if (!schema) continue
        for (const config of configs as Json[])
          for (const attr of unknownAttributes(schema, config, ['alias'])) problems.push(`${stack}: provider ${provider}: ${attr}`)
      }
    }
    expect(problems).toEqual([])
  })

  it.each(cases)('$label: the minimum faithful subset of the original Terraform is present', ({spec, env}) => {
    const d = rendered(spec, env)
    const kind = spec.service.kind ?? 'service'
    // project
    expect(names(d.project!, 'resource', 'google_project')).toHaveLength(1)
    expect(names(d.project!, 'resource', 'google_project_service').length).toBeGreaterThanOrEqual(23)
    expect(d.project!.output).toHaveProperty(['output-project_id'])
    // iam
    expect(names(d.iam!, 'resource', 'random_id')).toContain('iam-operatoraccess_account_id-random')
    expect(names(d.iam!, 'resource', 'google_service_account')).toEqual(
      expect.arrayContaining(['iam-operatoraccess-account', 'iam-workload-account', 'iam-datastream-to-cloudsql-account']),
    )
    expect(names(d.iam!, 'resource', 'google_project_iam_member').length).toBeGreaterThanOrEqual(9)
    expect(names(d.iam!, 'resource', 'google_service_account_iam_member')).toHaveLength(2)
    expect(d.iam!.resource.google_project_service_identity['iam-cloudrun-identity'].provider).toBe('google-beta')
    expect(Object.keys(d.iam!.output)).toEqual(expect.arrayContaining(['output-cloud_run_service_account', 'output-operator_access_service_account']))
    // cloudrun
    const cr = d.cloudrun!
    expect(names(cr, 'resource', 'random_id')).toContain('diagnostics-secret-random')
    expect(names(cr, 'resource', kind === 'job' ? 'google_cloud_run_v2_job' : 'google_cloud_run_v2_service')).toEqual(['cloudrun'])
    if (kind === 'service' && !env.authentication) {
      expect(names(cr, 'resource', 'google_cloud_run_v2_service_iam_member')).toEqual(['cloudrun-allusers-runinvoker'])
    }
    expect(names(cr, 'data', 'sentry_organization')).toHaveLength(1)
    expect(names(cr, 'resource', 'sentry_project')).toHaveLength(1)
    expect(names(cr, 'resource', 'sentry_key')).toHaveLength(1)
    expect(Object.keys(cr.output)).toEqual(expect.arrayContaining(['output-cloud_run_resource_name', 'output-cloud_run_location']))
    const res = env.resources
    if (res?.redis || res?.postgreSQL) {
      expect(names(cr, 'resource', 'google_compute_network')).toEqual(['cloudrun-network'])
      expect(names(cr, 'resource', 'google_compute_subnetwork')).toEqual(['cloudrun-subnetwork'])
      expect(names(cr, 'resource', 'google_service_networking_connection')).toHaveLength(1)
    }
    if (res?.redis) {
      expect(names(cr, 'resource', 'google_redis_instance')).toEqual(['redis-instance'])
      expect(names(cr, 'resource', 'google_secret_manager_secret')).toContain('redis-ca-cert-secret')
    }
    if (res?.bigQueryDataset) {
      expect(names(cr, 'resource', 'google_bigquery_dataset')).toEqual(['bigquery-dataset'])
      expect(names(cr, 'resource', 'google_bigquery_table')).toHaveLength(res.bigQueryDataset.tables?.length ?? 0)
    }
    if (res?.postgreSQL) {
      expect(names(cr, 'resource', 'google_sql_database_instance')).toEqual(['postgresql-instance'])
      expect(names(cr, 'resource', 'google_sql_database')).toHaveLength(res.postgreSQL.databases?.length ?? 0)
      expect(names(cr, 'resource', 'google_sql_user').length).toBeGreaterThanOrEqual(2)
      expect(cr.output).toHaveProperty(['output-cloudsql_connection_name'])
    }
    if (env.domain?.type === 'cloudflare') {
      for (const t of [
        'google_compute_backend_service',
        'google_compute_url_map',
        'google_compute_target_https_proxy',
        'google_compute_global_forwarding_rule',
      ]) {
        expect(names(cr, 'resource', t)).toHaveLength(1)
      }
      expect(names(cr, 'resource', 'cloudflare_record')).toEqual(['cf-record'])
    }
    // monitoring
    const mon = d.monitoring!
    const channels = names(mon, 'resource', 'google_monitoring_notification_channel')
    expect(channels).toEqual(
      expect.arrayContaining(['monitoring-slack_alerts-msp-notification_channel', `monitoring-slack_alerts-${spec.service.id}-${env.id}-notification_channel`]),
    )
    expect(names(mon, 'resource', 'opsgenie_api_integration')).toHaveLength(spec.service.owners?.length ?? 0)
    expect(names(mon, 'resource', 'google_monitoring_alert_policy')).toEqual(monitoringAlertPolicies(spec, env, DEFAULT_EDITION).map((p) => p.resourceName))
    expect(names(mon, 'resource', 'google_monitoring_dashboard')).toHaveLength(1)
    // tfcworkspaces
    const tfc = d.tfcworkspaces!
    expect(names(tfc, 'data', 'tfe_workspace')).toHaveLength(5)
    expect(names(tfc, 'resource', 'tfe_notification_configuration')).toHaveLength(5)
    const runs = tfc.resource.tfe_workspace_run
    expect(Object.keys(runs)).toHaveLength(4)
    expect(runs['iam-workspace_run'].depends_on).toEqual(['tfe_workspace_run.project-workspace_run'])
    expect(runs['monitoring-workspace_run'].depends_on).toEqual(['tfe_workspace_run.cloudrun-workspace_run'])
  })

  it('under 2024-05, the alert policy display names across environments equal the fixture page headings', () => {
    for (const [id, spec] of specsIn(FIXTURES)) {
      const displayNames = new Set<string>()
      for (const env of spec.environments ?? []) {
        const doc = rendered(spec, env, '2024-05').monitoring!
        for (const p of Object.values(doc.resource.google_monitoring_alert_policy as Json)) displayNames.add((p as Json).display_name)
      }
      const page = readFileSync(path.join(FIXTURES, id, 'expected.md'), 'utf8')
      const section = page.slice(page.indexOf('\n## Alert Policies\n'))
      const headings = new Set([...section.matchAll(/^#### (.+)$/gm)].map((m) => m[1]!))
      expect({id, names: [...displayNames].sort()}).toEqual({id, names: [...headings].sort()})
    }
  })
})

describe('the offline provider-schema checker', () => {
  it('flags misspelt top-level and nested attributes and accepts real ones', () => {
    const cloudRun = blockSchema(REPO, 'resource', 'google_cloud_run_v2_service')!
    expect(cloudRun.root.size).toBeGreaterThan(10)
    const body = {
      name: 'x',
      location: 'us-central1',
      lifecycle: {prevent_destroy: true},
      templat: {},
      template: {containers: [{image: 'i', imag: 'typo', ports: {container_port: 1}, env: [{name: 'a', valu: 'b'}]}], scaling: {max_instance_count: 1}},
    }
    expect(unknownAttributes(cloudRun, body)).toEqual(['templat', 'template.containers.imag', 'template.containers.env.valu'])
  })

  it('reads data sources and provider blocks', () => {
    expect(unknownAttributes(blockSchema(REPO, 'data', 'tfe_workspace')!, {name: 'n', organization: 'o', bogus: 1})).toEqual(['bogus'])
    expect(unknownAttributes(providerSchema(REPO, 'google')!, {project: 'p', projet: 'p'})).toEqual(['projet'])
  })
})
