/**
 * The `monitoring` stack: notification channels (Opsgenie per owner, Slack), the alert policies of
 * {@link monitoringAlertPolicies} with their supporting uptime check and log metric, a dashboard, and
 * with `monitoring.nobl9` the Nobl9 trial resources ({@link nobl9Resources}).
 */
import {DASHBOARD_BEFORE_FINAL_LAYOUT, SENTRY_ALERT, changed, inForce, type Edition} from '../../edition/editions.js'
import {handbookServicePageUrl, notionPageOrPlaceholder, notionPageUrl} from '../../links/handbook.js'
import {SHARED_ALERTS_CHANNEL, slackAlertsChannel} from '../../links/slack.js'
import {tf, tfJsonText, type TfConfig, type TfExpr, type TfObject, type TfText} from '../../terraform/model.js'
import {StackBuilder, type BlockHandle, type CrossStackLinks} from '../builder.js'
import {CLOUDRUN_CLOUDSQL_INSTANCE, CLOUDRUN_DIAGNOSTICS_SECRET, CLOUDRUN_REDIS_INSTANCE, CLOUDRUN_SENTRY_PROJECT, handoff, projectIdOf} from '../handoffs.js'
import {dnsName, environmentDisplayName, healthProbeSettings, opsgenieEnabled, serviceName} from '../../spec/derived.js'
import type {Environment, Spec} from '../../spec/schema.js'
import {
  PRECONDITION_LOG_METRIC_RESOURCE,
  alertDescriptionSuffix,
  UPTIME_CHECK_RESOURCE,
  monitoringAlertPolicies,
  type AlertCondition,
  type AlertGroup,
  type AlertPolicy,
} from './alert-policies.js'
import {nobl9Resources} from './nobl9.js'

/** The MSP Rollouts bot, kept in every provisioned alerts channel. */
export const SLACK_PERMANENT_MEMBER = 'U072KKSCLSJ'
/** The Nobl9 account the original's trial used. */
const NOBL9_CLIENT_ID = '0oab428uphKZbY1jy417'
const NOBL9_ORGANIZATION = 'sourcegraph-n8JWJzlFjsCw'

/** Dashboard section titles per alert group. */
const GROUP_TITLES: Readonly<Record<AlertGroup, string>> = {
  custom: 'Custom Alerts',
  'response-code': 'Response Code Ratio Alerts',
  job: 'Cloud Run Job Alerts',
  service: 'Cloud Run Service Alerts',
  cloudsql: 'Cloud SQL Alerts',
  common: 'Container Alerts',
  redis: 'Redis Alerts',
}

function conditionBody(policy: AlertPolicy, c: AlertCondition): TfObject {
  if (c.type === 'mql') {
    return {display_name: policy.displayName, condition_monitoring_query_language: {query: c.query, duration: c.duration, trigger: c.trigger}}
  }
  if (c.type === 'promql') {
    return {display_name: policy.displayName, condition_prometheus_query_language: {query: c.query, duration: c.duration}}
  }
  const aggregation = {
    alignment_period: c.aggregation.alignmentPeriod,
    per_series_aligner: c.aggregation.perSeriesAligner,
    cross_series_reducer: c.aggregation.crossSeriesReducer,
    group_by_fields: c.aggregation.groupByFields.length ? [...c.aggregation.groupByFields] : undefined,
  }
  if (c.type === 'absent') {
    return {display_name: policy.displayName, condition_absent: {filter: c.filter, duration: c.duration, aggregations: [aggregation], trigger: c.trigger}}
  }
  return {
    display_name: policy.displayName,
    condition_threshold: {
      filter: c.filter,
      comparison: c.comparison,
      threshold_value: c.thresholdValue,
      duration: c.duration,
      aggregations: [aggregation],
      trigger: c.trigger,
    },
  }
}

interface Chart {
  group: AlertGroup
  ref: TfExpr
  creationIndex: number
}

/**
 * The alerts dashboard of stacks/monitoring/dashboard.go: a centred banner, then per group its charts
 * in creation order, two per row, followed by the group's collapsible tile. Key order is the Go
 * structs' order. The editions differ in the title, the banner text and the group order.
 */
