import {execFile, spawn} from 'node:child_process'
import {cpSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runMspInProcess, type InProcessOptions, type RunResult} from './in-process.js'
import {fixturesDir, repoDir} from './paths.js'

export type {RunResult}

/**
 * Runs msp on the arguments and returns its exit code and output: in this process (see in-process.ts),
 * which gives the bytes of a spawned run and costs a few milliseconds instead of a Node start-up. Use
 * {@link spawnMsp} only where the process boundary is what the test is about (signals, pipes, start-up,
 * concurrency between processes, what a child process inherits).
 */
export function runMsp(args: readonly string[], options: InProcessOptions = {}): Promise<RunResult> {
  return runMspInProcess(args, options)
}

/**
 * Runs the built CLI (`node bin/run.js`) as a user would: real exit code, separate streams, no TTY.
 * NODE_ENV is reset so oclif runs the compiled dist/ (vitest sets NODE_ENV=test).
 */
export function spawnMsp(args: readonly string[], options: {cwd?: string; env?: Record<string, string | undefined>; input?: string} = {}): Promise<RunResult> {
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

/** The clean environment of the cloud tests: no real credentials (HOME and the gcloud config in `home`), no metadata-server probing, no colour. */
function isolatedEnv(home: string, env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    CLOUDSDK_CONFIG: join(home, 'gcloud'),
    METADATA_SERVER_DETECTION: 'none',
    NODE_ENV: 'production',
    NO_COLOR: '1',
    ...env,
  }
}

/**
 * Runs msp on `repo` in a clean environment (only `env` is added), in-process: the environment msp's
 * code reads is exactly that one. Code that reads the process's own environment instead (Google's
 * Application Default Credentials lookup) needs {@link spawnMspIsolated}.
 */
export async function runMspIsolated(
  args: readonly string[],
  options: {repo: string; home: string; env: Record<string, string>; timeoutMs?: number},
): Promise<{code: number; stdout: string; stderr: string; ms: number}> {
  const {repo, home} = options
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  // A guard, as the spawned runner's kill: past it the test gets exit 1 (the run itself cannot be killed).
  const timedOut = new Promise<{code: number; stdout: string; stderr: string}>((resolve) => {
    timer = setTimeout(() => resolve({code: 1, stdout: '', stderr: 'test: the in-process run did not finish in time\n'}), options.timeoutMs ?? 60_000)
  })
  const run = runMspInProcess([...args, '--repo', repo], {cwd: repo, home, env: isolatedEnv(home, options.env), inherit: false})
  const result = await Promise.race([run, timedOut]).finally(() => clearTimeout(timer))
  return {...result, ms: performance.now() - started}
}

/**
 * Runs the built CLI on `repo` in a clean environment, as {@link runMspIsolated}, in a child process.
 * The exit code is 1 when the process was killed (timeout).
 */
export function spawnMspIsolated(
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
        env: isolatedEnv(home, options.env),
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => done({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr, ms: performance.now() - started}),
    )
    child.stdin?.end()
  })
}
