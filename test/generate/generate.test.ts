import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {UserError} from '../../src/lib/io/errors.js'
import {loadService} from '../../src/lib/spec/load.js'
import {STACK_NAMES} from '../../src/lib/stacks/naming.js'
import {generateServices} from '../../src/lib/generate/generate.js'
import {fixturesDir} from '../helpers/paths.js'

const FIXTURES = fixturesDir
const temps: string[] = []
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, {recursive: true, force: true})
})

/** A temp service-definitions repo holding copies of the given fixture services. */
function tempRepo(...ids: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'msp-generate-'))
  temps.push(root)
  writeFileSync(path.join(root, '.repository'), 'test\n')
  for (const id of ids) cpSync(path.join(FIXTURES, id), path.join(root, 'services', id), {recursive: true})
  return root
}

function walk(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  )
}

function snapshot(root: string): Map<string, {bytes: string; mtime: number}> {
  return new Map(walk(root).map((f) => [f, {bytes: readFileSync(path.join(root, f), 'utf8'), mtime: statSync(path.join(root, f)).mtimeMs}]))
}

describe('generateServices', () => {
  it('writes .tool-versions and five cdk.tf.json per environment in the original layout', async () => {
    const root = tempRepo('cloud-ops')
    const svc = await loadService(root, 'cloud-ops')
    const summary = await generateServices({root, services: [svc]})
    expect(summary.environments.map((e) => e.envId)).toEqual(['prod', 'dev'])
    for (const env of ['prod', 'dev']) {
      expect(walk(path.join(root, 'services/cloud-ops/terraform', env)).sort()).toEqual(
        ['.tool-versions', ...STACK_NAMES.map((s) => `stacks/${s}/cdk.tf.json`)].sort(),
      )
      expect(readFileSync(path.join(root, 'services/cloud-ops/terraform', env, '.tool-versions'), 'utf8')).toBe('terraform 1.3.10')
    }
    expect(summary.counts).toEqual({created: 12, changed: 0, unchanged: 0, removed: 0})
  })

  it('gives identical bytes on a second run and rewrites no file (mtimes unchanged)', async () => {
    const root = tempRepo('msp-testbed', 'gatekeeper')
    const services = await Promise.all(['msp-testbed', 'gatekeeper'].map((id) => loadService(root, id)))
    await generateServices({root, services})
    const before = snapshot(root)
    await new Promise((r) => setTimeout(r, 20))
    const again = await generateServices({root, services})
    // 2 + 1 environments × 6 files, plus skaffoldsource.tar.gz of msp-testbed robert (last rollout stage).
    expect(again.counts).toEqual({created: 0, changed: 0, unchanged: 19, removed: 0})
    expect(snapshot(root)).toEqual(before)
  })

  it('removes stale generated files under stacks/ only, keeps subscription tfvars, foreign files and everything outside the environment', async () => {
    const root = tempRepo('gatekeeper')
    const svc = await loadService(root, 'gatekeeper')
    const env = path.join(root, 'services/gatekeeper/terraform/prod')
    mkdirSync(path.join(env, 'stacks/legacy'), {recursive: true})
    writeFileSync(path.join(env, 'stacks/legacy/cdk.tf.json'), '{}')
    mkdirSync(path.join(env, 'stacks/cloudrun'), {recursive: true})
    writeFileSync(path.join(env, 'stacks/cloudrun/old.tf.json'), '{}')
    writeFileSync(path.join(env, 'stacks/cloudrun/terraform.tfvars'), 'resolved_image_tag = "insiders@sha256:abc"\n')
    writeFileSync(path.join(env, 'manifest.json'), '{}')
    mkdirSync(path.join(root, 'services/gatekeeper/terraform/gone/stacks/iam'), {recursive: true})
    writeFileSync(path.join(root, 'services/gatekeeper/terraform/gone/stacks/iam/cdk.tf.json'), '{}')

    const summary = await generateServices({root, services: [svc]})
    const removed = summary.environments[0]!.files.filter((f) => f.outcome === 'removed').map((f) => f.path)
    expect(removed).toEqual(['services/gatekeeper/terraform/prod/stacks/legacy/cdk.tf.json'])
    // Not a file of the original's layout: someone else's, never deleted.
    expect(readFileSync(path.join(env, 'stacks/cloudrun/old.tf.json'), 'utf8')).toBe('{}')
    expect(existsSync(path.join(env, 'stacks/legacy'))).toBe(false)
    expect(existsSync(path.join(env, 'stacks/cloudrun/terraform.tfvars'))).toBe(true)
    expect(existsSync(path.join(env, 'manifest.json'))).toBe(true)
    expect(existsSync(path.join(root, 'services/gatekeeper/terraform/gone/stacks/iam/cdk.tf.json'))).toBe(true)
    expect(readFileSync(path.join(root, 'services/gatekeeper/service.yaml'), 'utf8')).toBe(readFileSync(path.join(FIXTURES, 'gatekeeper/service.yaml'), 'utf8'))
  })

  it('--check reports what would change and writes nothing', async () => {
    const root = tempRepo('entitler')
    const svc = await loadService(root, 'entitler')
    const first = await generateServices({root, services: [svc], check: true})
    expect(first.counts.created).toBe(6)
    expect(walk(path.join(root, 'services/entitler'))).not.toContain('terraform/prod/.tool-versions')

    await generateServices({root, services: [svc]})
    const iam = path.join(root, 'services/entitler/terraform/prod/stacks/iam/cdk.tf.json')
    writeFileSync(iam, '{}\n')
    const checked = await generateServices({root, services: [svc], check: true})
    expect(checked.counts).toEqual({created: 0, changed: 1, unchanged: 5, removed: 0})
    expect(readFileSync(iam, 'utf8')).toBe('{}\n')
  })

  it('aborts on a generation-time spec error before writing any file of any service', async () => {
    const root = tempRepo('entitler', 'gatekeeper')
    const yaml = path.join(root, 'services/gatekeeper/service.yaml')
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('cron: "0 * * * *"', 'cron: "* * * * *"'))
    const services = await Promise.all(['entitler', 'gatekeeper'].map((id) => loadService(root, id)))
    const run = generateServices({root, services})
    await expect(run).rejects.toBeInstanceOf(UserError)
    await expect(run).rejects.toThrow(/generate "gatekeeper" environment "prod": invalid cron schedule/)
    expect(existsSync(path.join(root, 'services/entitler/terraform'))).toBe(false)
  })

  it('selects environments by id or category and honours the Terraform version', async () => {
    const root = tempRepo('sams')
    const svc = await loadService(root, 'sams')
    const envsOf = async (options: {envIds?: string[]; category?: string}) =>
      (await generateServices({root, services: [svc], check: true, ...options})).environments.map((e) => e.envId)
    expect(await envsOf({envIds: ['prod']})).toEqual(['prod'])
    expect(await envsOf({category: 'test'})).toEqual(['dev'])
    await expect(envsOf({envIds: ['staging']})).rejects.toThrow(/unknown environment "staging" of service/)
    await generateServices({root, services: [svc], envIds: ['dev'], terraformVersion: '1.5.7'})
    const dev = path.join(root, 'services/sams/terraform/dev')
    expect(readFileSync(path.join(dev, '.tool-versions'), 'utf8')).toBe('terraform 1.5.7')
    for (const stack of STACK_NAMES) {
      expect(JSON.parse(readFileSync(path.join(dev, 'stacks', stack, 'cdk.tf.json'), 'utf8')).terraform.required_version).toBe('~> 1.5.7')
    }
    await expect(generateServices({root, services: [svc], terraformVersion: 'latest'})).rejects.toThrow(/invalid Terraform version/)
  })
})
