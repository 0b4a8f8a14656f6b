import {execFile, spawn} from 'node:child_process'
import {cpSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fixturesDir, repoDir} from './paths.js'

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs the built CLI (`node bin/run.js`) as a user would: real exit code, separate streams, no TTY.
 * NODE_ENV is reset so oclif runs the compiled dist/ (vitest sets NODE_ENV=test).
 */
export function runMsp(args: readonly string[], options: {cwd?: string; env?: Record<string, string | undefined>; input?: string} = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = {...process.env, NODE_ENV: 'production', NO_COLOR: '1', DEBUG: undefined, CI: undefined, ...options.env}
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k]
    const child = spawn(process.execPath, [join(repoDir, 'bin/run.js'), ...args], {cwd: options.cwd ?? repoDir, env: env as NodeJS.ProcessEnv})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
    child.stdin.end(options.input ?? '')
  })
}

/**
 * A temporary service-definitions repo (with a `.repository` marker) holding the given fixture
 * services of test/fixtures/handbook as `services/<id>/`.
 */
export function makeRepoFromFixtures(ids: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'msp-repo-'))
  writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
  for (const id of ids) cpSync(join(fixturesDir, id), join(root, 'services', id), {recursive: true})
  return root
}

/**
 * Runs the built CLI on `repo` in a clean environment, as the cloud tests need it: no real
 * credentials (HOME and the gcloud config in `home`), no metadata-server probing, no colour; only
 * `env` is added. The exit code is 1 when the process was killed (timeout).
 */
export function runMspIsolated(
  args: readonly string[],
  options: {repo: string; home: string; env: Record<string, string>; timeoutMs?: number},
): Promise<{code: number; stdout: string; stderr: string; ms: number}> {
  const {repo, home} = options
  const started = performance.now()
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [join(repoDir, 'bin/run.js'), ...args, '--repo', repo],
      {
        cwd: repo,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          CLOUDSDK_CONFIG: join(home, 'gcloud'),
          METADATA_SERVER_DETECTION: 'none',
          NODE_ENV: 'production',
          NO_COLOR: '1',
          ...options.env,
        },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => done({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr, ms: performance.now() - started}),
    )
    child.stdin?.end()
  })
}
