/**
 * THE alert model: which `google_monitoring_alert_policy` resources an environment gets, with their
 * texts and conditions. The monitoring stack renders them to Terraform and the handbook page lists
 * them, so both always agree (never keep two lists of the same facts).
 *
 * The catalogue depends on the edition (src/lib/edition/editions.ts holds every difference):
 * - 2024-05 follows the generator that produced the published May-2024 handbook pages
 *   (their alert sections): response-code alerts titled `High Ratio of <name> Responses`, the
 *   uptime text's "repond", the instance-count alert only for an explicit `scaling.maxCount` ≥ 5, no
 *   `customAlerts`, the "See <handbook>/<id>#<env> …" footer, a job-absence alert for every cron
 *   schedule (no 23h30m cap yet);
 * - 2024-08 follows the final code (sourcegraph/sourcegraph-public-snapshot, final state as in the
 *   khulnasoft/khulnasoft fork: dev/managedservicesplatform/stacks/monitoring/{common,service,job,
 *   redis,cloudsql,response_codes,custom}.go and internal/resource/alertpolicy/*.go): the spec
 *   `name` as the response-code title, "respond", the instance-count alert
 *   when `scaling` is present and its max (default 5) is ≥ 5, `monitoring-custom-<id>` policies, and
 *   alertpolicy.DescriptionSuffix as the footer.
 * Response-code alerts have the same MQL and labels in both (the builder never changed; no `resource_kind`
 * since sourcegraph/sourcegraph#60506, 2024-02-14).
 *
 * Texts below are page data: keep the typos ("neccessary", "occured", "repond", "make make sure").
 */
import {ALERT_FOOTER, PENDING_REQUESTS_DESCRIPTION, UPTIME_VERB, changed, inForce, type Edition} from '../../edition/editions.js'
import {handbookEnvironmentUrl, notionPageOrPlaceholder} from '../../links/handbook.js'
import {customAlertId, dnsName, healthProbeSettings, responseCodeRatioMinutes, serviceKind} from '../../spec/derived.js'
import type {Environment, ResponseCodeRatio, Spec} from '../../spec/schema.js'
import {remoteOutputRef} from '../builder.js'
import {CLOUDRUN_CLOUDSQL_INSTANCE, CLOUDRUN_REDIS_INSTANCE, projectResourceName} from '../handoffs.js'
import {maxCronIntervalMinutes} from './cron.js'
import {resourceRef, sortKey, tf, tfJoin, type TfText} from '../../terraform/model.js'

export type AlertSeverity = 'WARNING' | 'CRITICAL'

/** Group part of the resource name; groups sort `cloudsql` < `common` < `custom` < `job` < `redis` < `response-code` < `service`. */
export type AlertGroup = 'cloudsql' | 'common' | 'custom' | 'job' | 'redis' | 'response-code' | 'service'

/** What the alert watches; decides the resource filters and the `resource_kind` user label. */
export type AlertResourceKind = 'cloud-run-service' | 'cloud-run-job' | 'cloud-redis' | 'cloud-sql' | 'cloud-sql-database' | 'url-uptime'

export interface AlertAggregation {
  /** e.g. `"60s"`. */
  alignmentPeriod: string
  perSeriesAligner?: string
  crossSeriesReducer?: string
  groupByFields: readonly string[]
}

/** `{count: n}` fires when n series violate; `{percent: 100}` only when all do. */
export type AlertTrigger = {count: number} | {percent: number}

/** A metric threshold (`condition_threshold`) or absence (`condition_absent`) condition. */
export interface MetricCondition {
  type: 'threshold' | 'absent'
  /** The complete Monitoring filter: metric filters sorted, then resource filters, joined with ` AND `. May hold `${…}` references. */
  filter: TfText
  aggregation: AlertAggregation
  /** Only for `threshold`. */
  comparison?: 'COMPARISON_GT' | 'COMPARISON_LT'
  /** Only for `threshold`. */
  thresholdValue?: number
  /** e.g. `"0s"`, `"600s"`. */
  duration: string
  trigger: AlertTrigger
}

/** A Monitoring Query Language condition (`condition_monitoring_query_language`). */
export interface MqlCondition {
  type: 'mql'
  query: string
  duration: string
  /** Response-code alerts set `{count: 1}`; custom MQL alerts set none. */
  trigger?: AlertTrigger
}

