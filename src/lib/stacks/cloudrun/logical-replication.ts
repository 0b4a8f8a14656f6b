/**
 * PostgreSQL logical replication for GCP Datastream, as the original's final version writes it:
 * per publication a replication user, the publication and its replication slot
 * (`internal/resource/postgresqllogicalreplication`), the user's grants
 * (`internal/resource/postgresqlroles`), and once for all publications a Cloud SQL proxy VM that
 * Datastream reaches over a private connection, plus one connection profile per publication
 * (`internal/resource/datastreamconnection`). The stream itself is set up by hand in Datastream.
 */
import type {Environment, PostgreSQL} from '../../spec/schema.js'
import {tf, type TfExpr} from '../../terraform/model.js'
import type {BlockHandle, StackBuilder} from '../builder.js'
import {handoff, IAM_DATASTREAM_ACCOUNT} from '../handoffs.js'
import type {Network} from './network.js'

/** One publication of the spec with the blocks that carry it. */
export interface PublicationBlocks {
  name: string
  database: string
  tables: readonly string[]
  /** The `postgresql_role` Datastream logs in as. */
  user: BlockHandle
  publication: BlockHandle
  slot: BlockHandle
}

/** The `provider` values (`postgresql.<alias>`) of the three runtime providers of postgresql.ts. */
export interface PostgresqlProviders {
  admin: string
  workload: string
  replication: string
}

const PROXY_NAME = 'msp-datastream-cloudsqlproxy'
/** Any /29 range: the subnet Datastream peers into. */
const PRIVATE_CONNECTION_SUBNET = '10.126.0.0/29'
/** Google's IAP TCP-forwarding range (SSH to the proxy VM for debugging). */
const IAP_RANGE = '35.235.240.0/20'

/**
 * Declares the replication user, publication and replication slot of every publication.
 * @param specs - `logicalReplication.publications` (names, databases and tables checked by spec/rules.ts)
 * @param providers - the aliased runtime providers
 */
export function publicationBlocks(
  b: StackBuilder,
  specs: NonNullable<PostgreSQL['logicalReplication']>['publications'],
  providers: PostgresqlProviders,
): PublicationBlocks[] {
  return specs.map((spec) => {
    const name = spec.name ?? ''
    const database = spec.database ?? ''
    const tables = spec.tables ?? []
    const id = `cloudrun-postgresqllogicalreplication-publications-${name}`
    // The original hands every block of this group an explicit, empty dependency list, which CDKTF writes.
    const dependsOn: string[] = []
    const password = b.resource('random_password', `${id}-user_password`, {length: 32, special: false})
    const user = b.resource('postgresql_role', `${id}-user`, {
      provider: providers.admin,
      name: `msp-publication-${name}-user`,
      password: password.ref('result'),
      login: true,
      replication: true,
      depends_on: dependsOn,
    })
    const publication = b.resource('postgresql_publication', `${id}-publication`, {
      // The application's workload user creates (and so owns) the tables.
      provider: providers.workload,
      name,
      database,
      // Schema-qualified, as Postgres reports them (otherwise every plan shows a change).
      tables: tables.map((t) => `public.${t}`),
      depends_on: dependsOn,
    })
    const slot = b.resource('postgresql_replication_slot', `${id}-replication_slot`, {
      provider: providers.replication,
      name: `${name}_pgoutput`,
      database,
      plugin: 'pgoutput',
      depends_on: dependsOn,
    })
    return {name, database, tables, user, publication, slot}
  })
}

/**
 * The grants Datastream needs for each publication's user: SELECT on its tables, USAGE on `public`.
 * @returns the grants' addresses, which the connection profiles wait for
 */
export function publicationGrants(b: StackBuilder, publications: readonly PublicationBlocks[], adminProvider: string): string[] {
  return publications.flatMap((p) => {
    const id = `cloudrun-postgresqlroles-publication-${p.name}`
    const select = b.resource('postgresql_grant', `${id}-user_table_select_grant`, {
      provider: adminProvider,
      database: p.database,
      role: p.user.ref('name'),
      schema: 'public',
      object_type: 'table',
      objects: [...p.tables],
      privileges: ['SELECT'],
    })
    const usage = b.resource('postgresql_grant', `${id}-user_schema_usage_grant`, {
      provider: adminProvider,
      database: p.database,
      role: p.user.ref('name'),
      object_type: 'schema',
      schema: 'public',
      privileges: ['USAGE'],
    })
    return [select.address, usage.address]
  })
}

