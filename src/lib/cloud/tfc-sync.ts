/**
 * `msp tfc sync`: the desired TFC project, team access and workspaces of an environment, compared with
 * what Terraform Cloud holds. Planning only reads; applying only writes what the plan says differs, so
 * a second sync makes no write call and `--dry-run` is simply "plan, print, stop".
 */
import {UserError, UsageError} from '../io/errors.js'
import {TFC_ORGANIZATION, buildTfcWorkspaceUrl, tfcProjectName, tfcWorkspaceName, tfcWorkspaceTags} from '../links/tfc.js'
import {stackFolder} from '../spec/layout.js'
import {STACK_NAMES, type StackName} from '../stacks/naming.js'
import type {EnvironmentFacts} from './target.js'
import type {JsonApiResource, TfcClient} from './tfc-client.js'

export type WorkspaceRunMode = 'vcs' | 'cli' | 'ignore'
export const WORKSPACE_RUN_MODES = ['vcs', 'cli', 'ignore'] as const

/** The repository and branch TFC runs from in VCS mode. */
export const VCS_REPOSITORY = 'sourcegraph/managed-services'
export const VCS_BRANCH = 'main'

/** Teams given access to every MSP project, as the original grants them. */
export const PROJECT_TEAM_ACCESS: readonly {teamId: string; team: string; access: 'read' | 'write'}[] = [
  {teamId: 'team-gGtVVgtNRaCnkhKp', team: 'Core Services', access: 'write'},
  {teamId: 'team-E5hRDE57eKcqcdnU', team: 'SSO (everyone)', access: 'read'},
  {teamId: 'team-Wdejc42bWrRonQEY', team: 'Managed Services Platform Operators', access: 'write'},
]

/** One attribute whose live value differs from the desired one. */
export interface AttributeChange {
  attribute: string
  from: unknown
  to: unknown
}

/** What a plan intends for one TFC object. */
export type PlannedAction = 'create' | 'update' | 'unchanged' | 'delete' | 'absent'

export interface ProjectPlan {
  name: string
  id?: string
  action: 'create' | 'unchanged' | 'delete' | 'absent'
}

export interface TeamAccessPlan {
  teamId: string
  team: string
  access: 'read' | 'write'
  teamProjectId?: string
  action: 'create' | 'update' | 'unchanged'
  changes: AttributeChange[]
}

export interface WorkspacePlan {
  name: string
  stack: StackName
  id?: string
  action: PlannedAction
  /** For updates: the differing attributes; for creates: every attribute set (from: null). */
  changes: AttributeChange[]
  /** Desired attributes to send (all of them on create, only the differing ones on update). */
  attributes: Record<string, unknown>
  /** Tags the workspace lacks (extra tags set by hand are kept). */
  missingTags: string[]
  /** True when the workspace must move into the environment's project. */
  moveToProject: boolean
  url: string
}

/** The plan of one environment. */
export interface EnvironmentPlan {
  service: string
  environment: string
  operation: 'sync' | 'delete'
  project: ProjectPlan
  teamAccess: TeamAccessPlan[]
  workspaces: WorkspacePlan[]
}

/** Inputs that decide the desired state of one environment. */
export interface DesiredStateOptions {
  serviceId: string
  env: EnvironmentFacts
  mode: WorkspaceRunMode
  terraformVersion: string
  /** VCS mode only: the OAuth token TFC uses to reach GitHub. */
  oauthTokenId?: string
}

/**
 * The workspace attributes msp manages for one stack; attributes left out are not touched (in
 * ignore mode, the VCS settings; in CLI mode, the working directory and trigger prefixes).
 * @param options - service, environment, run mode, Terraform version and OAuth token id
 * @param stack - the stack the workspace runs
 */
