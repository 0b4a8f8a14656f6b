/**
 * The Cloud Run service of `kind: service` (the original's `stacks/cloudrun/internal/builder/service`):
 * the service itself, who may invoke it, and the Cloudflare domain in front of it.
 */
import type {Environment, Spec} from '../../spec/schema.js'
import {environmentRegion, healthProbeSettings} from '../../spec/derived.js'
import {tf, type TfExpr, type TfObject, type TfText, type TfValue} from '../../terraform/model.js'
import type {BlockHandle, StackBuilder} from '../builder.js'
import type {ContainerConfig} from './container.js'
import {cloudflareDomain} from './domain.js'

/** The port Cloud Run passes as `$PORT`. */
export const CONTAINER_PORT = 9992
const HEALTHZ_PATH = '/-/healthz'

export interface ServiceInput {
  name: string
  image: TfText
  limits: TfObject
  workloadEmail: TfText
  /** The project id as the cloudrun stack receives it (stacks/handoffs.ts). */
  project: TfText
  diagnosticsHex: TfExpr
  executionEnvironment: TfObject
  vpcAccess: TfObject
}

export function cloudRunService(b: StackBuilder, spec: Spec, env: Environment, input: ServiceInput, container: ContainerConfig): BlockHandle {
  const p = input.project
  const region = environmentRegion(env)
  const probes = healthProbeSettings(env)
  const probeGet = {path: HEALTHZ_PATH, http_headers: [{name: 'Authorization', value: tf`Bearer ${input.diagnosticsHex}`}]}
  const c: Record<string, TfValue> = {
    name: spec.service.id,
    image: input.image,
    resources: {limits: input.limits},
    ports: {container_port: CONTAINER_PORT, ...(spec.service.protocol ? {name: spec.service.protocol} : {})},
    env: container.env,
    volume_mounts: container.mounts,
  }
  if (probes.enabled) {
    c.startup_probe = {
      initial_delay_seconds: 0,
      timeout_seconds: probes.timeoutSeconds,
      period_seconds: probes.startupIntervalSeconds,
      failure_threshold: 3,
      http_get: probeGet,
    }
    c.liveness_probe = {
      timeout_seconds: probes.timeoutSeconds,
      period_seconds: probes.livenessIntervalSeconds,
      failure_threshold: 3,
      http_get: probeGet,
    }
  }
  const scaling = env.instances?.scaling
  // builder/service/service.go sets no project on the service (the provider's applies); its IAM members do.
  const service = b.resource('google_cloud_run_v2_service', 'cloudrun', {
    name: input.name,
    location: region,
    ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
    traffic: [{percent: 100, type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST'}],
    template: {
      service_account: input.workloadEmail,
      timeout: '300s',
      max_instance_request_concurrency: scaling?.maxRequestConcurrency ?? 1000,
      scaling: {min_instance_count: scaling?.minCount ?? 0, max_instance_count: scaling?.maxCount ?? 5},
      ...input.executionEnvironment,
      ...input.vpcAccess,
      containers: [c],
      volumes: container.volumes,
    },
    ...(container.dependsOn.length ? {depends_on: container.dependsOn} : {}),
    // Rollout environments get new images from Cloud Deploy releases, not from Terraform.
    ...(env.deploy?.type === 'rollout' ? {lifecycle: {ignore_changes: ['template[0].containers[0].image', 'client', 'client_version']}} : {}),
  })
  if (!env.authentication) {
    b.resource('google_cloud_run_v2_service_iam_member', 'cloudrun-allusers-runinvoker', {
      project: p,
      location: service.ref('location'),
      name: service.ref('name'),
      role: 'roles/run.invoker',
      member: 'allUsers',
    })
  } else if (env.authentication.sourcegraph) {
    b.resource('google_cloud_run_v2_service_iam_member', 'cloudrun-domain-runinvoker', {
      project: p,
      location: service.ref('location'),
      name: service.ref('name'),
      role: 'roles/run.invoker',
      member: 'domain:sourcegraph.com',
    })
  }
  if (env.domain?.type === 'cloudflare') cloudflareDomain(b, p, env, service)
  return service
}
