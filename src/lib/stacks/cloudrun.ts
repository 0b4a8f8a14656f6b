/**
 * The `cloudrun` stack: the Cloud Run service or job and what it runs with — Sentry project,
 * private network, Redis, Cloud SQL, BigQuery, load balancer + Cloudflare record, job scheduler.
 */
import {UserError} from '../io/errors.js'
import type {TfConfig, TfObject, TfValue} from '../terraform/model.js'
import {tf, varRef, type TfText} from '../terraform/model.js'
import {StackBuilder, type BlockHandle} from './builder.js'
import {CLOUDSQL_INSTANCE_OUTPUT} from './monitoring/alert-policies.js'
import {
  DEFAULT_IMAGE_TAG,
  dnsName,
  environmentDisplayName,
  environmentLocation,
  environmentRegion,
  serviceKind,
  serviceName,
} from '../spec/derived.js'
import type {Environment, Spec} from '../spec/schema.js'
import {cloudRunName, redisInstanceName, serviceAccountEmail, STACK_OUTPUTS, workloadAccountId} from './naming.js'
import type {Edition} from '../edition/editions.js'

/** Output of the diagnostics secret, read by the monitoring stack's uptime check through remote state. */
export const DIAGNOSTICS_SECRET_OUTPUT = 'cross-stack-output-diagnostics-secret-hex'
export const CONTAINER_PORT = 9992
const CERT_DIR = '/etc/ssl/certs'
const CUSTOM_CERT_DIR = '/etc/ssl/custom-certs'

/** The image tag an environment deploys, or the subscription variable that carries the resolved tag. */
export function imageTag(spec: Spec, env: Environment): TfText {
  const deploy = env.deploy
  switch (deploy?.type) {
    case 'subscription':
      return varRef('resolved_image_tag')
    case 'rollout':
      return spec.rollout?.initialImageTag || DEFAULT_IMAGE_TAG
    case 'manual':
    case undefined:
    case null:
      // The original defaults only when the `manual` block is absent.
      return deploy?.manual ? (deploy.manual.tag ?? '') : DEFAULT_IMAGE_TAG
    default:
      throw new UserError(`environment "${env.id}": unsupported deploy type "${String(deploy?.type)}"`)
  }
}

/** Substitutes `{{ .ProjectID }}` / `{{ .ServiceDnsName }}` in an env value, like the original's Go templates. */
export function renderEnvTemplate(value: string, vars: {ProjectID: string; ServiceDnsName: string}): string {
  return value.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (match, field: string) => {
    if (field === 'ProjectID' || field === 'ServiceDnsName') return vars[field]
    throw new UserError(`execute template: "${value}"`, {hint: 'env values may use {{ .ProjectID }} and {{ .ServiceDnsName }}'})
  })
}

