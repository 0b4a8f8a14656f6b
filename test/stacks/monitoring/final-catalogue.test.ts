/**
 * Under the default edition (2024-08) the alert policies follow the final catalogue. The expected
 * lists below are written out by hand from the final source (sourcegraph/sourcegraph-public-snapshot,
 * final state as published in the khulnasoft/khulnasoft fork), not from our code; each group names
 * the file its alerts come from. Per fixture environment: resource name → display name.
 */
import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {formatSpecIssue} from '../../../src/lib/io/errors.js'
import {parseSpec} from '../../../src/lib/spec/load.js'
import type {Spec} from '../../../src/lib/spec/schema.js'
import {alertDescriptionSuffix, monitoringAlertPolicies} from '../../../src/lib/stacks/monitoring/alert-policies.js'
import {DEFAULT_EDITION} from '../../../src/lib/edition/editions.js'
import {monitoringStack} from '../../../src/lib/stacks/monitoring/index.js'
import {renderTerraform} from '../../../src/lib/terraform/render.js'
import {fixturesDir} from '../../helpers/paths.js'
import {AUG_2024, MAY_2024} from '../../helpers/editions.js'
import {testEnvironment, testSpec} from '../../helpers/spec-builders.js'

type Catalogue = Record<string, string>

// stacks/monitoring/common.go: every service and job.
const COMMON: Catalogue = {
  'monitoring-common-cpu': 'High Container CPU Utilization',
  'monitoring-common-memory': 'High Container Memory Utilization',
  'monitoring-common-startup': 'Container Startup Latency',
}
// stacks/monitoring/service.go: services (the uptime check only with a domain and no authentication;
// instance_count only when `instances.scaling` is present and its maxCount, default 5, is >= 5).
const SERVICE: Catalogue = {
  'monitoring-service-cloud_run_pending_requests': 'Cloud Run Pending Requests',
  'monitoring-service-cloud_run_precondition_failed_alert-cloud_run_precondition_failed': 'Cloud Run Instance Precondition Failed',
  'monitoring-service-external_health_check': 'External Uptime Check',
}
const INSTANCE_COUNT: Catalogue = {'monitoring-service-instance_count': 'Container Instance Count'}
// stacks/monitoring/job.go: jobs (execution absence only with a cron whose window is < 23h30m).
const JOB_WITH_CRON: Catalogue = {
  'monitoring-job-job_failures': 'Cloud Run Job Failures',
  'monitoring-job-job_execution_absence': 'Cloud Run Job Execution Absence',
}
// stacks/monitoring/redis.go
const REDIS: Catalogue = {
  'monitoring-redis-memory': 'Cloud Redis - System Memory Utilization',
  'monitoring-redis-cpu': 'Cloud Redis - System CPU Utilization',
  'monitoring-redis-failover': 'Cloud Redis - Standard Instance Failover',
}
// stacks/monitoring/cloudsql.go
const CLOUDSQL: Catalogue = {
  'monitoring-cloudsql-cloud_sql_memory': 'Cloud SQL - Memory Utilization',
  'monitoring-cloudsql-cloud_sql_cpu': 'Cloud SQL - CPU Utilization',
  'monitoring-cloudsql-cloud_sql_server_up': 'Cloud SQL - Server Availability',
  'monitoring-cloudsql-cloud_sql_disk_utilization': 'Cloud SQL - Disk Utilization',
  'monitoring-cloudsql-cloud_sql_connections': 'Cloud SQL - Connections',
  'monitoring-cloudsql-per_query_lock_time_sustained': 'Cloud SQL - Sustained Per-Query Lock Times',
  'monitoring-cloudsql-per_query_lock_time_spike': 'Cloud SQL - Spike in Per-Query Lock Time',
}
// stacks/monitoring/response_codes.go: the display name is the spec's `name` as written.
const SAMS_RESPONSE_CODES: Catalogue = {
  'monitoring-response-code-http_400': '400',
  'monitoring-response-code-http_401': '401',
  'monitoring-response-code-http_403': '403',
  'monitoring-response-code-http_500': '500',
}

