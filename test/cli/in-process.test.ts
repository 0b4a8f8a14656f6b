/**
 * The in-process runner (test/helpers/in-process.ts) stands in for `node bin/run.js` in most command
 * tests, so it must not change what a command does: for each argv of this table, run spawned and run
 * in-process against the same repository and environment, the exit code, stdout and stderr are the
 * same bytes. The table spans the paths a run can take: the normaliser's own usage error, oclif's parse
 * errors, the unknown-command hook, help and version from oclif, --json errors, a console shortcut
 * with its spec warning, validate's report, generate and generate --check (files written, then
 * compared), a spec error, and completion.
 */
import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, spawnMsp} from '../helpers/cli.js'
import {runMspInProcess} from '../helpers/in-process.js'
import {examplesRepo} from '../helpers/paths.js'

let repo: string
let generated: string
let broken: string
let cache: string
beforeAll(async () => {
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
  broken = mkdtempSync(join(tmpdir(), 'msp-identity-'))
  cpSync(examplesRepo, broken, {recursive: true})
  // An unknown key (a warning) in one spec of the first repo, a wrong category (an error) in the second.
  writeFileSync(join(repo, 'services/gatekeeper/service.yaml'), `extraKey: 1\n`, {flag: 'a'})
  writeFileSync(
    join(broken, 'services/hello-api/service.yaml'),
    'service: {id: hello-api, owners: [core-services]}\nenvironments:\n  - {id: dev, projectID: hello-api-dev-4c2e, category: testing, deploy: {type: ' +
      'manual}}\n',
  )
  cache = mkdtempSync(join(tmpdir(), 'msp-identity-cache-'))
  generated = copyOf(repo)
  // Set-up, not under comparison: in-process.
  expect((await runMspInProcess(['generate', '--all', '--repo', generated], {env: {MSP_CACHE_DIR: cache}})).code).toBe(0)
})
const copies: string[] = []
afterAll(() => {
  for (const dir of [repo, broken, cache, ...copies]) rmSync(dir, {recursive: true, force: true})
})

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'msp-identity-copy-'))
  cpSync(dir, copy, {recursive: true})
  copies.push(copy)
  return copy
}

// [what, argv, which repository (--repo is appended; 'copy': a fresh copy of `repo` for each of the two runs;
// 'generated': `repo` after `msp generate --all`)]
const table: [string, string[], 'repo' | 'copy' | 'generated' | 'broken' | 'none'][] = [
  ['a usage error of the normaliser', ['generate', '--all=maybe'], 'repo'],
  ['an unknown flag (oclif parse error)', ['logs', 'cody-analytics', 'prod', '--bogus'], 'repo'],
  ['an unknown flag under --json', ['logs', 'cody-analytics', 'prod', '--bogus', '--json'], 'repo'],
  ['a missing id under --json', ['status', '--json'], 'repo'],
  ['an unknown command', ['logz', 'cody-analytics'], 'repo'],
  ['an unknown command under --json', ['pg', 'conect', '--json'], 'repo'],
  ['an unknown command with -h', ['nope', '-h'], 'none'],
  ['the root help', ['--help'], 'none'],
  ["a command's help", ['generate', '--help'], 'none'],
  ['a topic', ['tfc'], 'none'],
  ['a command after the help of its topic (oclif rewrites its ids when it prints help)', ['tfc', 'view'], 'none'],
  ['the version', ['--version'], 'none'],
  ['a console shortcut (printed: no TTY)', ['logs', 'cody-analytics', 'prod'], 'repo'],
  ['a console shortcut with a spec warning, --json', ['open', 'gatekeeper', 'prod', 'sentry', '--json'], 'repo'],
  ['the link list of an environment', ['open', 'cody-analytics', 'prod'], 'repo'],
  ['tfc view of the organisation', ['tfc', 'view'], 'none'],
  ['validate, all valid but a warning', ['validate'], 'repo'],
  ['validate of a spec error', ['validate'], 'broken'],
  ['validate --json of a spec error', ['validate', '--json'], 'broken'],
  ['a command on a spec error', ['generate', 'hello-api', 'dev'], 'broken'],
  ['generate (writes the files)', ['generate', '--all'], 'copy'],
  ['generate --check (every file missing)', ['generate', '--all', '--check'], 'repo'],
  ['generate --check --json (every file missing)', ['generate', 'cody-analytics', '--check', '--json'], 'repo'],
  ['generate --check (up to date)', ['generate', '--all', '--check'], 'generated'],
  ['generate --check --json (up to date)', ['generate', 'cody-analytics', 'prod', '--check', '--json'], 'generated'],
  ['completion of a command word', ['__complete', '--', 'ge'], 'none'],
  ['completion of a service id', ['__complete', '--', 'logs', ''], 'repo'],
  ['the schema', ['schema'], 'none'],
  ['fleet --json', ['fleet', '--json'], 'repo'],
  ['the edition of a repository', ['generate', 'cody-analytics', '--edition', '2024-13'], 'repo'],
]

