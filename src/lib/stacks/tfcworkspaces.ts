/**
 * The `tfcworkspaces` stack: Slack notifications on every stack's workspace and a chain of runs
 * that applies project → iam → cloudrun → monitoring in order when an environment is created.
 * Workspaces themselves are created by `msp tfc sync`, never by Terraform (chicken-and-egg).
 */
import {TFC_ALERTS_CHANNEL} from '../links/slack.js'
import {TFC_ORGANIZATION, tfcWorkspaceName} from '../links/tfc.js'
import type {TfConfig} from '../terraform/model.js'
import {StackBuilder, TFC_HOSTNAME} from './builder.js'
import {STACK_NAMES} from './naming.js'
import type {Environment, Spec} from '../spec/schema.js'
import type {Edition} from '../edition/editions.js'

/**
 * Builds the `tfcworkspaces` stack of one environment.
 * @param spec - the service spec
 * @param env - the environment
 * @param edition - the edition whose resource set to build (src/lib/edition/editions.ts)
 */
export function tfcworkspacesStack(spec: Spec, env: Environment, edition: Edition): TfConfig {
  const id = spec.service.id
  const b = new StackBuilder('tfcworkspaces', id, env.id, edition)
  // Google without a project: only used to read provider tokens from Secret Manager.
  b.provider('google')
  b.provider('tfe', {
    hostname: TFC_HOSTNAME,
    organization: TFC_ORGANIZATION,
    token: b.platformSecret('tfe-provider-token-version_data', 'TFC_MSP_TEAM_TOKEN'),
  })
  b.provider('tfe', {
    alias: 'tfe-org',
    hostname: TFC_HOSTNAME,
    organization: TFC_ORGANIZATION,
    token: b.platformSecret('tfe-org-provider-token-version_data', 'TFC_ORGANIZATION_TOKEN'),
  })
  // Own workspace first, then the stacks it sequences.
  const earlier = STACK_NAMES.filter((s) => s !== 'tfcworkspaces')
  let previousRun: string | undefined
  for (const stack of ['tfcworkspaces' as const, ...earlier]) {
    const workspace = b.data('tfe_workspace', `${stack}-workspace`, {
      name: tfcWorkspaceName(id, env.id, stack),
      organization: TFC_ORGANIZATION,
    })
    b.resource('tfe_notification_configuration', `${stack}-notifications`, {
      provider: 'tfe.tfe-org',
      name: TFC_ALERTS_CHANNEL,
      enabled: true,
      workspace_id: workspace.ref('id'),
      destination_type: 'slack',
      url: b.platformSecret(`${stack}-slack_webhook-version_data`, 'TFC_MSP_SLACK_WEBHOOK'),
      triggers: ['run:errored'],
    })
    if (stack === 'tfcworkspaces') continue
    const run = b.resource('tfe_workspace_run', `${stack}-workspace_run`, {
      workspace_id: workspace.ref('id'),
      apply: {manual_confirm: false, wait_for_run: true},
      destroy: {manual_confirm: false, wait_for_run: true},
      depends_on: previousRun ? [previousRun] : undefined,
    })
    previousRun = run.address
  }
  return b.build()
}
