/**
 * Spec text must never become a Terraform interpolation. Every string field of
 * the spec (found by walking the editor JSON Schema, which is generated from the zod schema) is fed
 * `${…}`/`%{…}` payloads; the real loader parses the spec and the real generator plans every file;
 * no generated file may then hold a template sequence (`${…}` or `%{…}`, escapes `$${`/`%%{` aside)
 * that contains spec text.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {stringify} from 'yaml'
import {buildJsonSchema} from '../../src/lib/spec/json-schema.js'
import {parseSpec} from '../../src/lib/spec/load.js'
import {renderEnvironment} from '../helpers/generated.js'
import {iterations} from '../helpers/stress.js'

const MARK = 'pwn0'

/** Every spec path whose value (or, for maps, whose key: `…*key`) is free text, from the JSON Schema. */
function schemaStringPaths(): Set<string> {
  const out = new Set<string>()
  const walk = (node: Record<string, unknown>, path: string): void => {
    if (node.type === 'object') {
      for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) walk(v, `${path}.${k}`)
      const extra = node.additionalProperties
      if (extra && typeof extra === 'object') {
        out.add(`${path}.*key`)
        walk(extra as Record<string, unknown>, `${path}.*`)
      }
    } else if (node.type === 'array') {
      walk(node.items as Record<string, unknown>, `${path}[]`)
    } else if (node.type === 'string' && !node.enum) {
      out.add(path)
    }
  }
  walk(buildJsonSchema(), '')
  return out
}

const TABLE_SCHEMA = JSON.stringify([{name: 'id', type: 'STRING', mode: 'REQUIRED', description: 'the id'}])

/** A service that uses every free-text field of the spec (jobs and rollouts: {@link FULL_JOB}, {@link FULL_ROLLOUT}). */
const FULL_SERVICE = {
  service: {
    id: 'svc',
    // Short: the display name plus an environment id must fit in 30 characters.
    name: 'S',
    owners: ['team-a', 'team-b'],
    description: 'What it does.',
    notionPageID: 'abc123',
    protocol: 'h2c',
    iam: {services: ['bigquery.googleapis.com'], roles: ['roles/pubsub.editor'], permissions: ['storage.buckets.get']},
  },
  build: {image: 'us.gcr.io/sourcegraph-dev/svc', source: {repo: 'github.com/sourcegraph/svc', dir: 'cmd/svc'}},
  environments: [
    {
      id: 'dev',
      projectID: 'svc-dev-1234',
      category: 'internal',
      deploy: {type: 'manual', manual: {tag: 'insiders'}},
      locations: {gcpRegion: 'us-central1', gcpLocation: 'US'},
      instances: {resources: {cpu: 1, memory: '512Mi'}},
      env: {PLAIN: 'value', TEMPLATED: '{{ .ProjectID }}/{{ .ServiceDnsName }}'},
      secretEnv: {TOKEN: 'svc-token'},
      secretVolumes: {creds: {mountPath: '/etc/creds/key.json', secret: 'svc-creds'}},
      resources: {
        redis: {},
        postgreSQL: {databases: ['primary'], logicalReplication: {publications: [{name: 'pub', database: 'primary', tables: ['users']}]}},
        bigQueryDataset: {tables: ['events'], datasetID: 'svc_data', projectID: 'svc-data-project'},
      },
      domain: {type: 'cloudflare', cloudflare: {subdomain: 'svc', zone: 'sgdev.org'}},
      healthProbes: {healthzProbes: true},
      alerting: {opsgenie: true},
    },
    {
      id: 'prod',
      projectID: 'svc-prod-1234',
      category: 'external',
      deploy: {type: 'subscription', subscription: {tag: 'latest'}},
      instances: {resources: {cpu: 1, memory: '512Mi'}},
    },
  ],
  monitoring: {
    alerts: {
      responseCodeRatios: [
        {id: 'ratio', name: 'Server Errors', description: 'Too many 5xx', codeClass: '5xx', excludeCodes: ['501'], ratio: 0.1, duration: '120s'},
      ],
      customAlerts: [
        {name: 'Custom', description: 'custom alert', severityLevel: 'WARNING', condition: {type: 'mql', query: 'fetch cloud_run_revision | every 1m'}},
      ],
    },
  },
}

