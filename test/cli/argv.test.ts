/**
 * The original's flag syntax (urfave/cli): `-flag`, `-flag=value` and `--flag` alike, `-h` for help,
 * global flags before the command, booleans with `=true`/`=false` — through the real binary, plus a
 * table of the normalisation itself against the built oclif manifest.
 */
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {normalizeArgv, readManifest, type ManifestLike} from '../../src/cli/argv.js'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'
import {TfcFake} from '../cloud/fakes/tfc-fake.js'

const manifest = readManifest(new URL(`file://${join(repoDir, 'oclif.manifest.json')}`)) as ManifestLike
const TOKEN = 'tfc-argv-test-token'

describe('normalizeArgv (driven by oclif.manifest.json)', () => {
  it.each<[string, string[], string[]]>([
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
    ['-h anywhere', ['tfc', 'sync', '-h'], ['tfc', 'sync', '--help']],
    ['-h alone', ['-h'], ['--help']],
    ['global flags before the command move behind it', ['--repo', 'DIR', 'logs', 'a', 'b'], ['logs', '--repo', 'DIR', 'a', 'b']],
    ['one-dash global flag with =value before a topic command', ['-repo=DIR', 'tfc', 'view'], ['tfc', 'view', '--repo=DIR']],
    ['an alias', ['gen', '-all'], ['gen', '--all']],
    ['nothing after -- is touched', ['logs', 'a', '--', '-h', '-all'], ['logs', 'a', '--', '-h', '-all']],
    ['the value of an option is never rewritten', ['init', 'x', '-name', '-h'], ['init', 'x', '--name', '-h']],
    ['the words given to shell completion are left as typed', ['__complete', 'logs', '-comp', '-h'], ['__complete', 'logs', '-comp', '-h']],
  ])('%s', (_what, argv, expected) => {
    expect(normalizeArgv(argv, manifest)).toEqual({argv: expected})
  })

  it('reports a boolean value that is neither true nor false', () => {
    expect(normalizeArgv(['generate', '--all=maybe'], manifest).problem?.message).toBe('--all takes true or false, not "maybe"')
  })

  it('without a manifest the argv is left alone', () => {
    expect(normalizeArgv(['generate', '-all'], undefined)).toEqual({argv: ['generate', '-all']})
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
    const ids = Object.keys(manifest.commands).filter((id) => !id.startsWith('__'))
    const visible = ids.filter((id) => !(manifest.commands[id] as {hidden?: boolean}).hidden)
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
