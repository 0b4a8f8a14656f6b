import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, test} from 'vitest'
import {isMap, isScalar, isSeq, parseDocument} from 'yaml'
import {parseSpec, type ParseSpecResult} from '../../src/lib/spec/load.js'
import {testSpec} from './spec-test-data.js'
import {fixturesDir} from '../helpers/paths.js'
import {iterations} from '../helpers/stress.js'

/**
 * Property-based robustness of the loader: mutated valid specs never make `parseSpec` throw, and
 * the outcome is always either a spec or at least one located error. 5,300 runs in total.
 */

const handbook = fixturesDir
const bases = [
  testSpec(),
  ...readdirSync(handbook)
    .map((id) => path.join(handbook, id, 'service.yaml'))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8')),
]
const FILE = 'services/fuzz/service.yaml'
/** Generous per-test limit: CI machines may be shared; the whole file takes ~20 s of CPU. */
const FUZZ_TIMEOUT = 60_000

function checkOutcome(source: string, extra: {readme?: string; bigQueryTables?: Record<string, string | undefined>} = {}): void {
  // Plain checks with one `expect` on failure: expect() per issue would dominate the run time.
  let result: ParseSpecResult
  try {
    result = parseSpec(source, {file: FILE, ...extra})
  } catch (error) {
    expect.fail(`parseSpec threw ${String(error)} for ${JSON.stringify(source.slice(0, 500))}`)
  }
  const {spec, issues} = result
  const errors = issues.filter((i) => i.severity === 'error')
  if (spec === undefined && errors.length === 0) expect.fail('neither a spec nor an error')
  if (spec !== undefined && errors.length > 0) expect(errors).toEqual([])
  const misplaced = issues.filter(
    (i) =>
      !Number.isInteger(i.line) || i.line < 1 || !Number.isInteger(i.column) || i.column < 1 || i.message.length === 0 || !i.file.startsWith('services/fuzz/'),
  )
  if (misplaced.length > 0) expect(misplaced).toEqual([])
}

type KeyPath = (string | number)[]

/** Every key path of a document (collections and scalars), iteratively. */
function keyPaths(source: string): KeyPath[] {
  const doc = parseDocument(source)
  const out: KeyPath[] = []
  const stack: {node: unknown; path: KeyPath}[] = [{node: doc.contents, path: []}]
  while (stack.length > 0) {
    const {node, path: p} = stack.pop()!
    if (p.length > 0) out.push(p)
    if (isMap(node)) for (const pair of node.items) if (isScalar(pair.key)) stack.push({node: pair.value, path: [...p, String(pair.key.value)]})
    if (isSeq(node)) node.items.forEach((item, i) => stack.push({node: item, path: [...p, i]}))
  }
  return out
}
const basePaths = bases.map(keyPaths)
const baseDocs = bases.map((source) => parseDocument(source))

const unicodeText = fc.string({unit: 'binary', maxLength: 40})
const jsonValue = fc.oneof(
  unicodeText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(unicodeText, {maxLength: 4}),
  fc.dictionary(unicodeText, unicodeText, {maxKeys: 3}),
  fc.constantFrom('yes', 'off', '1.10', '0x1F', '.inf', '.nan', '~', '', '-1', '1e400', '9007199254740993'),
)

type TreeMutation =
  | {kind: 'delete'; at: number}
  | {kind: 'set'; at: number; value: unknown}
  | {kind: 'huge'; at: number; size: number}
  | {kind: 'deep'; at: number; depth: number}