/** A PromQL condition (`condition_prometheus_query_language`), from `customAlerts`. */
export interface PromqlCondition {
  type: 'promql'
  /** On one line, runs of white space collapsed, as GCP expects. */
  query: string
  duration: string
}

export type AlertCondition = MetricCondition | MqlCondition | PromqlCondition

export interface AlertPolicy {
  /** Terraform resource name `monitoring-<group>-<id>`; the sort key of the handbook list. */
  resourceName: string
  /** Position in the order the original created the alerts (the final dashboard lists charts in it). */
  creationIndex: number
  group: AlertGroup
  /** The alert id inside its group (`cpu`, `cloud_sql_connections`, a response-code id…); the `msp_alert_id` label. */
  alertId: string
  displayName: string
  /** The description alone, as the handbook renders it. */
  description: string
  /** Full `documentation.content`: description, a blank line, then the handbook/support footer. */
  documentation: string
  severity: AlertSeverity
  resourceKind?: AlertResourceKind
  condition: AlertCondition
}

/**
 * Supporting resources some filters point at; the monitoring stack declares them under these names.
 * Kept here so a renamed resource cannot leave a dangling reference in an alert filter.
 */
export const UPTIME_CHECK_RESOURCE = 'monitoring-service-external_uptime_check'
export const PRECONDITION_LOG_METRIC_RESOURCE = 'monitoring-service-cloud_run_precondition_failed-metric'
/**
 * The ids alert filters name, as the monitoring stack receives them (stacks/handoffs.ts): the project
 * stack's project id and the cloudrun stack's Redis and Cloud SQL instance ids, through remote state (the
 * monitoring stack declares the reads with the same expressions).
 */
export function alertFilterIds(env: Environment): {project: TfText; redisInstance: TfText; cloudSqlInstance: TfText} {
  const redis = CLOUDRUN_REDIS_INSTANCE
  const sql = CLOUDRUN_CLOUDSQL_INSTANCE
  return {
    project: remoteOutputRef('project', {type: 'google_project', name: projectResourceName(env.projectID)}, 'project_id'),
    redisInstance: remoteOutputRef(redis.stack, redis.producer, 'id'),
    cloudSqlInstance: remoteOutputRef(sql.stack, sql.producer, 'id'),
  }
}

/** GCP's upper bound on a metric-absence duration (23h30m). */
const MAX_ABSENCE_MINUTES = 23 * 60 + 30

/**
 * The documentation footer every alert gets (the final code's `alert_description_suffix` local); the
 * handbook cuts it at the last blank line.
 * @param spec - the service spec (its id and Notion page)
 * @param envId - the environment id
 * @param edition - the release whose wording to use
 */
export function alertDescriptionSuffix(spec: Pick<Spec, 'service'>, envId: string, edition: Edition): string {
  const pages = {handbookEnvironment: handbookEnvironmentUrl(spec.service.id, envId), notionPage: notionPageOrPlaceholder(spec.service)}
  return changed(edition, 'alertFooterNotion', ALERT_FOOTER)(pages, envId)
}

interface Ctx {
  serviceId: string
  env: Environment
  ids: ReturnType<typeof alertFilterIds>
  kind: 'service' | 'job'
  edition: Edition
}

interface Draft {
  group: AlertGroup
  alertId: string
  /** Resource-name tail when the alert sits in a nested group (default: the alert id). */
  resourceSuffix?: string
  displayName: string
  description: string
  severity?: AlertSeverity
  resourceKind?: AlertResourceKind
  condition: AlertCondition
}

interface MetricDraft {
  metricFilters: Readonly<Record<string, TfText>>
  resourceKind?: AlertResourceKind
  aligner?: string
  reducer?: string
  period: string
  groupBy?: readonly string[]
  comparison?: 'COMPARISON_GT' | 'COMPARISON_LT'
  threshold: number
  duration?: string
  trigger?: AlertTrigger
}

