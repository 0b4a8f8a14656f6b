/**
 * `msp diff` without Terraform Cloud: what `msp generate` would write now (the stack models it
 * renders, never its text read back) against the generated files in the working tree, workspace by
 * workspace. Nothing is written.
 */
import {createHash} from 'node:crypto'
import {join} from 'node:path'
import type {Edition} from '../edition/editions.js'
import {UserError} from '../io/errors.js'
import {repositoryFolder, type SafeFolder} from '../io/safe-folder.js'
import {buildStacks, DEFAULT_RESOLVER, selectEnvironments, staleEnvironmentDirs, type GenerateServiceInput, type PlanOptions} from '../generate/generate.js'
import {serviceDigest, stampKey, type StampStore} from '../generate/stamps.js'
import {finalRolloutStages} from '../stacks/cloudrun/rollout.js'
import {SKAFFOLD_SOURCE_FILE, skaffoldSourceArchive} from '../stacks/cloudrun/skaffold.js'
import {tfcWorkspaceName} from '../links/tfc.js'
import {environmentFolder} from '../spec/layout.js'
import type {Environment} from '../spec/schema.js'
import {terraformFileDocument} from '../terraform/render.js'
import {checkTerraformVersion, DEFAULT_TERRAFORM_VERSION} from '../terraform/version.js'
import {compareConfigs, sortChanges, type Change} from './changes.js'
import {configView, type ConfigView} from './config.js'
import {isObject, type Json} from './values.js'
import {letSignalsIn} from '../io/cooperate.js'

/** A generated file larger than this is refused: the largest real one is a few hundred kilobytes. */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024

export interface EnvironmentDiff {
  serviceId: string
  envId: string
  category: string
  edition: Edition
  /** Every change of the environment's workspaces, sorted by workspace and address. */
  changes: Change[]
}

export interface WorkingTreeDiffOptions extends PlanOptions {
  root: string
  services: readonly GenerateServiceInput[]
  /** Generation stamps: an environment whose stamp proves its files current has no change (see stamps.ts). */
  stamps?: {store: StampStore; fingerprint: string}
  /** Called after each environment, in order; for progress output. */
  onEnvironment?: (result: EnvironmentDiff) => void
}

export interface WorkingTreeDiff {
  environments: EnvironmentDiff[]
  /** Environment folders no environment of their spec generates any more (reported, never compared: see generate). */
  stale: string[]
}

/**
 * Reads and parses one generated file of the working tree; undefined when it does not exist.
 * @param folder - the repository guard
 * @param rel - repo-relative path
 */
export function readConfigFile(folder: SafeFolder, rel: string): ConfigView | undefined {
  const bytes = folder.readBytesSync(rel)
  if (bytes === undefined) return undefined
  if (bytes.length > MAX_CONFIG_BYTES) throw new UserError(`${rel} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB, refused`)
  let doc: Json
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Json
  } catch (error) {
    throw new UserError(`${rel} is not valid JSON: ${(error as Error).message}`, {hint: 'run msp generate to rewrite it, then msp diff shows what changed'})
  }
  if (!isObject(doc)) throw new UserError(`${rel} is not a Terraform JSON configuration (not an object)`, {hint: 'run msp generate to rewrite it'})
  return configView(doc)
}

const STACK_FILE = /^stacks\/([^/]+)\/cdk\.tf\.json$/

function digest(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '(no file)' : `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`
}

/**
 * Compares one environment: each stack's model with its `cdk.tf.json`, stacks whose file is no longer
 * generated (every resource a delete), and the files a resource uploads (`source`).
 * @param folder - the repository guard
 * @param service - the loaded service
 * @param env - the environment
 * @param terraformVersion - as `generate --terraform-version`
 * @param edition - the edition of the environment
 */
export function diffEnvironment(folder: SafeFolder, service: GenerateServiceInput, env: Environment, terraformVersion: string, edition: Edition): Change[] {
  const dir = environmentFolder(service.id, env.id)
  const changes: Change[] = []
  const generated = new Set<string>()
  for (const stack of buildStacks(service, env, edition)) {
    const path = `stacks/${stack.name}/cdk.tf.json`
    generated.add(path)
    const next = configView(terraformFileDocument(stack.config, {terraformVersion}) as Json)
    const current = readConfigFile(folder, `${dir}/${path}`)
    const workspace = stack.config.backend.workspace
    const stackChanges = compareConfigs(workspace, current, next)
    if (stack.name === 'cloudrun' && finalRolloutStages(service.spec, env)) {
      const before = folder.readBytesSync(`${dir}/stacks/cloudrun/${SKAFFOLD_SOURCE_FILE}`)
      const after = skaffoldSourceArchive()
      if (before === undefined || Buffer.compare(before, after) !== 0)
        uploads(stackChanges, next, workspace, SKAFFOLD_SOURCE_FILE, digest(before), digest(after))
    }
    changes.push(...stackChanges)
  }
  for (const file of folder.listFiles(`${dir}/stacks`)) {
    const rel = file.slice(dir.length + 1)
    const m = STACK_FILE.exec(rel)
    if (!m || generated.has(rel)) continue
    const current = readConfigFile(folder, file)
    changes.push(...compareConfigs(current?.workspace ?? tfcWorkspaceName(service.id, env.id, m[1]!), current, undefined))
  }
  return sortChanges(changes)
}

/** A file a resource uploads changed: an update of that resource's `source` (the file's digest before and after). */
function uploads(changes: Change[], config: ConfigView, workspace: string, file: string, before: string, after: string): void {
  for (const item of config.items.values()) {
    if (item.kind !== 'resource' || !isObject(item.body) || item.body.source !== file) continue
    let change = changes.find((c) => c.address === item.address)
    if (change?.action === 'create') continue
    if (!change) {
      change = {workspace, address: item.address, action: 'update', attributes: [], before: {}, after: {}}
      changes.push(change)
    }
    change.attributes = [...(change.attributes ?? []), 'source']
    change.before = {...change.before, source: `${file} ${before}`}
    change.after = {...change.after, source: `${file} ${after}`}
  }
}

/**
 * Compares every selected environment of the services with the working tree. Environments whose
 * generation stamp proves their files are exactly what generate writes now are not rebuilt.
 * @param options - repo root, loaded services, selection, Terraform version, editions, stamps and progress
 */
export async function diffWorkingTree(options: WorkingTreeDiffOptions): Promise<WorkingTreeDiff> {
  const version = checkTerraformVersion(options.terraformVersion ?? DEFAULT_TERRAFORM_VERSION)
  const editions = options.editions ?? DEFAULT_RESOLVER
  const folder = repositoryFolder(options.root)
  const environments: EnvironmentDiff[] = []
  for (const service of options.services) {
    let serviceKey: string | undefined
    for (const env of selectEnvironments(service, options)) {
      await letSignalsIn()
      const edition = editions(env.category).edition
      let fresh = false
      if (options.stamps) {
        serviceKey ??= serviceDigest(service)
        const key = stampKey({fingerprint: options.stamps.fingerprint, terraformVersion: version, edition, serviceDigest: serviceKey, envId: env.id})
        fresh = options.stamps.store.fresh(join(options.root, environmentFolder(service.id, env.id)), key) !== undefined
      }
      const changes = fresh ? [] : diffEnvironment(folder, service, env, version, edition)
      const result: EnvironmentDiff = {serviceId: service.id, envId: env.id, category: env.category, edition, changes}
      environments.push(result)
      options.onEnvironment?.(result)
    }
  }
  return {environments, stale: staleEnvironmentDirs(options.root, options.services)}
}