function dashboardJson(title: string, banner: string, sections: readonly string[], charts: readonly Chart[]): TfText {
  const style = {
    backgroundColor: '#FFFFFF',
    fontSize: 'FS_EXTRA_LARGE',
    horizontalAlignment: 'H_CENTER',
    padding: 'P_EXTRA_SMALL',
    pointerLocation: 'POINTER_LOCATION_UNSPECIFIED',
    textColor: '#000000',
    verticalAlignment: 'V_CENTER',
  }
  const tiles: Record<string, unknown>[] = [{width: 48, height: 8, widget: {text: {content: banner, format: 'MARKDOWN', style}}}]
  let height = 8
  for (const section of sections) {
    const members = charts.filter((c) => GROUP_TITLES[c.group] === section).sort((a, b) => a.creationIndex - b.creationIndex)
    if (members.length === 0) continue
    members.forEach((m, i) => {
      const x = (i % 2) * 24
      tiles.push({yPos: height + Math.floor(i / 2) * 16, ...(x ? {xPos: x} : {}), width: 24, height: 16, widget: {alertChart: {name: m.ref}}})
    })
    const sectionHeight = Math.floor((members.length + 1) / 2) * 16
    tiles.push({yPos: height, width: 48, height: sectionHeight, widget: {title: section, collapsibleGroup: {collapsed: false}}})
    height += sectionHeight
  }
  return tfJsonText({displayName: title, mosaicLayout: {columns: 48, tiles}})
}

/** The final dashboard: the Notion page in the banner; custom and response-code groups first, the rest by title. */
function finalDashboardJson(title: string, handbookUrl: string, charts: readonly Chart[]): TfText {
  const first = ['Custom Alerts', 'Response Code Ratio Alerts']
  const rest = [...new Set(charts.map((c) => GROUP_TITLES[c.group]))].filter((t) => !first.includes(t)).sort()
  return dashboardJson(title, `This dashboard is auto-generated - please do not edit!\n\nFor more details, see: ${handbookUrl}`, [...first, ...rest], charts)
}

/**
 * The dashboard before the change dashboardFinalLayout (dashboard.go then): its own title, a go/msp-ops
 * banner, the groups sorted by title.
 */
function dashboardBeforeFinalLayoutJson(serviceId: string, envId: string, charts: readonly Chart[]): TfText {
  const before = DASHBOARD_BEFORE_FINAL_LAYOUT
  return dashboardJson(
    before.title(serviceId, envId),
    before.banner(serviceId, handbookServicePageUrl(serviceId)),
    [...new Set(charts.map((c) => GROUP_TITLES[c.group]))].sort(),
    charts,
  )
}

/**
 * Builds the `monitoring` stack of one environment: providers, notification channels, the values
 * other stacks and tools read, the resources some alerts watch, the alert policies and their dashboard.
 * @param spec - the service spec
 * @param env - the environment
 * @param edition - the release of the original whose alert catalogue and defaults to reproduce
 * @param links - where reads of other stacks' values are recorded (see stacks/index.ts)
 */
export function monitoringStack(spec: Spec, env: Environment, edition: Edition, links?: CrossStackLinks): TfConfig {
  const b = new StackBuilder('monitoring', spec.service.id, env.id, edition, links)
  // The project stack's token (managedservicesplatform.go), like everywhere below.
  const p = projectIdOf(b, env)
  declareProviders(b, p)
  const policies = monitoringAlertPolicies(spec, env, edition)
  const channels = notificationChannels(b, spec, env, p)
  recordStackValues(b, spec, env, channels)
  declareWatchedResources(b, spec, env, p, policies)
  const charts = declareAlertPolicies(b, spec, env, p, policies, channels)
  // Nobl9 (sourcegraph/sourcegraph#60020, 2024-01-31) predates every edition.
  if (spec.monitoring.nobl9) nobl9Resources(b, p, spec.service.id, env.id, serviceName(spec))
  b.resource('google_monitoring_dashboard', 'monitoring-dashboard-dashboard', {
    dashboard_json: inForce(edition, 'dashboardFinalLayout')
      ? finalDashboardJson(`MSP Alerts - ${serviceName(spec)} (${env.id})`, notionPageOrPlaceholder(spec.service), charts)
      : dashboardBeforeFinalLayoutJson(spec.service.id, env.id, charts),
  })
  return b.build()
}