function resourceFilters(ctx: Ctx, kind: AlertResourceKind | undefined): TfText[] {
  const {project: p, redisInstance, cloudSqlInstance} = ctx.ids
  switch (kind) {
    case undefined:
      return []
    case 'cloud-run-service':
      return ['resource.type = "cloud_run_revision"', `resource.labels.service_name = starts_with("${ctx.serviceId}")`]
    case 'cloud-run-job':
      return ['resource.type = "cloud_run_job"', `resource.labels.job_name = starts_with("${ctx.serviceId}")`]
    case 'cloud-redis':
      return ['resource.type = "redis_instance"', tf`resource.labels.instance_id = "${redisInstance}"`]
    case 'cloud-sql':
      return ['resource.type = "cloudsql_database"', tf`resource.labels.database_id = "${p}:${cloudSqlInstance}"`]
    case 'cloud-sql-database':
      return ['resource.type = "cloudsql_instance_database"', tf`resource.labels.resource_id = "${p}:${cloudSqlInstance}"`]
    case 'url-uptime':
      return [
        'resource.type = "uptime_url"',
        tf`metric.labels.check_id = "${resourceRef('google_monitoring_uptime_check_config', UPTIME_CHECK_RESOURCE, 'uptime_check_id')}"`,
      ]
  }
}

function groupByPrefix(kind: AlertResourceKind | undefined): string[] {
  if (kind === 'cloud-run-service') return ['resource.label.revision_name']
  if (kind === 'cloud-sql-database') return ['resource.label.database']
  return []
}

function metric(ctx: Ctx, type: 'threshold' | 'absent', d: MetricDraft): MetricCondition {
  const filters = Object.entries(d.metricFilters)
    .map(([k, v]) => (typeof v === 'string' ? `${k} = "${v}"` : tf`${k} = "${v}"`))
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
  const condition: MetricCondition = {
    type,
    filter: tfJoin([...filters, ...resourceFilters(ctx, d.resourceKind)], ' AND '),
    aggregation: {
      alignmentPeriod: d.period,
      ...(d.aligner ? {perSeriesAligner: d.aligner} : {}),
      ...(d.reducer ? {crossSeriesReducer: d.reducer} : {}),
      groupByFields: [...groupByPrefix(d.resourceKind), ...(d.groupBy ?? [])],
    },
    duration: d.duration ?? '0s',
    trigger: d.trigger ?? {count: 1},
  }
  if (type === 'threshold') {
    condition.comparison = d.comparison ?? 'COMPARISON_GT'
    condition.thresholdValue = d.threshold
  }
  return condition
}

function runtimeKind(ctx: Ctx): AlertResourceKind {
  return ctx.kind === 'job' ? 'cloud-run-job' : 'cloud-run-service'
}

/** Max startup latency in seconds: 3 × startup interval with MSP healthz probes, else Cloud Run's generous 240 s. */
function maxStartupLatencySeconds(env: Environment): number {
  return healthProbeSettings(env).maxStartupSeconds
}

function commonAlerts(ctx: Ctx): Draft[] {
  const kind = runtimeKind(ctx)
  const startupMs = ctx.kind === 'job' ? 10_000 : maxStartupLatencySeconds(ctx.env) * 1000
  return [
    {
      group: 'common',
      alertId: 'cpu',
      displayName: 'High Container CPU Utilization',
      description: 'High CPU Usage - it may be neccessary to reduce load or increase CPU allocation',
      resourceKind: kind,
      condition: metric(ctx, 'threshold', {
        metricFilters: {'metric.type': 'run.googleapis.com/container/cpu/utilizations'},
        resourceKind: kind,
        aligner: 'ALIGN_PERCENTILE_99',
        reducer: 'REDUCE_MAX',
        period: '60s',
        threshold: 0.9,
        duration: '600s',
      }),
    },
    {
      group: 'common',
      alertId: 'memory',
      displayName: 'High Container Memory Utilization',
      description: 'High Memory Usage - it may be neccessary to reduce load or increase memory allocation',
      resourceKind: kind,
      condition: metric(ctx, 'threshold', {
        metricFilters: {'metric.type': 'run.googleapis.com/container/memory/utilizations'},
        resourceKind: kind,
        aligner: 'ALIGN_PERCENTILE_99',
        reducer: 'REDUCE_MAX',
        period: '300s',
        threshold: 0.8,
      }),
    },
    {
      group: 'common',
      alertId: 'startup',
      displayName: 'Container Startup Latency',
      description: 'Service containers are taking longer than configured timeouts to start up.',
      resourceKind: kind,
      condition: metric(ctx, 'threshold', {
        metricFilters: {'metric.type': 'run.googleapis.com/container/startup_latencies'},
        resourceKind: kind,
        aligner: 'ALIGN_PERCENTILE_99',
        reducer: 'REDUCE_MAX',
        period: '60s',
        threshold: startupMs,
      }),
    },
  ]
}

