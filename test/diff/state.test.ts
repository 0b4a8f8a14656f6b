/**
 * Configuration against applied state, on small documents in the shapes Terraform writes: raw state
 * files (format version 4) and JSON state (`terraform show -json`).
 */
import {describe, expect, it} from 'vitest'
import {compareWithState, instanceAddresses} from '../../src/lib/diff/compare-state.js'
import {configView} from '../../src/lib/diff/config.js'
import {parseState} from '../../src/lib/diff/state.js'
import {SENSITIVE, type Json} from '../../src/lib/diff/values.js'

const WS = 'msp-svc-prod-cloudrun'

function raw(
  resources: {type: string; name: string; instances: {index_key?: Json; attributes: Json; sensitive_attributes?: Json}[]}[],
  outputs: Json = {},
): Json {
  return {
    version: 4,
    terraform_version: '1.2.9',
    serial: 1,
    lineage: 'x',
    outputs,
    resources: resources.map((r) => ({mode: 'managed', provider: 'p', ...r})) as Json,
  }
}

describe('parseState', () => {
  it('reads indexed instances of both forms, and skips data sources', () => {
    const fromRaw = parseState(
      raw([
        {
          type: 'google_storage_bucket',
          name: 'b',
          instances: [
            {index_key: 0, attributes: {name: 'a'}},
            {index_key: 1, attributes: {name: 'b'}},
          ],
        },
        {type: 'google_pubsub_topic', name: 't', instances: [{index_key: 'x.y', attributes: {name: 't'}}]},
      ]),
      'ws',
    )
    expect([...fromRaw.resources.keys()]).toEqual(['google_storage_bucket.b[0]', 'google_storage_bucket.b[1]', 'google_pubsub_topic.t["x.y"]'])
    const fromJson = parseState(
      {
        format_version: '1.0',
        values: {
          outputs: {o: {value: 'v', sensitive: false}},
          root_module: {
            resources: [
              {
                address: 'google_storage_bucket.b[0]',
                mode: 'managed',
                type: 'google_storage_bucket',
                name: 'b',
                index: 0,
                values: {name: 'a'},
                sensitive_values: {},
              },
              {address: 'data.google_project.p', mode: 'data', type: 'google_project', name: 'p', values: {}},
            ],
          },
        },
      },
      'ws',
    )
    expect([...fromJson.resources.keys()]).toEqual(['google_storage_bucket.b[0]'])
    expect(fromJson.outputs.get('o')).toEqual({value: 'v', sensitive: false})
    expect(() => parseState({version: 2}, 'workspace w')).toThrow(/workspace w has a format msp does not read/)
  })
})

