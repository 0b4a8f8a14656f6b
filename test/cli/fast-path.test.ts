/**
 * The start-up fast path answers exactly as oclif would. Every case runs cold (MSP_NO_FAST_PATH=1,
 * no spec cache: oclif answers) and warm (its own spec cache, filled beforehand; MSP_FAST_PATH_DEBUG
 * makes the fast path say on stderr that it answered). The table asserts which path ran warm —
 * answered, or declined to oclif — and that stdout, stderr and the exit code are the same both ways.
 * It covers every command the fast path serves: logs, tfc view, open (one link and the list), each
 * with --json and --no-open, __complete, the version (-v, version, --version) and the root help.
 *
 * Only the warm run is about the process (the fast path exists only in bin/run.js), so only it is
 * spawned; the cold run is oclif's answer, run in-process (test/cli/in-process.test.ts holds that to the
 * bytes and exit code of a spawned run), and so is the run that fills the spec cache.
 */
import {mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, runMsp, spawnMsp, type RunResult} from '../helpers/cli.js'

const MARKER = 'msp: answered by the fast path\n'
let repo: string
let warmCache: string

beforeAll(async () => {
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
  // A spec never loaded (so never cached), and one above the size limit (100 MB, sparse: msp refuses it
  // by its size, unread, on both paths).
  mkdirSync(join(repo, 'services/uncached'))
  writeFileSync(join(repo, 'services/uncached/service.yaml'), 'service:\n  id: uncached\nenvironments:\n  - id: prod\n  - id: dev\n')
  mkdirSync(join(repo, 'services/huge'))
  writeFileSync(join(repo, 'services/huge/service.yaml'), 'environments:\n  - id: prod\n')
  truncateSync(join(repo, 'services/huge/service.yaml'), 100 * 1024 * 1024)
  warmCache = mkdtempSync(join(tmpdir(), 'msp-warm-cache-'))
  // Fill the warm cache through the full path (the fast path only reads the cache).
  for (const svc of ['cody-analytics', 'gatekeeper']) {
    const r = await runMsp(['logs', svc, 'prod'], {cwd: repo, env: {MSP_CACHE_DIR: warmCache, MSP_NO_FAST_PATH: '1'}})
    expect(r.code).toBe(0)
  }
})
afterAll(() => {
  rmSync(repo, {recursive: true, force: true})
  rmSync(warmCache, {recursive: true, force: true})
})