function serviceAlerts(ctx: Ctx): Draft[] {
  const out: Draft[] = [
    {
      group: 'service',
      alertId: 'cloud_run_pending_requests',
      displayName: 'Cloud Run Pending Requests',
      description: changed(ctx.edition, 'pendingRequestsWording', PENDING_REQUESTS_DESCRIPTION),
      resourceKind: 'cloud-run-service',
      condition: metric(ctx, 'threshold', {
        metricFilters: {'metric.type': 'run.googleapis.com/pending_queue/pending_requests'},
        resourceKind: 'cloud-run-service',
        aligner: 'ALIGN_SUM',
        reducer: 'REDUCE_SUM',
        period: '60s',
        threshold: 5,
      }),
    },
    {
      group: 'service',
      // The original nests this alert in a `cloud_run_precondition_failed_alert` group with its log metric.
      alertId: 'cloud_run_precondition_failed',
      resourceSuffix: 'cloud_run_precondition_failed_alert-cloud_run_precondition_failed',
      displayName: 'Cloud Run Instance Precondition Failed',
      description:
        'Cloud Run instance failed to start due to a precondition failure.\nThis is unlikely to cause immediate downtime, and may auto-resolve if no new ' +
        'instances are created and/or we return to a healthy state, but you should follow up to ensure the latest Cloud Run revision is healthy.',
      condition: metric(ctx, 'threshold', {
        metricFilters: {
          'metric.type': tf`logging.googleapis.com/user/${resourceRef('google_logging_metric', PRECONDITION_LOG_METRIC_RESOURCE, 'id')}`,
          'resource.type': 'cloud_run_revision',
        },
        aligner: 'ALIGN_MAX',
        reducer: 'REDUCE_SUM',
        period: '60s',
        threshold: 0,
      }),
    },
  ]
  const dns = dnsName(ctx.env)
  if (dns && !ctx.env.authentication) {
    out.push({
      group: 'service',
      alertId: 'external_health_check',
      displayName: 'External Uptime Check',
      description:
        `Service is failing to ${changed(ctx.edition, 'uptimeRespondSpelling', UPTIME_VERB)} on https://${dns} - this may be expected if the ` +
        `service was recently provisioned or if its external domain has changed.`,
      severity: 'CRITICAL',
      resourceKind: 'url-uptime',
      condition: metric(ctx, 'threshold', {
        metricFilters: {'metric.type': 'monitoring.googleapis.com/uptime_check/check_passed'},
        resourceKind: 'url-uptime',
        aligner: 'ALIGN_FRACTION_TRUE',
        reducer: 'REDUCE_MEAN',
        period: '180s',
        groupBy: ['metric.labels.host'],
        comparison: 'COMPARISON_LT',
        threshold: 0.4,
        trigger: {percent: 100},
      }),
    })
  }
  const maxCount = instanceCountAlertMax(ctx)
  if (maxCount !== undefined) {
    out.push({
      group: 'service',
      alertId: 'instance_count',
      displayName: 'Container Instance Count',
      description:
        "There are a lot of Cloud Run instances running - we may need to increase per-instance requests make make sure we won't hit the configured max " +
        'instance count',
      resourceKind: 'cloud-run-service',
      condition: metric(ctx, 'threshold', {
        metricFilters: {'metric.type': 'run.googleapis.com/container/instance_count'},
        resourceKind: 'cloud-run-service',
        aligner: 'ALIGN_MAX',
        reducer: 'REDUCE_MAX',
        period: '60s',
        threshold: maxCount - 1,
      }),
    })
  }
  // The order service.go creates them in (the final dashboard lists charts in creation order).
  const created = ['instance_count', 'cloud_run_pending_requests', 'external_health_check', 'cloud_run_precondition_failed']
  return out.sort((a, b) => created.indexOf(a.alertId) - created.indexOf(b.alertId))
}

