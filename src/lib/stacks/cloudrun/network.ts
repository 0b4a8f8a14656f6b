/**
 * The private network Redis and Cloud SQL attach to (the original's `internal/resource/privatenetwork`):
 * created once, only when one of them is configured, under fixed resource names.
 */
import type {Environment} from '../../spec/schema.js'
import type {TfText} from '../../terraform/model.js'
import {environmentRegion} from '../../spec/derived.js'
import type {BlockHandle, StackBuilder} from '../builder.js'

export interface Network {
  network: BlockHandle
  subnetwork: BlockHandle
  connection: BlockHandle
}

const SUBNET_RANGE = '172.16.0.0/12'

/** @param p - the project id as the cloudrun stack receives it (stacks/handoffs.ts) */
export function privateNetwork(b: StackBuilder, p: TfText, serviceId: string, env: Environment): Network {
  const network = b.resource('google_compute_network', 'cloudrun-network', {project: p, name: serviceId, auto_create_subnetworks: false})
  const suffix = b.resource('random_id', 'privatenetwork-subnetwork-name-random', {
    prefix: `${serviceId}-`,
    byte_length: 4,
    keepers: {ipcidrrange: SUBNET_RANGE},
  })
  const subnetwork = b.resource('google_compute_subnetwork', 'cloudrun-subnetwork', {
    project: p,
    region: environmentRegion(env),
    name: suffix.ref('hex'),
    network: network.ref('id'),
    ip_cidr_range: SUBNET_RANGE,
    private_ip_google_access: true,
    private_ipv6_google_access: 'DISABLE_GOOGLE_ACCESS',
    log_config: {aggregation_interval: 'INTERVAL_10_MIN', flow_sampling: 0.5, metadata: 'INCLUDE_ALL_METADATA'},
    lifecycle: {create_before_destroy: true},
  })
  const ip = b.resource('google_compute_global_address', 'cloudrun-network-service-networking-connection-ip', {
    project: p,
    name: `${serviceId}-service-networking-connection`,
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
