import {bigQueryProjectOverride, serviceKind} from '../spec/derived.js'
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
import {buildSentryUrl, sentryProjectSlug} from './sentry.js'
import {buildSlackChannelUrl, slackAlertsChannel} from './slack.js'
import {normalizeLink} from './normalize.js'
import {buildTfcWorkspacesUrl} from './tfc.js'
import {environmentTargets, TARGET_SUMMARIES, type OpenTarget} from './targets.js'

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
  const link = (target: OpenTarget): EnvironmentLink => {
    switch (target) {
      case 'run':
        return {target, description: `Cloud Run ${kind} console`, url: buildCloudRunUrl({projectId, kind})}
      case 'logs':
        return {target, description: TARGET_SUMMARIES.logs, url: buildLogsUrl({projectId, kind})}
      case 'traces':
        return {target, description: TARGET_SUMMARIES.traces, url: buildTracesUrl(projectId)}
      case 'alerts':
        return {target, description: TARGET_SUMMARIES.alerts, url: buildAlertPoliciesUrl(projectId)}
      case 'dashboards':
        return {target, description: TARGET_SUMMARIES.dashboards, url: normalizeLink(buildDashboardsUrl(projectId))}
      case 'sentry':
        return {target, description: `Sentry project ${sentryProjectSlug(serviceId, env.id)}`, url: buildSentryUrl(serviceId, env.id)}
      case 'slack':
        return {target, description: `Slack channel #${slackAlertsChannel(serviceId, env.id)}`, url: buildSlackChannelUrl(serviceId, env.id)}
      case 'redis':
        return {target, description: TARGET_SUMMARIES.redis, url: buildRedisUrl(projectId)}
      case 'postgres':
        return {target, description: TARGET_SUMMARIES.postgres, url: buildCloudSqlUrl(projectId)}
      case 'bigquery':
        return {target, description: TARGET_SUMMARIES.bigquery, url: buildBigQueryUrl(bigQueryProjectOverride(env) ?? projectId)}
      case 'domain':
        // Built with the URL API and kept only when it is https: to exactly <subdomain>.<zone>.
        return {target, description: TARGET_SUMMARIES.domain, url: domainUrl(env)!}
      case 'tfc':
        return {target, description: TARGET_SUMMARIES.tfc, url: buildTfcWorkspacesUrl({serviceId, envId: env.id})}
      case 'entitle-read':
        return {target, description: TARGET_SUMMARIES['entitle-read'], url: buildEntitleProjectAccessUrl(env.category, 'read')}
      case 'entitle-write':
        return {target, description: TARGET_SUMMARIES['entitle-write'], url: buildEntitleProjectAccessUrl(env.category, 'write')}
      case 'spec':
        return {target, description: TARGET_SUMMARIES.spec, url: buildServiceFileUrl(serviceId, 'service.yaml')}
    }
  }
  return environmentTargets(env).map(link)
}