/** A job: the fields only jobs have. */
const FULL_JOB = {
  service: {id: 'job', owners: ['team'], description: 'A job.', kind: 'job'},
  environments: [
    {
      id: 'dev',
      projectID: 'job-dev-1234',
      category: 'test',
      deploy: {type: 'manual'},
      instances: {resources: {cpu: 1, memory: '512Mi'}},
      schedule: {cron: '0 * * * *'},
    },
  ],
}

/** A service deployed through a rollout pipeline. */
const FULL_ROLLOUT = {
  service: {id: 'roll', owners: ['team'], description: 'Rolled out.'},
  environments: ['dev', 'prod'].map((id) => ({
    id,
    projectID: `roll-${id}-1234`,
    category: 'test',
    deploy: {type: 'rollout'},
    instances: {resources: {cpu: 1, memory: '512Mi'}},
  })),
  rollout: {stages: [{environment: 'dev'}, {environment: 'prod'}], serviceAccount: 'deployer@example.iam.gserviceaccount.com', initialImageTag: 'insiders'},
}

type Json = string | number | boolean | null | Json[] | {[k: string]: Json}

/** One free-text place in a spec: the concrete path and its schema form (`[]` for items, `*` for map entries). */
interface Place {
  path: (string | number)[]
  schemaPath: string
  isKey: boolean
}

function places(value: Json, path: (string | number)[] = [], schemaPath = '', inMap = false): Place[] {
  if (typeof value === 'string') return [{path, schemaPath, isKey: false}]
  if (Array.isArray(value)) return value.flatMap((v, i) => places(v, [...path, i], `${schemaPath}[]`))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => {
    const child = inMap ? `${schemaPath}.*` : `${schemaPath}.${k}`
    const mapBelow = MAP_PATHS.has(child)
    const own: Place[] = inMap ? [{path: [...path, k], schemaPath: `${schemaPath}.*key`, isKey: true}] : []
    return [...own, ...places(v, [...path, k], child, mapBelow)]
  })
}

const MAP_PATHS = new Set([...schemaStringPaths()].filter((p) => p.endsWith('.*key')).map((p) => p.slice(0, -'.*key'.length)))

function withPayload(spec: Json, place: Place, payload: string): Json {
  const copy = structuredClone(spec) as Record<string | number, Json>
  let node: Record<string | number, Json> = copy
  for (const seg of place.path.slice(0, -1)) node = node[seg] as Record<string | number, Json>
  const last = place.path.at(-1)!
  if (place.isKey) {
    const entries = Object.entries(node).map(([k, v]) => [k === last ? `${k}${payload}` : k, v] as const)
    for (const k of Object.keys(node)) delete node[k]
    for (const [k, v] of entries) node[k] = v
  } else {
    node[last] = `${node[last] as string}${payload}`
  }
  return copy
}

/**
 * The template sequences of one Terraform string as HCL reads it: `$${` and `%%{` are literal, any
 * other `${`/`%{` opens an interpolation/directive up to its closing brace.
 */
function templateSequences(text: string): string[] {
  const found: string[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      i += 2
      continue
    }
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      let depth = 0
      let j = i + 1
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++
        else if (text[j] === '}' && --depth === 0) break
      }
      found.push(text.slice(i, j + 1))
      i = j
    }
  }
  return found
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k)
      allStrings(v, out)
    }
  }
  return out
}

interface Outcome {
  accepted: boolean
  /** Interpolations in generated files that hold spec text. */
  injected: string[]
  /** Whether the payload's marker reached a generated file at all (escaped). */
  reached: boolean
}

