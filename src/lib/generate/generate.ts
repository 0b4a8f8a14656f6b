/**
 * `msp generate`: check every requested environment's model first (so a spec error aborts before
 * anything is written), then render and write only files whose bytes change and remove
 * stale files inside each environment's `stacks/` folder. Layout is the original's:
 * `services/<svc>/terraform/<env>/.tool-versions` and `…/stacks/<stack>/cdk.tf.json`.
 */
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {DEFAULT_EDITION, inForce, type Edition} from '../edition/editions.js'
import type {EditionResolver, ResolvedEdition} from '../edition/resolve.js'
import {isSweepableTemp, TEMP_PREFIX} from '../io/atomic-file.js'
import {UserError, type SpecIssue} from '../io/errors.js'
import {repositoryFolder, sameContents, type SafeFolder} from '../io/safe-folder.js'
import {unknownIdError} from '../repo/resolve.js'
import type {WriteTracker} from '../io/write-tracker.js'
import {retiredKeyWarnings, type RetiredKeyUse} from '../spec/retired.js'
import {environmentStacks} from '../stacks/index.js'
import {finalRolloutStages} from '../stacks/cloudrun/rollout.js'
import {SKAFFOLD_SOURCE_FILE, skaffoldSourceArchive} from '../stacks/cloudrun/skaffold.js'
import type {StackName} from '../stacks/naming.js'
import {imageTag as specImageTag} from '../spec/derived.js'
import {environmentFolder, serviceSpecFile, terraformFolder} from '../spec/layout.js'
import type {Environment, Spec} from '../spec/schema.js'
import type {TfConfig} from '../terraform/model.js'
import {renderTerraform} from '../terraform/render.js'
import {serviceDigest, stampKey, type StampStore} from './stamps.js'
import {DEFAULT_TERRAFORM_VERSION, checkTerraformVersion} from '../terraform/version.js'
import {processEnv} from '../io/env.js'
import {eachClaim, markFailed, newClaims, receivedError} from '../io/threads.js'
import {inWindow, startWorkers, THREADED_MIN_ENVIRONMENTS, type ThreadJob, type WorkerPool} from './threads.js'

/** The file automation writes for subscription deploys (`resolved_image_tag`); generate keeps it, like the original's `-stable`. */
const TFVARS = 'stacks/cloudrun/terraform.tfvars'

/** `terraform.tfvars` as the original writes it: sorted `key = "<quoted>"` lines, newline-terminated. */
export function renderTfvars(vars: Readonly<Record<string, string>>): string {
  const keys = Object.keys(vars).sort()
  if (keys.length === 0) return '\n'
  return keys.map((k) => `${k} = ${JSON.stringify(vars[k])}\n`).join('')
}

/** A service to generate: what `loadService` returns satisfies this. */
export interface GenerateServiceInput {
  id: string
  spec: Spec
  /** `<table>.bigquerytable.json` contents by table name. */
  bigQuerySchemas?: Readonly<Record<string, string>>
  /** The spec file and the keys of older releases in it (warned about under editions that retired them). */
  file?: string
  retired?: readonly RetiredKeyUse[]
}

export interface PlannedFile {
  /** Path relative to the environment directory, `/`-separated (`stacks/iam/cdk.tf.json`). */
  path: string
  /** Text, or bytes for generated binary files (`skaffoldsource.tar.gz`). */
  contents: string | Uint8Array
}

export interface PlannedEnvironment {
  serviceId: string
  envId: string
  category: string
  /** The release of the original whose output this is. */
  edition: Edition
  /** Repo-relative environment directory: `services/<svc>/terraform/<env>`. */
  dir: string
  files: PlannedFile[]
  /** Relative paths that must survive stale-file removal even though msp does not write them. */
  keep: string[]
}

export type FileOutcome = 'created' | 'changed' | 'unchanged' | 'removed'

export interface FileResult {
  /** Repo-relative path. */
  path: string
  outcome: FileOutcome
}

export interface EnvironmentResult {
  serviceId: string
  envId: string
  category: string
  edition: Edition
  dir: string
  files: FileResult[]
}

export interface PlanOptions {
  terraformVersion?: string
  /** Only these environments, in this order (default: all, spec order). Unknown ids fail. */
  envIds?: readonly string[]
  /** Only environments of this category (`test`, `internal`, `external`). */
  category?: string
  /** The edition of each environment, by category (default: {@link DEFAULT_EDITION} everywhere). */
  editions?: EditionResolver
}