const FINAL: Record<string, Catalogue> = {
  'build-tracker prod': {...COMMON, ...SERVICE, ...REDIS},
  'cloud-ops prod': {...COMMON, ...SERVICE, ...REDIS},
  'cloud-ops dev': {...COMMON, ...SERVICE, ...REDIS},
  'cody-analytics dev': {...COMMON, ...SERVICE},
  'cody-analytics prod': {...COMMON, ...SERVICE},
  'entitler prod': {...COMMON, ...SERVICE},
  'gatekeeper prod': {...COMMON, ...JOB_WITH_CRON},
  'msp-testbed test': {...COMMON, ...SERVICE, ...REDIS, ...CLOUDSQL},
  'msp-testbed robert': {...COMMON, ...SERVICE, ...REDIS, ...CLOUDSQL},
  'sams dev': {...COMMON, ...SERVICE, ...REDIS, ...CLOUDSQL, ...SAMS_RESPONSE_CODES},
  'sams prod': {...COMMON, ...SERVICE, ...INSTANCE_COUNT, ...REDIS, ...CLOUDSQL, ...SAMS_RESPONSE_CODES},
  'support-integration prod': {...COMMON, ...SERVICE},
  'telemetry-gateway dev': {...COMMON, ...SERVICE},
  'telemetry-gateway prod': {...COMMON, ...SERVICE, ...INSTANCE_COUNT},
}

function loadFixture(id: string): Spec {
  const {spec, issues} = parseSpec(readFileSync(path.join(fixturesDir, id, 'service.yaml'), 'utf8'), {file: `services/${id}/service.yaml`})
  if (!spec) throw new Error(issues.map(formatSpecIssue).join('\n'))
  return spec
}

const services = readdirSync(fixturesDir, {withFileTypes: true})
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()
const cases = services.flatMap((id) => {
  const spec = loadFixture(id)
  return spec.environments.map((env) => ({key: `${id} ${env.id}`, spec, env}))
})

describe('the default edition follows the final alert catalogue', () => {
  it('is 2024-08, and every fixture environment has a hand-written expectation', () => {
    expect(DEFAULT_EDITION).toBe('2024-08')
    expect(cases.map((c) => c.key).sort()).toEqual(Object.keys(FINAL).sort())
  })
  it.each(cases)('$key', ({key, spec, env}) => {
    const ours = Object.fromEntries(monitoringAlertPolicies(spec, env, DEFAULT_EDITION).map((p) => [p.resourceName, p.displayName]))
    expect(ours).toEqual(FINAL[key])
  })
})

