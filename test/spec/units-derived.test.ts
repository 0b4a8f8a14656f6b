import {describe, expect, test} from 'vitest'
import {
  bigQueryDatasetID,
  cloudRunName,
  defaultServiceName,
  dnsName,
  environmentLocation,
  environmentRegion,
  healthProbeSettings,
  imageTag,
  isJob,
  jobDeadlineSeconds,
  opsgenieEnabled,
  responseCodeRatioMinutes,
  serviceName,
} from '../../src/lib/spec/derived.js'
import {notionPageUrl} from '../../src/lib/links/handbook.js'
import {parseSpec} from '../../src/lib/spec/load.js'
import type {Spec} from '../../src/lib/spec/schema.js'
import {environmentStacks} from '../../src/lib/stacks/index.js'
import {renderTerraform} from '../../src/lib/terraform/render.js'
import {GiB, goDurationSeconds, MiB, parseMemory} from '../../src/lib/spec/units.js'
import {FILE, testSpec} from './spec-test-data.js'
import {AUG_2024, MAY_2024} from '../helpers/editions.js'

describe('goDurationSeconds (Go time.ParseDuration semantics)', () => {
  test.each<[string, number | undefined]>([
    ['120s', 120],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['0.5h', 1800],
    ['1500ms', 1.5],
    ['0', 0],
    ['-2m', -120],
    ['5', undefined],
    ['5 m', undefined],
    ['m', undefined],
    ['1d', undefined],
    ['', undefined],
  ])('%s → %s', (text, seconds) => {
    expect(goDurationSeconds(text)).toBe(seconds)
  })
})

describe('parseMemory (alecthomas/units semantics)', () => {
  test.each([
    ['512Mi', 512 * MiB],
    ['1Gi', GiB],
    ['1.5Gi', 1.5 * GiB],
    ['1Gi512Mi', GiB + 512 * MiB],
    ['+2Gi', 2 * GiB],
    ['0', 0],
    ['1024B', 1024],
  ])('%s is %d bytes', (input, bytes) => {
    expect(parseMemory(input)).toEqual({ok: true, bytes})
  })

  test.each([
    ['8GiB', 'units: unknown unit GiB in 8GiB'],
    ['2G', 'units: unknown unit G in 2G'],
    ['512', 'units: unknown unit  in 512'],
    ['', 'units: invalid '],
    ['Gi', 'units: invalid Gi'],
    ['.Mi', 'units: invalid .Mi'],
  ])('%s is rejected: %s', (input, error) => {
    expect(parseMemory(input)).toEqual({ok: false, error})
  })
})

describe('derived values', () => {
  const load = (source: string) => parseSpec(source, {file: FILE}).spec!

  test('names, kind, region and location defaults', () => {
    const spec = load(testSpec())
    const env = spec.environments[0]!
    expect(serviceName(spec)).toBe('svc')
    expect(isJob(spec)).toBe(false)
    expect(environmentRegion(env)).toBe('us-central1')
    expect(environmentLocation(env)).toBe('US')
    expect(cloudRunName(spec, env)).toBe('svc-dev-us-central1')
    expect(bigQueryDatasetID({service: {...spec.service, id: 'a-b-c'}}, env)).toBe('a_b_c')
    expect(notionPageUrl(spec.service)).toBeUndefined()
    expect(notionPageUrl(load(testSpec({service: 'notionPageID: abc'})).service)).toBe('https://sourcegraph.notion.site/abc')
    expect(defaultServiceName('msp-example')).toBe('Msp Example')
  })

  test('image tags: manual block absent → insiders, present without tag → empty, rollout → initialImageTag', () => {
    const manual = load(testSpec())
    expect(imageTag(manual, manual.environments[0]!)).toBe('insiders')
    const emptyManual = load(testSpec().replace('{type: manual}', '{type: manual, manual: {}}'))
    expect(imageTag(emptyManual, emptyManual.environments[0]!)).toBe('')
    const rollout = load(testSpec({top: 'rollout: {stages: [{environment: dev}], initialImageTag: v1}'}).replace('{type: manual}', '{type: rollout}'))
    expect(imageTag(rollout, rollout.environments[0]!)).toBe('v1')
    const subscription = load(testSpec().replace('{type: manual}', '{type: subscription, subscription: {tag: insiders}}'))
    expect(imageTag(subscription, subscription.environments[0]!)).toEqual({subscription: 'insiders'})
  })

  test('the cloudrun stack deploys exactly that tag, and a subscription through resolved_image_tag', () => {
    const manual = load(testSpec().replace('{type: manual}', '{type: manual, manual: {tag: v7}}'))
    const subscription = load(testSpec().replace('{type: manual}', '{type: subscription, subscription: {tag: insiders}}'))
    const image = (spec: Spec) => {
      const stack = environmentStacks(spec, spec.environments[0]!, AUG_2024).find((s) => s.name === 'cloudrun')!
      return JSON.parse(renderTerraform(stack.config, {terraformVersion: '1.3.10'})).resource.google_cloud_run_v2_service.cloudrun.template.containers[0].image
    }
    expect(image(manual)).toMatch(/:v7$/)
    expect(image(subscription)).toMatch(/:\$\{var\.resolved_image_tag\}$/)
  })

  test('health probes default on only when the block exists', () => {
    const off = load(testSpec()).environments[0]!
    expect(healthProbeSettings(off)).toMatchObject({enabled: false, maxStartupSeconds: 240})
    const on = load(testSpec({env: 'healthProbes: {timeout: 5}'})).environments[0]!
    expect(healthProbeSettings(on)).toEqual({
      enabled: true,
      timeoutSeconds: 5,
      startupIntervalSeconds: 5,
      livenessIntervalSeconds: 50,
      maxStartupSeconds: 15,
    })
  })

  test('opsgenie paging: explicit setting wins; unset is on for internal/external under 2024-08, off under 2024-05; job deadline defaults to 300', () => {
    const test_ = load(testSpec()).environments[0]!
    expect(opsgenieEnabled(test_, AUG_2024)).toBe(false)
    expect(opsgenieEnabled({...test_, category: 'external'}, AUG_2024)).toBe(true)
    expect(opsgenieEnabled({...test_, category: 'external'}, MAY_2024)).toBe(false)
    expect(opsgenieEnabled({...test_, category: 'external', alerting: {opsgenie: true}}, MAY_2024)).toBe(true)
    expect(opsgenieEnabled({...test_, category: 'external', alerting: {opsgenie: false}}, AUG_2024)).toBe(false)
    const job = load(testSpec({service: 'kind: job', env: 'deadlineSeconds: 1800'}))
    expect(isJob(job)).toBe(true)
    expect(jobDeadlineSeconds(job.environments[0]!)).toBe(1800)
    expect(jobDeadlineSeconds(test_)).toBe(300)
  })

  test('DNS name exists whenever a cloudflare block is present', () => {
    expect(dnsName(load(testSpec({env: 'domain: {type: none, cloudflare: {subdomain: a, zone: b.org}}'})).environments[0]!)).toBe('a.b.org')
    expect(dnsName(load(testSpec()).environments[0]!)).toBeUndefined()
  })

  test('response code alert duration: durationMinutes, else May-2024 duration, else 1', () => {
    expect(responseCodeRatioMinutes({durationMinutes: 5})).toBe(5)
    expect(responseCodeRatioMinutes({duration: '120s'})).toBe(2)
    expect(responseCodeRatioMinutes({})).toBe(1)
  })
})