/** The stack's providers (the original declares Nobl9's whether or not `monitoring.nobl9` provisions anything) and its project local. */
function declareProviders(b: StackBuilder, p: TfText): void {
  b.provider('google', {project: p})
  b.provider('opsgenie', {api_key: b.platformSecret('opsgenie-provider-token-version_data', 'MSP_OPSGENIE_API_TOKEN'), api_url: 'api.opsgenie.com'})
  b.provider('slack', {token: b.platformSecret('slack-provider-token-version_data', 'SLACK_OPERATOR_BOT_OAUTH_TOKEN')})
  b.provider('sentry', {token: b.platformSecret('sentry-provider-token-version_data', 'TFC_MSP_SENTRY_INTEGRATION')})
  b.provider('nobl9', {
    client_id: NOBL9_CLIENT_ID,
    organization: NOBL9_ORGANIZATION,
    client_secret: b.platformSecret('nobl9-provider-token-version_data', 'MSP_NOBL9_CLIENT_SECRET'),
  })
  b.local('project_id', p, 'Primary Google Project to use for all GCP resources')
  b.mirrorLocalsTo(p)
}

/** The notification channels alerts go to: by severity, and each owner's Opsgenie channel. */
interface NotificationChannels {
  critical: TfExpr[]
  warning: TfExpr[]
  opsgenie: {owner: string; id: TfExpr}[]
  slack: TfExpr[]
}

/** Slack for every severity, each owner's Opsgenie team for CRITICAL only. */
function notificationChannels(b: StackBuilder, spec: Spec, env: Environment, p: TfText): NotificationChannels {
  const channels: NotificationChannels = {critical: [], warning: [], opsgenie: [], slack: []}
  ;(spec.service.owners ?? []).forEach((owner, i) => {
    const id = opsgenieOwnerChannel(b, spec, env, p, owner, i)
    channels.critical.push(id)
    channels.opsgenie.push({owner, id})
  })
  const slackToken = b.platformSecret('monitoring-slack_token-version_data', 'SLACK_BOT_USER_OAUTH_TOKEN')
  const envChannel = `#${slackAlertsChannel(spec.service.id, env.id)}`
  for (const channelName of [SHARED_ALERTS_CHANNEL, envChannel]) {
    const group = `monitoring-slack_${channelName.slice(1)}`
    // The shared channel already exists; the per-environment one is provisioned here.
    const conversation = channelName === envChannel ? environmentSlackChannel(b, spec, env, group, channelName) : undefined
    const channel = b.resource('google_monitoring_notification_channel', `${group}-notification_channel`, {
      project: p,
      display_name: `Slack - ${channelName}`,
      type: 'slack',
      labels: {channel_name: channelName},
      sensitive_labels: {auth_token: slackToken},
      depends_on: conversation ? [conversation.address] : undefined,
    })
    channels.warning.push(channel.ref('id'))
    channels.critical.push(channel.ref('id'))
    channels.slack.push(channel.ref('id'))
  }
  return channels
}

/** One owner's Opsgenie service and integration, and the webhook channel that pages through it. */
function opsgenieOwnerChannel(b: StackBuilder, spec: Spec, env: Environment, p: TfText, owner: string, index: number): TfExpr {
  const id = spec.service.id
  const group = `monitoring-opsgenie_owner_${index}`
  const team = b.data('opsgenie_team', `${group}-opsgenie_team`, {name: owner})
  b.resource('opsgenie_service', `${group}-opsgenie_service`, {
    name: environmentDisplayName(spec, env),
    team_id: team.ref('id'),
    description: spec.service.description ?? '',
    tags: ['msp', id, env.category],
  })
  const integration = b.resource('opsgenie_api_integration', `${group}-opsgenie_integration`, {
    name: tf`msp-${id}-${env.id}-${team.ref('id')}`,
    type: 'GoogleStackdriver',
    owner_team_id: team.ref('id'),
    responders: [{type: 'team', id: team.ref('id')}],
    suppress_notifications: !opsgenieEnabled(env, b.edition),
  })
  const channel = b.resource('google_monitoring_notification_channel', `${group}-notification_channel`, {
    project: p,
    display_name: `Opsgenie - ${owner}`,
    type: 'webhook_tokenauth',
    labels: {url: tf`https://api.opsgenie.com/v1/json/googlestackdriver?apiKey=${integration.ref('api_key')}`},
  })
  return channel.ref('id')
}

