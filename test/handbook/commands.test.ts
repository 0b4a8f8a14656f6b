import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {HANDBOOK_PAGES_DIR} from '../../src/lib/handbook/generate.js'
import {makeRepoFromFixtures, runMsp as runCli} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'
import {withoutRunHeader} from './fixtures.js'

// Built CLI, run as a user would. gatekeeper and cloud-ops keep the D2 renders few and small.
let repo: string
let handbook: string
let cacheDir: string
// Tests write only to temp dirs: the spec cache too.
// The published pages are the 2024-05 edition's output.
const runMsp = (args: readonly string[], options: {env?: Record<string, string>} = {}) =>
  runCli(args, {env: {MSP_CACHE_DIR: cacheDir, MSP_EDITION: '2024-05', ...options.env}})
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'msp-handbook-cache-'))
  repo = makeRepoFromFixtures(['cloud-ops', 'gatekeeper'])
  handbook = join(repo, '..', `${repo.split('/').pop()}-handbook`)
  mkdirSync(handbook, {recursive: true})
  writeFileSync(join(handbook, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
})
afterAll(() => {
  rmSync(cacheDir, {recursive: true, force: true})
  rmSync(repo, {recursive: true, force: true})
  rmSync(handbook, {recursive: true, force: true})
})

const expected = (id: string) => readFileSync(join(fixturesDir, id, 'expected.md'), 'utf8')

describe('msp operations <service>', () => {
  test('prints the terminal form of the page: only a revision header line and absolute handbook links', async () => {
    const r = await runMsp(['operations', 'gatekeeper', '--repo', repo])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('<!--\nGenerated from: unknown revision of https://github.com/sourcegraph/managed-services\n-->')
    // Everything from "## Service overview" on is the handbook page itself.
    const tail = (page: string) => page.slice(page.indexOf('## Service overview'))
    expect(tail(r.stdout)).toBe(tail(expected('gatekeeper')))
    expect(r.stdout).toContain('(https://handbook.sourcegraph.com/departments/engineering/teams/core-services/managed-services/platform/)')
  })

  test('an unknown service fails with exit 2 and the list of services', async () => {
    const r = await runMsp(['ops', 'gatekeepr', '--repo', repo])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown service "gatekeepr"')
    expect(r.stderr).toContain('did you mean "gatekeeper"')
  })
})

describe('msp handbook diagram', () => {
  test('--format json prints the fixture graph', async () => {
    const r = await runMsp(['handbook', 'diagram', 'cloud-ops', 'dev', '--format', 'json', '--repo', repo])
    expect(r.code).toBe(0)
    const graph = JSON.parse(readFileSync(join(fixturesDir, 'cloud-ops', 'cloud-ops-dev.graph.json'), 'utf8'))
    expect(JSON.parse(r.stdout)).toEqual({nodes: graph.nodes, edges: graph.edges})
  })

  test('--format svg renders with D2 and the process exits by itself', async () => {
    const r = await runMsp(['handbook', 'diagram', 'gatekeeper', 'prod', '--format', 'svg', '--repo', repo])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\n$/)
    // The seconds of loading D2 are announced on stderr, never mixed into the SVG on stdout.
    expect(r.stderr).toMatch(/^Loading the diagram renderer \(D2 WebAssembly\)…\nDiagram renderer loaded in \d+\.\d s; rendering the diagram\n$/)
    for (const node of ['Cloud Run Job', 'Sentry', 'Monitoring']) expect(r.stdout).toContain(node)
  }, 120_000)
})

