/**
 * Changes between two configurations of one workspace, in Terraform's vocabulary: create, update,
 * replace, delete. Pure: two {@link ConfigView}s in, a sorted list of changes out.
 */
import type {ConfigItem, ConfigView} from './config.js'
import {formatPath, isObject, isSensitivePath, jsonEqual, shownValue, type Json, type PathStep} from './values.js'

export const ACTIONS = ['create', 'update', 'replace', 'delete'] as const
export type Action = (typeof ACTIONS)[number]

/** One change of one address in one workspace. */
export interface Change {
  workspace: string
  address: string
  action: Action
  /** Changed attribute paths (updates and replaces), in path order. */
  attributes?: string[]
  /** Values before and after, by attribute path: shortened, sensitive ones masked. */
  before?: Record<string, Json>
  after?: Record<string, Json>
  /** A replace of a renamed resource: its old address. */
  from?: string
  /** What makes a replace necessary, in words. */
  reason?: string
}

/** One differing leaf between two values. */
export interface Difference {
  steps: PathStep[]
  before: Json | undefined
  after: Json | undefined
}

/**
 * The paths where two values differ: objects key by key, lists of equal length item by item; a list
 * whose length changed is one difference (Terraform shows the whole list too).
 * @param before - the old value (undefined: absent)
 * @param after - the new value
 * @param steps - the path so far
 * @param out - where differences are collected
 */
export function differences(before: Json | undefined, after: Json | undefined, steps: PathStep[] = [], out: Difference[] = []): Difference[] {
  if (jsonEqual(before, after)) return out
  if (isObject(before) && isObject(after)) {
    for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      differences(Object.hasOwn(before, k) ? before[k] : undefined, Object.hasOwn(after, k) ? after[k] : undefined, [...steps, k], out)
    }
    return out
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    for (let i = 0; i < before.length; i++) differences(before[i], after[i], [...steps, i], out)
    return out
  }
  out.push({steps, before, after})
  return out
}

/**
 * Attributes that name a resource in its cloud API (they are part of its URL), so the provider cannot
 * change them in place: a new value destroys the old resource and creates a new one. `*` means every
 * attribute (IAM members and random values have no update at all).
 */
export const IMMUTABLE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  google_bigquery_dataset: ['dataset_id', 'location', 'project'],
  google_bigquery_table: ['dataset_id', 'table_id', 'project'],
  google_cloud_run_v2_job: ['name', 'location', 'project'],
  google_cloud_run_v2_service: ['name', 'location', 'project'],
  google_clouddeploy_delivery_pipeline: ['name', 'location', 'project'],
  google_clouddeploy_target: ['name', 'location', 'project'],
  google_compute_global_address: ['name', 'project'],
  google_compute_network: ['name', 'project'],
  google_compute_subnetwork: ['name', 'region', 'project'],
  google_project: ['project_id'],
  google_project_iam_custom_role: ['role_id', 'project'],
  google_pubsub_subscription: ['name', 'topic', 'project'],
  google_pubsub_topic: ['name', 'project'],
  google_redis_instance: ['name', 'region', 'project'],
  google_secret_manager_secret: ['secret_id', 'project'],
  google_service_account: ['account_id', 'project'],
  google_sql_database: ['name', 'instance', 'project'],
  google_sql_database_instance: ['name', 'region', 'project'],
  google_sql_user: ['name', 'instance', 'project'],
  google_storage_bucket: ['name', 'location', 'project'],
  google_storage_bucket_object: ['name', 'bucket'],
  random_id: ['*'],
  random_password: ['*'],
}

/** True when a change of this top-level attribute of this resource type forces a replacement. */
export function forcesReplacement(type: string, attribute: string): boolean {
  if (type.endsWith('_iam_member') || type.endsWith('_iam_binding')) return true
  const immutable = IMMUTABLE_ATTRIBUTES[type]
  return immutable !== undefined && (immutable.includes('*') || immutable.includes(attribute))
}

/** Why a resource update is a replace, or undefined when it is an update in place. */
function replaceReason(before: ConfigItem, item: ConfigItem, diffs: readonly Difference[]): string | undefined {
  if (createBeforeDestroy(before.body) !== createBeforeDestroy(item.body)) return 'lifecycle.create_before_destroy changed'
  if (item.type === undefined) return undefined
  const forced = diffs.map((d) => d.steps[0]).find((s): s is string => typeof s === 'string' && s !== 'lifecycle' && forcesReplacement(item.type!, s))
  return forced === undefined ? undefined : `${forced} cannot change in place`
}

