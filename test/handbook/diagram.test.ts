import {afterAll, describe, expect, test} from 'vitest'
import {buildDiagram, renderD2, type Diagram} from '../../src/lib/handbook/diagram.js'
import type {HandbookSpec} from '../../src/lib/handbook/spec-view.js'
import {testSpec} from '../helpers/spec-builders.js'
import {cleanupFixtureRepo, fixtureGraphs, fixtureIds, loadFixture} from './fixtures.js'
import {MAY_2024} from '../helpers/editions.js'

afterAll(cleanupFixtureRepo)

const key = (v: unknown) => JSON.stringify(v)
const asSet = (items: readonly unknown[]) => new Set(items.map(key))

describe('every fixture *.graph.json equals our diagram model (nodes and edges as sets)', () => {
  const cases = fixtureIds.flatMap((id) => [...fixtureGraphs(id)].map(([envId, graph]) => ({id, envId, graph})))
  test('there are 14 fixture graphs', () => {
    expect(cases).toHaveLength(14)
  })
  for (const {id, envId, graph} of cases) {
    test(`${id}-${envId}`, async () => {
      const {spec} = await loadFixture(id)
      const env = spec.environments!.find((e) => e.id === envId)!
      const ours = buildDiagram(spec, env, MAY_2024)
      expect(asSet(ours.nodes)).toEqual(asSet(graph.nodes))
      expect(asSet(ours.edges)).toEqual(asSet(graph.edges))
      // Also the published order (construction order), which the original's SVGs preserve.
      expect(ours.nodes.map(key)).toEqual(graph.nodes.map(key))
      expect(ours.edges.map(key)).toEqual(graph.edges.map(key))
    })
  }
})

describe('D2 source', async () => {
  const {spec} = await loadFixture('sams')
  const d2 = renderD2(
    buildDiagram(
      spec,
      spec.environments!.find((e) => e.id === 'prod')!,
      MAY_2024,
    ),
  )

  test('quotes keys D2 would misread and declares container-internal edges inside the container', () => {
    expect(d2).toContain('"Cloud SQL (Postgres)": {')
    expect(d2).toMatch(/loadbalancer_container: \{\n {2}label: ""\n[\s\S]*\n {2}Application Load Balancer <-> Cloud Armor\n\}/)
    expect(d2).toContain('VPC Network -> "Cloud SQL (Postgres)": "private networking"')
    expect(d2).toContain('loadbalancer_container -> Cloud Run Service\n')
  })

  test('icon nodes are images with their icon quoted (a data URI contains ";")', () => {
    expect(d2).toMatch(
      /Sentry: \{\n {2}label: "Sentry"\n {2}icon: "data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"\n {2}style.text-transform: none\n {2}shape: image\n\}/,
    )
    expect(d2).toMatch(/Cloudflare: \{[^}]*height: 64\n\}/)
  })

  test('is a pure function of the graph', () => {
    const graph: Diagram = buildDiagram(spec, spec.environments![1]!, MAY_2024)
    expect(renderD2(graph)).toBe(d2)
  })
})

test('child names that D2 would read as fields, edges or paths are quoted', () => {
  const spec: HandbookSpec = testSpec({
    service: {id: 'x'},
    environments: [{id: 'dev', projectID: 'x-dev-1', category: 'test', resources: {postgreSQL: {databases: ['label', 'a--b', 'plain_db']}}}],
  })
  const d2 = renderD2(buildDiagram(spec, spec.environments![0]!, MAY_2024))
  // (A dot, which D2 reads as a path, cannot reach here: database names are plain names.)
  expect(d2).toContain('\n  "label"\n  "a--b"\n  plain_db\n}')
})

describe('SVG source hash', () => {
  test('names the installed D2 package, so an upgrade re-renders every diagram', async () => {
    const {readFileSync} = await import('node:fs')
    const {D2_RENDERER} = await import('../../src/lib/handbook/svg.js')
    const pkg = JSON.parse(readFileSync(new URL('../../node_modules/@terrastruct/d2/package.json', import.meta.url), 'utf8'))
    expect(D2_RENDERER).toBe(`${pkg.name}@${pkg.version}`)
  })
})
