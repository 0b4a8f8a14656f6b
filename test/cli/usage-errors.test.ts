/**
 * Every usage error has one format: an `Error:` line, a `hint:` line, at most a short `usage:` line,
 * exit 2 — never oclif's ` ›   Error:` with the full usage text; under --json one compact
 * `{"error": {…}}` document on stdout (never oclif's dump of its config and manifest).
 */
import {rmSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'

let repo: string
beforeAll(() => {
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

// [what, argv (every command here has --json), the message, the hint]
const cases: [string, string[], RegExp, RegExp][] = [
  ['unknown flag', ['logs', 'cody-analytics', 'prod', '--bogus'], /^unknown flag --bogus$/, /--help/],
  ['unknown flag close to a real one', ['generate', '--all', '--chek'], /^unknown flag --chek$/, /^did you mean --check\?/],
  [
    'unknown one-dash flag (never split into -c + value)',
    ['logs', 'cody-analytics', 'prod', '-componnt=service'],
    /^unknown flag --componnt$/,
    /did you mean --component\?/,
  ],
  ['extra argument', ['logs', 'cody-analytics', 'prod', 'extra'], /^unexpected argument "extra"$/, /--help/],
  ['extra arguments', ['status', 'cody-analytics', 'prod', 'x', 'y'], /^unexpected arguments "x", "y"$/, /--help/],
  ['exclusive flags', ['fleet', '--csv', '--summary'], /cannot be used together with --(csv|summary)$/, /--help/],
  [
    'a flag value outside its options',
    ['generate', '--all', '--category', 'prod'],
    /^invalid value "prod" for --category$/,
    /^valid values: test, internal, external$/,
  ],
  [
    'a flag value of the wrong type',
    ['init', 'demo', '--owner', 'x', '--project-id-suffix-length', 'abc'],
    /^invalid value for --project-id-suffix-length: /,
    /--help/,
  ],
  ['a flag without its value', ['generate', '--all', '--category'], /^--category expects a value$/, /^valid values: test, internal, external$/],
  ['a boolean with a value that is not true or false', ['generate', '--all=maybe'], /^--all takes true or false, not "maybe"$/, /--all=false/],
  ['missing service id', ['logs'], /^missing the service id$/, /^valid services: cody-analytics, gatekeeper$/],
  [
    'missing environment id',
    ['logs', 'cody-analytics'],
    /^missing the environment id of service "cody-analytics"$/,
    /^valid environments of "cody-analytics": dev, prod$/,
  ],
  ['missing service for generate', ['generate'], /^missing the service id$/, /^valid services: cody-analytics, gatekeeper \(or --all for every service\)$/],
  ['unknown command', ['logz', 'cody-analytics', 'prod'], /^unknown command "logz"$/, /^did you mean "logs"\?/],
  ['unknown subcommand', ['tfc', 'viw'], /^unknown command "tfc viw"$/, /^did you mean "tfc view"\?/],
  // An unknown command is the mistake, whatever flags follow it: they belong to the command meant.
  ['unknown command with a flag of the command meant', ['dif', '--all'], /^unknown command "dif"$/, /^did you mean "diff"\?/],
  ['unknown command with flags and values', ['genrate', '--all', '--category', 'test'], /^unknown command "genrate"$/, /^did you mean "generate"\?/],
  ['unknown subcommand with flags', ['tfc', 'snyc', '--all', '--yes'], /^unknown command "tfc snyc"$/, /^did you mean "tfc sync"\?/],
  ['unknown command with an unknown flag after it', ['dif', '--bogus', '--all'], /^unknown command "dif"$/, /^did you mean "diff"\?/],
  ['unknown command after an unknown flag', ['--bogus', 'dif', '--all'], /^unknown command "dif"$/, /^did you mean "diff"\?/],
  ['an argument to a command that takes none', ['fleet', 'sams'], /^unexpected argument "sams"$/, /^run "msp fleet --help" for usage$/],
  ['an argument to schema', ['schema', 'foo'], /^unexpected argument "foo"$/, /^run "msp schema --help" for usage$/],
  [
    'an argument to a topic command that takes none',
    ['gh-actions', 'subscription-matrix', 'extra'],
    /^unexpected argument "extra"$/,
    /^run "msp gh-actions subscription-matrix --help" for usage$/,
  ],
  ['a misspelt --version', ['--versoin'], /^unknown flag --versoin before any command$/, /^did you mean --version\?/],
  ['an unknown flag before the command', ['--bogus', 'logs', 'cody-analytics', 'prod'], /^unknown flag --bogus$/, /--help/],
  ["the command's own flag before it (not an unknown command)", ['--category', 'test', 'generate'], /^'--category' can only be used with '--all'$/, /--all/],
]

describe('usage errors, text mode', () => {
  it.each(cases)('%s: Error + hint (+ usage), exit 2', async (_what, args, message, hint) => {
    const r = await runMsp([...args, '--repo', repo], {env: {TFE_ADDRESS: 'http://127.0.0.1:9'}})
    expect(r.code, r.stderr).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines.length, r.stderr).toBeGreaterThanOrEqual(2)
    expect(lines.length, r.stderr).toBeLessThanOrEqual(3)
    expect(lines[0]!.replace(/^Error: /, ''), r.stderr).toMatch(message)
    expect(lines[0]).toMatch(/^Error: /)
    expect(lines[1]!.replace(/^hint: /, ''), r.stderr).toMatch(hint)
    expect(lines[1]).toMatch(/^hint: /)
    if (lines[2] !== undefined) expect(lines[2]).toMatch(/^usage: msp \S/)
    expect(r.stderr).not.toContain('›')
    expect(r.stderr).not.toMatch(/USAGE|FLAGS|See more help/)
  })
})

describe('the version', () => {
  it('-v, version and --version print the same line, exit 0', async () => {
    const runs = await Promise.all([['-v'], ['version'], ['--version'], ['--debug', '--version']].map((a) => runMsp(a)))
    const expected = /^msp-cli\/\d+\.\d+\.\d+ \S+ node-v\d+/
    for (const r of runs) expect(r).toMatchObject({code: 0, stderr: '', stdout: runs[0]!.stdout})
    expect(runs[0]!.stdout).toMatch(expected)
  })
})

describe('usage errors, --json mode', () => {
  it.each(cases)('%s: one compact {"error": …} document, exit 2', async (_what, args, message, hint) => {
    const r = await runMsp([...args, '--json', '--repo', repo], {env: {TFE_ADDRESS: 'http://127.0.0.1:9'}})
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(r.stderr).toBe('')
    expect(r.stdout.length).toBeLessThan(2048)
    // One compact document: a single line.
    expect(r.stdout.endsWith('\n') && !r.stdout.slice(0, -1).includes('\n'), r.stdout).toBe(true)
    const doc = JSON.parse(r.stdout) as {error: Record<string, unknown>}
    expect(Object.keys(doc)).toEqual(['error'])
    expect(doc.error).toMatchObject({kind: 'UsageError', exitCode: 2})
    expect(doc.error.message).toMatch(message)
    expect(doc.error.hint).toMatch(hint)
    // Nothing of oclif's internals (config, package.json, manifest, home paths).
    expect(r.stdout).not.toMatch(/"(parse|oclif|config|pjson|context)"/)
  })

  it.each([['handbook'], ['handbook', '--check'], ['operations'], ['schema'], ['tfc', 'graph'], ['completion'], ['gh-actions', 'subscription-matrix']])(
    'msp %s accepts the global --json (an error is the JSON document)',
    async (...words) => {
      const r = await runMsp([...words, '--json', '--bogus', '--repo', repo])
      expect(r.code).toBe(2)
      expect(JSON.parse(r.stdout).error).toMatchObject({kind: 'UsageError', message: 'unknown flag --bogus'})
    },
  )

  it('--csv with --json is an exclusive-flags error in the JSON format', async () => {
    const r = await runMsp(['fleet', '--csv', '--json', '--repo', repo])
    expect(r.code).toBe(2)
    expect(r.stdout.length).toBeLessThan(2048)
    expect(JSON.parse(r.stdout).error).toMatchObject({kind: 'UsageError', message: '--json cannot be used together with --csv', exitCode: 2})
  })
})
