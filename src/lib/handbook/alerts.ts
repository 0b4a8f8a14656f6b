import type {Edition} from '../edition/editions.js'
import {monitoringAlertPolicies} from '../stacks/monitoring/alert-policies.js'
import type {HandbookSpec} from './spec-view.js'

/** One alert policy as the monitoring model describes it (the fields a page shows). */
export interface AlertPolicyLike {
  /** Terraform resource name, e.g. `monitoring-common-cpu`; the page's sort key. */
  resourceName: string
  displayName: string
  /** The documentation without the handbook footer, as the page renders it. */
  description: string
  severity: string
}

/** One entry of a page's "Alert Policies" section. */
export type PageAlertPolicy = AlertPolicyLike

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Merges the alert policies of every environment (spec order) into a page's list: one entry per
 * resource name, a later environment's text winning (so environment-specific texts such as the uptime
 * check's domain show the last environment's, as published), sorted by resource name in byte order.
 * @param perEnvironment - the alert policies of each environment, in spec order
 */
export function mergeAlertPolicies(perEnvironment: readonly (readonly AlertPolicyLike[])[]): PageAlertPolicy[] {
  const byName = new Map<string, PageAlertPolicy>()
  for (const policies of perEnvironment) {
    for (const {resourceName, displayName, description, severity} of policies) {
      byName.set(resourceName, {resourceName, displayName, description, severity})
    }
  }
  return [...byName.values()].sort((a, b) => byteOrder(a.resourceName, b.resourceName))
}

/**
 * The alert policies of a service's page, computed from the spec by the monitoring model the
 * Terraform stacks also use (the original parsed them back out of generated Terraform instead).
 * @param spec - the service spec
 * @param edition - the release of the original whose catalogue to show
 */
export function collectAlertPolicies(spec: HandbookSpec, edition: Edition): PageAlertPolicy[] {
  return mergeAlertPolicies((spec.environments ?? []).map((env) => monitoringAlertPolicies(spec, env, edition)))
}
