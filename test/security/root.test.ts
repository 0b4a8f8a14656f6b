/**
 * A root is a repository: whatever names the service-definitions root (--repo, MSP_REPO_ROOT,
 * SG_MSP_FORCE_REPO_ROOT) must hold `.repository`, as auto-discovery requires; every command that acts
 * on all services refuses a repository of zero services; and `msp handbook` removes from the pages
 * folder only files that carry msp's generated header. Each case asserts the exit code, the message and
 * the bytes of the handbook pages folder afterwards.
 */
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {HANDBOOK_PAGES_DIR} from '../../src/lib/handbook/generate.js'
import {runMsp} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'
import {filesBelow} from '../helpers/files.js'

let outer: string
let handbook: string
let pages: string
let cache: string

beforeEach(() => {
  outer = mkdtempSync(join(tmpdir(), 'msp-root-'))
  cache = join(outer, 'cache')
  handbook = join(outer, 'handbook')
  pages = join(handbook, HANDBOOK_PAGES_DIR)
  mkdirSync(pages, {recursive: true})
  writeFileSync(join(handbook, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
  // A published handbook: pages msp generated, and files written by people.
  writeFileSync(
    join(pages, 'gatekeeper.md'),
    "<!--\nGenerated documentation; DO NOT EDIT. Regenerate using this command: 'sg msp operations generate-handbook-pages'\n-->\n# Gatekeeper\n",
  )
  writeFileSync(
    join(pages, 'index.md'),
    "<!--\nGenerated documentation; DO NOT EDIT. Regenerate using this command: 'msp handbook'\n-->\n# Managed Services infrastructure\n",
  )
  writeFileSync(join(pages, 'gatekeeper-prod.svg'), '<svg>published diagram</svg>\n')
})
afterEach(() => rmSync(outer, {recursive: true, force: true}))

const run = (args: readonly string[], env: Record<string, string> = {}) =>
  runMsp(args, {cwd: outer, env: {MSP_CACHE_DIR: cache, MSP_EDITION: '2024-05', MSP_REPO_ROOT: '', SG_MSP_FORCE_REPO_ROOT: '', ...env}})

/** A folder that is not a repository: no `.repository`, no `services/` (a wrong path in CI). */
function notARepository(): string {
  const dir = join(outer, 'not-a-repo')
  mkdirSync(join(dir, 'docs'), {recursive: true})
  writeFileSync(join(dir, 'docs/readme.md'), 'hello\n')
  return dir
}

/** A repository (`.repository` present) with no service. */
function emptyRepository(): string {
  const dir = join(outer, 'empty-repo')
  mkdirSync(join(dir, 'services'), {recursive: true})
  writeFileSync(join(dir, '.repository'), 'sourcegraph/managed-services\n')
  return dir
}

const ALL_SERVICE_COMMANDS: readonly (readonly string[])[] = [
  ['validate'],
  ['fleet'],
  ['fleet', '--csv'],
  ['migrate', '--all', '--check'],
  ['migrate', '--all', '--dry-run'],
  ['generate', '--all', '--check'],
  ['handbook', '--no-diagrams', '--handbook-path', '<handbook>'],
  ['operations', 'generate-handbook-pages', '--no-diagrams', '--handbook-path', '<handbook>'],
  ['handbook', '--check', '--handbook-path', '<handbook>'],
]

const withHandbook = (args: readonly string[]) => args.map((a) => (a === '<handbook>' ? handbook : a))

describe('a root must hold .repository', () => {
  const sources = [
    ['--repo', (dir: string) => ({args: ['--repo', dir], env: {}})],
    ['MSP_REPO_ROOT', (dir: string) => ({args: [], env: {MSP_REPO_ROOT: dir}})],
    ['SG_MSP_FORCE_REPO_ROOT', (dir: string) => ({args: [], env: {SG_MSP_FORCE_REPO_ROOT: dir}})],
  ] as const
  for (const [name, how] of sources) {
    for (const command of ALL_SERVICE_COMMANDS) {
      it(`${name}: ${command.join(' ')} refuses a folder without .repository; the handbook is intact`, async () => {
        const dir = notARepository()
        const before = filesBelow(handbook)
        const {args, env} = how(dir)
        const r = await run([...withHandbook(command), ...args], env)
        expect(r.code, r.stdout + r.stderr).toBe(1)
        expect(r.stderr).toContain(`${name} points to "${dir}", which is not a service-definitions repository: it has no .repository file`)
        expect(r.stderr).not.toMatch(/Checked 0 services|unexpected failure/)
        expect(filesBelow(handbook)).toEqual(before)
      })
    }
  }

  it('a single-service command (logs) refuses it too, with exit 1', async () => {
    const dir = notARepository()
    mkdirSync(join(dir, 'services'))
    cpSync(join(fixturesDir, 'gatekeeper'), join(dir, 'services/gatekeeper'), {recursive: true})
    const r = await run(['logs', 'gatekeeper', 'prod', '--no-open', '--repo', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('which is not a service-definitions repository: it has no .repository file')
  })
})

describe('every command on all services refuses zero services', () => {
  for (const command of ALL_SERVICE_COMMANDS) {
    it(`${command.join(' ')} names the root and what was expected; the handbook is intact`, async () => {
      const dir = emptyRepository()
      const before = filesBelow(handbook)
      const r = await run([...withHandbook(command), '--repo', dir])
      expect(r.code, r.stdout + r.stderr).toBe(1)
      expect(r.stderr).toContain(`no services found in ${dir}`)
      expect(r.stderr).toContain('services/<id>/service.yaml')
      expect(filesBelow(handbook)).toEqual(before)
    })
  }
})

describe('msp handbook removes only files that carry its generated header', () => {
  it('a service gone: its generated page goes; hand-written pages and diagrams msp did not stamp stay byte for byte', async () => {
    const repo = emptyRepository()
    cpSync(join(fixturesDir, 'cloud-ops'), join(repo, 'services/cloud-ops'), {recursive: true})
    writeFileSync(join(pages, 'notes.md'), '# Notes written by a person\n')
    writeFileSync(join(pages, 'team.svg'), '<svg>drawn by hand</svg>\n')
    const kept = {
      'notes.md': readFileSync(join(pages, 'notes.md'), 'utf8'),
      'team.svg': readFileSync(join(pages, 'team.svg'), 'utf8'),
      'gatekeeper-prod.svg': readFileSync(join(pages, 'gatekeeper-prod.svg'), 'utf8'),
    }
    const r = await run(['handbook', '--no-diagrams', '--repo', repo, '--handbook-path', handbook])
    expect(r.code, r.stderr).toBe(0)
    const after = filesBelow(pages)
    // gatekeeper.md carried the generated header and its service is gone: removed.
    expect(Object.keys(after).sort()).toEqual(['cloud-ops.md', 'gatekeeper-prod.svg', 'index.md', 'notes.md', 'team.svg'])
    for (const [file, text] of Object.entries(kept)) expect(after[file], file).toBe(text)
  })
})
