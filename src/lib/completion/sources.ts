import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parseDocument} from 'yaml'
import {isValidId} from '../repo/ids.js'
import {listServiceIds, specPath} from '../repo/services.js'
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
  return envs.map((e) => (e && typeof e === 'object' ? (e as {id?: unknown}).id : undefined)).filter((id): id is string => typeof id === 'string' && id.length > 0)
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
        text = await readFile(join(root, specPath(serviceId)), 'utf8')
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
