/**
 * Syncing the Terraform Cloud workspaces of several environments: select them, confirm, resolve
 * credentials, plan and apply each (tfc-sync.ts), report.
 */
import {UserError} from '../io/errors.js'
import type {Env, Styler} from '../io/output.js'
import type {Category} from '../spec/schema.js'
import {unknownIdError} from '../repo/resolve.js'
import {loadEvery} from '../spec/load-every.js'
import {terraformVersionFromEnv} from '../terraform/version.js'
import type {Confirm} from '../io/prompt.js'
import {createDeadline, DEFAULT_COMMAND_TIMEOUT_SECONDS, type RetryPolicy, type Sleep} from './retry.js'
import type {EnvironmentFacts, SpecFacts} from './target.js'
import {resolveOAuthClientId, resolveTfcConnection, tfcSecretReader, type TfcSecretReader} from './tfc-auth.js'
import {createTfcClient, type TfcClient} from './tfc-client.js'
import {applyEnvironmentPlan, planEnvironmentDelete, planEnvironmentSync, resolveOAuthTokenId, type EnvironmentPlan, type WorkspaceRunMode} from './tfc-sync.js'

/** What to sync and how, already checked by the command. */
export interface TfcSyncRequest {
  /** One service; every service of the repo when absent. */
  serviceId?: string
  /** One environment; every environment of the selected services when absent. */
  envId?: string
  /** Only environments of this category. */
  category?: Category
  mode: WorkspaceRunMode
  delete: boolean
  dryRun: boolean
  /** --oauth-client-id; TFC_OAUTH_CLIENT_ID from `env` otherwise. */
  oauthClientId?: string
}

/** The world `runTfcSync` touches, injected so tests control every part of it. */
export interface TfcSyncDeps {
  /** Service ids of the repo, sorted. */
  listServices: () => Promise<string[]>
  /** Loads (and validates) one service spec; throws a UserError for an unknown id. */
  loadService: (id: string) => Promise<SpecFacts>
  confirm: Confirm
  env: Env
  homeDir: string
  progress?: (line: string) => void
  /** Called with each environment's plan once applied (or planned, in a dry run). */
  onResult?: (plan: EnvironmentPlan) => void
  /** A ready client (tests); otherwise built from TFE_ADDRESS and the token. */
  client?: TfcClient
  fetch?: typeof globalThis.fetch
  policy?: RetryPolicy
  /** The time limit of the whole sync (`--timeout`), in milliseconds; default 20 s for each environment. */
  timeoutMs?: number
  sleep?: Sleep
  /** The shared TFC secrets (token, OAuth client id) when no flag or variable gives them; default Secret Manager. */
  secrets?: TfcSecretReader
}

/** One environment to sync. */
export interface SyncTarget {
  serviceId: string
  env: EnvironmentFacts
}

/**
 * Lists the environments to sync, in service then spec order, before any network call.
 * @param request - what to sync
 * @param deps - how to list and load services
 */
export async function selectSyncTargets(request: TfcSyncRequest, deps: Pick<TfcSyncDeps, 'listServices' | 'loadService'>): Promise<SyncTarget[]> {
  const {serviceId, envId, category} = request
  const ids = serviceId === undefined ? await deps.listServices() : [serviceId]
  const targets: SyncTarget[] = []
  for (const spec of await loadEvery(ids, deps.loadService)) {
    const id = spec.service.id
    const envs = spec.environments
    if (envId !== undefined) {
      const env = envs.find((e) => e.id === envId)
      if (!env)
        throw unknownIdError(
          'environment',
          envId,
          envs.map((e) => e.id),
          id,
        )
      targets.push({serviceId: spec.service.id, env})
      continue
    }
    for (const env of envs) if (category === undefined || env.category === category) targets.push({serviceId: spec.service.id, env})
  }
  if (request.delete) {
    const blocked = targets.filter((t) => t.env.allowDestroys !== true)
    if (blocked.length > 0) {
      throw new UserError(
        `environments[${blocked[0]!.env.id}].allowDestroys must be 'true' to delete workspaces ` +
          `(${blocked.map((t) => `${t.serviceId}/${t.env.id}`).join(', ')})`,
        {
          hint: 'set allowDestroys: true in service.yaml and apply it first',
        },
      )
    }
  }
  return targets
}

/**
 * Syncs the selected environments: asks for confirmation where needed (several environments, or a
 * delete; never in a dry run), then plans each environment and applies only what differs.
 * @param request - what to sync
 * @param deps - services, confirmation, environment, home directory and optional test seams
 */
