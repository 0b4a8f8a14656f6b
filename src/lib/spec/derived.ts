/**
 * Values derived from a spec (the original's defaults that depend on a key's presence, and its derived names).
 * All pure; they take the validated spec types and never re-check the rules.
 */
import {JOB_LIMITS_BEFORE_DEADLINE_SECONDS, inForce, type Edition} from '../edition/editions.js'
import {goDurationSeconds} from './units.js'
import type {Domain, Environment, Locations, ResponseCodeRatio, ServiceKind, ServiceSection, Spec} from './schema.js'

/** The region of every regional resource when an environment has no `locations` block. */
export const DEFAULT_GCP_REGION = 'us-central1'
/** The BigQuery multi-region when an environment has no `locations` block. */
export const DEFAULT_GCP_LOCATION = 'US'
/** GCP's limit on Cloud Run service and job names. */
export const CLOUD_RUN_NAME_MAX = 63
export const DEFAULT_IMAGE_TAG = 'insiders'
export const DEFAULT_JOB_DEADLINE_SECONDS = 300
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 3
/** Cloud Run's own generous startup window, used when MSP probes are off. */
export const DEFAULT_MAX_STARTUP_SECONDS = 240

/**
 * The display name: `service.name` when the key is present (even empty, like Go's GetName), else the
 * ID. The one home of this rule: the loader's README check and the spec rules call it on the decoded,
 * not yet validated value too, so it accepts anything in the fields ('' when neither is a string).
 */
export function serviceName(spec: {service: {id?: unknown; name?: unknown}}): string {
  const {id, name} = spec.service
  return typeof name === 'string' ? name : typeof id === 'string' ? id : ''
}

/** The workload kind, `service` unless the spec says `job`. */
export function serviceKind(spec: {service: Pick<ServiceSection, 'kind'>}): ServiceKind {
  return spec.service.kind ?? 'service'
}

/** True for a Cloud Run job. */
export function isJob(spec: {service: Pick<ServiceSection, 'kind'>}): boolean {
  return serviceKind(spec) === 'job'
}

/** True for categories `internal` and `external` (Go's `IsProduction`). */
export function isProduction(env: Pick<Environment, 'category'>): boolean {
  return env.category === 'internal' || env.category === 'external'
}

/**
 * `locations` as far as the region getters read it; both keys optional so the spec rules can ask on
 * the decoded (not yet validated) value too.
 */
export interface LocationsInput {
  locations?: Partial<Locations>
}

/** The GCP region of an environment: `locations.gcpRegion`, default `us-central1`. */
export function environmentRegion(env: LocationsInput): string {
  return env.locations?.gcpRegion ?? DEFAULT_GCP_REGION
}

/** The BigQuery location of an environment: `locations.gcpLocation`, default `US`. */
export function environmentLocation(env: LocationsInput): string {
  return env.locations?.gcpLocation ?? DEFAULT_GCP_LOCATION
}

/** `<display name> - <env id>`: the GCP project display name (at most 30 characters). */
export function environmentDisplayName(spec: Pick<Spec, 'service'>, env: Pick<Environment, 'id'>): string {
  return `${serviceName(spec)} - ${env.id}`
}

/**
 * The Cloud Run service or job name: `<service id>-<env id>-<region>` (final form). GCP rejects
 * names over {@link CLOUD_RUN_NAME_MAX} characters; the spec rules and the cloudrun stack check that.
 */
export function cloudRunName(spec: {service: Pick<ServiceSection, 'id'>}, env: Pick<Environment, 'id'> & LocationsInput): string {
  return `${spec.service.id}-${env.id}-${environmentRegion(env)}`
}

/** The Cloud Deploy delivery pipeline of a rollout: `<service id>-<location>-rollout` (the cloudrun stack creates it). */
export function rolloutPipelineName(serviceId: string, location: string): string {
  return `${serviceId}-${location}-rollout`
}

/** `<subdomain>.<zone>` whenever a `cloudflare` block is present (even with `type: none`). */
export function dnsName(env: {domain?: {cloudflare?: Pick<NonNullable<Domain['cloudflare']>, 'subdomain' | 'zone'>}}): string | undefined {
  const cloudflare = env.domain?.cloudflare
  return cloudflare ? `${cloudflare.subdomain ?? ''}.${cloudflare.zone ?? ''}` : undefined
}

/**
 * The image tag an environment deploys. Manual: the tag (`insiders` only when the `manual` block is
 * absent, Go's ResolveTag); rollout: the initial tag. A subscription has no tag in the spec's output:
 * the original resolves the subscribed tag to `<tag>@<digest>` at generate time and passes it as the
 * `resolved_image_tag` Terraform variable, so this returns `{subscription: <subscribed tag>}`.
 */
export function imageTag(spec: Pick<Spec, 'rollout'>, env: Pick<Environment, 'deploy'>): string | {subscription: string} {
  switch (env.deploy.type) {
    case 'manual':
      return env.deploy.manual ? (env.deploy.manual.tag ?? '') : DEFAULT_IMAGE_TAG
    case 'subscription':
      return {subscription: env.deploy.subscription?.tag ?? ''}
    case 'rollout':
      return spec.rollout?.initialImageTag || DEFAULT_IMAGE_TAG
  }
}

/** Effective health probe settings; `enabled` is false when the `healthProbes` block is absent. */
export interface ProbeSettings {
  enabled: boolean
  timeoutSeconds: number
  startupIntervalSeconds: number
  livenessIntervalSeconds: number
  /** Startup-latency alert threshold: 240 s when probes are off, else 3 × startup interval. */
  maxStartupSeconds: number
}

