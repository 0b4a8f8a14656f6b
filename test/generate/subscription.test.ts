import {cpSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseImageName, resolveImageTag} from '../../src/lib/registry/digest.js'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo} from '../helpers/paths.js'

// `msp generate --stable=false` against a fake OCI registry on 127.0.0.1 (MSP_REGISTRY_ENDPOINT):
// the example hello-api's prod environment subscribes to `insiders` of us.gcr.io/sourcegraph-dev/hello-api.

interface Seen {
  method: string
  url: string
  accept: string | undefined
  authorization: string | undefined
}

let server: Server
let endpoint: string
let digest = `sha256:${'a'.repeat(64)}`
const seen: Seen[] = []

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({method: req.method ?? '', url: req.url ?? '', accept: req.headers.accept, authorization: req.headers.authorization})
    if (req.method === 'HEAD' && req.url === '/v2/sourcegraph-dev/hello-api/manifests/insiders') {
      res.writeHead(200, {'Docker-Content-Digest': digest, 'Content-Type': 'application/vnd.oci.image.index.v1+json'})
    } else {
      res.writeHead(404)
    }
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const repos: string[] = []
afterAll(() => {
  for (const r of repos) rmSync(r, {recursive: true, force: true})
})
function exampleRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'msp-subscription-'))
  cpSync(examplesRepo, root, {recursive: true})
  repos.push(root)
  return root
}

const TFVARS = 'services/hello-api/terraform/prod/stacks/cloudrun/terraform.tfvars'

describe('generate --stable=false (subscription images)', () => {
  it('writes <tag>@<digest> from the registry; a second, stable run changes nothing', async () => {
    const root = exampleRepo()
    const env = {MSP_REGISTRY_ENDPOINT: endpoint, MSP_NO_CACHE: '1'}
    seen.length = 0
    const first = await runMsp(['generate', 'hello-api', 'prod', '--stable=false', '--repo', root], {env})
    expect(first.code, first.stderr).toBe(0)
    expect(readFileSync(join(root, TFVARS), 'utf8')).toBe(`resolved_image_tag = "insiders@${digest}"\n`)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({method: 'HEAD', url: '/v2/sourcegraph-dev/hello-api/manifests/insiders', authorization: undefined})
    expect(seen[0]!.accept).toContain('application/vnd.oci.image.index.v1+json')
    // The variable the cloudrun stack declares is the one the file sets.
    const cloudrun = JSON.parse(readFileSync(join(root, 'services/hello-api/terraform/prod/stacks/cloudrun/cdk.tf.json'), 'utf8'))
    expect(cloudrun.variable.resolved_image_tag.type).toBe('string')

    // The registry moves on; a stable run neither asks it nor touches the file.
    const before = statSync(join(root, TFVARS)).mtimeMs
    digest = `sha256:${'b'.repeat(64)}`
    seen.length = 0
    await new Promise((r) => setTimeout(r, 20))
    const second = await runMsp(['generate', 'hello-api', 'prod', '--repo', root], {env})
    expect(second.code, second.stderr).toBe(0)
    expect(seen).toEqual([])
    expect(readFileSync(join(root, TFVARS), 'utf8')).toBe(`resolved_image_tag = "insiders@sha256:${'a'.repeat(64)}"\n`)
    expect(statSync(join(root, TFVARS)).mtimeMs).toBe(before)
    expect(second.stderr).not.toContain('terraform.tfvars is missing')

    // Unstable again: the new digest.
    const third = await runMsp(['generate', 'hello-api', 'prod', '--stable=false', '--repo', root], {env})
    expect(third.code, third.stderr).toBe(0)
    expect(readFileSync(join(root, TFVARS), 'utf8')).toBe(`resolved_image_tag = "insiders@${digest}"\n`)
  })

  it('warns that the plan would fail when a subscription environment has no tfvars', async () => {
    const root = exampleRepo()
    const r = await runMsp(['generate', 'hello-api', '--repo', root], {env: {MSP_REGISTRY_ENDPOINT: endpoint, MSP_NO_CACHE: '1'}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(`${TFVARS} is missing: a plan of hello-api prod (deploy type subscription) will fail`)
    // dev is a manual deploy: no warning for it.
    expect(r.stderr).not.toContain('hello-api dev (deploy type')
  })

  // Before sourcegraph/sourcegraph#62704 (2024-05-15) every environment read its tag from terraform.tfvars,
  // written by dynamicvariables.With in non-stable runs (spec ResolveTag: the manual tag, or the digest).
  it('under 2024-05 every environment needs tfvars: a stable run warns for dev too; --stable=false writes the manual tag', async () => {
    const root = exampleRepo()
    const env = {MSP_REGISTRY_ENDPOINT: endpoint, MSP_NO_CACHE: '1', MSP_EDITION: '2024-05'}
    const stable = await runMsp(['generate', 'hello-api', '--repo', root], {env})
    expect(stable.code, stable.stderr).toBe(0)
    expect(stable.stderr).toContain('hello-api dev (deploy type manual) will fail without resolved_image_tag')
    // The suggested command keeps the edition (MSP_EDITION here): without it, it would write the other edition.
    expect(stable.stderr).toContain('run msp generate hello-api dev --stable=false --edition 2024-05')
    const r = await runMsp(['generate', 'hello-api', '--stable=false', '--repo', root], {env})
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(root, 'services/hello-api/terraform/dev/stacks/cloudrun/terraform.tfvars'), 'utf8')).toBe('resolved_image_tag = "insiders"\n')
    expect(readFileSync(join(root, TFVARS), 'utf8')).toBe(`resolved_image_tag = "insiders@${digest}"\n`)
  })

  it('fails with the registry answer when the tag does not exist', async () => {
    const root = exampleRepo()
    const spec = join(root, 'services/hello-api/service.yaml')
    const {writeFileSync} = await import('node:fs')
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('subscription: {tag: insiders}', 'subscription: {tag: nope}'))
    const r = await runMsp(['generate', 'hello-api', 'prod', '--stable=false', '--repo', root], {env: {MSP_REGISTRY_ENDPOINT: endpoint, MSP_NO_CACHE: '1'}})
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('image us.gcr.io/sourcegraph-dev/hello-api:nope not found in its registry')
  })
})

