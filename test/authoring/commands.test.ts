import {spawn, spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo, repoDir} from '../helpers/paths.js'

// In-process runs of the built CLI (test/helpers/in-process.ts: the bytes and exit code of `node bin/run.js`),
// outside any repository unless --repo or the working directory names one. Only the prompts on a real
// terminal and the completion script inside a real bash spawn a process: there the terminal and the
// shell calling msp are the behaviour.
function msp(args: string[], options: {cwd?: string; input?: string} = {}) {
  return runMsp(args, {cwd: options.cwd ?? tmpdir(), input: options.input, env: {MSP_REPO_ROOT: '', SG_MSP_FORCE_REPO_ROOT: ''}})
}

function exampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'msp-cmd-'))
  cpSync(examplesRepo, dir, {recursive: true})
  return dir
}

describe('msp init / init-env (acceptance)', () => {
  it('init demo --owner core-services --kind service --dev --yes, then validate demo exits 0; init-env demo prod keeps every comment', async () => {
    const repo = exampleCopy()
    const init = await msp(['init', 'demo', '--owner', 'core-services', '--kind', 'service', '--dev', '--yes', '--repo', repo])
    expect(init).toMatchObject({code: 0, stdout: ''})
    expect(init.stderr).toContain('Rendered service template spec in services/demo/service.yaml')
    expect((await msp(['validate', 'demo', '--repo', repo])).code).toBe(0)

    const file = join(repo, 'services/demo/service.yaml')
    const before = readFileSync(file, 'utf8')
    const initEnv = await msp(['init-env', 'demo', 'prod', '--repo', repo])
    expect(initEnv.code).toBe(0)
    expect(initEnv.stderr).toContain('Initialized environment "prod" in services/demo/service.yaml')
    const after = readFileSync(file, 'utf8')
    expect(after.startsWith(before)).toBe(true)
    const comments = before.split('\n').filter((l) => l.trimStart().startsWith('#'))
    expect(comments.length).toBeGreaterThan(8)
    for (const c of comments) expect(after.split('\n')).toContain(c)
    expect((await msp(['validate', '--repo', repo])).code).toBe(0)
  })

  it('init --json prints one document with the file and project id', async () => {
    const repo = exampleCopy()
    const r = await msp(['init', 'nightly', '--owner', 'data', '--kind', 'job', '--json', '--repo', repo])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      file: 'services/nightly/service.yaml',
      service: 'nightly',
      kind: 'job',
      environment: 'prod',
      projectID: expect.stringMatching(/^nightly-prod-[0-9a-f]{4}$/),
    })
  })

  it.each([
    ['a missing owner without a terminal is a usage error', ['init', 'demo', '--yes'], 2, 'missing --owner'],
    ['a missing id without a terminal is a usage error', ['init', '--owner', 'x'], 2, 'missing the service id argument'],
    ['an unknown kind is rejected by the flag parser', ['init', 'demo', '--owner', 'x', '--kind', 'cron'], 2, 'invalid value "cron" for --kind'],
    ['a suffix length below 2 is rejected', ['init', 'demo', '--owner', 'x', '--project-id-suffix-length', '1'], 2, 'greater than or equal to 2'],
    ['an existing service is never overwritten', ['init', 'hello-api', '--owner', 'x', '--yes'], 1, 'service "hello-api" already exists'],
    ['an existing environment is refused', ['init-env', 'hello-api', 'dev'], 1, 'environment "dev" already exists for service "hello-api"'],
    ['init-env without an env id and without a terminal is a usage error', ['init-env', 'hello-api'], 2, 'missing the environment id argument'],
  ])('%s', async (_name, args, code, message) => {
    const repo = exampleCopy()
    const r = await msp([...args, '--repo', repo])
    expect(r.code).toBe(code)
    expect(r.stderr).toContain(message)
    expect(r.stdout).toBe('')
    expect(existsSync(join(repo, 'services/demo'))).toBe(false)
  })
})

