import {afterAll, expect, test} from 'vitest'
import {buildDiagram, renderD2} from '../../src/lib/handbook/diagram.js'
import {renderOperationsPage} from '../../src/lib/handbook/operations-page.js'
import {cleanupFixtureRepo, loadFixture} from './fixtures.js'
import {expectGolden} from './golden.js'

afterAll(cleanupFixtureRepo)

test('msp operations page (terminal mode) of msp-testbed', async () => {
  const service = await loadFixture('msp-testbed')
  expectGolden('operations-msp-testbed.md', renderOperationsPage(service, {revision: 'd0e016b97b93281abe4e18a9933ef0195d17296c'}))
})

test('D2 source of sams prod (icon data URIs abbreviated)', async () => {
  const {spec} = await loadFixture('sams')
  const d2 = renderD2(buildDiagram(spec, spec.environments!.find((e) => e.id === 'prod')!))
  const icons = d2.match(/icon: "data:image\/svg\+xml;base64,/g) ?? []
  expect(icons).toHaveLength(14)
  expectGolden('sams-prod.d2', d2.replace(/^(\s*)icon: "data:image\/svg\+xml;base64,[^"]+"$/gm, '$1icon: "<data URI>"'))
})
