import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/** One request as the fake saw it. */
export interface TfcRequest {
  method: string
  /** Path after /api/v2, with the query string decoded, e.g. `/organizations/sourcegraph/projects?filter[names]=x`. */
  path: string
  authorization?: string
  contentType?: string
  body?: any
}

export interface TfcScriptedReply {
  /** Without a status the request is answered from the state (after `delayMs`). */
  status?: number
  body?: unknown
  headers?: Record<string, string>
  /**
   * A hostile or buggy server: the body echoes the request's Authorization header, as a JSON:API
   * error (`json`), as plain text (`text`), or as a bare token without the "Bearer" word (`bare`).
   */
  echoAuthorization?: 'json' | 'text' | 'bare'
  /** A slow server: wait this long before answering (the state still changes, as a real slow POST would). */
  delayMs?: number
}

interface Workspace {
  id: string
  name: string
  projectId?: string
  attributes: Record<string, unknown>
  /** The current state version (`relationships.current-state-version`). */
  stateVersionId?: string
}

/** What a state version download answers: a body, or a status (and a Location for a redirect). */
export interface FakeDownload {
  status?: number
  body?: string
  location?: string
}

/**
 * A stateful Terraform Cloud JSON:API fake on 127.0.0.1 (random port): projects, team access,
 * workspaces with tags, and OAuth clients of one organization. Every request is recorded; requests
 * without the expected bearer token get 401. Replies can be scripted per `METHOD path`.
 */
