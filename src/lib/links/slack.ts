/** The environment's alerts channel, without the `#`: `alerts-<svc>-<env>` (the monitoring stack creates it). */
export function slackAlertsChannel(serviceId: string, envId: string): string {
  return `alerts-${serviceId}-${envId}`
}

/** The alerts channel in Slack's web client. */
export function buildSlackChannelUrl(serviceId: string, envId: string): string {
  return `https://sourcegraph.slack.com/archives/${slackAlertsChannel(serviceId, envId)}`
}
