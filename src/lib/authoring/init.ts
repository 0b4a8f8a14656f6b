import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {assertServiceContained} from '../io/contained.js'
import {readBoundedTextSync} from '../io/read-text.js'
import {repositoryFolder} from '../io/safe-folder.js'
import type {WriteTracker} from '../io/write-tracker.js'
import {SpecError, UsageError, UserError} from '../io/errors.js'
import {assertValidId} from '../repo/ids.js'
import {resolveService, unknownIdError} from '../repo/resolve.js'
import {listServiceIds} from '../repo/services.js'
import {dnsName} from '../spec/derived.js'
import {serviceSpecFile} from '../spec/layout.js'
import {boundedToJS, parseBoundedYaml, parseSpec} from '../spec/load.js'
import {generateProjectId, type RandomBytes} from './project-id.js'
import {addedEnvironmentLines, renderServiceTemplate, SCHEMA_FILE, templateZone} from './templates.js'
import type {ServiceKind} from '../spec/schema.js'
import {buildJsonSchema} from '../spec/json-schema.js'
import {appendEnvironment} from './yaml-edit.js'

/** The spec's own limit on service ids (checked here so init never writes a spec validate rejects). */
const MAX_SERVICE_ID_LENGTH = 20

/** What `initService` and `initEnvironment` did. */
export interface AuthoringResult {
  /** Repo-relative path of the written spec, `services/<id>/service.yaml`. */
  file: string
  service: string
  kind: ServiceKind
  environment: string
  projectID: string
}

/**
 * Checks that an id can name a new service: well-formed, at most 20 characters, and not taken.
 * @param root - the repo root
 * @param serviceId - the id asked for
 */
export function assertNewServiceId(root: string, serviceId: string): void {
  assertValidId('service', serviceId)
  if (serviceId.length > MAX_SERVICE_ID_LENGTH) {
    throw new UsageError(`invalid service id "${serviceId}": service ids are at most ${MAX_SERVICE_ID_LENGTH} characters long`)
  }
  const file = serviceSpecFile(serviceId)
  if (existsSync(join(root, file))) {
    throw new UserError(`service "${serviceId}" already exists (${file})`, {
      hint: `to add an environment to it, run: msp init-env ${serviceId} <environment>`,
    })
  }
}

/**
 * Scaffolds `services/<id>/service.yaml` for a new service or job from the template; refuses to
 * overwrite an existing service.
 * @param options - repo root, the init answers, suffix length of the project id and an optional random source
 */
export async function initService(options: {
  root: string
  serviceId: string
  name: string
  owner: string
  kind: ServiceKind
  envId: string
  suffixLength?: number
  random?: RandomBytes
  /** The run's writes in flight. */
  writes?: WriteTracker
}): Promise<AuthoringResult> {
  const {root, serviceId, kind, envId} = options
  assertNewServiceId(root, serviceId)
  const file = serviceSpecFile(serviceId)
  const projectID = generateProjectId({serviceId, envId, suffixLength: options.suffixLength, random: options.random})
  if (kind === 'service') await assertDomainFree(root, dnsName({domain: {cloudflare: {subdomain: serviceId, zone: templateZone(envId)}}})!)
  const text = renderServiceTemplate({serviceId, name: options.name, owner: options.owner, kind, envId, projectId: projectID})
  assertValid(text, file)
  await repositoryFolder(root, options.writes).write(file, text)
  return {file, service: serviceId, kind, environment: envId, projectID}
}

/**
 * Adds an environment to an existing service's spec, keeping every comment and blank line of the
 * file; refuses an environment id that already exists.
 * @param options - repo root, service and new environment ids, suffix length and an optional random source
 */
