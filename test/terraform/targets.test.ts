import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {UsageError, UserError} from '../../src/lib/io/errors.js'
import {changedPaths, describeEnvironment, describeSummary, resolveGenerateTargets, type GenerateRequest} from '../../src/lib/terraform/targets.js'
import {fixturesDir} from '../helpers/paths.js'

const FIXTURES = fixturesDir
const root = mkdtempSync(path.join(tmpdir(), 'msp-targets-'))
writeFileSync(path.join(root, '.repository'), 'test\n')
for (const id of ['entitler', 'sams']) cpSync(path.join(FIXTURES, id), path.join(root, 'services', id), {recursive: true})
afterAll(() => rmSync(root, {recursive: true, force: true}))

describe('resolveGenerateTargets: arguments to what is generated', () => {
  it.each<[string, GenerateRequest, string[], string[] | undefined, string | undefined]>([
    ['one environment of one service', {serviceId: 'sams', envId: 'prod', all: false}, ['sams'], ['prod'], undefined],
    ['every environment of one service', {serviceId: 'sams', all: false}, ['sams'], undefined, undefined],
    ['--all with a service id', {serviceId: 'sams', all: true}, ['sams'], undefined, undefined],
    ['--all: every service in id order', {all: true}, ['entitler', 'sams'], undefined, undefined],
    ['--all --category test', {all: true, category: 'test'}, ['entitler', 'sams'], undefined, 'test'],
  ])('%s', async (_name, request, services, envIds, category) => {
    const t = await resolveGenerateTargets(root, request)
    expect(t.services.map((s) => s.id)).toEqual(services)
    expect(t.envIds).toEqual(envIds)
    expect(t.category).toEqual(category)
  })

  it.each<[string, GenerateRequest, RegExp]>([
    ['--category without --all', {serviceId: 'sams', all: false, category: 'test'}, /'--category' can only be used with '--all'/],
    ['an unknown category', {all: true, category: 'prod'}, /invalid category "prod"/],
    ['--all with an environment', {serviceId: 'sams', envId: 'prod', all: true}, /at most a service id/],
    ['nothing at all', {all: false}, /missing the service id/],
  ])('rejects %s as a usage error (exit 2)', async (_name, request, message) => {
    const run = resolveGenerateTargets(root, request)
    await expect(run).rejects.toBeInstanceOf(UsageError)
    await expect(run).rejects.toThrow(message)
  })

  it('fails with "did you mean" for an unknown service', async () => {
    const run = resolveGenerateTargets(root, {serviceId: 'samz', all: false})
    await expect(run).rejects.toBeInstanceOf(UserError)
    await expect(run).rejects.toMatchObject({hint: expect.stringContaining('did you mean "sams"')})
  })
})

describe('progress and summary lines', () => {
  const result = {
    serviceId: 'sams',
    envId: 'prod',
    category: 'external',
    edition: '2024-08' as const,
    dir: 'services/sams/terraform/prod',
    files: [
      {path: 'services/sams/terraform/prod/.tool-versions', outcome: 'unchanged' as const},
      {path: 'services/sams/terraform/prod/stacks/iam/cdk.tf.json', outcome: 'changed' as const},
      {path: 'services/sams/terraform/prod/stacks/old/cdk.tf.json', outcome: 'removed' as const},
    ],
  }
  it('names the environment and counts outcomes', () => {
    expect(describeEnvironment(result)).toBe('[sams] prod (external): 1 changed, 1 removed, 1 unchanged')
    const summary = {environments: [result], editions: [{edition: '2024-08' as const, source: 'default'}], counts: {created: 0, changed: 1, unchanged: 1, removed: 1}}
    expect(describeSummary(summary, true)).toBe('Checked 1 environment: 1 changed, 1 removed, 1 unchanged')
    expect(changedPaths(summary)).toEqual([
      'services/sams/terraform/prod/stacks/iam/cdk.tf.json',
      'services/sams/terraform/prod/stacks/old/cdk.tf.json',
    ])
  })
})
