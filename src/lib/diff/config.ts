/**
 * A Terraform JSON configuration split into the things a plan talks about, each with an address:
 * resources (`<type>.<name>`), data sources (`data.<type>.<name>`), outputs (`output.<name>`),
 * variables (`var.<name>`), locals (`local.<name>`), providers (`provider.<name>`, `provider.<name>.<alias>`;
 * the `required_providers` pin of a provider is its `source` and `version`) and the `terraform`
 * block. Any other top-level key but the `//` comment is one item addressed by that key.
 */
import {isObject, type Json, type JsonObject} from './values.js'

export type ItemKind = 'resource' | 'data' | 'output' | 'variable' | 'local' | 'provider' | 'terraform' | 'other'

export interface ConfigItem {
  kind: ItemKind
  address: string
  /** Resource or data source type. */
  type?: string
  /** The block body (resources: meta-arguments included). */
  body: Json
}

/** The items of one configuration by address, plus where its state lives. */
export interface ConfigView {
  items: Map<string, ConfigItem>
  /** `terraform.cloud.organization` and `terraform.cloud.workspaces.name`, when the backend is Terraform Cloud. */
  organization?: string
  workspace?: string
}

function blocks(kind: 'resource' | 'data', section: Json | undefined, into: Map<string, ConfigItem>): void {
  if (!isObject(section)) return
  for (const [type, byName] of Object.entries(section)) {
    if (!isObject(byName)) continue
    for (const [name, body] of Object.entries(byName)) {
      const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`
      into.set(address, {kind, address, type, body})
    }
  }
}

function named(kind: 'output' | 'variable' | 'local', prefix: string, section: Json | undefined, into: Map<string, ConfigItem>): void {
  if (!isObject(section)) return
  for (const [name, body] of Object.entries(section)) into.set(`${prefix}.${name}`, {kind, address: `${prefix}.${name}`, body})
}

/**
 * Splits a parsed Terraform JSON document into addressed items.
 * @param doc - the document (from the model, or a file of the working tree)
 */
export function configView(doc: Json): ConfigView {
  const items = new Map<string, ConfigItem>()
  if (!isObject(doc)) return {items}
  const terraform = isObject(doc.terraform) ? doc.terraform : undefined
  const required = terraform && isObject(terraform.required_providers) ? terraform.required_providers : {}
  const providers = isObject(doc.provider) ? doc.provider : {}
  for (const name of new Set([...Object.keys(required), ...Object.keys(providers)])) {
    const configs = providers[name]
    const list: Json[] = Array.isArray(configs) ? configs : configs === undefined ? [] : [configs]
    const pin = required[name]
    const pinBody: JsonObject = isObject(pin) ? pin : typeof pin === 'string' ? {version: pin} : {}
    let sawDefault = false
    for (const config of list) {
      const body = isObject(config) ? config : {}
      const alias = typeof body.alias === 'string' ? body.alias : undefined
      const address = alias === undefined ? `provider.${name}` : `provider.${name}.${alias}`
      if (alias === undefined) sawDefault = true
      items.set(address, {kind: 'provider', address, body: alias === undefined ? {...pinBody, ...body} : body})
    }
    if (!sawDefault) items.set(`provider.${name}`, {kind: 'provider', address: `provider.${name}`, body: pinBody})
  }
  if (terraform) {
    const rest: JsonObject = {}
    for (const [k, v] of Object.entries(terraform)) if (k !== 'required_providers') rest[k] = v
    items.set('terraform', {kind: 'terraform', address: 'terraform', body: rest})
  }
  blocks('resource', doc.resource, items)
  blocks('data', doc.data, items)
  named('output', 'output', doc.output, items)
  named('variable', 'var', doc.variable, items)
  named('local', 'local', doc.locals, items)
  // "//" is a comment in Terraform's JSON syntax (CDKTF writes its metadata there): no plan shows it.
  const known = new Set(['terraform', 'provider', 'resource', 'data', 'output', 'variable', 'locals', '//'])
  for (const [k, v] of Object.entries(doc)) if (!known.has(k)) items.set(k, {kind: 'other', address: k, body: v})
  const cloud = terraform && isObject(terraform.cloud) ? terraform.cloud : undefined
  const workspaces = cloud && isObject(cloud.workspaces) ? cloud.workspaces : undefined
  return {
    items,
    ...(typeof cloud?.organization === 'string' ? {organization: cloud.organization} : {}),
    ...(typeof workspaces?.name === 'string' ? {workspace: workspaces.name} : {}),
  }
}