/** The environment's own alerts channel, created (or adopted) in Slack, with Sentry's notifications into it. */
function environmentSlackChannel(b: StackBuilder, spec: Spec, env: Environment, group: string, channelName: string): BlockHandle {
  // With a Notion page, the original's final version also links the operational handbook.
  const handbook = notionPageUrl(spec.service)
  const purpose = `Alerts from ${serviceName(spec)} (${env.id}) deployed on Managed Services Platform.${handbook ? ` Operational handbook: ${handbook}` : ''}`
  const conversation = b.resource('slack_conversation', `${group}-channel`, {
    name: channelName.slice(1),
    topic: purpose,
    purpose,
    is_private: false,
    // The rollouts bot joins with the Cloud Deploy notifications.
    ...(inForce(b.edition, 'cloudDeployNotifications') ? {permanent_members: [SLACK_PERMANENT_MEMBER], action_on_update_permanent_members: 'none'} : {}),
    adopt_existing_channel: true,
  })
  // The cloudrun stack's Sentry project (its CrossStackOutput): organization and slug.
  const sentry = {
    organization: handoff(b, CLOUDRUN_SENTRY_PROJECT, 'organization'),
    slug: handoff(b, CLOUDRUN_SENTRY_PROJECT, 'slug'),
  }
  sentrySlackAlerts(b, group, sentry, spec.service.id, env.id, conversation, changed(b.edition, 'sentryAlertHourly', SENTRY_ALERT))
  return conversation
}

/**
 * Stack values for custom alerts and tools, mirrored to Secret Manager: channels per level (sorted by
 * level name), per owner (the Slack channels plus that owner's Opsgenie channel), and a few facts.
 */
function recordStackValues(b: StackBuilder, spec: Spec, env: Environment, channels: NotificationChannels): void {
  b.localList('notifications_critical', channels.critical, 'Google Monitoring notification channels for critical-level alerts')
  b.localList('notifications_warning', channels.warning, 'Google Monitoring notification channels for warning-level alerts')
  channels.opsgenie.forEach(({owner, id: channel}, i) => {
    b.localList(`notifications_owner_${i}`, [...channels.slack, channel], `Google Monitoring notification channel IDs for Opsgenie - ${owner}`)
  })
  b.local('service_id', spec.service.id, 'Service ID')
  b.local('environment_id', env.id, 'Environment ID')
  b.local('service_name', serviceName(spec), 'Human-readable service name')
  b.local('alert_description_suffix', alertDescriptionSuffix(spec, env.id, b.edition), 'Supplemental MSP help text intended to be added to alert descriptions')
}

/**
 * What some alerts watch: the cloudrun stack's instances the alert filters name (alertFilterIds builds
 * the same expressions; the Cloud SQL instance, named at random, always from remote state, Redis under
 * cross-stack tokens), the external uptime check and the precondition-failure log metric.
 */
function declareWatchedResources(b: StackBuilder, spec: Spec, env: Environment, p: TfText, policies: readonly AlertPolicy[]): void {
  if (policies.some((pol) => pol.resourceKind === 'cloud-sql' || pol.resourceKind === 'cloud-sql-database')) {
    b.remoteOutput(CLOUDRUN_CLOUDSQL_INSTANCE.stack, CLOUDRUN_CLOUDSQL_INSTANCE.producer, 'id')
  }
  if (policies.some((pol) => pol.resourceKind === 'cloud-redis')) handoff(b, CLOUDRUN_REDIS_INSTANCE, 'id')

  const dns = dnsName(env)
  if (dns && policies.some((pol) => pol.resourceName === 'monitoring-service-external_health_check')) {
    const healthz = healthzEnabled(env)
    b.resource('google_monitoring_uptime_check_config', UPTIME_CHECK_RESOURCE, {
      project: p,
      display_name: `External Uptime Check for ${dns}`,
      monitored_resource: {type: 'uptime_url', labels: {project_id: p, host: dns}},
      timeout: `${healthProbeSettings(env).timeoutSeconds}s`,
      period: '60s',
      http_check: {
        port: 443,
        use_ssl: true,
        validate_ssl: true,
        path: healthz ? '/-/healthz' : '/',
        // The cloudrun stack's diagnostics secret (random): always read from its remote state.
        headers: healthz
          ? {Authorization: tf`Bearer ${b.remoteOutput(CLOUDRUN_DIAGNOSTICS_SECRET.stack, CLOUDRUN_DIAGNOSTICS_SECRET.producer, 'hex')}`}
          : undefined,
        accepted_response_status_codes: [{status_class: 'STATUS_CLASS_2XX'}],
      },
    })
  }
  if (policies.some((pol) => pol.alertId === 'cloud_run_precondition_failed')) {
    // internal/resource/logcountmetric/logcountmetric.go sets no project (the provider's applies).
    b.resource('google_logging_metric', PRECONDITION_LOG_METRIC_RESOURCE, {
      name: 'msp.sourcegraph.com/cloud_run_precondition_failed',
      // The original passes its Go raw string verbatim: tab-indented lines, a leading newline, trailing tabs.
      filter:
        `\n\t\t\tresource.type="cloud_run_revision"\n\t\t\tAND protoPayload.status.code="9"\n\t\t\tAND resource.labels.service_name =~ ` +
        `"^${spec.service.id}.*"\n\t\t`,
      label_extractors: {service_name: 'EXTRACT(resource.labels.service_name)'},
      metric_descriptor: {
        metric_kind: 'DELTA',
        value_type: 'INT64',
        labels: [{key: 'service_name', value_type: 'STRING', description: 'Name of the affected Cloud Run service'}],
      },
    })
  }
}

