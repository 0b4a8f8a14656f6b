/**
 * Every spec value that becomes a path segment, a URL segment or a Terraform
 * address matches a strict pattern before anything reaches a path. The test walks each such field and
 * feeds it path syntax, and asserts a located `file:line:col: key.path: message` error.
 */
import {describe, expect, test} from 'vitest'
import {stringify} from 'yaml'
import {formatSpecIssue} from '../../src/lib/io/errors.js'
import {parseSpec} from '../../src/lib/spec/load.js'

const FILE = 'services/svc/service.yaml'

/** A valid spec with every id-like field present once. */
function baseSpec(): Record<string, any> {
  return {
    service: {id: 'svc', owners: ['team'], description: 'A test service.'},
    environments: [
      {
        id: 'dev',
        projectID: 'svc-dev-1234',
        category: 'test',
        deploy: {type: 'manual'},
        instances: {resources: {cpu: 1, memory: '512Mi'}},
        resources: {postgreSQL: {databases: ['ledger']}, bigQueryDataset: {tables: ['cody_events']}},
      },
    ],
    monitoring: {alerts: {responseCodeRatios: [{id: 'http_500', name: 'Errors', code: 500, ratio: 0.1}]}},
  }
}

/** Every field whose value msp turns into a path segment, URL segment or Terraform address. */
const ID_FIELDS: {path: string; set: (spec: Record<string, any>, value: string) => void}[] = [
  {path: 'service.id', set: (s, v) => (s.service.id = v)},
  {path: 'environments.0.id', set: (s, v) => (s.environments[0].id = v)},
  {path: 'environments.0.resources.postgreSQL.databases.0', set: (s, v) => (s.environments[0].resources.postgreSQL.databases[0] = v)},
  {path: 'environments.0.resources.bigQueryDataset.tables.0', set: (s, v) => (s.environments[0].resources.bigQueryDataset.tables[0] = v)},
  {path: 'monitoring.alerts.responseCodeRatios.0.id', set: (s, v) => (s.monitoring.alerts.responseCodeRatios[0].id = v)},
]

const HOSTILE = ['../x', '../../../../pwn', 'a/b', '.', '..', '/etc', 'a\\b', 'a\0b', 'ünïcode', 'dev\n', 'a b', 'C:x', '%2e%2e']

describe('ids that become paths, URLs or Terraform addresses', () => {
  test('the base spec is valid (so each rejection below is caused by the one hostile value)', () => {
    expect(parseSpec(stringify(baseSpec()), {file: FILE}).issues.filter((i) => i.severity === 'error')).toEqual([])
  })

  for (const field of ID_FIELDS) {
    test(`${field.path} rejects path syntax with a located error`, () => {
      for (const value of HOSTILE) {
        const spec = baseSpec()
        field.set(spec, value)
        const result = parseSpec(stringify(spec), {file: FILE})
        expect(result.spec, JSON.stringify(value)).toBeUndefined()
        const lines = result.issues.filter((i) => i.severity === 'error' && i.path === field.path).map(formatSpecIssue)
        expect(lines.length, `${field.path} = ${JSON.stringify(value)}: ${result.issues.map(formatSpecIssue).join(' | ')}`).toBeGreaterThan(0)
        for (const line of lines) expect(line).toMatch(new RegExp(`^services/svc/service\\.yaml:\\d+:\\d+: ${field.path.replaceAll('.', '\\.')}: .+`))
        expect(
          lines.some((l) => /can only contain/.test(l)),
          lines.join('\n'),
        ).toBe(true)
      }
    })
  }

  test('plain ids stay valid', () => {
    for (const field of ID_FIELDS) {
      for (const value of ['prod', 'a1', 'x-y']) {
        const spec = baseSpec()
        field.set(spec, value)
        if (field.path === 'environments.0.id') spec.environments[0].projectID = `svc-${value}-1234`
        if (field.path === 'service.id') {
          spec.service.id = value
          spec.environments[0].projectID = `${value}-dev-1234`
        }
        const errors = parseSpec(stringify(spec), {file: FILE}).issues.filter((i) => i.severity === 'error')
        expect(errors.map(formatSpecIssue), `${field.path} = ${value}`).toEqual([])
      }
    }
  })
})