function sorted<T>(record: Readonly<Record<string, T>> | null | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/** GSM secret reference usable by Cloud Run: a bare name in the env project or a full `projects/…/secrets/…` path. */
function secretKeyRef(secret: string): TfObject {
  return {secret_key_ref: {secret, version: 'latest'}}
}

interface Network {
  network: BlockHandle
  subnetwork: BlockHandle
  connection: BlockHandle
}

function privateNetwork(b: StackBuilder, id: string, env: Environment): Network {
  const p = env.projectID
  const network = b.resource('google_compute_network', 'cloudrun-network', {project: p, name: id, auto_create_subnetworks: false})
  const suffix = b.resource('random_id', 'privatenetwork-subnetwork-name-random', {
    prefix: `${id}-`,
    byte_length: 4,
    keepers: {ipcidrrange: '172.16.0.0/12'},
  })
  const subnetwork = b.resource('google_compute_subnetwork', 'cloudrun-subnetwork', {
    project: p,
    region: environmentRegion(env),
    name: suffix.ref('hex'),
    network: network.ref('id'),
    ip_cidr_range: '172.16.0.0/12',
    private_ip_google_access: true,
    private_ipv6_google_access: 'DISABLE_GOOGLE_ACCESS',
    log_config: {aggregation_interval: 'INTERVAL_10_MIN', flow_sampling: 0.5, metadata: 'INCLUDE_ALL_METADATA'},
    lifecycle: {create_before_destroy: true},
  })
  const ip = b.resource('google_compute_global_address', 'cloudrun-network-service-networking-connection-ip', {
    project: p,
    name: `${id}-service-networking-connection`,
    network: network.ref('id'),
    purpose: 'VPC_PEERING',
    address_type: 'INTERNAL',
    prefix_length: 16,
  })
  const connection = b.resource('google_service_networking_connection', 'cloudrun-network-service-networking-connection', {
    network: network.ref('id'),
    service: 'servicenetworking.googleapis.com',
    reserved_peering_ranges: [ip.ref('name')],
  })
  return {network, subnetwork, connection}
}

export interface CloudrunStackOptions {
  /** `<table>.bigquerytable.json` contents by table name, as the spec loader read them. */
  bigQuerySchemas?: Readonly<Record<string, string>>
}

/**
 * Builds the `cloudrun` stack of one environment.
 * @param spec - the service spec
 * @param env - the environment
 * @param _edition - the edition whose resource set to build (src/lib/edition/editions.ts)
 * @param options - side files of the service (BigQuery table schemas)
 */
export function cloudrunStack(spec: Spec, env: Environment, _edition: Edition, options: CloudrunStackOptions = {}): TfConfig {
  const id = spec.service.id
  const p = env.projectID
  const kind = serviceKind(spec)
  const region = environmentRegion(env)
  const crName = cloudRunName(spec, env)
  const dns = dnsName(env)
  const preventDestroy = !env.allowDestroys
  const b = new StackBuilder('cloudrun', id, env.id)
  b.provider('google', {project: p})
  b.provider('cloudflare', {api_token: b.platformSecret('cloudflare-provider-token-version_data', 'CLOUDFLARE_API_TOKEN')})
  b.provider('random')
  b.provider('sentry', {token: b.platformSecret('sentry-provider-token-version_data', 'TFC_MSP_SENTRY_INTEGRATION')})
  b.local('project_id', p, 'Primary Google Project to use for all GCP resources')
  b.mirrorLocalsTo(p)

  const diagnostics = b.resource('random_id', 'diagnostics-secret-random', {byte_length: 8})
  b.output({name: DIAGNOSTICS_SECRET_OUTPUT, value: diagnostics.ref('hex'), sensitive: true})

  const sentryOrg = b.data('sentry_organization', 'cloudrun-sentry-organization', {slug: 'sourcegraph'})
  const sentryTeam = b.data('sentry_team', 'cloudrun-sentry-team', {organization: sentryOrg.ref('id'), slug: 'sourcegraph'})
  const sentryProject = b.resource('sentry_project', 'cloudrun-sentry-project', {
    organization: sentryOrg.ref('id'),
    name: environmentDisplayName(spec, env),
    slug: `${id}-${env.id}`,
    teams: [sentryTeam.ref('slug')],
    default_rules: false,
  })
  const sentryKey = b.resource('sentry_key', 'cloudrun-sentry-dsn', {
    organization: sentryOrg.ref('id'),
    project: sentryProject.ref('slug'),
    name: 'Managed Services Platform',
  })

  if (env.deploy?.type === 'subscription') {
    b.variable({name: 'resolved_image_tag', type: 'string', description: 'Image tag resolved from subscription to deploy', sensitive: false})
  }

  const resources = env.resources
  const net = resources?.redis || resources?.postgreSQL ? privateNetwork(b, id, env) : undefined
  const workloadEmail = serviceAccountEmail(workloadAccountId(id), p)
  const envVars: TfObject[] = []
  const plain = (name: string, value: TfText) => envVars.push({name, value})
  const volumes: TfObject[] = []
  const mounts: TfObject[] = []
  const dependsOn: string[] = []

  plain('GOOGLE_CLOUD_PROJECT', p)
  plain('DIAGNOSTICS_SECRET', diagnostics.ref('hex'))
  if (dns) plain('EXTERNAL_DNS_NAME', dns)
  plain('ENVIRONMENT_ID', env.id)
  for (const [k, v] of sorted(env.env)) plain(k, renderEnvTemplate(v, {ProjectID: p, ServiceDnsName: dns ?? ''}))
  for (const [k, v] of sorted(env.secretEnv)) envVars.push({name: k, value_source: secretKeyRef(v)})
  plain('MSP', 'true')

  for (const [name, v] of sorted(env.secretVolumes)) {
    const slash = v.mountPath.lastIndexOf('/')
    const dir = v.mountPath.slice(0, slash) || '/'
    volumes.push({name, secret: {secret: v.secret, items: [{version: 'latest', path: v.mountPath.slice(slash + 1), mode: 292}]}})
    mounts.push({name, mount_path: dir})
  }

  if (resources?.redis && net) {
    const ha = resources.redis.highAvailability === true
    const redis = b.resource('google_redis_instance', 'redis-instance', {
      project: p,
      region,
      name: redisInstanceName(env),
      display_name: ha ? 'Regional Redis (standard HA)' : 'Zonal Redis (basic)',
      tier: ha ? 'STANDARD_HA' : 'BASIC',
      memory_size_gb: resources.redis.memoryGB ?? 1,
      auth_enabled: true,
      transit_encryption_mode: 'SERVER_AUTHENTICATION',
      persistence_config: {persistence_mode: 'RDB', rdb_snapshot_period: 'TWENTY_FOUR_HOURS'},
      authorized_network: net.network.ref('self_link'),
      connect_mode: 'PRIVATE_SERVICE_ACCESS',
      depends_on: [net.connection.address],
      lifecycle: {create_before_destroy: true},
    })
    const caSecret = b.resource('google_secret_manager_secret', 'redis-ca-cert-secret', {
      project: p,
      secret_id: 'REDIS_CA_CERT',
      replication: {auto: {}},
    })
    b.resource('google_secret_manager_secret_version', 'redis-ca-cert-secret_version', {
      secret: caSecret.ref('id'),
      secret_data: redis.ref('server_ca_certs[0].cert'),
    })
    plain('REDIS_ENDPOINT', tf`rediss://:${redis.ref('auth_string')}@${redis.ref('host')}:${redis.ref('port')}`)
    volumes.push({name: 'redis-ca-cert', secret: {secret: caSecret.ref('secret_id'), items: [{version: 'latest', path: 'redis-ca-cert.pem', mode: 292}]}})
    mounts.push({name: 'redis-ca-cert', mount_path: CUSTOM_CERT_DIR})
  }

  if (resources?.postgreSQL && net) {
    const pg = resources.postgreSQL
    const ha = pg.highAvailability === true
    const suffix = b.resource('random_id', 'postgresql-instance_name_suffix-random', {byte_length: 2})
    const flags: TfObject[] = [{name: 'cloudsql.iam_authentication', value: 'on'}]
    if (pg.maxConnections != null) flags.push({name: 'max_connections', value: String(pg.maxConnections)})
    const instance = b.resource('google_sql_database_instance', 'postgresql-instance', {
      project: p,
      region,
      name: tf`postgresql-${suffix.ref('hex')}`,
      database_version: 'POSTGRES_15',
      deletion_protection: preventDestroy,
      settings: {
        tier: `db-custom-${pg.cpu ?? 1}-${(pg.memoryGB ?? 4) * 1024}`,
        availability_type: ha ? 'REGIONAL' : 'ZONAL',
        disk_type: 'PD_SSD',
        disk_size: 10,
        disk_autoresize: true,
        disk_autoresize_limit: 0,
        database_flags: flags,
        backup_configuration: {
          enabled: true,
          point_in_time_recovery_enabled: ha,
          start_time: '10:00',
          transaction_log_retention_days: 7,
          backup_retention_settings: {retained_backups: 90, retention_unit: 'COUNT'},
        },
        maintenance_window: {update_track: 'stable', day: 1, hour: 15},
        insights_config: {
          query_insights_enabled: true,
          query_string_length: 4096,
          record_application_tags: true,
          record_client_address: true,
        },
        ip_configuration: {
          ipv4_enabled: true,
          private_network: net.network.ref('id'),
          ssl_mode: 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED',
          enable_private_path_for_google_cloud_services: true,
        },
      },
      depends_on: [net.connection.address],
      lifecycle: {prevent_destroy: preventDestroy, ignore_changes: ['settings[0].disk_size']},
    })
    b.output({name: CLOUDSQL_INSTANCE_OUTPUT, value: instance.ref('name')})
    for (const db of pg.databases ?? []) {
      b.resource('google_sql_database', `postgresql-database-${db}`, {
        project: p,
        instance: instance.ref('name'),
        name: db,
        deletion_policy: 'ABANDON',
        lifecycle: {prevent_destroy: preventDestroy},
      })
    }
    const password = b.resource('random_password', 'postgresql-admin_password', {length: 32, special: false})
    b.resource('google_sql_user', 'postgresql-admin_user', {
      project: p,
      instance: instance.ref('name'),
      name: 'msp-admin',
      password: password.ref('result'),
      deletion_policy: 'ABANDON',
    })
    // IAM database users are named after the account e-mail without ".gserviceaccount.com".
    const workloadUser = b.resource('google_sql_user', 'postgresql-workload_service_account_user', {
      project: p,
      instance: instance.ref('name'),
      name: workloadEmail.replace(/\.gserviceaccount\.com$/, ''),
      type: 'CLOUD_IAM_SERVICE_ACCOUNT',
      deletion_policy: 'ABANDON',
    })
    dependsOn.push(workloadUser.address)
    plain('PGINSTANCE', instance.ref('connection_name'))
    plain('PGUSER', workloadUser.ref('name'))
    b.local(STACK_OUTPUTS.cloudrun.cloudSqlConnectionName, instance.ref('connection_name'), 'Cloud SQL database connection name')
  }

  if (resources?.bigQueryDataset) {
    const bq = resources.bigQueryDataset
    const datasetProject = bq.projectID || p
    const datasetId = bq.datasetID || id.replaceAll('-', '_')
    const dataset = b.resource('google_bigquery_dataset', 'bigquery-dataset', {
      project: datasetProject,
      dataset_id: datasetId,
      location: environmentLocation(env),
      labels: {service: id},
      lifecycle: {prevent_destroy: preventDestroy},
    })
    b.resource('google_bigquery_dataset_iam_member', 'bigquery-workload_dataset_editor', {
      project: datasetProject,
      dataset_id: dataset.ref('dataset_id'),
      role: 'roles/bigquery.dataEditor',
      member: `serviceAccount:${workloadEmail}`,
    })
    for (const table of bq.tables ?? []) {
      const schema = options.bigQuerySchemas?.[table]
      // Without the schema file (only possible when the loader was bypassed) the table is left out.
      if (schema === undefined) continue
      const t = b.resource('google_bigquery_table', `bigquery-${table}-table`, {
        project: datasetProject,
        dataset_id: dataset.ref('dataset_id'),
        table_id: table,
        schema,
        deletion_protection: preventDestroy,
        lifecycle: {prevent_destroy: preventDestroy},
      })
      dependsOn.push(t.address)
    }
    plain('BIGQUERY_PROJECT_ID', datasetProject)
    plain('BIGQUERY_DATASET_ID', datasetId)
  }

  plain('SENTRY_DSN', sentryKey.ref('dsn_public'))
  plain('SSL_CERT_DIR', resources?.redis ? `${CERT_DIR}:${CUSTOM_CERT_DIR}` : CERT_DIR)

  const cpu = env.instances?.resources?.cpu ?? 1
  const memory = env.instances?.resources?.memory ?? '512Mi'
  const image = tf`${spec.build?.image ?? ''}:${imageTag(spec, env)}`
  const vpcAccess = net
    ? {vpc_access: {network_interfaces: [{network: net.network.ref('id'), subnetwork: net.subnetwork.ref('id')}], egress: 'PRIVATE_RANGES_ONLY'}}
    : {}
  const generation = env.instances?.resources?.cloudRunGeneration
  const executionEnvironment =
    generation === 1 || generation === 2 ? {execution_environment: `EXECUTION_ENVIRONMENT_GEN${generation}`} : {}

  if (kind === 'service') {
    const probes = env.healthProbes
    const healthz = !!probes && probes.healthzProbes !== false
    const timeout = probes?.timeout ?? 3
    const probeGet = {path: '/-/healthz', http_headers: [{name: 'Authorization', value: tf`Bearer ${diagnostics.ref('hex')}`}]}
    const container: Record<string, TfValue> = {
      name: id,
      image,
      resources: {limits: {cpu: String(cpu), memory}},
      ports: {container_port: CONTAINER_PORT, ...(spec.service.protocol ? {name: spec.service.protocol} : {})},
      env: envVars,
      volume_mounts: mounts,
    }
    if (healthz) {
      container.startup_probe = {
        initial_delay_seconds: 0,
        timeout_seconds: timeout,
        period_seconds: probes?.startupInterval ?? timeout,
        failure_threshold: 3,
        http_get: probeGet,
      }
      container.liveness_probe = {
        timeout_seconds: timeout,
        period_seconds: probes?.livenessInterval ?? timeout * 10,
        failure_threshold: 3,
        http_get: probeGet,
      }
    }
    const scaling = env.instances?.scaling
    const service = b.resource('google_cloud_run_v2_service', 'cloudrun', {
      project: p,
      name: crName,
      location: region,
      ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      traffic: [{percent: 100, type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST'}],
      template: {
        service_account: workloadEmail,
        timeout: '300s',
        max_instance_request_concurrency: scaling?.maxRequestConcurrency ?? 1000,
        scaling: {min_instance_count: scaling?.minCount ?? 0, max_instance_count: scaling?.maxCount ?? 5},
        ...executionEnvironment,
        ...vpcAccess,
        containers: [container],
        volumes,
      },
      ...(dependsOn.length ? {depends_on: dependsOn} : {}),
      ...(env.deploy?.type === 'rollout'
        ? {lifecycle: {ignore_changes: ['template[0].containers[0].image', 'client', 'client_version']}}
        : {}),
    })
    if (!env.authentication) {
      b.resource('google_cloud_run_v2_service_iam_member', 'cloudrun-allusers-runinvoker', {
        project: p,
        location: region,
        name: service.ref('name'),
        role: 'roles/run.invoker',
        member: 'allUsers',
      })
    } else if (env.authentication.sourcegraph) {
      b.resource('google_cloud_run_v2_service_iam_member', 'cloudrun-domain-runinvoker', {
        project: p,
        location: region,
        name: service.ref('name'),
        role: 'roles/run.invoker',
        member: 'domain:sourcegraph.com',
      })
    }
    if (env.domain?.type === 'cloudflare') loadBalancer(b, env, crName, service)
  } else {
    const deadline = env.deadlineSeconds ?? 300
    const job = b.resource('google_cloud_run_v2_job', 'cloudrun', {
      project: p,
      name: crName,
      location: region,
      template: {
        task_count: 1,
        template: {
          service_account: workloadEmail,
          timeout: `${deadline}s`,
          max_retries: 0,
          ...executionEnvironment,
          ...vpcAccess,
          containers: [
            {
              name: id,
              image,
              resources: {limits: {cpu: String(cpu), memory}},
              ports: [{container_port: CONTAINER_PORT}],
              env: [
                ...envVars,
                ...(env.schedule?.cron
                  ? [
                      {name: 'JOB_EXECUTION_CRON_SCHEDULE', value: env.schedule.cron},
                      {name: 'JOB_EXECUTION_DEADLINE', value: `${deadline}s`},
                    ]
                  : []),
              ],
              volume_mounts: mounts,
            },
          ],
          volumes,
        },
      },
      ...(dependsOn.length ? {depends_on: dependsOn} : {}),
    })
    if (env.schedule?.cron) {
      const invoker = b.resource('google_service_account', 'job_invoker-account', {
        project: p,
        account_id: `${id}-job-sa`,
        display_name: `${serviceName(spec)} Job-Invoker Service Account`,
      })
      const grant = b.resource('google_cloud_run_v2_job_iam_member', 'cloudrun_scheduler_job_invoker', {
        project: p,
        location: region,
        name: job.ref('name'),
        role: 'roles/run.invoker',
        member: invoker.ref('member'),
      })
      b.resource('google_cloud_scheduler_job', 'job_scheduler', {
        project: p,
        region,
        name: crName,
        schedule: env.schedule.cron,
        time_zone: 'Etc/UTC',
        attempt_deadline: `${deadline}s`,
        http_target: {
          http_method: 'POST',
          uri: `https://${region}-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/${p}/jobs/${crName}:run`,
          headers: {'User-Agent': 'MSP-Google-Cloud-Scheduler'},
          oauth_token: {service_account_email: invoker.ref('email')},
        },
        depends_on: [grant.address],
      })
    }
  }

  b.local('cloud_run_resource_name', crName, 'Cloud Run resource name')
  b.local('cloud_run_location', region, 'Cloud Run resource location')
  return b.build()
}

// Cloud Armor (proxied + production category) is not generated yet: reference/terraform.md §0.1 lists it as deferrable.
function loadBalancer(b: StackBuilder, env: Environment, crName: string, service: BlockHandle): void {
  const cf = env.domain?.cloudflare
  if (!cf) throw new UserError(`environment "${env.id}": domain type "cloudflare" specified but Cloudflare configuration is nil`)
  if (!cf.subdomain || !cf.zone) {
    throw new UserError(`environment "${env.id}": domain type "cloudflare" requires 'cloudflare.subdomain' and 'cloudflare.zone' to be set`)
  }
  const p = env.projectID
  const region = environmentRegion(env)
  const dns = `${cf.subdomain}.${cf.zone}`
  const proxied = cf.proxied !== false
  let certificate: BlockHandle
  if (proxied) {
    const key = b.platformSecret('cf-origin-cert-secret-origin-private-key-version_data', 'SOURCEGRAPH_WILDCARD_KEY')
    const cert = b.platformSecret('cf-origin-cert-secret-origin-cert-version_data', 'SOURCEGRAPH_WILDCARD_CERT')
    certificate = b.resource('google_compute_ssl_certificate', 'cf-origin-cert-origin-cert', {
      project: p,
      name: 'cf-origin-cert',
      private_key: key,
      certificate: cert,
      lifecycle: {create_before_destroy: true},
    })
  } else {
    const certName = b.resource('random_id', 'managed-cert-cert-name-random', {byte_length: 4, prefix: 'managed-cert-', keepers: {domain: dns}})
    certificate = b.resource('google_compute_managed_ssl_certificate', 'managed-cert-managed-cert', {
      project: p,
      name: certName.ref('hex'),
      managed: {domains: [dns]},
      lifecycle: {create_before_destroy: true},
    })
  }
  const neg = b.resource('google_compute_region_network_endpoint_group', 'loadbalancer-endpoint_group', {
    project: p,
    region,
    name: crName,
    network_endpoint_type: 'SERVERLESS',
    cloud_run: {service: service.ref('name')},
  })
  const backend = b.resource('google_compute_backend_service', 'loadbalancer-backend_service', {
    project: p,
    name: crName,
    protocol: 'HTTP',
    port_name: 'http',
    log_config: {enable: env.domain?.networking?.loadBalancerLogging === true, sample_rate: 1},
    backend: [{group: neg.ref('id')}],
    lifecycle: {create_before_destroy: true},
  })
  const urlMap = b.resource('google_compute_url_map', 'loadbalancer-url_map', {project: p, name: crName, default_service: backend.ref('id')})
  const sslPolicy = b.resource('google_compute_ssl_policy', 'loadbalancer-ssl-policy', {
    project: p,
    name: `${crName}-https`,
    profile: 'MODERN',
    min_tls_version: 'TLS_1_2',
  })
  const proxy = b.resource('google_compute_target_https_proxy', 'loadbalancer-https-proxy', {
    project: p,
    name: `${crName}-https`,
    url_map: urlMap.ref('id'),
    ssl_certificates: [certificate.ref('id')],
    ssl_policy: sslPolicy.ref('id'),
  })
  const address = b.resource('google_compute_global_address', 'loadbalancer-external-address', {
    project: p,
    name: 'loadbalancer',
    address_type: 'EXTERNAL',
    ip_version: 'IPV4',
  })
  b.resource('google_compute_global_forwarding_rule', 'loadbalancer-forwarding-rule', {
    project: p,
    name: 'loadbalancer',
    target: proxy.ref('id'),
    ip_address: address.ref('address'),
    port_range: '443',
    load_balancing_scheme: 'EXTERNAL',
  })
  const zone = b.data('cloudflare_zones', 'cf-domain', {filter: {name: cf.zone}})
  b.resource('cloudflare_record', 'cf-record', {
    zone_id: zone.ref('zones[0].id'),
    name: cf.subdomain,
    type: 'A',
    value: address.ref('address'),
    proxied,
    comment: 'Managed Services Platform service',
    tags: ['msp'],
  })
}
