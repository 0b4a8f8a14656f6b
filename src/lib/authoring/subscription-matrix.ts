import type {Category, Spec} from '../spec/schema.js'

/** One entry of the GitHub Actions matrix: an environment deployed by `deploy.type: subscription`. */
export interface SubscriptionTarget {
  id: string
  env: string
  category: Category
}

/** The matrix document; `service` is null when no environment uses subscription deploys (as the original's nil slice). */
export interface SubscriptionMatrix {
  service: SubscriptionTarget[] | null
}

/**
 * Lists every `deploy.type: subscription` environment, services sorted by id and environments in
 * spec order, as the original `sg msp gh-actions subscription-matrix` did for the deploy workflow.
 * @param specs - the loaded specs of the repo, in any order
 */
export function buildSubscriptionMatrix(specs: readonly Spec[]): SubscriptionMatrix {
  const sorted = [...specs].sort((a, b) => (a.service.id < b.service.id ? -1 : a.service.id > b.service.id ? 1 : 0))
  const targets = sorted.flatMap((spec) =>
    spec.environments.filter((e) => e.deploy.type === 'subscription').map((e) => ({id: spec.service.id, env: e.id, category: e.category})),
  )
  return {service: targets.length > 0 ? targets : null}
}

/**
 * The matrix as the compact JSON line GitHub Actions reads (`fromJSON(...)`), keys in the original's order.
 * @param matrix - from {@link buildSubscriptionMatrix}
 */
export function formatSubscriptionMatrix(matrix: SubscriptionMatrix): string {
  return JSON.stringify({service: matrix.service?.map((t) => ({id: t.id, env: t.env, category: t.category})) ?? null})
}
