/**
 * Provider sources and exact versions, pinned like the original's generated bindings pin them
 * (reference/terraform.md §2). Versions the reference does not pin for mid-2024 take the value it
 * does cite (cloudflare, sentry), so a bump is a one-line change here.
 */
export const PROVIDERS = {
  google: {source: 'hashicorp/google', version: '5.26.0'},
  'google-beta': {source: 'hashicorp/google-beta', version: '5.26.0'},
  random: {source: 'hashicorp/random', version: '3.5.1'},
  cloudflare: {source: 'cloudflare/cloudflare', version: '4.52.0'},
  sentry: {source: 'jianyuan/sentry', version: '0.15.7'},
  opsgenie: {source: 'opsgenie/opsgenie', version: '0.6.35'},
  slack: {source: 'pablovarela/slack', version: '1.2.2'},
  tfe: {source: 'hashicorp/tfe', version: '0.51.0'},
} as const satisfies Record<string, {source: string; version: string}>

export type ProviderName = keyof typeof PROVIDERS