/**
 * The value GCP writes when a VM running a container is created in the console (not a public API):
 * the Cloud SQL proxy, listening on every interface, connecting to the instance over its private IP.
 */
function containerDeclaration(connectionName: TfExpr): TfExpr {
  return tf`
spec:
  restartPolicy: Always
  containers:
  - name: ${PROXY_NAME}
    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy
    args:
    - '--auto-iam-authn'
    - '--private-ip'
    - '--address=0.0.0.0'
    - '${connectionName}'

# This container declaration format is not public API and may change without notice. Please
# use gcloud command-line tool or Google Cloud Console to run Containers on Google Compute Engine.`
}

/**
 * Datastream → private connection (peered into the service's network) → Cloud SQL proxy VM → Cloud SQL:
 * Datastream and Cloud SQL each live in their own VPC, and peering is not transitive.
 * @param instance - the `google_sql_database_instance`
 * @param grants - the publication users' grants ({@link publicationGrants})
 */
export function datastreamConnection(
  b: StackBuilder,
  env: Environment,
  network: Network,
  instance: BlockHandle,
  publications: readonly PublicationBlocks[],
  grants: readonly string[],
): void {
  const id = 'cloudrun-publication_datastream'
  const region = instance.ref('region')
  const proxy = b.resource('google_compute_instance', `${id}-cloudsqlproxy`, {
    name: PROXY_NAME,
    description: 'Cloud SQL proxy to allow Datastream to connect to Cloud SQL over private network',
    zone: tf`${region}-a`,
    machine_type: 'e2-micro',
    network_interface: [{network: network.network.ref('name'), subnetwork: network.subnetwork.ref('name')}],
    service_account: {
      email: handoff(b, IAM_DATASTREAM_ACCOUNT, 'email'),
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    },
    boot_disk: {initialize_params: {image: 'cos-cloud/cos-stable', size: 10}},
    tags: [PROXY_NAME],
    labels: {'container-vm': PROXY_NAME, msp: 'true'},
    metadata: {'gce-container-declaration': containerDeclaration(instance.ref('connection_name'))},
  })
  const privateConnection = b.resource('google_datastream_private_connection', `${id}-cloudsqlproxy-privateconnection`, {
    display_name: PROXY_NAME,
    private_connection_id: PROXY_NAME,
    location: region,
    vpc_peering_config: {vpc: network.network.ref('id'), subnet: PRIVATE_CONNECTION_SUBNET},
    labels: {msp: 'true'},
  })
  const ingress = (name: string, description: string, source: string, port: string): BlockHandle =>
    b.resource('google_compute_firewall', `${id}-cloudsqlproxy-firewall-${name}-ingress`, {
      name: `${PROXY_NAME}-${name}-ingress`,
      description,
      network: network.network.ref('name'),
      priority: 1000,
      direction: 'INGRESS',
      source_ranges: [source],
      allow: [{protocol: 'tcp', ports: [port]}],
      target_tags: proxy.ref('tags'),
    })
  const datastreamIngress = ingress(
    'datastream',
    'Allow incoming connections from a Datastream private connection to the Cloud SQL Proxy VM',
    PRIVATE_CONNECTION_SUBNET,
    '5432',
  )
  ingress('iap', 'Allow incoming connections from GCP IAP to the Cloud SQL Proxy VM', IAP_RANGE, '22')

  // What the data team picks when they create the stream; MSP manages nothing beyond it.
  for (const p of publications) {
    b.resource('google_datastream_connection_profile', `${id}-${p.name}-cloudsqlproxy-connectionprofile`, {
      display_name: `MSP Publication - ${p.name}`,
      connection_profile_id: `msp-publication-${p.name}`,
      labels: {msp: 'true', database: p.database, pg_replication_slot: p.slot.ref('name'), pg_publication: p.publication.ref('name')},
      location: region,
      postgresql_profile: {
        hostname: proxy.ref('network_interface[0].network_ip'),
        port: 5432,
        database: p.database,
        username: p.user.ref('name'),
        password: p.user.ref('password'),
      },
      private_connectivity: {private_connection: privateConnection.ref('name')},
      depends_on: [...grants, datastreamIngress.address],
    })
  }
}
