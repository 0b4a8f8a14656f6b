/**
 * End to end with the built CLI: a hostile service-definitions
 * repository (an environment id with `../`, committed symlinks) can make msp neither write, delete
 * nor read anything outside the repository or the handbook pages folder. Every test asserts on the
 * files outside: their bytes and the listing of their folder stay exactly as they were.
 */
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {runMsp} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'
import {filesBelow} from '../helpers/files.js'

let outer: string
let root: string
let outside: string

/** A folder outside the repository with files msp must never touch, in the shape msp writes. */
function precious(dir: string): Record<string, string> {
  mkdirSync(join(dir, 'stacks/iam'), {recursive: true})
  writeFileSync(join(dir, 'stacks/iam/cdk.tf.json'), 'precious terraform\n')
  writeFileSync(join(dir, 'stacks/iam/notes.txt'), 'precious notes\n')
  writeFileSync(join(dir, '.tool-versions'), 'precious versions')
  writeFileSync(join(dir, 'old.md'), 'precious page\n')
  writeFileSync(join(dir, 'svc-dev.svg'), '<svg>precious</svg>\n')
  return filesBelow(dir)
}

const SPEC = (envId: string, projectID = `svc-${envId}-1234`) => `service:
  id: svc
  owners: [team]
  description: A test service.
environments:
  - id: ${JSON.stringify(envId)}
    projectID: ${JSON.stringify(projectID)}
    category: test
    deploy: {type: manual}
    instances: {resources: {cpu: 1, memory: 512Mi}}
`

function addService(id: string, spec: string): void {
  mkdirSync(join(root, 'services', id), {recursive: true})
  writeFileSync(join(root, 'services', id, 'service.yaml'), spec)
}

/** A sourcegraph/handbook checkout beside the repository. */
function handbook(): string {
  const dir = join(outer, 'handbook')
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
  return dir
}

beforeEach(() => {
  outer = mkdtempSync(join(tmpdir(), 'msp-hostile-'))
  root = join(outer, 'repo')
  mkdirSync(root)
  writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
  outside = join(outer, 'outside')
  mkdirSync(outside)
})
afterEach(() => rmSync(outer, {recursive: true, force: true}))

describe('an environment id with ../', () => {
  // services/svc/terraform/../../../../pwn is <outer>/pwn: beside the repository.
  const hostile = '../../../../pwn'

  it('is a located spec error in validate, and generate and handbook write and delete nothing outside', async () => {
    addService('svc', SPEC(hostile, 'svc-../../../../pwn-ab'))
    const pwn = join(outer, 'pwn')
    const before = precious(pwn)
    const v = await runMsp(['validate', '--repo', root])
    expect(v.code).toBe(1)
    expect(v.stdout + v.stderr).toMatch(/services\/svc\/service\.yaml:6:\d+: environments\.0\.id: .*can only contain/)
    const g = await runMsp(['generate', 'svc', '--repo', root])
    expect(g.code).toBe(1)
    expect(g.stderr).toMatch(/environments\.0\.id/)
    const h = await runMsp(['handbook', '--no-diagrams', '--repo', root, '--handbook-path', handbook()])
    expect(h.code).toBe(1)
    expect(filesBelow(pwn)).toEqual(before)
    expect(readdirSync(outer).sort()).toEqual(['handbook', 'outside', 'pwn', 'repo'])
  })
})

