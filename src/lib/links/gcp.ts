import {escapeStrict} from './encode.js'

/** The kind of Cloud Run workload: a long-running service or a (cron) job. */
export type WorkloadKind = 'service' | 'job'

const CONSOLE = 'https://console.cloud.google.com'

const SERVICE_LOG_QUERY = 'resource.type = "cloud_run_revision" -logName=~"logs/run.googleapis.com%2Frequests"'
const JOB_LOG_QUERY = 'resource.type = "cloud_run_job"'
const SERVICE_SUMMARY_FIELDS = ['jsonPayload/InstrumentationScope', 'jsonPayload/Body', 'jsonPayload/Attributes/error']
const JOB_SUMMARY_FIELDS = ['labels/"run.googleapis.com/execution_name"', ...SERVICE_SUMMARY_FIELDS]

/**
 * The Logging query of a workload's logs, as the Logs Explorer link carries it (the original's
 * `ServiceLogsURL`): every Cloud Run revision log of the project except request logs, or every job log.
 * `msp logs --print` sends the same filter to the Logging API.
 * @param kind - service or job
 */
export function buildLogsQuery(kind: WorkloadKind): string {
  return kind === 'job' ? JOB_LOG_QUERY : SERVICE_LOG_QUERY
}

/**
 * The Logs Explorer URL for a service's (or job's) logs in a project, encoded exactly as the original
 * (gcplogurl): `;query=` strictly percent-encoded, `;summaryFields=` encoded twice, then `?project=`.
 * @param options - the environment's GCP project and the workload kind
 */
export function buildLogsUrl(options: {projectId: string; kind: WorkloadKind}): string {
  const job = options.kind === 'job'
  const query = escapeStrict(buildLogsQuery(options.kind))
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
    '(%22dashboards%22:(%22t%22:%22All%22),%22dashboardList%22:(%22f%22:%22%255B%257B_22k_22_3A_22Type_22_2C_22t_22_3A10_2C_22v_22_3A_22_5C_22Custom_5C_22_22_2C_22s_22_3Atrue_2C_22i_22_3A_22category_22%257D%255D%22))'
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
  return `${CONSOLE}/deploy/delivery-pipelines/${region}/${serviceId}-${region}-rollout?project=${escapeStrict(projectId)}`
}
