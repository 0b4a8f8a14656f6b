import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildFleetRows, fleetCells, loadFleet, renderFleetSummary, summarizeFleet} from '../../src/lib/fleet/report.js'
import {parseSpec} from '../../src/lib/spec/load.js'
import type {Spec} from '../../src/lib/spec/schema.js'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo, fixturesDir} from '../helpers/paths.js'

function fixtureSpecs(): Spec[] {
  return readdirSync(fixturesDir, {withFileTypes: true})
    .filter((d) => d.isDirectory())
    .map((d) => {
      const r = parseSpec(readFileSync(join(fixturesDir, d.name, 'service.yaml'), 'utf8'), {file: `services/${d.name}/service.yaml`})
      if (!r.spec) throw new Error(`fixture ${d.name} does not parse: ${JSON.stringify(r.issues)}`)
      return r.spec
    })
    .reverse() // order of input must not matter
}

describe('buildFleetRows', () => {
  it('lists every environment of the nine handbook services, services sorted, environments in spec order', () => {
    const rows = buildFleetRows(fixtureSpecs())
    expect(rows.map((r) => `${r.service}/${r.environment}`)).toEqual([
      'build-tracker/prod',
      'cloud-ops/prod',
      'cloud-ops/dev',
      'cody-analytics/dev',
      'cody-analytics/prod',
      'entitler/prod',
      'gatekeeper/prod',
      'msp-testbed/test',
      'msp-testbed/robert',
      'sams/dev',
      'sams/prod',
      'support-integration/prod',
      'telemetry-gateway/dev',
      'telemetry-gateway/prod',
    ])
  })

  it('derives owner, kind, project, region, domain and resources of each environment', () => {
    const sams = buildFleetRows(fixtureSpecs()).find((r) => r.service === 'sams' && r.environment === 'prod')!
    expect(sams).toMatchObject({kind: 'service', category: 'external', region: 'us-central1'})
    expect(sams.projectID).toMatch(/^sams-prod-/)
    expect(sams.domain).toMatch(/\./)
    expect(sams.resources).toEqual(expect.arrayContaining(['postgresql', 'redis']))
  })

  it('filters by category and by any of the owners', () => {
    const specs = fixtureSpecs()
    const external = buildFleetRows(specs, {category: 'external'})
    expect(external.length).toBeGreaterThan(0)
    expect(external.every((r) => r.category === 'external')).toBe(true)
    const owner = specs[0]!.service.owners.at(-1)!
    const owned = buildFleetRows(specs, {owner})
    expect(owned.length).toBeGreaterThan(0)
    expect(owned.every((r) => r.owners.includes(owner))).toBe(true)
    expect(buildFleetRows(specs, {owner: 'nobody'})).toEqual([])
  })

  it('uses the locations region and a job kind when the spec says so', () => {
    const [spec] = fixtureSpecs()
    const job: Spec = {
      ...spec!,
      service: {...spec!.service, id: 'zz-job', kind: 'job'},
      environments: [{...spec!.environments[0]!, domain: undefined, locations: {gcpRegion: 'europe-west2', gcpLocation: 'europe'}}],
    }
    expect(buildFleetRows([job])[0]).toMatchObject({service: 'zz-job', kind: 'job', region: 'europe-west2', domain: null})
  })
})

describe('fleet summary', () => {
  it('counts the example repo in the layout of the original sg msp fleet', async () => {
    const {specs, warnings} = await loadFleet(examplesRepo)
    expect(warnings).toEqual([])
    expect(renderFleetSummary(summarizeFleet(specs))).toBe(
      [
        'Managed Services Platform fleet summary:',
        '',
        '- **3 services** (2 services, 1 jobs)',
        '- **2 teams** (billing, core-services)',
        '- **1 rollout pipelines**',
        '- **6 environments**',
        '\t- `test` environments: 3',
        '\t- `internal` environments: 1',
        '\t- `external` environments: 2',
        '\t- Using deploy type `manual`: 3',
        '\t- Using deploy type `rollout`: 2',
        '\t- Using deploy type `subscription`: 1',
        '\t- Using resource `BigQuery dataset`: 2',
        '\t- Using resource `PostgreSQL instance`: 3',
        '\t- Using resource `Redis`: 2',
        '',
      ].join('\n'),
    )
  })

  it('applies the same filters as the table', async () => {
    const {specs} = await loadFleet(examplesRepo)
    const s = summarizeFleet(specs, {owner: 'billing', category: 'external'})
    expect(s).toMatchObject({services: 2, teams: ['billing', 'core-services'], environments: 1, byCategory: {test: 0, internal: 0, external: 1}})
  })
})

describe('fleetCells', () => {
  it('renders fleet cells with lists joined by commas and no domain as empty', () => {
    const rows = buildFleetRows(fixtureSpecs(), {category: 'test'})
    const cells = fleetCells(rows)
    expect(cells.every((c) => c.length === 9)).toBe(true)
    expect(cells.map((c) => c[4])).toEqual(rows.map(() => 'test'))
  })
})

describe('repo-wide commands that read every spec use the spec cache', () => {
  it.each([
    ['fleet', ['fleet']],
    ['the subscription matrix', ['gh-actions', 'subscription-matrix']],
    ['status --all (before any network call: no credentials)', ['status', '--all']],
  ])('%s: a run leaves one cache entry per service', async (_name, args) => {
    const cache = mkdtempSync(join(tmpdir(), 'msp-fleet-cache-'))
    try {
      await runMsp([...args, '--repo', examplesRepo], {env: {MSP_CACHE_DIR: cache, GOOGLE_APPLICATION_CREDENTIALS: join(cache, 'none.json')}})
      // Before, these commands parsed every spec on every run and wrote nothing to the cache.
      expect(readdirSync(cache).filter((f) => f.endsWith('.json'))).toHaveLength(readdirSync(join(examplesRepo, 'services')).length)
    } finally {
      rmSync(cache, {recursive: true, force: true})
    }
  })
})
