/**
 * The values the original hands from one stack to another as CDKTF tokens (managedservicesplatform.go
 * RenderEnvironment): the project stack's project id to every later stack, the iam stack's service
 * accounts to the cloudrun stack, and the cloudrun stack's diagnostics secret, Redis and Cloud SQL
 * instances and Sentry project to the monitoring stack. Each is named by the producing block, so the
 * output name CDKTF derives (`cross-stack-output-<type><name><attr>`) has one home.
 */
import type {TfText} from '../terraform/model.js'
import type {Environment} from '../spec/schema.js'
import type {Producer, StackBuilder} from './builder.js'
import {projectRootId, type StackName} from './naming.js'

/** A block of one stack whose attributes other stacks read. */
export interface Handoff {
  readonly stack: StackName
  readonly producer: Producer
}

/** The project stack's `google_project` (stacks/project/project.go: `<project id minus its suffix>-project`). */
export function projectResourceName(projectId: string): string {
  return `${projectRootId(projectId)}-project`
}

function iamAccount(group: string): Handoff {
  // internal/resource/serviceaccount/serviceaccount.go: `<id>-account`; its Output carries `email` and `member` tokens.
  return {stack: 'iam', producer: {type: 'google_service_account', name: `${group}-account`}}
}

/** stacks/iam/iam.go CrossStackOutput. */
export const IAM_WORKLOAD_ACCOUNT = iamAccount('iam-workload')
export const IAM_OPERATOR_ACCESS_ACCOUNT = iamAccount('iam-operatoraccess')
export const IAM_CLOUDDEPLOY_EXECUTOR_ACCOUNT = iamAccount('iam-clouddeploy-executor')
export const IAM_CLOUDDEPLOY_RELEASER_ACCOUNT = iamAccount('iam-clouddeploy-releaser')
export const IAM_DATASTREAM_ACCOUNT = iamAccount('iam-datastream-to-cloudsql')

/** stacks/cloudrun/cloudrun.go CrossStackOutput. */
export const CLOUDRUN_DIAGNOSTICS_SECRET: Handoff = {stack: 'cloudrun', producer: {type: 'random_id', name: 'diagnostics-secret-random'}}
export const CLOUDRUN_REDIS_INSTANCE: Handoff = {stack: 'cloudrun', producer: {type: 'google_redis_instance', name: 'redis-instance'}}
export const CLOUDRUN_CLOUDSQL_INSTANCE: Handoff = {stack: 'cloudrun', producer: {type: 'google_sql_database_instance', name: 'postgresql-instance'}}
export const CLOUDRUN_SENTRY_PROJECT: Handoff = {stack: 'cloudrun', producer: {type: 'sentry_project', name: 'cloudrun-sentry-project'}}

/** Reads `attr` of a handed-over block through the producing stack's remote state, as CDKTF wires a token. */
export function handoff(b: StackBuilder, from: Handoff, attr: string): TfText {
  return b.remoteOutput(from.stack, from.producer, attr)
}

/** The project id as the iam, cloudrun and monitoring stacks receive it (`*projectOutput.Project.ProjectId()`). */
export function projectIdOf(b: StackBuilder, env: Environment): TfText {
  return b.remoteOutput('project', {type: 'google_project', name: projectResourceName(env.projectID)}, 'project_id')
}
