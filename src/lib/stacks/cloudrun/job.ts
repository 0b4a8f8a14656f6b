/**
 * The Cloud Run job of `kind: job` (the original's `stacks/cloudrun/internal/builder/job`) and, with a
 * `schedule`, the invoker account and Cloud Scheduler job that run it. Retries are left to Cloud
 * Run's default: the original never sets `max_retries`.
 */
import {inForce, type Edition} from '../../edition/editions.js'
import type {Environment, Spec} from '../../spec/schema.js'
import {environmentRegion, jobDeadlines, serviceName} from '../../spec/derived.js'
import {tf, type TfObject, type TfText} from '../../terraform/model.js'
import type {BlockHandle, StackBuilder} from '../builder.js'
import type {ContainerConfig} from './container.js'
import {serviceAccount} from '../service-account.js'
import {CONTAINER_PORT} from './service.js'

export interface JobInput {
  name: string
  image: TfText
  limits: TfObject
  workloadEmail: TfText
  /** The project id as the cloudrun stack receives it (stacks/handoffs.ts). */
  project: TfText
  vpcAccess: TfObject
}

export function cloudRunJob(b: StackBuilder, spec: Spec, env: Environment, input: JobInput, container: ContainerConfig, edition: Edition): BlockHandle {
  const p = input.project
  const region = environmentRegion(env)
  const limits = jobDeadlines(env, edition)
  const deadline = `${limits.timeoutSeconds}s`
  const cron = env.schedule?.cron
  // builder/job/job.go sets no project on the job (the provider's applies); its IAM member does.
  const job = b.resource('google_cloud_run_v2_job', 'cloudrun', {
    name: input.name,
    location: region,
    template: {
      task_count: 1,
      template: {
        service_account: input.workloadEmail,
        timeout: deadline,
        ...input.vpcAccess,
        containers: [
          {
            name: spec.service.id,
            image: input.image,
            resources: {limits: input.limits},
            ports: [{container_port: CONTAINER_PORT, ...(spec.service.protocol ? {name: spec.service.protocol} : {})}],
            env: [
              ...container.env,
              // The runtime's view of its schedule, since the change jobExecutionEnv.
              ...(env.schedule && inForce(edition, 'jobExecutionEnv')
                ? [
                    {name: 'JOB_EXECUTION_CRON_SCHEDULE', value: cron ?? ''},
                    {name: 'JOB_EXECUTION_DEADLINE', value: deadline},
                  ]
                : []),
            ],
            volume_mounts: container.mounts,
          },
        ],
        volumes: container.volumes,
      },
    },
    ...(container.dependsOn.length ? {depends_on: container.dependsOn} : {}),
  })
  if (env.schedule) {
    const invoker = serviceAccount(b, p, 'job_invoker', `${spec.service.id}-job-sa`, `${serviceName(spec)} Job-Invoker Service Account`, [])
    const grant = b.resource('google_cloud_run_v2_job_iam_member', 'cloudrun_scheduler_job_invoker', {
      project: p,
      location: job.ref('location'),
      name: job.ref('name'),
      role: 'roles/run.invoker',
      member: invoker.ref('member'),
    })
    b.resource('google_cloud_scheduler_job', 'job_scheduler', {
      region,
      name: job.ref('name'),
      schedule: cron ?? '',
      time_zone: 'Etc/UTC',
      attempt_deadline: `${limits.attemptDeadlineSeconds}s`,
      http_target: {
        http_method: 'POST',
        // job.go hands the job's own location and name, so Terraform orders the scheduler after the job.
        uri: tf`https://${job.ref('location')}-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/${p}/jobs/${job.ref('name')}:run`,
        headers: {'User-Agent': 'MSP-Google-Cloud-Scheduler'},
        oauth_token: {service_account_email: invoker.ref('email')},
      },
      depends_on: [grant.address],
    })
  }
  return job
}