export async function initEnvironment(options: {
  root: string
  serviceId: string
  envId: string
  suffixLength?: number
  random?: RandomBytes
  /** The run's writes in flight. */
  writes?: WriteTracker
}): Promise<AuthoringResult> {
  const {root, serviceId, envId} = options
  assertValidId('environment', envId)
  if (!existsSync(join(root, serviceSpecFile(serviceId)))) {
    const unknown = unknownIdError('service', serviceId, await listServiceIds(root))
    throw new UsageError(unknown.message, {hint: `${unknown.hint}; to create a new service, run: msp init ${serviceId}`, details: unknown.details ?? {}})
  }
  const service = await resolveService(root, serviceId)
  if (service.spec.environments.some((e) => e.id === envId)) {
    throw new UserError(`environment "${envId}" already exists for service "${serviceId}"`, {
      hint: `existing environments: ${service.spec.environments.map((e) => e.id).join(', ')}`,
    })
  }
  const kind = service.spec.service.kind
  const projectID = generateProjectId({serviceId, envId, suffixLength: options.suffixLength, random: options.random})
  const file = serviceSpecFile(serviceId)
  const source = readBoundedTextSync(join(root, file))
  if (source === undefined) throw new UserError(`service "${serviceId}" does not exist`)
  const text = appendEnvironment({source, envId, lines: addedEnvironmentLines({serviceId, kind, envId, projectId: projectID})})
  assertValid(text, file)
  await repositoryFolder(root, options.writes).write(file, text)
  return {file, service: serviceId, kind, environment: envId, projectID}
}

/**
 * Checks a display name before the remaining questions: the spec of the template with this name must
 * pass `msp validate` (the GCP project's display name, `<name> - <env>`, has at most 30 characters),
 * checked with `prod`, the longer of the two first environments. The same check as the written spec's.
 * @param serviceId - the id already accepted
 * @param name - the display name given
 */
export function assertServiceName(serviceId: string, name: string): void {
  const text = renderServiceTemplate({serviceId, name, owner: 'owner', kind: 'service', envId: 'prod', projectId: `${serviceId}-prod-0000`})
  assertValid(text, serviceSpecFile(serviceId), 'choose a shorter name')
}

/** Checks the new text with `msp validate`'s rules before anything is written. */
function assertValid(text: string, file: string, hint = 'nothing was written; choose other values (e.g. a shorter --name) and try again'): void {
  const issues = parseSpec(text, {file, strict: true}).issues.filter((i) => i.severity === 'error')
  if (issues.length > 0) throw new SpecError(issues, {hint})
}

/**
 * Domains must be unique across the fleet (`msp validate` checks it); the template's domain is
 * `<id>.<zone>`, so a hand-written spec may already use it. Specs are read leniently here: a broken
 * neighbour is validate's business, not a reason to refuse a new service.
 */
async function assertDomainFree(root: string, dns: string): Promise<void> {
  for (const id of await listServiceIds(root)) {
    // As the main loader: no spec through a link out of the repository; bounded reads and parses.
    assertServiceContained(root, id)
    const text = readBoundedTextSync(join(root, serviceSpecFile(id)))
    const parsed = text === undefined ? undefined : parseBoundedYaml(text)
    if (parsed === undefined || parsed.errors.length > 0) continue
    const doc = boundedToJS(parsed) as {environments?: {domain?: {cloudflare?: {subdomain?: unknown; zone?: unknown}}}[]} | null | undefined
    const envs = Array.isArray(doc?.environments) ? doc.environments : []
    // Only text can be a subdomain or zone; anything else in a neighbour is validate's business.
    const taken = envs.some((e) => {
      const cf = e?.domain?.cloudflare
      return (
        typeof cf?.subdomain === 'string' && typeof cf.zone === 'string' && dnsName({domain: {cloudflare: {subdomain: cf.subdomain, zone: cf.zone}}}) === dns
      )
    })
    if (taken) {
      throw new UserError(`the template's domain "${dns}" is already configured by service "${id}"`, {
        hint: 'choose another service id (the template uses it as the subdomain)',
      })
    }
  }
}

/**
 * True when the schema file a new spec's `$schema` modeline names is absent from the repository (so
 * `msp init` offers to write it: editors would otherwise find nothing there).
 * @param root - the repository root
 */
export function schemaFileMissing(root: string): boolean {
  return !existsSync(join(root, ...SCHEMA_FILE.split('/')))
}

/**
 * Writes the JSON Schema of service.yaml where the modeline points (`schema/service.schema.json`),
 * through the repository's folder guard; returns the repository-relative path.
 * @param root - the repository root
 * @param writes - the run's writes in flight
 */
export async function writeSchemaFile(root: string, writes?: WriteTracker): Promise<string> {
  await repositoryFolder(root, writes).write(SCHEMA_FILE, `${JSON.stringify(buildJsonSchema(), null, 2)}\n`)
  return SCHEMA_FILE
}
