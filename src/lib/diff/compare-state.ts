/**
 * A configuration against the state Terraform Cloud holds for its workspace: the addresses a plan
 * would create (configured, not in state) or delete (in state, not configured), and, as updates, the
 * attributes whose value is known from the configuration alone (a literal: no interpolation) and
 * differs from the applied value. Everything else (computed values, references, provider defaults)
 * only a real plan can tell, so it is left out rather than guessed.
 */
import type {Change} from './changes.js'
import {sortChanges} from './changes.js'
import type {ConfigItem, ConfigView} from './config.js'
import {instanceKey, type StateInstance, type StateView} from './state.js'
import {formatPath, hasInterpolation, isObject, isSensitivePath, literalValue, parsePath, shownValue, type Json, type PathStep} from './values.js'

/** Block arguments that are Terraform's, not the provider's: never compared with state. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection', '//'])

interface Drift {
  /** The path in the configuration (single blocks are objects there). */
  steps: PathStep[]
  /** The same place in the state (nested blocks are lists there). */
  stateSteps: PathStep[]
  applied: Json | undefined
  configured: Json
}

/**
 * The instance addresses a resource block stands for: one without `count`/`for_each`, `[i]` for a
 * literal count, `["key"]` for a literal `for_each`; undefined when the expansion is only known to
 * Terraform (then every instance in state with that address counts as configured).
 */
export function instanceAddresses(address: string, body: Json): string[] | undefined {
  if (!isObject(body)) return [address]
  if (body.count !== undefined) {
    const count = literalValue(body.count)
    const n = typeof count === 'string' && /^\d+$/.test(count) ? Number(count) : count
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return undefined
    return Array.from({length: n}, (_, i) => `${address}${instanceKey(i)}`)
  }
  if (body.for_each !== undefined) {
    const each = literalValue(body.for_each)
    if (isObject(each)) return Object.keys(each).map((k) => `${address}${instanceKey(k)}`)
    if (Array.isArray(each) && each.every((k) => typeof k === 'string')) return [...new Set(each as string[])].map((k) => `${address}${instanceKey(k)}`)
    return undefined
  }
  return [address]
}

/** Scalars as Terraform converts configuration to the schema's type: `"1"` is `1`, `"true"` is `true`. */
function sameScalar(configured: Json, applied: Json | undefined): boolean {
  if (configured === applied) return true
  if (applied === undefined || applied === null || configured === null) return false
  if (typeof applied === 'object' || typeof configured === 'object') return false
  return String(configured) === String(applied)
}

/** True when a literal configured value has nothing to say (null, an empty list or map are "not set"). */
function isEmpty(value: Json | undefined): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)
}

/** Compares a configured value with the applied one, collecting the places where a literal differs. */
function compareValue(configured: Json, applied: Json | undefined, steps: PathStep[], stateSteps: PathStep[], out: Drift[]): void {
  if (configured === null) return
  if (typeof configured === 'string' && hasInterpolation(configured)) return
  if (applied === undefined) return // an attribute the state does not have: only a plan knows
  const literal = literalValue(configured)
  if (Array.isArray(configured)) {
    if (applied === null && literal !== undefined && isEmpty(literal)) return
    if (!Array.isArray(applied)) {
      if (literal !== undefined) out.push({steps, stateSteps, applied, configured: literal})
      return
    }
    if (Array.isArray(literal) && literal.length !== applied.length) {
      out.push({steps, stateSteps, applied, configured: literal})
      return
    }
    if (configured.length !== applied.length) return
    const inOrder: Drift[] = []
    configured.forEach((item, i) => compareValue(item, applied[i], [...steps, i], [...stateSteps, i], inOrder))
    if (inOrder.length === 0) return
    // A set in the provider's schema comes back in its own order: equal as a set is no change.
    if (literal !== undefined && matchesUnordered(configured, applied)) return
    out.push(...inOrder)
    return
  }
  if (isObject(configured)) {
    if (Array.isArray(applied)) {
      // A nested block: a list in state, an object in the configuration.
      if (applied.length === 1) compareObject(configured, applied[0], steps, [...stateSteps, 0], out, false)
      else if (applied.length === 0 && literal !== undefined && !isEmpty(literal)) out.push({steps, stateSteps, applied, configured: literal})
      return
    }
    if (isObject(applied)) {
      // A map (or an object attribute): when fully known, its keys are compared both ways.
      compareObject(configured, applied, steps, stateSteps, out, literal !== undefined)
      return
    }
    if (applied === null && literal !== undefined && !isEmpty(literal)) out.push({steps, stateSteps, applied, configured: literal})
    return
  }
  if (!sameScalar(literal ?? configured, applied)) out.push({steps, stateSteps, applied, configured: literal ?? configured})
}

