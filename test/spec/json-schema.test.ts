import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import {describe, expect, test} from 'vitest'
import {parse} from 'yaml'
import {buildJsonSchema} from '../../src/lib/spec/json-schema.js'
import {testSpec} from './spec-test-data.js'
import {fixturesDir} from '../helpers/paths.js'

const handbook = fixturesDir
const examples = path.resolve(__dirname, '../../examples/managed-services/services')
const specFiles = [
  ...readdirSync(handbook).map((id) => path.join(handbook, id, 'service.yaml')),
  ...(existsSync(examples) ? readdirSync(examples).map((id) => path.join(examples, id, 'service.yaml')) : []),
].filter((file) => existsSync(file))

const validate = new Ajv2020({allErrors: true}).compile(buildJsonSchema())

describe('JSON Schema generated from the zod schema', () => {
  test('is draft 2020-12 with an id, a title and descriptions', () => {
    const schema = buildJsonSchema() as {$schema: string; $id: string; title: string; properties: Record<string, {description?: string}>}
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.$id).toMatch(/service\.schema\.json$/)
    expect(schema.title).toBe('MSP service specification')
    expect(schema.properties.service?.description).toBe('Identity and ownership of the service.')
  })

  test('covers all handbook fixtures and example specs', () => {
    expect(specFiles.length).toBeGreaterThanOrEqual(9)
  })

  test.each(specFiles.map((file) => [path.relative(path.resolve(__dirname, '../../..'), file), file]))('accepts %s', (_, file) => {
    const ok = validate(parse(readFileSync(file, 'utf8')))
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  test('rejects an unknown top-level key', () => {
    expect(validate(parse(testSpec({top: 'extra: true'})))).toBe(false)
    expect(validate.errors?.[0]).toMatchObject({keyword: 'additionalProperties', params: {additionalProperty: 'extra'}})
  })

  test('rejects an unknown nested key and a bad enum value', () => {
    expect(validate(parse(testSpec({env: 'startupProbe: {}'})))).toBe(false)
    expect(validate(parse(testSpec().replace('category: test', 'category: prod')))).toBe(false)
  })

  test('keeps field formats from the zod schema', () => {
    expect(validate(parse(testSpec().replaceAll('svc', 'Not_Valid')))).toBe(false)
    expect(validate(parse(testSpec({service: 'iam: {roles: [roles/run.invoker]}'})))).toBe(true)
  })
})