describe('registry client', () => {
  it('splits image names the way Docker does', () => {
    expect(parseImageName('us.gcr.io/sourcegraph-dev/msp-example')).toEqual({host: 'us.gcr.io', repository: 'sourcegraph-dev/msp-example'})
    expect(parseImageName('us-central1-docker.pkg.dev/p/repo/service')).toEqual({host: 'us-central1-docker.pkg.dev', repository: 'p/repo/service'})
    expect(parseImageName('index.docker.io/sourcegraph/x')).toEqual({host: 'registry-1.docker.io', repository: 'sourcegraph/x'})
    expect(parseImageName('alpine')).toEqual({host: 'registry-1.docker.io', repository: 'library/alpine'})
    expect(() => parseImageName('us.gcr.io/../etc')).toThrow(/invalid image/)
  })

  it('sends an ADC bearer token to Google registries (no override), and none to the override', async () => {
    const calls: {url: string; headers: Record<string, string>}[] = []
    const fetch = async (url: string, init: {headers: Record<string, string>}) => {
      calls.push({url, headers: init.headers})
      return new Response(null, {status: 200, headers: {'Docker-Content-Digest': `sha256:${'c'.repeat(64)}`}})
    }
    const tag = await resolveImageTag('us.gcr.io/sourcegraph-dev/hello-api', 'insiders', {env: {}, fetch, googleToken: async () => 'tok'})
    expect(tag).toBe(`insiders@sha256:${'c'.repeat(64)}`)
    expect(calls[0]).toMatchObject({url: 'https://us.gcr.io/v2/sourcegraph-dev/hello-api/manifests/insiders', headers: {Authorization: 'Bearer tok'}})
    await resolveImageTag('us.gcr.io/sourcegraph-dev/hello-api', 'insiders', {
      env: {MSP_REGISTRY_ENDPOINT: 'http://127.0.0.1:1'},
      fetch,
      googleToken: async () => 'tok',
    })
    expect(calls[1]!.url).toBe('http://127.0.0.1:1/v2/sourcegraph-dev/hello-api/manifests/insiders')
    expect(calls[1]!.headers).not.toHaveProperty('Authorization')
    await expect(resolveImageTag('us.gcr.io/x/y', 'insiders', {env: {MSP_REGISTRY_ENDPOINT: 'https://evil.example'}, fetch})).rejects.toThrow(
      /invalid MSP_REGISTRY_ENDPOINT/,
    )
    await expect(resolveImageTag('us.gcr.io/x/y', '../../x', {env: {}, fetch})).rejects.toThrow(/invalid subscription tag/)
  })
})
