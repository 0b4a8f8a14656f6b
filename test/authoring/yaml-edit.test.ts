import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {appendEnvironment} from '../../src/lib/authoring/yaml-edit.js'
import {addedEnvironmentLines, sequenceItem} from '../../src/lib/authoring/templates.js'

const lines = (envId: string) => addedEnvironmentLines({serviceId: 'demo', kind: 'service', envId, projectId: `demo-${envId}-abcd`})

// A spec that uses every kind of formatting a hand-edited file has: comments in every position,
// blank lines between and inside sections, quoting styles, a block scalar, flow collections.
const COMMENTED = `# yaml-language-server: $schema=../../schema/service.schema.json
# Owned by the demo team. Keep this header.

service:
  id: demo # the id never changes
  name: 'Demo'
  owners: [core-services] # flow list stays flow
  # what it does
  description: "TODO"

# ---- build ----
build:
  image: us.gcr.io/sourcegraph-dev/demo

environments:
  # the first environment
  - id: dev
    projectID: demo-dev-1234
    category: test # still testing

    deploy:
      type: manual # manual for now
    env:
      NOTE: |
        multi-line
        block scalar
    instances:
      resources: {cpu: 1, memory: 1Gi}
    # trailing comment inside dev

# comment after the list, before monitoring

monitoring:
  alerts: {} # none yet
# final comment
`

describe('appendEnvironment', () => {
  it('keeps every byte of a heavily commented file and only adds the new entry', () => {
    const out = appendEnvironment({source: COMMENTED, envId: 'prod', lines: lines('prod')})
    const entry = sequenceItem(lines('prod'), 2, 4).join('\n') + '\n'
    expect(out).toContain(entry)
    expect(out.replace(entry, '')).toBe(COMMENTED)
  })

  it('inserts the entry right after the last item, before the blank line and the shallower comment', () => {
    const out = appendEnvironment({source: COMMENTED, envId: 'prod', lines: lines('prod')})
    expect(out).toContain('    # trailing comment inside dev\n  - id: prod\n    projectID: demo-prod-abcd\n')
    expect(out).toMatch(/# TODO: Fill out the rest[^\n]*\n\n# comment after the list, before monitoring\n/)
  })

  it('produces YAML whose environments end with the new one and whose other values are unchanged', () => {
    const out = appendEnvironment({source: COMMENTED, envId: 'prod', lines: lines('prod')})
    const before = parse(COMMENTED)
    const after = parse(out)
    expect(after.environments.map((e: {id: string}) => e.id)).toEqual(['dev', 'prod'])
    expect(after.environments[1]).toEqual({
      id: 'prod',
      projectID: 'demo-prod-abcd',
      category: 'test',
      deploy: {type: 'manual', manual: {tag: 'insiders'}},
      instances: {resources: {cpu: 1, memory: '1Gi'}},
    })
    expect({...after, environments: after.environments.slice(0, 1)}).toEqual(before)
  })

  it('follows the indentation of the existing items (markers at column 0)', () => {
    const src = 'service:\n  id: demo\nenvironments:\n- id: dev\n  category: test\nrollout:\n  stages: []\n'
    const out = appendEnvironment({source: src, envId: 'prod', lines: ['id: prod', 'category: test']})
    expect(out).toBe('service:\n  id: demo\nenvironments:\n- id: dev\n  category: test\n- id: prod\n  category: test\nrollout:\n  stages: []\n')
  })

  it('separates the new item with a blank line when existing items are separated that way', () => {
    const src = 'environments:\n  - id: a\n    x: 1\n\n  - id: b\n    x: 2\n'
    const out = appendEnvironment({source: src, envId: 'c', lines: ['id: c']})
    expect(out).toBe('environments:\n  - id: a\n    x: 1\n\n  - id: b\n    x: 2\n\n  - id: c\n')
  })

  it('never splits a block scalar at the end of the last item, even one with lines that look like comments', () => {
    const src =
      'environments:\n  - id: dev\n    env:\n      SCRIPT: |\n        echo hi\n        # not a comment\n    # a real comment\n\n# next\nmonitoring: {}\n'
    const out = appendEnvironment({source: src, envId: 'prod', lines: ['id: prod']})
    expect(out).toBe(
      'environments:\n  - id: dev\n    env:\n      SCRIPT: |\n        echo hi\n        # not a comment\n    # a real comment\n  - id: prod\n\n# ' +
        'next\nmonitoring: {}\n',
    )
    expect(parse(out).environments[0].env.SCRIPT).toBe('echo hi\n# not a comment\n')
  })

  it('does not stop at a shallow comment in the middle of the last item', () => {
    const src = 'environments:\n  - id: dev\n# odd place\n    category: test\n'
    expect(appendEnvironment({source: src, envId: 'prod', lines: ['id: prod']})).toBe(`${src}  - id: prod\n`)
  })

  it('keeps CRLF line endings', () => {
    const src = 'service:\r\n  id: demo\r\n\r\nenvironments:\r\n  - id: dev\r\n    x: 1\r\n'
    const out = appendEnvironment({source: src, envId: 'prod', lines: ['id: prod', 'x: 2']})
    expect(out).toBe('service:\r\n  id: demo\r\n\r\nenvironments:\r\n  - id: dev\r\n    x: 1\r\n  - id: prod\r\n    x: 2\r\n')
  })

  it('adds a missing final newline before appending', () => {
    const out = appendEnvironment({source: 'environments:\n  - id: dev', envId: 'prod', lines: ['id: prod']})
    expect(out).toBe('environments:\n  - id: dev\n  - id: prod\n')
  })

  it.each([
    ['an empty key', 'service: {id: demo}\nenvironments:\nmonitoring: {}\n', 'service: {id: demo}\nenvironments:\n  - id: prod\nmonitoring: {}\n'],
    ['an empty flow list with a comment', 'environments: [] # none yet\nmonitoring: {}\n', 'environments: # none yet\n  - id: prod\nmonitoring: {}\n'],
    ['a null value', 'environments: ~\n', 'environments:\n  - id: prod\n'],
    ['no environments key at all', '# header\nservice:\n  id: demo\n', '# header\nservice:\n  id: demo\n\nenvironments:\n  - id: prod\n'],
  ])('starts a block list for %s', (_name, src, expected) => {
    expect(appendEnvironment({source: src, envId: 'prod', lines: ['id: prod']})).toBe(expected)
  })

  it('falls back to a document edit for a non-empty flow list, keeping the other comments', () => {
    const src = '# keep me\nenvironments: [{id: dev}]\n# and me\n'
    const out = appendEnvironment({source: src, envId: 'prod', lines: ['id: prod', 'category: test']})
    expect(parse(out).environments).toEqual([{id: 'dev'}, {id: 'prod', category: 'test'}])
    expect(out).toContain('# keep me')
    expect(out).toContain('# and me')
  })

  it('refuses an environment id that already exists', () => {
    expect(() => appendEnvironment({source: COMMENTED, envId: 'dev', lines: lines('dev')})).toThrow('environment "dev" already exists')
  })

  it('refuses a file that is not valid YAML, naming the position', () => {
    expect(() => appendEnvironment({source: 'environments:\n  - id: dev\n x: [\n', envId: 'p', lines: ['id: p']})).toThrow(
      /not valid YAML: line \d+, column \d+/,
    )
  })

  it('refuses environments that is not a list', () => {
    expect(() => appendEnvironment({source: 'environments: {dev: 1}\n', envId: 'p', lines: ['id: p']})).toThrow('"environments" is not a list')
  })
})
