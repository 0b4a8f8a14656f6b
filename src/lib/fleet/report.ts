import type {SpecIssue} from '../io/errors.js'
import {terminalSafe} from '../io/terminal.js'
import {requireServiceFolders} from '../repo/services.js'
import {loadService, type LoadedService} from '../spec/load.js'
import {loadEvery} from '../spec/load-every.js'
import {dnsName, environmentRegion} from '../spec/derived.js'
import type {Category, Environment, Spec} from '../spec/schema.js'

/** One environment of one service, as a row of `msp fleet`. */
export interface FleetRow {
  service: string
  owners: string[]
  kind: 'service' | 'job'
  environment: string
  category: Category
  projectID: string
  region: string
  /** `<subdomain>.<zone>` when the environment has a Cloudflare domain, else null. */
  domain: string | null
  /** Managed resources present: `postgresql`, `redis`, `bigquery` (in that order). */
  resources: string[]
}

/** Which rows to keep; an unset field keeps everything. */
export interface FleetFilter {
  category?: string
  owner?: string
}

/** Column headers of the table and CSV forms, in order. */
export const FLEET_COLUMNS = ['service', 'owner', 'kind', 'env', 'category', 'project', 'region', 'domain', 'resources'] as const

function resourcesOf(env: Environment): string[] {
  const r = env.resources
  return [r?.postgreSQL && 'postgresql', r?.redis && 'redis', r?.bigQueryDataset && 'bigquery'].filter((x): x is string => Boolean(x))
}

/**
 * Lists every environment of every service as fleet rows: services sorted by id, environments in
 * spec order, then filtered by category and owner (a service matches an owner listed among its owners).
 * @param specs - the loaded specs, in any order
 * @param filter - optional category and owner filters
 */
export function buildFleetRows(specs: readonly Spec[], filter: FleetFilter = {}): FleetRow[] {
  const sorted = [...specs].sort((a, b) => (a.service.id < b.service.id ? -1 : a.service.id > b.service.id ? 1 : 0))
  const rows: FleetRow[] = []
  for (const spec of sorted) {
    if (filter.owner !== undefined && !spec.service.owners.includes(filter.owner)) continue
    for (const env of spec.environments) {
      if (filter.category !== undefined && env.category !== filter.category) continue
      rows.push({
        service: spec.service.id,
        owners: [...spec.service.owners],
        kind: spec.service.kind,
        environment: env.id,
        category: env.category,
        projectID: env.projectID,
        region: environmentRegion(env),
        domain: dnsName(env) ?? null,
        resources: resourcesOf(env),
      })
    }
  }
  return rows
}

/**
 * The cells of each row in {@link FLEET_COLUMNS} order (lists joined with commas, no domain = empty),
 * as the table and the CSV show them: spec text (owners above all) with its control characters
 * shown escaped, so a cell can neither rewrite the terminal nor forge a row.
 * @param rows - fleet rows
 */
export function fleetCells(rows: readonly FleetRow[]): string[][] {
  return rows.map((r) =>
    [r.service, r.owners.join(','), r.kind, r.environment, r.category, r.projectID, r.region, r.domain ?? '', r.resources.join(',')].map((cell) =>
      terminalSafe(cell),
    ),
  )
}

/** Counts over the fleet, as the original `sg msp fleet` printed them. */
export interface FleetSummary {
  services: number
  serviceKinds: {service: number; job: number}
  teams: string[]
  rolloutPipelines: number
  environments: number
  byCategory: Record<Category, number>
  byDeployType: Record<string, number>
  byResource: Record<string, number>
}

// Resource names as the original summary spelled them.
const RESOURCE_LABELS = {postgreSQL: 'PostgreSQL instance', redis: 'Redis', bigQueryDataset: 'BigQuery dataset'} as const

/**
 * Counts services, teams, rollout pipelines, environments per category, deploy types and resources,
 * over the same selection as {@link buildFleetRows}.
 * @param specs - the loaded specs
 * @param filter - optional category and owner filters
 */
export function summarizeFleet(specs: readonly Spec[], filter: FleetFilter = {}): FleetSummary {
  const selected = specs.filter((s) => filter.owner === undefined || s.service.owners.includes(filter.owner))
  const envs = selected.flatMap((s) => s.environments.filter((e) => filter.category === undefined || e.category === filter.category))
  const count = (values: readonly string[]) => {
    const out: Record<string, number> = {}
    for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1
    return out
  }
  return {
    services: selected.length,
    serviceKinds: {service: selected.filter((s) => s.service.kind !== 'job').length, job: selected.filter((s) => s.service.kind === 'job').length},
    teams: [...new Set(selected.flatMap((s) => s.service.owners))].sort(),
    rolloutPipelines: selected.filter((s) => s.rollout !== undefined).length,
    environments: envs.length,
    byCategory: {
      test: envs.filter((e) => e.category === 'test').length,
      internal: envs.filter((e) => e.category === 'internal').length,
      external: envs.filter((e) => e.category === 'external').length,
    },
    byDeployType: count(envs.map((e) => e.deploy.type)),
    byResource: count(
      envs.flatMap((e) => (Object.keys(RESOURCE_LABELS) as (keyof typeof RESOURCE_LABELS)[]).filter((k) => e.resources?.[k]).map((k) => RESOURCE_LABELS[k])),
    ),
  }
}

/**
 * Renders the summary in the original's Markdown layout (nested items indented with a tab).
 * @param summary - the counts from {@link summarizeFleet}
 */
export function renderFleetSummary(summary: FleetSummary): string {
  const lines = [
    'Managed Services Platform fleet summary:',
    '',
    `- **${summary.services} services** (${summary.serviceKinds.service} services, ${summary.serviceKinds.job} jobs)`,
    `- **${summary.teams.length} teams** (${summary.teams.join(', ')})`,
    `- **${summary.rolloutPipelines} rollout pipelines**`,
    `- **${summary.environments} environments**`,
    ...Object.entries(summary.byCategory).map(([c, n]) => `\t- \`${c}\` environments: ${n}`),
    ...Object.entries(summary.byDeployType).map(([t, n]) => `\t- Using deploy type \`${t}\`: ${n}`),
    ...Object.entries(summary.byResource).map(([r, n]) => `\t- Using resource \`${r}\`: ${n}`),
  ]
  return `${lines.join('\n')}\n`
}

/**
 * Loads every service of the repo; any invalid spec fails the whole fleet with the issues of every
 * invalid file (a partial fleet would look complete).
 * @param root - the repo root
 * @param load - loads one service (the command's loader, which reads and refreshes the spec cache)
 */
export async function loadFleet(
  root: string,
  load: (root: string, id: string) => Promise<LoadedService> = loadService,
): Promise<{specs: Spec[]; warnings: SpecIssue[]}> {
  const folders = await requireServiceFolders(root)
  const loaded = await loadEvery(folders.ids, (id) => load(root, id))
  return {specs: loaded.map((s) => s.spec), warnings: [...folders.issues, ...loaded.flatMap((s) => s.warnings)]}
}