export const DEFAULT_RESOLVER: EditionResolver = () => ({edition: DEFAULT_EDITION, source: 'default'})

/** Builds the stack models of one environment; generation-time spec errors name the service and environment. */
export function buildStacks(service: GenerateServiceInput, env: Environment, edition: Edition) {
  try {
    return environmentStacks(service.spec, env, edition, service.bigQuerySchemas ? {bigQuerySchemas: service.bigQuerySchemas} : {})
  } catch (error) {
    if (error instanceof UserError) {
      throw new UserError(`generate "${service.id}" environment "${env.id}": ${error.message}`, {hint: error.hint, cause: error})
    }
    throw error
  }
}

/**
 * The model of one stack of one environment, built exactly as `generate` builds it (so a graph or any
 * other view of the stack shows what `cdk.tf.json` holds).
 * @param service - the loaded service
 * @param env - one of its environments
 * @param stack - the stack name
 * @param edition - the release of the original whose output to reproduce
 */
export function environmentStack(service: GenerateServiceInput, env: Environment, stack: StackName, edition: Edition): TfConfig {
  const found = buildStacks(service, env, edition).find((s) => s.name === stack)
  if (!found) throw new Error(`no stack ${stack}`)
  return found.config
}

/**
 * Renders every file of one environment in memory.
 * @param service - the loaded service
 * @param env - one of its environments
 * @param terraformVersion - the version written to `required_version` and `.tool-versions`
 * @param edition - the release of the original whose output to reproduce
 */
export function planEnvironment(service: GenerateServiceInput, env: Environment, terraformVersion: string, edition: Edition): PlannedEnvironment {
  const stacks = buildStacks(service, env, edition)
  const files: PlannedFile[] = [{path: '.tool-versions', contents: `terraform ${terraformVersion}`}]
  for (const s of stacks) files.push({path: `stacks/${s.name}/cdk.tf.json`, contents: renderTerraform(s.config, {terraformVersion})})
  // The rollout pipeline's bucket object uploads this file from the cloudrun stack's directory.
  if (finalRolloutStages(service.spec, env)) files.push({path: `stacks/cloudrun/${SKAFFOLD_SOURCE_FILE}`, contents: skaffoldSourceArchive()})
  return {
    serviceId: service.id,
    envId: env.id,
    category: env.category,
    edition,
    dir: environmentFolder(service.id, env.id),
    files,
    keep: env.deploy?.type === 'subscription' ? [TFVARS] : [],
  }
}

/**
 * One environment built and rendered for writing: its text files as the UTF-8 bytes a write stores,
 * and its terraform.tfvars when an image tag was resolved for it.
 * @param service - the loaded service
 * @param env - one of its environments
 * @param terraformVersion - the version written to `required_version` and `.tool-versions`
 * @param edition - the release of the original whose output to reproduce
 * @param tag - the resolved image tag (`--stable=false`)
 */
export function buildEnvironment(
  service: GenerateServiceInput,
  env: Environment,
  terraformVersion: string,
  edition: Edition,
  tag?: string,
): PlannedEnvironment {
  const planned = asBytes(planEnvironment(service, env, terraformVersion, edition))
  if (tag !== undefined) planned.files.push({path: TFVARS, contents: renderTfvars({resolved_image_tag: tag})})
  return planned
}

/** The environments of a service that `options` select, in the order asked for (spec order by default). */
export function selectEnvironments(service: GenerateServiceInput, options: PlanOptions): readonly Environment[] {
  const all = service.spec.environments ?? []
  let envs: readonly Environment[] = all
  if (options.envIds) {
    envs = options.envIds.map((id) => {
      const env = all.find((e) => e.id === id)
      if (!env)
        throw unknownIdError(
          'environment',
          id,
          all.map((e) => e.id),
          service.id,
        )
      return env
    })
  }
  if (options.category) envs = envs.filter((e) => e.category === options.category)
  return envs
}

/**
 * Files of the original's layout that msp removes when it no longer generates them: a stack's
 * `cdk.tf.json` and `terraform.tfvars`, and the cloudrun stack's `skaffoldsource.tar.gz`. Anything else under `stacks/` is someone else's file and
 * is left alone.
 */
const GENERATED_STACK_FILE = /^stacks\/(?:[a-z0-9_-]+\/(?:cdk\.tf\.json|terraform\.tfvars)|cloudrun\/skaffoldsource\.tar\.gz)$/

