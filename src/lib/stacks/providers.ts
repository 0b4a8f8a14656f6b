/**
 * Provider sources and exact versions as the original's generated bindings pin them
 * (sourcegraph/managed-services-platform-cdktf `<name>.cdktf.yaml` at the commits the final
 * `go.mod` names: e2b1273f1c1a for every provider, f286e77e83e8 for `postgresql`). CDKTF writes the
 * binding's full source and its exact version into `required_providers`.
 */
export const PROVIDERS = {
  google: {source: 'registry.terraform.io/hashicorp/google', version: '5.29.0'},
  'google-beta': {source: 'registry.terraform.io/hashicorp/google-beta', version: '5.29.0'},
  random: {source: 'registry.terraform.io/hashicorp/random', version: '3.5.1'},
  cloudflare: {source: 'registry.terraform.io/cloudflare/cloudflare', version: '4.12.0'},
  sentry: {source: 'registry.terraform.io/jianyuan/sentry', version: '0.12.3'},
  opsgenie: {source: 'registry.terraform.io/opsgenie/opsgenie', version: '0.6.35'},
  slack: {source: 'registry.terraform.io/pablovarela/slack', version: '1.2.2'},
  nobl9: {source: 'registry.terraform.io/nobl9/nobl9', version: '0.22.0'},
  postgresql: {source: 'registry.terraform.io/sourcegraph/postgresql', version: '1.23.0-sg.2'},
  tfe: {source: 'registry.terraform.io/hashicorp/tfe', version: '0.51.0'},
} as const satisfies Record<string, {source: string; version: string}>

export type ProviderName = keyof typeof PROVIDERS
