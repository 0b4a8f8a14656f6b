import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {UserError} from '../../src/lib/io/errors.js'
import {changedPaths, describeEnvironment, describeSummary, resolveGenerateTargets, type GenerateSelection} from '../../src/lib/generate/targets.js'
import {fixturesDir} from '../helpers/paths.js'

const FIXTURES = fixturesDir
const root = mkdtempSync(path.join(tmpdir(), 'msp-targets-'))
writeFileSync(path.join(root, '.repository'), 'test\n')
for (const id of ['entitler', 'sams']) cpSync(path.join(FIXTURES, id), path.join(root, 'services', id), {recursive: true})
afterAll(() => rmSync(root, {recursive: true, force: true}))

describe('resolveGenerateTargets: a selection to what is generated', () => {
  it.each<[string, GenerateSelection, string[], string[] | undefined, string | undefined]>([
    ['one environment of one service', {serviceId: 'sams', envId: 'prod'}, ['sams'], ['prod'], undefined],
    ['every environment of one service', {serviceId: 'sams'}, ['sams'], undefined, undefined],
    ['every service in id order', {}, ['entitler', 'sams'], undefined, undefined],
    ['every service, test environments only', {category: 'test'}, ['entitler', 'sams'], undefined, 'test'],
  ])('%s', async (_name, selection, services, envIds, category) => {
    const t = await resolveGenerateTargets(root, selection)
    expect(t.services.map((s) => s.id)).toEqual(services)
    expect(t.envIds).toEqual(envIds)
    expect(t.category).toEqual(category)
  })

  it('fails with "did you mean" for an unknown service', async () => {
    const run = resolveGenerateTargets(root, {serviceId: 'samz'})
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
    // --check writes nothing, so it says what a run would do.
    expect(describeEnvironment(result, true)).toBe('[sams] prod (external): 1 to change, 1 to remove, 1 unchanged')
    const summary = {
      environments: [result],
      stale: [],
      editions: [{edition: '2024-08' as const, source: 'default'}],
      warnings: [],
      notices: [],
      counts: {created: 0, changed: 1, unchanged: 1, removed: 1},
      builtPerThread: [1],
    }
    expect(describeSummary(summary, true)).toBe('Checked 1 environment: 1 to change, 1 to remove, 1 unchanged')
    expect(changedPaths(summary)).toEqual(['services/sams/terraform/prod/stacks/iam/cdk.tf.json', 'services/sams/terraform/prod/stacks/old/cdk.tf.json'])
  })
})
