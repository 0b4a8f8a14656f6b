/**
 * The Cloud Deploy rollout pipeline, declared in the last environment of `rollout.stages` (the
 * original's `rolloutpipeline` group in stacks/cloudrun/cloudrun.go and
 * `internal/resource/deliverypipeline`): per-stage grants for the executor account, the custom
 * target type, targets and pipeline, the Skaffold source bucket with `skaffoldsource.tar.gz`, the
 * pipeline's `_clouddeploy` bucket, release permissions and the Pub/Sub notification topic.
 */
import {inForce} from '../../edition/editions.js'
import type {Environment, Spec} from '../../spec/schema.js'
import {tf, type TfText} from '../../terraform/model.js'
import {environmentRegion, rolloutPipelineName, serviceName} from '../../spec/derived.js'
import type {BlockHandle, StackBuilder} from '../builder.js'
import {handoff, IAM_CLOUDDEPLOY_EXECUTOR_ACCOUNT, IAM_CLOUDDEPLOY_RELEASER_ACCOUNT} from '../handoffs.js'
import {SKAFFOLD_SOURCE_FILE} from './skaffold.js'

/** One stage of the pipeline: its environment and project. */
export interface RolloutStage {
  envId: string
  projectID: string
}

/** The stages when `env` is the last stage of the spec's rollout (where the pipeline lives), else undefined. */
export function finalRolloutStages(spec: Spec, env: Environment): RolloutStage[] | undefined {
  const stages = spec.rollout?.stages ?? []
  if (stages.length === 0 || stages.at(-1)!.environment !== env.id) return undefined
  return stages.map((s) => {
    const stageEnv = (spec.environments ?? []).find((e) => e.id === s.environment)
    return {envId: s.environment, projectID: stageEnv?.projectID ?? ''}
  })
}

/**
 * @param p - the project id as the cloudrun stack receives it (stacks/handoffs.ts); stage projects are the spec's plain strings
 */
