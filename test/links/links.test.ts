import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildEntitleProjectAccessUrl, buildEntitleTfcOperatorUrl} from '../../src/lib/links/entitle.js'
import {buildAlertPoliciesUrl, buildCloudRunUrl, buildDashboardsUrl, buildLogsUrl, buildTracesUrl} from '../../src/lib/links/gcp.js'
import {buildSourceCodeUrl, cleanPath} from '../../src/lib/links/github.js'
import {buildSentryUrl} from '../../src/lib/links/sentry.js'
import {buildSlackChannelUrl} from '../../src/lib/links/slack.js'
import {normalizeLink} from '../../src/lib/links/normalize.js'
import {buildHandbookTfcEnvUrl, buildTfcWorkspacesUrl, buildTfcWorkspaceUrl} from '../../src/lib/links/tfc.js'
import {fixturesDir, seedPage} from '../helpers/paths.js'

const seed = readFileSync(seedPage, 'utf8')
const gatekeeper = readFileSync(join(fixturesDir, 'gatekeeper/expected.md'), 'utf8')

/** The link target of a table row such as `| Service logs | [GCP logging](URL) |`. */
function rowLink(page: string, label: string, occurrence: number): string {
  const rows = page.split('\n').filter((l) => l.startsWith(`| ${label} `) && /^\| [^|]+?\s+\|/.exec(l)?.[0].replace(/\s+\|$/, '') === `| ${label}`)
  const m = /\]\((https:[^)]+)\)/.exec(rows[occurrence] ?? '')
  if (!m) throw new Error(`no "${label}" row #${occurrence}`)
  return m[1]!
}

describe('console links match the published cody-analytics page byte for byte', () => {
  // The seed page lists dev first, then prod.
  const envs = [
    {env: 'dev', projectId: 'cody-analytics-dev-bd34', row: 0},
    {env: 'prod', projectId: 'cody-analytics-prod-da5a', row: 1},
  ]
  for (const {env, projectId, row} of envs) {
    it(`${env}: logs, Cloud Run, traces, alerts, dashboards, Sentry, Slack`, () => {
      expect(buildLogsUrl({projectId, kind: 'service'})).toBe(rowLink(seed, 'Service logs', row))
      expect(buildCloudRunUrl({projectId, kind: 'service'})).toBe(rowLink(seed, 'Console', row))
      expect(buildTracesUrl(projectId)).toBe(rowLink(seed, 'Service traces', row))
      expect(buildAlertPoliciesUrl(projectId)).toBe(rowLink(seed, 'Alert policies', row))
      expect(seed).toContain(`[Dashboard](${normalizeLink(buildDashboardsUrl(projectId))})`)
      expect(buildSentryUrl('cody-analytics', env)).toBe(rowLink(seed, 'Service errors', row))
      expect(buildSlackChannelUrl('cody-analytics', env)).toBe(rowLink(seed, 'Slack notifications', row))
      expect(seed).toContain(`(${buildHandbookTfcEnvUrl('cody-analytics', env)})`)
    })
  }

  it('job services use the job query with the execution-name summary field', () => {
    const url = buildLogsUrl({projectId: 'gatekeeper-prod-1c93', kind: 'job'})
    expect(url).toBe(rowLink(gatekeeper, 'Service logs', 0))
    expect(buildCloudRunUrl({projectId: 'gatekeeper-prod-1c93', kind: 'job'})).toBe('https://console.cloud.google.com/run/jobs?project=gatekeeper-prod-1c93')
  })

  it('Entitle links for every category are the published ones (after normalisation)', () => {
    for (const category of ['test', 'internal', 'external'] as const) {
      for (const access of ['read', 'write'] as const) {
        const url = normalizeLink(buildEntitleProjectAccessUrl(category, access))
        const all = readFileSync(join(fixturesDir, 'index.expected.md'), 'utf8') + seed
        const pages = ['sams', 'telemetry-gateway', 'entitler', 'build-tracker', 'msp-testbed']
          .map((s) => readFileSync(join(fixturesDir, s, 'expected.md'), 'utf8'))
          .join('\n')
        expect(all + pages).toContain(url)
      }
    }
    expect(seed).toContain(`(${buildEntitleTfcOperatorUrl('service')})`)
  })
})

describe('Terraform Cloud links', () => {
  it('builds the three tag-filtered workspace lists of `msp tfc view`', () => {
    expect(buildTfcWorkspacesUrl()).toBe('https://app.terraform.io/app/sourcegraph/workspaces?tag=msp')
    expect(buildTfcWorkspacesUrl({serviceId: 'svc'})).toBe('https://app.terraform.io/app/sourcegraph/workspaces?tag=msp-service-svc')
    expect(buildTfcWorkspacesUrl({serviceId: 'svc', envId: 'prod'})).toBe('https://app.terraform.io/app/sourcegraph/workspaces?tag=msp-env-svc-prod')
    expect(buildTfcWorkspaceUrl('svc', 'prod', 'iam')).toBe('https://app.terraform.io/app/sourcegraph/workspaces/msp-svc-prod-iam')
  })
})

describe('link normaliser', () => {
  it('sorts query keys and re-encodes values form-style', () => {
    expect(normalizeLink('https://x.test/p?b=2&a=hello world&c=(x)')).toBe('https://x.test/p?a=hello+world&b=2&c=%28x%29')
  })
  it('leaves links without a query untouched', () => {
    expect(normalizeLink('https://x.test/a;b=c')).toBe('https://x.test/a;b=c')
  })
  it('keeps the path of a logs link and only re-encodes its query', () => {
    const url = buildLogsUrl({projectId: 'p-1', kind: 'service'})
    expect(normalizeLink(url)).toBe(url)
  })
})

describe('source links', () => {
  it('cleans the directory like Go path.Clean', () => {
    expect(cleanPath('.')).toBe('.')
    expect(cleanPath('cmd/')).toBe('cmd')
    expect(cleanPath('a//b/../c/.')).toBe('a/c')
    expect(cleanPath('')).toBe('.')
    expect(buildSourceCodeUrl('github.com/sourcegraph/cody-analytics', '.')).toBe('https://github.com/sourcegraph/cody-analytics/tree/HEAD/.')
  })
})
