/**
 * The original's flag syntax (urfave/cli): `-flag`, `-flag=value` and `--flag` alike, `-h` for help,
 * global flags before the command, booleans with `=true`/`=false` — through the real binary, plus a
 * table of the reading of the command line itself (grammar.ts) against the built oclif manifest.
 */
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {commandLineOf, readCommandTable} from '../../src/cli/argv.js'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'
import {TfcFake} from '../cloud/fakes/tfc-fake.js'

const table = readCommandTable(new URL(`file://${join(repoDir, 'oclif.manifest.json')}`))

/** The command line as oclif receives it: the command id's words, then the normalised rest; or what else it asks for. */
function normalised(argv: string[]): string[] | string {
  const line = commandLineOf(argv, table)
  if (line.kind === 'command') return [...line.command.id.split(':'), ...line.argv]
  if (line.kind === 'help') return `help ${line.id}`.trim()
  if (line.kind === 'misuse') return `misuse: ${line.misuse.message}`
  return line.kind
}
const TOKEN = 'tfc-argv-test-token'

describe('reading the command line (driven by oclif.manifest.json)', () => {
  it.each<[string, string[], string[] | string]>([
    ['one-dash boolean', ['generate', '-all'], ['generate', '--all']],
    ['one-dash option with =value', ['generate', '-all', '-category=test'], ['generate', '--all', '--category=test']],
    ['one-dash option with a separate value', ['generate', '-category', 'test', '-all'], ['generate', '--category', 'test', '--all']],
    ['-output is the long flag, never -o utput', ['schema', '-output', 'x.json'], ['schema', '--output', 'x.json']],
    ['-o with =value', ['schema', '-o=x.json'], ['schema', '--output=x.json']],
    ['an unknown one-dash word is an unknown long flag', ['schema', '-outpt', 'x'], ['schema', '--outpt', 'x']],
    ['the short -c of logs', ['logs', '-c', 'service', 'a', 'b'], ['logs', '--component', 'service', 'a', 'b']],
    ['-component=service', ['logs', '-component=service', 'a', 'b'], ['logs', '--component=service', 'a', 'b']],
    ['--all=true', ['generate', '--all=true'], ['generate', '--all']],
    ['--json=false drops the flag', ['fleet', '--json=false'], ['fleet']],
    ['--open=false on a negatable boolean', ['logs', 'a', 'b', '--open=false'], ['logs', 'a', 'b', '--no-open']],
    ['-no-open', ['logs', 'a', 'b', '-no-open'], ['logs', 'a', 'b', '--no-open']],
    ['-h anywhere', ['tfc', 'sync', '-h'], 'help tfc:sync'],
    ['-h alone', ['-h'], 'help'],
    ['help <command>', ['help', 'tfc', 'view'], 'help tfc:view'],
    ['a topic alone is its help', ['tfc'], 'help tfc'],
    ['global flags before the command move behind it', ['--repo', 'DIR', 'logs', 'a', 'b'], ['logs', '--repo', 'DIR', 'a', 'b']],
    ['one-dash global flag with =value before a topic command', ['-repo=DIR', 'tfc', 'view'], ['tfc', 'view', '--repo=DIR']],
    ['a command word as the value of a global flag', ['--repo', 'open', 'logs', 'a', 'b'], ['logs', '--repo', 'open', 'a', 'b']],
    ["the command's own flag before it", ['--category', 'test', 'generate', '--all'], ['generate', '--category', 'test', '--all']],
    ["the command's own flag before it, after a global one", ['-repo', 'R', '-all', 'generate'], ['generate', '--repo', 'R', '--all']],
    ['an unknown flag before the command is reported by the command', ['--bogus', 'logs', 'a', 'b'], ['logs', '--bogus', 'a', 'b']],
    ['an alias', ['gen', '-all'], ['generate', '--all']],
    ['extra arguments stay arguments of the command', ['fleet', 'sams'], ['fleet', 'sams']],
    ['extra arguments of a topic command', ['gh-actions', 'subscription-matrix', 'extra'], ['gh-actions', 'subscription-matrix', 'extra']],
    ['nothing after -- is touched', ['logs', 'a', '--', '-h', '-all'], ['logs', 'a', '--', '-h', '-all']],
    ['the value of an option is never rewritten', ['init', 'x', '-name', '-h'], ['init', 'x', '--name', '-h']],
    ['-v', ['-v'], 'version'],
    ['version', ['version'], 'version'],
    ['--version', ['--version'], 'version'],
    ['--version after a global flag', ['--debug', '--version'], 'version'],
    ['a misspelt --version is an unknown flag', ['--versoin'], 'misuse: unknown flag --versoin before any command'],
    ['an unknown command', ['fleeet'], 'misuse: unknown command "fleeet"'],
    ['an unknown command after a global flag', ['--repo', 'X', 'nope'], 'misuse: unknown command "nope"'],
    ['an unknown subcommand', ['tfc', 'nope'], 'misuse: unknown command "tfc nope"'],
    ['an unknown command followed by flags', ['dif', '--all', '-category=test'], 'misuse: unknown command "dif"'],
    ['an unknown subcommand followed by flags', ['tfc', 'snyc', '-all'], 'misuse: unknown command "tfc snyc"'],
    ['a topic followed by an unknown flag', ['tfc', '--bogus'], 'misuse: unknown flag --bogus'],
    ['version followed by an unknown flag', ['version', '--bogus'], 'misuse: unknown flag --bogus'],
    ['a boolean with a value that is neither true nor false', ['generate', '--all=maybe'], 'misuse: --all takes true or false, not "maybe"'],
    ['the words given to shell completion are left as typed', ['__complete', 'logs', '-comp', '-h'], 'complete'],
  ])('%s', (_what, argv, expected) => {
    expect(normalised(argv)).toEqual(expected)
  })

  it('the words given to shell completion reach it as typed', () => {
    expect(commandLineOf(['__complete', '--', 'logs', '-comp', '-h'], table)).toEqual({kind: 'complete', words: ['logs', '-comp', '-h']})
  })

  it('suggests the closest command and the closest flag', () => {
    const command = commandLineOf(['fleeet'], table)
    expect(command.kind === 'misuse' && command.misuse.suggestion).toBe('fleet')
    const flag = commandLineOf(['--versoin'], table)
    expect(flag.kind === 'misuse' && flag.misuse.suggestion).toBe('--version')
    const v = commandLineOf(['-v'], table)
    expect(v.kind).toBe('version')
  })
})

