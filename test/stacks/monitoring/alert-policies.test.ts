import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {maxCronIntervalMinutes} from '../../../src/lib/stacks/monitoring/cron.js'
import {monitoringAlertPolicies, type AlertPolicy} from '../../../src/lib/stacks/monitoring/alert-policies.js'
import {formatSpecIssue} from '../../../src/lib/io/errors.js'
import {parseSpec} from '../../../src/lib/spec/load.js'
import type {Spec} from '../../../src/lib/spec/schema.js'
import {testEnvironment, testSpec} from '../../helpers/spec-builders.js'
import {fixturesDir} from '../../helpers/paths.js'
import {AUG_2024, MAY_2024} from '../../helpers/editions.js'

const FIXTURES = fixturesDir
const services = readdirSync(FIXTURES, {withFileTypes: true})
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

/** A fixture spec through the real loader, so defaults apply exactly as in the CLI. */
function loadFixture(id: string): Spec {
  const {spec, issues} = parseSpec(readFileSync(path.join(FIXTURES, id, 'service.yaml'), 'utf8'), {file: `services/${id}/service.yaml`})
  if (!spec) throw new Error(issues.map(formatSpecIssue).join('\n'))
  return spec
}

/** What the handbook page shows under "## Alert Policies": heading, description block, severity. */
function expectedAlertSection(id: string): {title: string; description: string; severity: string}[] {
  const page = readFileSync(path.join(FIXTURES, id, 'expected.md'), 'utf8')
  const section = page.slice(page.indexOf('\n## Alert Policies\n'))
  const re = /^#### (.+)\n\n```md\n([\s\S]*?)\n```\n\nSeverity: (\w+)$/gm
  return [...section.matchAll(re)].map((m) => ({title: m[1]!, description: m[2]!, severity: m[3]!}))
}

/** The handbook's merge rule: all environments, later environment wins per resource name, byte order. */
function mergedPolicies(spec: Spec): AlertPolicy[] {
  const byName = new Map<string, AlertPolicy>()
  for (const env of spec.environments ?? []) for (const p of monitoringAlertPolicies(spec, env, MAY_2024)) byName.set(p.resourceName, p)
  return [...byName.values()].sort((a, b) => (a.resourceName < b.resourceName ? -1 : 1))
}

describe('monitoringAlertPolicies against the published handbook pages', () => {
  it('covers all nine fixture services', () => {
    expect(services).toHaveLength(9)
  })

  it.each(services)('%s: the union of display names equals the "Alert Policies" headings', (id) => {
    const spec = loadFixture(id)
    const names = new Set(spec.environments!.flatMap((env) => monitoringAlertPolicies(spec, env, MAY_2024).map((p) => p.displayName)))
    const headings = new Set(expectedAlertSection(id).map((s) => s.title))
    expect(headings.size).toBeGreaterThan(0)
    expect([...names].sort()).toEqual([...headings].sort())
  })

  it.each(services)('%s: merged list reproduces order, descriptions (documentation cut at its last blank line) and severities', (id) => {
    const spec = loadFixture(id)
    const rendered = mergedPolicies(spec).map((p) => ({
      title: p.displayName,
      description: p.documentation.slice(0, p.documentation.lastIndexOf('\n\n')),
      severity: p.severity,
    }))
    expect(rendered).toEqual(expectedAlertSection(id))
  })
})

