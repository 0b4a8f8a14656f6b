import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parseDocument} from 'yaml'
import {UserError} from '../io/errors.js'
import type {Env} from '../io/output.js'
import {isValidId} from '../repo/ids.js'
import {resolveRepoRoot} from '../repo/root.js'
import {listServiceIds} from '../repo/services.js'
import {serviceSpecFile} from '../spec/layout.js'
import type {CompletionSources} from './complete.js'

/**
 * The environment ids written in a spec text, read leniently: completion must work while a spec is
 * being edited, so this takes the `id` of each `environments` entry without validating anything else.
 * @param text - the contents of a service.yaml
 */
export function environmentIdsOf(text: string): string[] {
  const doc = parseDocument(text)
  const envs = (doc.toJS() as {environments?: unknown} | null)?.environments
  if (!Array.isArray(envs)) return []
  return envs
    .map((e) => (e && typeof e === 'object' ? (e as {id?: unknown}).id : undefined))
    .filter((id): id is string => typeof id === 'string' && id.length > 0)
}

/**
 * Completion sources backed by a service-definitions repo: its service ids and each service's environment ids.
 * @param root - the repo root
 * @param named - fixed values of arguments by name (e.g. the targets of `msp open`)
 */
export function repoCompletionSources(root: string, named: Readonly<Record<string, readonly string[]>> = {}): CompletionSources {
  return {
    services: () => listServiceIds(root),
    async environments(serviceId) {
      if (!isValidId(serviceId)) return []
      let text: string
      try {
        text = await readFile(join(root, serviceSpecFile(serviceId)), 'utf8')
      } catch (error) {
        // A service that does not exist (yet) simply has no environments to offer.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw error
      }
      return environmentIdsOf(text)
    },
    named,
  }
}

/**
 * Completion sources for the repo found from the working directory (or the --repo typed on the line);
 * outside any repository they offer nothing, since a completion must never print an error.
 * @param options - working directory, --repo value from the line, environment, fixed argument values
 */
export function completionSourcesFor(options: {
  cwd: string
  repoFlag?: string
  env: Env
  named?: Readonly<Record<string, readonly string[]>>
}): CompletionSources {
  const {cwd, repoFlag, env, named = {}} = options
  let root: string
  try {
    root = resolveRepoRoot({cwd, flag: repoFlag, env}).dir
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return {services: async () => [], environments: async () => [], named}
  }
  return repoCompletionSources(root, named)
}