describe('msp fleet', () => {
  it('prints every service environment as RFC 4180 CSV, filtered by owner, in a deterministic order', async () => {
    const repo = exampleCopy()
    const r = await msp(['fleet', '--csv', '--owner', 'billing', '--repo', repo])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      [
        'service,owner,kind,env,category,project,region,domain,resources',
        'ledger-compactor,billing,job,dev,test,ledger-compactor-dev-5e6f,us-central1,,',
        'ledger-compactor,billing,job,prod,internal,ledger-compactor-prod-a1b2,us-central1,,postgresql',
        'usage-ledger,"billing,core-services",service,dev,test,usage-ledger-dev-0d3f,us-central1,usage-ledger.sgdev.org,"postgresql,redis,bigquery"',
        'usage-ledger,"billing,core-services",service,prod,external,usage-ledger-prod-7c1e,us-central1,' +
          'usage-ledger.sourcegraph.com,"postgresql,redis,bigquery"',
        '',
      ].join('\r\n'),
    )
  })

  it('prints a table by default and JSON with --json, filtered by category', async () => {
    const repo = exampleCopy()
    const table = await msp(['fleet', '--category', 'external', '--repo', repo])
    expect(table.code).toBe(0)
    expect(table.stdout.split('\n')[0]).toMatch(/^SERVICE\s+OWNER\s+KIND\s+ENV\s+CATEGORY\s+PROJECT\s+REGION\s+DOMAIN\s+RESOURCES$/)
    expect(table.stdout.trim().split('\n')).toHaveLength(3)
    const json = JSON.parse((await msp(['fleet', '--category', 'external', '--json', '--repo', repo])).stdout)
    expect(json.environments.map((e: {service: string; environment: string}) => `${e.service}/${e.environment}`)).toEqual([
      'hello-api/prod',
      'usage-ledger/prod',
    ])
  })

  it('refuses --csv with --json', async () => {
    expect((await msp(['fleet', '--csv', '--json', '--repo', exampleCopy()])).code).toBe(2)
  })

  it('fails with every issue of every invalid spec rather than listing a partial fleet', async () => {
    const repo = exampleCopy()
    writeFileSync(join(repo, 'services/hello-api/service.yaml'), 'service:\n  id: hello-api\n')
    const r = await msp(['fleet', '--repo', repo])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('services/hello-api/service.yaml:')
    expect(r.stdout).toBe('')
  })
})

describe('shell completion', () => {
  it.each(['bash', 'zsh', 'fish'])('msp completion %s prints a script that calls msp __complete', async (shell) => {
    const r = await msp(['completion', shell])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('msp __complete -- ')
  })

  it('lists service ids, then environment ids, then open targets from the repo in the working directory', async () => {
    const repo = exampleCopy()
    expect((await msp(['__complete', '--', 'logs', ''], {cwd: join(repo, 'services')})).stdout).toBe('hello-api\nledger-compactor\nusage-ledger\n')
    expect((await msp(['__complete', '--', 'tfc', 'view', 'hello-api', ''], {cwd: repo})).stdout).toBe('dev\nprod\n')
    expect((await msp(['__complete', '--', 'open', 'hello-api', 'prod', 'ent'], {cwd: repo})).stdout).toBe('entitle-read\nentitle-write\n')
  })

  it('offers existing ids only where an existing one is expected (not for the new ids of init and init-env)', async () => {
    const repo = exampleCopy()
    expect((await msp(['__complete', '--', 'init', ''], {cwd: repo})).stdout).toBe('')
    expect((await msp(['__complete', '--', 'init-env', 'hello-api', ''], {cwd: repo})).stdout).toBe('')
    expect((await msp(['__complete', '--', 'init-env', 'h'], {cwd: repo})).stdout).toBe('hello-api\n')
  })

  it('uses --repo from the line and prints nothing (exit 0) outside a repository', async () => {
    const repo = exampleCopy()
    expect((await msp(['__complete', '--', 'init-env', '--repo', repo, 'u'])).stdout).toBe('usage-ledger\n')
    expect(await msp(['__complete', '--', 'logs', ''], {cwd: tmpdir()})).toMatchObject({code: 0, stdout: ''})
  })

  it('completes in a real bash through the generated script', async () => {
    const repo = exampleCopy()
    const script = (await msp(['completion', 'bash'])).stdout.replaceAll('$(msp ', `$(${process.execPath} ${join(repoDir, 'bin/run.js')} `)
    const probe = `${script}\nCOMP_LINE='msp logs usage-ledger '; COMP_POINT=\${#COMP_LINE}; _msp_complete; echo "\${COMPREPLY[*]}"`
    // --norc: bash reads ~/.bashrc when its stdin is a socket (as Node's pipes are), as if sshd had started it; the user's rc files are not the test's.
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', probe], {cwd: repo, encoding: 'utf8'})
    expect(r.stdout.trim()).toBe('dev prod')
  })
})

