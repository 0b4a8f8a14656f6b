/**
 * Terraform JSON text from the model: keys sorted (byte order) at every level, 2-space indent,
 * trailing newline — so regeneration is byte-stable and diffs stay small.
 */
import type {TfConfig, TfObject, TfValue} from './model.js'

export interface RenderOptions {
  /** Terraform version; written as `required_version = "~> <version>"`. */
  terraformVersion: string
}

const INDENT = ['']
function indent(depth: number): string {
  return (INDENT[depth] ??= '  '.repeat(depth))
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

// Appends to one array of chunks joined once at the end: no intermediate strings per level.
function write(out: string[], value: TfValue | undefined, depth: number): void {
  if (value === null || value === undefined) {
    out.push('null')
  } else if (typeof value === 'string') {
    out.push(JSON.stringify(value))
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot render non-finite number ${value}`)
    out.push(String(value))
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false')
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]')
      return
    }
    const inner = indent(depth + 1)
    out.push('[\n')
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',\n')
      out.push(inner)
      write(out, value[i] as TfValue, depth + 1)
    }
    out.push('\n', indent(depth), ']')
  } else {
    const obj = value as TfObject
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined)
    if (keys.length === 0) {
      out.push('{}')
      return
    }
    keys.sort(byteOrder)
    const inner = indent(depth + 1)
    out.push('{\n')
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      if (i > 0) out.push(',\n')
      out.push(inner, JSON.stringify(key), ': ')
      write(out, obj[key], depth + 1)
    }
    out.push('\n', indent(depth), '}')
  }
}

/**
 * Serialises any JSON value the way every msp Terraform file is written (sorted keys, 2-space indent, trailing newline).
 * @param value - the document
 */
export function renderJson(value: TfValue): string {
  const out: string[] = []
  write(out, value, 0)
  out.push('\n')
  return out.join('')
}

function group<T extends {type: string; name: string; body: TfObject}>(blocks: readonly T[], kind: string): Record<string, Record<string, TfObject>> {
  const byType: Record<string, Record<string, TfObject>> = {}
  for (const b of blocks) {
    const names = (byType[b.type] ??= {})
    // Two blocks with one address would make Terraform refuse the file; it is a generator bug.
    if (names[b.name] !== undefined) throw new Error(`duplicate ${kind} ${b.type}.${b.name}`)
    names[b.name] = b.body
  }
  return byType
}

/** Builds the JSON document of one configuration (before serialisation). */
export function terraformDocument(config: TfConfig, options: RenderOptions): TfObject {
  const doc: Record<string, TfValue> = {
    '//': {metadata: {backend: 'cloud', stackName: config.stackName}},
  }
  const requiredProviders: Record<string, TfObject> = {}
  const provider: Record<string, TfObject[]> = {}
  for (const p of config.providers) {
    const known = requiredProviders[p.name]
    if (known && (known.source !== p.source || known.version !== p.version)) throw new Error(`conflicting provider ${p.name}`)
    requiredProviders[p.name] = {source: p.source, version: p.version}
    ;(provider[p.name] ??= []).push(p.config)
  }
  doc.terraform = {
    cloud: {
      hostname: config.backend.hostname,
      organization: config.backend.organization,
      workspaces: {name: config.backend.workspace},
    },
    required_providers: requiredProviders,
    required_version: `~> ${options.terraformVersion}`,
  }
  if (config.providers.length > 0) doc.provider = provider
  if (config.resources.length > 0) doc.resource = group(config.resources, 'resource')
  if (config.data.length > 0) doc.data = group(config.data, 'data source')
  if (config.locals.length > 0) {
    const locals: Record<string, TfValue> = {}
    for (const [name, value] of config.locals) {
      if (name in locals) throw new Error(`duplicate local ${name}`)
      locals[name] = value
    }
    doc.locals = locals
  }
  if (config.outputs.length > 0) {
    const outputs: Record<string, TfObject> = {}
    for (const o of config.outputs) {
      if (o.name in outputs) throw new Error(`duplicate output ${o.name}`)
      outputs[o.name] = {
        value: o.value,
        ...(o.description === undefined ? {} : {description: o.description}),
        ...(o.sensitive === undefined ? {} : {sensitive: o.sensitive}),
      }
    }
    doc.output = outputs
  }
  if (config.variables.length > 0) {
    const variables: Record<string, TfObject> = {}
    for (const v of config.variables) {
      variables[v.name] = {
        type: v.type,
        ...(v.description === undefined ? {} : {description: v.description}),
        ...(v.sensitive === undefined ? {} : {sensitive: v.sensitive}),
      }
    }
    doc.variable = variables
  }
  return doc
}

/**
 * Renders one stack configuration as Terraform JSON text (`cdk.tf.json`).
 * @param config - the stack model
 * @param options - the Terraform version to require
 */
export function renderTerraform(config: TfConfig, options: RenderOptions): string {
  return renderJson(terraformDocument(config, options))
}
