/**
 * The `cloudrun` stack (the original's stacks/cloudrun/cloudrun.go): the Cloud Run service or job
 * and what it runs with. Each resource group has its own module: network, redis, postgresql,
 * bigquery, service (+ domain), job, rollout; this module assembles the container configuration in
 * the original's order and declares the providers, the diagnostics secret and Sentry.
 */
import {UserError} from '../../io/errors.js'
import {sentryProjectSlug} from '../../links/sentry.js'
import {tf, tfJoin, varRef, type TfConfig, type TfObject, type TfText} from '../../terraform/model.js'
import {StackBuilder, type CrossStackLinks} from '../builder.js'
import {handoff, IAM_OPERATOR_ACCESS_ACCOUNT, IAM_WORKLOAD_ACCOUNT, projectIdOf} from '../handoffs.js'
import {dnsName, environmentDisplayName, imageTag as specImageTag, serviceKind} from '../../spec/derived.js'
import type {Environment, Spec} from '../../spec/schema.js'
import {IMAGE_TAG_VARIABLE_DESCRIPTION, changed, inForce, type Edition} from '../../edition/editions.js'
import {cloudRunName} from '../naming.js'
import {bigquery} from './bigquery.js'
import {ContainerConfig} from './container.js'
import {cloudRunJob} from './job.js'
import {privateNetwork, type Network} from './network.js'
import {postgresql} from './postgresql.js'
import {CUSTOM_CERT_DIR, redis} from './redis.js'
import {finalRolloutStages, rolloutPipeline} from './rollout.js'
import {cloudRunService} from './service.js'

const CERT_DIR = '/etc/ssl/certs'
/** The Sentry organization and team every environment's project belongs to. */
export const SENTRY_ORGANIZATION = 'sourcegraph'

/** The image tag an environment deploys (spec/derived.ts), or the variable that carries a subscription's resolved tag. */
export function imageTag(spec: Spec, env: Environment): TfText {
  const tag = specImageTag(spec, env)
  return typeof tag === 'string' ? tag : varRef('resolved_image_tag')
}

/**
 * Substitutes `{{ .ProjectID }}` / `{{ .ServiceDnsName }}` in an env value, like the original's Go
 * templates; a project id that is a token of the project stack stays a reference inside the text.
 */
export function renderEnvTemplate(value: string, vars: {ProjectID: TfText; ServiceDnsName: string}): TfText {
  const parts: TfText[] = []
  let last = 0
  for (const m of value.matchAll(/\{\{\s*\.(\w+)\s*\}\}/g)) {
    const field = m[1]
    if (field !== 'ProjectID' && field !== 'ServiceDnsName') {
      throw new UserError(`execute template: "${value}"`, {hint: 'env values may use {{ .ProjectID }} and {{ .ServiceDnsName }}'})
    }
    parts.push(value.slice(last, m.index), vars[field])
    last = m.index + m[0].length
  }
  parts.push(value.slice(last))
  return tfJoin(parts, '')
}

