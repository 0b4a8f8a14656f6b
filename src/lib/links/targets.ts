// Its own module so that shell completion (the start-up fast path) can name the targets without
// loading the link builders.
import {domainUrl} from './domain.js'

/** Every target name `msp open` knows, in display order (an environment has a subset of them). */
export const OPEN_TARGETS = [
  'run',
  'logs',
  'traces',
  'alerts',
  'dashboards',
  'sentry',
  'slack',
  'redis',
  'postgres',
  'bigquery',
  'domain',
  'tfc',
  'entitle-read',
  'entitle-write',
  'spec',
] as const
export type OpenTarget = (typeof OPEN_TARGETS)[number]

/** What each target opens, in a few words (completion shows it; the link list says it per environment). */
export const TARGET_SUMMARIES: Readonly<Record<OpenTarget, string>> = {
  run: 'Cloud Run console',
  logs: 'Logs Explorer',
  traces: 'Cloud Trace',
  alerts: 'Monitoring alert policies',
  dashboards: 'Monitoring dashboards',
  sentry: 'Sentry project',
  slack: 'Slack alerts channel',
  redis: 'Memorystore Redis instances',
  postgres: 'Cloud SQL instances',
  bigquery: 'BigQuery',
  domain: 'Public domain',
  tfc: 'Terraform Cloud workspaces',
  'entitle-read': 'Entitle request: GCP read access',
  'entitle-write': 'Entitle request: GCP write access',
  spec: 'service.yaml on GitHub',
}

/** The parts of an environment that decide its targets (a validated Environment, or one read leniently). */
export interface TargetEnvironment {
  resources?: {redis?: unknown; postgreSQL?: unknown; bigQueryDataset?: unknown} | null
  domain?: {cloudflare?: {subdomain?: string; zone?: string}}
}

/**
 * The targets an environment has, in display order: redis, postgres and bigquery only with that
 * resource, domain only with a complete public domain. The one answer to "which targets": `msp open`,
 * its link list and shell completion all call it.
 * @param env - an environment of a spec
 */
export function environmentTargets(env: TargetEnvironment): OpenTarget[] {
  const resources = env.resources ?? {}
  const has: Partial<Record<OpenTarget, boolean>> = {
    redis: Boolean(resources.redis),
    postgres: Boolean(resources.postgreSQL),
    bigquery: Boolean(resources.bigQueryDataset),
    // Only a complete domain is worth a link; generation rejects a `cloudflare` domain missing either part.
    domain: domainUrl(env) !== undefined,
  }
  return OPEN_TARGETS.filter((t) => has[t] ?? true)
}
