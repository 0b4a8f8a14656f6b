/**
 * The spec as the handbook reads it: the loader's zod types, and the rules only the handbook asks
 * (the display name, kind and DNS name live in spec/derived.ts, shared with the Terraform stacks).
 */
import type {Environment, Spec} from '../spec/schema.js'

export type HandbookSpec = Spec
export type HandbookEnvironment = Environment

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
