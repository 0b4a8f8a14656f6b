/**
 * Cloud SQL for PostgreSQL (the original's `internal/resource/cloudsql`), then the runtime
 * configuration inside the database through three aliased `postgresql` providers (cloudrun.go):
 * the replication user and the role grants of `internal/resource/postgresqlroles`. All three
 * providers are always declared, so tearing down a feature never leaves resources without one.
 * Logical replication publications and their Datastream connection are in logical-replication.ts.
 */
import type {Environment, PostgreSQL} from '../../spec/schema.js'
import {inForce} from '../../edition/editions.js'
import {environmentRegion} from '../../spec/derived.js'
import {tf, tfCall, type TfExpr, type TfObject, type TfText} from '../../terraform/model.js'
import type {BlockHandle, StackBuilder} from '../builder.js'
import {STACK_OUTPUTS} from '../naming.js'
import type {ContainerConfig} from './container.js'
import type {Network} from './network.js'
import {datastreamConnection, publicationGrants, publicationBlocks, type PublicationBlocks} from './logical-replication.js'

export const PG_ADMIN_PROVIDER = 'postgresql_admin_provider'
export const PG_WORKLOAD_PROVIDER = 'postgresql_workloaduser_provider'
export const PG_REPLICATION_PROVIDER = 'postgresql_replicationuser_provider'

/**
 * Postgres user names of IAM accounts drop the `.gserviceaccount.com` suffix (length limit): the
 * original's `trimsuffix()` on the account's e-mail token, or the trimmed text when the e-mail is literal.
 */
function iamUserName(email: TfText): TfText {
  return typeof email === 'string' ? email.replace(/\.gserviceaccount\.com$/, '') : tfCall('trimsuffix', email, {literal: '.gserviceaccount.com'})
}

function providerConfig(alias: string, instance: BlockHandle, auth: TfObject): TfObject {
  return {alias, scheme: 'gcppostgres', host: instance.ref('connection_name'), port: 5432, superuser: false, ...auth}
}

/** What {@link postgresql} needs from the cloudrun stack. */
export interface PostgresqlOptions {
  /** The project id as the cloudrun stack receives it (stacks/handoffs.ts). */
  project: TfText
  env: Environment
  pg: PostgreSQL
  /** The private network the instance is reached through. */
  network: Network
  /** The iam stack's workload account e-mail. */
  workloadEmail: TfText
  /** The iam stack's operator-access account e-mail (its id is random, so always read from the iam stack). */
  operatorEmail: TfExpr
  /** The workload's container, which gets the connection's environment and waits for the grants. */
  container: ContainerConfig
}

/** The database users: the admin (a password) and the two IAM accounts, created after the databases. */
interface SqlUsers {
  databases: string[]
  admin: BlockHandle
  workload: BlockHandle
  operator: BlockHandle
}

/** How grants reach the database: the admin provider's name, and what they must wait for. */
interface AdminAccess {
  provider: string
  waitForDatabases: TfObject
}

/**
 * Declares the instance, its databases and users, the providers and the grants (whether publications
 * exist is the builder's edition's: the change logicalReplication).
 */
export function postgresql(b: StackBuilder, options: PostgresqlOptions): void {
  const {pg, env, network, container} = options
  const instance = sqlInstance(b, options)
  const users = sqlUsers(b, options, instance)
  container.addEnv('PGINSTANCE', instance.ref('connection_name'))
  container.addEnv('PGUSER', users.workload.ref('name'))
  const admin = postgresqlProviders(b, instance, users, options.workloadEmail)

  // Publications; the logical-decoding flag on the instance needs only the logicalReplication block.
  const replication = pg.logicalReplication
  const publications: PublicationBlocks[] =
    replication && inForce(b.edition, 'logicalReplication')
      ? publicationBlocks(b, replication.publications, {
          admin: admin.provider,
          workload: `postgresql.${PG_WORKLOAD_PROVIDER}`,
          replication: `postgresql.${PG_REPLICATION_PROVIDER}`,
        })
      : []
  const superuser = roleGrants(b, pg, users, admin)
  const grants = publicationGrants(b, publications, admin.provider)
  if (publications.length > 0) datastreamConnection(b, env, network, instance, publications, grants)

  // The workload may use the database only once it is a superuser.
  container.addDependency(superuser.address)
  b.local(STACK_OUTPUTS.cloudrun.cloudSqlConnectionName, instance.ref('connection_name'), 'Cloud SQL database connection name')
}

/** The Cloud SQL instance (internal/resource/cloudsql), named with a random suffix. */
function sqlInstance(b: StackBuilder, {project: p, env, pg, network}: PostgresqlOptions): BlockHandle {
  const preventDestroy = !env.allowDestroys
  const ha = pg.highAvailability === true
  const suffix = b.resource('random_id', 'postgresql-instance_name_suffix-random', {byte_length: 2})
  const flags: TfObject[] = [{name: 'cloudsql.iam_authentication', value: 'on'}]
  if (pg.maxConnections != null) flags.push({name: 'max_connections', value: String(pg.maxConnections)})
  if (pg.logicalReplication) flags.push({name: 'cloudsql.logical_decoding', value: 'on'})
  return b.resource('google_sql_database_instance', 'postgresql-instance', {
    project: p,
    region: environmentRegion(env),
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
        private_network: network.network.ref('id'),
        require_ssl: true,
        ssl_mode: 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED',
        enable_private_path_for_google_cloud_services: true,
      },
    },
    depends_on: [network.connection.address],
    lifecycle: {prevent_destroy: preventDestroy, ignore_changes: ['settings[0].disk_size']},
  })
}

