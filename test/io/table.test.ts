/**
 * The one table renderer: full width off a terminal (pipes, files, scripts), and on a terminal the
 * widest columns truncated with an ellipsis until every line fits, as `gh` does.
 */
import {describe, expect, it} from 'vitest'
import {createOutput, fitColumnWidths, formatTable} from '../../src/lib/io/output.js'

const header = ['SERVICE', 'ENV', 'URL']
const rows = [
  [
    'cody-analytics',
    'prod',
    'https://console.cloud.google.com/logs/query;query=resource.type%20%3D%20%22cloud_run_revision%22?project=cody-analytics-prod-da5a',
  ],
  ['sams', 'dev', 'https://sams.sgdev.org'],
]
const width = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length))

describe('formatTable', () => {
  it('without a width every cell is shown in full, columns aligned with two spaces', () => {
    const text = formatTable(header, rows)
    expect(text.split('\n')).toEqual(['SERVICE         ENV   URL', `cody-analytics  prod  ${rows[0]![2]}`, 'sams            dev   https://sams.sgdev.org'])
  })

  it('with a width every line fits; only the widest column is cut, ending in …', () => {
    const text = formatTable(header, rows, undefined, 60)
    expect(width(text)).toBeLessThanOrEqual(60)
    const lines = text.split('\n')
    expect(lines[1]).toBe(`cody-analytics  prod  ${rows[0]![2]!.slice(0, 37)}…`)
    expect(lines[2]).toBe('sams            dev   https://sams.sgdev.org')
  })

  it('cuts the widest column first, then the next widest, never below the header or 6 characters', () => {
    expect(fitColumnWidths([40, 30, 3], [7, 6, 3], 50)).toEqual([21, 22, 3])
    expect(fitColumnWidths([40, 30, 3], [7, 6, 3], 10)).toEqual([7, 6, 3])
    expect(fitColumnWidths([10, 5], [7, 5], 100)).toEqual([10, 5])
  })

  it('a table that already fits is unchanged', () => {
    expect(formatTable(header, rows, undefined, 500)).toBe(formatTable(header, rows))
  })

  it('counts code points: an ellipsis cut never splits a character', () => {
    const text = formatTable(['A', 'B'], [['ééééééééééééééé', 'x']], undefined, 12)
    expect(text.split('\n')[1]).toBe('éééééééé…  x')
  })
})

describe('the width of an output', () => {
  const sink = (extra: object) => ({write: () => true, ...extra})
  it('is the terminal columns when stdout is a terminal, undefined (full width) otherwise', () => {
    expect(createOutput(sink({isTTY: true, columns: 100}), sink({}), {}).tableWidth).toBe(100)
    expect(createOutput(sink({isTTY: false, columns: 100}), sink({}), {}).tableWidth).toBeUndefined()
    expect(createOutput(sink({}), sink({}), {}).tableWidth).toBeUndefined()
    // A terminal that reports no size is not cut to nothing.
    expect(createOutput(sink({isTTY: true, columns: 0}), sink({}), {}).tableWidth).toBeUndefined()
  })
})
