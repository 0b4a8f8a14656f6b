/**
 * Terraform Cloud names and links of MSP: the project and workspaces of an environment, the tags
 * that group them, and the pages that list them. `msp tfc sync` creates what these name, the stacks'
 * backends and remote-state reads point at them, and the console shortcuts link to them.
 */

/** Terraform Cloud organisation that holds every MSP workspace. */
export const TFC_ORGANIZATION = 'sourcegraph'
export const TFC_APP = `https://app.terraform.io/app/${TFC_ORGANIZATION}`

/** The TFC project that groups an environment's workspaces: `msp-<svc>-<env>`. */
export function tfcProjectName(serviceId: string, envId: string): string {
  return `msp-${serviceId}-${envId}`
}

/** Workspace name of one stack of one environment: `msp-<svc>-<env>-<stack>`. */
export function tfcWorkspaceName(serviceId: string, envId: string, stack: string): string {
  return `${tfcProjectName(serviceId, envId)}-${stack}`
}

/** Which workspaces a tag selects: every MSP workspace, one service's, or one environment's. */
export interface TfcScope {
  serviceId?: string
  envId?: string
}

/** The tag of a scope: `msp`, `msp-service-<svc>` or `msp-env-<svc>-<env>`. */
export function tfcTag(scope: TfcScope = {}): string {
  const {serviceId, envId} = scope
  if (serviceId === undefined) return 'msp'
  return envId === undefined ? `msp-service-${serviceId}` : `msp-env-${serviceId}-${envId}`
}

/** Tags every workspace of an environment carries, widest first. */
export function tfcWorkspaceTags(serviceId: string, envId: string): string[] {
  return [tfcTag(), tfcTag({serviceId}), tfcTag({serviceId, envId})]
}

/**
 * The TFC workspace list filtered by the MSP tag: all MSP workspaces, one service's, or one environment's.
 * @param scope - nothing, a service id, or a service and environment id
 */
export function buildTfcWorkspacesUrl(scope: TfcScope = {}): string {
  return `${TFC_APP}/workspaces?tag=${tfcTag(scope)}`
}

/**
 * The tag the original's handbook pages name for an environment: `msp-<svc>-<env>`, which differs from
 * the real tag `msp-env-<svc>-<env>` (an original bug kept for byte-identical pages).
 */
export function handbookTfcEnvTag(serviceId: string, envId: string): string {
  return `msp-${serviceId}-${envId}`
}

/** The workspace list filtered by {@link handbookTfcEnvTag}, as the handbook pages link it. */
export function buildHandbookTfcEnvUrl(serviceId: string, envId: string): string {
  return `${TFC_APP}/workspaces?tag=${handbookTfcEnvTag(serviceId, envId)}`
}

/** One stack's TFC workspace page. */
export function buildTfcWorkspaceUrl(serviceId: string, envId: string, stack: string): string {
  return `${TFC_APP}/workspaces/${tfcWorkspaceName(serviceId, envId, stack)}`
}
