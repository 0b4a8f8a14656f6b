import {SpecError, type SpecIssue} from '../io/errors.js'
import {listServiceIds} from '../repo/services.js'
import {loadService} from '../spec/load.js'
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

/** The region every regional resource uses when an environment sets no `locations`. */
export const DEFAULT_GCP_REGION = 'us-central1'

/** Column headers of the table and CSV forms, in order. */
export const FLEET_COLUMNS = ['service', 'owner', 'kind', 'env', 'category', 'project', 'region', 'domain', 'resources'] as const

function domainOf(env: Environment): string | null {
  // The DNS name exists whenever the cloudflare block does (even with `type: none`), as in the original.
  const cf = env.domain?.cloudflare
  return cf?.subdomain && cf.zone ? `${cf.subdomain}.${cf.zone}` : null
}

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
        region: env.locations?.gcpRegion ?? DEFAULT_GCP_REGION,
        domain: domainOf(env),
        resources: resourcesOf(env),
      })
    }
  }
  return rows
}

/**
 * The cells of each row in {@link FLEET_COLUMNS} order (lists joined with commas, no domain = empty).
 * @param rows - fleet rows
 */
export function fleetCells(rows: readonly FleetRow[]): string[][] {
  return rows.map((r) => [r.service, r.owners.join(','), r.kind, r.environment, r.category, r.projectID, r.region, r.domain ?? '', r.resources.join(',')])
}

/**
 * Formats a header and rows as RFC 4180 CSV: CRLF line breaks, fields with a comma, quote or line break
 * enclosed in double quotes and inner quotes doubled.
 * @param header - column names
 * @param rows - cells per row
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
  return [header, ...rows].map((r) => r.map(field).join(',') + '\r\n').join('')
}

/**
 * Loads every service of the repo and lists its environments as fleet rows; any invalid spec fails
 * the whole listing with the issues of every invalid file (a partial fleet would look complete).
 * @param root - the repo root
 * @param filter - optional category and owner filters
 */
export async function loadFleet(root: string, filter: FleetFilter = {}): Promise<{rows: FleetRow[]; warnings: SpecIssue[]}> {
  const specs: Spec[] = []
  const warnings: SpecIssue[] = []
  const errors: SpecIssue[] = []
  for (const id of await listServiceIds(root)) {
    try {
      const loaded = await loadService(root, id)
      specs.push(loaded.spec)
      warnings.push(...loaded.warnings)
    } catch (error) {
      if (!(error instanceof SpecError)) throw error
      errors.push(...error.issues)
    }
  }
  if (errors.length > 0) throw new SpecError(errors, {hint: 'fix these specs (see msp validate) to list the fleet'})
  return {rows: buildFleetRows(specs, filter), warnings}
}
