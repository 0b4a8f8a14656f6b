/**
 * `msp diff --live`: the configuration msp generates against each workspace's current state in
 * Terraform Cloud. For each workspace: `GET /organizations/<org>/workspaces/<name>`, its
 * `current-state-version` relationship, `GET /state-versions/<id>`, then the state itself from
 * `hosted-json-state-download-url`, or `hosted-state-download-url` when the state is older than
 * Terraform 1.3 and has no JSON form.
 */
import type {Edition} from '../edition/editions.js'
import {UserError} from '../io/errors.js'
import {MAX_STATE_BYTES} from '../cloud/limits.js'
import type {JsonApiResource, TfcClient} from '../cloud/tfc-client.js'
import {buildStacks, DEFAULT_RESOLVER, selectEnvironments, type GenerateServiceInput, type PlanOptions} from '../generate/generate.js'
import {terraformFileDocument} from '../terraform/render.js'
import {checkTerraformVersion, DEFAULT_TERRAFORM_VERSION} from '../terraform/version.js'
import type {Change} from './changes.js'
import {sortChanges} from './changes.js'
import {compareWithState} from './compare-state.js'
import {configView, type ConfigView} from './config.js'
import {parseState, type StateView} from './state.js'
import type {Json} from './values.js'

/** Workspaces read at the same time: enough to hide latency, few enough for Terraform Cloud's rate limit (30 requests/s). */
export const LIVE_CONCURRENCY = 8

export interface LiveDiffOptions extends PlanOptions {
  services: readonly GenerateServiceInput[]
  /** A Terraform Cloud client per workspace (each with its own deadline). */
  client: () => TfcClient
  concurrency?: number
  /** Progress lines (stderr): one per workspace compared. */
  progress?: (line: string) => void
}

interface Target {
  serviceId: string
  envId: string
  organization: string
  workspace: string
  config: ConfigView
}

const NAME = /^[A-Za-z0-9_.-]+$/

function single(data: JsonApiResource | JsonApiResource[] | null | undefined): JsonApiResource | undefined {
  return Array.isArray(data) ? data[0] : (data ?? undefined)
}

/**
 * Downloads and reads the current state of one workspace; a missing workspace or state is an error naming it.
 * @param client - the Terraform Cloud client
 * @param organization - the organization of the workspace (from its configuration's backend)
 * @param workspace - the workspace name
 * @param hint - what to run when the workspace is missing
 */
export async function fetchWorkspaceState(client: TfcClient, organization: string, workspace: string, hint: string): Promise<StateView> {
  if (!NAME.test(organization) || !NAME.test(workspace))
    throw new UserError(`invalid Terraform Cloud organization or workspace name ${JSON.stringify(`${organization}/${workspace}`)}`)
  const ws = single((await client.get(`/organizations/${organization}/workspaces/${workspace}`))?.data)
  if (!ws) throw new UserError(`workspace ${workspace} not found in the Terraform Cloud organization ${organization}`, {hint})
  const relation = ws.relationships?.['current-state-version']?.data
  const svId = Array.isArray(relation) ? relation[0]?.id : relation?.id
  if (!svId) throw new UserError(`workspace ${workspace} has no state yet`, {hint: 'nothing was applied in it: its first run creates every resource'})
  if (!/^sv-[A-Za-z0-9]+$/.test(svId)) throw new UserError(`workspace ${workspace}: Terraform Cloud answered with an invalid state version id`)
  const sv = single((await client.get(`/state-versions/${svId}`))?.data)
  if (!sv) throw new UserError(`the current state version ${svId} of workspace ${workspace} was not found`)
  const attributes = sv.attributes ?? {}
  const jsonUrl = attributes['hosted-json-state-download-url']
  const rawUrl = attributes['hosted-state-download-url']
  const url = typeof jsonUrl === 'string' && jsonUrl !== '' ? jsonUrl : typeof rawUrl === 'string' && rawUrl !== '' ? rawUrl : undefined
  if (!url)
    throw new UserError(`the current state of workspace ${workspace} has no download URL`, {hint: 'the state may still be processing: try again in a minute'})
  const text = await client.download(url, {maxBytes: MAX_STATE_BYTES, what: `state of ${workspace}`})
  let doc: Json
  try {
    doc = JSON.parse(text) as Json
  } catch {
    throw new UserError(`the state of workspace ${workspace} is not JSON`)
  }
  return parseState(doc, `workspace ${workspace}`)
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      await work(items[i]!, i)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
}

/**
 * Compares every selected environment's workspaces with their state in Terraform Cloud, a few at a
 * time; every workspace is tried, and the failures are reported together, each naming its workspace.
 * @param options - services, selection, Terraform version, editions, the client factory and progress
 */
export async function diffLive(options: LiveDiffOptions): Promise<Change[]> {
  const version = checkTerraformVersion(options.terraformVersion ?? DEFAULT_TERRAFORM_VERSION)
  const editions = options.editions ?? DEFAULT_RESOLVER
  const targets: Target[] = []
  for (const service of options.services) {
    for (const env of selectEnvironments(service, options)) {
      const edition: Edition = editions(env.category).edition
      for (const stack of buildStacks(service, env, edition)) {
        const config = configView(terraformFileDocument(stack.config, {terraformVersion: version}) as Json)
        targets.push({serviceId: service.id, envId: env.id, organization: stack.config.backend.organization, workspace: stack.config.backend.workspace, config})
      }
    }
  }
  const results: Change[][] = []
  const failures: {workspace: string; error: UserError}[] = []
  let done = 0
  await eachLimited(targets, options.concurrency ?? LIVE_CONCURRENCY, async (t, i) => {
    try {
      const state = await fetchWorkspaceState(options.client(), t.organization, t.workspace, `create it with msp tfc sync ${t.serviceId} ${t.envId}`)
      results[i] = compareWithState(t.workspace, t.config, state)
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      failures.push({workspace: t.workspace, error})
    }
    done++
    const n = results[i]?.length
    options.progress?.(
      `[${done}/${targets.length}] ${t.workspace}: ${n === undefined ? 'failed' : n === 0 ? 'no changes' : `${n} change${n === 1 ? '' : 's'}`}`,
    )
  })
  if (failures.length === 1) throw failures[0]!.error
  if (failures.length > 1) {
    failures.sort((a, b) => (a.workspace < b.workspace ? -1 : 1))
    const shown = failures.slice(0, 10).map((f) => `${f.error.message}`)
    throw new UserError(
      `${failures.length} workspaces could not be compared: ${shown.join('; ')}${failures.length > 10 ? `; and ${failures.length - 10} more` : ''}`,
      {
        hint: failures[0]!.error.hint,
      },
    )
  }
  return sortChanges(results.flat())
}
