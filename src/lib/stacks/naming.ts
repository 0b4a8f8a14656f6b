/**
 * The names only the stacks derive: stack names, GCP account and instance ids, Terraform resource ids
 * and the length limits that go with them. Names that tools, links and pages share with the stacks
 * have their home lower down, where all of them can ask: spec/derived.ts (Cloud Run service, rollout
 * pipeline, DNS name, custom alert id), spec/layout.ts (the repository's folders) and links/
 * (Terraform Cloud project, workspaces and tags; Slack channels; Sentry project; handbook pages).
 */
import {UserError} from '../io/errors.js'
import {CLOUD_RUN_NAME_MAX, cloudRunName as unlimitedCloudRunName} from '../spec/derived.js'
import type {Environment, Spec} from '../spec/schema.js'

/** The five stacks of an environment, in the order they are provisioned. */
export const STACK_NAMES = ['project', 'iam', 'cloudrun', 'monitoring', 'tfcworkspaces'] as const
export type StackName = (typeof STACK_NAMES)[number]

/**
 * The Cloud Run service/job name (spec/derived.ts `cloudRunName`); fails like the original when it is
 * longer than GCP allows, because a shortened name would silently point at a different resource.
 */
export function cloudRunName(spec: Pick<Spec, 'service'>, env: Environment): string {
  const name = unlimitedCloudRunName(spec, env)
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

/** Name of the Memorystore instance (`redis` for standard HA, `redis-basic` otherwise). */
export function redisInstanceName(env: Environment): string {
  return env.resources?.redis?.highAvailability ? 'redis' : 'redis-basic'
}

/** Turns a free-form role/label into the id form the original uses (runs of non-alphanumerics → `_`). */
export function sanitizeId(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '_')
}

/** Lower-cases a GCP label key or value and replaces characters outside `[a-z0-9_-]` with `_`. */
export function sanitizeLabel(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, '_')
}

/** Account ids of the Cloud Deploy accounts the iam stack creates in the last rollout stage. */
export const CLOUDDEPLOY_EXECUTOR = 'clouddeploy-executor'
export const CLOUDDEPLOY_RELEASER = 'clouddeploy-releaser'
/** Account id of the account Datastream uses to reach Cloud SQL (created in every environment). */
export const DATASTREAM_ACCOUNT = 'datastream-to-cloudsql'

/** Stack outputs that tools read back from Secret Manager (`pg connect`), by the name the stacks give them. */
export const STACK_OUTPUTS = {
  iam: {cloudRunServiceAccount: 'cloud_run_service_account', operatorAccessServiceAccount: 'operator_access_service_account'},
  cloudrun: {cloudSqlConnectionName: 'cloudsql_connection_name'},
} as const

/** The Secret Manager secret id a stack output is copied to: `<stack>_<output>` (the original's `OutputSecretID`). */
export function outputSecretId(stack: StackName, output: string): string {
  return `${stack}_${output}`
}
