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
    // As auto-discovery requires: a wrong path must not read as a repository of zero services (a
    // handbook run on it would remove every page, a CI gate would pass having checked nothing).
    if (!isFile(join(dir, REPO_MARKER))) {
      const what = source === 'flag' ? '--repo' : source
      throw new UserError(`${what} points to "${value}", which is not a service-definitions repository: it has no ${REPO_MARKER} file`, {
        hint: `pass the root of the managed-services checkout (the folder holding ${REPO_MARKER} and services/)`,
      })
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

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
