/**
 * The comparison of two configurations and how its changes are shown, on small hand-written
 * Terraform JSON documents (the shape CDKTF writes: `resource.<type>.<name>`, single blocks as objects).
 */
import {describe, expect, it} from 'vitest'
import {compareConfigs} from '../../src/lib/diff/changes.js'
import {configView} from '../../src/lib/diff/config.js'
import {markdownCell, renderDiffMarkdown, renderDiffText} from '../../src/lib/diff/report.js'
import {hasInterpolation, literalValue, SENSITIVE, type Json} from '../../src/lib/diff/values.js'

const WS = 'msp-svc-prod-cloudrun'

function doc(resources: Record<string, Record<string, Json>>, extra: Record<string, Json> = {}): Json {
  return {terraform: {required_providers: {google: {source: 'registry.terraform.io/hashicorp/google', version: '5.29.0'}}}, resource: resources, ...extra}
}

describe('compareConfigs', () => {
  it('ignores the top-level "//" key: a comment to Terraform (CDKTF writes its metadata there), not an item a plan shows', () => {
    const before = doc({}, {'//': {metadata: {version: '0.20.0'}}})
    const after = doc({}, {'//': {metadata: {version: '0.21.0'}}})
    expect([...configView(after).items.keys()]).not.toContain('//')
    expect(compareConfigs(WS, configView(before), configView(after))).toEqual([])
  })

  it('reports creates, deletes and in-place updates with their attribute paths', () => {
    const before = doc({google_pubsub_topic: {a: {name: 'a', labels: {team: 'x'}}}, google_storage_bucket: {old: {name: 'old-bucket', location: 'US'}}})
    const after = doc({google_pubsub_topic: {a: {name: 'a', labels: {team: 'y'}}}, google_redis_instance: {r: {name: 'redis', memory_size_gb: 1}}})
    expect(compareConfigs(WS, configView(before), configView(after))).toEqual([
      {
        workspace: WS,
        address: 'google_pubsub_topic.a',
        action: 'update',
        attributes: ['labels.team'],
        before: {'labels.team': 'x'},
        after: {'labels.team': 'y'},
      },
      {workspace: WS, address: 'google_redis_instance.r', action: 'create'},
      {workspace: WS, address: 'google_storage_bucket.old', action: 'delete'},
    ])
  })

  it('replaces a resource whose create_before_destroy changes', () => {
    const before = doc({google_compute_ssl_policy: {p: {min_tls_version: 'TLS_1_2'}}})
    const after = doc({google_compute_ssl_policy: {p: {min_tls_version: 'TLS_1_2', lifecycle: {create_before_destroy: true}}}})
    const [change] = compareConfigs(WS, configView(before), configView(after))
    expect(change).toMatchObject({action: 'replace', attributes: ['lifecycle'], reason: 'lifecycle.create_before_destroy changed'})
    // Other lifecycle settings are updates of the configuration only.
    const guarded = doc({google_compute_ssl_policy: {p: {min_tls_version: 'TLS_1_2', lifecycle: {prevent_destroy: true}}}})
    expect(compareConfigs(WS, configView(before), configView(guarded))[0]).toMatchObject({action: 'update'})
  })

  it('replaces a renamed resource that keeps its type and body, instead of a delete and a create', () => {
    const body = {name: 'redis', memory_size_gb: 1}
    expect(compareConfigs(WS, configView(doc({google_redis_instance: {old: body}})), configView(doc({google_redis_instance: {new: body}})))).toEqual([
      {
        workspace: WS,
        address: 'google_redis_instance.new',
        action: 'replace',
        from: 'google_redis_instance.old',
        reason: 'renamed from google_redis_instance.old',
      },
    ])
    // A different body is a real delete and create.
    const other = compareConfigs(
      WS,
      configView(doc({google_redis_instance: {old: body}})),
      configView(doc({google_redis_instance: {new: {...body, memory_size_gb: 2}}})),
    )
    expect(other.map((c) => c.action)).toEqual(['create', 'delete'])
  })

  it('replaces a resource whose name cannot change in place, and updates one whose name can', () => {
    const renamed = compareConfigs(
      WS,
      configView(doc({google_redis_instance: {r: {name: 'redis-basic'}}})),
      configView(doc({google_redis_instance: {r: {name: 'redis'}}})),
    )
    expect(renamed).toEqual([
      {
        workspace: WS,
        address: 'google_redis_instance.r',
        action: 'replace',
        attributes: ['name'],
        before: {name: 'redis-basic'},
        after: {name: 'redis'},
        reason: 'name cannot change in place',
      },
    ])
    const alert = compareConfigs(
      WS,
      configView(doc({google_monitoring_alert_policy: {a: {display_name: 'A'}}})),
      configView(doc({google_monitoring_alert_policy: {a: {display_name: 'B'}}})),
    )
    expect(alert[0]!.action).toBe('update')
    const member = compareConfigs(
      WS,
      configView(doc({google_project_iam_member: {m: {role: 'roles/a', member: 'x'}}})),
      configView(doc({google_project_iam_member: {m: {role: 'roles/b', member: 'x'}}})),
    )
    expect(member[0]!.action).toBe('replace')
  })

  it('reports outputs, variables, providers and the terraform block, masking sensitive values', () => {
    const before = configView({
      terraform: {required_version: '~> 1.3.10', required_providers: {google: {source: 's', version: '5.0.0'}}},
      provider: {google: [{project: 'p'}]},
      output: {secret: {value: 'old-secret-value', sensitive: true}, plain: {value: 'a'}},
      variable: {resolved_image_tag: {type: 'string'}},
      resource: {google_secret_manager_secret_version: {v: {secret: 's', secret_data: 'hunter2-old'}}},
    })
    const after = configView({
      terraform: {required_version: '~> 1.5.7', required_providers: {google: {source: 's', version: '5.29.0'}}},
      provider: {google: [{project: 'p'}, {alias: 'beta', project: 'p'}]},
      output: {secret: {value: 'new-secret-value', sensitive: true}},
      resource: {google_secret_manager_secret_version: {v: {secret: 's', secret_data: 'hunter2-new'}}},
    })
    const changes = compareConfigs(WS, before, after)
    expect(changes.map((c) => [c.address, c.action])).toEqual([
      ['google_secret_manager_secret_version.v', 'update'],
      ['output.plain', 'delete'],
      ['output.secret', 'update'],
      ['provider.google', 'update'],
      ['provider.google.beta', 'create'],
      ['terraform', 'update'],
      ['var.resolved_image_tag', 'delete'],
    ])
    expect(changes[0]!.after).toEqual({secret_data: SENSITIVE})
    expect(changes[2]!.before).toEqual({value: SENSITIVE})
    expect(changes[3]).toMatchObject({attributes: ['version'], before: {version: '5.0.0'}, after: {version: '5.29.0'}})
    expect(changes[5]).toMatchObject({attributes: ['required_version'], after: {required_version: '~> 1.5.7'}})
    expect(JSON.stringify(changes)).not.toMatch(/hunter2|secret-value/)
  })

  it('shortens long values and shows list additions by themselves', () => {
    const long = 'x'.repeat(1000)
    const [change] = compareConfigs(
      WS,
      configView(doc({google_monitoring_dashboard: {d: {dashboard_json: long, list: [1, 2, 3]}}})),
      configView(doc({google_monitoring_dashboard: {d: {dashboard_json: `${long}y`, list: [1, 2, 9, 3]}}})),
    )
    expect(change!.after!.dashboard_json).toMatch(/^x+… \(1001 characters\)$/)
    expect((change!.after!.dashboard_json as string).length).toBeLessThan(140)
    expect(change!.before!.list).toEqual(['(2 unchanged items)', '(1 unchanged item)'])
    expect(change!.after!.list).toEqual(['(2 unchanged items)', 9, '(1 unchanged item)'])
  })
})

