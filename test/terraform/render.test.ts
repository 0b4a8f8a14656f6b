import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {TfConfig} from '../../src/lib/terraform/model.js'
import {renderJson, renderTerraform} from '../../src/lib/terraform/render.js'

describe('renderJson', () => {
  it('sorts keys in byte order at every level, indents by two spaces and ends with a newline', () => {
    expect(renderJson({b: 1, a: {d: [1, {z: true, y: null}], c: 'x'}, e: [], f: {}})).toBe(
      '{\n  "a": {\n    "c": "x",\n    "d": [\n      1,\n      {\n        "y": null,\n        "z": true\n      }\n    ]\n  },\n  "b": 1,\n  "e": [],\n  "f": {}\n}\n',
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
      {numRuns: 300},
    )
  })
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
