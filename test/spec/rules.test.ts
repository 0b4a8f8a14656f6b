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

  // The original's alertpolicy.New (internal/resource/alertpolicy/alertpolicy.go):
  //   if config.Description == "" {
  //     return nil, errors.New("Description is required")
  //   }
  test('an alert without a description is a warning naming the original’s "Description is required"', () => {
    const source = testSpec({
      top:
        'monitoring:\n  alerts:\n    responseCodeRatios:\n      - {id: e, name: E, code: 500, ratio: 0.1}\n    customAlerts:\n      - {name: Q, ' +
        'description: "", severityLevel: WARNING, condition: {type: mql, query: "fetch x"}}',
    })
    const rule = 'the original refuses to generate an alert without a description ("Description is required", alertpolicy.New); msp writes it with none'
    expect(issueLines(source)).toEqual([
      `warning: ${FILE}:14:9: monitoring.alerts.responseCodeRatios.0: ${rule}`,
      `warning: ${FILE}:16:9: monitoring.alerts.customAlerts.0: ${rule}`,
    ])
    expect(parseSpec(source, {file: FILE}).spec).toBeDefined()
  })

  test('an iam.services entry the project enables anyway is a warning naming the original’s duplicate construct', () => {
    const source = testSpec({service: 'iam:\n  services: [run.googleapis.com, aiplatform.googleapis.com, aiplatform.googleapis.com]'})
    const lines = issueLines(source)
    expect(lines).toEqual([
      `warning: ${FILE}:6:16: service.iam.services.0: "run.googleapis.com" is an API every MSP project enables: the original refuses a second project ` +
        `service of the same name (duplicate construct); msp enables it once`,
      `warning: ${FILE}:6:63: service.iam.services.2: "aiplatform.googleapis.com" is listed more than once: the original refuses a second project service ` +
        `of the same name (duplicate construct); msp enables it once`,
    ])
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
