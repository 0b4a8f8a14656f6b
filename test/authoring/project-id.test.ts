import {describe, expect, it} from 'vitest'
import {generateProjectId} from '../../src/lib/authoring/project-id.js'

const fixed = (size: number) => Uint8Array.from({length: size}, (_, i) => 0xa0 + i)

describe('generateProjectId', () => {
  it('joins service, environment and a 4-character hex suffix by default', () => {
    expect(generateProjectId({serviceId: 'demo', envId: 'dev', random: fixed})).toBe('demo-dev-a0a1')
  })

  it('honours an odd suffix length by truncating the hex', () => {
    expect(generateProjectId({serviceId: 'demo', envId: 'dev', suffixLength: 5, random: fixed})).toBe('demo-dev-a0a1a')
  })

  it('produces lowercase hex from real randomness, different on each call', () => {
    const ids = new Set(Array.from({length: 20}, () => generateProjectId({serviceId: 'msp-testbed', envId: 'test', suffixLength: 12})))
    for (const id of ids) expect(id).toMatch(/^msp-testbed-test-[0-9a-f]{12}$/)
    expect(ids.size).toBeGreaterThan(1)
  })

  it('rejects a suffix shorter than 2', () => {
    expect(() => generateProjectId({serviceId: 'demo', envId: 'dev', suffixLength: 1})).toThrow('at least 2 characters')
  })

  it('rejects ids longer than 30 characters and names the id', () => {
    expect(() => generateProjectId({serviceId: 'a-rather-long-name', envId: 'production', suffixLength: 4})).toThrow(
      'project ID "a-rather-long-name-production-xxxx" would be 34 characters long, but must be no longer than 30',
    )
    expect(generateProjectId({serviceId: 'a-rather-long-name', envId: 'prod', suffixLength: 3, random: fixed})).toHaveLength(27)
  })

  it('accepts exactly 30 characters', () => {
    expect(generateProjectId({serviceId: 'abcdefghijklmnopqrst', envId: 'prod', suffixLength: 4, random: fixed})).toHaveLength(30)
  })
})
