/**
 * Live-state code keeps its own copies of a few facts so `msp status` / `msp tfc sync` do not load the
 * Terraform model. Until the lead unifies them, this test fails the moment the copies drift apart.
 */
import {expect, test} from 'vitest'
import {TFC_STACK_IDS} from '../../src/lib/cloud/stacks.js'
import {DEFAULT_REGION, cloudRunTarget} from '../../src/lib/cloud/target.js'
import {DEFAULT_TERRAFORM_VERSION} from '../../src/lib/cloud/tfc-sync.js'
import {DEFAULT_GCP_REGION, STACK_NAMES, cloudRunName} from '../../src/lib/stacks/naming.js'
import {DEFAULT_TERRAFORM_VERSION as GENERATE_TERRAFORM_VERSION} from '../../src/lib/terraform/generate.js'

test('stack order, default region, Terraform version and Cloud Run names agree with the stacks model', () => {
  expect(TFC_STACK_IDS).toEqual(STACK_NAMES)
  expect(DEFAULT_REGION).toBe(DEFAULT_GCP_REGION)
  expect(DEFAULT_TERRAFORM_VERSION).toBe(GENERATE_TERRAFORM_VERSION)
  for (const env of [
    {id: 'prod', projectID: 'p', category: 'external' as const},
    {id: 'eu', projectID: 'p', category: 'test' as const, locations: {gcpRegion: 'europe-west3'}},
  ]) {
    expect(cloudRunTarget({id: 'cody-analytics'}, env).name).toBe(cloudRunName('cody-analytics', env))
  }
})
