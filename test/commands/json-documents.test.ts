/**
 * `--json` is global: the commands whose result is text (a page, a script, a graph) or files print, under
 * --json, one JSON document on stdout saying what they did — never the text itself. Each document is
 * checked against the command's own text output or the files on disk.
 */
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo} from '../helpers/paths.js'

let scratch: string
let repo: string
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'msp-json-docs-'))
  repo = join(scratch, 'repo')
  cpSync(examplesRepo, repo, {recursive: true})
})
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

const run = (args: readonly string[]) =>
  runMsp([...args, '--repo', repo], {cwd: scratch, env: {MSP_CACHE_DIR: join(scratch, 'cache'), SOURCE_DATE_EPOCH: '1700000000'}})

/**
 * The text form without its final newline: a document's text field, so that `jq -r .field` (which adds
 * one) prints exactly the text form.
 */
const printed = (stdout: string) => stdout.replace(/\n$/, '')

/** stdout as exactly one JSON document (JSON.parse refuses anything after it). */
function documentOf(r: {code: number | null; stdout: string; stderr: string}): Record<string, unknown> {
  expect(r.stdout.endsWith('\n'), r.stdout).toBe(true)
  const doc = JSON.parse(r.stdout) as unknown
  expect(typeof doc === 'object' && doc !== null && !Array.isArray(doc), r.stdout).toBe(true)
  return doc as Record<string, unknown>
}

describe('completion --json', () => {
  test.each([['bash'], ['zsh'], ['fish']])('%s: {"shell", "script"}, the script the text form prints', async (shell) => {
    const text = await run(['completion', shell])
    const r = await run(['completion', shell, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(documentOf(r)).toEqual({shell, script: printed(text.stdout)})
  })
})

describe('operations --json', () => {
  test('{"service", "revision", "markdown"}: the page the text form prints', async () => {
    const text = await run(['operations', 'hello-api'])
    const r = await run(['operations', 'hello-api', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(documentOf(r)).toEqual({service: 'hello-api', revision: null, markdown: printed(text.stdout)})
  })
})

describe('schema --json', () => {
  test('without -o: the schema itself is the document', async () => {
    const text = await run(['schema'])
    const r = await run(['schema', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(documentOf(r)).toEqual(JSON.parse(text.stdout))
  })

  test('with -o: {"file"} naming the file written, which holds the schema', async () => {
    const file = join(scratch, 'schema.json')
    const r = await run(['schema', '-o', file, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(documentOf(r)).toEqual({file})
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse((await run(['schema'])).stdout))
  })
})

describe('handbook --json', () => {
  test('lists every file by what happened to it: created, changed, removed, unchanged; --check the same without writing', async () => {
    const out = join(scratch, 'handbook')
    const first = await run(['handbook', '--out', out, '--no-diagrams', '--json'])
    expect(first.code, first.stderr).toBe(0)
    const created = documentOf(first)
    expect(created).toMatchObject({dir: out, check: false, ok: true, changed: [], removed: [], unchanged: []})
    expect([...(created.created as string[])].sort()).toEqual(readdirSync(out).sort())
    expect(created.created).toEqual(expect.arrayContaining(['hello-api.md', 'usage-ledger.md', 'index.md']))

    // A stale page (it carries the generated header, so msp may remove it) and an edited one.
    writeFileSync(join(out, 'retired.md'), readFileSync(join(out, 'hello-api.md')))
    writeFileSync(join(out, 'usage-ledger.md'), 'edited by hand\n')
    const check = await run(['handbook', '--out', out, '--no-diagrams', '--check', '--json'])
    expect(check.code).toBe(1)
    const checked = documentOf(check)
    expect(checked).toMatchObject({dir: out, check: true, ok: false, created: [], changed: ['usage-ledger.md'], removed: ['retired.md']})
    expect(readFileSync(join(out, 'usage-ledger.md'), 'utf8')).toBe('edited by hand\n')
    expect(check.stderr).not.toContain('Error:')

    const second = await run(['handbook', '--out', out, '--no-diagrams', '--json'])
    expect(second.code, second.stderr).toBe(0)
    const updated = documentOf(second)
    expect(updated).toMatchObject({dir: out, check: false, ok: true, created: [], changed: ['usage-ledger.md'], removed: ['retired.md']})
    expect(updated.unchanged).toEqual(expect.arrayContaining(['hello-api.md', 'index.md']))
    expect(readdirSync(out)).not.toContain('retired.md')

    const clean = await run(['handbook', '--out', out, '--no-diagrams', '--check', '--json'])
    expect(clean.code, clean.stderr).toBe(0)
    expect(documentOf(clean)).toMatchObject({check: true, ok: true, created: [], changed: [], removed: []})
  })
})

describe('handbook diagram and tfc graph --json', () => {
  test('handbook diagram --format json: the graph object; --format d2: the source as a string', async () => {
    const json = await run(['handbook', 'diagram', 'hello-api', 'prod', '--format', 'json'])
    const r = await run(['handbook', 'diagram', 'hello-api', 'prod', '--format', 'json', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(documentOf(r)).toEqual({service: 'hello-api', environment: 'prod', format: 'json', diagram: JSON.parse(json.stdout)})
    const d2 = await run(['handbook', 'diagram', 'hello-api', 'prod', '--format', 'd2'])
    const r2 = await run(['handbook', 'diagram', 'hello-api', 'prod', '--format', 'd2', '--json'])
    expect(r2.code, r2.stderr).toBe(0)
    expect(documentOf(r2)).toEqual({service: 'hello-api', environment: 'prod', format: 'd2', diagram: printed(d2.stdout)})
  })

  test('tfc graph --format dot and json', async () => {
    const dot = await run(['tfc', 'graph', 'hello-api', 'prod', 'cloudrun', '--format', 'dot'])
    const r = await run(['tfc', 'graph', 'hello-api', 'prod', 'cloudrun', '--format', 'dot', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(documentOf(r)).toEqual({service: 'hello-api', environment: 'prod', stack: 'cloudrun', format: 'dot', graph: printed(dot.stdout)})
    const json = await run(['tfc', 'graph', 'hello-api', 'prod', 'cloudrun', '--format', 'json'])
    const rj = await run(['tfc', 'graph', 'hello-api', 'prod', 'cloudrun', '--format', 'json', '--json'])
    expect(documentOf(rj)).toEqual({service: 'hello-api', environment: 'prod', stack: 'cloudrun', format: 'json', graph: JSON.parse(json.stdout)})
  })
})
