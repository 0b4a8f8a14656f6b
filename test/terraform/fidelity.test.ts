import {cpSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {gunzipSync} from 'node:zlib'
import {afterAll, describe, expect, it} from 'vitest'
import {loadService} from '../../src/lib/spec/load.js'
import {generateServices} from '../../src/lib/generate/generate.js'
import {renderEnvironment} from '../helpers/generated.js'
import {examplesRepo, featuresRepo, fixturesDir} from '../helpers/paths.js'
import type {Edition} from '../../src/lib/edition/editions.js'

// Attribute-level facts of the original's final version (khulnasoft/khulnasoft df3668f5,
// dev/managedservicesplatform/…), one test per attribute, on the handbook fixtures.

type Json = Record<string, any>

/**
 * What CDKTF writes where a stack uses a token of another stack (managedservicesplatform.go hands
 * them over): a read of the producing stack's `cross-stack-output-<type><name><attr>` output through
 * `data.terraform_remote_state.cross-stack-reference-input-<stack>`. Output names are spelled out.
 */
const remote = (stack: string, output: string) => `\${data.terraform_remote_state.cross-stack-reference-input-${stack}.outputs.${output}}`
const repo = mkdtempSync(path.join(tmpdir(), 'msp-fidelity-'))
for (const id of readdirSync(fixturesDir)) cpSync(path.join(fixturesDir, id), path.join(repo, 'services', id), {recursive: true})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

async function stacks(serviceId: string, envId: string, edition?: Edition): Promise<Record<string, Json>> {
  const service = await loadService(repo, serviceId)
  if (edition && serviceId === 'gatekeeper') {
    // gatekeeper's May-2024 spec (sourcegraph/sourcegraph#63017's diff): `schedule.deadline: 1800` on prod.
    for (const e of service.spec.environments ?? []) if (e.schedule) e.schedule.deadline = 1800
  }
  const [env] = [renderEnvironment(service, envId, edition)]
  const out: Record<string, Json> = {}
  for (const f of env!.files) {
    const m = /^stacks\/(\w+)\/cdk\.tf\.json$/.exec(f.path)
    if (m) out[m[1]!] = JSON.parse(String(f.contents))
  }
  return out
}

describe('cloudrun stack attributes follow the original', () => {
  it('Redis: no connect_mode (internal/resource/redis/redis.go never sets it), CA cert mounted at the pinned secret version', async () => {
    const {cloudrun} = await stacks('msp-testbed', 'test')
    const redis = cloudrun!.resource.google_redis_instance['redis-instance']
    expect(redis).not.toHaveProperty('connect_mode')
    expect(redis.authorized_network).toBe('${google_compute_network.cloudrun-network.self_link}')
    const volumes = cloudrun!.resource.google_cloud_run_v2_service.cloudrun.template.volumes
    expect(volumes.find((v: Json) => v.name === 'redis-ca-cert').secret).toEqual({
      secret: '${google_secret_manager_secret.redis-ca-cert-secret.secret_id}',
      items: [{version: '${google_secret_manager_secret_version.redis-ca-cert-secret_version.version}', path: 'redis-ca-cert.pem', mode: 292}],
    })
  })

  it('Cloud SQL: require_ssl next to ssl_mode (internal/resource/cloudsql/cloudsql.go)', async () => {
    const {cloudrun} = await stacks('msp-testbed', 'test')
    const ip = cloudrun!.resource.google_sql_database_instance['postgresql-instance'].settings.ip_configuration
    expect(ip.require_ssl).toBe(true)
    expect(ip.ssl_mode).toBe('TRUSTED_CLIENT_CERTIFICATE_REQUIRED')
  })

  it('Cloud Run jobs leave retries to the default (stacks/cloudrun/internal/builder/job/job.go sets no max_retries)', async () => {
    const {cloudrun} = await stacks('gatekeeper', 'prod')
    const job = cloudrun!.resource.google_cloud_run_v2_job.cloudrun
    expect(job.template.template).not.toHaveProperty('max_retries')
    expect(job.template.task_count).toBe(1)
  })

  it(
    'Cloud Run job time limits per edition: 2024-05 keeps timeout 300s and puts schedule.deadline only on the scheduler (sourcegraph/sourcegraph#63017, ' +
      '2024-05-31; internal/stack/cloudrun/internal/builder/job/job.go @ 39080d74)',
    async () => {
      const may = (await stacks('gatekeeper', 'prod', '2024-05')).cloudrun!.resource
      expect(may.google_cloud_run_v2_job.cloudrun.template.template.timeout).toBe('300s')
      expect(may.google_cloud_scheduler_job.job_scheduler.attempt_deadline).toBe('1800s')
      const fin = (await stacks('gatekeeper', 'prod')).cloudrun!.resource
      expect(fin.google_cloud_run_v2_job.cloudrun.template.template.timeout).toBe('300s')
      expect(fin.google_cloud_scheduler_job.job_scheduler.attempt_deadline).toBe('300s')
    },
  )

  it('2024-05 scheduler default is 320s when schedule.deadline is unset (job.go @ 39080d74: Deref(schedule.Deadline, 320))', async () => {
    const service = await loadService(repo, 'gatekeeper')
    const [env] = [renderEnvironment(service, 'prod', '2024-05')]
    const cloudrun = JSON.parse(String(env!.files.find((f) => f.path === 'stacks/cloudrun/cdk.tf.json')!.contents))
    expect(cloudrun.resource.google_cloud_scheduler_job.job_scheduler.attempt_deadline).toBe('320s')
  })

  it('the forwarding rule is named after the Cloud Run service, through its name (internal/resource/loadbalancer/loadbalancer.go)', async () => {
    const {cloudrun} = await stacks('sams', 'prod')
    const rule = cloudrun!.resource.google_compute_global_forwarding_rule['loadbalancer-forwarding-rule']
    expect(rule.name).toBe('${google_cloud_run_v2_service.cloudrun.name}')
    expect(cloudrun!.resource.google_cloud_run_v2_service.cloudrun.name).toBe('sams-prod-us-central1')
  })

  it('BigQuery tables carry the dataset labels and wait for the editor grant; no deletion_protection override', async () => {
    const {cloudrun} = await stacks('msp-testbed', 'test')
    const table = cloudrun!.resource.google_bigquery_table['bigquery-example-table']
    expect(table.labels).toEqual({service: 'msp-testbed'})
    expect(table.depends_on).toEqual(['google_bigquery_dataset_iam_member.bigquery-workload_dataset_editor'])
    expect(table).not.toHaveProperty('deletion_protection')
  })

  it('Cloud Armor only for Cloudflare-proxied production environments (loadbalancer.go cloudArmorAllowOnlyCloudflareEdge)', async () => {
    // msp-testbed test: internal (production), proxied by default.
    const {cloudrun} = await stacks('msp-testbed', 'test')
    const policy = cloudrun!.resource.google_compute_security_policy['loadbalancer-cf-policy-security-policy']
    expect(policy.name).toBe('${google_cloud_run_v2_service.cloudrun.name}-security-policy')
    expect(policy.rule).toEqual([
      {description: 'Deny All', action: 'deny(403)', priority: 2147483647, match: {versioned_expr: 'SRC_IPS_V1', config: {src_ip_ranges: ['*']}}},
    ])
    expect(policy.dynamic.rule.for_each).toBe('${chunklist(sort(data.cloudflare_ip_ranges.loadbalancer-cf-policy-cf-ip-ranges.ipv4_cidr_blocks), 10)}')
    expect(policy.dynamic.rule.content).toEqual({
      description: 'Allow Cloudflare edge nodes ${rule.key}',
      action: 'allow',
      priority: '${4000 + rule.key}',
      match: {versioned_expr: 'SRC_IPS_V1', config: {src_ip_ranges: '${rule.value}'}},
    })
    expect(cloudrun!.data.cloudflare_ip_ranges).toHaveProperty(['loadbalancer-cf-policy-cf-ip-ranges'])
    expect(cloudrun!.resource.google_compute_backend_service['loadbalancer-backend_service'].security_policy).toBe(
      '${google_compute_security_policy.loadbalancer-cf-policy-security-policy.name}',
    )
    // robert: category test; telemetry-gateway prod: not proxied.
    for (const [svc, env] of [
      ['msp-testbed', 'robert'],
      ['telemetry-gateway', 'prod'],
    ] as const) {
      const other = (await stacks(svc, env)).cloudrun!
      expect(other.resource.google_compute_security_policy, `${svc}/${env}`).toBeUndefined()
      expect(other.data.cloudflare_ip_ranges, `${svc}/${env}`).toBeUndefined()
      expect(other.resource.google_compute_backend_service['loadbalancer-backend_service']).not.toHaveProperty('security_policy')
    }
  })

  it('PostgreSQL: three aliased postgresql providers, the replication user, the role grants (cloudrun.go, postgresqlroles.go)', async () => {
    const {cloudrun} = await stacks('msp-testbed', 'test')
    const conn = '${google_sql_database_instance.postgresql-instance.connection_name}'
    const common = {scheme: 'gcppostgres', host: conn, port: 5432, superuser: false}
    expect(cloudrun!.provider.postgresql).toEqual([
      {
        ...common,
        alias: 'postgresql_admin_provider',
        username: '${google_sql_user.postgresql-admin_user.name}',
        password: '${google_sql_user.postgresql-admin_user.password}',
      },
      {
        ...common,
        alias: 'postgresql_workloaduser_provider',
        username: '${google_sql_user.postgresql-workload_service_account_user.name}',
        // &vars.IAM.CloudRunWorkloadServiceAccount.Email: the iam stack's token
        gcp_iam_impersonate_service_account: remote('iam', 'cross-stack-output-google_service_accountiam-workload-accountemail'),
      },
      {
        ...common,
        alias: 'postgresql_replicationuser_provider',
        username: '${postgresql_role.cloudrun-postgresql_replicationuser.name}',
        password: '${postgresql_role.cloudrun-postgresql_replicationuser.password}',
      },
    ])
    const admin = 'postgresql.postgresql_admin_provider'
    expect(cloudrun!.resource.postgresql_role['cloudrun-postgresql_replicationuser']).toEqual({
      provider: admin,
      name: 'msp-replicationuser',
      password: '${random_password.cloudrun-postgresql_replicationuser_password.result}',
      login: true,
      replication: true,
    })
    expect(cloudrun!.resource.postgresql_grant_role['cloudrun-postgresqlroles-workload_service_account_role_cloudsqlsuperuser']).toEqual({
      provider: admin,
      role: '${google_sql_user.postgresql-workload_service_account_user.name}',
      grant_role: 'cloudsqlsuperuser',
      with_admin_option: true,
    })
    const grants = cloudrun!.resource.postgresql_grant
    const operator = '${google_sql_user.postgresql-operator_access_service_account_user.name}'
    expect(grants['cloudrun-postgresqlroles-primary-operator_access_service_account_connect_grant']).toMatchObject({
      provider: admin,
      database: 'primary',
      role: operator,
      object_type: 'database',
      privileges: ['CONNECT'],
    })
    expect(grants['cloudrun-postgresqlroles-primary-operator_access_service_account_table_grant']).toMatchObject({
      provider: admin,
      database: 'primary',
      role: operator,
      schema: 'public',
      object_type: 'table',
      objects: [],
      privileges: ['SELECT'],
    })
    // The operator-access SQL user: its account id is random, so its e-mail comes from the iam stack.
    const user = cloudrun!.resource.google_sql_user['postgresql-operator_access_service_account_user']
    expect(user.type).toBe('CLOUD_IAM_SERVICE_ACCOUNT')
    expect(user.name).toBe(
      '${trimsuffix(data.terraform_remote_state.cross-stack-reference-input-iam.outputs.' +
        'cross-stack-output-google_service_accountiam-operatoraccess-accountemail, ".gserviceaccount.com")}',
    )
    // Cloud Run waits for the superuser grant.
    expect(cloudrun!.resource.google_cloud_run_v2_service.cloudrun.depends_on).toContain(
      'postgresql_grant_role.cloudrun-postgresqlroles-workload_service_account_role_cloudsqlsuperuser',
    )
  })
})

describe('PostgreSQL logical replication (test/fixtures/features ledger-replica)', () => {
  async function cloudrunOf(envId: string, edition?: Edition): Promise<Json> {
    const service = await loadService(featuresRepo, 'ledger-replica')
    const [env] = [renderEnvironment(service, envId, edition)]
    return JSON.parse(String(env!.files.find((f) => f.path === 'stacks/cloudrun/cdk.tf.json')!.contents))
  }
  const flags = (doc: Json) => doc.resource.google_sql_database_instance['postgresql-instance'].settings.database_flags
  const admin = 'postgresql.postgresql_admin_provider'
  const pub = 'cloudrun-postgresqllogicalreplication-publications-ledger_events'

  it(
    'per publication: a replication user, the publication (workload provider, tables in public) and a pgoutput slot (replication provider) ' +
      '(postgresqllogicalreplication.go)',
    async () => {
      const r = (await cloudrunOf('prod')).resource
      expect(flags({resource: r})).toContainEqual({name: 'cloudsql.logical_decoding', value: 'on'})
      expect(r.random_password[`${pub}-user_password`]).toEqual({length: 32, special: false})
      // cloudrun.go passes an explicit empty DependsOn list to the whole group; CDKTF writes it as [].
      expect(r.postgresql_role[`${pub}-user`]).toEqual({
        provider: admin,
        name: 'msp-publication-ledger_events-user',
        password: `\${random_password.${pub}-user_password.result}`,
        login: true,
        replication: true,
        depends_on: [],
      })
      expect(r.postgresql_publication[`${pub}-publication`]).toEqual({
        provider: 'postgresql.postgresql_workloaduser_provider',
        name: 'ledger_events',
        database: 'ledger',
        tables: ['public.usage_events', 'public.invoices'],
        depends_on: [],
      })
      expect(r.postgresql_replication_slot[`${pub}-replication_slot`]).toEqual({
        provider: 'postgresql.postgresql_replicationuser_provider',
        name: 'ledger_events_pgoutput',
        database: 'ledger',
        plugin: 'pgoutput',
        depends_on: [],
      })
      expect(r.postgresql_replication_slot['cloudrun-postgresqllogicalreplication-publications-audit_log-replication_slot'].database).toBe('audit')
    },
  )

  it('the publication user may read its tables and use the public schema (postgresqlroles.go)', async () => {
    const grants = (await cloudrunOf('prod')).resource.postgresql_grant
    const user = `\${postgresql_role.${pub}-user.name}`
    expect(grants['cloudrun-postgresqlroles-publication-ledger_events-user_table_select_grant']).toEqual({
      provider: admin,
      database: 'ledger',
      role: user,
      schema: 'public',
      object_type: 'table',
      objects: ['usage_events', 'invoices'],
      privileges: ['SELECT'],
    })
    expect(grants['cloudrun-postgresqlroles-publication-ledger_events-user_schema_usage_grant']).toEqual({
      provider: admin,
      database: 'ledger',
      role: user,
      object_type: 'schema',
      schema: 'public',
      privileges: ['USAGE'],
    })
  })

  it('Datastream reaches Cloud SQL through a proxy VM, a private connection and one connection profile per publication (datastreamconnection.go)', async () => {
    const r = (await cloudrunOf('prod')).resource
    const id = 'cloudrun-publication_datastream'
    const region = '${google_sql_database_instance.postgresql-instance.region}'
    const vm = r.google_compute_instance[`${id}-cloudsqlproxy`]
    expect(vm).toMatchObject({
      name: 'msp-datastream-cloudsqlproxy',
      zone: `${region}-a`,
      machine_type: 'e2-micro',
      network_interface: [{network: '${google_compute_network.cloudrun-network.name}', subnetwork: '${google_compute_subnetwork.cloudrun-subnetwork.name}'}],
      // &config.CloudSQLClientServiceAccount.Email: the iam stack's Datastream account (its CrossStackOutput)
      service_account: {
        email: remote('iam', 'cross-stack-output-google_service_accountiam-datastream-to-cloudsql-accountemail'),
        scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      },
      boot_disk: {initialize_params: {image: 'cos-cloud/cos-stable', size: 10}},
      tags: ['msp-datastream-cloudsqlproxy'],
      labels: {'container-vm': 'msp-datastream-cloudsqlproxy', msp: 'true'},
    })
    const declaration: string = vm.metadata['gce-container-declaration']
    expect(
      declaration.startsWith(
        '\nspec:\n  restartPolicy: Always\n  containers:\n  - name: msp-datastream-cloudsqlproxy\n    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy\n',
      ),
    ).toBe(true)
    expect(declaration).toContain(
      "    - '--auto-iam-authn'\n    - '--private-ip'\n    - '--address=0.0.0.0'\n    - " +
        "'${google_sql_database_instance.postgresql-instance.connection_name}'\n\n# This container",
    )
    expect(declaration.endsWith('to run Containers on Google Compute Engine.')).toBe(true)
    expect(r.google_datastream_private_connection[`${id}-cloudsqlproxy-privateconnection`]).toEqual({
      display_name: 'msp-datastream-cloudsqlproxy',
      private_connection_id: 'msp-datastream-cloudsqlproxy',
      location: region,
      vpc_peering_config: {vpc: '${google_compute_network.cloudrun-network.id}', subnet: '10.126.0.0/29'},
      labels: {msp: 'true'},
    })
    const tags = `\${google_compute_instance.${id}-cloudsqlproxy.tags}`
    expect(r.google_compute_firewall[`${id}-cloudsqlproxy-firewall-datastream-ingress`]).toMatchObject({
      name: 'msp-datastream-cloudsqlproxy-datastream-ingress',
      direction: 'INGRESS',
      priority: 1000,
      source_ranges: ['10.126.0.0/29'],
      allow: [{protocol: 'tcp', ports: ['5432']}],
      target_tags: tags,
    })
    expect(r.google_compute_firewall[`${id}-cloudsqlproxy-firewall-iap-ingress`]).toMatchObject({
      name: 'msp-datastream-cloudsqlproxy-iap-ingress',
      source_ranges: ['35.235.240.0/20'],
      allow: [{protocol: 'tcp', ports: ['22']}],
      target_tags: tags,
    })
    const grant = (name: string, g: string) => `postgresql_grant.cloudrun-postgresqlroles-publication-${name}-user_${g}_grant`
    expect(r.google_datastream_connection_profile[`${id}-ledger_events-cloudsqlproxy-connectionprofile`]).toEqual({
      display_name: 'MSP Publication - ledger_events',
      connection_profile_id: 'msp-publication-ledger_events',
      labels: {
        msp: 'true',
        database: 'ledger',
        pg_replication_slot: `\${postgresql_replication_slot.${pub}-replication_slot.name}`,
        pg_publication: `\${postgresql_publication.${pub}-publication.name}`,
      },
      location: region,
      postgresql_profile: {
        hostname: `\${google_compute_instance.${id}-cloudsqlproxy.network_interface[0].network_ip}`,
        port: 5432,
        database: 'ledger',
        username: `\${postgresql_role.${pub}-user.name}`,
        password: `\${postgresql_role.${pub}-user.password}`,
      },
      private_connectivity: {private_connection: `\${google_datastream_private_connection.${id}-cloudsqlproxy-privateconnection.name}`},
      // Every publication's grants, then the Datastream firewall rule.
      depends_on: [
        grant('ledger_events', 'table_select'),
        grant('ledger_events', 'schema_usage'),
        grant('audit_log', 'table_select'),
        grant('audit_log', 'schema_usage'),
        `google_compute_firewall.${id}-cloudsqlproxy-firewall-datastream-ingress`,
      ],
    })
  })

  it('an empty logicalReplication block turns on logical decoding and creates nothing else (cloudsql.go; cloudrun.go `len(publications) > 0`)', async () => {
    const doc = await cloudrunOf('dev')
    expect(flags(doc)).toContainEqual({name: 'cloudsql.logical_decoding', value: 'on'})
    for (const type of [
      'postgresql_publication',
      'postgresql_replication_slot',
      'google_compute_instance',
      'google_datastream_private_connection',
      'google_compute_firewall',
      'google_datastream_connection_profile',
    ]) {
      expect(doc.resource[type], type).toBeUndefined()
    }
    expect(Object.keys(doc.resource.postgresql_role)).toEqual(['cloudrun-postgresql_replicationuser'])
  })

  it(
    '2024-05 predates logical replication (postgreSQL.logicalReplication arrived 2024-06-05, sourcegraph/sourcegraph#63092): no publication or Datastream ' +
      'resources',
    async () => {
      const doc = await cloudrunOf('prod', '2024-05')
      const types = Object.keys(doc.resource)
      for (const type of [
        'postgresql_publication',
        'postgresql_replication_slot',
        'google_compute_instance',
        'google_datastream_private_connection',
        'google_datastream_connection_profile',
      ]) {
        expect(types, type).not.toContain(type)
      }
      expect(Object.keys(doc.resource.postgresql_grant).filter((n) => n.includes('-publication-'))).toEqual([])
    },
  )
})

describe('the rollout pipeline of the last rollout stage', () => {
  it('sams prod (stages dev, prod) declares the pipeline, its targets, buckets, grants and notifications', async () => {
    const {cloudrun, iam} = await stacks('sams', 'prod')
    const r = cloudrun!.resource
    const id = 'cloudrun-rolloutpipeline'
    const pipeline = r.google_clouddeploy_delivery_pipeline[`${id}-pipeline-pipeline`]
    expect(pipeline.name).toBe('sams-us-central1-rollout')
    expect(pipeline.serial_pipeline.stages).toEqual([{target_id: 'dev-us-central1'}, {target_id: 'prod-us-central1'}])
    expect(Object.keys(r.google_clouddeploy_target).sort()).toEqual([
      `${id}-pipeline-target_stage-dev-us-central1`,
      `${id}-pipeline-target_stage-prod-us-central1`,
    ])
    const type = r.google_clouddeploy_custom_target_type[`${id}-pipeline-custom_cloudrun_targettype`]
    expect(type.custom_actions).toEqual({deploy_action: 'cloud-run-image-deploy', render_action: 'cloud-run-image-deploy-render'})
    expect(r.google_storage_bucket_object[`${id}-skaffold-object`]).toMatchObject({
      name: 'source.tar.gz',
      source: 'skaffoldsource.tar.gz',
      content_type: 'application/gzip',
    })
    expect(r.google_storage_bucket[`${id}-pipeline-bucket`].name).toBe(`\${google_clouddeploy_delivery_pipeline.${id}-pipeline-pipeline.uid}_clouddeploy`)
    expect(r.google_pubsub_subscription[`${id}-clouddeploy-operations-sub`]).toMatchObject({
      name: 'clouddeploy-operations',
      message_retention_duration: '3600s',
      expiration_policy: {ttl: ''},
    })
    // The executor and releaser accounts, and the releaser id mirrored to Secret Manager.
    expect(Object.keys(iam!.resource.google_service_account)).toEqual(
      expect.arrayContaining(['iam-clouddeploy-executor-account', 'iam-clouddeploy-releaser-account']),
    )
    expect(iam!.resource.google_secret_manager_secret['output-gsm-cloud_deploy_releaser_service_account_id-secret'].secret_id).toBe(
      'iam_cloud_deploy_releaser_service_account_id',
    )
    // Not in the earlier stage.
    const dev = await stacks('sams', 'dev')
    expect(dev.cloudrun!.resource.google_clouddeploy_delivery_pipeline).toBeUndefined()
  })

  it('skaffoldsource.tar.gz sits next to the final stage cdk.tf.json, byte-identical on every run', async () => {
    const service = await loadService(repo, 'sams')
    const file = (env: string) => renderEnvironment(service, env).files.find((f) => f.path.endsWith('skaffoldsource.tar.gz'))
    expect(file('dev')).toBeUndefined()
    expect(file('prod')!.path).toBe('stacks/cloudrun/skaffoldsource.tar.gz')
    const runs: Buffer[] = []
    for (let i = 0; i < 2; i++) {
      const out = mkdtempSync(path.join(tmpdir(), 'msp-skaffold-'))
      try {
        await generateServices({root: out, services: [service], envIds: ['prod']})
        runs.push(readFileSync(path.join(out, 'services/sams/terraform/prod/stacks/cloudrun/skaffoldsource.tar.gz')))
      } finally {
        rmSync(out, {recursive: true, force: true})
      }
    }
    expect(runs[0]!.equals(runs[1]!)).toBe(true)
    // gzip: no mtime, no name; tar: one skaffold.yaml, owner 0/0, mtime 0, mode 0444.
    expect(runs[0]!.readUInt32LE(4)).toBe(0)
    expect(runs[0]![3]).toBe(0)
    const tar = gunzipSync(runs[0]!)
    const field = (offset: number, width: number) =>
      tar
        .subarray(offset, offset + width)
        .toString('ascii')
        .replace(/\0.*$/s, '')
    expect(field(0, 100)).toBe('skaffold.yaml')
    expect(parseInt(field(100, 8), 8)).toBe(0o444)
    expect([parseInt(field(108, 8), 8), parseInt(field(116, 8), 8), parseInt(field(136, 12), 8)]).toEqual([0, 0, 0])
    const size = parseInt(field(124, 12), 8)
    const yaml = tar.subarray(512, 512 + size).toString('utf8')
    // The actions the custom target type names.
    expect(yaml).toContain('- name: cloud-run-image-deploy-render')
    expect(yaml).toContain('- name: cloud-run-image-deploy\n')
  })
})

describe('monitoring stack', () => {
  it('Sentry: Slack integration, spike-protection action and the "all issues" issue alert (monitoring.go, sentry.go)', async () => {
    const {monitoring} = await stacks('sams', 'prod')
    const group = 'monitoring-slack_alerts-sams-prod'
    // vars.SentryProject.Organization() / .Slug(): the cloudrun stack's sentry_project tokens
    const organization = remote('cloudrun', 'cross-stack-output-sentry_projectcloudrun-sentry-projectorganization')
    const slug = remote('cloudrun', 'cross-stack-output-sentry_projectcloudrun-sentry-projectslug')
    expect(monitoring!.data.sentry_organization_integration[`${group}-sentry_integration`]).toEqual({
      organization,
      provider_key: 'slack',
      name: 'Sourcegraph',
    })
    expect(monitoring!.resource.sentry_notification_action[`${group}-sentry_notification_channel`]).toMatchObject({
      organization,
      projects: [slug],
      service_type: 'slack',
      trigger_type: 'spike-protection',
      target_identifier: `\${slack_conversation.${group}-channel.id}`,
    })
    const alert = monitoring!.resource.sentry_issue_alert[`${group}-sentry_alerts-all-issues-alert`]
    expect(alert).toMatchObject({
      organization,
      project: slug,
      name: 'Notify in Slack',
      action_match: 'any',
      frequency: 60,
      filter_match: 'all',
      conditions: '[]',
    })
    expect(JSON.parse(alert.actions)).toEqual([
      {
        id: 'sentry.integrations.slack.notify_action.SlackNotifyServiceAction',
        workspace: `\${data.sentry_organization_integration.${group}-sentry_integration.id}`,
        channel: `\${slack_conversation.${group}-channel.name}`,
        channel_id: `\${slack_conversation.${group}-channel.id}`,
        tags: 'msp-sams-prod',
      },
    ])
  })

  it('the stack values are outputs, locals and Secret Manager copies (monitoring.go locals)', async () => {
    const {monitoring} = await stacks('sams', 'prod')
    const secrets = monitoring!.resource.google_secret_manager_secret
    for (const name of [
      'notifications_critical',
      'notifications_warning',
      'notifications_owner_0',
      'service_id',
      'environment_id',
      'service_name',
      'alert_description_suffix',
    ]) {
      expect(secrets[`output-gsm-${name}-secret`]?.secret_id, name).toBe(`monitoring_${name}`)
      expect(monitoring!.output[`output-${name}`], name).toBeDefined()
    }
    const versions = monitoring!.resource.google_secret_manager_secret_version
    const slack = (c: string) => `\${google_monitoring_notification_channel.monitoring-slack_${c}-notification_channel.id}`
    const opsgenie = '${google_monitoring_notification_channel.monitoring-opsgenie_owner_0-notification_channel.id}'
    // Lists are joined with "," in Secret Manager; CRITICAL has Opsgenie first, then the Slack channels.
    expect(versions['output-gsm-notifications_critical-secret_version'].secret_data).toBe([opsgenie, slack('alerts-msp'), slack('alerts-sams-prod')].join(','))
    expect(versions['output-gsm-notifications_warning-secret_version'].secret_data).toBe([slack('alerts-msp'), slack('alerts-sams-prod')].join(','))
    expect(monitoring!.locals.notifications_owner_0).toEqual([slack('alerts-msp'), slack('alerts-sams-prod'), opsgenie])
    expect(versions['output-gsm-service_id-secret_version'].secret_data).toBe('sams')
    expect(versions['output-gsm-environment_id-secret_version'].secret_data).toBe('prod')
  })
})

describe('monitoring.nobl9 (stacks/monitoring/nobl9.go createNobl9Project)', () => {
  async function featureMonitoring(envId: string, edition?: Edition): Promise<Json> {
    const service = await loadService(featuresRepo, 'slo-pilot')
    const [env] = [renderEnvironment(service, envId, edition)]
    return JSON.parse(String(env!.files.find((f) => f.path === 'stacks/monitoring/cdk.tf.json')!.contents))
  }

  it.each(['dev', 'prod'])('%s: a monitoring.viewer account and key, the Nobl9 project, GCM direct and Cloud Run service', async (envId) => {
    const {resource} = await featureMonitoring(envId)
    // vars.ProjectID: the project stack's token
    const project = remote('project', `cross-stack-output-google_projectslo-pilot-${envId}-projectproject_id`)
    // internal/resource/serviceaccount/serviceaccount.go: AccountID "nobl9-sa", DisplayName "Nobl9 SA", one role
    expect(resource.google_service_account['monitoring-nobl9-nobl9-sa-account']).toEqual({
      project,
      account_id: 'nobl9-sa',
      display_name: 'Nobl9 SA',
      lifecycle: {prevent_destroy: false},
    })
    expect(resource.google_project_iam_member['monitoring-nobl9-nobl9-sa-monitoring-nobl9-monitoring-member']).toEqual({
      project,
      role: 'roles/monitoring.viewer',
      member: '${google_service_account.monitoring-nobl9-nobl9-sa-account.member}',
    })
    expect(resource.google_service_account_key['monitoring-nobl9-nobl9-key']).toEqual({
      service_account_id: '${google_service_account.monitoring-nobl9-nobl9-sa-account.email}',
    })
    // Name "<service>-<env>", DisplayName "<service name> - <env>", label category=msp
    expect(resource.nobl9_project['monitoring-nobl9-nobl9-project']).toEqual({
      name: `slo-pilot-${envId}`,
      display_name: `SLO Pilot - ${envId}`,
      label: [{key: 'category', values: ['msp']}],
    })
    // SourceOf Metrics, ReleaseChannel beta, the key's private key base64-decoded (cdktf.Fn_Base64decode)
    expect(resource.nobl9_direct_gcm['monitoring-nobl9-nobl9-gcm']).toEqual({
      name: `slo-pilot-${envId}`,
      display_name: `SLO Pilot - ${envId}`,
      project: '${nobl9_project.monitoring-nobl9-nobl9-project.id}',
      source_of: ['Metrics'],
      release_channel: 'beta',
      service_account_key: '${base64decode(google_service_account_key.monitoring-nobl9-nobl9-key.private_key)}',
    })
    // Name "<service>-<env>-cloudrun", label service=cloudrun; no display name, no SLOs anywhere
    expect(resource.nobl9_service['monitoring-nobl9-nobl9-cloudrun-service']).toEqual({
      name: `slo-pilot-${envId}-cloudrun`,
      project: '${nobl9_project.monitoring-nobl9-nobl9-project.id}',
      label: [{key: 'service', values: ['cloudrun']}],
    })
    expect(
      Object.keys(resource)
        .filter((t) => t.startsWith('nobl9_'))
        .sort(),
    ).toEqual(['nobl9_direct_gcm', 'nobl9_project', 'nobl9_service'])
  })

  it('without the key only the provider is there', async () => {
    const doc = (await stacks('sams', 'prod')).monitoring!
    expect(Object.keys(doc.resource).filter((t) => t.startsWith('nobl9_'))).toEqual([])
    expect(doc.resource.google_service_account_key).toBeUndefined()
    expect(doc.provider.nobl9).toHaveLength(1)
  })

  it('2024-05 writes the same (sourcegraph/sourcegraph#60020, 2024-01-31: monitoring.go calls createNobl9Project before 2024-02-12)', async () => {
    const pick = (doc: Json) =>
      Object.fromEntries(
        ['google_service_account', 'google_project_iam_member', 'google_service_account_key', 'nobl9_project', 'nobl9_direct_gcm', 'nobl9_service'].map((t) => [
          t,
          doc.resource[t],
        ]),
      )
    const may = pick(await featureMonitoring('prod', '2024-05'))
    expect(Object.keys(may.nobl9_project ?? {})).toEqual(['monitoring-nobl9-nobl9-project'])
    expect(may).toEqual(pick(await featureMonitoring('prod')))
  })
})

describe('iam stack', () => {
  it('the Datastream-to-Cloud-SQL account exists in every environment (stacks/iam/iam.go)', async () => {
    for (const [svc, env] of [
      ['sams', 'dev'],
      ['gatekeeper', 'prod'],
    ] as const) {
      const {iam} = await stacks(svc, env)
      expect(iam!.resource.google_service_account['iam-datastream-to-cloudsql-account']).toMatchObject({account_id: 'datastream-to-cloudsql'})
      expect(iam!.resource.google_project_iam_member['iam-datastream-to-cloudsql-role_cloudsql_client-member'].role).toBe('roles/cloudsql.client')
    }
  })
})

describe('values handed between stacks (managedservicesplatform.go: CDKTF cross-stack tokens)', () => {
  const projectRef = remote('project', 'cross-stack-output-google_projectsams-prod-projectproject_id')

  it('the project stack outputs its project_id; the iam stack reads it through the project workspace', async () => {
    const {project, iam} = await stacks('sams', 'prod')
    // cdktf registerOutgoingCrossStackReference: sensitive, the bare attribute reference
    expect(project!.output['cross-stack-output-google_projectsams-prod-projectproject_id']).toEqual({
      sensitive: true,
      value: '${google_project.sams-prod-project.project_id}',
    })
    // CloudBackend.getRemoteStateDataSource: backend remote with hostname, organization and the named workspace
    expect(iam!.data.terraform_remote_state['cross-stack-reference-input-project']).toEqual({
      backend: 'remote',
      config: {hostname: 'app.terraform.io', organization: 'sourcegraph', workspaces: {name: 'msp-sams-prod-project'}},
    })
    // googleprovider.With(vars.ProjectID) and the project_id stack local
    expect(iam!.provider.google).toEqual([{project: projectRef}])
    expect(iam!.locals.project_id).toBe(projectRef)
    expect(iam!.resource.google_service_account['iam-workload-account'].project).toBe(projectRef)
  })

  it('cloudrun: the workload account and the rollout accounts come from the iam stack, the project from the project stack', async () => {
    const {cloudrun} = await stacks('sams', 'prod')
    const iamOut = (group: string, attr: string) => remote('iam', `cross-stack-output-google_service_account${group}-account${attr}`)
    const r = cloudrun!.resource
    // builder/service/service.go: ServiceAccount: vars.ServiceAccount.Email
    expect(r.google_cloud_run_v2_service.cloudrun.template.service_account).toBe(iamOut('iam-workload', 'email'))
    // cloudsql.go newSqlUserForIdentity: cdktf.Fn_Trimsuffix(&identity.Email, ".gserviceaccount.com")
    expect(r.google_sql_user['postgresql-workload_service_account_user'].name).toBe(
      `\${trimsuffix(data.terraform_remote_state.cross-stack-reference-input-iam.outputs.` +
        `cross-stack-output-google_service_accountiam-workload-accountemail, ".gserviceaccount.com")}`,
    )
    // cloudrun.go: the skaffold bucket is "%s-cloudrun-skaffold" of vars.ProjectID
    expect(r.google_storage_bucket['cloudrun-rolloutpipeline-skaffold-bucket'].name).toBe(`${projectRef}-cloudrun-skaffold`)
    // stage grants: stage.ProjectID is the spec's string, the member the executor's Member token
    expect(r.google_project_iam_member['cloudrun-rolloutpipeline-stage-prod-cloudrun_developer-member']).toEqual({
      project: 'sams-prod-ywuz',
      role: 'roles/run.developer',
      member: iamOut('iam-clouddeploy-executor', 'member'),
    })
    // addCloudDeployIAM: "projects/%s/serviceAccounts/%s" of the project and executor Email tokens; the releaser's Email in "serviceAccount:%s"
    expect(r.google_service_account_iam_member['cloudrun-rolloutpipeline-0_serviceaccount-executor']).toEqual({
      service_account_id: `projects/${projectRef}/serviceAccounts/${iamOut('iam-clouddeploy-executor', 'email')}`,
      role: 'roles/iam.serviceAccountUser',
      member: `serviceAccount:${iamOut('iam-clouddeploy-releaser', 'email')}`,
    })
    expect(cloudrun!.output).not.toHaveProperty('cross-stack-output-random_iddiagnostics-secret-randomhex')
  })

  it("the Cloud Run service and job and the log metric set no project of their own (the provider's applies)", async () => {
    const sams = await stacks('sams', 'prod')
    // builder/service/service.go: Name, Location, … but no Project; its IAM member has one
    expect(sams.cloudrun!.resource.google_cloud_run_v2_service.cloudrun).not.toHaveProperty('project')
    expect(sams.cloudrun!.resource.google_cloud_run_v2_service_iam_member['cloudrun-allusers-runinvoker'].project).toBe(projectRef)
    // internal/resource/logcountmetric/logcountmetric.go: no Project
    expect(sams.monitoring!.resource.google_logging_metric['monitoring-service-cloud_run_precondition_failed-metric']).not.toHaveProperty('project')
    // builder/job/job.go: no Project on the job
    const {cloudrun} = await stacks('gatekeeper', 'prod')
    expect(cloudrun!.resource.google_cloud_run_v2_job.cloudrun).not.toHaveProperty('project')
  })

  it('cloudrun: BigQuery grants the workload Member token (bigquery.go)', async () => {
    const {cloudrun} = await stacks('sams', 'dev')
    expect(cloudrun!.resource.google_bigquery_dataset_iam_member['bigquery-workload_dataset_editor'].member).toBe(
      remote('iam', 'cross-stack-output-google_service_accountiam-workload-accountmember'),
    )
  })

  it("monitoring: Redis and Cloud SQL filters name the cloudrun stack's instance ids", async () => {
    const {monitoring, cloudrun} = await stacks('msp-testbed', 'test')
    const project = remote('project', 'cross-stack-output-google_projectmsp-testbed-test-projectproject_id')
    const policies = monitoring!.resource.google_monitoring_alert_policy
    // redis.go: ResourceName = *vars.RedisInstanceID (redis.Id())
    expect(policies['monitoring-redis-memory'].conditions[0].condition_threshold.filter).toContain(
      `resource.labels.instance_id = "${remote('cloudrun', 'cross-stack-output-google_redis_instanceredis-instanceid')}"`,
    )
    // cloudsql.go: fmt.Sprintf("%s:%s", vars.ProjectID, *vars.CloudSQLInstanceID)
    expect(policies['monitoring-cloudsql-cloud_sql_cpu'].conditions[0].condition_threshold.filter).toContain(
      `resource.labels.database_id = "${project}:${remote('cloudrun', 'cross-stack-output-google_sql_database_instancepostgresql-instanceid')}"`,
    )
    expect(cloudrun!.output['cross-stack-output-google_sql_database_instancepostgresql-instanceid']).toEqual({
      sensitive: true,
      value: '${google_sql_database_instance.postgresql-instance.id}',
    })
  })

  it("monitoring: the uptime check sends the cloudrun stack's diagnostics secret (service.go, healthz probes)", async () => {
    const service = await loadService(examplesRepo, 'hello-api')
    const [env] = [renderEnvironment(service, 'prod')]
    const doc = (stack: string) => JSON.parse(String(env!.files.find((f) => f.path === `stacks/${stack}/cdk.tf.json`)!.contents))
    const check = doc('monitoring').resource.google_monitoring_uptime_check_config['monitoring-service-external_uptime_check']
    expect(check.http_check.headers).toEqual({Authorization: `Bearer ${remote('cloudrun', 'cross-stack-output-random_iddiagnostics-secret-randomhex')}`})
    expect(check.monitored_resource.labels).toEqual({
      project_id: remote('project', 'cross-stack-output-google_projecthello-api-prod-projectproject_id'),
      host: 'hello-api.sourcegraph.com',
    })
    expect(doc('cloudrun').output['cross-stack-output-random_iddiagnostics-secret-randomhex']).toEqual({
      sensitive: true,
      value: '${random_id.diagnostics-secret-random.hex}',
    })
  })

  it("an env template's {{ .ProjectID }} keeps the project token inside the text (cloudrun.go addContainerEnvVars)", async () => {
    const service = await loadService(examplesRepo, 'hello-api')
    const prod = service.spec.environments!.find((e) => e.id === 'prod')!
    prod.env = {...prod.env, BUCKET: 'gs://{{ .ProjectID }}-data/${HOME}'}
    const [env] = [renderEnvironment(service, 'prod')]
    const doc = JSON.parse(String(env!.files.find((f) => f.path === 'stacks/cloudrun/cdk.tf.json')!.contents))
    const vars = doc.resource.google_cloud_run_v2_service.cloudrun.template.containers[0].env
    // The spec's own "${" stays literal text.
    expect(vars.find((v: Json) => v.name === 'BUCKET').value).toBe(
      `gs://${remote('project', 'cross-stack-output-google_projecthello-api-prod-projectproject_id')}-data/$\${HOME}`,
    )
  })

  // The original wired the stacks with CDKTF tokens before and after May 2024 (editions.ts crossStackTokens).
  it('2024-05 hands the same values between stacks as 2024-08 (project id, accounts, instance ids)', async () => {
    const may = await stacks('msp-testbed', 'test', '2024-05')
    const fin = await stacks('msp-testbed', 'test')
    for (const stack of ['project', 'iam', 'cloudrun', 'monitoring']) {
      const crossOutputs = (doc: Json) => Object.keys(doc.output ?? {}).filter((o) => o.startsWith('cross-stack-'))
      expect(crossOutputs(may[stack]!), stack).toEqual(crossOutputs(fin[stack]!))
      expect(may[stack]!.data?.terraform_remote_state, stack).toEqual(fin[stack]!.data?.terraform_remote_state)
    }
    expect(may.iam!.provider.google).toEqual(fin.iam!.provider.google)
    expect(may.cloudrun!.resource.google_cloud_run_v2_service.cloudrun.template.service_account).toBe(
      fin.cloudrun!.resource.google_cloud_run_v2_service.cloudrun.template.service_account,
    )
  })
})

describe('required_providers', () => {
  // sourcegraph/managed-services-platform-cdktf <name>.cdktf.yaml at e2b1273f1c1a (postgresql at
  // f286e77e83e8), the commits the final go.mod names; CDKTF writes the binding's source and version.
  const PINS: Record<string, {source: string; version: string}> = {
    google: {source: 'registry.terraform.io/hashicorp/google', version: '5.29.0'},
    'google-beta': {source: 'registry.terraform.io/hashicorp/google-beta', version: '5.29.0'},
    random: {source: 'registry.terraform.io/hashicorp/random', version: '3.5.1'},
    cloudflare: {source: 'registry.terraform.io/cloudflare/cloudflare', version: '4.12.0'},
    sentry: {source: 'registry.terraform.io/jianyuan/sentry', version: '0.12.3'},
    opsgenie: {source: 'registry.terraform.io/opsgenie/opsgenie', version: '0.6.35'},
    slack: {source: 'registry.terraform.io/pablovarela/slack', version: '1.2.2'},
    nobl9: {source: 'registry.terraform.io/nobl9/nobl9', version: '0.22.0'},
    postgresql: {source: 'registry.terraform.io/sourcegraph/postgresql', version: '1.23.0-sg.2'},
    tfe: {source: 'registry.terraform.io/hashicorp/tfe', version: '0.51.0'},
  }
  // Providers per stack: the stack options of each stacks/<name>/<name>.go.
  const PER_STACK: Record<string, string[]> = {
    project: ['google'],
    iam: ['google', 'google-beta', 'random'],
    cloudrun: ['cloudflare', 'google', 'postgresql', 'random', 'sentry'],
    monitoring: ['google', 'nobl9', 'opsgenie', 'sentry', 'slack'],
    tfcworkspaces: ['google', 'tfe'],
  }

  it('are the original’s pinned sources and versions, stack by stack', async () => {
    const all = await stacks('msp-testbed', 'test')
    for (const [stack, names] of Object.entries(PER_STACK)) {
      expect(all[stack]!.terraform.required_providers, stack).toEqual(Object.fromEntries(names.map((n) => [n, PINS[n]])))
    }
  })
})

describe('the alerts Slack channel', () => {
  it('links the operational handbook when the service has a Notion page (monitoring.go, GetHandbookPageURL)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'msp-fidelity-example-'))
    try {
      const {examplesRepo} = await import('../helpers/paths.js')
      cpSync(examplesRepo, root, {recursive: true})
      const [env] = [renderEnvironment(await loadService(root, 'hello-api'), 'dev')]
      const monitoring = JSON.parse(String(env!.files.find((f) => f.path === 'stacks/monitoring/cdk.tf.json')!.contents))
      const channel = monitoring.resource.slack_conversation['monitoring-slack_alerts-hello-api-dev-channel']
      const text =
        'Alerts from Hello API (dev) deployed on Managed Services Platform. Operational handbook: ' +
        'https://sourcegraph.notion.site/0123456789abcdef0123456789abcdef'
      expect([channel.topic, channel.purpose]).toEqual([text, text])
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
    // Without a Notion page (the handbook fixtures): no link.
    const {monitoring} = await stacks('sams', 'prod')
    expect(monitoring!.resource.slack_conversation['monitoring-slack_alerts-sams-prod-channel'].topic).toBe(
      'Alerts from Self-Serve Cody (prod) deployed on Managed Services Platform.',
    )
  })
})

// The 2024-05 edition: attributes of the original as of 2024-05-01, each with the change that later
// altered it (sourcegraph/sourcegraph pull requests) or the stored file version it was read from.
describe('edition 2024-05 attributes', () => {
  const MAY = '2024-05' as const

  it('required_providers: the bindings of 25e368a6 that #62251 (2024-04-29) moved to (google 5.26.0, sentry 0.12.1, cyrilgdn/postgresql 1.21.0)', async () => {
    const all = await stacks('msp-testbed', 'test', MAY)
    const pins = {
      google: {source: 'registry.terraform.io/hashicorp/google', version: '5.26.0'},
      'google-beta': {source: 'registry.terraform.io/hashicorp/google-beta', version: '5.26.0'},
      random: {source: 'registry.terraform.io/hashicorp/random', version: '3.5.1'},
      cloudflare: {source: 'registry.terraform.io/cloudflare/cloudflare', version: '4.12.0'},
      sentry: {source: 'registry.terraform.io/jianyuan/sentry', version: '0.12.1'},
      opsgenie: {source: 'registry.terraform.io/opsgenie/opsgenie', version: '0.6.35'},
      slack: {source: 'registry.terraform.io/pablovarela/slack', version: '1.2.2'},
      nobl9: {source: 'registry.terraform.io/nobl9/nobl9', version: '0.22.0'},
      postgresql: {source: 'registry.terraform.io/cyrilgdn/postgresql', version: '1.21.0'},
      tfe: {source: 'registry.terraform.io/hashicorp/tfe', version: '0.51.0'},
    } as Record<string, unknown>
    const perStack: Record<string, string[]> = {
      project: ['google'],
      iam: ['google', 'google-beta', 'random'],
      cloudrun: ['cloudflare', 'google', 'postgresql', 'random', 'sentry'],
      monitoring: ['google', 'nobl9', 'opsgenie', 'sentry', 'slack'],
      tfcworkspaces: ['google', 'tfe'],
    }
    for (const [stack, names] of Object.entries(perStack)) {
      expect(all[stack]!.terraform.required_providers, stack).toEqual(Object.fromEntries(names.map((n) => [n, pins[n]])))
    }
  })

  it('PostgreSQL: one unaliased provider as the admin user; grants name it and wait for nothing (postgresqlroles.go @ 2411401c, before #63092)', async () => {
    const {cloudrun} = await stacks('msp-testbed', 'test', MAY)
    expect(cloudrun!.provider.postgresql).toEqual([
      {
        scheme: 'gcppostgres',
        host: '${google_sql_database_instance.postgresql-instance.connection_name}',
        port: 5432,
        superuser: false,
        username: '${google_sql_user.postgresql-admin_user.name}',
        password: '${google_sql_user.postgresql-admin_user.password}',
      },
    ])
    const grants = cloudrun!.resource.postgresql_grant as Json
    expect(Object.keys(grants).length).toBeGreaterThan(0)
    for (const grant of Object.values(grants)) {
      expect(grant.provider).toBe('postgresql')
      expect(grant).not.toHaveProperty('depends_on')
    }
    expect(cloudrun!.resource.postgresql_grant_role['cloudrun-postgresqlroles-workload_service_account_role_cloudsqlsuperuser'].provider).toBe('postgresql')
    expect(cloudrun!.resource).not.toHaveProperty('postgresql_role')
  })

  it('every environment reads its image tag from terraform.tfvars and exports it as image_tag (cloudrun.go @ 008f43c5, before #62704)', async () => {
    const {cloudrun} = await stacks('cody-analytics', 'prod', MAY)
    expect(cloudrun!.variable.resolved_image_tag).toMatchObject({type: 'string', description: 'Resolved image tag to deploy'})
    expect(cloudrun!.resource.google_cloud_run_v2_service.cloudrun.template.containers[0].image).toMatch(/:\$\{var\.resolved_image_tag\}$/)
    expect(cloudrun!.output['output-image_tag'].value).toBe('${var.resolved_image_tag}')
    expect((await stacks('cody-analytics', 'prod')).cloudrun!).not.toHaveProperty('variable')
  })

  it('Sentry: the issue alert fires on more than 0 events in 15m, every 15 minutes (before #62636)', async () => {
    const {monitoring} = await stacks('sams', 'prod', MAY)
    const alert = monitoring!.resource.sentry_issue_alert['monitoring-slack_alerts-sams-prod-sentry_alerts-all-issues-alert']
    expect(alert.frequency).toBe(15)
    expect(JSON.parse(alert.conditions)).toEqual([{id: 'sentry.rules.conditions.event_frequency.EventFrequencyCondition', value: 0, interval: '15m'}])
    expect(alert.conditions.indexOf('"value"')).toBeLessThan(alert.conditions.indexOf('"interval"'))
  })

  it('the alerts channel: no permanent rollouts bot (#62596)', async () => {
    const {monitoring} = await stacks('sams', 'prod', MAY)
    const channel = monitoring!.resource.slack_conversation['monitoring-slack_alerts-sams-prod-channel']
    expect(channel).not.toHaveProperty('permanent_members')
  })

  it('a scheduled job has no JOB_EXECUTION_* variables (sourcegraph/sourcegraph#62508, opened 2024-05-07, after the edition’s 2024-05-01)', async () => {
    const names = (cloudrun: Json) => (cloudrun.resource.google_cloud_run_v2_job.cloudrun.template.template.containers[0].env as Json[]).map((e) => e.name)
    expect(names((await stacks('gatekeeper', 'prod', MAY)).cloudrun!)).not.toContain('JOB_EXECUTION_CRON_SCHEDULE')
    const final = names((await stacks('gatekeeper', 'prod')).cloudrun!)
    expect(final).toContain('JOB_EXECUTION_CRON_SCHEDULE')
    expect(final).toContain('JOB_EXECUTION_DEADLINE')
  })

  it('the rollout pipeline has no targets and no Pub/Sub notifications; the project enables neither Pub/Sub nor Datastream', async () => {
    const {cloudrun, project} = await stacks('sams', 'prod', MAY)
    expect(cloudrun!.resource).not.toHaveProperty('google_clouddeploy_target')
    expect(cloudrun!.resource).not.toHaveProperty('google_pubsub_topic')
    expect(cloudrun!.resource.google_clouddeploy_delivery_pipeline['cloudrun-rolloutpipeline-pipeline-pipeline']).toBeDefined()
    const apis = Object.values(project!.resource.google_project_service as Json).map((s: Json) => s.service)
    expect(apis).toContain('accesscontextmanager.googleapis.com')
    expect(apis).not.toContain('pubsub.googleapis.com')
    expect(apis).not.toContain('datastream.googleapis.com')
  })
})