export async function runTfcSync(request: TfcSyncRequest, deps: TfcSyncDeps): Promise<EnvironmentPlan[]> {
  const targets = await selectSyncTargets(request, deps)
  if (targets.length === 0) throw new UserError(request.category ? `no environment has category "${request.category}"` : 'no environments to sync')
  // One time limit for the whole run (`--timeout`; by default 20 s for each environment), shared by
  // every read and write; the time the user takes to answer the confirmation is not counted.
  let answering = 0
  const deadline = createDeadline(deps.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_SECONDS * 1000 * targets.length, () => performance.now() - answering)
  // Credentials are resolved before asking, so nobody confirms a run that cannot start.
  const secrets = deps.secrets ?? tfcSecretReader({env: deps.env, deadline})
  const connection = deps.client ? undefined : await resolveTfcConnection({env: deps.env, homeDir: deps.homeDir, secrets})
  const vcs = !request.delete && request.mode === 'vcs'
  const oauthClientId = vcs ? await resolveOAuthClientId({flag: request.oauthClientId, env: deps.env, secrets}) : undefined
  const client = deps.client ?? createTfcClient({connection: connection!, fetch: deps.fetch, policy: deps.policy, sleep: deps.sleep, deadline})
  if (!request.dryRun && (request.envId === undefined || request.delete)) {
    const asked = performance.now()
    await deps.confirm(confirmationQuestion(request, targets))
    answering += performance.now() - asked
  }
  const terraformVersion = terraformVersionFromEnv(deps.env)
  const oauthTokenId = !request.delete && request.mode === 'vcs' ? await resolveOAuthTokenId(client, oauthClientId!) : undefined
  const plans: EnvironmentPlan[] = []
  for (const {serviceId, env} of targets) {
    const verb = request.delete ? 'Deleting' : 'Synchronizing'
    deps.progress?.(`[${serviceId}] ${request.dryRun ? 'Planning' : verb} Terraform Cloud workspaces for environment "${env.id}"`)
    const plan = request.delete
      ? await planEnvironmentDelete({client, serviceId, env})
      : await planEnvironmentSync({client, serviceId, env, mode: request.mode, terraformVersion, oauthTokenId})
    if (!request.dryRun) await applyEnvironmentPlan({client, plan})
    deps.onResult?.(plan)
    plans.push(plan)
  }
  return plans
}

function confirmationQuestion(request: TfcSyncRequest, targets: readonly SyncTarget[]): string {
  const list = targets.map((t) => `${t.serviceId}/${t.env.id}`).join(', ')
  if (request.delete) return `Delete the Terraform Cloud workspaces and project of ${list} (no teardown run is applied)?`
  const scope = request.serviceId === undefined ? 'all services' : `service "${request.serviceId}"`
  const category = request.category ? `, only environments with category "${request.category}"` : ''
  const mode = request.mode === 'ignore' ? '' : `, setting ALL workspaces to run mode "${request.mode}" (use --workspace-run-mode ignore to keep each one's)`
  return `Sync all environments of ${scope}${category} (${targets.length}: ${list})${mode}?`
}

/**
 * Renders one environment's outcome: the project, team access, then a line per workspace with the
 * differing attributes ("would …" in a dry run).
 * @param plan - the plan (applied unless dry run)
 * @param options - dry run or not, and the stdout styler
 */
export function renderEnvironmentPlan(plan: EnvironmentPlan, options: {dryRun: boolean; style: Styler}): string {
  const {dryRun, style} = options
  const word = (action: string) => {
    const past: Record<string, string> = {create: 'created', update: 'updated', delete: 'deleted', unchanged: 'unchanged', absent: 'absent'}
    const future: Record<string, string> = {create: 'would create', update: 'would update', delete: 'would delete', unchanged: 'unchanged', absent: 'absent'}
    const text = (dryRun ? future : past)[action] ?? action
    return action === 'unchanged' || action === 'absent' ? style('dim', text) : style(action === 'delete' ? 'red' : 'green', text)
  }
  const lines = [style('bold', `${plan.service}/${plan.environment}`) + `  project ${plan.project.name}: ${word(plan.project.action)}`]
  const teamChanges = plan.teamAccess.filter((t) => t.action !== 'unchanged')
  if (plan.teamAccess.length > 0) {
    lines.push(
      teamChanges.length === 0
        ? `  team access: ${word('unchanged')}`
        : `  team access: ${teamChanges.map((t) => `${t.team} ${t.access} (${word(t.action)})`).join(', ')}`,
    )
  }
  const width = Math.max(...plan.workspaces.map((w) => w.name.length))
  for (const ws of plan.workspaces) {
    lines.push(`  ${ws.name.padEnd(width)}  ${word(ws.action)}  ${style('dim', ws.url)}`)
    if (ws.action === 'update' || (dryRun && ws.action === 'create')) {
      for (const c of ws.changes) lines.push(`      ${c.attribute}: ${ws.action === 'create' ? '' : `${show(c.from)} → `}${show(c.to)}`)
    }
  }
  return lines.join('\n')
}

function show(value: unknown): string {
  return value === null || value === undefined ? 'null' : JSON.stringify(value)
}
