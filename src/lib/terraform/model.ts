/**
 * The typed model of one Terraform JSON configuration (one stack). Stacks build it; the renderer
 * turns it into `cdk.tf.json` text. Nothing here knows about MSP.
 */

export type TfValue = string | number | boolean | null | readonly TfValue[] | TfObject
/** An object value; keys whose value is `undefined` are left out of the output (handy for optional attributes). */
export interface TfObject {
  readonly [key: string]: TfValue | undefined
}

/** A provider the configuration requires, plus one configuration entry (aliases are extra entries). */
export interface TfProvider {
  /** Local name, e.g. `google`, `google-beta`, `tfe`. */
  name: string
  source: string
  version: string
  config: TfObject
}

/** A `resource` or `data` block: `<type>.<name>` with its body (meta-arguments included). */
export interface TfBlock {
  type: string
  name: string
  body: TfObject
}

export interface TfOutput {
  name: string
  value: TfValue
  description?: string
  sensitive?: boolean
}

export interface TfVariable {
  name: string
  type: string
  description?: string
  sensitive?: boolean
}

/** The Terraform Cloud backend of a configuration. */
export interface TfCloudBackend {
  hostname: string
  organization: string
  workspace: string
}

export interface TfConfig {
  /** Stack name, kept in the `"//"` metadata comment like CDKTF does. */
  stackName: string
  backend: TfCloudBackend
  providers: readonly TfProvider[]
  resources: readonly TfBlock[]
  data: readonly TfBlock[]
  locals: readonly (readonly [string, TfValue])[]
  outputs: readonly TfOutput[]
  variables: readonly TfVariable[]
}

/** `${<type>.<name>.<attr>}`: an interpolation of a resource attribute. */
export function resourceRef(type: string, name: string, attr: string): string {
  return `\${${type}.${name}.${attr}}`
}

/** `${data.<type>.<name>.<attr>}`: an interpolation of a data source attribute. */
export function dataRef(type: string, name: string, attr: string): string {
  return `\${data.${type}.${name}.${attr}}`
}

/** `<type>.<name>`: the address used in `depends_on`. */
export function address(type: string, name: string): string {
  return `${type}.${name}`
}

/**
 * Escapes Terraform template sequences in free text taken from a spec (`${` → `$${`, `%{` → `%%{`)
 * so a description or env value is written literally instead of being evaluated by Terraform.
 */
export function escapeTemplate(text: string): string {
  return text.includes('{') ? text.replace(/([$%])\{/g, '$1$1{') : text
}
