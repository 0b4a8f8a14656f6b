import {spawn} from 'node:child_process'
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
