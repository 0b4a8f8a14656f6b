/**
 * Terraform JSON text from the model: keys sorted (byte order) at every level, 2-space indent,
 * trailing newline — so regeneration is byte-stable and diffs stay small.
 *
 * This is also the one place where literal text is made safe: every plain string (and object key)
 * of a Terraform document is escaped with {@link escapeTemplate}, and only {@link TfExpr} values —
 * references and templates msp builds — are written raw. Stacks never escape anything themselves.
 */
import {checkTerraformName, escapeTemplate, TfExpr, type TfConfig, type TfObject, type TfValue} from './model.js'

export interface RenderOptions {
  /** Terraform version; written as `required_version = "~> <version>"`. */
  terraformVersion: string
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * A copy of the value whose object keys are inserted in byte order, so the engine's native
 * `JSON.stringify` (far faster than any hand-written serialiser) emits them sorted. Returns
 * undefined when an object has an array-index-like key: engines always put those first, so that
 * (rare) document takes the slow path instead.
 */
function sortedCopy(value: TfValue | undefined, template: boolean): TfValue | undefined {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`cannot render non-finite number ${value}`)
    return template && typeof value === 'string' ? escapeTemplate(value) : value
  }
  if (value instanceof TfExpr) {
    if (!template) throw new Error(`Terraform expression ${value.text} outside a Terraform document`)
    return value.text
  }
  // Copy on write: a subtree that is already in order is returned as is, which saves most allocations.
  if (Array.isArray(value)) {
    let out: TfValue[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as TfValue
      const v = sortedCopy(item, template)
      if (v === undefined) {
        if (item !== undefined) return undefined
      } else if (v === item) {
        if (out) out[i] = v
        continue
      }
      out ??= value.slice(0, i) as TfValue[]
      out[i] = v === undefined ? null : v
    }
    return out ?? value
  }
  const obj = value as TfObject
  const keys = Object.keys(obj)
  let inOrder = true
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    // Index-like keys, and keys that escaping would change (and so re-order), take the slow path.
    if (ARRAY_INDEX.test(k) || (template && k.includes('{'))) return undefined
    if (obj[k] === undefined || (i > 0 && keys[i - 1]! >= k)) inOrder = false
  }
  if (inOrder) {
    let changed = false
    const copies: (TfValue | undefined)[] = new Array(keys.length)
    for (let i = 0; i < keys.length; i++) {
      const v = obj[keys[i]!]
      const c = sortedCopy(v, template)
      if (c === undefined) return undefined
      copies[i] = c
      if (c !== v) changed = true
    }
    if (!changed) return obj
    const out: Record<string, TfValue> = {}
    for (let i = 0; i < keys.length; i++) setOwn(out, keys[i]!, copies[i]!)
    return out
  }
  keys.sort(byteOrder)
  const out: Record<string, TfValue> = {}
  for (const k of keys) {
    const v = obj[k]
    if (v === undefined) continue
    const copy = sortedCopy(v, template)
    if (copy === undefined) return undefined
    setOwn(out, k, copy)
  }
  return out
}

/** Plain assignment of `__proto__` would set the prototype and lose the key; JSON keeps it as data. */
function setOwn(out: Record<string, TfValue>, key: string, value: TfValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, {value, enumerable: true, writable: true, configurable: true})
  else out[key] = value
}

function indent(depth: number): string {
  return '  '.repeat(depth)
}

