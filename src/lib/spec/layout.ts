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

/** Repo-relative path of a service's spec, `services/<id>/service.yaml` (the id must already be valid). */
export function serviceSpecFile(id: string): string {
  return `services/${id}/service.yaml`
}