describe('msp handbook', () => {
  test('refuses a folder that is not a handbook checkout', async () => {
    const r = await runMsp(['handbook', '--repo', repo, '--handbook-path', repo])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`expecting github.com/sourcegraph/handbook at "${repo}": expected package.json`)
  })

  test('an empty --handbook-path is a usage error (exit 2)', async () => {
    const r = await runMsp(['handbook', '--repo', repo, '--handbook-path', ''])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--handbook-path cannot be empty')
  })

  test('--generate-command replaces the command line in the header; --no-diagrams renders no SVG', async () => {
    const other = `${handbook}-2`
    mkdirSync(other)
    try {
      writeFileSync(join(other, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
      const r = await runMsp([
        'handbook',
        '--no-diagrams',
        '--generate-command',
        'sg msp operations generate-handbook-pages',
        '--repo',
        repo,
        '--handbook-path',
        other,
      ])
      expect(r.code).toBe(0)
      const dir = join(other, HANDBOOK_PAGES_DIR)
      expect(readdirSync(dir).sort()).toEqual(['cloud-ops.md', 'gatekeeper.md', 'index.md'])
      expect(readFileSync(join(dir, 'gatekeeper.md'), 'utf8')).toContain("Regenerate using this command: 'sg msp operations generate-handbook-pages'\n")
    } finally {
      rmSync(other, {recursive: true, force: true})
    }
  })

  test('writes pages, diagrams and index; then --check passes; after a spec change --check fails listing the page', async () => {
    const env = {SOURCE_DATE_EPOCH: '1714566643'}
    const first = await runMsp(['handbook', '--repo', repo, '--handbook-path', handbook], {env})
    expect(first.code).toBe(0)
    expect(first.stderr).toContain('[gatekeeper]\tWrote "gatekeeper.md"')
    // Not a terminal: one plain line per step of the SVG work, no counters or control characters.
    expect(first.stderr).toContain('Loading the diagram renderer (D2 WebAssembly)…\n')
    expect(first.stderr).toMatch(/\nDiagram renderer loaded in \d+\.\d s; rendering diagrams\n/)
    expect(first.stderr).not.toMatch(/[\r\u001B]|\d+\/3/)
    const dir = join(handbook, HANDBOOK_PAGES_DIR)
    expect(readdirSync(dir).sort()).toEqual(['cloud-ops-dev.svg', 'cloud-ops-prod.svg', 'cloud-ops.md', 'gatekeeper-prod.svg', 'gatekeeper.md', 'index.md'])
    const page = readFileSync(join(dir, 'cloud-ops.md'), 'utf8')
    expect(page).toContain('Last updated: 2024-05-01 12:30:43 +0000 UTC\n')
    expect(page).toContain(`Regenerate using this command: 'msp handbook --repo ${repo} --handbook-path ${handbook}'`)
    expect(withoutRunHeader(page)).toBe(withoutRunHeader(expected('cloud-ops')))
    // Same D2 layout as the published diagrams: the drawing has exactly their dimensions.
    for (const name of ['cloud-ops-dev', 'cloud-ops-prod', 'gatekeeper-prod']) {
      const {viewBox} = JSON.parse(readFileSync(join(fixturesDir, name.replace(/-(dev|prod)$/, ''), `${name}.graph.json`), 'utf8'))
      expect(readFileSync(join(dir, `${name}.svg`), 'utf8')).toMatch(new RegExp(`^<\\?xml[^>]*>\\s*<svg [^>]*viewBox="${viewBox}"`))
    }

    const check = await runMsp(['handbook', '--check', '--repo', repo, '--handbook-path', handbook])
    expect(check.code).toBe(0)
    expect(check.stdout).toBe('')
    expect(check.stderr).toContain('[gatekeeper]\tUp to date "gatekeeper.md"')

    const spec = join(repo, 'services', 'gatekeeper', 'service.yaml')
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('name: Cody Gatekeeper', 'name: Gatekeeper'))
    const stale = await runMsp(['operations', 'generate-handbook-pages', '--check', '--repo', repo, '--handbook-path', handbook])
    expect(stale.code).toBe(1)
    expect(stale.stdout).toBe('changed\tgatekeeper.md\nchanged\tindex.md\n')
    expect(stale.stderr).toContain('2 handbook file(s)')
  }, 180_000)
})
