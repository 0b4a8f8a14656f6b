import {describe, expect, test} from 'vitest'
import {FILE, issueLines, testSpec} from './spec-test-data.js'

/**
 * Spec errors point at their cause and say what is wrong in plain words, held to
 * `file:line:col: key.path: message`.
 */
describe('YAML syntax errors point at their cause', () => {
  test('an unclosed "[" is reported where it opens (not where the parser gave up), with its key path', () => {
    // The parser notices the missing "]" only at line 8, after a blank line and a comment.
    const source = [
      'service:',
      '  id: svc',
      '  description: A test service.',
      '  iam:',
      '    roles: [roles/run.invoker, roles/viewer',
      '',
      '# environments follow',
      'environments:',
      '  - id: dev',
      '',
    ].join('\n')
    expect(issueLines(source)).toEqual([`${FILE}:5:12: service.iam.roles: "[" is never closed: a list must end with "]"`])
  })

  test('an unclosed "[" of a block key is reported at the "[", not at the next key', () => {
    const source = 'service:\n  id: svc\n  owners: [team, other\n\n# comment\nenvironments:\n  - id: dev\n'
    expect(issueLines(source)).toEqual([`${FILE}:3:11: service.owners: "[" is never closed: a list must end with "]"`])
  })

  test('an unclosed "{" is reported where it opens', () => {
    const source = 'service:\n  id: svc\n  iam: {roles: [a]\n  owners: [x]\nenvironments:\n  - id: dev\n'
    expect(issueLines(source)).toEqual([`${FILE}:3:8: service.iam: "{" is never closed: a mapping must end with "}"`])
  })

  test('an unclosed "{" around the whole document is reported at the "{"', () => {
    expect(issueLines('{service: {id: x}\n')).toEqual([`${FILE}:1:1: "{" is never closed: a mapping must end with "}"`])
  })

  test('an unclosed quote is reported at the opening quote, not at the end of the file', () => {
    const source = 'service:\n  id: "svc\n  owners: [x]\nenvironments:\n  - id: dev\n'
    expect(issueLines(source)).toEqual([`${FILE}:2:7: service.id: the quoted string that starts here is never closed (missing ")`])
  })

  test('an over-indented key is reported on its own line (not at the value of the line above), with its key path', () => {
    const source = testSpec().replace('    category: test\n', '      category: test\n')
    expect(issueLines(source)).toEqual([
      `${FILE}:8:7: environments.0.category: key "category" is indented more than "projectID" on line 7; keys of one mapping must start in the same column`,
    ])
  })

  test('an over-indented key after a flow value is reported at the key, not at column 1', () => {
    const source = testSpec().replace('  description: A test service.\n', '    description: A test service.\n')
    expect(issueLines(source)).toEqual([
      `${FILE}:4:5: service.description: key "description" is indented more than "owners" on line 3; keys of one mapping must start in the same column`,
    ])
  })

  test('an under-indented key is reported at the key', () => {
    const source = testSpec().replace('  owners: [team]\n', ' owners: [team]\n')
    expect(issueLines(source)).toEqual([
      `${FILE}:3:2: service.owners: key "owners" is indented less than "id" on line 2; keys of one mapping must start in the same column`,
    ])
  })
})

describe('other YAML mistakes in plain words', () => {
  test('an unquoted ": " inside a value asks for quotes, at the value, with its key path', () => {
    const source = testSpec().replace('description: A test service.', 'description: Handles: billing')
    expect(issueLines(source)).toEqual([`${FILE}:4:16: service.description: a value that contains ": " must be quoted, e.g. "a: b"`])
  })

  test('a closing "]" without an opening one is reported where it stands, with its key path', () => {
    expect(issueLines(testSpec().replace('owners: [team]', 'owners: [team]]'))).toEqual([
      `${FILE}:3:17: service.owners: "]" closes nothing: there is no "[" open before it`,
    ])
  })

  test('a tab used as indentation is one error (not also the next line\'s "same column" complaint)', () => {
    expect(issueLines('service:\n  id: tabs\n\towners: [core-services]\n  description: Tab indentation.\n')).toEqual([
      `${FILE}:3:1: tabs are not allowed as indentation: indent with spaces`,
    ])
  })
})

describe('a missing value inside a block is reported at the offending key', () => {
  test('cloudflare.zone: "" is reported at zone, not at the domain or cloudflare mapping', () => {
    const source = testSpec({env: 'domain:\n  type: cloudflare\n  cloudflare:\n    subdomain: svc\n    zone: ""'})
    expect(issueLines(source)).toEqual([
      `${FILE}:15:15: environments.0.domain.cloudflare.zone: domain type "cloudflare" requires 'cloudflare.subdomain' and 'cloudflare.zone' to be set`,
    ])
  })

  test('an empty image subscription tag is reported at the tag', () => {
    const source = testSpec().replace('{type: manual}', '{type: subscription, subscription: {tag: ""}}')
    expect(issueLines(source)).toEqual([`${FILE}:9:54: environments.0.deploy.subscription.tag: no tag in image subscription specified`])
  })
})

describe('type errors in plain words', () => {
  test('a single string where a list is expected', () => {
    const source = testSpec().replace('owners: [team]', 'owners: cody-strat')
    expect(issueLines(source)).toEqual([`${FILE}:3:11: service.owners: expected a list of owners, got a single string`])
  })

  test('a quoted number where a number is expected', () => {
    expect(issueLines(testSpec().replace('cpu: 1,', 'cpu: "1",'))).toEqual([
      `${FILE}:10:34: environments.0.instances.resources.cpu: expected a whole number, got the string "1" (remove the quotes)`,
    ])
  })

  test('a word where true or false is expected', () => {
    expect(issueLines(testSpec({env: 'allowDestroys: maybe'}))).toEqual([
      `${FILE}:11:20: environments.0.allowDestroys: expected true or false, got the string "maybe"`,
    ])
  })

  test('a list where a string or a mapping is expected', () => {
    expect(issueLines(testSpec().replace('description: A test service.', 'description: [a, b]'))).toEqual([
      `${FILE}:4:3: service.description: expected a string, got a list`,
    ])
    expect(issueLines(testSpec().replace('{type: manual}', 'manual'))).toEqual([
      `${FILE}:9:13: environments.0.deploy: expected a mapping, got the string "manual"`,
    ])
  })

  test('an invalid category does not repeat the key in the message', () => {
    expect(issueLines(testSpec().replace('category: test', 'category: production'))).toEqual([
      `${FILE}:8:15: environments.0.category: invalid category "production" (allowed: test, internal, external)`,
    ])
  })
})