function compareObject(
  configured: {[k: string]: Json},
  applied: Json | undefined,
  steps: PathStep[],
  stateSteps: PathStep[],
  out: Drift[],
  wholeMap: boolean,
): void {
  if (!isObject(applied)) {
    const literal = literalValue(configured)
    if (literal !== undefined && !isEmpty(literal)) out.push({steps, stateSteps, applied, configured: literal})
    return
  }
  for (const [k, v] of Object.entries(configured)) {
    if (steps.length === 0 && META_ARGUMENTS.has(k)) continue
    const key = k.replace(/([$%])\1\{/g, '$1{')
    if (wholeMap && !Object.hasOwn(applied, key)) {
      out.push({steps: [...steps, key], stateSteps: [...stateSteps, key], applied: undefined, configured: literalValue(v) ?? v})
      continue
    }
    compareValue(v, Object.hasOwn(applied, key) ? applied[key] : undefined, [...steps, key], [...stateSteps, key], out)
  }
  if (wholeMap) {
    for (const k of Object.keys(applied)) {
      if (!Object.keys(configured).some((c) => c.replace(/([$%])\1\{/g, '$1{') === k) && applied[k] !== null) {
        out.push({steps: [...steps, k], stateSteps: [...stateSteps, k], applied: applied[k], configured: null})
      }
    }
  }
}

function matchesUnordered(configured: Json[], applied: Json[]): boolean {
  const left = [...applied]
  for (const item of configured) {
    const i = left.findIndex((a) => {
      const d: Drift[] = []
      compareValue(item, a, [], [], d)
      return d.length === 0
    })
    if (i < 0) return false
    left.splice(i, 1)
  }
  return true
}

/** The `lifecycle.ignore_changes` of a resource: `all`, or paths in state notation. */
function ignoredChanges(body: Json): 'all' | PathStep[][] {
  const lifecycle = isObject(body) && isObject(body.lifecycle) ? body.lifecycle : undefined
  const ignore = lifecycle?.ignore_changes
  if (ignore === 'all') return 'all'
  if (!Array.isArray(ignore)) return []
  return ignore.flatMap((p) => (typeof p === 'string' ? [parsePath(p)].filter((s): s is PathStep[] => s !== undefined) : []))
}

function startsWith(steps: readonly PathStep[], prefix: readonly PathStep[]): boolean {
  return prefix.length <= steps.length && prefix.every((s, i) => s === steps[i])
}

function drifted(workspace: string, address: string, item: ConfigItem, instance: StateInstance): Change | undefined {
  const ignore = ignoredChanges(item.body)
  if (ignore === 'all' || !isObject(item.body)) return undefined
  const drifts: Drift[] = []
  compareObject(item.body, instance.values, [], [], drifts, false)
  const kept = drifts.filter((d) => !ignore.some((p) => startsWith(d.stateSteps, p)))
  if (kept.length === 0) return undefined
  const change: Change = {workspace, address, action: 'update', attributes: [], before: {}, after: {}}
  for (const d of kept) {
    const path = formatPath(d.steps)
    const statePath = formatPath(d.stateSteps)
    const masked =
      isSensitivePath(instance.type, d.steps) ||
      [...instance.sensitive].some((s) => statePath === s || statePath.startsWith(`${s}.`) || statePath.startsWith(`${s}[`))
    change.attributes!.push(path)
    const before = shownValue(d.applied, masked)
    const after = shownValue(d.configured, masked)
    if (before !== undefined) change.before![path] = before
    if (after !== undefined) change.after![path] = after
  }
  return change
}

/**
 * Compares one workspace's configuration with its applied state.
 * @param workspace - the workspace name, copied into each change
 * @param config - the configuration msp generates
 * @param state - the workspace's current state
 */
export function compareWithState(workspace: string, config: ConfigView, state: StateView): Change[] {
  const changes: Change[] = []
  const configured = new Set<string>()
  const openEnded: string[] = []
  for (const item of config.items.values()) {
    if (item.kind === 'output') {
      const name = item.address.slice('output.'.length)
      const applied = state.outputs.get(name)
      if (!applied) {
        changes.push({workspace, address: item.address, action: 'create'})
        continue
      }
      const value = isObject(item.body) ? item.body.value : undefined
      const literal = value === undefined ? undefined : literalValue(value)
      if (literal !== undefined && !sameValue(literal, applied.value)) {
        const masked = applied.sensitive || (isObject(item.body) && item.body.sensitive === true)
        changes.push({
          workspace,
          address: item.address,
          action: 'update',
          attributes: ['value'],
          before: {value: shownValue(applied.value, masked)!},
          after: {value: shownValue(literal, masked)!},
        })
      }
      continue
    }
    if (item.kind !== 'resource') continue
    const addresses = instanceAddresses(item.address, item.body)
    if (!addresses) {
      openEnded.push(item.address)
      continue
    }
    for (const address of addresses) {
      configured.add(address)
      const instance = state.resources.get(address)
      if (!instance) {
        changes.push({workspace, address, action: 'create'})
        continue
      }
      const change = drifted(workspace, address, item, instance)
      if (change) changes.push(change)
    }
  }
  for (const address of state.resources.keys()) {
    if (configured.has(address) || openEnded.some((base) => address === base || address.startsWith(`${base}[`))) continue
    changes.push({workspace, address, action: 'delete'})
  }
  for (const name of state.outputs.keys()) if (!config.items.has(`output.${name}`)) changes.push({workspace, address: `output.${name}`, action: 'delete'})
  return sortChanges(changes)
}

function sameValue(configured: Json, applied: Json): boolean {
  const d: Drift[] = []
  compareValue(configured, applied, [], [], d)
  return d.length === 0
}