function isTempName(rel: string): boolean {
  return rel.split('/').pop()!.startsWith(TEMP_PREFIX)
}

/**
 * Writes one planned environment (or, with `check`, only reports what would change): files are
 * written atomically and only when their bytes differ; generated files under `stacks/` that msp no
 * longer generates are removed. Every path goes through the repository's {@link SafeFolder}, so
 * nothing outside the environment directory — and nothing through a symlink — is touched.
 * @param repo - the repo root, or the run's guard of it
 * @param planned - the planned environment
 * @param options - `check: true` writes and removes nothing
 */
export async function writeEnvironment(repo: string | SafeFolder, planned: PlannedEnvironment, options: {check?: boolean} = {}): Promise<EnvironmentResult> {
  const folder = typeof repo === 'string' ? repositoryFolder(repo) : repo
  const rel = (p: string) => `${planned.dir}/${p}`
  // A folder this write creates holds nothing stale and no other run's temp files to sweep.
  const existed = folder.exists(planned.dir)
  const files: FileResult[] = await Promise.all(
    planned.files.map(async (f) => {
      const current = () => (typeof f.contents === 'string' ? folder.readTextSync(rel(f.path)) : folder.readBytesSync(rel(f.path)))
      const outcome: FileOutcome = options.check ? compare(current(), f.contents) : await folder.writeIfChanged(rel(f.path), f.contents)
      return {path: rel(f.path), outcome}
    }),
  )
  if (!existed) return {serviceId: planned.serviceId, envId: planned.envId, category: planned.category, edition: planned.edition, dir: planned.dir, files}
  const wanted = new Set([...planned.files.map((f) => f.path), ...planned.keep])
  const envFiles = folder.listFiles(planned.dir).map((p) => p.slice(planned.dir.length + 1))
  // Temp files of other runs are removed only once they are old enough to be leftovers, never
  // while another msp may still be writing them.
  const temps = envFiles.filter((p) => isTempName(p) && isSweepableTemp(folder.path(rel(p)), folder.writes))
  const stale = envFiles.filter((p) => GENERATED_STACK_FILE.test(p) && !wanted.has(p))
  if (!options.check) for (const p of [...temps, ...stale]) await folder.remove(rel(p))
  for (const p of stale.sort()) files.push({path: rel(p), outcome: 'removed'})
  if (!options.check && stale.length > 0) await folder.removeEmptyDirs(rel('stacks'))
  return {serviceId: planned.serviceId, envId: planned.envId, category: planned.category, edition: planned.edition, dir: planned.dir, files}
}

function compare(current: string | Buffer | undefined, contents: string | Uint8Array): FileOutcome {
  if (current === undefined) return 'created'
  return sameContents(current, contents) ? 'unchanged' : 'changed'
}

export interface GenerateOptions extends PlanOptions {
  root: string
  services: readonly GenerateServiceInput[]
  /** The run's writes in flight (see write-tracker.ts); a private tracker when omitted. */
  writes?: WriteTracker
  /**
   * `true` (default, the original's `-stable`): values resolved at generation time are not
   * recomputed, so an existing `terraform.tfvars` is left alone. `false`: every selected
   * subscription environment's tag is resolved to `<tag>@<digest>` and its tfvars written.
   */
  stable?: boolean
  /** Resolves a subscription's tag (default: the image registry, lib/registry/digest.ts). */
  resolveTag?: (image: string, tag: string) => Promise<string>
  /** The run's environment variables (the registry's credentials and address); the process's when omitted. */
  env?: Readonly<Record<string, string | undefined>>
  check?: boolean
  /** Called after each environment is written (or checked), in order; for progress output. */
  onEnvironment?: (result: EnvironmentResult) => void
  /** Worker threads that share the building and writing of many environments (see threads.ts); none when absent. */
  workers?: number
  /** Generation stamps (incremental re-runs) and the build fingerprint that keys them; off when absent. */
  stamps?: {store: StampStore; fingerprint: string}
}

