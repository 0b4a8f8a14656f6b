/** The Sentry project slug of an environment: `<svc>-<env>` (the cloudrun stack creates the project). */
export function sentryProjectSlug(serviceId: string, envId: string): string {
  return `${serviceId}-${envId}`
}

/** Sentry project of one environment: `https://sourcegraph.sentry.io/projects/<svc>-<env>/`. */
export function buildSentryUrl(serviceId: string, envId: string): string {
  return `https://sourcegraph.sentry.io/projects/${sentryProjectSlug(serviceId, envId)}/`
}
