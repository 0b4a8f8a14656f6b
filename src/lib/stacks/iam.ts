/**
 * The `iam` stack: the workload and operator-access service accounts and their role grants.
 */
import {UserError} from '../io/errors.js'
import {tf, type TfConfig, type TfText} from '../terraform/model.js'
import {CrossStackLinks, StackBuilder} from './builder.js'
import {projectIdOf} from './handoffs.js'
import {serviceAccount} from './service-account.js'
import {finalRolloutStages} from './cloudrun/rollout.js'
import {serviceName} from '../spec/derived.js'
import type {Environment, Spec} from '../spec/schema.js'
import {CLOUDDEPLOY_EXECUTOR, CLOUDDEPLOY_RELEASER, DATASTREAM_ACCOUNT, sanitizeId, STACK_OUTPUTS, workloadAccountId} from './naming.js'
import {inForce, type Edition} from '../edition/editions.js'

/** The identity Terraform Cloud runs as; it impersonates the workload account. */
export const TFC_ROBOT = 'serviceAccount:terraform-cloud@sourcegraph-ci.iam.gserviceaccount.com'
export const CUSTOM_ROLE_ID = 'msp_workload_custom_role'

/** Roles every workload gets, after the spec's own roles: [role id, role]. */
const WORKLOAD_ROLES: readonly (readonly [string, string])[] = [
  ['role_secret_accessor', 'roles/secretmanager.secretAccessor'],
  ['role_compute_networkuser', 'roles/compute.networkUser'],
  ['role_cloudtrace_agent', 'roles/cloudtrace.agent'],
  ['role_monitoring_metricwriter', 'roles/monitoring.metricWriter'],
  ['role_cloudprofiler_agent', 'roles/cloudprofiler.agent'],
  ['role_cloudsql_client', 'roles/cloudsql.client'],
  ['role_cloudsql_instanceuser', 'roles/cloudsql.instanceUser'],
]

/** The GCP project of a private image registry (`*.gcr.io` / `*-docker.pkg.dev` with ≥ 3 path parts), if any. */
export function privateImageProject(image: string | null | undefined): string | undefined {
  if (!image) return undefined
  const parts = image.split('/')
  const host = parts[0] ?? ''
  if (parts.length < 3 || !(host.endsWith('.gcr.io') || host.endsWith('-docker.pkg.dev'))) return undefined
  return parts[1]
}

/**
 * A secret in another project (`projects/<project>/secrets/<secret>`): its project and short secret
 * id, as the IAM grant takes them (iam.go getExternalSecretFromSecretName splits into at most four
 * parts and passes the fourth as `secret_id`). Undefined for a secret of the environment's own project.
 */
export function externalSecret(secret: string): {project: string; secretId: string} | undefined {
  const fail = (why: string): never => {
    throw new UserError(`invalid secret name "${secret}": ${why}`)
  }
  if (secret.startsWith('project/')) fail("'project/'-prefixed name provided, did you mean 'projects/'?")
  if (secret.includes('/versions/')) fail("secrets should not be versioned with '/version/'")
  if (!secret.startsWith('projects/')) return undefined
  // Go's strings.SplitN(name, "/", 4): the fourth part keeps any further slashes.
  const parts = secret.split('/')
  if (parts.length < 4) fail("expected 'projects/'-prefixed name to have 4 '/'-delimited parts")
  if (parts[2] !== 'secrets') fail("found '/secret/' segment, did you mean '/secrets/'?")
  return {project: parts[1]!, secretId: parts.slice(3).join('/')}
}