describe('runMspInProcess gives the bytes of a spawned run', () => {
  it.each(table)('%s', async (_what, argv, where) => {
    const run = async (runner: typeof spawnMsp) => {
      const dir = where === 'copy' ? copyOf(repo) : where === 'none' ? undefined : {repo, generated, broken}[where]
      // Completion reads the repository from the working directory: words after `--` are the user's.
      const args = dir && !argv.includes('--') ? [...argv, '--repo', dir] : argv
      const result = await runner(args, {cwd: dir ?? tmpdir(), env: {MSP_CACHE_DIR: cache, MSP_NO_FAST_PATH: '1'}})
      // Paths of a copy differ between the two runs; the rest must not.
      return where === 'copy' ? JSON.parse(JSON.stringify(result).replaceAll(dir!, '<repo>')) : result
    }
    expect(await run(runMspInProcess)).toEqual(await run(spawnMsp))
  })

  it('also against the fast path: a shortcut answered from the spec cache prints the same bytes', async () => {
    const options = {cwd: repo, env: {MSP_CACHE_DIR: cache, MSP_FAST_PATH_DEBUG: undefined}}
    // The first run fills the cache (in-process: oclif's path), the second is answered without oclif.
    expect((await runMspInProcess(['logs', 'cody-analytics', 'prod'], options)).code).toBe(0)
    const fast = await spawnMsp(['logs', 'cody-analytics', 'prod'], {...options, env: {...options.env, MSP_FAST_PATH_DEBUG: '1'}})
    expect(fast.stderr).toBe('msp: answered by the fast path\n')
    const inProcess = await runMspInProcess(['logs', 'cody-analytics', 'prod'], options)
    expect(inProcess).toEqual({...fast, stderr: ''})
  })
})

describe('runMspInProcess', () => {
  it('keeps the runs apart: exit codes, output and secrets do not leak into the next run', async () => {
    const failing = await runMspInProcess(['validate', '--repo', broken])
    expect(failing.code).toBe(1)
    const ok = await runMspInProcess(['logs', 'cody-analytics', 'prod', '--repo', repo])
    expect(ok).toEqual({code: 0, stdout: expect.stringMatching(/^https:\/\/console\.cloud\.google\.com\/logs\//), stderr: ''})
    // A token of one run's environment is redacted in that run only, as in separate processes.
    const secret = 'cody-analytics'
    const withToken = await runMspInProcess(['logs', 'cody-analytics', 'prod', '--repo', repo], {env: {SOME_TOKEN: secret}})
    expect(withToken.stdout).not.toContain(secret)
    expect((await runMspInProcess(['logs', 'cody-analytics', 'prod', '--repo', repo])).stdout).toContain(secret)
  })

  it('leaves the process alone: its exit code and signal handlers are untouched', async () => {
    const before = {exitCode: process.exitCode, sigint: process.listenerCount('SIGINT'), sigterm: process.listenerCount('SIGTERM')}
    expect((await runMspInProcess(['generate', '--all=maybe'])).code).toBe(2)
    expect((await runMspInProcess(['generate', '--all', '--check', '--repo', generated])).code).toBe(0)
    expect({exitCode: process.exitCode, sigint: process.listenerCount('SIGINT'), sigterm: process.listenerCount('SIGTERM')}).toEqual(before)
  })
})
