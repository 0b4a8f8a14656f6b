import {execFile} from 'node:child_process'
import {processEnv} from '../io/env.js'

/**
 * The git HEAD revision of the repo, or undefined when it is not a git checkout (or git is missing).
 * Runs git without a shell and with system/global config ignored, as the original did.
 * @param root - the repo root
 */
export function gitRevision(root: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['rev-parse', 'HEAD'],
      {cwd: root, env: {...processEnv(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null'}, timeout: 10_000},
      (error, stdout) => {
        const rev = stdout?.trim()
        resolve(!error && /^[0-9a-f]{40,64}$/.test(rev) ? rev : undefined)
      },
    )
  })
}