/** Runs msp in a real pseudo-terminal (via `script`), typing `input` ahead; resolves with exit code and transcript. */
async function mspInTerminal(args: string[], input: string, options: {endInput?: boolean} = {}): Promise<{code: number | null; transcript: string}> {
  const child = spawn('script', ['-qec', [process.execPath, join(repoDir, 'bin/run.js'), ...args].join(' '), '/dev/null'], {
    env: {...process.env, NO_COLOR: '1'},
  })
  let transcript = ''
  child.stdout.on('data', (c) => (transcript += String(c)))
  // Typed-ahead answers are buffered by the terminal and read one line per question.
  child.stdin.write(input)
  // Closing our end makes `script` send end-of-input to the terminal right behind the answers.
  if (options.endInput) child.stdin.end()
  const code = await new Promise<number | null>((done) => child.on('close', done))
  child.stdin.destroy()
  return {code, transcript}
}

describe('msp init / init-env in a terminal', () => {
  it('init asks every question when run without arguments and writes what was answered', async () => {
    const repo = exampleCopy()
    // id, name (default), owner, dev? y, kind, confirm (default yes)
    const {code, transcript} = await mspInTerminal(['init', '--repo', repo], 'nightly\n\ncore-services\ny\njob\n\n')
    expect(code).toBe(0)
    for (const q of [
      'Service ID:',
      'Service name',
      'Service owner:',
      "Start with a 'dev' environment (y/N):",
      'Service kind',
      'Write services/nightly/service.yaml? (Y/n)',
    ]) {
      expect(transcript).toContain(q)
    }
    const text = readFileSync(join(repo, 'services/nightly/service.yaml'), 'utf8')
    expect(text).toContain('  kind: job\n  id: nightly\n  name: Nightly\n  owners:\n    - core-services\n')
    expect(text).toMatch(/\n {2}- id: dev\n {4}projectID: nightly-dev-[0-9a-f]{4}\n/)
  })

  it('init keeps every answer typed ahead in one go, even when the input ends right after them', async () => {
    const repo = exampleCopy()
    // All six answers (id, name, owner, dev?, kind, confirmation) arrive at once, before the first
    // question is printed, followed by end of input: none may be lost ("no answer was given").
    const {code, transcript} = await mspInTerminal(['init', '--repo', repo], 'typed-ahead\nTyped Ahead\ndata\nn\nservice\ny\n', {endInput: true})
    expect(transcript).not.toContain('no answer was given')
    expect(code).toBe(0)
    const text = readFileSync(join(repo, 'services/typed-ahead/service.yaml'), 'utf8')
    expect(text).toContain('\nservice:\n  id: typed-ahead\n  name: Typed Ahead\n  owners:\n    - data\n')
    expect(text).not.toContain('kind: job')
    expect(text).toMatch(/\n {2}- id: prod\n {4}projectID: typed-ahead-prod-[0-9a-f]{4}\n/)
  })

  it('init asks a question again after a bad answer, with did-you-mean, keeping the earlier answers', async () => {
    const repo = exampleCopy()
    // id, name (default), owner, dev? y, kind "jbo" (asked again), "job", confirm (default yes)
    const {code, transcript} = await mspInTerminal(['init', '--repo', repo, '--no-schema'], 'nightly\n\ncore-services\ny\njbo\njob\n\n')
    expect(code).toBe(0)
    expect(transcript).toContain('unsupported service kind: "jbo"')
    expect(transcript).toContain('hint: did you mean "job"? valid values: service, job')
    expect(transcript.split('Service kind').length - 1).toBe(2)
    const text = readFileSync(join(repo, 'services/nightly/service.yaml'), 'utf8')
    expect(text).toContain('  kind: job\n  id: nightly\n  name: Nightly\n  owners:\n    - core-services\n')
    expect(text).toMatch(/\n {2}- id: dev\n/)
  })

  it('init writes nothing when the confirmation is answered no (exit 130)', async () => {
    const repo = exampleCopy()
    const {code} = await mspInTerminal(['init', 'demo', '--owner', 'core-services', '--repo', repo], '\nn\n')
    expect(code).toBe(130)
    expect(existsSync(join(repo, 'services/demo'))).toBe(false)
  })

  it('init-env asks for the environment id when it is missing', async () => {
    const repo = exampleCopy()
    const {code, transcript} = await mspInTerminal(['init-env', 'hello-api', '--repo', repo], 'staging\n')
    expect(code).toBe(0)
    expect(transcript).toContain('Environment ID:')
    expect(readFileSync(join(repo, 'services/hello-api/service.yaml'), 'utf8')).toMatch(/\n {2}- id: staging\n {4}projectID: hello-api-staging-[0-9a-f]{4}\n/)
  })
})
