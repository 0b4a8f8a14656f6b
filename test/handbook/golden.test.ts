import {afterAll, expect, test} from 'vitest'
import {buildDiagram, renderD2} from '../../src/lib/handbook/diagram.js'
import {renderOperationsPage, styleMarkdownForTerminal} from '../../src/lib/handbook/operations-page.js'
import {makeStyler} from '../../src/lib/io/output.js'
import {cleanupFixtureRepo, loadFixture} from './fixtures.js'
import {MAY_2024} from '../helpers/editions.js'

/** Reviewed output under test/golden/handbook; `npx vitest run -u` rewrites it (then review the diff). */
const golden = (name: string) => `../golden/handbook/${name}`

afterAll(cleanupFixtureRepo)

test('msp operations page (terminal mode) of msp-testbed', async () => {
  const service = await loadFixture('msp-testbed')
  await expect(renderOperationsPage(service, {edition: MAY_2024, revision: 'd0e016b97b93281abe4e18a9933ef0195d17296c'})).toMatchFileSnapshot(
    golden('operations-msp-testbed.md'),
  )
})

test('D2 source of sams prod (icon data URIs abbreviated)', async () => {
  const {spec} = await loadFixture('sams')
  const d2 = renderD2(
    buildDiagram(
      spec,
      spec.environments!.find((e) => e.id === 'prod')!,
      MAY_2024,
    ),
  )
  const icons = d2.match(/icon: "data:image\/svg\+xml;base64,/g) ?? []
  expect(icons).toHaveLength(14)
  await expect(d2.replace(/^(\s*)icon: "data:image\/svg\+xml;base64,[^"]+"$/gm, '$1icon: "<data URI>"')).toMatchFileSnapshot(golden('sams-prod.d2'))
})

test('terminal styling leaves a page byte-identical without colour and marks headings, callouts and code with it', async () => {
  const page = renderOperationsPage(await loadFixture('gatekeeper'), {edition: MAY_2024})
  expect(styleMarkdownForTerminal(page, makeStyler(false))).toBe(page)
  const coloured = styleMarkdownForTerminal(page, makeStyler(true))
  expect(coloured.replace(/\u001B\[\d+m/g, '')).toBe(page)
  expect(coloured).toContain('\u001B[1m## Service overview\u001B[22m')
  expect(coloured).toContain('\u001B[36m> [!IMPORTANT]\u001B[39m')
  expect(coloured).toContain('\u001B[2msg msp logs gatekeeper prod\u001B[22m')
})
