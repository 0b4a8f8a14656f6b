import {UsageError} from '../io/errors.js'
import {rolloutPipelineName} from '../spec/derived.js'
import {escapeStrict} from './encode.js'

/** The kind of Cloud Run workload: a long-running service or a (cron) job. */
export type WorkloadKind = 'service' | 'job'

const CONSOLE = 'https://console.cloud.google.com'

const SERVICE_LOG_QUERY = 'resource.type = "cloud_run_revision" -logName=~"logs/run.googleapis.com%2Frequests"'
const JOB_LOG_QUERY = 'resource.type = "cloud_run_job"'
const SERVICE_SUMMARY_FIELDS = ['jsonPayload/InstrumentationScope', 'jsonPayload/Body', 'jsonPayload/Attributes/error']
const JOB_SUMMARY_FIELDS = ['labels/"run.googleapis.com/execution_name"', ...SERVICE_SUMMARY_FIELDS]

/** Severity levels of Cloud Logging, lowest first (`--severity` takes them in lower case). */
export const LOG_SEVERITIES = ['default', 'debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const
export type LogSeverity = (typeof LOG_SEVERITIES)[number]

/** Restrictions added to a workload's log query (`msp logs --severity --grep --revision --execution`). */
export interface LogsQueryFilters {
  /** This level and above. */
  severity?: LogSeverity
  /** Text anywhere in the entry (the Logs Explorer's global search). */
  grep?: string
  /** One revision of a service. */
  revision?: string
  /** One execution of a job. */
  execution?: string
}

/** Longest `--grep` text: the whole query must stay well under Cloud Logging's 20,000-character limit. */
export const MAX_GREP_LENGTH = 1000

// Cloud Run revision and execution ids: lower-case letters, digits and hyphens, at most 63 characters.
const RUN_ID = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/

/**
 * A string literal of the Logging query language: double-quoted, with `\` and `"` escaped, so user
 * text is always one value and never query syntax.
 * @param text - raw text without control characters
 */
export function loggingString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}

function filterLines(kind: WorkloadKind, filters: LogsQueryFilters): string[] {
  const lines: string[] = []
  if (filters.severity !== undefined) {
    if (!LOG_SEVERITIES.includes(filters.severity))
      throw new UsageError(`invalid --severity ${JSON.stringify(filters.severity)}`, {hint: `one of ${LOG_SEVERITIES.join(', ')}`})
    lines.push(`severity >= ${filters.severity.toUpperCase()}`)
  }
  if (filters.revision !== undefined) {
    if (kind === 'job')
      throw new UsageError('--revision selects a revision of a service; this is a job', {hint: 'use --execution <name> for one execution of a job'})
    if (!RUN_ID.test(filters.revision))
      throw new UsageError(`invalid --revision ${JSON.stringify(filters.revision)}`, {
        hint: 'a Cloud Run revision name, such as svc-prod-us-central1-00042-abc (see msp status)',
      })
    lines.push(`resource.labels.revision_name = ${loggingString(filters.revision)}`)
  }
  if (filters.execution !== undefined) {
    if (kind !== 'job')
      throw new UsageError('--execution selects an execution of a job; this is a service', {hint: 'use --revision <name> for one revision of a service'})
    if (!RUN_ID.test(filters.execution))
      throw new UsageError(`invalid --execution ${JSON.stringify(filters.execution)}`, {
        hint: 'a Cloud Run execution name, such as job-prod-us-central1-x7k2p (see msp status)',
      })
    lines.push(`labels."run.googleapis.com/execution_name" = ${loggingString(filters.execution)}`)
  }
  if (filters.grep !== undefined) {
    // A line break would start a new restriction of the query: control characters are refused, not sent.
    if (filters.grep === '' || /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(filters.grep) || filters.grep.length > MAX_GREP_LENGTH)
      throw new UsageError(`invalid --grep text ${JSON.stringify(filters.grep.slice(0, 80))}`, {
        hint: `one line of 1 to ${MAX_GREP_LENGTH} characters, without control characters`,
      })
    lines.push(loggingString(filters.grep))
  }
  return lines
}