function sortedEntries<T>(record: Readonly<Record<string, T>> | null | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * Builds the `iam` stack of one environment.
 * @param spec - the service spec
 * @param env - the environment
 * @param edition - the edition whose resource set to build (src/lib/edition/editions.ts)
 * @param links - where reads of other stacks' values are recorded (see stacks/index.ts)
 */
export function iamStack(spec: Spec, env: Environment, edition: Edition, links?: CrossStackLinks): TfConfig {
  const id = spec.service.id
  const name = serviceName(spec)
  const b = new StackBuilder('iam', id, env.id, edition, links)
  // The project stack's token (managedservicesplatform.go), like everywhere below.
  const p = projectIdOf(b, env)
  const logicalReplication = inForce(edition, 'logicalReplication')
  b.provider('google', {project: p})
  b.provider('google-beta', {project: p})
  b.provider('random')
  b.local('project_id', p, 'Primary Google Project to use for all GCP resources')
  b.mirrorLocalsTo(p)

  const workload = b.resource('google_service_account', 'iam-workload-account', {
    account_id: workloadAccountId(id),
    display_name: `${name} Service Account`,
    project: p,
    lifecycle: {prevent_destroy: !env.allowDestroys},
  })
  const iam = spec.service.iam
  const roles: [string, TfText][] = (iam?.roles ?? []).map((r) => [sanitizeId(r), r])
  roles.push(...WORKLOAD_ROLES.map(([rid, r]): [string, TfText] => [rid, r]))
  if (iam?.permissions?.length) {
    const custom = b.resource('google_project_iam_custom_role', 'iam-custom-role', {
      project: p,
      role_id: CUSTOM_ROLE_ID,
      title: 'Managed Services Platform workload custom role',
      permissions: [...iam.permissions],
    })
    roles.push([CUSTOM_ROLE_ID, custom.ref('name')])
  }
  for (const [roleId, role] of roles) {
    b.resource('google_project_iam_member', `iam-workload-${roleId}-member`, {project: p, role, member: workload.ref('member')})
  }

  // Terraform Cloud acts as the workload account when it provisions workload-owned resources (the
  // workload-user postgresql provider of #63092).
  // stacks/iam/iam.go: `projects/%s/serviceAccounts/%s` of the project token and the account's e-mail token.
  const workloadPath = tf`projects/${p}/serviceAccounts/${workload.ref('email')}`
  const impersonation = logicalReplication
    ? ([
        ['serviceaccountuser', 'roles/iam.serviceAccountUser'],
        ['serviceaccounttokencreator', 'roles/iam.serviceAccountTokenCreator'],
      ] as const)
    : []
  for (const [suffix, role] of impersonation) {
    b.resource('google_service_account_iam_member', `iam-tfc_impersonate_workload-${suffix}`, {
      service_account_id: workloadPath,
      role,
      member: TFC_ROBOT,
    })
  }

  // A random id keeps the operator account id at a predictable 21 characters whatever the service id.
  const operatorId = b.resource('random_id', 'iam-operatoraccess_account_id-random', {byte_length: 3, prefix: 'operatoraccess-'})
  const operator = b.resource('google_service_account', 'iam-operatoraccess-account', {
    account_id: operatorId.ref('hex'),
    display_name: `${name} Operator Access Service Account`,
    project: p,
    lifecycle: {prevent_destroy: false},
  })
  for (const [roleId, role] of [
    ['role_cloudsql_client', 'roles/cloudsql.client'],
    ['role_cloudsql_instanceuser', 'roles/cloudsql.instanceUser'],
  ] as const) {
    b.resource('google_project_iam_member', `iam-operatoraccess-${roleId}-member`, {project: p, role, member: operator.ref('member')})
  }

  const identity = b.resource('google_project_service_identity', 'iam-cloudrun-identity', {
    provider: 'google-beta',
    project: p,
    service: 'run.googleapis.com',
  })
  const imageProject = privateImageProject(spec.build?.image)
  if (imageProject) {
    for (const [roleId, role] of [
      ['object_viewer', 'roles/storage.objectViewer'],
      ['artifact_reader', 'roles/artifactregistry.reader'],
    ] as const) {
      b.resource('google_project_iam_member', `iam-image_access-${roleId}-member`, {
        project: imageProject,
        role,
        member: tf`serviceAccount:${identity.ref('email')}`,
      })
    }
  }

  const secrets: [string, string][] = [
    ...sortedEntries(env.secretEnv),
    ...sortedEntries(env.secretVolumes).map(([k, v]): [string, string] => [`volume_${k}`, v.secret]),
  ]
  for (const [key, secret] of secrets) {
    const external = externalSecret(secret)
    if (external === undefined) continue
    b.resource('google_secret_manager_secret_iam_member', `iam-external_secret_access-${key.toLowerCase()}-member`, {
      project: external.project,
      secret_id: external.secretId,
      role: 'roles/secretmanager.secretAccessor',
      member: workload.ref('member'),
    })
  }

  // Cloud Deploy accounts live in the last stage of a rollout; the cloudrun stack grants them access.
  if (finalRolloutStages(spec, env)) {
    serviceAccount(b, p, 'iam-clouddeploy-executor', CLOUDDEPLOY_EXECUTOR, `${name} Cloud Deploy Executor Service Account`, [
      ['role_clouddeploy_job_runner', 'roles/clouddeploy.jobRunner'],
    ])
    const releaser = serviceAccount(b, p, 'iam-clouddeploy-releaser', CLOUDDEPLOY_RELEASER, `${name} Cloud Deploy Releases Service Account`, [])
    b.local(
      'cloud_deploy_releaser_service_account_id',
      releaser.ref('email'),
      'Service Account ID for Cloud Deploy release creation - intended for workload identity federation in CI',
    )
  }
  // Lets Datastream reach Cloud SQL for replication; the original creates it in every environment (#63092).
  if (logicalReplication) {
    serviceAccount(b, p, 'iam-datastream-to-cloudsql', DATASTREAM_ACCOUNT, `${name} Datastream-to-Cloud-SQL service account`, [
      ['role_cloudsql_client', 'roles/cloudsql.client'],
    ])
  }

  b.local(STACK_OUTPUTS.iam.cloudRunServiceAccount, workload.ref('email'), 'Service Account email used as Cloud Run resource workload identity')
  b.local(STACK_OUTPUTS.iam.operatorAccessServiceAccount, operator.ref('email'), 'Service Account email used for operator access to other resources')
  return b.build()
}