export class TfcFake {
  readonly requests: TfcRequest[] = []
  readonly projects = new Map<string, {id: string; name: string}>()
  readonly teamProjects = new Map<string, {id: string; teamId: string; projectId: string; access: string}>()
  readonly workspaces = new Map<string, Workspace>()
  readonly oauthClients = new Map<string, string[]>()
  /** State versions by id: their attributes (the download URLs among them). */
  readonly stateVersions = new Map<string, Record<string, unknown>>()
  /** Download paths (outside /api/v2, signed URLs that need no token) and what they answer. */
  readonly downloads = new Map<string, FakeDownload>()
  private readonly scripts = new Map<string, TfcScriptedReply[]>()
  private nextId = 1

  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly organization: string,
  ) {}

  /** Starts the fake; requests must carry `Authorization: Bearer <token>`. */
  static async start(options: {token: string; organization?: string}): Promise<TfcFake> {
    const server = createServer((req, res) => void fake.handle(req, res))
    const fake = new TfcFake(server, options.token, options.organization ?? 'sourcegraph')
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return fake
  }

  /** The value for TFE_ADDRESS. */
  get address(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** `METHOD path` of every request so far. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`)
  }

  /** The requests that were not reads. */
  writes(): string[] {
    return this.calls().filter((c) => !c.startsWith('GET '))
  }

  /** Forgets the recorded requests (state is kept). */
  clearRequests(): void {
    this.requests.length = 0
  }

  /** Answers the next requests to `METHOD path` with these replies before the state is consulted. */
  script(call: string, ...replies: TfcScriptedReply[]): void {
    this.scripts.set(call, [...(this.scripts.get(call) ?? []), ...replies])
  }

  /** Seeds a workspace as if created by hand or by an older sync. */
  seedWorkspace(name: string, attributes: Record<string, unknown>, projectId?: string): Workspace {
    const ws: Workspace = {id: this.id('ws'), name, projectId, attributes: {...workspaceDefaults(), name, ...attributes}}
    this.workspaces.set(name, ws)
    return ws
  }

  /**
   * Gives a workspace a current state version whose state is served by this fake: `json` from
   * `hosted-json-state-download-url`, `raw` from `hosted-state-download-url` (either may be absent, as
   * for a state older than Terraform 1.3, which has no JSON form). `urls` overrides the download URLs
   * (e.g. a URL on another server); `origin` serves the downloads under another origin of this fake
   * (as app.terraform.io hands out archivist.terraform.io URLs). Returns the state version id.
   */
  seedState(workspace: string, options: {json?: unknown; raw?: unknown; urls?: {json?: string | null; raw?: string | null}; origin?: string}): string {
    const ws = this.workspaces.get(workspace)
    if (!ws) throw new Error(`fake: no workspace ${workspace}`)
    const id = `sv-fake${String(this.nextId++).padStart(4, '0')}`
    const serve = (kind: string, doc: unknown) => {
      if (doc === undefined) return null
      const path = `/_archivist/${id}/${kind}`
      this.downloads.set(path, {body: JSON.stringify(doc)})
      return `${options.origin ?? this.address}${path}`
    }
    const json = options.urls?.json !== undefined ? options.urls.json : serve('json', options.json)
    const raw = options.urls?.raw !== undefined ? options.urls.raw : serve('raw', options.raw)
    this.stateVersions.set(id, {
      serial: 1,
      status: 'finalized',
      'resources-processed': true,
      'hosted-json-state-download-url': json,
      'hosted-state-download-url': raw,
    })
    ws.stateVersionId = id
    return id
  }

  /** Seeds a project. */
  seedProject(name: string): {id: string; name: string} {
    const project = {id: this.id('prj'), name}
    this.projects.set(project.id, project)
    return project
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private id(prefix: string): string {
    return `${prefix}-fake${String(this.nextId++).padStart(4, '0')}`
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = ''
    for await (const chunk of req) text += chunk
    const url = new URL(req.url ?? '/', 'http://fake')
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v2/, '') + url.search)
    const method = req.method ?? ''
    const body = text ? JSON.parse(text) : undefined
    this.requests.push({method, path, authorization: req.headers.authorization, contentType: req.headers['content-type'], body})
    const send = (status: number, doc?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {'content-type': 'application/vnd.api+json', ...headers})
      res.end(doc === undefined ? '' : JSON.stringify(doc))
    }
    const notFound = () => send(404, {errors: [{status: '404', title: 'not found'}]})
    const download = this.downloads.get(url.pathname)
    if (method === 'GET' && download) {
      res.writeHead(download.status ?? 200, {'content-type': 'application/json', ...(download.location ? {location: download.location} : {})})
      return void res.end(download.body ?? '')
    }
    if (!url.pathname.startsWith('/api/v2/')) return notFound()
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, {errors: [{status: '401', title: 'unauthorized'}]})
    if (method !== 'GET' && method !== 'DELETE' && req.headers['content-type'] !== 'application/vnd.api+json') {
      return send(415, {errors: [{status: '415', title: 'unsupported media type'}]})
    }
    const scripted = this.scripts.get(`${method} ${path}`)?.shift()
    if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs))
    if (scripted?.echoAuthorization && scripted.status !== undefined) {
      const auth = req.headers.authorization ?? ''
      const echo = {
        json: JSON.stringify({errors: [{status: String(scripted.status), title: 'bad request', detail: `request headers: {"Authorization": "${auth}"}`}]}),
        text: `<html>Bad request. Headers received:\nAuthorization: ${auth}\n</html>`,
        bare: JSON.stringify({errors: [{status: String(scripted.status), title: `invalid token ${auth.replace(/^Bearer /, '')}`}]}),
      }[scripted.echoAuthorization]
      res.writeHead(scripted.status, {'content-type': scripted.echoAuthorization === 'text' ? 'text/html' : 'application/vnd.api+json'})
      return void res.end(echo)
    }
    if (scripted?.status !== undefined) return send(scripted.status, scripted.body ?? {}, scripted.headers)

    const org = `/organizations/${this.organization}`
    const p = url.pathname.replace(/^\/api\/v2/, '')
    let m: RegExpExecArray | null
    if (method === 'GET' && p === `${org}/projects`) {
      const names = (url.searchParams.get('filter[names]') ?? '').split(',').filter(Boolean)
      // Like the real API, the filter is a substring-ish match: return near names too.
      const list = [...this.projects.values()].filter((pr) => names.length === 0 || names.some((n) => pr.name.includes(n)))
      return send(200, {data: list.map(projectDoc)})
    }
    if (method === 'POST' && p === `${org}/projects`) {
      const project = {id: this.id('prj'), name: body.data.attributes.name as string}
      this.projects.set(project.id, project)
      return send(201, {data: projectDoc(project)})
    }
    if (method === 'DELETE' && (m = /^\/projects\/([^/]+)$/.exec(p))) {
      return this.projects.delete(m[1]!) ? send(204) : notFound()
    }
    if (method === 'GET' && p === '/team-projects') {
      const projectId = url.searchParams.get('filter[project][id]')
      return send(200, {data: [...this.teamProjects.values()].filter((tp) => tp.projectId === projectId).map(teamProjectDoc)})
    }
    if (method === 'POST' && p === '/team-projects') {
      const tp = {
        id: this.id('tprj'),
        teamId: body.data.relationships.team.data.id,
        projectId: body.data.relationships.project.data.id,
        access: body.data.attributes.access,
      }
      this.teamProjects.set(tp.id, tp)
      return send(201, {data: teamProjectDoc(tp)})
    }
    if (method === 'PATCH' && (m = /^\/team-projects\/([^/]+)$/.exec(p))) {
      const tp = this.teamProjects.get(m[1]!)
      if (!tp) return notFound()
      tp.access = body.data.attributes.access
      return send(200, {data: teamProjectDoc(tp)})
    }
    if (method === 'GET' && (m = /^\/oauth-clients\/([^/]+)$/.exec(p))) {
      const tokens = this.oauthClients.get(m[1]!)
      if (!tokens) return notFound()
      return send(200, {data: {id: m[1], type: 'oauth-clients', relationships: {'oauth-tokens': {data: tokens.map((id) => ({id, type: 'oauth-tokens'}))}}}})
    }
    if (method === 'POST' && p === `${org}/workspaces`) {
      const attrs = {...body.data.attributes} as Record<string, unknown>
      const name = attrs.name as string
      if (this.workspaces.has(name)) return send(422, {errors: [{status: '422', title: 'invalid attribute', detail: 'Name has already been taken'}]})
      const tags = (body.data.relationships?.tags?.data ?? []).map((t: {attributes: {name: string}}) => t.attributes.name)
      const ws: Workspace = {
        id: this.id('ws'),
        name,
        projectId: body.data.relationships?.project?.data?.id,
        attributes: {...workspaceDefaults(), ...attrs, 'tag-names': tags},
      }
      ws.attributes['vcs-repo'] = expandVcsRepo(ws.attributes['vcs-repo'])
      this.workspaces.set(name, ws)
      return send(201, {data: workspaceDoc(ws)})
    }
    if ((m = new RegExp(`^${org}/workspaces/([^/]+)$`).exec(p))) {
      const ws = this.workspaces.get(m[1]!)
      if (!ws) return notFound()
      if (method === 'GET') return send(200, {data: workspaceDoc(ws)})
      if (method === 'DELETE') {
        this.workspaces.delete(ws.name)
        return send(204)
      }
      if (method === 'PATCH') {
        Object.assign(ws.attributes, body.data.attributes ?? {})
        if ('vcs-repo' in (body.data.attributes ?? {})) ws.attributes['vcs-repo'] = expandVcsRepo(body.data.attributes['vcs-repo'])
        const projectId = body.data.relationships?.project?.data?.id
        if (projectId) ws.projectId = projectId
        return send(200, {data: workspaceDoc(ws)})
      }
    }
    if (method === 'GET' && (m = /^\/state-versions\/([^/]+)$/.exec(p))) {
      const sv = this.stateVersions.get(m[1]!)
      return sv ? send(200, {data: {id: m[1], type: 'state-versions', attributes: sv}}) : notFound()
    }
    if (method === 'POST' && (m = /^\/workspaces\/([^/]+)\/relationships\/tags$/.exec(p))) {
      const ws = [...this.workspaces.values()].find((w) => w.id === m![1])
      if (!ws) return notFound()
      const current = ws.attributes['tag-names'] as string[]
      for (const t of body.data as {attributes: {name: string}}[]) if (!current.includes(t.attributes.name)) current.push(t.attributes.name)
      return send(204)
    }
    return send(400, {errors: [{status: '400', title: `fake: unexpected ${method} ${path}`}]})
  }
}

function workspaceDefaults(): Record<string, unknown> {
  return {
    'execution-mode': 'remote',
    'terraform-version': '1.9.5',
    'auto-apply': false,
    'global-remote-state': false,
    'allow-destroy-plan': true,
    'working-directory': '',
    'trigger-prefixes': [],
    'queue-all-runs': false,
    'vcs-repo': null,
    'tag-names': [],
  }
}

/** The real API returns read-only extras in vcs-repo; the client must compare only what it sets. */
function expandVcsRepo(repo: unknown): unknown {
  if (!repo || typeof repo !== 'object') return null
  const r = repo as Record<string, unknown>
  return {
    branch: '',
    'ingress-submodules': false,
    'tags-regex': null,
    ...r,
    'display-identifier': r.identifier,
    'service-provider': 'github',
    'repository-http-url': `https://github.com/${r.identifier}`,
  }
}

function projectDoc(p: {id: string; name: string}): unknown {
  return {id: p.id, type: 'projects', attributes: {name: p.name}}
}

function teamProjectDoc(tp: {id: string; teamId: string; projectId: string; access: string}): unknown {
  return {
    id: tp.id,
    type: 'team-projects',
    attributes: {access: tp.access},
    relationships: {team: {data: {id: tp.teamId, type: 'teams'}}, project: {data: {id: tp.projectId, type: 'projects'}}},
  }
}

function workspaceDoc(ws: Workspace): unknown {
  return {
    id: ws.id,
    type: 'workspaces',
    attributes: {...ws.attributes, name: ws.name},
    relationships: {
      project: {data: ws.projectId ? {id: ws.projectId, type: 'projects'} : null},
      'current-state-version': {data: ws.stateVersionId ? {id: ws.stateVersionId, type: 'state-versions'} : null},
    },
  }
}
