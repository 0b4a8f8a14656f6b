/**
 * The console shortcuts, one resolver each: (loaded service, arguments) → the URL and the ids it was
 * built from. The oclif commands (`logs`, `tfc view`, `open`) and the start-up fast path call these
 * same functions, so a warm and a cold run cannot build different URLs. Pure: no I/O.
 */
import type {Environment, Spec} from '../spec/schema.js'
import {environmentLinks, type EnvironmentLink} from './environment.js'
import {buildLogsUrl, type LogsQueryFilters} from './gcp.js'
import {buildTfcWorkspacesUrl} from './tfc.js'

/** What a shortcut resolves to: the URL, and the ids printed with --json. */
export interface ShortcutUrl {
  url: string
  meta: {service?: string; environment?: string; target?: string}
}

/** A loaded service as far as the shortcuts read it (LoadedService and a spec-cache entry both fit). */
export interface ShortcutService {
  id: string
  spec: Spec
}

/** `msp logs <svc> <env>`: the Logs Explorer of the environment's Cloud Run service or job, with the filters' query. */
export function logsShortcut(service: ShortcutService, env: Environment, filters?: LogsQueryFilters): ShortcutUrl {
  const kind = service.spec.service.kind === 'job' ? 'job' : 'service'
  return {url: buildLogsUrl({projectId: env.projectID, kind, filters}), meta: {service: service.id, environment: env.id}}
}

/** `msp tfc view [<svc> [<env>]]`: every MSP workspace, a service's, or one environment's. */
export function tfcViewShortcut(service?: ShortcutService, env?: Environment): ShortcutUrl {
  if (service === undefined) return {url: buildTfcWorkspacesUrl(), meta: {}}
  if (env === undefined) return {url: buildTfcWorkspacesUrl({serviceId: service.id}), meta: {service: service.id}}
  return {url: buildTfcWorkspacesUrl({serviceId: service.id, envId: env.id}), meta: {service: service.id, environment: env.id}}
}

/** `msp open <svc> <env> <target>`: one link, or undefined when the environment has no such target. */
export function openShortcut(service: ShortcutService, env: Environment, target: string): ShortcutUrl | undefined {
  const link = environmentLinks(service.spec, env).find((l) => l.target === target)
  return link && {url: link.url, meta: {service: service.id, environment: env.id, target: link.target}}
}

/** `msp open <svc> <env>`: every link of the environment, as the table rows and the --json document. */
export function openLinkList(
  service: ShortcutService,
  env: Environment,
): {links: EnvironmentLink[]; rows: string[][]; document: {links: ({url: string} & ShortcutUrl['meta'])[]}} {
  const links = environmentLinks(service.spec, env)
  return {
    links,
    rows: links.map((l) => [l.target, l.description, l.url]),
    document: {links: links.map((l) => ({url: l.url, service: service.id, environment: env.id, target: l.target}))},
  }
}

/** The header of the link table `msp open <svc> <env>` prints. */
export const LINK_TABLE_HEADER = ['TARGET', 'WHAT', 'URL'] as const
