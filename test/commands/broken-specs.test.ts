/**
 * Every command over the whole repository reports every broken spec — all errors of all specs, the
 * ones `msp validate` reports — then stops before it writes anything, with a hint to run
 * `msp validate`. A fix-one-rerun-find-the-next loop over a 13-service repository is what this prevents.
 */
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo, fixturesRoot} from '../helpers/paths.js'

let base: string
let cacheDir: string
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'msp-broken-'))
  cacheDir = join(base, 'cache')
})
afterAll(() => rmSync(base, {recursive: true, force: true}))

/**
 * The example repository plus two broken services whose folders sort around the healthy ones
 * (`aaa-sizing` first, `sparse` between ledger-compactor and usage-ledger), so neither "stop at the
 * first" nor "skip the broken ones" can pass.
 */
function brokenRepo(name: string): string {
  const root = join(base, name)
  cpSync(examplesRepo, root, {recursive: true})
  mkdirSync(join(root, 'services', 'aaa-sizing'))
  writeFileSync(
    join(root, 'services', 'aaa-sizing', 'service.yaml'),
    readFileSync(join(fixturesRoot, 'bad', 'memory-and-cpu.yaml'), 'utf8').replace('id: sizing', 'id: aaa-sizing'),
  )
  mkdirSync(join(root, 'services', 'sparse'))
  writeFileSync(
    join(root, 'services', 'sparse', 'service.yaml'),
    readFileSync(join(fixturesRoot, 'bad', 'missing-required.yaml'), 'utf8').replace('Sparse_Service', 'sparse'),
  )
  return root
}

/** Every file under `dir` with its bytes (an empty map when it does not exist). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (d: string) => {
    let entries
    try {
      entries = readdirSync(d, {withFileTypes: true})
    } catch {
      return
    }
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else files.set(relative(dir, p), `${statSync(p).mtimeMs}:${readFileSync(p, 'latin1')}`)
    }
  }
  walk(dir)
  return files
}

const run = (args: readonly string[], root: string) => runMsp([...args, '--repo', root], {env: {MSP_CACHE_DIR: cacheDir, TFE_TOKEN: 'test-token-not-used'}})

/** The errors `msp validate --json` reports for the repository, as `file:line:col: path: message` lines. */
async function validateErrors(root: string): Promise<string[]> {
  const r = await run(['validate', '--json'], root)
  const doc = JSON.parse(r.stdout) as {issues: {file: string; line: number; column: number; path: string; message: string; severity: string}[]}
  return doc.issues.filter((i) => i.severity === 'error').map((i) => `${i.file}:${i.line}:${i.column}: ${i.path}: ${i.message}`)
}

describe('repo-wide commands over a repository with two broken specs', () => {
  let root: string
  let expected: string[]
  beforeAll(async () => {
    root = brokenRepo('repo')
    expected = await validateErrors(root)
    // The reference: validate finds errors in both broken specs and none elsewhere.
    expect(new Set(expected.map((l) => l.split(':')[0]))).toEqual(new Set(['services/aaa-sizing/service.yaml', 'services/sparse/service.yaml']))
    expect(expected.length).toBeGreaterThan(16)
  })

  test.each([
    ['generate --all', ['generate', '--all']],
    ['gen --all --category test', ['gen', '--all', '--category', 'test']],
    ['generate --all --check', ['generate', '--all', '--check']],
    ['diff --all', ['diff', '--all']],
    ['handbook --out', ['handbook', '--out', 'OUT']],
    ['fleet', ['fleet']],
    ['status --all', ['status', '--all']],
    ['tfc sync --all --dry-run', ['tfc', 'sync', '--all', '--dry-run']],
    ['gh-actions subscription-matrix', ['gh-actions', 'subscription-matrix']],
  ])('%s: every error of every spec, a hint to run msp validate, exit 1, nothing written', async (_name, args) => {
    const out = join(base, `out-${_name.replace(/\W+/g, '-')}`)
    const before = snapshot(root)
    const r = await run(
      args.map((a) => (a === 'OUT' ? out : a)),
      root,
    )
    expect(r.code).toBe(1)
    expect(r.stderr.startsWith(`Error: 2 service specs are invalid: ${expected.length} errors\n`)).toBe(true)
    const listed = r.stderr.split('\n').filter((l) => l.startsWith('  services/'))
    expect(listed.map((l) => l.trim())).toEqual(expected)
    expect(r.stderr).toMatch(/\nhint: .*run msp validate/)
    expect(r.stdout).toBe('')
    expect(snapshot(root)).toEqual(before)
    expect(snapshot(out).size).toBe(0)
  })

  test('--json: one compact error document carrying every issue', async () => {
    const r = await run(['generate', '--all', '--json'], root)
    expect(r.code).toBe(1)
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
    const doc = JSON.parse(r.stdout) as {
      error: {kind: string; hint: string; issues: {file: string; line: number; column: number; path: string; message: string}[]}
    }
    expect(doc.error.kind).toBe('SpecError')
    expect(doc.error.hint).toContain('msp validate')
    expect(doc.error.issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.path}: ${i.message}`)).toEqual(expected)
  })

  test('handbook into a checkout: the existing pages stay byte-identical', async () => {
    const handbook = join(base, 'handbook')
    const pages = join(handbook, 'content', 'departments', 'engineering', 'managed-services')
    mkdirSync(pages, {recursive: true})
    writeFileSync(join(handbook, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
    writeFileSync(join(pages, 'hello-api.md'), 'an old page that a successful run would rewrite\n')
    const before = snapshot(handbook)
    const r = await run(['handbook', '--handbook-path', handbook], root)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`2 service specs are invalid: ${expected.length} errors`)
    expect(snapshot(handbook)).toEqual(before)
  })
})

describe('one broken spec among healthy ones', () => {
  test('generate --all names it with all its errors and writes nothing', async () => {
    const root = brokenRepo('one')
    rmSync(join(root, 'services', 'sparse'), {recursive: true})
    const expected = await validateErrors(root)
    const before = snapshot(root)
    const r = await run(['generate', '--all'], root)
    expect(r.code).toBe(1)
    expect(r.stderr.startsWith(`Error: invalid service spec: ${expected.length} errors\n`)).toBe(true)
    expect(
      r.stderr
        .split('\n')
        .filter((l) => l.startsWith('  services/'))
        .map((l) => l.trim()),
    ).toEqual(expected)
    expect(r.stderr).toMatch(/\nhint: .*run msp validate/)
    expect(snapshot(root)).toEqual(before)
  })
})

describe('migrate --all', () => {
  test('reports every spec it cannot read before rewriting any', async () => {
    const root = brokenRepo('migrate')
    // One spec migrate would rewrite (a retired key), two it cannot parse, on both sides of it.
    mkdirSync(join(root, 'services', 'legacy'))
    writeFileSync(join(root, 'services', 'legacy', 'service.yaml'), readFileSync(join(fixturesRoot, 'bad', 'legacy-keys.yaml')))
    writeFileSync(join(root, 'services', 'aaa-sizing', 'service.yaml'), 'service: [unclosed\n')
    writeFileSync(join(root, 'services', 'sparse', 'service.yaml'), 'service:\n  id: sparse\n\tbad: tab\n')
    const before = snapshot(root)
    const r = await run(['migrate', '--all'], root)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Error: 2 service specs are invalid: 2 errors\n/)
    expect(r.stderr).toContain('  services/aaa-sizing/service.yaml:')
    expect(r.stderr).toContain('  services/sparse/service.yaml:')
    expect(r.stderr).toMatch(/\nhint: .*run msp validate/)
    expect(snapshot(root)).toEqual(before)
  })
})