export interface GenerateSummary {
  environments: EnvironmentResult[]
  /**
   * Environment folders of the generated services that no environment of their spec produces any more
   * (`services/<svc>/terraform/<env>/`, e.g. after an environment was removed from the spec). msp
   * never deletes them: the environment's workspaces may still hold live infrastructure.
   */
  stale: string[]
  /** Every edition used, with where it came from, in first-use order. */
  editions: ResolvedEdition[]
  /** Spec keys the edition of an environment no longer reads (the original ignored them silently). */
  warnings: SpecIssue[]
  /** Problems of generated output that are not about the spec (a subscription environment without tfvars). */
  notices: string[]
  counts: Record<FileOutcome, number>
  /** How many environments each thread built (and wrote), this thread first, then each worker. */
  builtPerThread: number[]
}

/** Environments being written at any time: overlaps fsync and read latency without flooding the disk. */
export const WRITE_CONCURRENCY = 8

/**
 * Generates Terraform for several services. A first pass builds and renders every environment in
 * memory, so any spec problem aborts before a file is written; the second pass writes environment by
 * environment, dropping each text once written. Environments whose stamps prove them current are
 * neither built nor rendered.
 * @param options - repo root, loaded services, environment selection, check mode and progress callback
 */
export async function generateServices(options: GenerateOptions): Promise<GenerateSummary> {
  const planOptions: PlanOptions = {
    ...(options.terraformVersion === undefined ? {} : {terraformVersion: options.terraformVersion}),
    ...(options.envIds === undefined ? {} : {envIds: options.envIds}),
    ...(options.category === undefined ? {} : {category: options.category}),
  }
  const version = checkTerraformVersion(options.terraformVersion ?? DEFAULT_TERRAFORM_VERSION)
  const resolveEdition = options.editions ?? DEFAULT_RESOLVER
  const used = new Map<string, ResolvedEdition>()
  const warnings = new Map<string, SpecIssue>()
  const selected = options.services.flatMap((service) =>
    selectEnvironments(service, planOptions).map((env) => {
      const resolved = resolveEdition(env.category)
      used.set(`${resolved.edition}\0${resolved.source}`, resolved)
      if (service.retired?.length) {
        for (const w of retiredKeyWarnings({id: service.id, file: service.file ?? serviceSpecFile(service.id), retired: service.retired}, resolved.edition)) {
          warnings.set(`${w.file}:${w.line}:${w.column}`, w)
        }
      }
      // A suggested command repeats an edition that did not come from the default, so running it keeps the edition.
      const editionArg = resolved.source === 'default' ? '' : ` --edition ${resolved.edition}`
      return {service, env, edition: resolved.edition, editionArg}
    }),
  )
  // Environments whose generation stamp proves their files current are neither rebuilt nor rendered.
  const stamps = options.stamps
  const digests = new Map<GenerateServiceInput, string>()
  const keyOf = (service: GenerateServiceInput, env: Environment, edition: Edition) => {
    if (!stamps) return ''
    let digest = digests.get(service)
    if (digest === undefined) digests.set(service, (digest = serviceDigest(service)))
    return stampKey({fingerprint: stamps.fingerprint, terraformVersion: version, edition, serviceDigest: digest, envId: env.id})
  }
  const envDirOf = (service: GenerateServiceInput, env: Environment) => join(options.root, environmentFolder(service.id, env.id))
  const folder = repositoryFolder(options.root, options.writes)
  // Image tags read from terraform.tfvars (subscriptions; before the change imageTagSubscriptionOnly, every environment): resolved
  // now with stable=false, else the existing tfvars must be there.
  const resolved = new Map<number, string>()
  const notices: string[] = []
  for (const [i, {service, env, edition, editionArg}] of selected.entries()) {
    const type = env.deploy?.type
    if (type !== 'subscription' && inForce(edition, 'imageTagSubscriptionOnly')) continue
    const tfvarsPath = `${environmentFolder(service.id, env.id)}/${TFVARS}`
    if (options.stable === false) {
      const tag = specImageTag(service.spec, env)
      if (typeof tag === 'string') {
        resolved.set(i, tag)
        continue
      }
      const resolve =
        options.resolveTag ??
        (async (image: string, t: string) => (await import('../registry/digest.js')).resolveImageTag(image, t, {env: options.env ?? processEnv()}))
      resolved.set(i, await resolve(service.spec.build?.image ?? '', tag.subscription))
    } else if (folder.readTextSync(tfvarsPath) === undefined) {
      notices.push(
        `${tfvarsPath} is missing: a plan of ${service.id} ${env.id} (deploy type ${type}) will fail without resolved_image_tag; run msp ` +
          `generate ${service.id} ${env.id} --stable=false${editionArg}`,
      )
    }
  }
  // --check compares content: the stamps trust size and mtime, which `cp -p`, `rsync -a`, `tar` and CI
  // caches keep for an edited file.
  const fresh = selected.map(({service, env, edition}, i) =>
    options.check || resolved.has(i) ? undefined : stamps?.store.fresh(envDirOf(service, env), keyOf(service, env, edition)),
  )
  // Every environment is built and rendered here, once: a spec error still aborts before the first
  // write. Only the rendered bytes wait for the writes (about 90 KB an environment): as buffers, outside
  // the JavaScript heap, which the garbage collector neither copies nor scans (kept as strings, they
  // tripled its work), and compared with the files on disk byte for byte. The models die young.
  // A signal is taken between two environments (see cooperate.ts). With workers, each thread builds
  // and then writes the environments it claims (see threads.ts).
  const toBuild = selected.flatMap((_, i) => (fresh[i] ? [] : [i]))
  const claims = newClaims()
  const workers = toBuild.length >= THREADED_MIN_ENVIRONMENTS ? (options.workers ?? 0) : 0
  const pool =
    workers > 0 ? startWorkers<GenerateServiceInput, EnvironmentResult>(workers, threadJob(selected, toBuild, resolved, claims, options, version)) : undefined
  try {
    const own = await buildShare(claims, toBuild, (i) =>
      buildEnvironment(selected[i]!.service, selected[i]!.env, version, selected[i]!.edition, resolved.get(i)),
    )
    const theirs = pool ? await pool.built() : {counts: [], failures: []}
    let failed = own.failed
    for (const f of theirs.failures) if (!failed || f.position < failed.position) failed = {position: f.position, error: receivedError(f.error)}
    if (failed) throw failed.error

    const progress = orderedProgress(options.onEnvironment)
    for (const [i, current] of fresh.entries()) {
      if (!current) continue
      const {service, env, edition} = selected[i]!
      const dir = environmentFolder(service.id, env.id)
      const files = current.map((path) => ({path: `${dir}/${path}`, outcome: 'unchanged' as const}))
      progress.add(i, {serviceId: service.id, envId: env.id, category: env.category, edition, dir, files})
    }
    const written = (i: number, result: EnvironmentResult, files: readonly string[]) => {
      const {service, env, edition} = selected[i]!
      if (stamps && !options.check) stamps.store.record(envDirOf(service, env), keyOf(service, env, edition), files)
      progress.add(i, result)
    }
    await writeShares(own, pool, written, (planned) => writeEnvironment(folder, planned, options.check ? {check: true} : {}))
    const stale = staleEnvironmentDirs(options.root, options.services)
    const {environments, counts} = progress
    return {
      environments,
      stale,
      editions: [...used.values()],
      warnings: [...warnings.values()],
      notices,
      counts,
      builtPerThread: [own.mine.length, ...theirs.counts],
    }
  } finally {
    await pool?.close()
  }
}

