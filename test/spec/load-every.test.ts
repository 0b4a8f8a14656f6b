/**
 * The one load loop of the repo-wide commands: every id is tried, the errors of every broken spec end
 * up in one SpecError (in id order), and what is not about a spec — an interrupt, a usage error, a bug —
 * passes through at once, so Ctrl-C while specs load is never reported as a broken spec.
 */
import {describe, expect, it} from 'vitest'
import {CancelledError, SpecError, UsageError, UserError, type SpecIssue} from '../../src/lib/io/errors.js'
import {loadEvery} from '../../src/lib/spec/load-every.js'

const issue = (id: string, message: string, severity: SpecIssue['severity'] = 'error'): SpecIssue => ({
  file: `services/${id}/service.yaml`,
  line: 2,
  column: 3,
  path: 'service.owners',
  message,
  severity,
})

describe('loadEvery', () => {
  it('returns what each load returned, in order, when none fails', async () => {
    expect(await loadEvery(['a', 'b', 'c'], async (id) => id.toUpperCase())).toEqual(['A', 'B', 'C'])
  })

  it('tries every id and throws one SpecError with the errors of all broken specs and the validate hint', async () => {
    const tried: string[] = []
    const error = await loadEvery(['a', 'b', 'c', 'd'], async (id) => {
      tried.push(id)
      if (id === 'b') throw new SpecError([issue('b', 'owners is required'), issue('b', 'unknown key', 'warning'), issue('b', 'second error')])
      if (id === 'd') throw new UserError('the spec is larger than 1 MB')
      return id
    }).catch((e: unknown) => e)
    expect(tried).toEqual(['a', 'b', 'c', 'd'])
    expect(error).toBeInstanceOf(SpecError)
    const spec = error as SpecError
    // Warnings of a broken spec are not its errors (validate lists them).
    expect(spec.issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`)).toEqual([
      'services/b/service.yaml:2:3: owners is required',
      'services/b/service.yaml:2:3: second error',
      'services/d/service.yaml:1:1: the spec is larger than 1 MB',
    ])
    expect(spec.message.split('\n')[0]).toBe('2 service specs are invalid: 3 errors')
    expect(spec.hint).toMatch(/run msp validate/)
  })

  it.each([
    ['an interrupt', new CancelledError('interrupted')],
    ['a usage error', new UsageError('unknown service "x"')],
    ['a bug', new TypeError('x is not a function')],
  ])('lets %s through at once, without trying the rest', async (_what, thrown) => {
    const tried: string[] = []
    const load = async (id: string) => {
      tried.push(id)
      if (id === 'a') throw new SpecError([issue('a', 'broken')])
      if (id === 'b') throw thrown
      return id
    }
    await expect(loadEvery(['a', 'b', 'c'], load)).rejects.toBe(thrown)
    expect(tried).toEqual(['a', 'b'])
  })
})
