/**
 * Completion through the real shells, as a user gets it: `msp completion <shell>` installed the way
 * the README says, then the shell's own completion machinery asks `msp` (the built binary, on PATH)
 * for the candidates. bash: the function `complete -F` registers, called with COMP_LINE/COMP_POINT
 * as bash sets them. fish: `complete -C`, fish's own completion of a command line. zsh: the file
 * placed in $fpath and autoloaded as compinit does (`autoload -Uz _msp`), then called once, as the
 * first TAB of a new shell calls it, with compsys's `_describe`/`_files` recorded. zsh and fish are
 * installed by .ci/run; under CI their absence fails the test instead of skipping it.
 *
 * The shell calling the binary is the behaviour, so every completion runs a real `msp` process; the
 * script each shell sources is printed once per shell, in-process (the bytes of `msp completion <shell>`).
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'

let work: string
let repo: string
let env: NodeJS.ProcessEnv
const scripts = new Map<string, string>()

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'msp-shells-'))
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
  mkdirSync(join(work, 'bin'))
  const msp = join(work, 'bin/msp')
  writeFileSync(msp, `#!/bin/sh\nexec "${process.execPath}" "${join(repoDir, 'bin/run.js')}" "$@"\n`)
  chmodSync(msp, 0o755)
  env = {...process.env, PATH: `${join(work, 'bin')}:${process.env.PATH}`, NODE_ENV: 'production', HOME: work}
  delete env.MSP_NO_FAST_PATH
  for (const shell of ['bash', 'fish', 'zsh']) {
    const printed = await runMsp(['completion', shell], {env: {PATH: env.PATH, HOME: work, MSP_NO_FAST_PATH: undefined}})
    expect(printed).toMatchObject({code: 0, stderr: ''})
    scripts.set(shell, printed.stdout)
  }
})
afterAll(() => {
  rmSync(work, {recursive: true, force: true})
  rmSync(repo, {recursive: true, force: true})
})

const script = (shell: string) => scripts.get(shell)!

// [what is typed, the candidates offered]
const cases: [string, string[]][] = [
  ['msp lo', ['logs']],
  ['msp tfc ', ['graph', 'sync', 'view']],
  ['msp logs ', ['cody-analytics', 'gatekeeper']],
  ['msp --debug logs ', ['cody-analytics', 'gatekeeper']],
  ['msp --repo REPO logs cody-analytics ', ['dev', 'prod']],
  ['msp validate cody-analytics ', ['gatekeeper']],
  ['msp fleet --category ', ['test', 'internal', 'external']],
  ['msp help tf', ['tfc']],
]

describe('bash', () => {
  it.each(cases)('%s<TAB>', (typed, expected) => {
    const line = typed.replace('REPO', repo)
    const file = join(work, 'msp.bash')
    writeFileSync(file, script('bash'))
    const out = execFileSync(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `source "${file}"; COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}; _msp_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        line,
      ],
      {env, cwd: repo, encoding: 'utf8'},
    )
    expect(out.split('\n').filter(Boolean)).toEqual(expected)
  })
})

describe('fish', () => {
  it('is installed under CI', () => {
    if (process.env.CI === 'true') expect(has('fish')).toBe(true)
  })
  it.runIf(has('fish')).each(cases)('%s<TAB>, with descriptions', (typed, expected) => {
    const file = join(work, 'msp.fish')
    writeFileSync(file, script('fish'))
    const out = execFileSync('fish', ['--no-config', '-c', `source ${file}; complete -C $argv[1]`, typed.replace('REPO', repo)], {
      env,
      cwd: repo,
      encoding: 'utf8',
    })
    expect(
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
        .sort(),
    ).toEqual([...expected].sort())
  })
  it.runIf(has('fish'))('shows what each open target is', () => {
    const file = join(work, 'msp.fish')
    writeFileSync(file, script('fish'))
    const out = execFileSync('fish', ['--no-config', '-c', `source ${file}; complete -C 'msp open gatekeeper prod '`], {env, cwd: repo, encoding: 'utf8'})
    expect(out).toContain('alerts\tMonitoring alert policies\n')
  })
})

describe('zsh', () => {
  it('is installed under CI', () => {
    if (process.env.CI === 'true') expect(has('zsh')).toBe(true)
  })
  it.runIf(has('zsh')).each(cases)('%s<TAB> on the first TAB of a new shell (the README install line, autoloaded)', (typed, expected) => {
    const dir = join(work, 'fpath')
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, '_msp'), script('zsh'))
    const words = typed.replace('REPO', repo).split(' ')
    const body = [
      `fpath=(${dir} $fpath)`,
      'autoload -Uz _msp',
      // compsys's helpers, recorded: what _msp offers is what the user sees.
      '_describe() { print -rl -- "${(@P)${@[-1]}}"; }',
      '_files() { print FILES; }',
      'compdef() { print "compdef $*"; }',
      'words=("$@")',
      'CURRENT=$#words',
      '_msp',
    ].join('\n')
    const out = execFileSync('zsh', ['-f', '-c', body, 'zsh', ...words], {env, cwd: repo, encoding: 'utf8'})
    expect(
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':')[0]!.replaceAll('\\', '')),
    ).toEqual(expected)
  })
  it.runIf(has('zsh'))('sourced, it registers itself and completes nothing yet', () => {
    const file = join(work, 'msp.zsh')
    writeFileSync(file, script('zsh'))
    const out = execFileSync('zsh', ['-f', '-c', `compdef() { print "compdef $*"; }; source ${file}`], {env, cwd: repo, encoding: 'utf8'})
    expect(out).toBe('compdef _msp msp\n')
  })
})
