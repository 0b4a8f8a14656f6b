import fc from 'fast-check'
import {describe, expect, test} from 'vitest'
import {formatGoTime, headerComment, resolveLastUpdated} from '../../src/lib/handbook/header.js'
import {displayWidth, headingAnchor, link, MarkdownBuilder, table} from '../../src/lib/handbook/markdown.js'

describe('heading anchors', () => {
  test.each([
    ['dev', 'dev'],
    ['dev PostgreSQL instance', 'dev-postgresql-instance'],
    ['prod Terraform Cloud', 'prod-terraform-cloud'],
    ['  General -- guidance!  ', 'general-guidance'],
    ['***', 'empty'],
  ])('%j becomes #%s', (text, anchor) => {
    expect(headingAnchor(text)).toBe(anchor)
  })
})

describe('tables in Prettier layout', () => {
  test('headers are upper-cased and every column padded to its widest cell (minimum 3)', () => {
    expect(
      table(
        ['a', 'Details'],
        [
          ['x', ''],
          ['long cell', 'y'],
        ],
      ),
    ).toBe(['| A         | DETAILS |', '| --------- | ------- |', '| x         |         |', '| long cell | y       |'].join('\n'))
  })
  test('an emoji counts two columns, so its cell gets one space less', () => {
    expect(displayWidth('✅')).toBe(2)
    expect(
      table(
        ['p', 'd'],
        [
          ['Cloudflare WAF', '✅'],
          ['Domain', 'abcd'],
        ],
      )
        .split('\n')
        .slice(2),
    ).toEqual(['| Cloudflare WAF | ✅   |', '| Domain         | abcd |'])
  })
})

describe('blocks', () => {
  test('exactly one empty line between blocks, a bare ">" on blank callout lines, one trailing newline', () => {
    const md = new MarkdownBuilder()
      .heading(1, 'T')
      .callout('NOTE', '\na\n\nb\n')
      .codeBlock('bash', '\nif x\n\techo hi\n')
      .comment(' c ')
      .bulletList(['x', 'y'])
    expect(md.toString()).toBe('# T\n\n> [!NOTE]\n> a\n>\n> b\n\n```bash\nif x\n  echo hi\n```\n\n<!--\nc\n-->\n\n- x\n- y\n')
  })
  test('links go through the link normaliser: query keys sorted and re-encoded', () => {
    expect(link('D', 'https://x.test/p?project=a b&pageState=(1)')).toBe('[D](https://x.test/p?pageState=%281%29&project=a+b)')
    expect(link('S', './x.svg')).toBe('[S](./x.svg)')
  })
})

describe('header values', () => {
  test.each([
    ['2024-05-01T12:30:43.834Z', '2024-05-01 12:30:43.834 +0000 UTC'],
    ['2024-05-01T12:30:43.800Z', '2024-05-01 12:30:43.8 +0000 UTC'],
    ['2024-05-01T12:30:43.000Z', '2024-05-01 12:30:43 +0000 UTC'],
    ['0999-01-02T03:04:05.060Z', '0999-01-02 03:04:05.06 +0000 UTC'],
  ])('%s prints as Go Time.String() %j', (iso, go) => {
    expect(formatGoTime(new Date(iso))).toBe(go)
  })
  test('SOURCE_DATE_EPOCH (seconds) wins over the clock; anything else falls back to now', () => {
    const now = () => new Date('2030-01-01T00:00:00Z')
    expect(resolveLastUpdated({SOURCE_DATE_EPOCH: '1714566643'}, now).toISOString()).toBe('2024-05-01T12:30:43.000Z')
    expect(resolveLastUpdated({SOURCE_DATE_EPOCH: 'soon'}, now)).toEqual(now())
    expect(resolveLastUpdated({}, now)).toEqual(now())
  })
  test('the unknown-revision text when the repo is not a git checkout', () => {
    expect(headerComment({generateCommand: 'msp handbook', lastUpdated: new Date(0)})).toBe(
      "Generated documentation; DO NOT EDIT. Regenerate using this command: 'msp handbook'\n\nLast updated: 1970-01-01 00:00:00 +0000 UTC\nGenerated from: " +
        'unknown revision of https://github.com/sourcegraph/managed-services',
    )
  })
})

describe('properties', () => {
  const cellText = fc.string({unit: fc.constantFrom('a', 'Z', '0', ' ', '-', '`', '✅', 'é', '[', ']'), maxLength: 30}).map((s) => s.trim())
  test('every table line has the same display width and the cells read back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cellText, cellText), {maxLength: 8}), (rows) => {
        const lines = table(['Property', 'Details'], rows).split('\n')
        expect(new Set(lines.map(displayWidth)).size).toBe(1)
        const back = lines.slice(2).map((l) =>
          l
            .slice(2, -2)
            .split(' | ')
            .map((c) => c.trimEnd()),
        )
        expect(back).toEqual(rows.map(([a, b]) => [a, b]))
      }),
    )
  })
  test('anchors contain only lower-case letters, digits and single inner dashes', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 40}), (text) => {
        expect(headingAnchor(text)).toMatch(/^(empty|[\p{Ll}\p{Lo}\p{N}\p{Lm}\p{Lt}]+(-[\p{Ll}\p{Lo}\p{N}\p{Lm}\p{Lt}]+)*)$/u)
      }),
    )
  })
})