describe('the original syntax through the real binary', () => {
  let repo: string
  let outside: string
  beforeAll(() => {
    repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
    outside = mkdtempSync(join(tmpdir(), 'msp-argv-cwd-'))
  })
  afterAll(() => {
    rmSync(repo, {recursive: true, force: true})
    rmSync(outside, {recursive: true, force: true})
  })

  it('generate -all, then generate -all -category=test -check, then --all=true --check', async () => {
    const all = await runMsp(['generate', '-all', '-repo', repo])
    expect(all.code, all.stderr).toBe(0)
    expect(existsSync(join(repo, 'services/gatekeeper/terraform/prod/stacks/cloudrun/cdk.tf.json'))).toBe(true)
    const testOnly = await runMsp(['generate', '-all', '-category=test', '-check', '-repo', repo])
    expect(testOnly.code, testOnly.stderr).toBe(0)
    expect(testOnly.stderr).toContain('[cody-analytics] dev (test)')
    expect(testOnly.stderr).not.toContain('prod (')
    const check = await runMsp(['generate', '--all=true', '--check=true', '--json=false', '--repo', repo])
    expect(check.code, check.stderr).toBe(0)
    expect(check.stdout).toBe('')
  })

  it('schema -output FILE writes FILE and never a file named "utput"', async () => {
    const r = await runMsp(['schema', '-output', 'service.schema.json'], {cwd: outside})
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(outside, 'service.schema.json'), 'utf8')).$schema).toMatch(/json-schema/)
    const typo = await runMsp(['schema', '-outpt', 'typo.json'], {cwd: outside})
    expect(typo.code).toBe(2)
    const short = await runMsp(['schema', '-o=short.json'], {cwd: outside})
    expect(short.code, short.stderr).toBe(0)
    expect(readdirSync(outside).sort()).toEqual(['service.schema.json', 'short.json'])
  })

  it('logs -component=service and -c service (the original: -component/-c, default service)', async () => {
    const expected = await runMsp(['logs', 'cody-analytics', 'prod', '--no-open', '--repo', repo])
    expect(expected.code).toBe(0)
    expect(expected.stdout).toMatch(/^https:\/\/console\.cloud\.google\.com\/logs\/query;/)
    for (const args of [
      ['logs', '-component=service', 'cody-analytics', 'prod', '-no-open'],
      ['logs', '-c', 'service', 'cody-analytics', 'prod', '--open=false'],
    ]) {
      const r = await runMsp([...args, '-repo', repo], {env: {MSP_NO_FAST_PATH: '1'}})
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toBe(expected.stdout)
    }
    const other = await runMsp(['logs', '-component=database', 'cody-analytics', 'prod', '--repo', repo])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('Error: invalid value "database" for --component')
  })

  it('msp --repo DIR <command> from outside the repository', async () => {
    const r = await runMsp(['--repo', repo, 'logs', 'cody-analytics', 'prod', '--no-open'], {cwd: outside})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('project=cody-analytics-prod-')
    const v = await runMsp(['-repo', repo, 'validate'], {cwd: outside})
    expect(v.code, v.stderr).toBe(0)
    const tfc = await runMsp(['--repo', repo, 'tfc', 'view', 'cody-analytics', '--no-open'], {cwd: outside})
    expect(tfc.stdout).toBe('https://app.terraform.io/app/sourcegraph/workspaces?tag=msp-service-cody-analytics\n')
  })

  it('-h is help for the root, every topic and every command', async () => {
    const ids = table.commands.map((c) => c.id).filter((id) => !id.startsWith('__'))
    const visible = ids.filter((id) => !table.find(id)!.hidden)
    const topics = [...new Set(visible.filter((id) => id.includes(':')).map((id) => id.split(':')[0]!))]
    for (const words of [[], ...topics.map((t) => [t]), ...ids.map((id) => id.split(':'))]) {
      const r = await runMsp([...words, '-h'], {cwd: outside})
      expect(r.code, `${words.join(' ')} -h\n${r.stderr}`).toBe(0)
      expect(r.stdout, words.join(' ')).toMatch(/USAGE|COMMANDS/)
      expect(r.stderr).toBe('')
    }
  }, 120_000)

  describe('tfc sync -all against the Terraform Cloud fake', () => {
    let fake: TfcFake
    beforeEach(async () => {
      fake = await TfcFake.start({token: TOKEN})
    })
    afterEach(() => fake.close())

    it('tfc sync -all -yes -workspace-run-mode=cli SERVICE syncs every environment', async () => {
      const r = await runMsp(['tfc', 'sync', '-all', '-yes', '-workspace-run-mode=cli', 'cody-analytics', '-repo', repo], {
        env: {TFE_ADDRESS: fake.address, TFE_TOKEN: TOKEN},
      })
      expect(r.code, r.stderr).toBe(0)
      expect(fake.workspaces.size).toBe(10)
    })
  })
})