describe('texts and rules that differ between the editions', () => {
  const base = testSpec({environments: [testEnvironment({domain: {type: 'cloudflare', cloudflare: {proxied: true}}})]})
  const env = base.environments[0]!

  it('uptime: "respond" (final) vs "repond" (May 2024)', () => {
    const text = (e: typeof MAY_2024) => monitoringAlertPolicies(base, env, e).find((p) => p.alertId === 'external_health_check')!.description
    expect(text(AUG_2024)).toMatch(/^Service is failing to respond on https:\/\//)
    expect(text(MAY_2024)).toMatch(/^Service is failing to repond on https:\/\//)
  })

  it('pending requests: the final text keeps its double space', () => {
    const text = (e: typeof MAY_2024) => monitoringAlertPolicies(base, env, e).find((p) => p.alertId === 'cloud_run_pending_requests')!.description
    expect(text(AUG_2024)).toBe('There are requests pending - we may need to increase  Cloud Run instance count, request concurrency, or investigate further.')
    expect(text(MAY_2024)).toBe('There are requests pending - we may need to increase Cloud Run instance count, request concurrency, or investigate further.')
  })

  // May: service.go after #59994 (explicit MaxInstanceCount >= 5); final: spec.GetMaxCount (default 5 with a scaling block).
  it('instance count: a scaling block without maxCount alerts under 2024-08 only; an explicit 5 or 6 alerts under both', () => {
    const has = (scaling: Record<string, number>, e: typeof MAY_2024) =>
      monitoringAlertPolicies(base, testEnvironment({...env, instances: {...env.instances, scaling}}), e).find((p) => p.alertId === 'instance_count')?.condition
    expect(has({minCount: 1}, AUG_2024)).toMatchObject({thresholdValue: 4})
    expect(has({maxCount: 5}, AUG_2024)).toMatchObject({thresholdValue: 4})
    expect(has({maxCount: 4}, AUG_2024)).toBeUndefined()
    expect(has({minCount: 1}, MAY_2024)).toBeUndefined()
    expect(has({maxCount: 4}, MAY_2024)).toBeUndefined()
    expect(has({maxCount: 5}, MAY_2024)).toMatchObject({thresholdValue: 4})
    expect(has({maxCount: 6}, MAY_2024)).toMatchObject({thresholdValue: 5})
    expect(has({maxCount: 6}, AUG_2024)).toMatchObject({thresholdValue: 5})
  })

  it('footer: alertpolicy.DescriptionSuffix (Notion page or placeholder) vs the May-2024 handbook anchor', () => {
    expect(alertDescriptionSuffix({service: {...base.service, notionPageID: 'abc123'}}, 'prod', AUG_2024)).toBe(
      'See https://sourcegraph.notion.site/abc123 -> **prod** for service and infrastructure access details for this environment.\nIf you need additional ' +
        'assistance, reach out to #discuss-core-services.',
    )
    expect(alertDescriptionSuffix(base, 'prod', AUG_2024)).toMatch(
      /^See <.+ service spec does not have a notionPageID configured for generated docs> -> \*\*prod\*\*/,
    )
    expect(alertDescriptionSuffix(base, 'prod', MAY_2024)).toBe(
      `See https://handbook.sourcegraph.com/departments/engineering/managed-services/${base.service.id}#prod for service and infrastructure access ` +
        `details.\nIf you need additional assistance, reach out to #discuss-core-services.`,
    )
  })

  it('response codes: the final MQL layout (responsecode.go) and duration from durationMinutes only', () => {
    const spec = testSpec({
      environments: [testEnvironment({})],
      monitoring: {
        alerts: {
          responseCodeRatios: [{id: 'e5', name: 'Server errors', description: 'd', codeClass: '5xx', excludeCodes: ['503'], ratio: 0.1, duration: '300s'}],
        },
      },
    })
    const [rc] = monitoringAlertPolicies(spec, spec.environments[0]!, AUG_2024).filter((p) => p.group === 'response-code')
    expect(rc!.displayName).toBe('Server errors')
    expect(rc!.resourceKind).toBeUndefined()
    expect(rc!.condition).toEqual({
      type: 'mql',
      duration: '60s',
      trigger: {count: 1},
      query:
        "fetch cloud_run_revision\n| metric 'run.googleapis.com/request_count'\n| group_by 15s, [value_request_count_aggregate: " +
        'aggregate(value.request_count)]\n| every 15s\n| {\n  group_by [metric.response_code, metric.response_code_class],\n  ' +
        "[response_code_count_aggregate: aggregate(value_request_count_aggregate)]\n  | filter (metric.response_code_class = '5xx')\n  | filter " +
        "(metric.response_code != '503')\n; group_by [],\n  [value_request_count_aggregate_aggregate: aggregate(value_request_count_aggregate)]\n}\n| " +
        'join\n| value [response_code_ratio: val(0) / val(1)]\n| condition gt(val(), 0.1)\n',
    })
    const [may] = monitoringAlertPolicies(spec, spec.environments[0]!, MAY_2024).filter((p) => p.group === 'response-code')
    expect(may!.displayName).toBe('High Ratio of Server errors Responses')
    expect(may!.condition.duration).toBe('300s')
  })

  it('custom alerts (custom.go, customalert.go): 2024-08 only; id from the name, severity from the spec, PromQL on one line', () => {
    const spec = testSpec({
      environments: [testEnvironment({})],
      monitoring: {
        alerts: {
          customAlerts: [
            {
              name: 'Queue Backlog High',
              description: 'backlog',
              severityLevel: 'CRITICAL',
              condition: {type: 'promql', query: 'sum(rate(x[5m]))\n  > 10', durationMinutes: 5},
            },
            {name: 'Slow', description: 'slow', severityLevel: 'WARNING', condition: {type: 'mql', query: 'fetch a\n| b'}},
          ],
        },
      },
    })
    const custom = monitoringAlertPolicies(spec, spec.environments[0]!, AUG_2024).filter((p) => p.group === 'custom')
    expect(custom.map((p) => [p.resourceName, p.displayName, p.severity, p.condition])).toEqual([
      ['monitoring-custom-queue-backlog-high', 'Queue Backlog High', 'CRITICAL', {type: 'promql', query: 'sum(rate(x[5m])) > 10', duration: '300s'}],
      ['monitoring-custom-slow', 'Slow', 'WARNING', {type: 'mql', query: 'fetch a\n| b', duration: '60s'}],
    ])
    expect(monitoringAlertPolicies(spec, spec.environments[0]!, MAY_2024).filter((p) => p.group === 'custom')).toEqual([])
  })
})

/**
 * The original's response-code MQL, byte for byte: the three goldens of its TestResponseCodeBuilder,
 * identical in every stored version of that test in sourcegraph/sourcegraph-public-snapshot
 * (internal/resource/monitoringalertpolicy/monitoringalertpolicy_test.go @ 3f49897b, 2023;
 * internal/resource/alertpolicy/alertpolicy_test.go @ 36615b57, before #60506;
 * internal/resource/alertpolicy/responsecode_test.go @ 6ea54fc4, final), so 2024-05-01 had it too.
 */
const ORIGINAL_MQL_GOLDENS: {name: string; alert: {code?: number; codeClass?: string; excludeCodes?: string[]; ratio: number}; want: string}[] = [
  {
    name: 'Single Response Code',
    alert: {code: 404, ratio: 0.1},
    want:
      "fetch cloud_run_revision\n| metric 'run.googleapis.com/request_count'\n| group_by 15s, [value_request_count_aggregate: " +
      'aggregate(value.request_count)]\n| every 15s\n| {\n  group_by [metric.response_code],\n  [response_code_count_aggregate: ' +
      "aggregate(value_request_count_aggregate)]\n  | filter (metric.response_code = '404')\n; group_by [],\n  [value_request_count_aggregate_aggregate: " +
      'aggregate(value_request_count_aggregate)]\n}\n| join\n| value [response_code_ratio: val(0) / val(1)]\n| condition gt(val(), 0.1)\n',
  },
  {
    name: 'Response Code Class',
    alert: {codeClass: '4xx', ratio: 0.4},
    want:
      "fetch cloud_run_revision\n| metric 'run.googleapis.com/request_count'\n| group_by 15s, [value_request_count_aggregate: " +
      'aggregate(value.request_count)]\n| every 15s\n| {\n  group_by [metric.response_code, metric.response_code_class],\n  ' +
      "[response_code_count_aggregate: aggregate(value_request_count_aggregate)]\n  | filter (metric.response_code_class = '4xx')\n; group_by [],\n  " +
      '[value_request_count_aggregate_aggregate: aggregate(value_request_count_aggregate)]\n}\n| join\n| value [response_code_ratio: val(0) / val(1)]\n| ' +
      'condition gt(val(), 0.4)\n',
  },
  {
    name: 'Response Code Class + Exclude',
    alert: {codeClass: '4xx', excludeCodes: ['404', '429'], ratio: 0.8},
    want:
      "fetch cloud_run_revision\n| metric 'run.googleapis.com/request_count'\n| group_by 15s, [value_request_count_aggregate: " +
      'aggregate(value.request_count)]\n| every 15s\n| {\n  group_by [metric.response_code, metric.response_code_class],\n  ' +
      "[response_code_count_aggregate: aggregate(value_request_count_aggregate)]\n  | filter (metric.response_code_class = '4xx')\n  | filter " +
      "(metric.response_code != '404')\n  | filter (metric.response_code != '429')\n; group_by [],\n  [value_request_count_aggregate_aggregate: " +
      'aggregate(value_request_count_aggregate)]\n}\n| join\n| value [response_code_ratio: val(0) / val(1)]\n| condition gt(val(), 0.8)\n',
  },
]

describe('response-code alerts as the original generated them on 2024-05-01', () => {
  const withAlert = (alert: Record<string, unknown>) =>
    testSpec({
      environments: [testEnvironment({})],
      monitoring: {alerts: {responseCodeRatios: [{id: 'rc', name: 'Not Found', description: 'too many', ...alert}]}},
    })

  it.each(ORIGINAL_MQL_GOLDENS.flatMap((g) => [MAY_2024, AUG_2024].map((edition) => ({...g, edition}))))(
    "$name ($edition): the MQL of the original's golden",
    ({alert, want, edition}) => {
      const spec = withAlert(alert)
      const [rc] = monitoringAlertPolicies(spec, spec.environments[0]!, edition).filter((p) => p.group === 'response-code')
      expect(rc!.condition).toMatchObject({type: 'mql', query: want})
    },
  )

  // sourcegraph/sourcegraph#60506 (2024-02-14) "msp/alertpolicy: unify on generalized policy builder": response-code
  // alerts get the common labels, severity and auto-close of every policy, while `ResourceKind` becomes specific to
  // threshold conditions, so a response-code alert never carries `resource_kind` (as in the final alertpolicy.go).
  // The name keeps the "High Ratio of <name> Responses" form the May-2024 pages show.
  it('2024-05: the policy as rendered (names, labels without resource_kind, condition)', () => {
    const spec = withAlert({code: 404, ratio: 0.1, duration: '120s'})
    const tf = JSON.parse(renderTerraform(monitoringStack(spec, spec.environments[0]!, MAY_2024), {terraformVersion: '1.3.10'}))
    const policy = tf.resource.google_monitoring_alert_policy['monitoring-response-code-rc']
    expect(policy.display_name).toBe('High Ratio of Not Found Responses')
    expect(policy.documentation.subject).toBe('svc (dev): High Ratio of Not Found Responses')
    expect(policy.documentation.content).toMatch(/^too many\n\nSee https:\/\/handbook\.sourcegraph\.com\/departments\/engineering\/managed-services\/svc#dev /)
    expect(policy.user_labels).toEqual({source: 'managed-services-platform', msp_alert_id: 'rc', msp_service_id: 'svc', msp_environment_id: 'dev'})
    expect(policy.severity).toBe('WARNING')
    expect(policy.alert_strategy).toEqual({auto_close: '86400s'})
    expect(policy.combiner).toBe('OR')
    expect(policy.conditions).toEqual([
      {
        display_name: 'High Ratio of Not Found Responses',
        condition_monitoring_query_language: {query: ORIGINAL_MQL_GOLDENS[0]!.want, duration: '120s', trigger: {count: 1}},
      },
    ])
  })
})

describe('the alerts dashboard per edition', () => {
  // Sections: "Cloud Run Job Alerts" (job.go: failures, absence), then "Container Alerts" (common.go: cpu, memory, startup).
  const jobTiles = () => [
    {yPos: 8, width: 24, height: 16, widget: chart('monitoring-job-job_failures')},
    {yPos: 8, xPos: 24, width: 24, height: 16, widget: chart('monitoring-job-job_execution_absence')},
    {yPos: 8, width: 48, height: 16, widget: {title: 'Cloud Run Job Alerts', collapsibleGroup: {collapsed: false}}},
    {yPos: 24, width: 24, height: 16, widget: chart('monitoring-common-cpu')},
    {yPos: 24, xPos: 24, width: 24, height: 16, widget: chart('monitoring-common-memory')},
    {yPos: 40, width: 24, height: 16, widget: chart('monitoring-common-startup')},
    {yPos: 24, width: 48, height: 32, widget: {title: 'Container Alerts', collapsibleGroup: {collapsed: false}}},
  ]

  const dashboard = (edition: typeof MAY_2024) => {
    const spec = testSpec({
      service: {kind: 'job'},
      environments: [testEnvironment({schedule: {cron: '0 * * * *'}})],
    })
    const stack = monitoringStack(spec, spec.environments[0]!, edition)
    const res = JSON.parse(renderTerraform(stack, {terraformVersion: '1.3.10'})).resource.google_monitoring_dashboard['monitoring-dashboard-dashboard']
    return {res, json: JSON.parse(res.dashboard_json) as {mosaicLayout: {tiles: Record<string, unknown>[]}}}
  }
  const chart = (id: string) => ({alertChart: {name: `\${google_monitoring_alert_policy.${id}.name}`}})

  it('2024-08 follows stacks/monitoring/dashboard.go: charts in creation order, then their group tile; Notion banner; no project', () => {
    const {res, json} = dashboard(AUG_2024)
    expect(res.project).toBeUndefined()
    const tiles = json.mosaicLayout.tiles
    expect(tiles[0]).toEqual({
      width: 48,
      height: 8,
      widget: {
        text: {
          content: expect.stringMatching(
            new RegExp(
              String.raw`^This dashboard is auto-generated - please do not edit!\n\nFor more details, see: <.+ service spec does not have a ` +
                String.raw`notionPageID configured for generated docs>$`,
            ),
          ),
          format: 'MARKDOWN',
          style: {
            backgroundColor: '#FFFFFF',
            fontSize: 'FS_EXTRA_LARGE',
            horizontalAlignment: 'H_CENTER',
            padding: 'P_EXTRA_SMALL',
            pointerLocation: 'POINTER_LOCATION_UNSPECIFIED',
            textColor: '#000000',
            verticalAlignment: 'V_CENTER',
          },
        },
      },
    })
    expect(tiles.slice(1)).toEqual(jobTiles())
    expect(Object.keys(tiles[2]!)).toEqual(['yPos', 'xPos', 'width', 'height', 'widget'])
  })

  // stacks/monitoring/dashboard.go before sourcegraph/sourcegraph#63089 (2024-06-04), stored version read
  // from sourcegraph/sourcegraph-public-snapshot: title `MSP Alerts - <svc>-<env>`, a go/msp-ops banner,
  // groups in plain sorted order, no project.
  it('2024-05 follows the May dashboard.go: go/msp-ops banner, `<svc>-<env>` title, groups sorted by title, no project', () => {
    const {res, json} = dashboard(MAY_2024)
    expect(res.project).toBeUndefined()
    const doc = json as unknown as {displayName: string; mosaicLayout: {tiles: {widget: {text: {content: string; style: unknown}}}[]}}
    expect(doc.displayName).toBe('MSP Alerts - svc-dev')
    const banner = doc.mosaicLayout.tiles[0]!.widget.text
    expect(banner.content).toBe(
      'Auto-generated - Please do not edit\n\nFor more details see: ' +
        '[go/msp-ops/svc](https://handbook.sourcegraph.com/departments/engineering/managed-services/svc/)',
    )
    const finalBanner = (dashboard(AUG_2024).json as unknown as typeof doc).mosaicLayout.tiles[0]!.widget.text
    expect(banner.style).toEqual(finalBanner.style)
    // The same groups, sorted by title either way, and the same tiles.
    expect(json.mosaicLayout.tiles.slice(1)).toEqual(jobTiles())
  })

  it('2024-05 sorts "Response Code Ratio Alerts" among the others by title; 2024-08 puts it first', () => {
    const spec = testSpec({
      monitoring: {alerts: {responseCodeRatios: [{id: 'x', name: 'X', code: 404, ratio: 0.1}]}},
      environments: [testEnvironment({})],
    })
    const titles = (edition: typeof MAY_2024): string[] => {
      const stack = monitoringStack(spec, spec.environments[0]!, edition)
      const res = JSON.parse(renderTerraform(stack, {terraformVersion: '1.3.10'})).resource.google_monitoring_dashboard['monitoring-dashboard-dashboard']
      const tiles = (JSON.parse(res.dashboard_json) as {mosaicLayout: {tiles: {widget: {title?: string; collapsibleGroup?: unknown}}[]}}).mosaicLayout.tiles
      return tiles.filter((t) => t.widget.collapsibleGroup).map((t) => t.widget.title ?? '')
    }
    expect(titles(MAY_2024)).toEqual(['Cloud Run Service Alerts', 'Container Alerts', 'Response Code Ratio Alerts'])
    expect(titles(AUG_2024)[0]).toBe('Response Code Ratio Alerts')
  })
})