/** A thread's builds: what it claimed, in order, until none is left or one failed. */
export interface BuildShare {
  plans: Map<number, PlannedEnvironment>
  /** The indexes it built, in order. */
  mine: number[]
  /** The position (in the list to build) of its failed build. */
  failed?: {position: number; error: unknown}
}

/**
 * Claims environments and builds them until none is left or one fails (then no thread claims past it).
 * The main thread and each worker build their share with it.
 * @param claims - the counter shared with the workers
 * @param toBuild - the indexes to build, by position
 * @param build - builds the environment of an index
 * @param stopped - true when this thread must claim no more (a worker asked to drain)
 */
export async function buildShare(
  claims: Int32Array,
  toBuild: readonly number[],
  build: (index: number) => PlannedEnvironment,
  stopped?: () => boolean,
): Promise<BuildShare> {
  const share: BuildShare = {plans: new Map(), mine: []}
  await eachClaim(
    claims,
    toBuild.length,
    (position) => {
      const i = toBuild[position]!
      try {
        share.plans.set(i, build(i))
        share.mine.push(i)
        return true
      } catch (error) {
        markFailed(claims, position)
        share.failed = {position, error}
        return false
      }
    },
    stopped,
  )
  return share
}

/**
 * Progress in the order of the environments, whichever thread wrote them and whenever: a result is
 * reported (and counted) once every result before it is.
 * @param onEnvironment - called with each result, in order
 */