export function desiredWorkspaceAttributes(options: DesiredStateOptions, stack: StackName): Record<string, unknown> {
  const {serviceId, env, mode, terraformVersion, oauthTokenId} = options
  const attributes: Record<string, unknown> = {
    'execution-mode': 'remote',
    'terraform-version': terraformVersion,
    'auto-apply': true,
    'global-remote-state': true,
    'allow-destroy-plan': env.allowDestroys === true,
  }
  if (mode === 'vcs') {
    if (!oauthTokenId) throw new Error('VCS mode needs an OAuth token id')
    // The TFC working directory: the stack's folder with a trailing slash, as the original writes it.
    const dir = `${stackFolder(serviceId, env.id, stack)}/`
    attributes['working-directory'] = dir
    attributes['trigger-prefixes'] = [dir]
    attributes['vcs-repo'] = {identifier: VCS_REPOSITORY, branch: VCS_BRANCH, 'oauth-token-id': oauthTokenId}
    // Only the tfcworkspaces stack queues runs for every change: it orders the applies of the others.
    if (stack === 'tfcworkspaces') attributes['queue-all-runs'] = true
  } else if (mode === 'cli') {
    attributes['vcs-repo'] = null
  }
  return attributes
}

/**
 * Compares live workspace attributes with the desired ones; `vcs-repo` is compared on the keys msp
 * sets (identifier, branch, oauth-token-id), since TFC adds read-only keys of its own.
 * @param live - the workspace's JSON:API attributes
 * @param desired - from {@link desiredWorkspaceAttributes}
 */
export function diffAttributes(live: Record<string, unknown>, desired: Record<string, unknown>): AttributeChange[] {
  const changes: AttributeChange[] = []
  for (const [attribute, to] of Object.entries(desired)) {
    let from = live[attribute] ?? null
    if (attribute === 'vcs-repo' && from !== null && typeof from === 'object') {
      const repo = from as Record<string, unknown>
      from = {identifier: repo.identifier ?? null, branch: repo.branch ?? null, 'oauth-token-id': repo['oauth-token-id'] ?? null}
    }
    if (!sameValue(from, to)) changes.push({attribute, from, to})
  }
  return changes
}