function generate(spec: Json, tableSchema = TABLE_SCHEMA): Outcome {
  const id = String((spec as {service: {id: string}}).service.id)
  const parsed = parseSpec(stringify(spec), {file: `services/${id}/service.yaml`, bigQueryTables: {events: tableSchema}})
  if (!parsed.spec) {
    return {accepted: false, injected: [], reached: false}
  }
  let planned
  try {
    const service = {id, spec: parsed.spec, bigQuerySchemas: parsed.bigQuerySchemas}
    planned = service.spec.environments.map((env) => renderEnvironment(service, env.id))
  } catch (error) {
    // A generation-time refusal of the text is as good as a validation error; a crash is not.
    if ((error as Error).name === 'UserError') return {accepted: false, injected: [], reached: false}
    throw error
  }
  const injected: string[] = []
  let reached = false
  for (const env of planned) {
    for (const file of env.files) {
      // Binary files (skaffoldsource.tar.gz) are fixed bytes that no spec text reaches.
      if (typeof file.contents !== 'string') continue
      if (!file.path.endsWith('.json')) {
        if (file.contents.includes(MARK)) reached = true
        continue
      }
      for (const s of allStrings(JSON.parse(file.contents))) {
        if (s.includes(MARK)) reached = true
        for (const seq of templateSequences(s)) if (seq.includes(MARK)) injected.push(`${env.envId}/${file.path}: ${seq}`)
      }
    }
  }
  return {accepted: true, injected, reached}
}

/** Free-text fields that certainly reach a Terraform file: the payload must arrive there, escaped. */
const MUST_REACH = [
  'service service.name',
  'service service.owners.0',
  'service service.description',
  'service environments.0.env.PLAIN',
  'service environments.0.env.TEMPLATED',
  'service monitoring.alerts.responseCodeRatios.0.name',
  'service monitoring.alerts.responseCodeRatios.0.description',
]

const SPECS = {service: FULL_SERVICE as unknown as Json, job: FULL_JOB as unknown as Json, rollout: FULL_ROLLOUT as unknown as Json}
const PLACES = Object.entries(SPECS).flatMap(([kind, spec]) => places(spec).map((place) => ({kind: kind as keyof typeof SPECS, place})))

describe('spec text never becomes a Terraform interpolation', () => {
  it('the test specs use every free-text field of the schema', () => {
    const used = new Set(PLACES.map((p) => p.place.schemaPath))
    const missing = [...schemaStringPaths()].filter((p) => !used.has(p))
    expect(missing, 'add these fields to FULL_SERVICE, FULL_JOB or FULL_ROLLOUT').toEqual([])
  })

  it('the unmodified test specs generate, with no template sequence holding the marker', () => {
    for (const spec of Object.values(SPECS)) expect(generate(spec)).toEqual({accepted: true, injected: [], reached: false})
  })

  it.each([`\${file("/etc/${MARK}")}`, `%{if true}${MARK}%{endif}`, `$\${${MARK}}`, `$$\${${MARK}}`])(
    'every string field and map key with %j appended: rejected, or written without interpolation',
    (payload) => {
      let accepted = 0
      const reached = new Set<string>()
      const failures: string[] = []
      for (const {kind, place} of PLACES) {
        const outcome = generate(withPayload(SPECS[kind], place, payload))
        if (!outcome.accepted) continue
        accepted++
        if (outcome.reached) reached.add(`${kind} ${place.path.join('.')}`)
        if (outcome.injected.length > 0) failures.push(`${kind} ${place.path.join('.')}${place.isKey ? ' (key)' : ''}: ${outcome.injected[0]}`)
      }
      expect(failures).toEqual([])
      // Not vacuous: free text is accepted and reaches the Terraform files.
      expect(accepted).toBeGreaterThan(20)
      expect([...MUST_REACH].filter((p) => !reached.has(p))).toEqual([])
    },
  )

  it('BigQuery table schemas (a side file) are written literally too', () => {
    const schema = JSON.stringify([{name: 'id', type: 'STRING', mode: 'REQUIRED', description: `\${${MARK}} %{${MARK}}`}])
    const outcome = generate(SPECS.service, schema)
    expect(outcome).toMatchObject({accepted: true, injected: [], reached: true})
  })

  it('any text around ${ and %{ in any field stays literal (property)', () => {
    const piece = fc.constantFrom('$', '%', '{', '}', '$$', '%%', '${', '%{', '$${', MARK, 'a', ' ', '\\', '"')
    fc.assert(
      fc.property(fc.nat(PLACES.length - 1), fc.array(piece, {minLength: 1, maxLength: 12}), (index, pieces) => {
        const {kind, place} = PLACES[index]!
        const payload = `\${${MARK}}${pieces.join('')}`
        const outcome = generate(withPayload(SPECS[kind], place, payload))
        expect(outcome.injected).toEqual([])
      }),
      {numRuns: iterations(150, 40)},
    )
  })
})
