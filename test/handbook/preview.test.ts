/**
 * Handbook previews without a sourcegraph/handbook checkout: `handbook --out DIR` (pages and diagrams in
 * any folder, through the same write guard), `handbook diagram` writing an SVG file on a terminal, and
 * `init` offering the schema file its `$schema` line names. The built CLI, run as a user would.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {diagramDestination, writeDiagramFile} from '../../src/lib/handbook/generate.js'
import {buildJsonSchema} from '../../src/lib/spec/json-schema.js'
import {makeRepoFromFixtures, runMsp as runCli} from '../helpers/cli.js'
import {fixturesDir, repoDir} from '../helpers/paths.js'
import {withoutRunHeader} from './fixtures.js'

let repo: string
let cacheDir: string
let scratch: string
const runMsp = (args: readonly string[]) => runCli(args, {env: {MSP_CACHE_DIR: cacheDir, MSP_EDITION: '2024-05'}})
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'msp-preview-cache-'))
  scratch = mkdtempSync(join(tmpdir(), 'msp-preview-'))
  repo = makeRepoFromFixtures(['gatekeeper'])
})
afterAll(() => {
  for (const d of [cacheDir, scratch, repo]) rmSync(d, {recursive: true, force: true})
})

describe('msp handbook --out', () => {
  test('writes the pages and diagrams into a new folder, no handbook checkout needed; the page is the published one', async () => {
    const out = join(scratch, 'preview', 'nested')
    const r = await runMsp(['handbook', '--repo', repo, '--out', out])
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['gatekeeper-prod.svg', 'gatekeeper.md', 'index.md'])
    expect(withoutRunHeader(readFileSync(join(out, 'gatekeeper.md'), 'utf8'))).toBe(
      withoutRunHeader(readFileSync(join(fixturesDir, 'gatekeeper', 'expected.md'), 'utf8')),
    )
    expect(readFileSync(join(out, 'gatekeeper-prod.svg'), 'utf8')).toMatch(/<svg[\s\S]*Cloud Run Job[\s\S]*<\/svg>/)
    expect(r.stderr).toContain(`3 of 3 files updated in ${out}`)
    // No pull-request hint: a preview is not the handbook.
    expect(r.stderr).not.toContain('github.com/sourcegraph/handbook')
  }, 120_000)

  test('the write guard still applies: a symlink inside the folder is refused, nothing written through it', async () => {
    const out = join(scratch, 'guarded')
    mkdirSync(out)
    const elsewhere = join(scratch, 'elsewhere.md')
    writeFileSync(elsewhere, 'keep me\n')
    symlinkSync(elsewhere, join(out, 'gatekeeper.md'))
    const r = await runMsp(['handbook', '--repo', repo, '--out', out, '--no-diagrams'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('is a symbolic link')
    expect(readFileSync(elsewhere, 'utf8')).toBe('keep me\n')
  })

  test('--out with --handbook-path, or an empty --out, is a usage error', async () => {
    expect((await runMsp(['handbook', '--repo', repo, '--out', scratch, '--handbook-path', scratch])).code).toBe(2)
    const empty = await runMsp(['handbook', '--repo', repo, '--out', ''])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('--out cannot be empty')
  })
})

describe('msp handbook diagram', () => {
  test('on a terminal an SVG goes to a file (the default there); piped, D2 on stdout as before; d2/json always print', () => {
    expect(diagramDestination(undefined, true)).toEqual({format: 'svg', toFile: true})
    expect(diagramDestination('svg', true)).toEqual({format: 'svg', toFile: true})
    expect(diagramDestination('d2', true)).toEqual({format: 'd2', toFile: false})
    expect(diagramDestination('json', true)).toEqual({format: 'json', toFile: false})
    expect(diagramDestination(undefined, false)).toEqual({format: 'd2', toFile: false})
    expect(diagramDestination('svg', false)).toEqual({format: 'svg', toFile: false})
  })

  test('piped without --format it still prints the D2 source', async () => {
    const r = await runMsp(['handbook', 'diagram', 'gatekeeper', 'prod', '--repo', repo])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Cloud Run Job')
    expect(r.stdout).not.toContain('<svg')
  })

  test('the file is <service>-<env>.svg in the given folder, written through the guard', async () => {
    const dir = join(scratch, 'diagram')
    mkdirSync(dir)
    expect(await writeDiagramFile({svg: '<svg/>\n', serviceId: 'gatekeeper', envId: 'prod', dir})).toBe(join(dir, 'gatekeeper-prod.svg'))
    expect(readFileSync(join(dir, 'gatekeeper-prod.svg'), 'utf8')).toBe('<svg/>\n')
    symlinkSync(join(scratch, 'elsewhere.svg'), join(dir, 'gatekeeper-dev.svg'))
    await expect(writeDiagramFile({svg: '<svg/>\n', serviceId: 'gatekeeper', envId: 'dev', dir})).rejects.toThrow(/symbolic link/)
    expect(existsSync(join(scratch, 'elsewhere.svg'))).toBe(false)
  })
})

describe('msp init and the schema its $schema line names', () => {
  test('without a terminal it hints; --schema writes the schema msp schema prints; --no-schema stays silent', async () => {
    const root = makeRepoFromFixtures([])
    const a = await runMsp(['init', 'alpha', '--owner', 'x', '--yes', '--repo', root])
    expect(a.code, a.stderr).toBe(0)
    expect(readFileSync(join(root, 'services/alpha/service.yaml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../schema/service.schema.json',
    )
    expect(a.stderr).toContain(
      "hint: the spec's $schema line names schema/service.schema.json; write it with 'msp schema -o schema/service.schema.json' (or init --schema)",
    )
    expect(existsSync(join(root, 'schema/service.schema.json'))).toBe(false)

    const b = await runMsp(['init', 'bravo', '--owner', 'x', '--yes', '--schema', '--repo', root])
    expect(b.code, b.stderr).toBe(0)
    expect(b.stderr).toContain('Rendered service spec JSON schema in schema/service.schema.json')
    expect(JSON.parse(readFileSync(join(root, 'schema/service.schema.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(buildJsonSchema())))

    rmSync(join(root, 'schema'), {recursive: true})
    const c = await runMsp(['init', 'charlie', '--owner', 'x', '--yes', '--no-schema', '--repo', root])
    expect(c.code).toBe(0)
    expect(c.stderr).not.toContain('schema')
    rmSync(root, {recursive: true, force: true})
  })

  test('on a terminal the schema is offered with the spec: announced before the confirmation, written with it', async () => {
    const root = makeRepoFromFixtures([])
    const {spawn} = await import('node:child_process')
    const command = [process.execPath, join(repoDir, 'bin/run.js'), 'init', 'delta', '--owner', 'x', '--repo', root].join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {env: {...process.env, NO_COLOR: '1', NODE_ENV: 'production', MSP_CACHE_DIR: cacheDir}})
    let transcript = ''
    child.stdout.on('data', (c) => (transcript += String(c)))
    // The name (default) and the confirmation (default yes).
    child.stdin.write('\n\n')
    const code = await new Promise<number | null>((done) => child.on('close', done))
    expect(code, transcript).toBe(0)
    expect(transcript.indexOf('it is written too (--no-schema skips it)')).toBeLessThan(transcript.indexOf('Write services/delta/service.yaml? (Y/n)'))
    expect(transcript).toContain('Rendered service spec JSON schema in schema/service.schema.json')
    expect(existsSync(join(root, 'schema/service.schema.json'))).toBe(true)
    rmSync(root, {recursive: true, force: true})
  }, 60_000)
})
