import {describe, expect, test} from 'vitest'
import {parseSpec} from '../../src/lib/spec/load.js'
import {ruleCases} from './rule-cases.js'
import {FILE, issueLines, testSpec} from './spec-test-data.js'

describe('validation rules (one spec per rule, exact message and line:col)', () => {
  test.each(ruleCases)('$name', ({source, expected}) => {
    expect(issueLines(source)).toEqual(expected.map((line) => `${FILE}:${line}`))
  })

  test('the base test spec is valid', () => {
    const result = parseSpec(testSpec(), {file: FILE})
    expect(result.issues).toEqual([])
    expect(result.spec?.service.id).toBe('svc')
  })

  test('a spec with errors has no model; warnings alone keep it', () => {
    expect(parseSpec(testSpec().replace('category: test', 'category: prod'), {file: FILE}).spec).toBeUndefined()
    const warned = parseSpec(testSpec({service: 'nmae: x'}), {file: FILE})
    expect(warned.issues.map((i) => i.severity)).toEqual(['warning'])
    expect(warned.spec).toBeDefined()
  })

  test('notionPageID for internal/external is a warning in validate (strict) mode only', () => {
    const source = testSpec().replace('category: test', 'category: internal')
    expect(issueLines(source)).toEqual([])
    expect(issueLines(source, {strict: true})).toEqual([
      `warning: ${FILE}:8:15: environments.0.category: environment "dev" in category "internal" requires 'service.notionPageID' to be set`,
    ])
    expect(issueLines(testSpec({service: 'notionPageID: abc'}).replace('category: test', 'category: internal'), {strict: true})).toEqual([])
  })
})
