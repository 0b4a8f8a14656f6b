import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseSpec} from '../../src/lib/spec/load.js'
import {fixturesDir} from '../helpers/paths.js'

const base = readFileSync(join(fixturesDir, 'cody-analytics/service.yaml'), 'utf8')

describe('YAML parsing cannot execute anything', () => {
  it.each([
    [
      '!!js/function',
      '"function () { globalThis.__mspPwned = true; return 1 }"',
      'function () { globalThis.__mspPwned = true; return 1 }',
      'tag:yaml.org,2002:js/function',
    ],
    ['!!js/undefined', 'x', 'x', 'tag:yaml.org,2002:js/undefined'],
    ['!<tag:yaml.org,2002:js/regexp>', '/a/', '/a/', 'tag:yaml.org,2002:js/regexp'],
  ])('a %s tag on a known key is inert: the value stays the written text, and the tag is named', (tag, written, text, fullTag) => {
    // Only the tag differs from a valid spec: no unknown key, so the spec must load and the one issue
    // must be the warning about the tag.
    const hostile = base.replace(/description: .*/, `description: ${tag} ${written}`)
    const result = parseSpec(hostile, {file: 'services/cody-analytics/service.yaml'})
    expect((globalThis as Record<string, unknown>).__mspPwned).toBeUndefined()
    expect(result.spec?.service.description).toBe(text)
    expect(result.issues.map((i) => [i.severity, i.message])).toEqual([['warning', `Unresolved tag: ${fullTag}`]])
  })

  it('a __proto__ key cannot pollute Object.prototype', () => {
    const hostile = `${base}\n__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted2: yes\n`
    parseSpec(hostile, {file: 'services/cody-analytics/service.yaml'})
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined()
  })

  it('an alias bomb is refused quickly instead of expanding', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        {length: 9},
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n')
    const started = Date.now()
    const result = parseSpec(`${base}\n${bomb}\n`, {file: 'services/cody-analytics/service.yaml'})
    expect(Date.now() - started).toBeLessThan(5000)
    // Unknown keys are reported (a warning here; an error in validate), and their aliases are never expanded.
    expect(result.issues.some((i) => i.path === 'j')).toBe(true)
  })
})
