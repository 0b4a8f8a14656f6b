/** The environment's alerts Slack channel `#alerts-<svc>-<env>`. */
export function buildSlackChannelUrl(serviceId: string, envId: string): string {
  return `https://sourcegraph.slack.com/archives/alerts-${serviceId}-${envId}`
}
