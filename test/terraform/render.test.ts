import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {resourceRef, tf, tfJsonText, type TfConfig} from '../../src/lib/terraform/model.js'
import {renderJson, renderTerraform, renderTerraformJson} from '../../src/lib/terraform/render.js'
import {iterations} from '../helpers/stress.js'

describe('renderJson', () => {
  it('sorts keys in byte order at every level, indents by two spaces and ends with a newline', () => {
    expect(renderJson({b: 1, a: {d: [1, {z: true, y: null}], c: 'x'}, e: [], f: {}})).toBe(
      '{\n  "a": {\n    "c": "x",\n    "d": [\n      1,\n      {\n        "y": null,\n        "z": true\n      }\n    ]\n  },\n  "b": 1,\n  "e": [],\n  ' +
        '"f": {}\n}\n',
    )
  })

  it('keeps byte order for array-index-like keys, which engines would otherwise put first', () => {
    expect(renderJson({b: 1, '10': 2, '9': {'2': 'x', '10': 'y'}})).toBe('{\n  "10": 2,\n  "9": {\n    "10": "y",\n    "2": "x"\n  },\n  "b": 1\n}\n')
  })

  it('drops undefined properties and refuses non-finite numbers', () => {
    expect(renderJson({a: undefined, b: 1})).toBe('{\n  "b": 1\n}\n')
    expect(() => renderJson({a: Number.NaN})).toThrow(/non-finite/)
  })

  it('round-trips any JSON value with sorted keys (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = renderJson(value as never)
        const back = JSON.parse(text)
        expect(back).toEqual(JSON.parse(JSON.stringify(value)))
        // Engines list index-like keys first whatever the text says, so check the others only.
        const sortedEverywhere = (v: unknown): boolean =>
          Array.isArray(v)
            ? v.every(sortedEverywhere)
            : v !== null && typeof v === 'object'
              ? Object.keys(v)
                  .filter((k) => !/^(0|[1-9]\d*)$/.test(k))
                  .every((k, i, ks) => i === 0 || ks[i - 1]! < k) && Object.values(v).every(sortedEverywhere)
              : true
        expect(sortedEverywhere(back)).toBe(true)
        expect(renderJson(back)).toBe(text)
        expect(text.endsWith('\n')).toBe(true)
      }),
      {numRuns: iterations(300, 60)},
    )
  })
})

it('keeps a "__proto__" key as data, in sorted and unsorted objects', () => {
  for (const raw of ['{"__proto__":{"a":1}}', '{"z":1,"__proto__":[2]}']) {
    const value = JSON.parse(raw)
    expect(JSON.parse(renderJson(value))).toEqual(value)
    expect(Object.keys(JSON.parse(renderJson(value)))).toContain('__proto__')
  }
})

describe('renderTerraform', () => {
  const base: TfConfig = {
    stackName: 'iam',
    backend: {hostname: 'app.terraform.io', organization: 'sourcegraph', workspace: 'msp-x-dev-iam'},
    providers: [
      {name: 'tfe', source: 'hashicorp/tfe', version: '0.51.0', config: {}},
      {name: 'tfe', source: 'hashicorp/tfe', version: '0.51.0', config: {alias: 'tfe-org'}},
    ],
    resources: [{type: 'random_id', name: 'r', body: {byte_length: 3}}],
    data: [],
    locals: [['x', 'y']],
    outputs: [{name: 'output-x', value: 'y', description: 'd', sensitive: false}],
    variables: [],
  }

  it('writes the terraform block, provider arrays (aliases as extra entries), locals and outputs', () => {
    const doc = JSON.parse(renderTerraform(base, {terraformVersion: '1.3.10'}))
    expect(doc.terraform).toEqual({
      cloud: {hostname: 'app.terraform.io', organization: 'sourcegraph', workspaces: {name: 'msp-x-dev-iam'}},
      required_providers: {tfe: {source: 'hashicorp/tfe', version: '0.51.0'}},
      required_version: '~> 1.3.10',
    })
    expect(doc.provider.tfe).toEqual([{}, {alias: 'tfe-org'}])
    expect(doc.locals).toEqual({x: 'y'})
    expect(doc.output['output-x']).toEqual({description: 'd', sensitive: false, value: 'y'})
    expect(doc).not.toHaveProperty('variable')
  })

  it('refuses two blocks with the same address', () => {
    const dup = {...base, resources: [...base.resources, {type: 'random_id', name: 'r', body: {}}]}
    expect(() => renderTerraform(dup, {terraformVersion: '1.3.10'})).toThrow(/duplicate resource random_id.r/)
  })
})