/** The max instance count the instance-count alert watches, or undefined when the edition provisions none. */
function instanceCountAlertMax(ctx: Ctx): number | undefined {
  const scaling = ctx.env.instances?.scaling
  if (!inForce(ctx.edition, 'instanceCountEffectiveMax')) {
    const explicit = scaling?.maxCount
    return typeof explicit === 'number' && explicit >= 5 ? explicit : undefined
  }
  // spec.GetMaxCount: nil without a scaling block, else maxCount with the default of 5.
  if (!scaling) return undefined
  const effective = scaling.maxCount ?? 5
  return effective >= 5 ? effective : undefined
}

function jobAlerts(ctx: Ctx): Draft[] {
  const out: Draft[] = [
    {
      group: 'job',
      alertId: 'job_failures',
      displayName: 'Cloud Run Job Failures',
      description: 'Cloud Run Job executions failed',
      resourceKind: 'cloud-run-job',
      condition: metric(ctx, 'threshold', {
        metricFilters: {'metric.type': 'run.googleapis.com/job/completed_task_attempt_count', 'metric.labels.result': 'failed'},
        resourceKind: 'cloud-run-job',
        aligner: 'ALIGN_COUNT',
        reducer: 'REDUCE_SUM',
        period: '60s',
        groupBy: ['metric.label.result'],
        threshold: 0,
      }),
    },
  ]
  const cron = ctx.env.schedule?.cron
  if (cron) {
    const windowMinutes = Math.ceil(maxCronIntervalMinutes(cron)) + 10
    if (!inForce(ctx.edition, 'jobAbsenceCap') || windowMinutes < MAX_ABSENCE_MINUTES) {
      out.push({
        group: 'job',
        alertId: 'job_execution_absence',
        displayName: 'Cloud Run Job Execution Absence',
        description: `No Cloud Run Job executions were detected in expected window (${windowMinutes}m)`,
        resourceKind: 'cloud-run-job',
        condition: metric(ctx, 'absent', {
          metricFilters: {'metric.type': 'run.googleapis.com/job/completed_task_attempt_count'},
          resourceKind: 'cloud-run-job',
          aligner: 'ALIGN_COUNT',
          reducer: 'REDUCE_SUM',
          period: '60s',
          threshold: 0,
          duration: `${windowMinutes * 60}s`,
        }),
      })
    }
  }
  return out
}

function redisAlerts(ctx: Ctx): Draft[] {
  const redis = (alertId: string, displayName: string, description: string, m: Omit<MetricDraft, 'resourceKind'>): Draft => ({
    group: 'redis',
    alertId,
    displayName,
    description,
    resourceKind: 'cloud-redis',
    condition: metric(ctx, 'threshold', {...m, resourceKind: 'cloud-redis'}),
  })
  return [
    redis(
      'memory',
      'Cloud Redis - System Memory Utilization',
      'Redis System memory utilization is above the set threshold. The utilization is measured on a scale of 0 to 1.',
      {
        metricFilters: {'metric.type': 'redis.googleapis.com/stats/memory/system_memory_usage_ratio'},
        aligner: 'ALIGN_MEAN',
        reducer: 'REDUCE_NONE',
        period: '300s',
        threshold: 0.8,
      },
    ),
    redis(
      'cpu',
      'Cloud Redis - System CPU Utilization',
      'Redis Engine CPU Utilization goes above the set threshold. The utilization is measured on a scale of 0 to 1.',
      {
        metricFilters: {'metric.type': 'redis.googleapis.com/stats/cpu_utilization_main_thread'},
        aligner: 'ALIGN_RATE',
        reducer: 'REDUCE_SUM',
        period: '300s',
        groupBy: ['resource.label.instance_id', 'resource.label.node_id'],
        threshold: 0.9,
      },
    ),
    redis('failover', 'Cloud Redis - Standard Instance Failover', 'Instance failover occured for a standard tier Redis instance.', {
      metricFilters: {'metric.type': 'redis.googleapis.com/replication/role'},
      aligner: 'ALIGN_STDDEV',
      period: '300s',
      threshold: 0,
    }),
  ]
}

