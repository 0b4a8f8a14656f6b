/**
 * Every name MSP derives from a spec, in one place: display names, GCP ids, Terraform resource
 * ids and the length limits that go with them. Stacks never build these strings themselves.
 */
import {UserError} from '../io/errors.js'
import type {EnvironmentView, ServiceView, SpecView} from './spec-view.js'

/** The five stacks of an environment, in the order they are provisioned. */
export const STACK_NAMES = ['project', 'iam', 'cloudrun', 'monitoring', 'tfcworkspaces'] as const
export type StackName = (typeof STACK_NAMES)[number]

export const DEFAULT_GCP_REGION = 'us-central1'
export const DEFAULT_GCP_LOCATION = 'US'
/** GCP limit on Cloud Run resource names. */
export const CLOUD_RUN_NAME_MAX = 63

/** The service's display name: `service.name` when present (even empty), else the id. */
export function serviceDisplayName(service: ServiceView): string {
  return service.name ?? service.id
}

/** The service kind with its default (`service`). */
export function serviceKind(service: ServiceView): 'service' | 'job' {
  const kind = service.kind ?? 'service'
  if (kind !== 'service' && kind !== 'job') {
    throw new UserError(`service "${service.id}": unknown service kind "${kind}"`, {hint: 'service.kind must be "service" or "job"'})
  }
  return kind
}

/** True for the categories MSP treats as production (internal and external). */
export function isProduction(env: EnvironmentView): boolean {
  return env.category === 'internal' || env.category === 'external'
}

/**
 * The environment's external DNS name `<subdomain>.<zone>`, or undefined. The original derives it
 * whenever a `cloudflare` block is present, even with `type: none` (reference/spec.md §1.5).
 */
export function domainDnsName(env: EnvironmentView): string | undefined {
  const cf = env.domain?.cloudflare
  if (!cf?.subdomain || !cf.zone) return undefined
  return `${cf.subdomain}.${cf.zone}`
}

/** The GCP region of the environment (default `us-central1`). */
export function gcpRegion(env: EnvironmentView): string {
  return env.locations?.gcpRegion || DEFAULT_GCP_REGION
}

/** The GCP multi-region location of the environment's BigQuery dataset (default `US`). */
export function gcpLocation(env: EnvironmentView): string {
  return env.locations?.gcpLocation || DEFAULT_GCP_LOCATION
}

/** The public handbook page anchor of one environment, used in alert documentation footers. */
export function handbookEnvUrl(serviceId: string, envId: string): string {
  return `https://handbook.sourcegraph.com/departments/engineering/managed-services/${serviceId}#${envId}`
}

/** `<Name> - <env>`: GCP project display name, Sentry project and Opsgenie service name (≤ 30 chars by spec rule). */
export function environmentDisplayName(spec: SpecView, env: EnvironmentView): string {
  return `${serviceDisplayName(spec.service)} - ${env.id}`
}

/**
 * The Cloud Run service/job name `<svc>-<env>-<region>`; fails like the original when it is longer
 * than GCP allows, because a shortened name would silently point at a different resource.
 */
export function cloudRunName(serviceId: string, env: EnvironmentView): string {
  const name = `${serviceId}-${env.id}-${gcpRegion(env)}`
  if (name.length > CLOUD_RUN_NAME_MAX) {
    throw new UserError(`evaluated Cloud Run name "${name}" is too long, maximum length is ${CLOUD_RUN_NAME_MAX} characters`, {
      hint: 'use a shorter service or environment id',
    })
  }
  return name
}

/** The project stack's root id: the project id without its random suffix (`msp-testbed-robert-7be9` → `msp-testbed-robert`). */
export function projectRootId(projectId: string): string {
  const cut = projectId.lastIndexOf('-')
  return cut > 0 ? projectId.slice(0, cut) : projectId
}

/** Account id of the workload service account (`<svc>-sa`). */
export function workloadAccountId(serviceId: string): string {
  return `${serviceId}-sa`
}

/** E-mail of a service account created in the environment project, known at generate time. */
export function serviceAccountEmail(accountId: string, projectId: string): string {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`
}

/** Name of the Memorystore instance (`redis` for standard HA, `redis-basic` otherwise). */
export function redisInstanceName(env: EnvironmentView): string {
  return env.resources?.redis?.highAvailability ? 'redis' : 'redis-basic'
}

/**
 * The Redis instance id as the google provider reports it (`projects/<p>/locations/<region>/instances/<name>`);
 * deterministic, so the monitoring stack writes it literally instead of reading remote state.
 */
export function redisInstanceId(env: EnvironmentView): string {
  return `projects/${env.projectID}/locations/${gcpRegion(env)}/instances/${redisInstanceName(env)}`
}

/** Turns a free-form role/label into the id form the original uses (runs of non-alphanumerics → `_`). */
export function sanitizeId(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '_')
}

/** Lower-cases a GCP label key or value and replaces characters outside `[a-z0-9_-]` with `_`. */
export function sanitizeLabel(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, '_')
}

/** The Terraform Cloud workspace of one stack: `msp-<svc>-<env>-<stack>`. */
export function stackWorkspaceName(serviceId: string, envId: string, stack: StackName): string {
  return `msp-${serviceId}-${envId}-${stack}`
}
