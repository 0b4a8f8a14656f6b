import {cpSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {loadService} from '../../src/lib/spec/load.js'
import {generateToFolder} from '../helpers/generated.js'
import {examplesRepo, featuresRepo, fixturesDir} from '../helpers/paths.js'

// The resource addresses the original (`sg msp generate`, final public version: khulnasoft/khulnasoft
// df3668f5, Sourcegraph literals) creates per stack, derived HERE from the spec by the original's
// rules — never by calling msp's stack code — and compared with what msp writes.
//
// Addresses are `resource.<type>.<name>`, `data.<type>.<name>`, `provider.<name>[.<alias>]`,
// `variable.<name>` and `output.<name>`. They include CDKTF's cross-stack plumbing, derived from the
// original's wiring in {@link handoffs}: a sensitive `cross-stack-output-*` output on the producing
// stack and a `terraform_remote_state` data source on the reading stack. The 2024-05 wiring is the
// final one minus features that did not exist yet: stored versions from before May 2024
// (managedservicesplatform.go @ 05e351fe, the Jan-2024 cloudrun.go and monitoring.go) and after it
// (cloudrun.go @ 008f43c5) pass the same tokens.
//
// Paths in comments are relative to dev/managedservicesplatform/ of the original.
//
// The 2024-05 edition (what the original generated on 2024-05-01, the day it published the handbook
// pages in test/fixtures/handbook) is the final set with the changes made after that day taken back,
// each marked `MAY:` below with the pull request of sourcegraph/sourcegraph (dated by its opening, from
// sourcegraph/sourcegraph-public-snapshot) or the stored file version it comes from. Anchor: the stored
// stacks/cloudrun/cloudrun.go @ 008f43c5 is from 2024-05-10..15 (it has #62596 but not #62704).

type Yaml = Record<string, any>

interface Ctx {
  spec: Yaml
  env: Yaml
  svc: string
  envId: string
  project: string
  region: string
  kind: 'service' | 'job'
  production: boolean
  /** The rollout stages when this environment is the last one (stacks/cloudrun/cloudrun.go `IsFinalStage`). */
  finalStageOf: string[] | undefined
  /** Whether to derive the 2024-05 set (see the header). */
  may: boolean
}

function context(spec: Yaml, env: Yaml, edition: '2024-05' | '2024-08'): Ctx {
  const stages: string[] = (spec.rollout?.stages ?? []).map((s: Yaml) => s.environment)
  return {
    spec,
    env,
    svc: spec.service.id,
    envId: env.id,
    project: env.projectID,
    // spec/environment.go GetLocationSpec: default region us-central1
    region: env.locations?.gcpRegion ?? 'us-central1',
    kind: spec.service.kind === 'job' ? 'job' : 'service',
    // spec/environment.go IsProduction: every category but `test`
    production: env.category !== 'test',
    finalStageOf: stages.length > 0 && stages.at(-1) === env.id ? stages : undefined,
    may: edition === '2024-05',
  }
}

/** internal/stack/stacks.go StackLocals.Add: output + (when mirrored) a GSM secret pair. */
function local(out: Set<string>, name: string, mirrored: boolean): void {
  out.add(`output.output-${name}`)
  if (!mirrored) return
  out.add(`resource.google_secret_manager_secret.output-gsm-${name}-secret`)
  out.add(`resource.google_secret_manager_secret_version.output-gsm-${name}-secret_version`)
}

/** internal/resource/gsmsecret/gsmsecret.go Get: `<id>-version_data`. */
function gsmData(out: Set<string>, id: string): void {
  out.add(`data.google_secret_manager_secret_version.${id}-version_data`)
}

/** internal/resource/serviceaccount/serviceaccount.go: `<id>-account` + `<id>-<role id>-member` per role. */
function serviceAccount(out: Set<string>, id: string, roleIds: string[]): void {
  out.add(`resource.google_service_account.${id}-account`)
  for (const r of roleIds) out.add(`resource.google_project_iam_member.${id}-${r}-member`)
}

function projectStack(c: Ctx): Set<string> {
  const out = new Set<string>()
  // stacks/project/project.go: google provider without project; root id = project id minus its last segment
  out.add('provider.google')
  const root = c.project.slice(0, c.project.lastIndexOf('-'))
  out.add(`resource.google_project.${root}-project`)
  const apis = [
    'run',
    'containerregistry',
    'cloudbuild',
    'logging',
    'monitoring',
    'iam',
    'secretmanager',
    'redis',
    'compute',
    'networkmanagement',
    'vpcaccess',
    'servicenetworking',
    'storage-api',
    'storage-component',
    'bigquery',
    'cloudprofiler',
    'cloudscheduler',
    'sqladmin',
    'clouddeploy',
    'bigqueryconnection',
    'accesscontextmanager',
    'pubsub',
    'datastream',
  ]
    // MAY: the list only grew; `pubsub` came with #62596 (2024-05-10, Cloud Deploy notifications) and
    // `datastream` with #63092 (2024-06-05, logical replication); stored project.go id 2858402869 has
    // pubsub but not datastream.
    .filter((a) => !c.may || (a !== 'pubsub' && a !== 'datastream'))
    .map((a) => `${a}.googleapis.com`)
  for (const api of [...apis, ...(c.spec.service.iam?.services ?? [])]) {
    out.add(`resource.google_project_service.${root}-project-service-${api.replaceAll('.', '-')}`)
  }
  local(out, 'project_id', false)
  return out
}

function iamStack(c: Ctx): Set<string> {
  const out = new Set<string>()
  // internal/stack/options/googleprovider, randomprovider; stacks/iam/iam.go google_beta provider
  out.add('provider.google').add('provider.random').add('provider.google-beta')
  local(out, 'project_id', false)
  const iam = c.spec.service.iam ?? {}
  // stacks/iam/iam.go: spec roles first (non-alphanumerics → _), then the 7 fixed roles, then the custom role
  const roles = (iam.roles ?? []).map((r: string) => r.replace(/[^a-zA-Z0-9]+/g, '_'))
  roles.push(
    'role_secret_accessor',
    'role_compute_networkuser',
    'role_cloudtrace_agent',
    'role_monitoring_metricwriter',
    'role_cloudprofiler_agent',
    'role_cloudsql_client',
    'role_cloudsql_instanceuser',
  )
  if ((iam.permissions ?? []).length > 0) {
    out.add('resource.google_project_iam_custom_role.iam-custom-role')
    roles.push('msp_workload_custom_role')
  }
  serviceAccount(out, 'iam-workload', roles)
  // MAY: absent in stacks/iam/iam.go @ 1c455c14; TFC impersonates the workload account for the
  // workload-user postgresql provider of #63092 (2024-06-05).
  if (!c.may) {
    out.add('resource.google_service_account_iam_member.iam-tfc_impersonate_workload-serviceaccountuser')
    out.add('resource.google_service_account_iam_member.iam-tfc_impersonate_workload-serviceaccounttokencreator')
  }
  // internal/resource/random/random.go: `<id>-random`
  out.add('resource.random_id.iam-operatoraccess_account_id-random')
  serviceAccount(out, 'iam-operatoraccess', ['role_cloudsql_client', 'role_cloudsql_instanceuser'])
  out.add('resource.google_project_service_identity.iam-cloudrun-identity')
  // stacks/iam/iam.go extractImageGoogleProject
  const parts = String(c.spec.build?.image ?? '').split('/')
  if (parts.length >= 3 && (parts[0]!.endsWith('.gcr.io') || parts[0]!.endsWith('-docker.pkg.dev'))) {
    out.add('resource.google_project_iam_member.iam-image_access-object_viewer-member')
    out.add('resource.google_project_iam_member.iam-image_access-artifact_reader-member')
  }
  // stacks/iam/iam.go extractExternalSecrets: `projects/…` secrets, env keys then `volume_<key>`, lower-cased
  const ext: [string, string][] = [
    ...Object.entries<string>(c.env.secretEnv ?? {}),
    ...Object.entries<Yaml>(c.env.secretVolumes ?? {}).map(([k, v]): [string, string] => [`volume_${k}`, v.secret]),
  ]
  for (const [key, secret] of ext) {
    if (secret.startsWith('projects/')) out.add(`resource.google_secret_manager_secret_iam_member.iam-external_secret_access-${key.toLowerCase()}-member`)
  }
  if (c.finalStageOf) {
    serviceAccount(out, 'iam-clouddeploy-executor', ['role_clouddeploy_job_runner'])
    serviceAccount(out, 'iam-clouddeploy-releaser', [])
    local(out, 'cloud_deploy_releaser_service_account_id', true)
  }
  // stacks/iam/iam.go: the Datastream account exists in every environment. MAY: it came with #63092
  // (2024-06-05); the cloudrun.go of mid-May (@ 008f43c5) reads no Datastream account.
  if (!c.may) serviceAccount(out, 'iam-datastream-to-cloudsql', ['role_cloudsql_client'])
  local(out, 'cloud_run_service_account', true)
  local(out, 'operator_access_service_account', true)
  return out
}

function cloudrunStack(c: Ctx): Set<string> {
  const out = new Set<string>()
  const r = (type: string, name: string) => out.add(`resource.${type}.${name}`)
  // stacks/cloudrun/cloudrun.go NewStack options: google, cloudflare (token from GSM), random, sentry (token from GSM)
  out.add('provider.google').add('provider.cloudflare').add('provider.random').add('provider.sentry')
  gsmData(out, 'cloudflare-provider-token')
  gsmData(out, 'sentry-provider-token')
  local(out, 'project_id', false)
  r('random_id', 'diagnostics-secret-random')
  const deploy = c.env.deploy?.type ?? 'manual'
  // internal/resource/tfvar/tfvar.go: variable id overridden to the key. MAY: every deploy type read
  // its tag from tfvars until #62704 (2024-05-15), and cloudrun.go @ 008f43c5 adds the `image_tag` local.
  if (deploy === 'subscription' || c.may) out.add('variable.resolved_image_tag')
  if (c.may) local(out, 'image_tag', true)
  const res = c.env.resources ?? {}
  // internal/resource/privatenetwork/privatenetwork.go (fixed names)
  if (res.redis || res.postgreSQL) {
    r('google_compute_network', 'cloudrun-network')
    r('random_id', 'privatenetwork-subnetwork-name-random')
    r('google_compute_subnetwork', 'cloudrun-subnetwork')
    r('google_compute_global_address', 'cloudrun-network-service-networking-connection-ip')
    r('google_service_networking_connection', 'cloudrun-network-service-networking-connection')
  }
  // internal/resource/redis/redis.go + gsmsecret.New(id.Group("ca-cert"))
  if (res.redis) {
    r('google_redis_instance', 'redis-instance')
    r('google_secret_manager_secret', 'redis-ca-cert-secret')
    r('google_secret_manager_secret_version', 'redis-ca-cert-secret_version')
  }
  if (res.postgreSQL) {
    // internal/resource/cloudsql/cloudsql.go
    r('random_id', 'postgresql-instance_name_suffix-random')
    r('google_sql_database_instance', 'postgresql-instance')
    for (const db of res.postgreSQL.databases ?? []) r('google_sql_database', `postgresql-database-${db}`)
    r('random_password', 'postgresql-admin_password')
    r('google_sql_user', 'postgresql-admin_user')
    r('google_sql_user', 'postgresql-workload_service_account_user')
    r('google_sql_user', 'postgresql-operator_access_service_account_user')
    if (c.may) {
      // MAY: internal/resource/postgresqlroles/postgresqlroles.go @ 2411401c creates one provider, no alias
      out.add('provider.postgresql')
    } else {
      // stacks/cloudrun/cloudrun.go: three aliased postgresql providers and the replication user (#63092)
      out.add('provider.postgresql.postgresql_admin_provider')
      out.add('provider.postgresql.postgresql_workloaduser_provider')
      out.add('provider.postgresql.postgresql_replicationuser_provider')
      r('postgresql_role', 'cloudrun-postgresql_replicationuser')
      r('random_password', 'cloudrun-postgresql_replicationuser_password')
    }
    // internal/resource/postgresqlroles/postgresqlroles.go
    r('postgresql_grant_role', 'cloudrun-postgresqlroles-workload_service_account_role_cloudsqlsuperuser')
    for (const db of res.postgreSQL.databases ?? []) {
      r('postgresql_grant', `cloudrun-postgresqlroles-${db}-operator_access_service_account_connect_grant`)
      r('postgresql_grant', `cloudrun-postgresqlroles-${db}-operator_access_service_account_table_grant`)
    }
    // Logical replication publications (cloudrun.go, when logicalReplication is set; only its publications create resources)
    const publications: Yaml[] = res.postgreSQL.logicalReplication?.publications ?? []
    for (const p of publications) {
      // internal/resource/postgresqllogicalreplication/postgresqllogicalreplication.go: id cloudrun-postgresqllogicalreplication-publications-<name>
      const id = `cloudrun-postgresqllogicalreplication-publications-${p.name}`
      r('postgresql_role', `${id}-user`)
      r('random_password', `${id}-user_password`)
      r('postgresql_publication', `${id}-publication`)
      r('postgresql_replication_slot', `${id}-replication_slot`)
      // internal/resource/postgresqlroles/postgresqlroles.go: publication user grants
      r('postgresql_grant', `cloudrun-postgresqlroles-publication-${p.name}-user_table_select_grant`)
      r('postgresql_grant', `cloudrun-postgresqlroles-publication-${p.name}-user_schema_usage_grant`)
    }
    if (publications.length > 0) {
      // internal/resource/datastreamconnection/datastreamconnection.go: id cloudrun-publication_datastream
      const id = 'cloudrun-publication_datastream'
      r('google_compute_instance', `${id}-cloudsqlproxy`)
      r('google_datastream_private_connection', `${id}-cloudsqlproxy-privateconnection`)
      r('google_compute_firewall', `${id}-cloudsqlproxy-firewall-datastream-ingress`)
      r('google_compute_firewall', `${id}-cloudsqlproxy-firewall-iap-ingress`)
      for (const p of publications) r('google_datastream_connection_profile', `${id}-${p.name}-cloudsqlproxy-connectionprofile`)
    }
    local(out, 'cloudsql_connection_name', true)
  }
  // internal/resource/bigquery/bigquery.go
  if (res.bigQueryDataset) {
    r('google_bigquery_dataset', 'bigquery-dataset')
    r('google_bigquery_dataset_iam_member', 'bigquery-workload_dataset_editor')
    for (const t of res.bigQueryDataset.tables ?? []) r('google_bigquery_table', `bigquery-${t}-table`)
  }
  // stacks/cloudrun/cloudrun.go Sentry group
  out.add('data.sentry_organization.cloudrun-sentry-organization')
  out.add('data.sentry_team.cloudrun-sentry-team')
  r('sentry_project', 'cloudrun-sentry-project')
  r('sentry_key', 'cloudrun-sentry-dsn')
  if (c.kind === 'service') {
    // stacks/cloudrun/internal/builder/service/service.go
    r('google_cloud_run_v2_service', 'cloudrun')
    if (!c.env.authentication) r('google_cloud_run_v2_service_iam_member', 'cloudrun-allusers-runinvoker')
    else if (c.env.authentication.sourcegraph) r('google_cloud_run_v2_service_iam_member', 'cloudrun-domain-runinvoker')
    if (c.env.domain?.type === 'cloudflare') {
      const proxied = c.env.domain.cloudflare?.proxied !== false
      if (proxied) {
        // internal/resource/cloudflareorigincert/cloudflareorigincert.go
        gsmData(out, 'cf-origin-cert-secret-origin-private-key')
        gsmData(out, 'cf-origin-cert-secret-origin-cert')
        r('google_compute_ssl_certificate', 'cf-origin-cert-origin-cert')
      } else {
        // internal/resource/managedcert/managedcert.go
        r('random_id', 'managed-cert-cert-name-random')
        r('google_compute_managed_ssl_certificate', 'managed-cert-managed-cert')
      }
      // internal/resource/loadbalancer/loadbalancer.go
      for (const [type, name] of [
        ['google_compute_region_network_endpoint_group', 'endpoint_group'],
        ['google_compute_backend_service', 'backend_service'],
        ['google_compute_url_map', 'url_map'],
        ['google_compute_target_https_proxy', 'https-proxy'],
        ['google_compute_ssl_policy', 'ssl-policy'],
        ['google_compute_global_address', 'external-address'],
        ['google_compute_global_forwarding_rule', 'forwarding-rule'],
      ] as const) {
        r(type, `loadbalancer-${name}`)
      }
      // loadbalancer.go cloudArmorAllowOnlyCloudflareEdge: proxied production environments only
      if (proxied && c.production) {
        r('google_compute_security_policy', 'loadbalancer-cf-policy-security-policy')
        out.add('data.cloudflare_ip_ranges.loadbalancer-cf-policy-cf-ip-ranges')
      }
      // internal/resource/cloudflare/cloudflare.go
      out.add('data.cloudflare_zones.cf-domain')
      r('cloudflare_record', 'cf-record')
    }
  } else {
    // stacks/cloudrun/internal/builder/job/job.go
    r('google_cloud_run_v2_job', 'cloudrun')
    if (c.env.schedule) {
      serviceAccount(out, 'job_invoker', [])
      r('google_cloud_run_v2_job_iam_member', 'cloudrun_scheduler_job_invoker')
      r('google_cloud_scheduler_job', 'job_scheduler')
    }
  }
  if (c.finalStageOf) {
    // stacks/cloudrun/cloudrun.go rolloutpipeline group
    const id = 'cloudrun-rolloutpipeline'
    for (const stage of c.finalStageOf) {
      r('google_project_iam_member', `${id}-stage-${stage}-cloudrun_developer-member`)
      r('google_project_iam_member', `${id}-stage-${stage}-service_account_user-member`)
    }
    // internal/resource/deliverypipeline/deliverypipeline.go
    r('google_clouddeploy_custom_target_type', `${id}-pipeline-custom_cloudrun_targettype`)
    r('google_clouddeploy_delivery_pipeline', `${id}-pipeline-pipeline`)
    // MAY: targets were applied by hand with `gcloud deploy apply` (#61366 2024-03-25, #62109
    // 2024-04-23); deliverypipeline.go declares them only from June 2024.
    if (!c.may) for (const stage of c.finalStageOf) r('google_clouddeploy_target', `${id}-pipeline-target_stage-${stage}-${c.region}`)
    r('google_storage_bucket', `${id}-skaffold-bucket`)
    r('google_storage_bucket_object', `${id}-skaffold-object`)
    r('google_storage_bucket', `${id}-pipeline-bucket`)
    // cloudrun.go addCloudDeployIAM: the releaser account, then rollout.serviceAccount
    r('google_project_iam_custom_role', `${id}-listbucketsrole`)
    const accounts = c.spec.rollout.serviceAccount ? 2 : 1
    for (let i = 0; i < accounts; i++) {
      r('google_project_iam_member', `${id}-${i}_serviceaccount-releaser`)
      r('google_storage_bucket_iam_member', `${id}-${i}_serviceaccount-clouddeploy`)
      r('google_storage_bucket_iam_member', `${id}-${i}_serviceaccount-skaffold`)
      r('google_project_iam_member', `${id}-${i}_serviceaccount-listbuckets`)
      r('google_service_account_iam_member', `${id}-${i}_serviceaccount-executor`)
    }
    // MAY: Cloud Deploy notifications came with #62596 (2024-05-10)
    if (!c.may) {
      r('google_pubsub_topic', `${id}-clouddeploy-operations-topic`)
      gsmData(out, `${id}-cloudrelay-endpoint`)
      r('google_pubsub_subscription', `${id}-clouddeploy-operations-sub`)
    }
  }
  local(out, 'cloud_run_resource_name', true)
  local(out, 'cloud_run_location', true)
  return out
}

/** The longest gap between two runs of a cron schedule, in minutes, for the `M H * * *` forms the fixtures use. */
function maxCronIntervalMinutes(cron: string): number {
  const [minute, hour, ...rest] = cron.trim().split(/\s+/)
  if (rest.length !== 3 || rest.some((f) => f !== '*')) throw new Error(`test helper cannot evaluate cron "${cron}"`)
  const values = (field: string, max: number): number[] => {
    if (field === '*') return Array.from({length: max}, (_, i) => i)
    const step = /^\*\/(\d+)$/.exec(field)
    if (step) return Array.from({length: max}, (_, i) => i).filter((i) => i % Number(step[1]) === 0)
    if (/^\d+$/.test(field)) return [Number(field)]
    throw new Error(`test helper cannot evaluate cron field "${field}"`)
  }
  const runs = values(hour!, 24).flatMap((h) => values(minute!, 60).map((m) => h * 60 + m))
  return Math.max(...runs.map((t, i) => (i + 1 < runs.length ? runs[i + 1]! - t : runs[0]! + 1440 - t)))
}

function monitoringStack(c: Ctx): Set<string> {
  const out = new Set<string>()
  const r = (type: string, name: string) => out.add(`resource.${type}.${name}`)
  // stacks/monitoring/monitoring.go NewStack options: google, opsgenie, slack, sentry, nobl9 — each token from GSM
  out.add('provider.google').add('provider.opsgenie').add('provider.slack').add('provider.sentry').add('provider.nobl9')
  for (const p of ['opsgenie', 'slack', 'sentry', 'nobl9']) gsmData(out, `${p}-provider-token`)
  local(out, 'project_id', false)
  const owners: string[] = c.spec.service.owners ?? []
  owners.forEach((_, i) => {
    const id = `monitoring-opsgenie_owner_${i}`
    out.add(`data.opsgenie_team.${id}-opsgenie_team`)
    r('opsgenie_service', `${id}-opsgenie_service`)
    r('opsgenie_api_integration', `${id}-opsgenie_integration`)
    r('google_monitoring_notification_channel', `${id}-notification_channel`)
  })
  gsmData(out, 'monitoring-slack_token')
  r('google_monitoring_notification_channel', 'monitoring-slack_alerts-msp-notification_channel')
  const own = `monitoring-slack_alerts-${c.svc}-${c.envId}`
  r('slack_conversation', `${own}-channel`)
  out.add(`data.sentry_organization_integration.${own}-sentry_integration`)
  r('sentry_notification_action', `${own}-sentry_notification_channel`)
  // stacks/monitoring/sentry.go + internal/resource/sentryalert/sentryalert.go (`<id>-alert`)
  r('sentry_issue_alert', `${own}-sentry_alerts-all-issues-alert`)
  r('google_monitoring_notification_channel', `${own}-notification_channel`)
  // monitoring.go locals: per level (sorted), per owner, then four plain values
  local(out, 'notifications_critical', true)
  local(out, 'notifications_warning', true)
  owners.forEach((_, i) => local(out, `notifications_owner_${i}`, true))
  for (const l of ['service_id', 'environment_id', 'service_name', 'alert_description_suffix']) local(out, l, true)
  const alert = (name: string) => r('google_monitoring_alert_policy', name)
  // stacks/monitoring/common.go
  for (const a of ['cpu', 'memory', 'startup']) alert(`monitoring-common-${a}`)
  if (c.kind === 'service') {
    // stacks/monitoring/service.go
    // final: spec.GetMaxCount (5 when `scaling` sets none); MAY: service.go after #59994 (2024-01-30)
    // reads only an explicit maxCount
    const scaling = c.env.instances?.scaling
    const maxCount = c.may ? scaling?.maxCount : scaling ? (scaling.maxCount ?? 5) : undefined
    if (maxCount != null && maxCount >= 5) alert('monitoring-service-instance_count')
    alert('monitoring-service-cloud_run_pending_requests')
    if (uptimeCheck(c)) {
      r('google_monitoring_uptime_check_config', 'monitoring-service-external_uptime_check')
      alert('monitoring-service-external_health_check')
    }
    // internal/resource/logcountmetric/logcountmetric.go (`<id>-metric`)
    r('google_logging_metric', 'monitoring-service-cloud_run_precondition_failed-metric')
    alert('monitoring-service-cloud_run_precondition_failed_alert-cloud_run_precondition_failed')
    // stacks/monitoring/response_codes.go
    for (const rc of c.spec.monitoring?.alerts?.responseCodeRatios ?? []) alert(`monitoring-response-code-${rc.id}`)
  } else {
    // stacks/monitoring/job.go: absence only when the window (max interval + 10 min) is under 23h30m
    alert('monitoring-job-job_failures')
    // MAY: job.go before #64502 (2024-08-15) has no cap (stored version id 6557258441)
    if (c.env.schedule?.cron && (c.may || maxCronIntervalMinutes(c.env.schedule.cron) + 10 < 23 * 60 + 30)) alert('monitoring-job-job_execution_absence')
  }
  // stacks/monitoring/custom.go. MAY: custom alerts came with #62885 (2024-05-23)
  if (!c.may) for (const ca of c.spec.monitoring?.alerts?.customAlerts ?? []) alert(`monitoring-custom-${ca.id}`)
  // stacks/monitoring/redis.go, cloudsql.go
  if (c.env.resources?.redis) for (const a of ['memory', 'cpu', 'failover']) alert(`monitoring-redis-${a}`)
  if (c.env.resources?.postgreSQL) {
    for (const a of [
      'cloud_sql_memory',
      'cloud_sql_cpu',
      'cloud_sql_server_up',
      'cloud_sql_disk_utilization',
      'cloud_sql_connections',
      'per_query_lock_time_sustained',
      'per_query_lock_time_spike',
    ]) {
      alert(`monitoring-cloudsql-${a}`)
    }
  }
  // stacks/monitoring/monitoring.go: `monitoring.nobl9` → stacks/monitoring/nobl9.go createNobl9Project(id.Group("nobl9")):
  // serviceaccount.New(id.Group("nobl9-sa")) with one role whose id is id.Group("monitoring"), the key
  // id.TerraformID("nobl9-key"), then under id.Group("nobl9") the project, GCM direct and service
  if (c.spec.monitoring?.nobl9 === true) {
    const id = 'monitoring-nobl9'
    serviceAccount(out, `${id}-nobl9-sa`, [`${id}-monitoring`])
    r('google_service_account_key', `${id}-nobl9-key`)
    r('nobl9_project', `${id}-nobl9-project`)
    r('nobl9_direct_gcm', `${id}-nobl9-gcm`)
    r('nobl9_service', `${id}-nobl9-cloudrun-service`)
  }
  // stacks/monitoring/dashboard.go
  r('google_monitoring_dashboard', 'monitoring-dashboard-dashboard')
  return out
}

function tfcworkspacesStack(c: Ctx): Set<string> {
  const out = new Set<string>()
  // stacks/tfcworkspaces/tfcworkspaces.go: google (no project), tfe and tfe alias tfe-org
  out.add('provider.google').add('provider.tfe').add('provider.tfe.tfe-org')
  gsmData(out, 'tfe-provider-token')
  gsmData(out, 'tfe-org-provider-token')
  for (const stack of ['tfcworkspaces', 'project', 'iam', 'cloudrun', 'monitoring']) {
    out.add(`data.tfe_workspace.${stack}-workspace`)
    gsmData(out, `${stack}-slack_webhook`)
    out.add(`resource.tfe_notification_configuration.${stack}-notifications`)
    if (stack !== 'tfcworkspaces') out.add(`resource.tfe_workspace_run.${stack}-workspace_run`)
  }
  void c
  return out
}

/** One value a stack reads from another: `<type>.<name>.<attr>` of `from`, used in `to`. */
interface Handoff {
  from: string
  to: string
  type: string
  name: string
  attr: string
}

/**
 * The CDKTF tokens the original hands between the stacks of one environment (managedservicesplatform.go
 * RenderEnvironment passes them as Variables; each is listed with the file that uses it).
 */
function handoffs(c: Ctx): Handoff[] {
  const out: Handoff[] = []
  const read = (from: string, to: string, type: string, name: string, attr: string) => out.push({from, to, type, name, attr})
  // ProjectID: *projectOutput.Project.ProjectId() for the iam, cloudrun and monitoring stacks; each
  // configures its google provider with it (googleprovider.With), so every one of them reads it.
  const root = c.project.slice(0, c.project.lastIndexOf('-'))
  for (const to of ['iam', 'cloudrun', 'monitoring']) read('project', to, 'google_project', `${root}-project`, 'project_id')
  // iam.CrossStackOutput → cloudrun (serviceaccount.Output: Email and Member are tokens of `<id>-account`).
  const account = (group: string, attr: string) => read('iam', 'cloudrun', 'google_service_account', `${group}-account`, attr)
  // builder/service/service.go, builder/job/job.go: ServiceAccount: vars.ServiceAccount.Email
  account('iam-workload', 'email')
  const res = c.env.resources ?? {}
  // internal/resource/bigquery/bigquery.go: Member: &config.WorkloadServiceAccount.Member
  if (res.bigQueryDataset) account('iam-workload', 'member')
  // internal/resource/cloudsql/cloudsql.go newSqlUserForIdentity: trimsuffix of the operator's Email
  // (the workload's Email is read anyway)
  if (res.postgreSQL) account('iam-operatoraccess', 'email')
  if (c.finalStageOf) {
    // cloudrun.go rolloutpipeline: stage grants use the executor's Member; deliverypipeline.go targets
    // and addCloudDeployIAM use the executor's and the releaser's Email
    account('iam-clouddeploy-executor', 'member')
    account('iam-clouddeploy-executor', 'email')
    account('iam-clouddeploy-releaser', 'email')
  }
  // datastreamconnection.go: the proxy VM runs as CloudSQLClientServiceAccount.Email (only with publications)
  if (!c.may && (res.postgreSQL?.logicalReplication?.publications ?? []).length > 0) account('iam-datastream-to-cloudsql', 'email')
  // cloudrun.CrossStackOutput → monitoring.
  // monitoring.go / sentry.go / sentryalert.go: vars.SentryProject.Organization() and .Slug() (the
  // environment's Slack channel, with its Sentry resources, always exists)
  read('cloudrun', 'monitoring', 'sentry_project', 'cloudrun-sentry-project', 'organization')
  read('cloudrun', 'monitoring', 'sentry_project', 'cloudrun-sentry-project', 'slug')
  // monitoring/service.go createExternalHealthcheckAlert: `Bearer <DiagnosticsSecret.HexValue>` when
  // the uptime check exists and the spec's health probes use /-/healthz (spec UseHealthzProbes)
  const probes = c.env.healthProbes
  if (c.kind === 'service' && uptimeCheck(c) && probes && probes.healthzProbes !== false) {
    read('cloudrun', 'monitoring', 'random_id', 'diagnostics-secret-random', 'hex')
  }
  // monitoring/redis.go: ResourceName = *vars.RedisInstanceID (redis.go Output.ID: redis.Id())
  if (res.redis) read('cloudrun', 'monitoring', 'google_redis_instance', 'redis-instance', 'id')
  // monitoring/cloudsql.go: "<project>:<CloudSQLInstanceID>" (cloudrun.go: sqlInstance.Instance.Id())
  if (res.postgreSQL) read('cloudrun', 'monitoring', 'google_sql_database_instance', 'postgresql-instance', 'id')
  return out
}

/** stacks/monitoring/service.go: the external uptime check needs no authentication and a Cloudflare DNS name. */
function uptimeCheck(c: Ctx): boolean {
  return !c.env.authentication && c.env.domain?.type === 'cloudflare' && !!c.env.domain.cloudflare?.subdomain && !!c.env.domain.cloudflare?.zone
}

/**
 * cdktf lib/terraform-stack.ts: a token used in another stack adds to its stack the sensitive output
 * `cross-stack-output-<type>.<name>.<attr>` with characters outside [A-Za-z0-9_-] dropped, and to the
 * reading stack `data.terraform_remote_state.cross-stack-reference-input-<producing stack>`.
 */
function crossStackPlumbing(c: Ctx, stack: string): Set<string> {
  const out = new Set<string>()
  for (const h of handoffs(c)) {
    if (h.from === stack) out.add(`output.${`cross-stack-output-${h.type}.${h.name}.${h.attr}`.replace(/[^A-Za-z0-9_-]/g, '')}`)
    if (h.to === stack) out.add(`data.terraform_remote_state.cross-stack-reference-input-${h.from}`)
  }
  return out
}

const EXPECTED = {
  project: projectStack,
  iam: iamStack,
  cloudrun: cloudrunStack,
  monitoring: monitoringStack,
  tfcworkspaces: tfcworkspacesStack,
} as const

/** What msp wrote, in the same address form (without the cross-stack plumbing when `plumbing` is false). */
function addressesOf(json: string, plumbing: boolean): Set<string> {
  const doc = JSON.parse(json) as Yaml
  const out = new Set<string>()
  for (const [type, byName] of Object.entries<Yaml>(doc.resource ?? {})) for (const name of Object.keys(byName)) out.add(`resource.${type}.${name}`)
  for (const [type, byName] of Object.entries<Yaml>(doc.data ?? {})) {
    if (type === 'terraform_remote_state' && !plumbing) continue
    for (const name of Object.keys(byName)) out.add(`data.${type}.${name}`)
  }
  for (const [name, configs] of Object.entries<Yaml[]>(doc.provider ?? {})) {
    for (const config of configs) out.add(config.alias ? `provider.${name}.${config.alias}` : `provider.${name}`)
  }
  for (const name of Object.keys(doc.variable ?? {})) out.add(`variable.${name}`)
  for (const name of Object.keys(doc.output ?? {})) if (plumbing || !name.startsWith('cross-stack-')) out.add(`output.${name}`)
  return out
}

// The loader reads services/<id>/ of a repo; the handbook fixtures are flat, so copy them into one.
const fixtureRepo = mkdtempSync(path.join(tmpdir(), 'msp-addresses-'))
const fixtureIds = readdirSync(fixturesDir, {withFileTypes: true})
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()
for (const id of fixtureIds) cpSync(path.join(fixturesDir, id), path.join(fixtureRepo, 'services', id), {recursive: true})
afterAll(() => rmSync(fixtureRepo, {recursive: true, force: true}))
const exampleIds = readdirSync(path.join(examplesRepo, 'services')).sort()
// Specs written for msp's tests, for features no handbook fixture uses (test/fixtures/ORIGIN.md).
const featureIds = readdirSync(path.join(featuresRepo, 'services')).sort()

const cases: [string, string, string][] = [
  ...fixtureIds.map((id): [string, string, string] => [`fixture ${id}`, fixtureRepo, id]),
  ...exampleIds.map((id): [string, string, string] => [`example ${id}`, examplesRepo, id]),
  ...featureIds.map((id): [string, string, string] => [`feature spec ${id}`, featuresRepo, id]),
]

async function compare(root: string, id: string, edition: '2024-05' | '2024-08'): Promise<void> {
  const raw = parse(readFileSync(path.join(root, 'services', id, 'service.yaml'), 'utf8')) as Yaml
  const service = await loadService(root, id)
  const planned = await generateToFolder([service], {editions: () => ({edition, source: 'test'})})
  expect(planned.map((e) => e.envId)).toEqual(raw.environments.map((e: Yaml) => e.id))
  const ours: Record<string, string[]> = {}
  const theirs: Record<string, string[]> = {}
  for (const env of planned) {
    const c = context(
      raw,
      raw.environments.find((e: Yaml) => e.id === env.envId),
      edition,
    )
    for (const [stack, rule] of Object.entries(EXPECTED)) {
      const file = env.files.get(`stacks/${stack}/cdk.tf.json`)
      ours[`${env.envId}/${stack}`] = file ? [...addressesOf(file.toString('utf8'), true)].sort() : []
      theirs[`${env.envId}/${stack}`] = [...rule(c), ...crossStackPlumbing(c, stack)].sort()
    }
  }
  expect(ours).toEqual(theirs)
}

describe('resource addresses per stack equal the original’s (final edition)', () => {
  it('covers the 9 handbook fixtures, the 3 examples and the feature specs', async () => {
    expect(fixtureIds).toHaveLength(9)
    expect(exampleIds).toHaveLength(3)
    expect(featureIds).toEqual(['ledger-replica', 'slo-pilot'])
    const nobl9 = []
    for (const id of featureIds) if ((await loadService(featuresRepo, id)).spec.monitoring.nobl9) nobl9.push(id)
    expect(nobl9).toEqual(['slo-pilot'])
  })

  it.each(cases)('%s: every environment, every stack', async (_label, root, id) => {
    await compare(root, id, '2024-08')
  })

  it('the cases exercise every value the original hands between stacks', () => {
    const seen = new Set<string>()
    for (const [, root, id] of cases) {
      const raw = parse(readFileSync(path.join(root, 'services', id, 'service.yaml'), 'utf8')) as Yaml
      for (const env of raw.environments)
        for (const h of handoffs(context(raw, env, '2024-08')))
          seen.add(`${h.from} → ${h.to}: ${h.type}.${h.attr}${h.type === 'google_service_account' ? ` (${h.name})` : ''}`)
    }
    expect([...seen].sort()).toEqual([
      'cloudrun → monitoring: google_redis_instance.id',
      'cloudrun → monitoring: google_sql_database_instance.id',
      'cloudrun → monitoring: random_id.hex',
      'cloudrun → monitoring: sentry_project.organization',
      'cloudrun → monitoring: sentry_project.slug',
      'iam → cloudrun: google_service_account.email (iam-clouddeploy-executor-account)',
      'iam → cloudrun: google_service_account.email (iam-clouddeploy-releaser-account)',
      'iam → cloudrun: google_service_account.email (iam-datastream-to-cloudsql-account)',
      'iam → cloudrun: google_service_account.email (iam-operatoraccess-account)',
      'iam → cloudrun: google_service_account.email (iam-workload-account)',
      'iam → cloudrun: google_service_account.member (iam-clouddeploy-executor-account)',
      'iam → cloudrun: google_service_account.member (iam-workload-account)',
      'project → cloudrun: google_project.project_id',
      'project → iam: google_project.project_id',
      'project → monitoring: google_project.project_id',
    ])
  })
})

describe('resource addresses per stack equal the original’s of 2024-05-01 (edition 2024-05)', () => {
  it.each(fixtureIds.map((id) => [id]))('fixture %s: every environment, every stack', async (id) => {
    await compare(fixtureRepo, id, '2024-05')
  })

  it('the two sets differ where the original changed after May 2024 (the derivation is not the final one relabelled)', async () => {
    const raw = parse(readFileSync(path.join(fixtureRepo, 'services', 'sams', 'service.yaml'), 'utf8')) as Yaml
    const prod = raw.environments.find((e: Yaml) => e.id === 'prod')
    const may = cloudrunStack(context(raw, prod, '2024-05'))
    const final = cloudrunStack(context(raw, prod, '2024-08'))
    expect([...may].filter((a) => !final.has(a)).sort()).toEqual([
      'output.output-image_tag',
      'provider.postgresql',
      'resource.google_secret_manager_secret.output-gsm-image_tag-secret',
      'resource.google_secret_manager_secret_version.output-gsm-image_tag-secret_version',
      'variable.resolved_image_tag',
    ])
    expect([...final].filter((a) => !may.has(a))).toContain('resource.google_pubsub_topic.cloudrun-rolloutpipeline-clouddeploy-operations-topic')
  })
})
