import {describe, expect, it} from 'vitest'
import {planEnvironment} from '../../src/lib/generate/generate.js'
import {environmentLinks} from '../../src/lib/links/environment.js'
import {testSpec} from '../helpers/spec-builders.js'

// The original, internal/resource/bigquery/bigquery.go (sourcegraph/sourcegraph-public-snapshot, dev/managedservicesplatform):
//   projectID = pointers.Deref(config.Spec.ProjectID, config.DefaultProjectID)
// Deref keeps an empty string, and the Google provider reads an empty `project` as the provider's
// project: the environment's. So `projectID: ''` means the environment's project everywhere.
function spec(projectID?: string) {
  const bigQueryDataset = {tables: ['events'], ...(projectID === undefined ? {} : {projectID})}
  return testSpec({environments: [{id: 'prod', projectID: 'svc-prod-a1b2', resources: {bigQueryDataset}}]})
}

const bigQueryLink = (projectID?: string) => {
  const s = spec(projectID)
  return environmentLinks(s, s.environments[0]!).find((l) => l.target === 'bigquery')!.url
}

const datasetProject = (projectID?: string) => {
  const s = spec(projectID)
  const planned = planEnvironment({id: s.service.id, spec: s, bigQuerySchemas: {events: '[]'}}, s.environments[0]!, '1.7.5', '2024-08')
  const cloudrun = planned.files.find((f) => f.path === 'stacks/cloudrun/cdk.tf.json')!.contents as string
  return JSON.parse(cloudrun).resource.google_bigquery_dataset['bigquery-dataset'].project as string
}

describe('the project of a BigQuery dataset', () => {
  it('an empty projectID is the environment project in msp open and in Terraform alike', () => {
    expect(bigQueryLink('')).toBe(bigQueryLink())
    expect(new URL(bigQueryLink('')).searchParams.get('project')).toBe('svc-prod-a1b2')
    expect(datasetProject('')).toBe(datasetProject())
  })

  it('a named project is used by both', () => {
    expect(new URL(bigQueryLink('analytics-proj')).searchParams.get('project')).toBe('analytics-proj')
    expect(datasetProject('analytics-proj')).toBe('analytics-proj')
  })
})
