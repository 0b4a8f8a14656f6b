/** The environment's alerts channel, without the `#`: `alerts-<svc>-<env>` (the monitoring stack creates it). */
export function slackAlertsChannel(serviceId: string, envId: string): string {
  return `alerts-${serviceId}-${envId}`
}

/** The alerts channel in Slack's web client. */
export function buildSlackChannelUrl(serviceId: string, envId: string): string {
  return `https://sourcegraph.slack.com/archives/${slackAlertsChannel(serviceId, envId)}`
}

/** The channel every MSP environment's alerts also go to (it exists; the monitoring stack only notifies it). */
export const SHARED_ALERTS_CHANNEL = '#alerts-msp'

/** The channel Terraform Cloud reports failed runs of MSP workspaces to. */
export const TFC_ALERTS_CHANNEL = '#alerts-msp-tfc'
