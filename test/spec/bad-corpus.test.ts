import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, test} from 'vitest'
import {DEFAULT_EDITION} from '../../src/lib/edition/editions.js'
import {parseSpec} from '../../src/lib/spec/load.js'
import {retiredKeyWarnings} from '../../src/lib/spec/retired.js'
import {formatLine} from './spec-test-data.js'

/**
 * Hand-written broken specs in test/fixtures/bad/<name>.yaml, each with the exact issue lines in
 * <name>.expected.txt (warnings prefixed with `warning: `), checked as `services/<name>/service.yaml`.
 * `npx vitest run -u` rewrites the expected files (file snapshots); then review the diff.
 */
const dir = path.resolve(__dirname, '../fixtures/bad')
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort()

describe('bad spec corpus', () => {
  test('has at least 10 specs, each with expected lines', () => {
    expect(names.length).toBeGreaterThanOrEqual(10)
    for (const name of names) expect(existsSync(path.join(dir, `${name}.expected.txt`)), name).toBe(true)
  })

  test.each(names)('%s', async (name) => {
    const source = readFileSync(path.join(dir, `${name}.yaml`), 'utf8')
    const file = `services/${name}/service.yaml`
    const result = parseSpec(source, {file})
    // Keys of older releases are warnings under the default edition (what generate and validate print).
    const issues = [...result.issues, ...retiredKeyWarnings({id: name, file, retired: result.retired}, DEFAULT_EDITION)].sort(
      (a, b) => a.line - b.line || a.column - b.column,
    )
    const actual = issues.map(formatLine).join('\n') + '\n'
    const expectedFile = path.join(dir, `${name}.expected.txt`)
    await expect(actual).toMatchFileSnapshot(expectedFile)
    // Only warnings (keys the final spec ignores) still yield a model, as in Go.
    expect(result.spec === undefined).toBe(result.issues.some((i) => i.severity === 'error'))
  })
})
