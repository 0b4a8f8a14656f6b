/**
 * The spec as the handbook reads it. We reuse the stacks' structural view (keyed by the YAML names)
 * so the loader's `Spec`, the alert model and the bench's synthetic services all fit one type, and
 * the display name, kind and DNS name rules live once, in stacks/naming.ts.
 */
import type {EnvironmentView, SpecView} from '../stacks/spec-view.js'

export {domainDnsName, serviceDisplayName} from '../stacks/naming.js'

export type HandbookSpec = SpecView
export type HandbookEnvironment = EnvironmentView

/** Cloudflare proxying defaults to on. */
export function cloudflareProxied(env: HandbookEnvironment): boolean {
  return env.domain?.cloudflare?.proxied !== false
}

/**
 * True when the environment has any service-only setting (`domain`, `healthProbes`, `authentication`);
 * the original keyed the service-specific page rows and diagram nodes on this, never on `kind`.
 */
export function hasServiceSettings(env: HandbookEnvironment): boolean {
  return env.domain != null || env.healthProbes != null || env.authentication != null
}
