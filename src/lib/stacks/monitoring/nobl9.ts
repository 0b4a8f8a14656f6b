/**
 * `monitoring.nobl9: true` (stacks/monitoring/nobl9.go of the original, a Nobl9 trial): a Google
 * service account Nobl9 reads Cloud Monitoring with, its key, and in Nobl9 a project, a Google Cloud
 * Monitoring data source and a service for the Cloud Run workload. The original defines no SLOs.
 */
import {tfCall, type TfText} from '../../terraform/model.js'
import type {StackBuilder} from '../builder.js'
import {serviceAccount} from '../service-account.js'

/** The resource group of the original (`monitoring` + `nobl9`). */
const GROUP = 'monitoring-nobl9'

/**
 * Declares the Nobl9 resources of one environment.
 * @param name - the service's display name (spec/derived.ts `serviceName`)
 */
export function nobl9Resources(b: StackBuilder, project: TfText, serviceId: string, envId: string, name: string): void {
  // The role grant's id is the group's `monitoring` sub-id appended to the account's group.
  const account = serviceAccount(b, project, `${GROUP}-nobl9-sa`, 'nobl9-sa', 'Nobl9 SA', [[`${GROUP}-monitoring`, 'roles/monitoring.viewer']])
  const key = b.resource('google_service_account_key', `${GROUP}-nobl9-key`, {service_account_id: account.ref('email')})

  const id = `${GROUP}-nobl9`
  const nobl9Name = `${serviceId}-${envId}`
  const displayName = `${name} - ${envId}`
  const nobl9Project = b.resource('nobl9_project', `${id}-project`, {
    name: nobl9Name,
    display_name: displayName,
    label: [{key: 'category', values: ['msp']}],
  })
  b.resource('nobl9_direct_gcm', `${id}-gcm`, {
    name: nobl9Name,
    display_name: displayName,
    project: nobl9Project.ref('id'),
    source_of: ['Metrics'],
    release_channel: 'beta',
    service_account_key: tfCall('base64decode', key.ref('private_key')),
  })
  b.resource('nobl9_service', `${id}-cloudrun-service`, {
    name: `${serviceId}-${envId}-cloudrun`,
    project: nobl9Project.ref('id'),
    label: [{key: 'service', values: ['cloudrun']}],
  })
}