// Slow path, byte-for-byte the same format as JSON.stringify(x, null, 2) with sorted keys.
function write(out: string[], value: TfValue | undefined, depth: number, template: boolean): void {
  if (value === null || value === undefined) {
    out.push('null')
  } else if (value instanceof TfExpr) {
    if (!template) throw new Error(`Terraform expression ${value.text} outside a Terraform document`)
    out.push(JSON.stringify(value.text))
  } else if (typeof value === 'string') {
    out.push(JSON.stringify(template ? escapeTemplate(value) : value))
  } else if (typeof value === 'boolean') {
    out.push(JSON.stringify(value))
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot render non-finite number ${value}`)
    out.push(JSON.stringify(value))
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]')
      return
    }
    out.push('[\n')
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',\n')
      out.push(indent(depth + 1))
      write(out, value[i] as TfValue, depth + 1, template)
    }
    out.push('\n', indent(depth), ']')
  } else {
    const obj = value as TfObject
    // In a Terraform document, object keys are templates too: escape them, then sort what is written.
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .map((k) => [template ? escapeTemplate(k) : k, k] as const)
      .sort((a, b) => byteOrder(a[0], b[0]))
    if (keys.length === 0) {
      out.push('{}')
      return
    }
    out.push('{\n')
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(',\n')
      out.push(indent(depth + 1), JSON.stringify(keys[i]![0]), ': ')
      write(out, obj[keys[i]![1]], depth + 1, template)
    }
    out.push('\n', indent(depth), '}')
  }
}

function render(value: TfValue, template: boolean): string {
  const sorted = sortedCopy(value, template)
  if (sorted !== undefined) return `${JSON.stringify(sorted, null, 2)}\n`
  const out: string[] = []
  write(out, value, 0, template)
  out.push('\n')
  return out.join('')
}

/**
 * Serialises a plain JSON value the way every msp Terraform file is laid out (sorted keys, 2-space
 * indent, trailing newline), strings as they are.
 * @param value - the document
 */
export function renderJson(value: TfValue): string {
  return render(value, false)
}

/**
 * Serialises a Terraform JSON document: the layout of {@link renderJson}, every plain string and key
 * escaped as literal text, every {@link TfExpr} written as its template text.
 * @param value - the document
 */
export function renderTerraformJson(value: TfValue): string {
  return render(value, true)
}

// Builds `{type: {name: body}}` with both levels already in byte order (Maps first: adding
// hundreds of distinct property names one by one to plain objects is slow).
function group(blocks: readonly {type: string; name: string; body: TfObject}[], kind: string): Record<string, Record<string, TfObject>> {
  const byType = new Map<string, Map<string, TfObject>>()
  for (const b of blocks) {
    let names = byType.get(b.type)
    if (!names) byType.set(b.type, (names = new Map()))
    // Two blocks with one address would make Terraform refuse the file; it is a generator bug.
    if (names.has(b.name)) throw new Error(`duplicate ${kind} ${b.type}.${b.name}`)
    checkTerraformName(b.type, 'type')
    checkTerraformName(b.name)
    names.set(b.name, b.body)
  }
  const out: Record<string, Record<string, TfObject>> = {}
  for (const type of [...byType.keys()].sort(byteOrder)) {
    const names = byType.get(type)!
    const sorted: Record<string, TfObject> = {}
    for (const name of [...names.keys()].sort(byteOrder)) sorted[name] = names.get(name)!
    out[type] = sorted
  }
  return out
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
  return renderTerraformJson(terraformDocument(config, options))
}

/** A value as the file holds it once parsed: plain strings and keys escaped, expressions as their template text. */
function fileValue(value: TfValue | undefined): unknown {
  if (value === null || value === undefined) return null
  if (value instanceof TfExpr) return value.text
  if (typeof value === 'string') return escapeTemplate(value)
  if (typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`cannot render non-finite number ${value}`)
    return value
  }
  if (Array.isArray(value)) return value.map((v: TfValue) => (v === undefined ? null : fileValue(v)))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value as TfObject)) {
    if (v === undefined) continue
    const key = escapeTemplate(k)
    if (key === '__proto__') Object.defineProperty(out, key, {value: fileValue(v), enumerable: true, writable: true, configurable: true})
    else out[key] = fileValue(v)
  }
  return out
}

/**
 * The document of one configuration as the values `cdk.tf.json` holds once parsed, built from the
 * model without serialising it (what `msp diff` compares with the files in the working tree).
 * @param config - the stack model
 * @param options - the Terraform version to require
 */
export function terraformFileDocument(config: TfConfig, options: RenderOptions): unknown {
  return fileValue(terraformDocument(config, options))
}
