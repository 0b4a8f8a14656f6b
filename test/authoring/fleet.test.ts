import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildFleetRows, fleetCells, formatCsv} from '../../src/lib/authoring/fleet.js'
import {parseSpec} from '../../src/lib/spec/load.js'
import type {Spec} from '../../src/lib/spec/schema.js'
import {fixturesDir} from '../helpers/paths.js'

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

describe('formatCsv', () => {
  it('quotes fields with commas, quotes and line breaks per RFC 4180 and ends every record with CRLF', () => {
    expect(formatCsv(['a', 'b'], [['plain', 'x,y'], ['say "hi"', 'two\nlines'], ['', 'cr\r']])).toBe(
      'a,b\r\nplain,"x,y"\r\n"say ""hi""","two\nlines"\r\n,"cr\r"\r\n',
    )
  })

  it('renders fleet cells with lists joined by commas and no domain as empty', () => {
    const rows = buildFleetRows(fixtureSpecs(), {category: 'test'})
    const cells = fleetCells(rows)
    expect(cells.every((c) => c.length === 9)).toBe(true)
    expect(cells.map((c) => c[4])).toEqual(rows.map(() => 'test'))
  })
})