type Path = 'fast' | 'oclif'
const cases: [string, string[], Path][] = [
  ['logs', ['logs', 'cody-analytics', 'prod'], 'fast'],
  ['logs --no-open', ['logs', 'cody-analytics', 'dev', '--no-open'], 'fast'],
  ['logs of a job, -c service', ['logs', 'gatekeeper', 'prod', '-c', 'service'], 'fast'],
  ['logs --component=service', ['logs', 'gatekeeper', 'prod', '--component=service'], 'fast'],
  ['logs --repo <repo>', ['logs', 'cody-analytics', 'prod', '--repo', '<repo>'], 'fast'],
  ['logs --repo . --repo . (repeated flag: oclif exits 2)', ['logs', 'cody-analytics', 'prod', '--repo', '.', '--repo', '.'], 'oclif'],
  ['logs --open --no-open (one flag twice)', ['logs', 'cody-analytics', 'prod', '--open', '--no-open'], 'oclif'],
  ['logs with an unknown flag', ['logs', 'cody-analytics', 'prod', '--bogus'], 'oclif'],
  ['logs --component with a value oclif rejects', ['logs', 'cody-analytics', 'prod', '-c', 'job'], 'oclif'],
  ['logs --json', ['logs', 'cody-analytics', 'prod', '--json'], 'fast'],
  ['logs --json --no-open', ['logs', 'cody-analytics', 'prod', '--json', '--no-open'], 'fast'],
  ['logs --print (reads the Logging API)', ['logs', 'cody-analytics', 'prod', '--print', '--json', '--repo', '/nonexistent'], 'oclif'],
  ['logs --help', ['logs', '--help'], 'oclif'],
  ['logs with an unknown environment', ['logs', 'cody-analytics', 'staging'], 'oclif'],
  ['logs with an unknown service', ['logs', 'cody-analytic', 'prod'], 'oclif'],
  ['logs with a third argument', ['logs', 'cody-analytics', 'prod', 'extra'], 'oclif'],
  ['logs --', ['logs', '--', 'cody-analytics', 'prod'], 'oclif'],
  ['tfc view', ['tfc', 'view'], 'fast'],
  ['tfc view <svc>', ['tfc', 'view', 'cody-analytics'], 'fast'],
  ['tfc view <svc> <env> --no-open', ['tfc', 'view', 'cody-analytics', 'prod', '--no-open'], 'fast'],
  ['tfc view with an unknown environment', ['tfc', 'view', 'cody-analytics', 'staging'], 'oclif'],
  ['tfc view --repo twice', ['tfc', 'view', '--repo', '.', '--repo', '.'], 'oclif'],
  ['open <target>', ['open', 'cody-analytics', 'prod', 'traces'], 'fast'],
  ['open: the link list', ['open', 'cody-analytics', 'prod'], 'fast'],
  ['open a target the environment lacks', ['open', 'cody-analytics', 'prod', 'redis'], 'oclif'],
  ['open --json (the link list)', ['open', 'cody-analytics', 'prod', '--json'], 'fast'],
  ['open <target> --json', ['open', 'cody-analytics', 'prod', 'traces', '--json'], 'fast'],
  ['open <target> --no-open', ['open', 'cody-analytics', 'prod', 'alerts', '--no-open'], 'fast'],
  ['tfc view <svc> <env> --json', ['tfc', 'view', 'cody-analytics', 'prod', '--json'], 'fast'],
  ['a global flag before the command', ['--repo', '<repo>', 'logs', 'cody-analytics', 'prod'], 'fast'],
  ['complete a command name', ['__complete', '--', ''], 'fast'],
  ['complete a service id', ['__complete', '--', 'logs', ''], 'fast'],
  ['complete an environment id', ['__complete', '--', 'logs', 'cody-analytics', 'p'], 'fast'],
  ['complete an open target', ['__complete', '--', 'open', 'cody-analytics', 'prod', ''], 'fast'],
  ['complete a flag', ['__complete', '--', 'tfc', 'view', '--'], 'fast'],
  ['complete the environments of an uncached service', ['__complete', '--', 'logs', 'uncached', ''], 'oclif'],
  ['complete the environments of a service that does not exist (nothing to offer)', ['__complete', '--', 'logs', 'nonexistent', ''], 'fast'],
  ['complete the environments next to a 100 MB spec (refused unread)', ['__complete', '--', 'logs', 'huge', ''], 'fast'],
  ['complete the targets next to a 100 MB spec', ['__complete', '--', 'open', 'huge', 'prod', ''], 'fast'],
  ['complete the environments of an id that is not one', ['__complete', '--', 'logs', 'Not_An_Id', ''], 'fast'],
  ['--version', ['--version'], 'fast'],
  ['-v', ['-v'], 'fast'],
  ['version', ['version'], 'fast'],
  ['--help (the root help, cached by the run before)', ['--help'], 'fast'],
  ['msp alone (the root help)', [], 'fast'],
  ['command help', ['tfc', 'view', '--help'], 'oclif'],
  ['complete after a global flag', ['__complete', '--', '--repo', '<repo>', 'logs', 'cody-analytics', ''], 'fast'],
  ['complete the targets an environment has', ['__complete', '--', 'open', 'gatekeeper', 'prod', ''], 'fast'],
]

describe('fast path parity: warm and cold give the same stdout, stderr and exit code', () => {
  it.each(cases)('%s', async (_name, rawArgs, path) => {
    const args = rawArgs.map((a) => (a === '<repo>' ? repo : a))
    const cold = await runMsp(args, {cwd: repo, env: {MSP_NO_FAST_PATH: '1', MSP_NO_CACHE: '1'}})
    // The root help is cached by oclif's own run; the warm cache then answers it.
    if (args.length === 0 || args[0] === '--help') await spawnMsp(args, {cwd: repo, env: {MSP_NO_FAST_PATH: '1', MSP_CACHE_DIR: warmCache}})
    const warm = await spawnMsp(args, {cwd: repo, env: {MSP_CACHE_DIR: warmCache, MSP_FAST_PATH_DEBUG: '1'}})
    expect(warm.stderr.endsWith(MARKER) ? 'fast' : 'oclif', `which path answered warm (stderr: ${warm.stderr})`).toBe(path)
    const withoutMarker: RunResult = {...warm, stderr: warm.stderr.endsWith(MARKER) ? warm.stderr.slice(0, -MARKER.length) : warm.stderr}
    expect(withoutMarker).toEqual(cold)
  })

  it('msp logs <svc> <env> --repo . --repo . exits 2 both ways', async () => {
    const args = ['logs', 'cody-analytics', 'prod', '--repo', '.', '--repo', '.']
    const cold = await runMsp(args, {cwd: repo, env: {MSP_NO_FAST_PATH: '1', MSP_NO_CACHE: '1'}})
    const warm = await spawnMsp(args, {cwd: repo, env: {MSP_CACHE_DIR: warmCache}})
    expect([cold.code, warm.code]).toEqual([2, 2])
    expect(warm.stderr).toBe(cold.stderr)
  })
})
