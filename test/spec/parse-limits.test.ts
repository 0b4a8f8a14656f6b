/**
 * A hostile spec is refused fast, with a clear message, before the expensive
 * path; nothing is quadratic in the size of the input. Times are generous upper bounds for a loaded
 * machine: the quadratic path took 10 s for 40,000 keys and 365 s for 137,000.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {formatSpecIssue} from '../../src/lib/io/errors.js'
import {MAX_SPEC_ENTRIES, MAX_SPEC_NESTING, parseSpec} from '../../src/lib/spec/load.js'
import {fixturesRoot} from '../helpers/paths.js'

const FILE = 'services/x/service.yaml'
const HEAD = 'service:\n  id: x\n  owners: [a]\n  description: d\n'

function timed(source: string) {
  const start = performance.now()
  const result = parseSpec(source, {file: FILE})
  return {result, ms: performance.now() - start, messages: result.issues.map(formatSpecIssue)}
}

function manyKeys(n: number): string {
  const lines = [HEAD, 'extra:\n']
  for (let i = 0; i < n; i++) lines.push(`  k${i}: v\n`)
  return lines.join('')
}

describe('parse limits', () => {
  it('a 40,000-key spec is refused in under 2 s, saying why', () => {
    const {ms, messages, result} = timed(manyKeys(40_000))
    expect(ms).toBeLessThan(2000)
    expect(result.spec).toBeUndefined()
    expect(messages).toEqual([`${FILE}:1:1: document is too large: more than ${MAX_SPEC_ENTRIES} keys and items (a spec has a few hundred)`])
  })

  it('137,000 unique keys in 1 MB: refused in under 2 s', () => {
    const source = manyKeys(137_000).slice(0, 1024 * 1024 - 1)
    const {ms, result} = timed(source)
    expect(ms).toBeLessThan(2000)
    expect(result.spec).toBeUndefined()
  })

  it('just under the entry limit: parsed (no quadratic duplicate check), unknown keys reported', () => {
    const {ms, result} = timed(manyKeys(MAX_SPEC_ENTRIES - 100))
    expect(ms).toBeLessThan(4000)
    expect(result.issues.some((i) => i.message === 'unknown key "extra"')).toBe(true)
  })

  it.each([
    ['block mappings, one space per level', Array.from({length: 1400}, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
    ['compact sequences of mappings', `a:\n${'- '.repeat(1400)}k: v\n`],
    ['compact sequences', `service:\n${'- '.repeat(1400)}x\n`],
    ['flow collections', `service: ${'['.repeat(1400)}${']'.repeat(1400)}\n`],
    ['flow inside deep blocks', `${Array.from({length: 200}, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} ${'{a: '.repeat(250)}1${'}'.repeat(250)}\n`],
  ])('1,400-deep nesting (%s): a clear message, no stack overflow', (_name, source) => {
    const {ms, messages, result} = timed(source)
    expect(ms).toBeLessThan(2000)
    expect(result.spec).toBeUndefined()
    expect(messages.join('\n')).not.toMatch(/call stack/i)
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`document is nested too deeply: more than ${MAX_SPEC_NESTING} levels`)))
  })

  it('duplicate keys keep their message and position (test/fixtures/bad/duplicate-keys)', () => {
    const source = readFileSync(path.join(fixturesRoot, 'bad/duplicate-keys.yaml'), 'utf8')
    const expected = readFileSync(path.join(fixturesRoot, 'bad/duplicate-keys.expected.txt'), 'utf8').trim().split('\n')
    const result = parseSpec(source, {file: 'services/duplicate-keys/service.yaml'})
    expect(result.issues.filter((i) => i.severity === 'error').map(formatSpecIssue)).toEqual(expected)
  })

  it('duplicates among 5,000 keys are found in linear time, each with the line of the first one', () => {
    const lines = [HEAD, 'extra:\n']
    for (let i = 0; i < 5000; i++) lines.push(`  k${i % 2500}: v\n`)
    const {ms, result} = timed(lines.join(''))
    expect(ms).toBeLessThan(2000)
    const dupes = result.issues.filter((i) => i.message.startsWith('mapping key'))
    // Listed like syntax errors: the first 50, then a count.
    expect(dupes).toHaveLength(50)
    expect(dupes[0]).toMatchObject({line: 2506, column: 3, path: 'extra.k0', message: 'mapping key "k0" already defined at line 6'})
    expect(result.issues.map((i) => i.message)).toContain('2450 more duplicate keys not shown')
  })
})