describe('monitoringAlertPolicies rules', () => {
  const base: Spec = testSpec({
    service: {id: 'svc', owners: ['team']},
    environments: [
      {
        id: 'prod',
        projectID: 'svc-prod-1234',
        category: 'external',
        domain: {type: 'cloudflare', cloudflare: {subdomain: 'svc', zone: 'sourcegraph.com'}},
      },
    ],
  })
  const env = base.environments![0]!

  it('returns policies sorted by resource name with the footer after a blank line', () => {
    const policies = monitoringAlertPolicies(base, env, MAY_2024)
    const names = policies.map((p) => p.resourceName)
    expect(names).toEqual([...names].sort())
    expect(policies[0]!.documentation).toBe(
      'High CPU Usage - it may be neccessary to reduce load or increase CPU allocation\n\n' +
        'See https://handbook.sourcegraph.com/departments/engineering/managed-services/svc#prod for service and infrastructure access details.\n' +
        'If you need additional assistance, reach out to #discuss-core-services.',
    )
  })

  it('uses the domain DNS name in the CRITICAL uptime alert and drops it when authentication is configured', () => {
    const uptime = monitoringAlertPolicies(base, env, MAY_2024).find((p) => p.alertId === 'external_health_check')
    expect(uptime?.severity).toBe('CRITICAL')
    expect(uptime?.description).toContain('https://svc.sourcegraph.com ')
    const withAuth = monitoringAlertPolicies(base, {...env, authentication: {sourcegraph: true}}, MAY_2024)
    expect(withAuth.some((p) => p.alertId === 'external_health_check')).toBe(false)
  })

  // stacks/monitoring/service.go after sourcegraph/sourcegraph#59994 (2024-01-30): `MaxInstanceCount != nil && *MaxInstanceCount >= 5`.
  it('adds the instance-count alert only for an explicit maxCount >= 5, at maxCount - 1', () => {
    const at = (maxCount: number) =>
      monitoringAlertPolicies(base, testEnvironment({...env, instances: {...env.instances, scaling: {maxCount}}}), MAY_2024).find(
        (p) => p.alertId === 'instance_count',
      )
    expect(at(4)).toBeUndefined()
    const five = at(5)?.condition
    expect(five?.type === 'threshold' && five.thresholdValue).toBe(4)
    expect(monitoringAlertPolicies(base, env, MAY_2024).some((p) => p.alertId === 'instance_count')).toBe(false)
    const alert = at(10)
    expect(alert?.condition.type === 'threshold' && alert.condition.thresholdValue).toBe(9)
  })

  // May 2024: stacks/monitoring/job.go before #64502 (2024-08-15) has no 23h30m cap; the final one skips longer windows.
  it('sizes the job absence window from the cron schedule; only the final edition skips it beyond 23h30m', () => {
    const job: Spec = {...base, service: {...base.service, kind: 'job'}}
    const jobEnv = testEnvironment({id: 'prod', projectID: 'svc-prod-1234', category: 'internal'})
    const absence = (cron: string) => monitoringAlertPolicies(job, {...jobEnv, schedule: {cron}}, MAY_2024).find((p) => p.alertId === 'job_execution_absence')
    expect(absence('0 */6 * * *')?.description).toBe('No Cloud Run Job executions were detected in expected window (370m)')
    expect(absence('0 */6 * * *')?.condition.duration).toBe('22200s')
    expect(absence('0 0 * * *')?.condition.duration).toBe(`${(1440 + 10) * 60}s`)
    expect(monitoringAlertPolicies(job, {...jobEnv, schedule: {cron: '0 0 * * *'}}, '2024-08').some((p) => p.alertId === 'job_execution_absence')).toBe(false)
    expect(monitoringAlertPolicies(job, jobEnv, MAY_2024).map((p) => p.resourceName)).toEqual([
      'monitoring-common-cpu',
      'monitoring-common-memory',
      'monitoring-common-startup',
      'monitoring-job-job_failures',
    ])
  })

  it('renders metric filters sorted, then the resource filters', () => {
    const cpu = monitoringAlertPolicies(base, env, MAY_2024).find((p) => p.resourceName === 'monitoring-common-cpu')!
    expect(cpu.condition.type === 'threshold' && cpu.condition.filter).toBe(
      'metric.type = "run.googleapis.com/container/cpu/utilizations" AND resource.type = "cloud_run_revision" AND resource.labels.service_name = ' +
        'starts_with("svc")',
    )
  })
})

describe('maxCronIntervalMinutes', () => {
  it.each([
    ['0 * * * *', 60],
    ['@hourly', 60],
    ['*/15 * * * *', 15],
    ['0 */6 * * *', 360],
    ['30 2 * * 1-5', 3 * 24 * 60],
    ['0 0 * * 0', 7 * 24 * 60],
  ])('%s → %d minutes', (cron, minutes) => {
    expect(maxCronIntervalMinutes(cron)).toBe(minutes)
  })

  it.each(['* * * * *', '0 0 1 * *', 'not a cron', '61 * * * *'])('rejects %s', (cron) => {
    expect(() => maxCronIntervalMinutes(cron)).toThrow(/invalid cron schedule/)
  })
})

describe('response-code ratio alert duration (one rule: spec/derived.ts responseCodeRatioMinutes)', () => {
  /** The spec through the real loader, so the duration string is validated as in the CLI. */
  function ratioSpec(alert: string): Spec {
    const yaml = `service: {id: svc, owners: [team], description: d}
environments:
  - {id: dev, projectID: svc-dev-1234, category: test, deploy: {type: manual}, instances: {resources: {cpu: 1, memory: 512Mi}}}
monitoring:
  alerts:
    responseCodeRatios:
      - {id: errors, name: Errors, codeClass: 5xx, ratio: 0.1, ${alert}}
`
    const {spec, issues} = parseSpec(yaml, {file: 'services/svc/service.yaml'})
    if (!spec) throw new Error(issues.map(formatSpecIssue).join('\n'))
    return spec
  }
  const durationOf = (spec: Spec, edition = MAY_2024) => {
    const policy = monitoringAlertPolicies(spec, spec.environments![0]!, edition).find((p) => p.resourceName.endsWith('errors'))!
    return policy.condition.type === 'mql' ? policy.condition.duration : undefined
  }

  it.each([
    ['duration: 120s', '120s'],
    ['duration: 5m', '300s'],
    ['duration: 1h', '3600s'],
    ['duration: 1h30m', '5400s'],
    ['duration: 0.5h', '1800s'],
    ['durationMinutes: 5', '300s'],
    ['durationMinutes: 1440', '86400s'],
  ])('%s → %s in the May-2024 edition', (alert, expected) => {
    expect(durationOf(ratioSpec(alert))).toBe(expected)
  })

  it('the final edition reads durationMinutes only (its schema has no duration string)', () => {
    expect(durationOf(ratioSpec('duration: 5m'), AUG_2024)).toBe('60s')
    expect(durationOf(ratioSpec('durationMinutes: 5'), AUG_2024)).toBe('300s')
  })
})
