import {cpSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, test} from 'vitest'
import {formatSpecIssue} from '../../src/lib/io/errors.js'
import {loadService, validateServices} from '../../src/lib/spec/load.js'
import {fixturesDir} from '../helpers/paths.js'
import {DEFAULT_EDITION} from '../../src/lib/edition/editions.js'

const handbook = fixturesDir
const examples = path.resolve(__dirname, '../../examples/managed-services')
const fixtureIds = readdirSync(handbook).filter((id) => existsSync(path.join(handbook, id, 'service.yaml')))

// The handbook fixtures sit in `<id>/`, the loader reads `services/<id>/`: copy them into a temp repo.
const repo = mkdtempSync(path.join(tmpdir(), 'msp-spec-fixtures-'))
for (const id of fixtureIds) cpSync(path.join(handbook, id), path.join(repo, 'services', id), {recursive: true})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

describe('the 9 handbook fixtures', () => {
  test('are all present', () => {
    expect(fixtureIds).toHaveLength(9)
  })

  test.each(fixtureIds)('%s loads without errors or warnings', async (id) => {
    const loaded = await loadService(repo, id)
    expect(loaded.warnings.map(formatSpecIssue)).toEqual([])
    expect(loaded.spec.service.id).toBe(id)
    expect(loaded.file).toBe(`services/${id}/service.yaml`)
  })

  test('msp validate finds no errors in them (only the post-May-2024 notionPageID advisories)', async () => {
    const report = await validateServices(repo, fixtureIds, DEFAULT_EDITION)
    expect(report.errorCount).toBe(0)
    expect(report.issues.every((i) => i.message.includes("requires 'service.notionPageID' to be set"))).toBe(true)
    expect(report.services.every((s) => s.spec !== undefined)).toBe(true)
  })

  test('READMEs are stripped of their header and trimmed', async () => {
    const loaded = await loadService(repo, 'msp-testbed')
    expect(loaded.readme).toMatch(/^This is a test environment used by the Core Services team/)
    expect(loaded.readme).toBe(loaded.readme?.trim())
    expect((await loadService(repo, 'cloud-ops')).readme).toBeUndefined()
  })

  test('BigQuery schemas are loaded for every referenced table, re-indented with 2 spaces', async () => {
    const loaded = await loadService(repo, 'sams')
    expect(Object.keys(loaded.bigQuerySchemas).sort()).toEqual(['cody_events', 'events', 'subscription_events', 'user_emails'])
    expect(loaded.bigQuerySchemas.events).toMatch(/^\[\n {2}\{\n {4}"name": "id"/)
  })

  test('defaults are applied to the model', async () => {
    const {spec} = await loadService(repo, 'telemetry-gateway')
    expect(spec.service.kind).toBe('service')
    expect(spec.monitoring).toEqual({alerts: {responseCodeRatios: [], customAlerts: []}, nobl9: false})
    const prod = spec.environments[1]!
    expect(prod.instances.scaling).toEqual({minCount: 1, maxCount: 10, maxRequestConcurrency: 1000})
    expect(prod.domain?.cloudflare?.proxied).toBe(false)
    expect(prod.allowDestroys).toBe(false)
    expect(spec.rollout?.initialImageTag).toBe('insiders')
    // Presence-dependent keys stay absent.
    expect(prod.healthProbes).toBeUndefined()
    expect(prod.authentication).toBeUndefined()
    expect(spec.service.name).toBe('Telemetry Gateway')
  })
})

describe('the example repo', () => {
  const exampleIds = existsSync(path.join(examples, 'services'))
    ? readdirSync(path.join(examples, 'services')).filter((id) => existsSync(path.join(examples, 'services', id, 'service.yaml')))
    : []

  test('has its three services, and they validate without errors or warnings', async () => {
    // The README's quick start and several tests use these; vanishing examples must fail, not skip.
    expect(exampleIds.sort()).toEqual(['hello-api', 'ledger-compactor', 'usage-ledger'])
    const report = await validateServices(examples, exampleIds, DEFAULT_EDITION)
    expect(report.issues.map(formatSpecIssue)).toEqual([])
  })
})
