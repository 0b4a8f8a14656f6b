import {cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {initEnvironment, initService} from '../../src/lib/authoring/init.js'
import {parseSpec, validateServices} from '../../src/lib/spec/load.js'
import {listServiceIds} from '../../src/lib/repo/services.js'
import {DEFAULT_EDITION} from '../../src/lib/edition/editions.js'

const REPO = resolve(__dirname, '../..')
const EXAMPLE = join(REPO, 'examples/managed-services')
const GOLDEN = join(__dirname, 'golden')
const fixedRandom = (size: number) => Uint8Array.from({length: size}, (_, i) => 0x1f + i * 0x22)

function exampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'msp-init-'))
  cpSync(EXAMPLE, dir, {recursive: true})
  return dir
}

/** Compares with a reviewed golden file; `npx vitest run -u` rewrites it (then review the diff). */
function expectGolden(name: string, actual: string): Promise<void> {
  return expect(actual).toMatchFileSnapshot(join(GOLDEN, name))
}

async function errorsOf(root: string) {
  const report = await validateServices(root, await listServiceIds(root), DEFAULT_EDITION)
  return report.issues.filter((i) => i.severity === 'error')
}

describe('initService', () => {
  it.each([
    ['service', 'dev'],
    ['service', 'prod'],
    ['job', 'dev'],
    ['job', 'prod'],
  ] as const)('writes the %s template with a %s environment that passes validation', async (kind, envId) => {
    const root = exampleCopy()
    const result = await initService({root, serviceId: 'msp-example', name: 'Msp Example', owner: 'core-services', kind, envId, random: fixedRandom})
    expect(result).toEqual({
      file: 'services/msp-example/service.yaml',
      service: 'msp-example',
      kind,
      environment: envId,
      projectID: `msp-example-${envId}-1f41`,
    })
    const text = readFileSync(join(root, result.file), 'utf8')
    await expectGolden(`${kind}-${envId}.yaml`, text)
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/service.schema.json')
    expect(parseSpec(text, {file: result.file, strict: true}).issues).toEqual([])
    expect(await errorsOf(root)).toEqual([])
  })

  it('scaffolds the acceptance example (demo, core-services, dev) into the example repo so that every spec validates', async () => {
    const root = exampleCopy()
    await initService({root, serviceId: 'demo', name: 'Demo', owner: 'core-services', kind: 'service', envId: 'dev'})
    const spec = parseSpec(readFileSync(join(root, 'services/demo/service.yaml'), 'utf8'), {file: 'services/demo/service.yaml', strict: true}).spec!
    expect(spec.environments[0]).toMatchObject({id: 'dev', category: 'test', domain: {cloudflare: {subdomain: 'demo', zone: 'sgdev.org'}}})
    expect(spec.environments[0]!.projectID).toMatch(/^demo-dev-[0-9a-f]{4}$/)
    expect(await errorsOf(root)).toEqual([])
  })

  it('refuses to overwrite an existing service and leaves its file untouched', async () => {
    const root = exampleCopy()
    const before = readFileSync(join(root, 'services/hello-api/service.yaml'), 'utf8')
    await expect(initService({root, serviceId: 'hello-api', name: 'x', owner: 'y', kind: 'service', envId: 'dev'})).rejects.toMatchObject({
      message: 'service "hello-api" already exists (services/hello-api/service.yaml)',
      hint: 'to add an environment to it, run: msp init-env hello-api <environment>',
    })
    expect(readFileSync(join(root, 'services/hello-api/service.yaml'), 'utf8')).toBe(before)
  })

  it.each([
    ['an id with capitals', 'Demo', /invalid service id "Demo"/],
    ['an id with a path', '../x', /invalid service id/],
    ['an id longer than 20 characters', 'a-very-long-service-id', /at most 20 characters/],
  ])('rejects %s before touching the disk', async (_name, serviceId, message) => {
    const root = exampleCopy()
    await expect(initService({root, serviceId, name: 'X', owner: 'y', kind: 'service', envId: 'dev'})).rejects.toThrow(message)
    expect(await listServiceIds(root)).toEqual(['hello-api', 'ledger-compactor', 'usage-ledger'])
  })

  it('writes nothing when the values make an invalid spec (display name too long for GCP)', async () => {
    const root = exampleCopy()
    await expect(
      initService({root, serviceId: 'demo', name: 'A Much Too Long Display Name', owner: 'core-services', kind: 'service', envId: 'prod'}),
    ).rejects.toMatchObject({name: 'SpecError', message: expect.stringContaining('exceeds 30 characters')})
    expect(existsSync(join(root, 'services/demo'))).toBe(false)
  })

  it('refuses a service whose template domain is already configured by another service, writing nothing', async () => {
    const root = exampleCopy()
    const file = join(root, 'services/hello-api/service.yaml')
    writeFileSync(file, readFileSync(file, 'utf8').replace('subdomain: hello-api, zone: sgdev.org', 'subdomain: demo, zone: sgdev.org'))
    await expect(initService({root, serviceId: 'demo', name: 'Demo', owner: 'core-services', kind: 'service', envId: 'dev'})).rejects.toThrow(
      'the template\'s domain "demo.sgdev.org" is already configured by service "hello-api"',
    )
    expect(existsSync(join(root, 'services/demo'))).toBe(false)
    // the prod template uses another zone, and a broken neighbour spec is not init's concern
    writeFileSync(join(root, 'services/usage-ledger/service.yaml'), 'environments: [\n')
    await initService({root, serviceId: 'demo', name: 'Demo', owner: 'core-services', kind: 'service', envId: 'prod'})
    expect(existsSync(join(root, 'services/demo/service.yaml'))).toBe(true)
  })

  it('quotes names and owners that YAML would otherwise misread', async () => {
    const root = exampleCopy()
    await initService({root, serviceId: 'demo', name: 'Yes: #1', owner: 'true', kind: 'service', envId: 'dev'})
    const spec = parseSpec(readFileSync(join(root, 'services/demo/service.yaml'), 'utf8'), {file: 'f', strict: true}).spec!
    expect(spec.service).toMatchObject({name: 'Yes: #1', owners: ['true']})
  })
})