export function rolloutPipeline(b: StackBuilder, p: TfText, spec: Spec, env: Environment, stages: readonly RolloutStage[], cloudRun: BlockHandle): void {
  const location = environmentRegion(env)
  const id = 'cloudrun-rolloutpipeline'
  // The iam stack's accounts (its CrossStackOutput): `email` and `member` tokens.
  const executorMember = handoff(b, IAM_CLOUDDEPLOY_EXECUTOR_ACCOUNT, 'member')
  for (const stage of stages) {
    b.resource('google_project_iam_member', `${id}-stage-${stage.envId}-cloudrun_developer-member`, {
      project: stage.projectID,
      role: 'roles/run.developer',
      member: executorMember,
    })
    b.resource('google_project_iam_member', `${id}-stage-${stage.envId}-service_account_user-member`, {
      project: stage.projectID,
      role: 'roles/iam.serviceAccountUser',
      member: executorMember,
    })
  }

  // Targets are named <env>-<location>: the custom target's render action expects it.
  const targets = stages.map((s) => ({id: `${s.envId}-${location}`, projectID: s.projectID}))
  const targetType = b.resource('google_clouddeploy_custom_target_type', `${id}-pipeline-custom_cloudrun_targettype`, {
    name: 'cloud-run-service',
    location,
    labels: {msp: 'true'},
    description: 'MSP Cloud Run Service',
    custom_actions: {deploy_action: 'cloud-run-image-deploy', render_action: 'cloud-run-image-deploy-render'},
  })
  const dependsOn = [cloudRun.address, targetType.address]
  const pipeline = b.resource('google_clouddeploy_delivery_pipeline', `${id}-pipeline-pipeline`, {
    location,
    name: rolloutPipelineName(spec.service.id, location),
    description: `Rollout delivery pipeline for ${serviceName(spec)}`,
    suspended: spec.rollout?.suspended === true,
    serial_pipeline: {stages: targets.map((t) => ({target_id: t.id}))},
    annotations: {'source.repository': spec.build?.source?.repo ?? ''},
    depends_on: dependsOn,
  })
  // Before the change cloudDeployTargets the targets were applied by hand with `gcloud deploy apply`.
  for (const target of inForce(b.edition, 'cloudDeployTargets') ? targets : []) {
    b.resource('google_clouddeploy_target', `${id}-pipeline-target_stage-${target.id}`, {
      name: target.id,
      location,
      custom_target: {custom_target_type: targetType.ref('id')},
      deploy_parameters: {
        'customTarget/serviceID': spec.service.id,
        'customTarget/image': spec.build?.image ?? '',
        'customTarget/projectID': target.projectID,
      },
      execution_configs: [{usages: ['RENDER', 'DEPLOY'], service_account: handoff(b, IAM_CLOUDDEPLOY_EXECUTOR_ACCOUNT, 'email')}],
      depends_on: dependsOn,
    })
  }

  // The Skaffold configuration of the custom target, so releases need no local Skaffold assets.
  const skaffoldBucket = b.resource('google_storage_bucket', `${id}-skaffold-bucket`, {name: tf`${p}-cloudrun-skaffold`, location})
  b.resource('google_storage_bucket_object', `${id}-skaffold-object`, {
    name: 'source.tar.gz',
    bucket: skaffoldBucket.ref('name'),
    source: SKAFFOLD_SOURCE_FILE,
    content_type: 'application/gzip',
  })
  // Cloud Deploy creates `<pipeline uid>_clouddeploy` on first use; creating it here lets us grant access.
  const pipelineBucket = b.resource('google_storage_bucket', `${id}-pipeline-bucket`, {name: tf`${pipeline.ref('uid')}_clouddeploy`, location})

  const listBuckets = b.resource('google_project_iam_custom_role', `${id}-listbucketsrole`, {
    project: p,
    role_id: 'clouddeploy_listbuckets',
    title: 'Cloud Deploy: List buckets',
    permissions: ['storage.buckets.list'],
  })
  const releasers: TfText[] = [handoff(b, IAM_CLOUDDEPLOY_RELEASER_ACCOUNT, 'email'), ...(spec.rollout?.serviceAccount ? [spec.rollout.serviceAccount] : [])]
  releasers.forEach((sa, i) => {
    const group = `${id}-${i}_serviceaccount`
    const member = tf`serviceAccount:${sa}`
    b.resource('google_project_iam_member', `${group}-releaser`, {project: p, role: 'roles/clouddeploy.releaser', member})
    b.resource('google_storage_bucket_iam_member', `${group}-clouddeploy`, {bucket: pipelineBucket.ref('name'), role: 'roles/storage.admin', member})
    b.resource('google_storage_bucket_iam_member', `${group}-skaffold`, {bucket: skaffoldBucket.ref('name'), role: 'roles/storage.admin', member})
    b.resource('google_project_iam_member', `${group}-listbuckets`, {project: p, role: listBuckets.ref('id'), member})
    b.resource('google_service_account_iam_member', `${group}-executor`, {
      service_account_id: tf`projects/${p}/serviceAccounts/${handoff(b, IAM_CLOUDDEPLOY_EXECUTOR_ACCOUNT, 'email')}`,
      role: 'roles/iam.serviceAccountUser',
      member,
    })
  })

  // Cloud Deploy operation notifications, pushed to the MSP relay (#62596).
  if (!inForce(b.edition, 'cloudDeployNotifications')) return
  const topic = b.resource('google_pubsub_topic', `${id}-clouddeploy-operations-topic`, {name: 'clouddeploy-operations'})
  const endpoint = b.platformSecret(`${id}-cloudrelay-endpoint-version_data`, 'MSP_DEPLOY_NOTIFICATION_ENDPOINT')
  b.resource('google_pubsub_subscription', `${id}-clouddeploy-operations-sub`, {
    name: 'clouddeploy-operations',
    topic: topic.ref('id'),
    push_config: {push_endpoint: endpoint},
    // Notifications are not critical: drop un-acked ones after an hour, and never expire the subscription.
    message_retention_duration: '3600s',
    expiration_policy: {ttl: ''},
  })
}