function sameValue(a: unknown, b: unknown): boolean {
  // Values are scalars, string arrays or the reduced vcs-repo (built in the desired key order), so
  // comparing JSON forms is exact.
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * Reads TFC and plans the sync of one environment: project, team access, then each stack's workspace.
 * Makes GET requests only.
 * @param options - the client plus the desired-state inputs
 */
export async function planEnvironmentSync(options: DesiredStateOptions & {client: TfcClient}): Promise<EnvironmentPlan> {
  const {client, serviceId, env, mode} = options
  const project = await findProject(client, tfcProjectName(serviceId, env.id))
  const teamAccess = await planTeamAccess(client, project?.id)
  const tags = tfcWorkspaceTags(serviceId, env.id)
  const workspaces: WorkspacePlan[] = []
  for (const stack of STACK_NAMES) {
    const name = tfcWorkspaceName(serviceId, env.id, stack)
    const desired = desiredWorkspaceAttributes(options, stack)
    const url = buildTfcWorkspaceUrl(serviceId, env.id, stack)
    const live = await getWorkspace(client, name)
    if (!live) {
      if (mode === 'ignore') {
        throw new UsageError(`workspace ${name} does not exist, so --workspace-run-mode ignore has no VCS settings to keep`, {
          hint: 'create it first with --workspace-run-mode vcs (or cli)',
        })
      }
      const attributes = {name, ...desired}
      const changes = [...Object.entries(desired).map(([attribute, to]) => ({attribute, from: null, to})), {attribute: 'tags', from: null, to: tags}]
      workspaces.push({name, stack, action: 'create', changes, attributes, missingTags: tags, moveToProject: true, url})
      continue
    }
    const liveAttributes = live.attributes ?? {}
    const changes = diffAttributes(liveAttributes, desired)
    const liveTags = new Set(Array.isArray(liveAttributes['tag-names']) ? (liveAttributes['tag-names'] as string[]) : [])
    const missingTags = tags.filter((t) => !liveTags.has(t))
    const liveProjectId = relationshipId(live, 'project')
    const moveToProject = project?.id === undefined || liveProjectId !== project.id
    if (moveToProject) changes.push({attribute: 'project', from: liveProjectId ?? null, to: project?.id ?? tfcProjectName(serviceId, env.id)})
    if (missingTags.length > 0) changes.push({attribute: 'tags', from: [...liveTags], to: [...liveTags, ...missingTags]})
    const attributes = Object.fromEntries(changes.filter((c) => c.attribute in desired).map((c) => [c.attribute, c.to]))
    const action = changes.length === 0 ? 'unchanged' : 'update'
    workspaces.push({name, stack, id: live.id, action, changes, attributes, missingTags, moveToProject, url})
  }
  return {
    service: serviceId,
    environment: env.id,
    operation: 'sync',
    project: project ? {name: project.name, id: project.id, action: 'unchanged'} : {name: tfcProjectName(serviceId, env.id), action: 'create'},
    teamAccess,
    workspaces,
  }
}

/**
 * Reads TFC and plans the deletion of an environment's workspaces (reverse stack order) and project.
 * The environment must allow destroys; nothing is torn down in GCP (no destroy run is queued).
 * @param options - the client, the service id and the environment
 */
export async function planEnvironmentDelete(options: {client: TfcClient; serviceId: string; env: EnvironmentFacts}): Promise<EnvironmentPlan> {
  const {client, serviceId, env} = options
  const workspaces: WorkspacePlan[] = []
  for (const stack of [...STACK_NAMES].reverse()) {
    const name = tfcWorkspaceName(serviceId, env.id, stack)
    const live = await getWorkspace(client, name)
    workspaces.push({
      name,
      stack,
      id: live?.id,
      action: live ? 'delete' : 'absent',
      changes: [],
      attributes: {},
      missingTags: [],
      moveToProject: false,
      url: buildTfcWorkspaceUrl(serviceId, env.id, stack),
    })
  }
  const project = await findProject(client, tfcProjectName(serviceId, env.id))
  return {
    service: serviceId,
    environment: env.id,
    operation: 'delete',
    project: project ? {name: project.name, id: project.id, action: 'delete'} : {name: tfcProjectName(serviceId, env.id), action: 'absent'},
    teamAccess: [],
    workspaces,
  }
}

/**
 * Carries out a plan: creates, updates or deletes exactly what it lists, nothing else.
 * @param options - the client and the plan
 */
export async function applyEnvironmentPlan(options: {client: TfcClient; plan: EnvironmentPlan}): Promise<EnvironmentPlan> {
  const {client, plan} = options
  if (plan.operation === 'delete') {
    for (const ws of plan.workspaces) {
      if (ws.action === 'delete') await client.write('DELETE', `/organizations/${TFC_ORGANIZATION}/workspaces/${encodeURIComponent(ws.name)}`)
    }
    if (plan.project.action === 'delete' && plan.project.id) await client.write('DELETE', `/projects/${encodeURIComponent(plan.project.id)}`)
    return plan
  }
  let projectId = plan.project.id
  if (plan.project.action === 'create') {
    // A timed-out create is never re-sent blindly: the client re-reads before deciding, so a create that did land is not made twice.
    const created = await client.create(
      `/organizations/${TFC_ORGANIZATION}/projects`,
      {data: {type: 'projects', attributes: {name: plan.project.name}}},
      async () => {
        const found = await findProject(client, plan.project.name)
        return found && {id: found.id, type: 'projects'}
      },
    )
    projectId = created?.id
    if (!projectId) throw new UserError(`Terraform Cloud did not return an id for the new project ${plan.project.name}`)
  }
  for (const team of plan.teamAccess) {
    if (team.action === 'create') {
      const body = {
        data: {
          type: 'team-projects',
          attributes: {access: team.access},
          relationships: {team: {data: {type: 'teams', id: team.teamId}}, project: {data: {type: 'projects', id: projectId}}},
        },
      }
      await client.create('/team-projects', body, async () =>
        (await listTeamAccess(client, projectId)).find((tp) => relationshipId(tp, 'team') === team.teamId),
      )
    } else if (team.action === 'update' && team.teamProjectId) {
      await client.write(
        'PATCH',
        `/team-projects/${encodeURIComponent(team.teamProjectId)}`,
        {data: {type: 'team-projects', id: team.teamProjectId, attributes: {access: team.access}}},
        {idempotent: true},
      )
    }
  }
  const projectRelationship = {project: {data: {type: 'projects', id: projectId}}}
  for (const ws of plan.workspaces) {
    if (ws.action === 'create') {
      const body = {
        data: {
          type: 'workspaces',
          attributes: ws.attributes,
          relationships: {...projectRelationship, tags: {data: ws.missingTags.map((name) => ({type: 'tags', attributes: {name}}))}},
        },
      }
      await client.create(`/organizations/${TFC_ORGANIZATION}/workspaces`, body, () => getWorkspace(client, ws.name))
    } else if (ws.action === 'update') {
      if (Object.keys(ws.attributes).length > 0 || ws.moveToProject) {
        // Absolute attribute values: sending them twice does no harm.
        await client.write(
          'PATCH',
          `/organizations/${TFC_ORGANIZATION}/workspaces/${encodeURIComponent(ws.name)}`,
          {data: {type: 'workspaces', attributes: ws.attributes, ...(ws.moveToProject ? {relationships: projectRelationship} : {})}},
          {idempotent: true},
        )
      }
      if (ws.missingTags.length > 0 && ws.id) {
        // Adding a tag the workspace already has is a no-op: safe to repeat.
        await client.write(
          'POST',
          `/workspaces/${encodeURIComponent(ws.id)}/relationships/tags`,
          {data: ws.missingTags.map((name) => ({type: 'tags', attributes: {name}}))},
          {idempotent: true},
        )
      }
    }
  }
  return plan
}

/**
 * The id of the OAuth token TFC uses for VCS access: the last token of the OAuth client, as the original does.
 * @param client - the TFC client
 * @param oauthClientId - from --oauth-client-id or TFC_OAUTH_CLIENT_ID
 */
export async function resolveOAuthTokenId(client: TfcClient, oauthClientId: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]+$/.test(oauthClientId)) throw new UsageError(`invalid OAuth client id ${JSON.stringify(oauthClientId)}`)
  const doc = await client.get(`/oauth-clients/${oauthClientId}`)
  const resource = single(doc?.data)
  if (!resource) throw new UserError(`OAuth client ${oauthClientId} not found in Terraform Cloud`, {hint: 'check TFC_OAUTH_CLIENT_ID / --oauth-client-id'})
  const tokens = resource.relationships?.['oauth-tokens']?.data
  const list = Array.isArray(tokens) ? tokens : tokens ? [tokens] : []
  const last = list.at(-1)
  if (!last)
    throw new UserError(`OAuth client ${oauthClientId} has no OAuth token`, {
      hint: 'connect the VCS provider in Terraform Cloud, or sync with --workspace-run-mode cli',
    })
  return last.id
}

