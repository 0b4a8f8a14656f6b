import {chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {gunzipSync} from 'node:zlib'
import {afterAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {loadService} from '../../src/lib/spec/load.js'
import {renderEnvironment} from '../helpers/generated.js'
import type {Environment} from '../../src/lib/spec/schema.js'
import {examplesRepo, fixturesDir} from '../helpers/paths.js'

// Attributes written exactly as the original writes them, references included: a value that
// differs only in spelling is an in-place update on every workspace the original applied, and a
// literal where the original hands a reference loses the ordering of a fresh apply. Each test quotes
// the original's source (sourcegraph/sourcegraph-public-snapshot, dev/managedservicesplatform/…,
// final stored versions) it checks against.

type Json = Record<string, any>

const repo = mkdtempSync(path.join(tmpdir(), 'msp-exact-'))
for (const id of readdirSync(fixturesDir)) cpSync(path.join(fixturesDir, id), path.join(repo, 'services', id), {recursive: true})
cpSync(path.join(examplesRepo, 'services'), path.join(repo, 'services'), {recursive: true})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

async function stacks(serviceId: string, envId: string, edit?: (env: Environment) => void): Promise<Record<string, Json>> {
  const service = await loadService(repo, serviceId)
  if (edit) for (const e of service.spec.environments ?? []) if (e.id === envId) edit(e)
  const env = renderEnvironment(service, envId)
  const out: Record<string, Json> = {}
  for (const f of env.files) {
    const m = /^stacks\/(\w+)\/cdk\.tf\.json$/.exec(f.path)
    if (m) out[m[1]!] = JSON.parse(String(f.contents))
  }
  return out
}

describe('the precondition-failed log metric filter', () => {
  // stacks/monitoring/service.go, createCloudRunPreconditionFailedAlert (logcountmetric.New passes
  // LogFilters to the logging metric's Filter unchanged):
  const SOURCE = `		LogFilters: fmt.Sprintf(\`
			resource.type="cloud_run_revision"
			AND protoPayload.status.code="9"
			AND resource.labels.service_name =~ "^%s.*"
		\`, vars.Service.ID),`

  it('is the Go raw string of service.go byte for byte, with the service id in place of %s', async () => {
    const raw = /fmt\.Sprintf\(`([^`]*)`/.exec(SOURCE)![1]!
    const {monitoring} = await stacks('sams', 'prod')
    const metric = monitoring!.resource.google_logging_metric['monitoring-service-cloud_run_precondition_failed-metric']
    expect(metric.filter).toBe(raw.replace('%s', 'sams'))
    expect(metric.filter).toBe(
      '\n\t\t\tresource.type="cloud_run_revision"\n\t\t\tAND protoPayload.status.code="9"\n\t\t\tAND resource.labels.service_name =~ "^sams.*"\n\t\t',
    )
  })
})

describe('the uptime check', () => {
  // stacks/monitoring/service.go, createExternalHealthcheckAlert: the HttpCheck it passes sets no MaskHeaders.
  //   HttpCheck: &monitoringuptimecheckconfig.MonitoringUptimeCheckConfigHttpCheck{
  //     Port: pointers.Float64(443), UseSsl: pointers.Ptr(true), ValidateSsl: pointers.Ptr(true),
  //     Path: &healthcheckPath, Headers: &healthcheckHeaders, AcceptedResponseStatusCodes: …,
  //   },
  it('has no mask_headers, also with the healthz Authorization header', async () => {
    const {monitoring} = await stacks('usage-ledger', 'dev')
    const check = Object.values(monitoring!.resource.google_monitoring_uptime_check_config as Json)[0] as Json
    expect(check.http_check.path).toBe('/-/healthz')
    expect(check.http_check.headers).toHaveProperty('Authorization')
    expect(Object.keys(check.http_check).sort()).toEqual(['accepted_response_status_codes', 'headers', 'path', 'port', 'use_ssl', 'validate_ssl'])
  })
})

describe('execution_environment', () => {
  // stacks/cloudrun/internal/builder/service/service.go sets it from cloudRunGeneration:
  //   case 1: executionEnvironment = pointers.Ptr("EXECUTION_ENVIRONMENT_GEN1")
  //   case 2: executionEnvironment = pointers.Ptr("EXECUTION_ENVIRONMENT_GEN2")
  // stacks/cloudrun/internal/builder/job/job.go's CloudRunV2JobTemplateTemplate has no ExecutionEnvironment.
  const gen2 = (env: Environment) => {
    env.instances = {...env.instances, resources: {...env.instances?.resources, cloudRunGeneration: 2}} as Environment['instances']
  }

  it('a job never sets it, whatever cloudRunGeneration says', async () => {
    const {cloudrun} = await stacks('ledger-compactor', 'prod', gen2)
    expect(cloudrun!.resource.google_cloud_run_v2_job.cloudrun.template.template).not.toHaveProperty('execution_environment')
  })

  it('a service sets it from cloudRunGeneration', async () => {
    const {cloudrun} = await stacks('sams', 'prod', gen2)
    expect(cloudrun!.resource.google_cloud_run_v2_service.cloudrun.template.execution_environment).toBe('EXECUTION_ENVIRONMENT_GEN2')
  })
})

describe('external secrets', () => {
  // stacks/iam/iam.go, getExternalSecretFromSecretName and the grant:
  //   secretNameParts := strings.SplitN(secretName, "/", 4)
  //   return &externalSecret{key: strings.ToLower(key), projectID: secretNameParts[1], secretID: secretNameParts[3]}, nil
  //   …SecretManagerSecretIamMemberConfig{Project: &p.projectID, SecretId: &p.secretID, …}
  it('grant access by the short secret id, in the secret’s project', async () => {
    const {iam} = await stacks('usage-ledger', 'prod')
    const grant = iam!.resource.google_secret_manager_secret_iam_member['iam-external_secret_access-stripe_key-member']
    // The spec says: secretEnv: {STRIPE_KEY: projects/shared-secrets/secrets/STRIPE_KEY}
    expect(grant.project).toBe('shared-secrets')
    expect(grant.secret_id).toBe('STRIPE_KEY')
  })
})

describe('references the original hands instead of literals', () => {
  // stacks/cloudrun/internal/builder/job/job.go:
  //   cloudrunv2jobiammember…{Name: job.Name(), Location: job.Location(), …}
  //   cloudschedulerjob…{Name: job.Name(), …, Uri: pointers.Ptr(fmt.Sprintf(
  //     "https://%s-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/%s/jobs/%s:run",
  //     *job.Location(), vars.GCPProjectID, *job.Name())), …}
  it('the scheduled job’s invoker grant and scheduler read the job’s location and name', async () => {
    const {cloudrun} = await stacks('ledger-compactor', 'prod')
    const r = cloudrun!.resource
    const member = r.google_cloud_run_v2_job_iam_member.cloudrun_scheduler_job_invoker
    expect(member.location).toBe('${google_cloud_run_v2_job.cloudrun.location}')
    expect(member.name).toBe('${google_cloud_run_v2_job.cloudrun.name}')
    const scheduler = r.google_cloud_scheduler_job.job_scheduler
    expect(scheduler.name).toBe('${google_cloud_run_v2_job.cloudrun.name}')
    expect(scheduler.http_target.uri).toMatch(
      new RegExp(
        String.raw`^https:\/\/\$\{google_cloud_run_v2_job\.cloudrun\.location\}-run\.googleapis\.com\/apis\/run\.googleapis\.com` +
          String.raw`\/v1\/namespaces\/.+\/jobs\/\$\{google_cloud_run_v2_job\.cloudrun\.name\}:run$`,
      ),
    )
  })

  // internal/resource/loadbalancer/loadbalancer.go: every part of the chain is named after the service,
  //   Name: config.TargetService.Name(),                                   (endpoint group, backend, URL map, forwarding rule)
  //   Name: pointers.Stringf("%s-https", *config.TargetService.Name()),    (HTTPS proxy, SSL policy)
  //   Name: pointers.Stringf("%s-security-policy", *config.TargetService.Name()),
  //   Name: pointers.Ptr(id.DisplayName()),                                 (external address: "loadbalancer")
  it('the load balancer chain is named through the Cloud Run service’s name', async () => {
    const {cloudrun} = await stacks('msp-testbed', 'test')
    const r = cloudrun!.resource
    const svc = '${google_cloud_run_v2_service.cloudrun.name}'
    expect(r.google_compute_region_network_endpoint_group['loadbalancer-endpoint_group'].name).toBe(svc)
    expect(r.google_compute_backend_service['loadbalancer-backend_service'].name).toBe(svc)
    expect(r.google_compute_url_map['loadbalancer-url_map'].name).toBe(svc)
    expect(r.google_compute_global_forwarding_rule['loadbalancer-forwarding-rule'].name).toBe(svc)
    expect(r.google_compute_target_https_proxy['loadbalancer-https-proxy'].name).toBe(`${svc}-https`)
    expect(r.google_compute_ssl_policy['loadbalancer-ssl-policy'].name).toBe(`${svc}-https`)
    expect(r.google_compute_security_policy['loadbalancer-cf-policy-security-policy'].name).toBe(`${svc}-security-policy`)
    expect(r.google_compute_global_address['loadbalancer-external-address'].name).toBe('loadbalancer')
  })

  // internal/resource/bigquery/bigquery.go returns DatasetID: *dataset.DatasetId(), and
  // stacks/cloudrun/cloudrun.go: cloudRunBuilder.AddEnv("BIGQUERY_DATASET_ID", bigqueryDataset.DatasetID)
  it('BIGQUERY_DATASET_ID is the dataset’s own dataset_id', async () => {
    const {cloudrun} = await stacks('msp-testbed', 'test')
    const env = cloudrun!.resource.google_cloud_run_v2_service.cloudrun.template.containers[0].env as Json[]
    expect(env.find((e) => e.name === 'BIGQUERY_DATASET_ID')!.value).toBe('${google_bigquery_dataset.bigquery-dataset.dataset_id}')
  })
})

describe('the Skaffold render action', () => {
  // dev/managedservicesplatform/clouddeploy/skaffold.yaml @ 1e69ef93, the render action's script:
  const ORIGINAL_RENDER = `
set -e
set -o pipefail

SERVICE_ID=$CLOUD_DEPLOY_customTarget_serviceID # customTarget/serviceID
REVISION=$CLOUD_DEPLOY_customTarget_tag # customTarget/tag
IMAGE=$CLOUD_DEPLOY_customTarget_image # customTarget/image

PROJECT_ID=$CLOUD_DEPLOY_customTarget_projectID # customTarget/projectID
REGION=$CLOUD_DEPLOY_LOCATION

CLOUDRUN_SERVICE="$SERVICE_ID-$CLOUD_DEPLOY_TARGET"

echo "gcloud run deploy $CLOUDRUN_SERVICE --project=$PROJECT_ID --image=$IMAGE:$REVISION --region=$REGION" > deploy.sh
gsutil cp deploy.sh $CLOUD_DEPLOY_OUTPUT_GCS_PATH/deploy.sh

# Provide results back to Cloud Deploy
echo {\\"resultStatus\\": \\"SUCCEEDED\\", \\"manifestFile\\": \\"$CLOUD_DEPLOY_OUTPUT_GCS_PATH/deploy.sh\\"} > results.json
gsutil cp results.json $CLOUD_DEPLOY_OUTPUT_GCS_PATH/results.json
`

  async function mspSkaffold(): Promise<Json> {
    const service = await loadService(repo, 'sams')
    const file = renderEnvironment(service, 'prod').files.find((f) => f.path.endsWith('skaffoldsource.tar.gz'))!
    const tar = gunzipSync(Buffer.from(file.contents))
    const size = parseInt(tar.subarray(124, 136).toString('ascii'), 8)
    return parse(tar.subarray(512, 512 + size).toString('utf8')) as Json
  }

  /** Runs a render script with the custom target's parameters, `gsutil cp` copying locally; returns what it uploaded. */
  function render(script: string, params: Record<string, string>): {status: number | null; deploy?: string; results?: string} {
    const dir = mkdtempSync(path.join(tmpdir(), 'msp-render-'))
    try {
      const bin = path.join(dir, 'bin')
      const out = path.join(dir, 'out')
      mkdirSync(bin)
      mkdirSync(out)
      writeFileSync(path.join(bin, 'gsutil'), '#!/bin/sh\n[ "$1" = cp ] && cp "$2" "$3"\n')
      chmodSync(path.join(bin, 'gsutil'), 0o755)
      const work = path.join(dir, 'work')
      mkdirSync(work)
      const env = {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        CLOUD_DEPLOY_OUTPUT_GCS_PATH: out,
        CLOUD_DEPLOY_LOCATION: 'us-central1',
        CLOUD_DEPLOY_TARGET: 'prod-us-central1',
        ...params,
      }
      // --norc: bash reads ~/.bashrc when its stdin is a socket (as Node's pipes are), as if sshd had started it; the user's rc files are not the test's.
      const run = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {cwd: work, env, encoding: 'utf8'})
      const read = (f: string) => {
        try {
          return readFileSync(path.join(out, f), 'utf8').replaceAll(out, '<out>')
        } catch {
          return undefined
        }
      }
      return {status: run.status, deploy: read('deploy.sh'), results: read('results.json')}
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }

  const PARAMS = {
    CLOUD_DEPLOY_customTarget_serviceID: 'sams',
    CLOUD_DEPLOY_customTarget_image: 'us.gcr.io/sourcegraph-dev/sams',
    CLOUD_DEPLOY_customTarget_projectID: 'sams-prod',
  }

  it('uploads what the original uploads, with and without the tag parameter', async () => {
    const skaffold = await mspSkaffold()
    const action = (skaffold.customActions as Json[]).find((a) => a.name === 'cloud-run-image-deploy-render')!
    const script = action.containers[0].args[1] as string
    for (const params of [{...PARAMS, CLOUD_DEPLOY_customTarget_tag: '5.4.0'}, PARAMS]) {
      const original = render(ORIGINAL_RENDER, params)
      expect(original.status).toBe(0)
      expect(render(script, params)).toEqual(original)
    }
    // Without a tag the original renders an empty one rather than failing.
    expect(render(script, PARAMS).deploy).toBe(
      `gcloud run deploy sams-prod-us-central1 --project=sams-prod --image=us.gcr.io/sourcegraph-dev/sams: --region=us-central1\n`,
    )
  })
})
