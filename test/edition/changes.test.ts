import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {CHANGES, type ChangeId} from '../../src/lib/edition/changes.js'
import {DEFAULT_EDITION, EDITIONS, EDITION_INFO, inForce} from '../../src/lib/edition/editions.js'
import {repoDir} from '../helpers/paths.js'

const ids = Object.keys(CHANGES) as ChangeId[]
const DAY = /^\d{4}-\d{2}-\d{2}$/

describe('an edition is a dated list of the original’s changes', () => {
  it.each(ids)('%s names its source, its day and what it changes', (id) => {
    const change = CHANGES[id] as {source: string; date: string; by?: string; what: string}
    // A pull request of the original, or stored file versions.
    expect(change.source).toMatch(/sourcegraph\/sourcegraph#\d+|managed-services-platform-cdktf [0-9a-f]{8}|stored|@ [0-9a-f]{8}|final/)
    expect(change.date).toMatch(DAY)
    if (change.by !== undefined) expect(change.by >= change.date).toBe(true)
    expect(change.what.length).toBeGreaterThan(10)
  })

  it('the final edition is dated no earlier than any change it holds (#64502 of 2024-08-15 included)', () => {
    const date = EDITION_INFO[DEFAULT_EDITION].date
    for (const id of ids) {
      const change = CHANGES[id] as {date: string; by?: string}
      expect(change.by ?? change.date, id).toEqual(expect.any(String))
      expect((change.by ?? change.date) <= date, id).toBe(true)
      expect(inForce(DEFAULT_EDITION, id), id).toBe(true)
    }
    expect(date).toBe('2024-08-15')
  })

  it('2024-05 holds none of them: each is dated after 2024-05-01 (#62508 of 2024-05-07 included)', () => {
    for (const id of ids) expect(inForce('2024-05', id), id).toBe(false)
    expect(CHANGES.jobExecutionEnv).toMatchObject({source: 'sourcegraph/sourcegraph#62508', date: '2024-05-07'})
  })

  it('docs/compatibility.md lists every change with its source and day, and every edition with its date', () => {
    const doc = readFileSync(join(repoDir, 'docs/compatibility.md'), 'utf8')
    for (const id of ids) {
      const change = CHANGES[id] as {source: string; date: string}
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${id}\` |`))
      expect(row, id).toBeDefined()
      expect(row, id).toContain(change.date)
      const pr = /#\d+/.exec(change.source)?.[0]
      if (pr) expect(row, id).toContain(pr)
    }
    for (const e of EDITIONS) expect(doc).toContain(`| \`${e}\`${e === DEFAULT_EDITION ? ' (default)' : ''} | ${EDITION_INFO[e].date} |`)
  })
})
