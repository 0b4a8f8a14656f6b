import {existsSync, statSync} from 'node:fs'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import {UserError} from '../io/errors.js'
import type {Env} from '../io/output.js'

/** The marker file at the root of a service-definitions repository. */
export const REPO_MARKER = '.repository'

/** Where the repo root came from (shown with --debug and in messages). */
export type RepoRootSource = 'flag' | 'MSP_REPO_ROOT' | 'SG_MSP_FORCE_REPO_ROOT' | 'discovered'

export interface RepoRoot {
  dir: string
  source: RepoRootSource
}

/**
 * Finds the service-definitions repository: `--repo`, then MSP_REPO_ROOT, then SG_MSP_FORCE_REPO_ROOT,
 * else the nearest ancestor of `cwd` (inclusive) holding a `.repository` file.
 * @param options - cwd, the --repo flag value and the environment
 */
export function resolveRepoRoot(options: {cwd: string; flag?: string; env: Env}): RepoRoot {
  const {cwd, flag, env} = options
  const explicit: [string | undefined, RepoRootSource][] = [
    [flag, 'flag'],
    [env.MSP_REPO_ROOT, 'MSP_REPO_ROOT'],
    [env.SG_MSP_FORCE_REPO_ROOT, 'SG_MSP_FORCE_REPO_ROOT'],
  ]
  for (const [value, source] of explicit) {
    if (!value) continue
    const dir = isAbsolute(value) ? value : resolve(cwd, value)
    if (!isDirectory(dir)) {
      const what = source === 'flag' ? '--repo' : source
      throw new UserError(`${what} points to "${value}", which is not a directory`)
    }
    return {dir, source}
  }
  let dir = resolve(cwd)
  for (;;) {
    if (existsSync(join(dir, REPO_MARKER))) return {dir, source: 'discovered'}
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new UserError('not inside a service-definitions repository (the sourcegraph/managed-services repository)', {
    hint: `no ${REPO_MARKER} file found in ${resolve(cwd)} or any parent directory; run msp inside the repository, or pass --repo <dir> (or set MSP_REPO_ROOT)`,
  })
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
