import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {collectAlertPolicies} from '../../src/lib/handbook/alerts.js'
import {renderIndexPage} from '../../src/lib/handbook/index-page.js'
import {renderServicePage} from '../../src/lib/handbook/service-page.js'
import {fixturesDir} from '../helpers/paths.js'
import {cleanupFixtureRepo, expectedPage, fixtureIds, loadFixture, withoutRunHeader} from './fixtures.js'
import {MAY_2024} from '../helpers/editions.js'

afterAll(cleanupFixtureRepo)

const header = {generateCommand: 'msp handbook', lastUpdated: new Date('2025-01-02T03:04:05.678Z'), revision: 'f'.repeat(40)}

describe('service pages equal the published pages apart from the three header lines', () => {
  test('there are nine fixture services', () => {
    expect(fixtureIds).toHaveLength(9)
  })
  for (const id of fixtureIds) {
    test(`${id}.md`, async () => {
      const {spec, readme} = await loadFixture(id)
      const ours = renderServicePage(spec, collectAlertPolicies(spec, MAY_2024), {...header, handbook: true, readme})
      // toBe on strings prints a line diff of the two pages on failure.
      expect(withoutRunHeader(ours)).toBe(withoutRunHeader(expectedPage(id)))
    })
  }
})

test('index.md equals the published index apart from the three header lines', async () => {
  const services = await Promise.all(fixtureIds.map(loadFixture))
  const ours = renderIndexPage(
    services.map((s) => s.spec),
    header,
  )
  expect(withoutRunHeader(ours)).toBe(withoutRunHeader(readFileSync(join(fixturesDir, 'index.expected.md'), 'utf8')))
})

test('the header comment carries the injected command, time and revision', async () => {
  const {spec} = await loadFixture('entitler')
  const page = renderServicePage(spec, [], {...header, handbook: true})
  expect(page).toContain(
    [
      '<!--',
      "Generated documentation; DO NOT EDIT. Regenerate using this command: 'msp handbook'",
      '',
      'Last updated: 2025-01-02 03:04:05.678 +0000 UTC',
      `Generated from: https://github.com/sourcegraph/managed-services/tree/${'f'.repeat(40)}`,
      '-->',
    ].join('\n'),
  )
})

test('terminal mode prints only the revision line and absolute handbook links', async () => {
  const {spec} = await loadFixture('entitler')
  const page = renderServicePage(spec, [], {})
  expect(page).toContain('<!--\nGenerated from: unknown revision of https://github.com/sourcegraph/managed-services\n-->')
  expect(page).not.toContain('Regenerate using this command')
  expect(page).toContain('(https://handbook.sourcegraph.com/departments/engineering/teams/core-services/managed-services/platform/)')
})

test('a service page without alert policies still has the section heading and sentence', async () => {
  const {spec} = await loadFixture('gatekeeper')
  const page = renderServicePage(spec, [], {handbook: true})
  expect(page.endsWith("## Alert Policies\n\nThe following alert policies are defined for each of this service's environments.\n")).toBe(true)
})
