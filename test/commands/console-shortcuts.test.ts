import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {examplesRepo, seedPage} from '../helpers/paths.js'

const seed = readFileSync(seedPage, 'utf8')
/** The "Service logs" links of the published page, dev first then prod. */
const seedLogs = [...seed.matchAll(/^\| Service logs +\| \[GCP logging\]\(([^)]+)\)/gm)].map((m) => m[1])

let repo: string
let cache: string
beforeAll(() => {
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
  cache = mkdtempSync(join(tmpdir(), 'msp-cache-'))
})
afterAll(() => {
  rmSync(repo, {recursive: true, force: true})
  rmSync(cache, {recursive: true, force: true})
})

// Each case runs twice: the first run takes the full oclif path and fills the spec cache, the second
// is answered by the start-up fast path from the cache. Both must print the same bytes.
const both = async (args: string[], env: Record<string, string> = {}) => {
  const first = await runMsp(args, {cwd: repo, env: {MSP_CACHE_DIR: cache, ...env}})
  const second = await runMsp(args, {cwd: repo, env: {MSP_CACHE_DIR: cache, ...env}})
  expect(second).toEqual(first)
  return first
}

describe('msp logs', () => {
  it('prints exactly the published prod "Service logs" URL when stdout is not a terminal', async () => {
    const r = await both(['logs', 'cody-analytics', 'prod', '--no-open'])
    expect(r).toEqual({code: 0, stdout: `${seedLogs[1]}\n`, stderr: ''})
  })

  it('prints the published dev URL, also without --no-open when piped', async () => {
    const r = await both(['logs', 'cody-analytics', 'dev'])
    expect(r.stdout).toBe(`${seedLogs[0]}\n`)
  })

  it('uses the job query for a kind: job service', async () => {
    const expected = /\| Service logs +\| \[GCP logging\]\(([^)]+)\)/.exec(readFileSync(join(repo, 'services/gatekeeper/expected.md'), 'utf8'))![1]
    const r = await both(['logs', 'gatekeeper', 'prod', '-c', 'service'])
    expect(r.stdout).toBe(`${expected}\n`)
    expect(r.stdout).toContain('cloud_run_job')
  })

  it('prints a JSON document with --json', async () => {
    const r = await runMsp(['logs', 'cody-analytics', 'prod', '--json'], {cwd: repo})
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({url: seedLogs[1], service: 'cody-analytics', environment: 'prod'})
  })

  it('works from a subdirectory of the repo and with --repo from elsewhere', async () => {
    const sub = await runMsp(['logs', 'cody-analytics', 'prod'], {cwd: join(repo, 'services/gatekeeper')})
    const flag = await runMsp(['logs', 'cody-analytics', 'prod', '--repo', repo], {cwd: tmpdir()})
    const envVar = await runMsp(['logs', 'cody-analytics', 'prod'], {cwd: tmpdir(), env: {MSP_REPO_ROOT: repo}})
    for (const r of [sub, flag, envVar]) expect(r.stdout).toBe(`${seedLogs[1]}\n`)
  })
})

