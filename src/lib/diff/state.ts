/**
 * A workspace's applied state, in either of the two forms Terraform Cloud serves it: the JSON state
 * (`hosted-json-state-download-url`, the shape of `terraform show -json`: `values.root_module.resources`
 * with `address`, `values` and `sensitive_values`) or the raw state file of older states
 * (`hosted-state-download-url`, format version 4: `resources[].instances[]` with `index_key`,
 * `attributes` and `sensitive_attributes`). Both become one view: managed resource instances by
 * address (`type.name`, `type.name[0]`, `type.name["key"]`) and outputs by name.
 */
import {UserError} from '../io/errors.js'
import {formatPath, isObject, type Json, type JsonObject, type PathStep} from './values.js'

export interface StateInstance {
  address: string
  type: string
  values: JsonObject
  /** Attribute paths (formatted) the state marks sensitive. */
  sensitive: Set<string>
}

export interface StateView {
  resources: Map<string, StateInstance>
  outputs: Map<string, {value: Json; sensitive: boolean}>
}

/** `[0]` or `["key"]`, as Terraform writes an instance key. */
export function instanceKey(key: Json | undefined): string {
  if (key === undefined || key === null) return ''
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(String(key))}]`
}

/** The paths of a `sensitive_values` tree (JSON state): `true` leaves. */
function sensitiveTree(tree: Json | undefined, steps: PathStep[], out: Set<string>): void {
  if (tree === true) out.add(formatPath(steps))
  else if (Array.isArray(tree)) tree.forEach((t, i) => sensitiveTree(t, [...steps, i], out))
  else if (isObject(tree)) for (const [k, t] of Object.entries(tree)) sensitiveTree(t, [...steps, k], out)
}

/** The paths of `sensitive_attributes` (raw state): lists of `{type: get_attr|index, value}` steps. */
function sensitiveSteps(list: Json | undefined, out: Set<string>): void {
  if (!Array.isArray(list)) return
  for (const path of list) {
    if (!Array.isArray(path)) continue
    const steps: PathStep[] = []
    for (const step of path) {
      if (!isObject(step)) continue
      const v = step.value
      if (isObject(v) && 'value' in v) steps.push(typeof v.value === 'number' ? v.value : String(v.value))
      else if (typeof v === 'number' || typeof v === 'string') steps.push(v)
    }
    out.add(formatPath(steps))
  }
}

function jsonStateModule(module: Json | undefined, into: Map<string, StateInstance>): void {
  if (!isObject(module)) return
  for (const r of Array.isArray(module.resources) ? module.resources : []) {
    if (!isObject(r) || r.mode !== 'managed' || typeof r.type !== 'string' || typeof r.address !== 'string') continue
    const sensitive = new Set<string>()
    sensitiveTree(r.sensitive_values, [], sensitive)
    into.set(r.address, {address: r.address, type: r.type, values: isObject(r.values) ? r.values : {}, sensitive})
  }
  for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) jsonStateModule(child, into)
}

/**
 * Reads a downloaded state, in either form.
 * @param doc - the parsed download
 * @param what - names the download in errors (the workspace)
 */
export function parseState(doc: Json, what: string): StateView {
  const resources = new Map<string, StateInstance>()
  const outputs = new Map<string, {value: Json; sensitive: boolean}>()
  if (!isObject(doc)) throw new UserError(`the state of ${what} is not a JSON object`)
  const readOutputs = (section: Json | undefined) => {
    if (!isObject(section)) return
    for (const [name, o] of Object.entries(section)) if (isObject(o)) outputs.set(name, {value: o.value ?? null, sensitive: o.sensitive === true})
  }
  if (isObject(doc.values) || typeof doc.format_version === 'string') {
    const values = isObject(doc.values) ? doc.values : {}
    jsonStateModule(values.root_module, resources)
    readOutputs(values.outputs)
    return {resources, outputs}
  }
  if (doc.version !== 4 && doc.version !== 3) {
    throw new UserError(`the state of ${what} has a format msp does not read (version ${JSON.stringify(doc.version ?? null)})`, {
      hint: 'msp reads the JSON state of Terraform 1.3 and later, and raw state files of format version 4',
    })
  }
  for (const r of Array.isArray(doc.resources) ? doc.resources : []) {
    if (!isObject(r) || r.mode !== 'managed' || typeof r.type !== 'string' || typeof r.name !== 'string') continue
    const prefix = typeof r.module === 'string' && r.module !== '' ? `${r.module}.` : ''
    for (const instance of Array.isArray(r.instances) ? r.instances : []) {
      if (!isObject(instance)) continue
      const address = `${prefix}${r.type}.${r.name}${instanceKey(instance.index_key)}`
      const sensitive = new Set<string>()
      sensitiveSteps(instance.sensitive_attributes, sensitive)
      resources.set(address, {address, type: r.type, values: isObject(instance.attributes) ? instance.attributes : {}, sensitive})
    }
  }
  readOutputs(doc.outputs)
  return {resources, outputs}
}