/** The databases, the admin user and the IAM users of the workload and operator-access accounts. */
function sqlUsers(b: StackBuilder, {project: p, env, pg, workloadEmail, operatorEmail}: PostgresqlOptions, instance: BlockHandle): SqlUsers {
  const preventDestroy = !env.allowDestroys
  const databases = (pg.databases ?? []).map(
    (db) =>
      b.resource('google_sql_database', `postgresql-database-${db}`, {
        name: db,
        instance: instance.ref('name'),
        deletion_policy: 'ABANDON',
        lifecycle: {prevent_destroy: preventDestroy},
      }).address,
  )
  const password = b.resource('random_password', 'postgresql-admin_password', {length: 32, special: false})
  const admin = b.resource('google_sql_user', 'postgresql-admin_user', {
    instance: instance.ref('name'),
    project: p,
    name: 'msp-admin',
    password: password.ref('result'),
    deletion_policy: 'ABANDON',
  })
  const iamUser = (name: string, email: TfText) =>
    b.resource('google_sql_user', name, {
      instance: instance.ref('name'),
      project: instance.ref('project'),
      type: 'CLOUD_IAM_SERVICE_ACCOUNT',
      name: email,
      deletion_policy: 'ABANDON',
      ...(databases.length ? {depends_on: databases} : {}),
    })
  const workloadUser = iamUser('postgresql-workload_service_account_user', iamUserName(workloadEmail))
  const operatorUser = iamUser(
    'postgresql-operator_access_service_account_user',
    // The operator account id is random: always trimmed in Terraform, like the original's trimsuffix().
    iamUserName(operatorEmail),
  )
  return {databases, admin, workload: workloadUser, operator: operatorUser}
}

/**
 * The `postgresql` providers: before the change logicalReplication one unaliased admin provider; since,
 * the admin, workload and replication providers (the replication user has the attribute cloudsqlsuperuser lacks).
 */
function postgresqlProviders(b: StackBuilder, instance: BlockHandle, users: SqlUsers, workloadEmail: TfText): AdminAccess {
  const {admin, workload: workloadUser, databases} = users
  let adminProvider: string
  let waitForDatabases: TfObject
  if (!inForce(b.edition, 'logicalReplication')) {
    // One provider, no alias: resources name it by its type.
    const {alias: _alias, ...config} = providerConfig(PG_ADMIN_PROVIDER, instance, {username: admin.ref('name'), password: admin.ref('password')})
    b.provider('postgresql', config)
    adminProvider = 'postgresql'
    waitForDatabases = {}
  } else {
    b.provider('postgresql', providerConfig(PG_ADMIN_PROVIDER, instance, {username: admin.ref('name'), password: admin.ref('password')}))
    b.provider(
      'postgresql',
      providerConfig(PG_WORKLOAD_PROVIDER, instance, {username: workloadUser.ref('name'), gcp_iam_impersonate_service_account: workloadEmail}),
    )
    adminProvider = `postgresql.${PG_ADMIN_PROVIDER}`
    // cloudsqlsuperuser has no replication attribute and role attributes are not inherited: a separate user has it.
    const replicationPassword = b.resource('random_password', 'cloudrun-postgresql_replicationuser_password', {length: 32, special: false})
    const replicationUser = b.resource('postgresql_role', 'cloudrun-postgresql_replicationuser', {
      provider: adminProvider,
      name: 'msp-replicationuser',
      password: replicationPassword.ref('result'),
      login: true,
      replication: true,
    })
    b.provider(
      'postgresql',
      providerConfig(PG_REPLICATION_PROVIDER, instance, {username: replicationUser.ref('name'), password: replicationUser.ref('password')}),
    )
    waitForDatabases = databases.length ? {depends_on: databases} : {}
  }
  return {provider: adminProvider, waitForDatabases}
}

/** The workload account becomes cloudsqlsuperuser; the operator-access account may read every table of each database. */
function roleGrants(b: StackBuilder, pg: PostgreSQL, users: SqlUsers, admin: AdminAccess): BlockHandle {
  const {provider: adminProvider, waitForDatabases} = admin
  const {workload: workloadUser, operator: operatorUser} = users
  const superuser = b.resource('postgresql_grant_role', 'cloudrun-postgresqlroles-workload_service_account_role_cloudsqlsuperuser', {
    provider: adminProvider,
    role: workloadUser.ref('name'),
    grant_role: 'cloudsqlsuperuser',
    with_admin_option: true,
  })
  // Operator access: read-only on every table of each database.
  for (const db of pg.databases ?? []) {
    b.resource('postgresql_grant', `cloudrun-postgresqlroles-${db}-operator_access_service_account_connect_grant`, {
      provider: adminProvider,
      database: db,
      role: operatorUser.ref('name'),
      object_type: 'database',
      privileges: ['CONNECT'],
      ...waitForDatabases,
    })
    b.resource('postgresql_grant', `cloudrun-postgresqlroles-${db}-operator_access_service_account_table_grant`, {
      provider: adminProvider,
      database: db,
      role: operatorUser.ref('name'),
      schema: 'public',
      object_type: 'table',
      objects: [],
      privileges: ['SELECT'],
      ...waitForDatabases,
    })
  }
  return superuser
}
