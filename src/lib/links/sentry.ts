/** Sentry project of one environment: `https://sourcegraph.sentry.io/projects/<svc>-<env>/`. */
export function buildSentryUrl(serviceId: string, envId: string): string {
  return `https://sourcegraph.sentry.io/projects/${serviceId}-${envId}/`
}
