import {readFileSync, readdirSync} from 'node:fs'
import {join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'
import {desiredWorkspaceAttributes} from '../../src/lib/cloud/tfc-sync.js'
import {
  HANDBOOK_PLATFORM_PAGE_URL,
  handbookEnvironmentUrl,
  handbookServicePageUrl,
  notionPageOrPlaceholder,
  notionPageUrl,
} from '../../src/lib/links/handbook.js'
import {buildSentryUrl, sentryProjectSlug} from '../../src/lib/links/sentry.js'
import {slackAlertsChannel} from '../../src/lib/links/slack.js'
import {buildTfcWorkspacesUrl, tfcProjectName, tfcTag, tfcWorkspaceName, tfcWorkspaceTags} from '../../src/lib/links/tfc.js'
import {buildRolloutPipelineUrl} from '../../src/lib/links/gcp.js'
import {customAlertId, rolloutPipelineName} from '../../src/lib/spec/derived.js'
import {environmentFolder, serviceSpecFile, stackFolder, terraformFolder} from '../../src/lib/spec/layout.js'
import {alertDescriptionSuffix} from '../../src/lib/stacks/monitoring/alert-policies.js'
import {repoDir} from '../helpers/paths.js'

// Each derived name has one home; these tests hold each home to the original's format, quoted from
// sourcegraph/sourcegraph-public-snapshot (paths relative to dev/managedservicesplatform/), and
// check that the production code paths that print or write the name ask that home.

/** Go's fmt.Sprintf for the `%s` verbs these formats use: the quoted format string is the reference. */
function sprintf(format: string, ...args: string[]): string {
  let i = 0
  return format.replace(/%s/g, () => args[i++] ?? '%!s(MISSING)')
}

describe('Terraform Cloud names (internal/terraformcloud/terraformcloud.go)', () => {
  it('project, workspace and tags follow ProjectName, WorkspaceName and the workspace tags', () => {
    // func ProjectName(svc, env) string { return fmt.Sprintf("msp-%s-%s", svc.ID, env.ID) }
    expect(tfcProjectName('svc', 'prod')).toBe(sprintf('msp-%s-%s', 'svc', 'prod'))
    // func WorkspaceName(svc, env, stackName) string { return fmt.Sprintf("msp-%s-%s-%s", svc.ID, env.ID, stackName) }
    expect(tfcWorkspaceName('svc', 'prod', 'cloudrun')).toBe(sprintf('msp-%s-%s-%s', 'svc', 'prod', 'cloudrun'))
    // const MSPWorkspaceTag = "msp"
    // func ServiceWorkspaceTag(svc) string { return fmt.Sprintf("msp-service-%s", svc.ID) }
    // func EnvironmentWorkspaceTag(svc, env) string { return fmt.Sprintf("msp-env-%s-%s", svc.ID, env.ID) }
    expect(tfcWorkspaceTags('svc', 'prod')).toEqual(['msp', sprintf('msp-service-%s', 'svc'), sprintf('msp-env-%s-%s', 'svc', 'prod')])
    expect(buildTfcWorkspacesUrl({serviceId: 'svc', envId: 'prod'})).toBe(
      `https://app.terraform.io/app/sourcegraph/workspaces?tag=${tfcTag({serviceId: 'svc', envId: 'prod'})}`,
    )
  })

  it('a workspace works in the stack folder generate writes to', () => {
    // workspaceDir := fmt.Sprintf("services/%s/terraform/%s/stacks/%s/", svc.ID, env.ID, s)
    const dir = sprintf('services/%s/terraform/%s/stacks/%s/', 'svc', 'prod', 'iam')
    expect(`${stackFolder('svc', 'prod', 'iam')}/`).toBe(dir)
    expect(`${environmentFolder('svc', 'prod')}/stacks/iam/`).toBe(dir)
    expect(environmentFolder('svc', 'prod').startsWith(`${terraformFolder('svc')}/`)).toBe(true)
    expect(serviceSpecFile('svc')).toBe('services/svc/service.yaml')
    const attributes = desiredWorkspaceAttributes(
      {
        serviceId: 'svc',
        env: {id: 'prod', category: 'external', projectID: 'svc-prod-abcd'} as never,
        mode: 'vcs',
        terraformVersion: '1.7.5',
        oauthTokenId: 'ot-1',
      },
      'iam',
    )
    expect(attributes['working-directory']).toBe(dir)
    expect(attributes['trigger-prefixes']).toEqual([dir])
  })
})

describe('Slack and Sentry names (operationdocs/operationdocs.go, internal/stack/monitoring/monitoring.go)', () => {
  it('the alerts channel is alerts-<svc>-<env>', () => {
    // monitoring.go: Name: fmt.Sprintf("#alerts-%s-%s", vars.Service.ID, vars.EnvironmentID)
    expect(`#${slackAlertsChannel('svc', 'prod')}`).toBe(sprintf('#alerts-%s-%s', 'svc', 'prod'))
    // operationdocs.go: slackChannelName := fmt.Sprintf("alerts-%s-%s", s.Service.ID, env.ID)
    expect(slackAlertsChannel('svc', 'prod')).toBe(sprintf('alerts-%s-%s', 'svc', 'prod'))
  })

  it('the Sentry project is <svc>-<env>', () => {
    // operationdocs.go: markdown.Linkf("Sentry "+markdown.Codef("%s-%s", s.Service.ID, env.ID),
    //   "https://sourcegraph.sentry.io/projects/%s-%s/", s.Service.ID, env.ID)
    expect(sentryProjectSlug('svc', 'prod')).toBe(sprintf('%s-%s', 'svc', 'prod'))
    expect(buildSentryUrl('svc', 'prod')).toBe(sprintf('https://sourcegraph.sentry.io/projects/%s-%s/', 'svc', 'prod'))
  })
})

describe('handbook and Notion pages', () => {
  it('the handbook URLs are the ones the original printed', () => {
    // internal/resource/alertpolicy/alertpolicy.go:
    // // DescriptionSuffix points to the service page and environment anchor expected to be
    // // generated at https://handbook.sourcegraph.com/departments/engineering/teams/core-services/managed-services/platform/,
    // func DescriptionSuffix(serviceID, environmentID string) string {
    //   return fmt.Sprintf(`See https://handbook.sourcegraph.com/departments/engineering/managed-services/%s#%s for service and infrastructure access details.
    // If you need additional assistance, reach out to #discuss-core-services.`, serviceID, environmentID)
    const suffix =
      'See https://handbook.sourcegraph.com/departments/engineering/managed-services/%s#%s for service and infrastructure access details.\n' +
      'If you need additional assistance, reach out to #discuss-core-services.'
    expect(HANDBOOK_PLATFORM_PAGE_URL).toBe('https://handbook.sourcegraph.com/departments/engineering/teams/core-services/managed-services/platform/')
    expect(handbookEnvironmentUrl('svc', 'prod')).toBe('https://handbook.sourcegraph.com/departments/engineering/managed-services/svc#prod')
    expect(handbookServicePageUrl('svc')).toBe('https://handbook.sourcegraph.com/departments/engineering/managed-services/svc/')
    // The 2024-05 edition's alert footer, as the monitoring stack writes it, is DescriptionSuffix.
    expect(alertDescriptionSuffix({service: {id: 'svc'}} as never, 'prod', '2024-05')).toBe(sprintf(suffix, 'svc', 'prod'))
  })

  it('the Notion page follows spec.GetHandbookPageURL', () => {
    // spec/service.go: func (s ServiceSpec) GetHandbookPageURL() string {
    //   if s.NotionPageID == nil {
    //     return fmt.Sprintf("<%s service spec does not have a notionPageID configured for generated docs>", s.ID)
    //   }
    //   return fmt.Sprintf("https://sourcegraph.notion.site/%s", *s.NotionPageID)
    expect(notionPageUrl({notionPageID: 'abc'})).toBe(sprintf('https://sourcegraph.notion.site/%s', 'abc'))
    expect(notionPageUrl({})).toBeUndefined()
    expect(notionPageOrPlaceholder({id: 'svc', notionPageID: 'abc'})).toBe(sprintf('https://sourcegraph.notion.site/%s', 'abc'))
    expect(notionPageOrPlaceholder({id: 'svc'})).toBe(sprintf('<%s service spec does not have a notionPageID configured for generated docs>', 'svc'))
  })
})

describe('the rollout pipeline (internal/stack/cloudrun/cloudrun.go, operationdocs/operationdocs.go)', () => {
  it('is <svc>-<location>-rollout, in the stack and in the console link', () => {
    // cloudrun.go: deliverypipeline.New(stack, id.Group("pipeline"), deliverypipeline.Config{
    //   Name: fmt.Sprintf("%s-%s-rollout", vars.Service.ID, rolloutLocation),
    expect(rolloutPipelineName('svc', 'us-central1')).toBe(sprintf('%s-%s-rollout', 'svc', 'us-central1'))
    // operationdocs.go: markdown.Linkf(fmt.Sprintf("`%s-%s-rollout`", s.Service.ID, region),
    //   "https://console.cloud.google.com/deploy/delivery-pipelines/%[1]s/%[2]s-%[1]s-rollout?project=%[3]s", region, s.Service.ID, finalStageProject)
    expect(buildRolloutPipelineUrl({serviceId: 'svc', region: 'us-central1', projectId: 'svc-prod-abcd'})).toBe(
      'https://console.cloud.google.com/deploy/delivery-pipelines/us-central1/svc-us-central1-rollout?project=svc-prod-abcd',
    )
  })
})

describe('custom alert ids (spec/monitoring.go)', () => {
  it('are the name lower-cased with every space a dash', () => {
    // func (c *CustomAlert) UnmarshalYAML(...) error {
    //   // Set ID to lower case name with spaces replaced with dashes
    //   c.ID = strings.ToLower(strings.Replace(c.Name, " ", "-", -1))
    expect(customAlertId({name: 'High Error Rate'})).toBe('high-error-rate')
    // strings.Replace with n = -1 replaces every occurrence, also runs of spaces.
    expect(customAlertId({name: 'A  B-C'})).toBe('a--b-c')
  })
})

describe('each host and path form is spelled out once in src/', () => {
  // A second home would start as a copied literal: each fragment may appear only in its home.
  const homes: Record<string, string> = {
    'https://handbook.sourcegraph.com': 'src/lib/links/handbook.ts',
    'sourcegraph.notion.site': 'src/lib/links/handbook.ts',
    'sourcegraph.sentry.io': 'src/lib/links/sentry.ts',
    'sourcegraph.slack.com': 'src/lib/links/slack.ts',
    'alerts-${': 'src/lib/links/slack.ts',
    '#alerts-msp': 'src/lib/links/slack.ts',
    'msp-env-${': 'src/lib/links/tfc.ts',
    'msp-service-${': 'src/lib/links/tfc.ts',
    '/terraform/${': 'src/lib/spec/layout.ts',
    "'terraform', env": 'src/lib/spec/layout.ts',
    '-rollout`': 'src/lib/spec/derived.ts',
  }
  const files: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else if (e.name.endsWith('.ts')) files.push(path)
    }
  }
  walk(join(repoDir, 'src'))

  it.each(Object.entries(homes))('%s appears only in %s', (fragment, home) => {
    const holders = files.filter((f) => readFileSync(f, 'utf8').includes(fragment)).map((f) => relative(repoDir, f).split('\\').join('/'))
    expect(holders.filter((f) => f !== home)).toEqual([])
  })
})