async function findProject(client: TfcClient, name: string): Promise<{id: string; name: string} | undefined> {
  const doc = await client.get(`/organizations/${TFC_ORGANIZATION}/projects?filter%5Bnames%5D=${encodeURIComponent(name)}`)
  const list = Array.isArray(doc?.data) ? doc.data : []
  // The filter matches by name but the original still checks for an exact match; so do we.
  const match = list.find((p) => p.attributes?.name === name)
  return match ? {id: match.id, name} : undefined
}

async function listTeamAccess(client: TfcClient, projectId: string | undefined): Promise<JsonApiResource[]> {
  const doc = projectId ? await client.get(`/team-projects?filter%5Bproject%5D%5Bid%5D=${encodeURIComponent(projectId)}`) : undefined
  return Array.isArray(doc?.data) ? doc.data : []
}

async function planTeamAccess(client: TfcClient, projectId: string | undefined): Promise<TeamAccessPlan[]> {
  const live = await listTeamAccess(client, projectId)
  return PROJECT_TEAM_ACCESS.map((want) => {
    const existing = live.find((tp) => relationshipId(tp, 'team') === want.teamId)
    if (!existing) return {...want, action: 'create', changes: [{attribute: 'access', from: null, to: want.access}]}
    const from = existing.attributes?.access ?? null
    return from === want.access
      ? {...want, teamProjectId: existing.id, action: 'unchanged', changes: []}
      : {...want, teamProjectId: existing.id, action: 'update', changes: [{attribute: 'access', from, to: want.access}]}
  })
}

async function getWorkspace(client: TfcClient, name: string): Promise<JsonApiResource | undefined> {
  return single((await client.get(`/organizations/${TFC_ORGANIZATION}/workspaces/${encodeURIComponent(name)}`))?.data)
}

function single(data: JsonApiResource | JsonApiResource[] | null | undefined): JsonApiResource | undefined {
  return Array.isArray(data) ? data[0] : (data ?? undefined)
}

function relationshipId(resource: JsonApiResource, name: string): string | undefined {
  const data = resource.relationships?.[name]?.data
  return Array.isArray(data) ? data[0]?.id : (data?.id ?? undefined)
}