describe('compareWithState', () => {
  it('expands count and for_each into indexed addresses', () => {
    expect(instanceAddresses('a.b', {count: 2})).toEqual(['a.b[0]', 'a.b[1]'])
    expect(instanceAddresses('a.b', {for_each: {x: 1, y: 2}})).toEqual(['a.b["x"]', 'a.b["y"]'])
    expect(instanceAddresses('a.b', {for_each: ['k', 'k']})).toEqual(['a.b["k"]'])
    expect(instanceAddresses('a.b', {count: '${length(var.x)}'})).toBeUndefined()
    const config = configView({resource: {google_storage_bucket: {b: {count: 2, name: 'n'}}, google_pubsub_topic: {t: {count: '${var.n}', name: 't'}}}})
    const state = parseState(
      raw([
        {
          type: 'google_storage_bucket',
          name: 'b',
          instances: [
            {index_key: 0, attributes: {name: 'n'}},
            {index_key: 2, attributes: {name: 'n'}},
          ],
        },
        {type: 'google_pubsub_topic', name: 't', instances: [{index_key: 5, attributes: {name: 't'}}]},
      ]),
      'ws',
    )
    expect(compareWithState(WS, config, state).map((c) => [c.address, c.action])).toEqual([
      ['google_storage_bucket.b[1]', 'create'],
      ['google_storage_bucket.b[2]', 'delete'],
    ])
  })

  it('compares nested blocks (lists in state) and maps (maps in state, keys both ways), literals only', () => {
    const config = configView({
      resource: {
        google_cloud_run_v2_service: {
          s: {
            name: 'svc',
            labels: {team: 'core'},
            template: {scaling: {max_instance_count: 5}, containers: [{image: '${var.image}', env: [{name: 'A', value: 'a'}]}]},
          },
        },
      },
    })
    const applied = (labels: Json, max: number, env: Json) =>
      parseState(
        raw([
          {
            type: 'google_cloud_run_v2_service',
            name: 's',
            instances: [
              {
                attributes: {
                  name: 'svc',
                  uid: 'computed',
                  labels,
                  template: [{scaling: [{max_instance_count: max, min_instance_count: 0}], containers: [{image: 'x:1', env}]}],
                },
              },
            ],
          },
        ]),
        'ws',
      )
    expect(compareWithState(WS, config, applied({team: 'core'}, 5, [{name: 'A', value: 'a'}]))).toEqual([])
    const changes = compareWithState(WS, config, applied({team: 'core', extra: 'x'}, '5' as unknown as number, [{name: 'A', value: 'b'}]))
    expect(changes).toEqual([
      {
        workspace: WS,
        address: 'google_cloud_run_v2_service.s',
        action: 'update',
        attributes: ['labels.extra', 'template.containers[0].env[0].value'],
        before: {'labels.extra': 'x', 'template.containers[0].env[0].value': 'b'},
        after: {'labels.extra': null, 'template.containers[0].env[0].value': 'a'},
      },
    ])
  })

  it('treats a list that comes back in another order as equal (sets), honours ignore_changes, and masks sensitive values', () => {
    const config = configView({
      resource: {
        google_project_iam_custom_role: {r: {permissions: ['b', 'a']}},
        google_cloud_run_v2_service: {s: {template: {containers: [{image: 'x:2'}]}, lifecycle: {ignore_changes: ['template[0].containers[0].image']}}},
        google_secret_manager_secret_version: {v: {secret_data: 'new-secret'}},
        google_sql_user: {u: {password: 'p1'}},
      },
    })
    const state = parseState(
      raw([
        {type: 'google_project_iam_custom_role', name: 'r', instances: [{attributes: {permissions: ['a', 'b']}}]},
        {type: 'google_cloud_run_v2_service', name: 's', instances: [{attributes: {template: [{containers: [{image: 'x:1'}]}]}}]},
        {type: 'google_secret_manager_secret_version', name: 'v', instances: [{attributes: {secret_data: 'old-secret'}}]},
        {
          type: 'google_sql_user',
          name: 'u',
          instances: [{attributes: {password: 'p0'}, sensitive_attributes: [[{type: 'get_attr', value: 'password'}]]}],
        },
      ]),
      'ws',
    )
    const changes = compareWithState(WS, config, state)
    expect(changes.map((c) => c.address)).toEqual(['google_secret_manager_secret_version.v', 'google_sql_user.u'])
    expect(changes[0]!.before).toEqual({secret_data: SENSITIVE})
    expect(changes[1]!.after).toEqual({password: SENSITIVE})
    expect(JSON.stringify(changes)).not.toMatch(/secret"|p0|p1/)
  })

  it('reports outputs a plan would add, remove or change', () => {
    const config = configView({output: {a: {value: 'x'}, b: {value: '${google_x.y.id}'}, c: {value: 'new'}}})
    const state = parseState(raw([], {b: {value: 'anything', type: 'string'}, c: {value: 'old', type: 'string'}, d: {value: 1, type: 'number'}}), 'ws')
    expect(compareWithState(WS, config, state)).toEqual([
      {workspace: WS, address: 'output.a', action: 'create'},
      {workspace: WS, address: 'output.c', action: 'update', attributes: ['value'], before: {value: 'old'}, after: {value: 'new'}},
      {workspace: WS, address: 'output.d', action: 'delete'},
    ])
  })
})