describe('initEnvironment', () => {
  it('adds prod to a freshly scaffolded service, keeping every comment and blank line, and the result validates', async () => {
    const root = exampleCopy()
    await initService({root, serviceId: 'demo', name: 'Demo', owner: 'core-services', kind: 'service', envId: 'dev', random: fixedRandom})
    const file = join(root, 'services/demo/service.yaml')
    const before = readFileSync(file, 'utf8')
    const result = await initEnvironment({root, serviceId: 'demo', envId: 'prod', random: fixedRandom})
    expect(result).toEqual({file: 'services/demo/service.yaml', service: 'demo', kind: 'service', environment: 'prod', projectID: 'demo-prod-1f41'})
    const after = readFileSync(file, 'utf8')
    await expectGolden('service-dev+prod.yaml', after)
    // the file is the old one with lines added at the end of the list, nothing else changed
    expect(after.startsWith(before)).toBe(true)
    for (const comment of before.split('\n').filter((l) => l.includes('#'))) expect(after).toContain(comment)
    expect(after.split('\n').filter((l) => l === '').length).toBe(before.split('\n').filter((l) => l === '').length)
    expect(await errorsOf(root)).toEqual([])
  })

  it('adds an environment to a job, in the middle of a file whose later sections keep their comments', async () => {
    const root = exampleCopy()
    const file = join(root, 'services/ledger-compactor/service.yaml')
    const original = readFileSync(file, 'utf8')
    const withTail = `${original}\n# Alerts are reviewed every quarter.\nmonitoring:\n  alerts: {} # none yet\n`
    writeFileSync(file, withTail)
    await initEnvironment({root, serviceId: 'ledger-compactor', envId: 'staging', random: fixedRandom})
    const after = readFileSync(file, 'utf8')
    expect(after.endsWith('\n\n# Alerts are reviewed every quarter.\nmonitoring:\n  alerts: {} # none yet\n')).toBe(true)
    const spec = parseSpec(after, {file: 'f', strict: true})
    expect(spec.issues.filter((i) => i.severity === 'error')).toEqual([])
    expect(spec.spec!.environments.map((e) => e.id)).toEqual(['dev', 'prod', 'staging'])
    expect(spec.spec!.environments[2]!.instances).toMatchObject({resources: {cpu: 1, memory: '1Gi'}})
    expect(spec.spec!.environments[2]!).not.toHaveProperty('instances.scaling')
  })

  it('writes nothing when the new environment would make the spec invalid (display name too long)', async () => {
    const root = exampleCopy()
    await initService({root, serviceId: 'x', name: 'Twenty Three Chars Name', owner: 'core-services', kind: 'job', envId: 'dev'})
    const file = join(root, 'services/x/service.yaml')
    const before = readFileSync(file, 'utf8')
    // "<name> - <env>" must fit in GCP's 30-character project display name: 29 for dev, 31 for stage
    await expect(initEnvironment({root, serviceId: 'x', envId: 'stage'})).rejects.toMatchObject({
      name: 'SpecError',
      message: expect.stringContaining('full environment name "Twenty Three Chars Name - stage" exceeds 30 characters'),
      hint: expect.stringContaining('nothing was written'),
    })
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  it('refuses an environment that already exists', async () => {
    const root = exampleCopy()
    await expect(initEnvironment({root, serviceId: 'hello-api', envId: 'prod'})).rejects.toMatchObject({
      message: 'environment "prod" already exists for service "hello-api"',
      hint: 'existing environments: dev, prod',
    })
  })

  it('points to msp init for a service that does not exist', async () => {
    const root = exampleCopy()
    await expect(initEnvironment({root, serviceId: 'hello-apj', envId: 'prod'})).rejects.toMatchObject({
      message: 'unknown service "hello-apj"',
      hint: 'did you mean "hello-api"? valid services: hello-api, ledger-compactor, usage-ledger; to create a new service, run: msp init hello-apj',
    })
  })

  it('rejects a malformed environment id', async () => {
    const root = exampleCopy()
    await expect(initEnvironment({root, serviceId: 'hello-api', envId: 'Prod 2'})).rejects.toMatchObject({name: 'UsageError'})
  })
})