describe('symlinks inside the repository', () => {
  beforeEach(() => {
    cpSync(join(fixturesDir, 'gatekeeper'), join(root, 'services/gatekeeper'), {recursive: true})
  })

  it('a symlinked stacks folder is refused: nothing written or deleted through it', async () => {
    const before = precious(outside)
    mkdirSync(join(root, 'services/gatekeeper/terraform/prod'), {recursive: true})
    symlinkSync(outside, join(root, 'services/gatekeeper/terraform/prod/stacks'))
    const r = await runMsp(['generate', 'gatekeeper', 'prod', '--repo', root])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/symbolic link/)
    expect(r.stderr).toContain('services/gatekeeper/terraform/prod/stacks')
    expect(filesBelow(outside)).toEqual(before)
  })

  it('a symlinked terraform folder is refused', async () => {
    const before = precious(outside)
    symlinkSync(outside, join(root, 'services/gatekeeper/terraform'))
    const r = await runMsp(['generate', '--all', '--repo', root])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/symbolic link/)
    expect(filesBelow(outside)).toEqual(before)
  })

  it('a generated file that is itself a symlink is refused, and its target untouched', async () => {
    const before = precious(outside)
    const env = join(root, 'services/gatekeeper/terraform/prod')
    mkdirSync(env, {recursive: true})
    symlinkSync(join(outside, '.tool-versions'), join(env, '.tool-versions'))
    const r = await runMsp(['generate', 'gatekeeper', 'prod', '--repo', root])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/symbolic link/)
    expect(filesBelow(outside)).toEqual(before)
  })

  it('a symlinked service.yaml that leaves the repository is refused by every command that reads specs', async () => {
    writeFileSync(join(outside, 'service.yaml'), readFileSync(join(root, 'services/gatekeeper/service.yaml')))
    rmSync(join(root, 'services/gatekeeper/service.yaml'))
    symlinkSync(join(outside, 'service.yaml'), join(root, 'services/gatekeeper/service.yaml'))
    const before = filesBelow(outside)
    for (const args of [
      ['validate'],
      ['fleet'],
      ['logs', 'gatekeeper', 'prod'],
      ['generate', '--all'],
      ['handbook', '--no-diagrams', '--handbook-path', handbook()],
    ]) {
      const r = await runMsp([...args, '--repo', root])
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(1)
      expect(r.stdout + r.stderr, args.join(' ')).toMatch(/outside the repository/)
    }
    expect(filesBelow(outside)).toEqual(before)
    expect(existsSync(join(root, 'services/gatekeeper/terraform'))).toBe(false)
  })

  it('a symlinked services/ folder is refused by validate and fleet too', async () => {
    cpSync(join(root, 'services'), join(outside, 'services'), {recursive: true})
    rmSync(join(root, 'services'), {recursive: true})
    symlinkSync(join(outside, 'services'), join(root, 'services'))
    for (const args of [['validate'], ['fleet'], ['generate', '--all']]) {
      const r = await runMsp([...args, '--repo', root])
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(1)
      expect(r.stdout + r.stderr, args.join(' ')).toMatch(/outside the repository/)
    }
  })

  it('a symlinked handbook pages folder is refused: nothing deleted in its target', async () => {
    const before = precious(outside)
    const h = handbook()
    mkdirSync(join(h, 'content/departments/engineering'), {recursive: true})
    symlinkSync(outside, join(h, 'content/departments/engineering/managed-services'))
    const r = await runMsp(['handbook', '--no-diagrams', '--repo', root, '--handbook-path', h])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/symbolic link/)
    expect(filesBelow(outside)).toEqual(before)
  })

  it('a symlinked folder higher up in the handbook checkout is refused as well', async () => {
    const before = precious(outside)
    const h = handbook()
    symlinkSync(outside, join(h, 'content'))
    const r = await runMsp(['handbook', '--no-diagrams', '--repo', root, '--handbook-path', h])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/symbolic link/)
    expect(filesBelow(outside)).toEqual(before)
  })
})

describe('deletion removes only what msp generates', () => {
  it('generate leaves foreign files under stacks/ alone, and handbook leaves foreign files in the pages folder alone', async () => {
    cpSync(join(fixturesDir, 'gatekeeper'), join(root, 'services/gatekeeper'), {recursive: true})
    const env = join(root, 'services/gatekeeper/terraform/prod')
    mkdirSync(join(env, 'stacks/legacy'), {recursive: true})
    writeFileSync(join(env, 'stacks/legacy/cdk.tf.json'), '{}')
    writeFileSync(join(env, 'stacks/legacy/README.md'), 'mine')
    mkdirSync(join(env, 'stacks/cloudrun'), {recursive: true})
    writeFileSync(join(env, 'stacks/cloudrun/override.tf'), 'mine')
    const g = await runMsp(['generate', 'gatekeeper', 'prod', '--repo', root])
    expect(g.code, g.stderr).toBe(0)
    expect(existsSync(join(env, 'stacks/legacy/cdk.tf.json'))).toBe(false)
    expect(readFileSync(join(env, 'stacks/legacy/README.md'), 'utf8')).toBe('mine')
    expect(readFileSync(join(env, 'stacks/cloudrun/override.tf'), 'utf8')).toBe('mine')

    const h = handbook()
    const pages = join(h, 'content/departments/engineering/managed-services')
    mkdirSync(pages, {recursive: true})
    writeFileSync(join(pages, 'retired.md'), '# Retired\n\n<!--\nGenerated documentation; DO NOT EDIT. Regenerate using this command: x\n-->\nold page')
    writeFileSync(join(pages, 'notes.txt'), 'mine')
    const r = await runMsp(['handbook', '--no-diagrams', '--repo', root, '--handbook-path', h])
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(join(pages, 'retired.md'))).toBe(false)
    expect(readFileSync(join(pages, 'notes.txt'), 'utf8')).toBe('mine')
    expect(statSync(join(pages, 'gatekeeper.md')).isFile()).toBe(true)
  })
})