function cloudSqlAlerts(ctx: Ctx): Draft[] {
  const maxConnections = ctx.env.resources?.postgreSQL?.maxConnections ?? 100
  const sql = (alertId: string, displayName: string, description: string, m: MetricDraft & {resourceKind: 'cloud-sql' | 'cloud-sql-database'}): Draft => ({
    group: 'cloudsql',
    alertId,
    displayName,
    description,
    resourceKind: m.resourceKind,
    condition: metric(ctx, 'threshold', m),
  })
  const lockTime = {
    metricFilters: {'metric.type': 'cloudsql.googleapis.com/database/postgresql/insights/perquery/lock_time'},
    resourceKind: 'cloud-sql-database' as const,
    aligner: 'ALIGN_RATE',
    reducer: 'REDUCE_MEAN',
    groupBy: ['metric.label.querystring', 'metric.label.user'],
  }
  return [
    sql('cloud_sql_memory', 'Cloud SQL - Memory Utilization', 'Cloud SQL instance memory utilization is above acceptable threshold.', {
      metricFilters: {'metric.type': 'cloudsql.googleapis.com/database/memory/utilization'},
      resourceKind: 'cloud-sql',
      aligner: 'ALIGN_MEAN',
      reducer: 'REDUCE_NONE',
      period: '60s',
      threshold: 0.8,
    }),
    sql('cloud_sql_cpu', 'Cloud SQL - CPU Utilization', 'Cloud SQL instance CPU utilization is above acceptable threshold.', {
      metricFilters: {'metric.type': 'cloudsql.googleapis.com/database/cpu/utilization'},
      resourceKind: 'cloud-sql',
      aligner: 'ALIGN_MEAN',
      reducer: 'REDUCE_NONE',
      period: '60s',
      threshold: 0.9,
      duration: '180s',
    }),
    sql('cloud_sql_server_up', 'Cloud SQL - Server Availability', 'Cloud SQL instance is down.', {
      metricFilters: {'metric.type': 'cloudsql.googleapis.com/database/up'},
      resourceKind: 'cloud-sql',
      aligner: 'ALIGN_MIN',
      reducer: 'REDUCE_NONE',
      period: '60s',
      comparison: 'COMPARISON_LT',
      threshold: 1,
    }),
    sql('cloud_sql_disk_utilization', 'Cloud SQL - Disk Utilization', 'Cloud SQL instance disk utilization is above acceptable threshold.', {
      metricFilters: {'metric.type': 'cloudsql.googleapis.com/database/disk/utilization'},
      resourceKind: 'cloud-sql',
      aligner: 'ALIGN_MEAN',
      reducer: 'REDUCE_NONE',
      period: '300s',
      threshold: 0.95,
    }),
    sql(
      'cloud_sql_connections',
      'Cloud SQL - Connections',
      'The number of Cloud SQL connections are approaching the maximum number of connections.\nThis can be caused by an increase in the number of active ' +
        "service instances.\n\nTry increasing the 'resource.postgreSQL.maxConnections' configuration parameter.",
      {
        metricFilters: {'metric.type': 'cloudsql.googleapis.com/database/postgresql/num_backends'},
        resourceKind: 'cloud-sql',
        aligner: 'ALIGN_MAX',
        reducer: 'REDUCE_SUM',
        period: '120s',
        threshold: 0.9 * maxConnections,
      },
    ),
    sql(
      'per_query_lock_time_sustained',
      'Cloud SQL - Sustained Per-Query Lock Times',
      'Cloud SQL database queries are encountering lock times above acceptable thresholds over a window.',
      {...lockTime, period: '60s', threshold: 200_000, duration: '180s'},
    ),
    sql(
      'per_query_lock_time_spike',
      'Cloud SQL - Spike in Per-Query Lock Time',
      'Cloud SQL database queries encountered lock times well above acceptable thresholds.',
      {...lockTime, period: '120s', threshold: 1_000_000},
    ),
  ]
}

/** The spec's rule (responseCodeRatioMinutes); the final edition's schema has no `duration` string. */
function responseCodeDurationSeconds(alert: ResponseCodeRatio, edition: Edition): number {
  if (alert.durationMinutes == null && inForce(edition, 'responseCodeDurationMinutes')) return 60
  return responseCodeRatioMinutes(alert) * 60
}

/**
 * The response-code MQL, the same in every release: the original's builder (`responseCodeBuilder`, later
 * `responseCodeMQLBuilder` in internal/resource/alertpolicy/responsecode.go) and its test goldens did not
 * change from 2023 to the final version.
 */