/**
 * The health probe settings of an environment with their presence-dependent defaults: the
 * MSP `/-/healthz` probes are off without a `healthProbes` block and on with one unless
 * `healthzProbes: false` (Go's UseHealthzProbes).
 */
export function healthProbeSettings(env: Pick<Environment, 'healthProbes'>): ProbeSettings {
  const probes = env.healthProbes
  const enabled = probes != null && probes.healthzProbes !== false
  const timeoutSeconds = probes?.timeout ?? DEFAULT_PROBE_TIMEOUT_SECONDS
  const startupIntervalSeconds = probes?.startupInterval ?? timeoutSeconds
  return {
    enabled,
    timeoutSeconds,
    startupIntervalSeconds,
    livenessIntervalSeconds: probes?.livenessInterval ?? 10 * timeoutSeconds,
    maxStartupSeconds: enabled ? 3 * startupIntervalSeconds : DEFAULT_MAX_STARTUP_SECONDS,
  }
}

/** Maximum runtime of one job execution: `deadlineSeconds`, default 300. */
export function jobDeadlineSeconds(env: Pick<Environment, 'deadlineSeconds'>): number {
  return env.deadlineSeconds ?? DEFAULT_JOB_DEADLINE_SECONDS
}

/** A Cloud Run job's time limits under one edition (the change `jobDeadlineSeconds` in edition/changes.ts). */
export interface JobDeadlines {
  /** The job's `template.template.timeout`, and the `JOB_EXECUTION_DEADLINE` runtime variable. */
  timeoutSeconds: number
  /** The Cloud Scheduler job's `attempt_deadline`. */
  attemptDeadlineSeconds: number
}

export function jobDeadlines(env: Pick<Environment, 'deadlineSeconds' | 'schedule'>, edition: Edition): JobDeadlines {
  if (!inForce(edition, 'jobDeadlineSeconds')) {
    const before = JOB_LIMITS_BEFORE_DEADLINE_SECONDS
    return {timeoutSeconds: before.timeoutSeconds, attemptDeadlineSeconds: env.schedule?.deadline ?? before.schedulerDefaultSeconds}
  }
  const seconds = jobDeadlineSeconds(env)
  return {timeoutSeconds: seconds, attemptDeadlineSeconds: seconds}
}

/**
 * Whether critical alerts page through Opsgenie: the explicit `alerting.opsgenie`, else the edition's
 * default: on for internal/external once the change `opsgenieDefaultProduction` is in force (the original's
 * `ShouldEnableOpsgenie`), off before.
 * @param env - the environment
 * @param edition - the release of the original whose default applies
 */
export function opsgenieEnabled(env: Pick<Environment, 'alerting' | 'category'>, edition: Edition): boolean {
  return env.alerting?.opsgenie ?? (inForce(edition, 'opsgenieDefaultProduction') && isProduction(env))
}

/** The BigQuery dataset ID: `datasetID` (even empty, Go's pointers.Deref), default the service ID with `-` replaced by `_`. */
export function bigQueryDatasetID(spec: Pick<Spec, 'service'>, env: Pick<Environment, 'resources'>): string {
  return env.resources?.bigQueryDataset?.datasetID ?? spec.service.id.replaceAll('-', '_')
}

/**
 * The project of an environment's BigQuery dataset when the spec names another one; undefined means
 * the environment's own project. An empty `projectID` is the environment's project too: the original
 * (internal/resource/bigquery/bigquery.go) writes `projectID = pointers.Deref(config.Spec.ProjectID,
 * config.DefaultProjectID)`, which keeps "", and the Google provider reads an empty `project` as the
 * provider's project, the environment's. Terraform, the handbook and `msp open` all ask this.
 */
export function bigQueryProjectOverride(env: Pick<Environment, 'resources'>): string | undefined {
  return env.resources?.bigQueryDataset?.projectID || undefined
}

/**
 * The alert id of a custom alert: its name lower-cased, spaces as dashes (spec.CustomAlert.UnmarshalYAML).
 * The spec rules call it on the decoded name to find duplicates; the monitoring stack names the policy with it.
 */
export function customAlertId(alert: {name: string}): string {
  return alert.name.toLowerCase().replaceAll(' ', '-')
}

/**
 * A response-code alert's duration in minutes: `durationMinutes`, else the May-2024 `duration`
 * Go duration string (`5m`, `1h`, `120s`; a multiple of 60s, validated on load), else 1.
 */
export function responseCodeRatioMinutes(alert: Pick<ResponseCodeRatio, 'durationMinutes' | 'duration'>): number {
  if (alert.durationMinutes != null) return alert.durationMinutes
  const seconds = alert.duration === undefined ? undefined : goDurationSeconds(alert.duration)
  return seconds === undefined ? 1 : seconds / 60
}

/** The default display name `sg msp init` derives from an ID: `msp-example` → `Msp Example`. */
export function defaultServiceName(id: string): string {
  return id
    .split(/[-_]/)
    .map((word) => (word === '' ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join(' ')
}

/** The APIs every MSP project enables, in the original's order; `service.iam.services` follow. */
export const DEFAULT_PROJECT_SERVICES = [
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
].map((api) => `${api}.googleapis.com`)

/**
 * The APIs of one edition: the list only ever grew, `pubsub` with the change cloudDeployNotifications
 * and `datastream` with logicalReplication.
 */
export function projectServices(edition: Edition): string[] {
  return DEFAULT_PROJECT_SERVICES.filter(
    (api) =>
      (api !== 'pubsub.googleapis.com' || inForce(edition, 'cloudDeployNotifications')) &&
      (api !== 'datastream.googleapis.com' || inForce(edition, 'logicalReplication')),
  )
}
