/**
 * Where specs live and what an id looks like: the two facts the repo layer, the spec loader and the
 * start-up fast path all need. Kept apart from schema.ts so reading them costs no zod or YAML.
 */

/** Service and environment ids: lowercase letters, digits and hyphens (the spec's own rule). */
export const ID_PATTERN = /^[a-z0-9-]+$/

/**
 * GCP project ids as the original writes them: `$SERVICE_ID-$ENVIRONMENT_ID-$RANDOM_SUFFIX` (its
 * validation message), built by `NewProjectID` from the two ids and a lowercase hex suffix — so only
 * lowercase letters, digits and hyphens.
 */
export const PROJECT_ID_PATTERN = /^[a-z0-9-]+$/

/** Repo-relative folder of a service, `services/<id>` (the id must already be valid). */
export function serviceFolder(id: string): string {
  return `services/${id}`
}

/** Repo-relative path of a service's spec, `services/<id>/service.yaml` (the id must already be valid). */
export function serviceSpecFile(id: string): string {
  return `${serviceFolder(id)}/service.yaml`
}

/** Repo-relative folder of a service's generated Terraform, `services/<id>/terraform` (one folder per environment below it). */
export function terraformFolder(serviceId: string): string {
  return `${serviceFolder(serviceId)}/terraform`
}

/** Repo-relative folder of one environment's generated Terraform, `services/<id>/terraform/<env>`. */
export function environmentFolder(serviceId: string, envId: string): string {
  return `${terraformFolder(serviceId)}/${envId}`
}

/** Repo-relative folder of one stack's `cdk.tf.json`, `services/<id>/terraform/<env>/stacks/<stack>` (a workspace's working directory). */
export function stackFolder(serviceId: string, envId: string, stack: string): string {
  return `${environmentFolder(serviceId, envId)}/stacks/${stack}`
}