function responseCodeQuery(alert: ResponseCodeRatio): string {
  const byClass = alert.code == null && alert.codeClass != null
  const lines = [
    'fetch cloud_run_revision',
    "| metric 'run.googleapis.com/request_count'",
    '| group_by 15s, [value_request_count_aggregate: aggregate(value.request_count)]',
    '| every 15s',
    '| {',
    byClass ? '  group_by [metric.response_code, metric.response_code_class],' : '  group_by [metric.response_code],',
    '  [response_code_count_aggregate: aggregate(value_request_count_aggregate)]',
    byClass ? `  | filter (metric.response_code_class = '${alert.codeClass}')` : `  | filter (metric.response_code = '${alert.code}')`,
    ...(alert.excludeCodes ?? []).map((c) => `  | filter (metric.response_code != '${c}')`),
    '; group_by [],',
    '  [value_request_count_aggregate_aggregate: aggregate(value_request_count_aggregate)]',
    '}',
    '| join',
    '| value [response_code_ratio: val(0) / val(1)]',
    `| condition gt(val(), ${String(alert.ratio)})`,
  ]
  return `${lines.join('\n')}\n`
}

/**
 * One policy per `responseCodeRatios[]` entry. No `resource_kind` label in any release: since
 * sourcegraph/sourcegraph#60506 (2024-02-14) the label comes only from threshold (later also absence) conditions.
 */
function responseCodeAlerts(spec: Spec, edition: Edition): Draft[] {
  return (spec.monitoring?.alerts?.responseCodeRatios ?? []).map((alert) => ({
    group: 'response-code' as const,
    alertId: alert.id,
    displayName: inForce(edition, 'responseCodeTitleSpecName') ? alert.name : `High Ratio of ${alert.name} Responses`,
    description: alert.description ?? '',
    condition: {
      type: 'mql' as const,
      query: responseCodeQuery(alert),
      duration: `${responseCodeDurationSeconds(alert, edition)}s`,
      trigger: {count: 1},
    },
  }))
}

/** `monitoring.alerts.customAlerts` (2024-08): the query passed through, PromQL flattened to one line. */
function customAlerts(spec: Spec): Draft[] {
  return (spec.monitoring?.alerts?.customAlerts ?? []).map((alert) => {
    const duration = `${(alert.condition.durationMinutes ?? 1) * 60}s`
    const condition: AlertCondition =
      alert.condition.type === 'promql'
        ? {type: 'promql', query: alert.condition.query.replaceAll('\n', ' ').split(/\s+/).filter(Boolean).join(' '), duration}
        : {type: 'mql', query: alert.condition.query, duration}
    return {
      group: 'custom' as const,
      alertId: customAlertId(alert),
      displayName: alert.name,
      description: alert.description ?? '',
      severity: alert.severityLevel,
      condition,
    }
  })
}

/**
 * Computes the alert policies of one environment, sorted by Terraform resource name (the order the
 * handbook lists them in).
 * @param spec - the service spec
 * @param env - one of the spec's environments
 * @param edition - the release of the original whose catalogue to reproduce
 */
export function monitoringAlertPolicies(spec: Spec, env: Environment, edition: Edition): AlertPolicy[] {
  const ctx: Ctx = {serviceId: spec.service.id, env, ids: alertFilterIds(env), kind: serviceKind(spec), edition}
  const drafts = [...commonAlerts(ctx)]
  if (ctx.kind === 'service') drafts.push(...serviceAlerts(ctx), ...responseCodeAlerts(spec, edition))
  else drafts.push(...jobAlerts(ctx))
  if (inForce(edition, 'customAlerts')) drafts.push(...customAlerts(spec))
  if (env.resources?.redis) drafts.push(...redisAlerts(ctx))
  if (env.resources?.postgreSQL) drafts.push(...cloudSqlAlerts(ctx))
  const footer = alertDescriptionSuffix(spec, env.id, edition)
  return drafts
    .map((d, creationIndex): AlertPolicy => ({
      resourceName: `monitoring-${d.group}-${d.resourceSuffix ?? d.alertId}`,
      creationIndex,
      group: d.group,
      alertId: d.alertId,
      displayName: d.displayName,
      description: d.description,
      documentation: `${d.description}\n\n${footer}`,
      severity: d.severity ?? 'WARNING',
      ...(d.resourceKind ? {resourceKind: d.resourceKind} : {}),
      condition: d.condition,
    }))
    .sort((a, b) => (a.resourceName < b.resourceName ? -1 : a.resourceName > b.resourceName ? 1 : 0))
}
