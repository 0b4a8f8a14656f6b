/**
 * Memorystore Redis (the original's `internal/resource/redis`) and its CA certificate, shared as the
 * Secret Manager secret `REDIS_CA_CERT` and mounted into the container at the pinned secret version.
 */
import type {Environment, Redis} from '../../spec/schema.js'
import {tf, type TfText} from '../../terraform/model.js'
import {environmentRegion} from '../../spec/derived.js'
import type {StackBuilder} from '../builder.js'
import {redisInstanceName} from '../naming.js'
import type {ContainerConfig} from './container.js'
import type {Network} from './network.js'

/** Where the Redis CA certificate is mounted; `SSL_CERT_DIR` gains this directory. */
export const CUSTOM_CERT_DIR = '/etc/ssl/custom-certs'

/** @param p - the project id as the cloudrun stack receives it (stacks/handoffs.ts) */
export function redis(b: StackBuilder, p: TfText, env: Environment, spec: Redis, network: Network, container: ContainerConfig): void {
  const ha = spec.highAvailability === true
  // The original never sets connect_mode (the provider default, DIRECT_PEERING, applies); setting it would replace the instance.
  const instance = b.resource('google_redis_instance', 'redis-instance', {
    project: p,
    region: environmentRegion(env),
    name: redisInstanceName(env),
    display_name: ha ? 'Regional Redis (standard HA)' : 'Zonal Redis (basic)',
    tier: ha ? 'STANDARD_HA' : 'BASIC',
    memory_size_gb: spec.memoryGB ?? 1,
    auth_enabled: true,
    transit_encryption_mode: 'SERVER_AUTHENTICATION',
    persistence_config: {persistence_mode: 'RDB', rdb_snapshot_period: 'TWENTY_FOUR_HOURS'},
    authorized_network: network.network.ref('self_link'),
    lifecycle: {create_before_destroy: true},
  })
  const secret = b.resource('google_secret_manager_secret', 'redis-ca-cert-secret', {
    project: p,
    secret_id: 'REDIS_CA_CERT',
    replication: {auto: {}},
  })
  const version = b.resource('google_secret_manager_secret_version', 'redis-ca-cert-secret_version', {
    secret: secret.ref('id'),
    secret_data: instance.ref('server_ca_certs[0].cert'),
  })
  container.addEnv('REDIS_ENDPOINT', tf`rediss://:${instance.ref('auth_string')}@${instance.ref('host')}:${instance.ref('port')}`)
  // Revisions pin the certificate version, so a recreated instance rolls out with its new certificate.
  container.addSecretVolume('redis-ca-cert', 'redis-ca-cert.pem', secret.ref('secret_id'), version.ref('version'))
  container.addVolumeMount('redis-ca-cert', CUSTOM_CERT_DIR)
}
