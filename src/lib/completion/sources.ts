import {UserError} from '../io/errors.js'
import {boundedToJS, parseBoundedYaml} from '../spec/load.js'
import type {Env} from '../io/output.js'
import {resolveRepoRoot} from '../repo/root.js'
import {listServiceIds} from '../repo/services.js'
import {environmentTargets, type TargetEnvironment} from '../links/targets.js'
import type {CompletionSources} from './complete.js'
import {completionSpecText} from './spec-text.js'

/** The environments written in a spec text, read leniently (ids that are strings, the rest as written). */
function environmentsOf(text: string): (TargetEnvironment & {id: string})[] {
  // The main loader's limits, and no alias expanded past the YAML library's cap: a huge or hostile
  // spec offers nothing instead of freezing the shell.
  const doc = parseBoundedYaml(text)
  const envs = ((doc === undefined ? undefined : boundedToJS(doc)) as {environments?: unknown} | null | undefined)?.environments
  if (!Array.isArray(envs)) return []
  return envs.filter(
    (e): e is TargetEnvironment & {id: string} =>
      Boolean(e) && typeof e === 'object' && typeof (e as {id?: unknown}).id === 'string' && (e as {id: string}).id.length > 0,
  )
}

/**
 * The environment ids written in a spec text, read leniently: completion must work while a spec is
 * being edited, so this takes the `id` of each `environments` entry without validating anything else.
 * @param text - the contents of a service.yaml
 */
export function environmentIdsOf(text: string): string[] {
  return environmentsOf(text).map((e) => e.id)
}

/**
 * Completion sources backed by a service-definitions repo: its service ids, each service's environment
 * ids and the targets each environment has.
 * @param root - the repo root
 */
export function repoCompletionSources(root: string): CompletionSources {
  const specText = async (serviceId: string): Promise<string | undefined> => completionSpecText(root, serviceId)
  return {
    services: () => listServiceIds(root),
    environments: async (serviceId) => {
      const text = await specText(serviceId)
      return text === undefined ? [] : environmentIdsOf(text)
    },
    targets: async (serviceId, envId) => {
      const text = await specText(serviceId)
      const env = text === undefined ? undefined : environmentsOf(text).find((e) => e.id === envId)
      return env ? environmentTargets(env) : []
    },
  }
}

/**
 * Completion sources for the repo found from the working directory (or the --repo typed on the line);
 * outside any repository they offer nothing, since a completion must never print an error.
 * @param options - working directory, --repo value from the line, environment
 */
export function completionSourcesFor(options: {cwd: string; repoFlag?: string; env: Env}): CompletionSources {
  const {cwd, repoFlag, env} = options
  let root: string
  try {
    root = resolveRepoRoot({cwd, flag: repoFlag, env}).dir
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return {services: async () => [], environments: async () => [], targets: async () => []}
  }
  return repoCompletionSources(root)
}