/**
 * The Logging query of a workload's logs, as the Logs Explorer link carries it (the original's
 * `ServiceLogsURL`): every Cloud Run revision log of the project except request logs, or every job log;
 * then one line per filter (a new line is an AND, as in the Logs Explorer). `msp logs --print` sends the
 * same query to the Logging API, so the link and the terminal show the same entries.
 * @param kind - service or job
 * @param filters - severity, text, revision or execution to add (validated here: usage errors)
 */
export function buildLogsQuery(kind: WorkloadKind, filters: LogsQueryFilters = {}): string {
  return [kind === 'job' ? JOB_LOG_QUERY : SERVICE_LOG_QUERY, ...filterLines(kind, filters)].join('\n')
}

/**
 * The Logs Explorer URL for a service's (or job's) logs in a project, encoded exactly as the original
 * (gcplogurl): `;query=` strictly percent-encoded, `;summaryFields=` encoded twice, then `?project=`.
 * @param options - the environment's GCP project, the workload kind and the filters of the query
 */
export function buildLogsUrl(options: {projectId: string; kind: WorkloadKind; filters?: LogsQueryFilters}): string {
  const job = options.kind === 'job'
  const query = escapeStrict(buildLogsQuery(options.kind, options.filters))
  const fields = (job ? JOB_SUMMARY_FIELDS : SERVICE_SUMMARY_FIELDS).map((f) => escapeStrict(escapeStrict(f))).join(',')
  return `${CONSOLE}/logs/query;query=${query};summaryFields=${fields}:false:32:end?project=${escapeStrict(options.projectId)}`
}

/** Cloud Run console list for the project (`/run/jobs` for jobs). */
export function buildCloudRunUrl(options: {projectId: string; kind: WorkloadKind}): string {
  return `${CONSOLE}/run${options.kind === 'job' ? '/jobs' : ''}?project=${escapeStrict(options.projectId)}`
}

/** Cloud Trace list for the project. */
export function buildTracesUrl(projectId: string): string {
  return `${CONSOLE}/traces/list?project=${escapeStrict(projectId)}`
}

/** Cloud Monitoring alert policies of the project. */
export function buildAlertPoliciesUrl(projectId: string): string {
  return `${CONSOLE}/monitoring/alerting/policies?project=${escapeStrict(projectId)}`
}

/**
 * Cloud Monitoring custom dashboards of the project, in the original's source form (before the
 * link normaliser reorders and re-encodes the query; see normalizeLink).
 */
export function buildDashboardsUrl(projectId: string): string {
  const pageState =
    '(%22dashboards%22:(%22t%22:%22All%22),%22dashboardList%22:(%22f%22:%22%255B%257B_22k_22_3A_22Type_22_2C_22t_22_3A10_2C_22v_22_3A_22_5C_22Custom' +
    '_5C_22_22_2C_22s_22_3Atrue_2C_22i_22_3A_22category_22%257D%255D%22))'
  return `${CONSOLE}/monitoring/dashboards?project=${escapeStrict(projectId)}&pageState=${pageState}`
}

/** Memorystore Redis instances of the project. */
export function buildRedisUrl(projectId: string): string {
  return `${CONSOLE}/memorystore/redis/instances?project=${escapeStrict(projectId)}`
}

/** Cloud SQL instances of the project. */
export function buildCloudSqlUrl(projectId: string): string {
  return `${CONSOLE}/sql/instances?project=${escapeStrict(projectId)}`
}

/** BigQuery studio of the project (not in the original's pages; used by `msp open <svc> <env> bigquery`). */
export function buildBigQueryUrl(projectId: string): string {
  return `${CONSOLE}/bigquery?project=${escapeStrict(projectId)}`
}

/**
 * Cloud Deploy delivery pipeline of a rollout, in the project of its final stage.
 * @param options - service id, region of the pipeline and the final stage's project
 */
export function buildRolloutPipelineUrl(options: {serviceId: string; region: string; projectId: string}): string {
  const {serviceId, region, projectId} = options
  return `${CONSOLE}/deploy/delivery-pipelines/${region}/${rolloutPipelineName(serviceId, region)}?project=${escapeStrict(projectId)}`
}