describe('renderTerraformJson: literal text and expressions', () => {
  // HCL reads `$${` as a literal `${` and `%%{` as a literal `%{`.
  const unescape = (text: string) => text.replace(/([$%])\1\{/g, '$1{')

  it('escapes ${ and %{ in every plain string and key, and writes expressions raw', () => {
    const ref = resourceRef('random_id', 'r', 'hex')
    const text = renderTerraformJson({
      a: 'x ${file("/etc/passwd")} %{if true}y%{endif}',
      'k${x}': [ref, tf`p-${'${q}'}-${ref}`],
      b: '$${already} $${',
    })
    expect(JSON.parse(text)).toEqual({
      a: 'x $${file("/etc/passwd")} %%{if true}y%%{endif}',
      'k$${x}': ['${random_id.r.hex}', 'p-$${q}-${random_id.r.hex}'],
      b: '$$${already} $$${',
    })
  })

  it('a plain string survives any content: unescaping what is written gives it back (property)', () => {
    const text = fc.string({unit: fc.constantFrom('$', '%', '{', '}', 'a', '\\', '"')})
    fc.assert(
      fc.property(text, text, (key, value) => {
        const written = JSON.parse(renderTerraformJson({[key]: value, list: [value]}))
        expect(unescape(written.list[0])).toBe(value)
        expect(Object.keys(written).map(unescape).sort()).toEqual([key, 'list'].sort())
      }),
      {numRuns: iterations(300, 60)},
    )
  })

  it('refuses an expression used in a plain template string, and one rendered as plain JSON', () => {
    const ref = resourceRef('random_id', 'r', 'hex')
    expect(() => `x-${String(ref)}`).toThrow(/tf`/)
    expect(() => renderJson({a: ref})).toThrow(/outside a Terraform document/)
  })

  it('refuses references whose names are not Terraform identifiers', () => {
    expect(() => resourceRef('random_id', 'r}${file("x")', 'hex')).toThrow(/invalid Terraform name/)
    expect(() => resourceRef('random_id', 'r', 'hex}')).toThrow(/attribute path/)
  })

  it('JSON documents inside an attribute keep expressions and escape strings', () => {
    const ref = resourceRef('google_monitoring_alert_policy', 'p', 'name')
    expect(tfJsonText({a: 'plain'})).toBe('{"a":"plain"}')
    const mixed = tfJsonText({title: '${x}', tiles: [{name: ref}, undefined], skip: undefined})
    expect(renderTerraformJson({d: mixed})).toBe(
      `${JSON.stringify({d: '{"title":"$${x}","tiles":[{"name":"${google_monitoring_alert_policy.p.name}"},null]}'}, null, 2)}\n`,
    )
  })
})

// The original marshals dashboards and Sentry actions with Go's encoding/json, whose default escapes
// <, >, & and U+2028/U+2029 (json.Marshal's HTML-safe output, documented in encoding/json).
describe('tfJsonText writes JSON the way Go encoding/json does', () => {
  it('escapes <, >, & and the line/paragraph separators, in keys and values; JSON.parse reads back the same value', () => {
    const value = {'a<b': 'x & y <z> \u2028\u2029', n: 1}
    const text = tfJsonText(value)
    expect(text).toBe('{"a\\u003cb":"x \\u0026 y \\u003cz\\u003e \\u2028\\u2029","n":1}')
    expect(JSON.parse(String(text))).toEqual(value)
  })

  it('keeps expressions as they are', () => {
    const text = tfJsonText({name: resourceRef('google_monitoring_alert_policy', 'a', 'name'), t: '<'})
    expect(renderTerraformJson({j: text})).toContain('{\\"name\\":\\"${google_monitoring_alert_policy.a.name}\\",\\"t\\":\\"\\\\u003c\\"}')
  })
})