describe('literal values', () => {
  it('tells interpolations from escaped template sequences', () => {
    expect(hasInterpolation('${google_x.y.id}')).toBe(true)
    expect(hasInterpolation('a %{ if x }b%{ endif }')).toBe(true)
    expect(hasInterpolation('literal $${not} and %%{not}')).toBe(false)
    expect(literalValue('literal $${not}')).toBe('literal ${not}')
    expect(literalValue({a: ['x', '${var.y}']})).toBeUndefined()
    expect(literalValue({a: ['x', 1, true, null]})).toEqual({a: ['x', 1, true, null]})
  })
})

describe('rendering', () => {
  const hostile = {
    workspace: 'ws\u001b]0;pwned\u0007',
    address: 'google_x.y',
    action: 'update' as const,
    attributes: ['a'],
    before: {a: '<img src=x onerror=alert(1)> | *b*'},
    after: {a: 'line\nbreak $x$'},
  }

  it('escapes spec and server text for the terminal', () => {
    const text = renderDiffText([hostile], {against: 'working tree'})
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
    expect(text).toContain('ws\\x1b]0;pwned\\x07:')
    expect(text.split('\n').at(-1)).toBe('Plan: 0 to add, 1 to change, 0 to destroy.')
  })

  it('escapes cells for Markdown: no HTML, no emphasis, no cell break, no math', () => {
    expect(markdownCell('<img src=x> | *b* $x$ `c` [l](u)')).toBe('\\<img src=x\\> \\| \\*b\\* \\$x\\$ \\`c\\` \\[l\\](u)')
    const md = renderDiffMarkdown([hostile], {against: 'working tree'})
    expect(md).not.toMatch(/(?<!\\)<img/)
    expect(md).not.toMatch(/[^\\]\|\s*\*b/)
    const row = md.split('\n').find((l) => l.startsWith('| update'))!
    // Five cells: the escaped `|` inside a value does not split it.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5)
    expect(md.trimEnd().split('\n').at(-1)).toBe('**Plan: 0 to add, 1 to change, 0 to destroy.**')
  })
})