/** One `google_monitoring_alert_policy` per policy, notifying the channels of its severity; returns the dashboard's charts. */
function declareAlertPolicies(
  b: StackBuilder,
  spec: Spec,
  env: Environment,
  p: TfText,
  policies: readonly AlertPolicy[],
  channels: NotificationChannels,
): Chart[] {
  const name = serviceName(spec)
  return policies.map((policy) => {
    const notify = policy.severity === 'CRITICAL' ? channels.critical : channels.warning
    const handle = b.resource('google_monitoring_alert_policy', policy.resourceName, {
      project: p,
      display_name: policy.displayName,
      documentation: {
        subject: `${name} (${env.id}): ${policy.displayName}`,
        content: policy.documentation,
        mime_type: 'text/markdown',
      },
      user_labels: {
        source: 'managed-services-platform',
        msp_alert_id: policy.alertId.toLowerCase(),
        msp_service_id: spec.service.id,
        msp_environment_id: env.id,
        resource_kind: policy.resourceKind,
      },
      alert_strategy: {auto_close: '86400s'},
      combiner: 'OR',
      severity: policy.severity,
      conditions: [conditionBody(policy, policy.condition)],
      notification_channels: notify.length ? notify : undefined,
    })
    return {group: policy.group, ref: handle.ref('name'), creationIndex: policy.creationIndex}
  })
}

/**
 * Sentry notifications into the environment's Slack channel (stacks/monitoring/monitoring.go and
 * sentry.go): the Slack integration, a spike-protection notification action and the "all issues"
 * issue alert, on the cloudrun stack's Sentry project (its organization and slug, handed over by that stack).
 */
function sentrySlackAlerts(
  b: StackBuilder,
  group: string,
  sentry: {organization: TfText; slug: TfText},
  serviceId: string,
  envId: string,
  conversation: BlockHandle,
  alert: {conditions: string; frequency: number},
): void {
  const project = sentry.slug
  const integration = b.data('sentry_organization_integration', `${group}-sentry_integration`, {
    organization: sentry.organization,
    provider_key: 'slack',
    name: 'Sourcegraph',
  })
  b.resource('sentry_notification_action', `${group}-sentry_notification_channel`, {
    organization: sentry.organization,
    projects: [project],
    service_type: 'slack',
    integration_id: integration.ref('id'),
    target_display: conversation.ref('name'),
    target_identifier: conversation.ref('id'),
    trigger_type: 'spike-protection',
  })
  // Sentry's JSON for one Slack notify action, keys sorted like Go's encoding of a map.
  const action = {
    channel: conversation.ref('name'),
    channel_id: conversation.ref('id'),
    id: 'sentry.integrations.slack.notify_action.SlackNotifyServiceAction',
    tags: `msp-${serviceId}-${envId}`,
    workspace: integration.ref('id'),
  }
  b.resource('sentry_issue_alert', `${group}-sentry_alerts-all-issues-alert`, {
    organization: sentry.organization,
    project,
    name: 'Notify in Slack',
    action_match: 'any',
    // The change sentryAlertHourly dropped the conditions (Go's field order when set).
    conditions: alert.conditions,
    actions: tfJsonText([action]),
    frequency: alert.frequency,
    filter_match: 'all',
  })
}

function healthzEnabled(env: Environment): boolean {
  return healthProbeSettings(env).enabled
}
