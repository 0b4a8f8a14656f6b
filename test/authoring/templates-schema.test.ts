import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {buildJsonSchema} from '../../src/lib/spec/json-schema.js'

// The templates point editors at the JSON Schema on their first line; what init and init-env write
// must then show no squiggles, so every golden output is checked against that schema.
const GOLDEN = join(__dirname, 'golden')
const validate = new Ajv2020({allErrors: true}).compile(buildJsonSchema())

describe('init templates against the editor JSON Schema', () => {
  const files = readdirSync(GOLDEN).filter((f) => f.endsWith('.yaml'))

  it('covers the service and job templates and an added environment', () => {
    expect(files).toEqual(expect.arrayContaining(['service-dev.yaml', 'service-prod.yaml', 'job-dev.yaml', 'job-prod.yaml', 'service-dev+prod.yaml']))
  })

  it.each(files)('accepts %s', (file) => {
    const ok = validate(parse(readFileSync(join(GOLDEN, file), 'utf8')))
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })
})
