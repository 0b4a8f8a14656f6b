import {serviceKind} from '../spec/derived.js'
import type {Environment, Spec} from '../spec/schema.js'
import {domainUrl} from './domain.js'
import {buildEntitleProjectAccessUrl} from './entitle.js'
import {
  buildAlertPoliciesUrl,
  buildBigQueryUrl,
  buildCloudRunUrl,
  buildCloudSqlUrl,
  buildDashboardsUrl,
  buildLogsUrl,
  buildRedisUrl,
  buildTracesUrl,
} from './gcp.js'
import {buildServiceFileUrl} from './github.js'
import {buildSentryUrl} from './sentry.js'
import {buildSlackChannelUrl} from './slack.js'
import {normalizeLink} from './normalize.js'
import {buildTfcWorkspacesUrl} from './tfc.js'
import {OPEN_TARGETS} from './targets.js'

export {OPEN_TARGETS}

/** One console link of an environment, addressable by `msp open <svc> <env> <target>`. */
export interface EnvironmentLink {
  target: string
  description: string
  url: string
}

/**
 * The console links of one environment, only those it has (no `redis` without a Redis instance).
 * @param spec - the service spec
 * @param env - one of its environments
 */
export function environmentLinks(spec: Spec, env: Environment): EnvironmentLink[] {
  const serviceId = spec.service.id
  const kind = serviceKind(spec)
  const projectId = env.projectID
  const links: EnvironmentLink[] = [
    {target: 'run', description: `Cloud Run ${kind} console`, url: buildCloudRunUrl({projectId, kind})},
    {target: 'logs', description: 'Logs Explorer', url: buildLogsUrl({projectId, kind})},
    {target: 'traces', description: 'Cloud Trace', url: buildTracesUrl(projectId)},
    {target: 'alerts', description: 'Monitoring alert policies', url: buildAlertPoliciesUrl(projectId)},
    {target: 'dashboards', description: 'Monitoring dashboards', url: normalizeLink(buildDashboardsUrl(projectId))},
    {target: 'sentry', description: `Sentry project ${serviceId}-${env.id}`, url: buildSentryUrl(serviceId, env.id)},
    {target: 'slack', description: `Slack channel #alerts-${serviceId}-${env.id}`, url: buildSlackChannelUrl(serviceId, env.id)},
  ]
  const resources = env.resources
  if (resources?.redis) links.push({target: 'redis', description: 'Memorystore Redis instances', url: buildRedisUrl(projectId)})
  if (resources?.postgreSQL) links.push({target: 'postgres', description: 'Cloud SQL instances', url: buildCloudSqlUrl(projectId)})
  if (resources?.bigQueryDataset) {
    const bqProject = resources.bigQueryDataset.projectID ?? projectId
    links.push({target: 'bigquery', description: 'BigQuery', url: buildBigQueryUrl(bqProject)})
  }
  // Only a complete domain is worth a link; generation rejects a `cloudflare` domain missing either part.
  // Built with the URL API and kept only when it is https: to exactly <subdomain>.<zone>.
  const domain = domainUrl(env)
  if (domain) links.push({target: 'domain', description: 'Public domain', url: domain})
  links.push(
    {target: 'tfc', description: 'Terraform Cloud workspaces', url: buildTfcWorkspacesUrl({serviceId, envId: env.id})},
    {target: 'entitle-read', description: 'Entitle request: GCP read access', url: buildEntitleProjectAccessUrl(env.category, 'read')},
    {target: 'entitle-write', description: 'Entitle request: GCP write access', url: buildEntitleProjectAccessUrl(env.category, 'write')},
    {target: 'spec', description: 'service.yaml on GitHub', url: buildServiceFileUrl(serviceId, 'service.yaml')},
  )
  return links
}
