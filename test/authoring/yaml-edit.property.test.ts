import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {addedEnvironmentLines, sequenceItem} from '../../src/lib/authoring/templates.js'
import {appendEnvironment} from '../../src/lib/authoring/yaml-edit.js'
import {iterations} from '../helpers/stress.js'

// A valid spec without block scalars, so a comment line may go between any two lines.
const BASE = [
  'service:',
  '  id: demo',
  '  owners: [core-services]',
  '  description: "TODO"',
  'build:',
  '  image: us.gcr.io/sourcegraph-dev/demo',
  'environments:',
  '  - id: dev',
  '    projectID: demo-dev-1234',
  '    category: test',
  '    deploy:',
  '      type: manual',
  '  - id: staging',
  '    projectID: demo-staging-1234',
  '    category: test',
  'monitoring:',
  '  alerts: {}',
]

const extraLine = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.integer({min: 0, max: 8}), fc.stringMatching(/^[a-zA-Z0-9 :#'"-]{0,20}$/)).map(([indent, text]) => `${' '.repeat(indent)}# ${text}`),
)

describe('appendEnvironment (property)', () => {
  it('for any blank lines and comments sprinkled through a spec, only the new entry is added and it parses as the last environment', () => {
    fc.assert(
      fc.property(fc.array(fc.array(extraLine, {maxLength: 3}), {minLength: BASE.length + 1, maxLength: BASE.length + 1}), fc.boolean(), (extras, crlf) => {
        const lines: string[] = []
        BASE.forEach((line, i) => lines.push(...extras[i]!, line))
        lines.push(...extras[BASE.length]!)
        const eol = crlf ? '\r\n' : '\n'
        const source = lines.join(eol) + eol
        const newLines = addedEnvironmentLines({serviceId: 'demo', kind: 'service', envId: 'prod', projectId: 'demo-prod-abcd'})
        const out = appendEnvironment({source, envId: 'prod', lines: newLines})
        const entry = sequenceItem(newLines, 2, 4).join(eol) + eol
        // removing the entry (with the blank line that separates items, when the file does that) gives the source back
        const removable = [entry, eol + entry].some((added) => {
          const at = out.indexOf(added)
          return at > 0 && out.slice(0, at) + out.slice(at + added.length) === source
        })
        expect(removable).toBe(true)
        const before = parse(source)
        const after = parse(out)
        expect(after.environments.map((e: {id: string}) => e.id)).toEqual(['dev', 'staging', 'prod'])
        expect({...after, environments: after.environments.slice(0, 2)}).toEqual(before)
      }),
      {numRuns: iterations(300, 60)},
    )
  })
})
