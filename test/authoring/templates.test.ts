import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {defaultServiceName, sequenceItem, yamlString} from '../../src/lib/authoring/templates.js'
import {iterations} from '../helpers/stress.js'

describe('defaultServiceName', () => {
  it.each([
    ['msp-example', 'Msp Example'],
    ['cody_analytics', 'Cody Analytics'],
    ['sams', 'Sams'],
    ['a--b', 'A B'],
  ])('%s → %s', (id, name) => expect(defaultServiceName(id)).toBe(name))
})

describe('yamlString', () => {
  it.each([
    ['Msp Example', 'Msp Example'],
    ["Bob's team", "Bob's team"],
    ['yes', '"yes"'],
    ['1.10', '"1.10"'],
    ['12:30', '"12:30"'],
    ['a # b', '"a # b"'],
    ['- x', '"- x"'],
    ['', '""'],
    ['Café', '"Café"'],
  ])('renders %j as %s', (value, rendered) => expect(yamlString(value)).toBe(rendered))

  it('always reads back as the same string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({unit: 'grapheme'}), fc.string({unit: 'binary-ascii'})), (value) => {
        expect(parse(`k: ${yamlString(value)}`)).toEqual({k: value})
      }),
      {numRuns: iterations(500, 80)},
    )
  })
})

describe('sequenceItem', () => {
  it('puts the marker on the first line and aligns the rest with the content', () => {
    expect(sequenceItem(['id: a', 'x: 1', '# c'], 2, 4)).toEqual(['  - id: a', '    x: 1', '    # c'])
    expect(sequenceItem(['id: a', 'x: 1'], 0, 4)).toEqual(['-   id: a', '    x: 1'])
  })
})
