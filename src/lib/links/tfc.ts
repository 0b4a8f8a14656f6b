/** Terraform Cloud organisation that holds every MSP workspace. */
export const TFC_ORGANIZATION = 'sourcegraph'
export const TFC_APP = `https://app.terraform.io/app/${TFC_ORGANIZATION}`

/** Workspace name of one stack of one environment: `msp-<svc>-<env>-<stack>`. */
export function tfcWorkspaceName(serviceId: string, envId: string, stack: string): string {
  return `msp-${serviceId}-${envId}-${stack}`
}

/**
 * The TFC workspace list filtered by the MSP tag: all MSP workspaces, one service's, or one environment's.
 * @param scope - nothing, a service id, or a service and environment id
 */
export function buildTfcWorkspacesUrl(scope: {serviceId?: string; envId?: string} = {}): string {
  const {serviceId, envId} = scope
  if (serviceId === undefined) return `${TFC_APP}/workspaces?tag=msp`
  if (envId === undefined) return `${TFC_APP}/workspaces?tag=msp-service-${serviceId}`
  return `${TFC_APP}/workspaces?tag=msp-env-${serviceId}-${envId}`
}

/**
 * The TFC tag link the original's handbook pages print for an environment: `msp-<svc>-<env>`, which
 * differs from the real tag `msp-env-<svc>-<env>` (an original bug kept for byte-identical pages).
 */
export function buildHandbookTfcEnvUrl(serviceId: string, envId: string): string {
  return `${TFC_APP}/workspaces?tag=msp-${serviceId}-${envId}`
}

/** One stack's TFC workspace page. */
export function buildTfcWorkspaceUrl(serviceId: string, envId: string, stack: string): string {
  return `${TFC_APP}/workspaces/${tfcWorkspaceName(serviceId, envId, stack)}`
}