function sorted<T>(record: Readonly<Record<string, T>> | null | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

export interface CloudrunStackOptions {
  /** `<table>.bigquerytable.json` contents by table name, as the spec loader read them. */
  bigQuerySchemas?: Readonly<Record<string, string>>
}

/**
 * Builds the `cloudrun` stack of one environment.
 * @param spec - the service spec
 * @param env - the environment
 * @param edition - the edition whose resource set to build (src/lib/edition/editions.ts)
 * @param options - side files of the service (BigQuery table schemas)
 * @param links - where reads of other stacks' values are recorded (see stacks/index.ts)
 */
export function cloudrunStack(spec: Spec, env: Environment, edition: Edition, options: CloudrunStackOptions = {}, links?: CrossStackLinks): TfConfig {
  const id = spec.service.id
  const crName = cloudRunName(spec, env)
  const dns = dnsName(env)
  const b = new StackBuilder('cloudrun', id, env.id, edition, links)
  // The project stack's token and the iam stack's workload account (managedservicesplatform.go).
  const p = projectIdOf(b, env)
  const workloadEmail = handoff(b, IAM_WORKLOAD_ACCOUNT, 'email')
  b.provider('google', {project: p})
  b.provider('cloudflare', {api_token: b.platformSecret('cloudflare-provider-token-version_data', 'CLOUDFLARE_API_TOKEN')})
  b.provider('random')
  b.provider('sentry', {token: b.platformSecret('sentry-provider-token-version_data', 'TFC_MSP_SENTRY_INTEGRATION')})
  b.local('project_id', p, 'Primary Google Project to use for all GCP resources')
  b.mirrorLocalsTo(p)

  const diagnostics = b.resource('random_id', 'diagnostics-secret-random', {byte_length: 8})

  const container = new ContainerConfig()
  container.addEnv('GOOGLE_CLOUD_PROJECT', p)
  container.addEnv('DIAGNOSTICS_SECRET', diagnostics.ref('hex'))
  if (dns) container.addEnv('EXTERNAL_DNS_NAME', dns)
  container.addEnv('ENVIRONMENT_ID', env.id)
  for (const [k, v] of sorted(env.env)) container.addEnv(k, renderEnvTemplate(v, {ProjectID: p, ServiceDnsName: dns ?? ''}))
  for (const [k, v] of sorted(env.secretEnv)) container.addSecretEnv(k, v, 'latest')
  for (const [name, v] of sorted(env.secretVolumes)) {
    const slash = v.mountPath.lastIndexOf('/')
    container.addSecretVolume(name, v.mountPath.slice(slash + 1), v.secret, 'latest')
    container.addVolumeMount(name, v.mountPath.slice(0, slash + 1))
  }

  // Before the change imageTagSubscriptionOnly every environment read its tag from terraform.tfvars.
  const everyTagFromVariable = !inForce(edition, 'imageTagSubscriptionOnly')
  const tagFromVariable = everyTagFromVariable || env.deploy?.type === 'subscription'
  if (tagFromVariable) {
    const description = changed(edition, 'imageTagSubscriptionOnly', IMAGE_TAG_VARIABLE_DESCRIPTION)
    b.variable({name: 'resolved_image_tag', type: 'string', description, sensitive: false})
  }

  // Created once, only when Redis or PostgreSQL needs it.
  let network: Network | undefined
  const net = () => (network ??= privateNetwork(b, p, id, env))

  container.addEnv('MSP', 'true')
  const certDirs = [CERT_DIR]
  const resources = env.resources
  if (resources?.redis) {
    redis(b, p, env, resources.redis, net(), container)
    certDirs.push(CUSTOM_CERT_DIR)
  }
  if (resources?.postgreSQL) {
    // The operator account id is random: its e-mail comes from the iam stack in every edition.
    const operatorEmail = b.remoteOutput(IAM_OPERATOR_ACCESS_ACCOUNT.stack, IAM_OPERATOR_ACCESS_ACCOUNT.producer, 'email')
    postgresql(b, {project: p, env, pg: resources.postgreSQL, network: net(), workloadEmail, operatorEmail, container})
  }
  if (resources?.bigQueryDataset) {
    const workloadMember = handoff(b, IAM_WORKLOAD_ACCOUNT, 'member')
    bigquery(b, p, spec, env, resources.bigQueryDataset, workloadMember, options.bigQuerySchemas, container)
  }

  const sentryOrg = b.data('sentry_organization', 'cloudrun-sentry-organization', {slug: SENTRY_ORGANIZATION})
  // One shared team: owner teams may not exist in Sentry; Opsgenie carries ownership.
  const sentryTeam = b.data('sentry_team', 'cloudrun-sentry-team', {organization: sentryOrg.ref('id'), slug: SENTRY_ORGANIZATION})
  const sentryProject = b.resource('sentry_project', 'cloudrun-sentry-project', {
    organization: sentryOrg.ref('id'),
    name: environmentDisplayName(spec, env),
    slug: sentryProjectSlug(id, env.id),
    teams: [sentryTeam.ref('slug')],
    default_rules: false,
  })
  const sentryKey = b.resource('sentry_key', 'cloudrun-sentry-dsn', {
    organization: sentryOrg.ref('id'),
    project: sentryProject.ref('slug'),
    name: 'Managed Services Platform',
  })
  container.addEnv('SENTRY_DSN', sentryKey.ref('dsn_public'))
  container.addEnv('SSL_CERT_DIR', certDirs.join(':'))

  const generation = env.instances?.resources?.cloudRunGeneration
  const input = {
    name: crName,
    image: tf`${spec.build?.image ?? ''}:${tagFromVariable ? varRef('resolved_image_tag') : imageTag(spec, env)}`,
    limits: {cpu: String(env.instances?.resources?.cpu ?? 1), memory: env.instances?.resources?.memory ?? '512Mi'},
    workloadEmail,
    project: p,
    vpcAccess: network
      ? {vpc_access: {network_interfaces: [{network: network.network.ref('id'), subnetwork: network.subnetwork.ref('id')}], egress: 'PRIVATE_RANGES_ONLY'}}
      : ({} as TfObject),
  }
  const cloudRun =
    serviceKind(spec) === 'service'
      ? cloudRunService(b, spec, env, {...input, diagnosticsHex: diagnostics.ref('hex'), executionEnvironment: executionEnvironment(generation)}, container)
      : cloudRunJob(b, spec, env, input, container, edition)

  const stages = finalRolloutStages(spec, env)
  if (stages) rolloutPipeline(b, p, spec, env, stages, cloudRun)

  if (everyTagFromVariable) b.local('image_tag', varRef('resolved_image_tag'), 'Resolved tag of service image to deploy')
  b.local('cloud_run_resource_name', cloudRun.ref('name'), 'Cloud Run resource name')
  b.local('cloud_run_location', cloudRun.ref('location'), 'Cloud Run resource location')
  return b.build()
}

/** `cloudRunGeneration` as the service builder writes it; the job builder never sets an execution environment. */
function executionEnvironment(generation: number | undefined): TfObject {
  return generation === 1 || generation === 2 ? {execution_environment: `EXECUTION_ENVIRONMENT_GEN${generation}`} : {}
}