const treeMutation: fc.Arbitrary<TreeMutation> = fc.oneof(
  fc.record({kind: fc.constant('delete' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('set' as const), at: fc.nat(), value: jsonValue}),
  fc.record({kind: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({min: 1_000, max: 100_000})}),
  fc.record({kind: fc.constant('deep' as const), at: fc.nat(), depth: fc.integer({min: 1, max: 60})}),
)

function applyTree(baseIndex: number, mutations: TreeMutation[]): string {
  const doc = baseDocs[baseIndex]!.clone()
  const paths = basePaths[baseIndex]!
  for (const m of mutations) {
    const at = paths[m.at % paths.length]!
    if (!doc.hasIn(at)) continue
    if (m.kind === 'delete') doc.deleteIn(at)
    else if (m.kind === 'set') doc.setIn(at, m.value)
    else if (m.kind === 'huge') doc.setIn(at, 'x'.repeat(m.size))
    else {
      let value: unknown = 'leaf'
      for (let i = 0; i < m.depth; i++) value = i % 2 === 0 ? [value] : {k: value}
      doc.setIn(at, value)
    }
  }
  return doc.toString()
}

type TextMutation =
  | {kind: 'insert'; at: number; text: string}
  | {kind: 'remove'; at: number; length: number}
  | {kind: 'duplicateLine'; at: number}
  | {kind: 'tab'; at: number}
  | {kind: 'nul'; at: number}
  | {kind: 'bom'}
  | {kind: 'crlf'}
  | {kind: 'indent'; at: number; by: number}

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      unicodeText,
      fc.constantFrom(':', '- ', '&a ', '*a', '<<: *a', '{', '[', '"', "'", '#', '!!str ', '!custom ', '? ', '|', '>', '---\n', '...\n', '%YAML 1.2\n'),
    ),
  }),
  fc.record({kind: fc.constant('remove' as const), at: fc.nat(), length: fc.integer({min: 1, max: 20})}),
  fc.record({kind: fc.constant('duplicateLine' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('tab' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('nul' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('bom' as const)}),
  fc.record({kind: fc.constant('crlf' as const)}),
  fc.record({kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({min: -4, max: 4})}),
)

function applyText(source: string, mutations: TextMutation[]): string {
  let text = source
  for (const m of mutations) {
    const pos = 'at' in m ? m.at % (text.length + 1) : 0
    const lines = text.split('\n')
    const line = 'at' in m ? m.at % lines.length : 0
    switch (m.kind) {
      case 'insert':
        text = text.slice(0, pos) + m.text + text.slice(pos)
        break
      case 'remove':
        text = text.slice(0, pos) + text.slice(pos + m.length)
        break
      case 'duplicateLine':
        lines.splice(line, 0, lines[line]!)
        text = lines.join('\n')
        break
      case 'tab':
        lines[line] = `\t${lines[line]!.trimStart()}`
        text = lines.join('\n')
        break
      case 'nul':
        text = `${text.slice(0, pos)}\0${text.slice(pos)}`
        break
      case 'bom':
        text = `\uFEFF${text}`
        break
      case 'crlf':
        text = text.replaceAll('\n', '\r\n')
        break
      case 'indent':
        lines[line] = m.by >= 0 ? ' '.repeat(m.by) + lines[line] : lines[line]!.slice(-m.by)
        text = lines.join('\n')
        break
    }
  }
  return text
}

/** Anchors whose expansion doubles (or more) at each level, referenced from schema-shaped places. */
function aliasBomb(levels: number, width: number, where: 'owners' | 'environments' | 'env' | 'unknown'): string {
  const lines = [`a0: &a0 [${Array(width).fill('lol').join(', ')}]`]
  for (let i = 1; i < levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    )
  const top = `*a${levels - 1}`
  const base = testSpec()
  if (where === 'owners') return `${lines.join('\n')}\n${base.replace('owners: [team]', `owners: ${top}`)}`
  if (where === 'environments') return `${lines.join('\n')}\n${base.split('environments:')[0]}environments: ${top}\n`
  if (where === 'env') return `${lines.join('\n')}\n${testSpec({env: `env: {A: ${top}}\nsecretEnv: ${top}`})}`
  return `${lines.join('\n')}\n${base}`
}

describe('parseSpec never throws and always locates its verdict', () => {
  test(
    'tree mutations of valid specs: delete keys, swap types, random unicode, huge values, nesting (1,700 runs)',
    () => {
      fc.assert(
        fc.property(fc.nat({max: bases.length - 1}), fc.array(treeMutation, {minLength: 1, maxLength: 4}), (baseIndex, mutations) => {
          checkOutcome(applyTree(baseIndex, mutations))
        }),
        {numRuns: iterations(1_700, 200)},
      )
    },
    FUZZ_TIMEOUT,
  )

  test(
    'text mutations: duplicate lines and keys, tabs, BOM, CRLF, NUL, YAML syntax fragments (2,300 runs)',
    () => {
      fc.assert(
        fc.property(fc.nat({max: bases.length - 1}), fc.array(textMutation, {minLength: 1, maxLength: 6}), (baseIndex, mutations) => {
          checkOutcome(applyText(bases[baseIndex]!, mutations))
        }),
        {numRuns: iterations(2_300, 250)},
      )
    },
    FUZZ_TIMEOUT,
  )

  test(
    'hostile structures: alias bombs, deep nesting, huge and arbitrary input (1,000 runs)',
    () => {
      const hostile = fc.oneof(
        fc
          .record({
            levels: fc.integer({min: 1, max: 12}),
            width: fc.integer({min: 1, max: 10}),
            where: fc.constantFrom('owners' as const, 'environments' as const, 'env' as const, 'unknown' as const),
          })
          .map(({levels, width, where}) => aliasBomb(levels, width, where)),
        fc.integer({min: 1, max: 5_000}).map((depth) => `service: ${'['.repeat(depth)}${']'.repeat(depth)}\n`),
        fc.integer({min: 1, max: 3_000}).map((depth) => `service:\n${'- '.repeat(depth)}x\n`),
        fc.integer({min: 1, max: 300}).map((depth) => Array.from({length: depth}, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')),
        fc.integer({min: 0, max: 2_000_000}).map((size) => `service:\n  id: ${'a'.repeat(size)}\n`),
        fc.string({unit: 'binary', maxLength: 500}),
        fc.string({
          unit: fc.constantFrom('[', ']', '{', '}', ':', '-', ' ', '\n', '\t', '&a', '*a', '"', "'", '#', '?', ',', '!', '|', '>', '\0', '\uFEFF', '\r'),
          maxLength: 300,
        }),
      )
      fc.assert(
        fc.property(hostile, (source) => {
          checkOutcome(source)
        }),
        {numRuns: iterations(1_000, 150)},
      )
    },
    FUZZ_TIMEOUT,
  )

  test('side files: arbitrary README and table contents never throw', () => {
    const withTables = testSpec({env: 'resources:\n  bigQueryDataset: {tables: [events, daily]}'})
    fc.assert(
      fc.property(
        fc.option(fc.string({unit: 'binary', maxLength: 200}), {nil: undefined}),
        fc.dictionary(fc.constantFrom('events', 'daily', 'other'), fc.option(fc.oneof(fc.json(), fc.string({maxLength: 50})), {nil: undefined})),
        (readme, tables) => {
          checkOutcome(withTables, {...(readme === undefined ? {} : {readme}), bigQueryTables: tables})
        },
      ),
      {numRuns: iterations(300, 60)},
    )
  })
})