function createBeforeDestroy(body: Json): boolean {
  return isObject(body) && isObject(body.lifecycle) && body.lifecycle.create_before_destroy === true
}

/** Masks the values of sensitive attributes and outputs. */
function sensitive(item: ConfigItem, steps: readonly PathStep[]): boolean {
  if (item.kind === 'output') return isObject(item.body) && item.body.sensitive === true && steps[0] === 'value'
  if (item.kind === 'provider') return isSensitivePath('', steps)
  return isSensitivePath(item.type ?? '', steps)
}

/**
 * Two lists that differ in length, shown by what differs: the items they share at the start and at the
 * end become one marker each (`(3 unchanged items)`), so an added environment variable shows as itself.
 */
export function elideCommonItems(before: Json | undefined, after: Json | undefined): [Json | undefined, Json | undefined] {
  if (!Array.isArray(before) || !Array.isArray(after)) return [before, after]
  let head = 0
  while (head < before.length && head < after.length && jsonEqual(before[head], after[head])) head++
  let tail = 0
  while (tail < before.length - head && tail < after.length - head && jsonEqual(before[before.length - 1 - tail], after[after.length - 1 - tail])) tail++
  const marker = (n: number): Json[] => (n === 0 ? [] : [`(${n} unchanged item${n === 1 ? '' : 's'})`])
  const elide = (list: Json[]): Json[] => [...marker(head), ...list.slice(head, list.length - tail), ...marker(tail)]
  return [elide(before), elide(after)]
}

function update(workspace: string, before: ConfigItem, after: ConfigItem): Change | undefined {
  const diffs = differences(before.body, after.body)
  if (diffs.length === 0) return undefined
  const change: Change = {workspace, address: after.address, action: 'update', attributes: [], before: {}, after: {}}
  for (const d of diffs) {
    const path = formatPath(d.steps)
    const masked = sensitive(before, d.steps) || sensitive(after, d.steps)
    change.attributes!.push(path)
    const [elidedBefore, elidedAfter] = elideCommonItems(d.before, d.after)
    const b = shownValue(elidedBefore, masked)
    const a = shownValue(elidedAfter, masked)
    if (b !== undefined) change.before![path] = b
    if (a !== undefined) change.after![path] = a
  }
  if (after.kind === 'resource') {
    const reason = replaceReason(before, after, diffs)
    if (reason) {
      change.action = 'replace'
      change.reason = reason
    }
  }
  return change
}

/**
 * Every change between the configuration in the working tree and the one `msp generate` would write,
 * for one workspace, sorted by address. A resource that disappears while one of the same type and
 * body appears under another address is one replace (a rename without a `moved` block).
 * @param workspace - the workspace name, copied into each change
 * @param before - the configuration now (undefined: no file)
 * @param after - the configuration to be (undefined: no longer generated)
 */
export function compareConfigs(workspace: string, before: ConfigView | undefined, after: ConfigView | undefined): Change[] {
  const old = before?.items ?? new Map<string, ConfigItem>()
  const next = after?.items ?? new Map<string, ConfigItem>()
  const changes: Change[] = []
  const created: ConfigItem[] = []
  const deleted: ConfigItem[] = []
  for (const [address, item] of next) {
    const was = old.get(address)
    if (!was) created.push(item)
    else {
      const c = update(workspace, was, item)
      if (c) changes.push(c)
    }
  }
  for (const [address, item] of old) if (!next.has(address)) deleted.push(item)
  const renamedFrom = new Map<ConfigItem, ConfigItem>()
  for (const item of created) {
    if (item.kind !== 'resource') continue
    const i = deleted.findIndex((d) => d.kind === 'resource' && d.type === item.type && jsonEqual(d.body, item.body))
    if (i >= 0) renamedFrom.set(item, deleted.splice(i, 1)[0]!)
  }
  for (const item of created) {
    const from = renamedFrom.get(item)
    changes.push(
      from
        ? {workspace, address: item.address, action: 'replace', from: from.address, reason: `renamed from ${from.address}`}
        : {workspace, address: item.address, action: 'create'},
    )
  }
  for (const item of deleted) changes.push({workspace, address: item.address, action: 'delete'})
  return sortChanges(changes)
}

/** Terraform's order: by workspace, then address. */
export function sortChanges(changes: Change[]): Change[] {
  return changes.sort((a, b) => (a.workspace === b.workspace ? compareText(a.address, b.address) : compareText(a.workspace, b.workspace)))
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