function orderedProgress(onEnvironment?: (result: EnvironmentResult) => void) {
  const results: (EnvironmentResult | undefined)[] = []
  const environments: EnvironmentResult[] = []
  const counts: Record<FileOutcome, number> = {created: 0, changed: 0, unchanged: 0, removed: 0}
  return {
    environments,
    counts,
    add(index: number, result: EnvironmentResult) {
      results[index] = result
      for (let r = results[environments.length]; r !== undefined; r = results[environments.length]) {
        for (const f of r.files) counts[f.outcome]++
        environments.push(r)
        onEnvironment?.(r)
      }
    },
  }
}

/**
 * Writes this thread's builds while the workers write theirs. After a failed write no environment
 * after it starts on any thread, the ones in flight finish, and the failure of the first environment
 * in order is thrown, as one thread would find it.
 * @param own - this thread's builds
 * @param pool - the workers, if any
 * @param written - records one written environment (its stamp, its progress)
 * @param write - writes one of this thread's builds
 */
async function writeShares(
  own: BuildShare,
  pool: WorkerPool<EnvironmentResult> | undefined,
  written: (index: number, result: EnvironmentResult, files: readonly string[]) => void,
  write: (planned: PlannedEnvironment) => Promise<EnvironmentResult>,
): Promise<void> {
  let failure: {index: number; error: unknown} | undefined
  const failedAt = (index: number, error: unknown) => {
    if (failure !== undefined && failure.index < index) return
    failure = {index, error}
    pool?.stopAfter(index)
  }
  const theirs = pool?.write(written, failedAt)
  await inWindow(
    own.mine,
    WRITE_CONCURRENCY,
    async (i) => {
      const planned = own.plans.get(i)!
      own.plans.delete(i)
      try {
        written(
          i,
          await write(planned),
          planned.files.map((f) => f.path),
        )
      } catch (error) {
        failedAt(i, error) // at once: the workers stop starting later environments now
        throw error
      }
    },
    (i) => failure !== undefined && i > failure.index,
  )
  await theirs
  if (failure) throw failure.error
}

/** What the workers need of the run: the environments to build and the services they belong to (specs only). */
function threadJob(
  selected: readonly {service: GenerateServiceInput; env: Environment; edition: Edition}[],
  toBuild: readonly number[],
  resolved: ReadonlyMap<number, string>,
  claims: Int32Array,
  options: GenerateOptions,
  terraformVersion: string,
): ThreadJob<GenerateServiceInput> {
  const services: GenerateServiceInput[] = []
  const serviceIndex = new Map<GenerateServiceInput, number>()
  const environments = toBuild.map((index) => {
    const {service, env, edition} = selected[index]!
    let s = serviceIndex.get(service)
    if (s === undefined) {
      s = services.push({id: service.id, spec: service.spec, ...(service.bigQuerySchemas ? {bigQuerySchemas: service.bigQuerySchemas} : {})}) - 1
      serviceIndex.set(service, s)
    }
    const tag = resolved.get(index)
    return {index, service: s, envId: env.id, edition, ...(tag === undefined ? {} : {tag})}
  })
  return {root: options.root, terraformVersion, check: options.check === true, services, environments, claims}
}

/** UTF-8, as a write of the text would store it (the encoder copies ASCII text faster than Buffer.from). */
const utf8 = new TextEncoder()

/** The planned environment with its text files encoded as the UTF-8 bytes a write would store. */
function asBytes(planned: PlannedEnvironment): PlannedEnvironment {
  return {...planned, files: planned.files.map((f) => (typeof f.contents === 'string' ? {path: f.path, contents: utf8.encode(f.contents)} : f))}
}

/**
 * Folders under `services/<svc>/terraform/` that no environment of the service's spec generates,
 * repo-relative with a trailing slash, sorted. Reported, never removed.
 * @param root - the repo root
 * @param services - the services whose folders to look at
 */
export function staleEnvironmentDirs(root: string, services: readonly GenerateServiceInput[]): string[] {
  const folder = repositoryFolder(root)
  const stale: string[] = []
  for (const service of services) {
    const ids = new Set((service.spec.environments ?? []).map((e) => e.id))
    const dir = terraformFolder(service.id)
    let entries
    try {
      entries = readdirSync(folder.path(dir), {withFileTypes: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && !ids.has(e.name)) stale.push(`${dir}/${e.name}/`)
  }
  return stale.sort()
}