describe('msp tfc view', () => {
  it('prints the three Terraform Cloud URLs', async () => {
    expect((await both(['tfc', 'view'])).stdout).toBe('https://app.terraform.io/app/sourcegraph/workspaces?tag=msp\n')
    expect((await both(['tfc', 'view', 'cody-analytics'])).stdout).toBe('https://app.terraform.io/app/sourcegraph/workspaces?tag=msp-service-cody-analytics\n')
    expect((await both(['tfc', 'view', 'cody-analytics', 'prod', '--no-open'])).stdout).toBe(
      'https://app.terraform.io/app/sourcegraph/workspaces?tag=msp-env-cody-analytics-prod\n',
    )
  })

  it('rejects an unknown environment (the original silently exited 0)', async () => {
    const r = await both(['tfc', 'view', 'cody-analytics', 'staging'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('unknown environment "staging" of service "cody-analytics"')
    expect(r.stderr).toContain('valid environments of "cody-analytics": dev, prod')
  })
})

describe('msp open', () => {
  it('opens any link by target name and lists the targets an environment has', async () => {
    const r = await both(['open', 'cody-analytics', 'prod', 'traces'])
    expect(r.stdout).toBe('https://console.cloud.google.com/traces/list?project=cody-analytics-prod-da5a\n')
    const list = await runMsp(['open', 'cody-analytics', 'prod'], {cwd: repo})
    expect(list.stdout).toMatch(/^TARGET +WHAT +URL$/m)
    expect(list.stdout).toContain('https://sourcegraph.slack.com/archives/alerts-cody-analytics-prod')
  })

  it('names the targets an environment has when asked for one it lacks', async () => {
    const r = await runMsp(['open', 'cody-analytics', 'prod', 'redis'], {cwd: repo})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('has no "redis" link')
    expect(r.stderr).toMatch(/available targets: run, logs, traces, alerts, dashboards, sentry, slack, domain, tfc/)
  })
})

describe('errors a user can act on', () => {
  it('unknown service: exit 2, did you mean, the list of services, no stack trace', async () => {
    const r = await both(['logs', 'cody-analytic', 'prod'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('Error: unknown service "cody-analytic"\nhint: did you mean "cody-analytics"? valid services: cody-analytics, gatekeeper\n')
  })

  it('unknown environment: exit 2 with the valid ids', async () => {
    const r = await runMsp(['logs', 'cody-analytics', 'prd'], {cwd: repo})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('did you mean "prod"? valid environments of "cody-analytics": dev, prod')
  })

  it('outside a repository: exit 1 naming the managed-services repo and --repo', async () => {
    const r = await runMsp(['logs', 'a', 'b'], {cwd: tmpdir(), env: {MSP_REPO_ROOT: undefined, SG_MSP_FORCE_REPO_ROOT: undefined}})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('sourcegraph/managed-services')
    expect(r.stderr).toContain('--repo')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('bad flags and missing arguments are usage errors (exit 2)', async () => {
    for (const args of [
      ['logs', 'cody-analytics', 'prod', '--bogus'],
      ['logs', 'cody-analytics'],
      ['logs', 'cody-analytics', 'prod', '-c', 'db'],
    ]) {
      const r = await runMsp(args, {cwd: repo})
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('an id that could escape a path is refused before it reaches the file system', async () => {
    const r = await runMsp(['logs', '../../etc', 'prod'], {cwd: repo})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown service "../../etc"')
  })

  it('--json errors are one JSON document on stdout', async () => {
    const r = await runMsp(['logs', 'nope', 'prod', '--json'], {cwd: repo})
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout).error).toMatchObject({
      kind: 'UsageError',
      message: 'unknown service "nope"',
      exitCode: 2,
      valid: ['cody-analytics', 'gatekeeper'],
    })
  })
})

describe('browser', () => {
  it('spawns $BROWSER without a shell, passing the URL as one argument, and prints "Opening" on stderr only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'msp-browser-'))
    const log = join(dir, 'argv.json')
    const recorder = join(dir, 'recorder.js')
    writeFileSync(recorder, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)))\n`)
    chmodSync(recorder, 0o755)
    // A TTY is needed for the browser to be chosen; `script` gives the child a pseudo-terminal. It
    // merges the streams it captures, so the stream-split run sends stderr to a file instead: stdout
    // stays the terminal (the browser is still chosen), and each stream is checked on its own.
    const {spawnSync} = await import('node:child_process')
    const errFile = join(dir, 'stderr.txt')
    const cmd = `${process.execPath} ${join(process.cwd(), 'bin/run.js')} logs cody-analytics prod --repo ${repo}`
    const inTerminal = (extra: Record<string, string>, command = cmd) =>
      spawnSync('script', ['-qec', command, '/dev/null'], {
        env: {...process.env, NODE_ENV: 'production', BROWSER: `${recorder} --new-tab %s`, DISPLAY: ':0', CI: '', ...extra},
        encoding: 'utf8',
      })
    const coloured = inTerminal({NO_COLOR: ''})
    expect(coloured.stdout).toContain('\u001B[36m')
    const r = inTerminal({NO_COLOR: '1'}, `${cmd} 2>${errFile}`)
    expect(r.status).toBe(0)
    for (let i = 0; i < 50 && !existsSyncSafe(log); i++) await new Promise((res) => setTimeout(res, 50))
    expect(JSON.parse(readFileSync(log, 'utf8'))).toEqual(['--new-tab', seedLogs[1]])
    // stdout (the terminal): nothing at all, not even the URL, since the browser took it.
    expect(r.stdout.replace(/\r/g, '')).toBe('')
    // stderr: exactly the "Opening" line, uncoloured.
    expect(readFileSync(errFile, 'utf8')).toBe(`Opening ${seedLogs[1]}\n`)
    rmSync(dir, {recursive: true, force: true})
  })
})

function existsSyncSafe(p: string): boolean {
  try {
    readFileSync(p)
    return true
  } catch {
    return false
  }
}

describe('the bundled example repo', () => {
  it('answers the README quick-start command with a console URL', async () => {
    const r = await runMsp(['logs', 'hello-api', 'prod', '--repo', examplesRepo])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^https:\/\/console\.cloud\.google\.com\/logs\/query;.*\?project=hello-api-prod-91ab\n$/)
  })
})

describe('spec cache behind the fast path', () => {
  it('never answers from a stale entry: an edited spec is re-validated', async () => {
    const own = makeRepoFromFixtures(['cody-analytics'])
    const env = {MSP_CACHE_DIR: cache}
    const spec = join(own, 'services/cody-analytics/service.yaml')
    expect((await runMsp(['logs', 'cody-analytics', 'prod'], {cwd: own, env})).stdout).toContain('project=cody-analytics-prod-da5a')
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('cody-analytics-prod-da5a', 'cody-analytics-prod-beef'))
    expect((await runMsp(['logs', 'cody-analytics', 'prod'], {cwd: own, env})).stdout).toContain('project=cody-analytics-prod-beef')
    // A now-invalid spec is reported by the full loader, not hidden by an old cache entry.
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('category: external', 'category: production'))
    const broken = await runMsp(['logs', 'cody-analytics', 'prod'], {cwd: own, env})
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/services\/cody-analytics\/service\.yaml:\d+:\d+: environments\.1\.category: /)
    rmSync(own, {recursive: true, force: true})
  })
})

describe('help for a missing word', () => {
  it('a missing service or environment id is a usage error that lists the valid ids', async () => {
    const noService = await runMsp(['logs'], {cwd: repo})
    expect(noService).toMatchObject({code: 2, stdout: ''})
    expect(noService.stderr).toContain('valid services: cody-analytics, gatekeeper')
    const noEnv = await runMsp(['open', 'cody-analytics'], {cwd: repo})
    expect(noEnv.code).toBe(2)
    expect(noEnv.stderr).toContain('valid environments of "cody-analytics": dev, prod')
  })

  it('an unknown command names the word and suggests the closest command (exit 2)', async () => {
    const r = await runMsp(['logz', 'cody-analytics', 'prod'], {cwd: repo})
    expect(r).toEqual({code: 2, stdout: '', stderr: 'Error: unknown command "logz"\nhint: did you mean "logs"? run "msp help" for the list of commands\n'})
    const topic = await runMsp(['tfc', 'viw'], {cwd: repo})
    expect(topic.stderr).toContain('did you mean "tfc view"?')
  })
})
