import type {IncomingMessage, ServerResponse} from 'node:http'
import {LocalServer} from './local-server.js'
import {googleError} from './cloud-run-fake.js'

/**
 * A Secret Manager v1 REST fake on 127.0.0.1: answers `GET /v1/projects/<p>/secrets/<s>/versions/latest:access`
 * from its state (403 for denied projects, 404 for unknown secrets), records every request, and fails
 * anything else with 400 so an unexpected call shows up in the assertions.
 */
export class SecretManagerFake {
  readonly requests: string[] = []
  private readonly secrets = new Map<string, string>()
  private readonly denied = new Set<string>()

  private constructor(private readonly local: LocalServer) {}

  static async start(): Promise<SecretManagerFake> {
    const local = await LocalServer.start()
    const fake = new SecretManagerFake(local)
    local.answer((req, res) => void fake.handle(req, res))
    return fake
  }

  /** `127.0.0.1:<port>`, the value for SECRET_MANAGER_EMULATOR_HOST. */
  get host(): string {
    return this.local.host
  }

  put(project: string, secret: string, value: string): void {
    this.secrets.set(`${project}/${secret}`, value)
  }

  /** Every read in this project answers 403 PERMISSION_DENIED, as Secret Manager does without the grant. */
  deny(project: string): void {
    this.denied.add(project)
  }

  close(): Promise<void> {
    return this.local.close()
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://fake').pathname)
    this.requests.push(`${req.method} ${path}`)
    for await (const _chunk of req) {
      // no body expected
    }
    const match = /^\/v1\/projects\/([^/]+)\/secrets\/([^/]+)\/versions\/latest:access$/.exec(path)
    if (req.method !== 'GET' || !match) return send(res, 400, googleError(400, 'INVALID_ARGUMENT', `unexpected ${req.method} ${path}`))
    const [, project, secret] = match as unknown as [string, string, string]
    if (this.denied.has(project)) {
      return send(
        res,
        403,
        googleError(
          403,
          'PERMISSION_DENIED',
          `Permission 'secretmanager.versions.access' denied for resource 'projects/${project}/secrets/${secret}/versions/latest' (or it may not exist).`,
        ),
      )
    }
    const value = this.secrets.get(`${project}/${secret}`)
    if (value === undefined)
      return send(res, 404, googleError(404, 'NOT_FOUND', `Secret [projects/${project}/secrets/${secret}] not found or has no versions.`))
    return send(res, 200, {name: `projects/123456/secrets/${secret}/versions/3`, payload: {data: Buffer.from(value).toString('base64')}})
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json; charset=utf-8'})
  res.end(JSON.stringify(body))
}
