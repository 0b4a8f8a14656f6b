/**
 * `msp tfc graph --format dot` against the `cdk.tf.json` that `msp generate` writes for the same
 * environment. The expected graph is derived here from the JSON text alone: every `resource` and `data`
 * block is a node (minus the original's filter of Secret Manager output copies, as `sg msp tfc graph` filters them),
 * and a block points at every other block whose address appears in one of its `${…}` interpolations or
 * in its `depends_on`.
 */
import {execFileSync} from 'node:child_process'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildStackGraph, renderGraphD2} from '../../src/lib/graph/stack-graph.js'
import {resourceRef} from '../../src/lib/terraform/model.js'
import {formatStackGraph, writeStackGraphSvg} from '../../src/lib/graph/output.js'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'

const STACKS = ['project', 'iam', 'cloudrun', 'monitoring', 'tfcworkspaces']
const TARGETS = [
  ['msp-testbed', 'test'],
  ['sams', 'prod'],
  ['gatekeeper', 'prod'],
] as const
const ORIGINAL_FILTER = ['google_secret_manager_secret.output', 'google_secret_manager_secret_version.output']

type Json = Record<string, Record<string, Record<string, unknown>>>

function expectedGraph(tfJson: string): {nodes: string[]; edges: string[]} {
  const doc = JSON.parse(tfJson) as {resource?: Json; data?: Json}
  const blocks: {address: string; body: Record<string, unknown>}[] = []
  for (const [prefix, section] of [
    ['', doc.resource],
    ['data.', doc.data],
  ] as const) {
    for (const [type, byName] of Object.entries(section ?? {})) {
      for (const [name, body] of Object.entries(byName)) blocks.push({address: `${prefix}${type}.${name}`, body})
    }
  }
  const kept = blocks.filter((b) => !ORIGINAL_FILTER.some((f) => b.address.includes(f)))
  const edges = new Set<string>()
  for (const from of kept) {
    const {depends_on: dependsOn = [], ...rest} = from.body as {depends_on?: string[]}
    const interpolations = [...JSON.stringify(rest).matchAll(/\$\{[^}]*\}/g)].map((m) => m[0])
    for (const to of kept) {
      if (to === from) continue
      const escaped = to.address.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')
      const mention = new RegExp(`(^|[^\\w.-])${escaped}[.\\[}]`)
      if (dependsOn.includes(to.address) || interpolations.some((i) => mention.test(i.slice(1)))) edges.add(`"${from.address}" -> "${to.address}"`)
    }
  }
  return {nodes: kept.map((b) => b.address).sort(), edges: [...edges].sort()}
}

function parseDot(dot: string): {nodes: string[]; edges: string[]} {
  const lines = dot.split('\n').map((l) => l.trim())
  const nodes = lines.flatMap((l) => /^"([^"]+)" \[label = "\1", shape = "box"\]$/.exec(l)?.[1] ?? [])
  const edges = lines.filter((l) => /^"[^"]+" -> "[^"]+"$/.test(l))
  return {nodes: [...nodes].sort(), edges: [...edges].sort()}
}

let repo: string
beforeAll(async () => {
  repo = makeRepoFromFixtures(TARGETS.map(([svc]) => svc))
  for (const [svc, env] of TARGETS) {
    const gen = await runMsp(['generate', svc, env], {cwd: repo, env: {MSP_NO_CACHE: '1'}})
    expect(gen.code, gen.stderr).toBe(0)
  }
}, 60_000)
afterAll(() => rmSync(repo, {recursive: true, force: true}))

describe('msp tfc graph --format dot', () => {
  for (const [svc, env] of TARGETS) {
    it(`lists every resource and every resource-to-resource reference of each ${svc}/${env} stack, as in the generated cdk.tf.json`, async () => {
      let totalEdges = 0
      for (const stack of STACKS) {
        const tfJson = readFileSync(join(repo, 'services', svc, 'terraform', env, 'stacks', stack, 'cdk.tf.json'), 'utf8')
        const expected = expectedGraph(tfJson)
        const r = await runMsp(['tfc', 'graph', svc, env, stack, '--format', 'dot'], {cwd: repo, env: {MSP_NO_CACHE: '1'}})
        expect(r.code, r.stderr).toBe(0)
        expect(r.stdout.startsWith('digraph {\n')).toBe(true)
        expect(parseDot(r.stdout), `${svc}/${env}/${stack}`).toEqual(expected)
        expect(expected.nodes.length, stack).toBeGreaterThan(0)
        totalEdges += expected.edges.length
      }
      expect(totalEdges).toBeGreaterThan(10)
    }, 60_000)
  }

  it('prints DOT when stdout is not a terminal and no --format is given', async () => {
    const r = await runMsp(['tfc', 'graph', 'gatekeeper', 'prod', 'iam'], {cwd: repo, env: {MSP_NO_CACHE: '1'}})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('"google_service_account.iam-operatoraccess-account" -> "random_id.iam-operatoraccess_account_id-random"')
  })

  it('on a terminal without --format, writes <svc>-<env>.<stack>.svg in the repository root and says where', async () => {
    // `script` (util-linux) gives the command a pseudo-terminal as stdout.
    const out = execFileSync(
      'script',
      ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoDir, 'bin/run.js'))} tfc graph gatekeeper prod iam`, '/dev/null'],
      {
        cwd: join(repo, 'services'),
        env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', MSP_NO_CACHE: '1'},
        encoding: 'utf8',
        timeout: 60_000,
      },
    )
    const file = join(repo, 'gatekeeper-prod.iam.svg')
    expect(out).toContain(`Graph rendered in ${file}`)
    const svg = readFileSync(file, 'utf8')
    expect(svg).toContain('<svg')
    expect(svg).toContain('google_service_account.iam-operatoraccess-account')
  }, 60_000)

  it('--format json prints {nodes, edges} with the same graph', async () => {
    const dot = await runMsp(['tfc', 'graph', 'sams', 'prod', 'cloudrun', '--format', 'dot'], {cwd: repo, env: {MSP_NO_CACHE: '1'}})
    const json = await runMsp(['tfc', 'graph', 'sams', 'prod', 'cloudrun', '--format', 'json'], {cwd: repo, env: {MSP_NO_CACHE: '1'}})
    const doc = JSON.parse(json.stdout) as {nodes: {id: string}[]; edges: {from: string; to: string}[]}
    expect({nodes: doc.nodes.map((n) => n.id).sort(), edges: doc.edges.map((e) => `"${e.from}" -> "${e.to}"`).sort()}).toEqual(parseDot(dot.stdout))
  })

  it('a missing stack is a usage error listing the stacks', async () => {
    const r = await runMsp(['tfc', 'graph', 'sams', 'prod'], {cwd: repo, env: {MSP_NO_CACHE: '1'}})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('project, iam, cloudrun, monitoring, tfcworkspaces')
  })
})

describe('graph rendering', () => {
  const graph = buildStackGraph({
    stackName: 'iam',
    backend: {hostname: 'h', organization: 'o', workspace: 'w'},
    providers: [],
    resources: [
      {type: 'random_id', name: 'r', body: {byte_length: 2}},
      // A plain string is literal text (the renderer escapes it), whatever it looks like; only expressions refer.
      {type: 'google_service_account', name: 'sa', body: {account_id: resourceRef('random_id', 'r', 'hex'), literal: '${data.google_project.p.id}'}},
      {type: 'google_secret_manager_secret', name: 'output-gsm-x-secret', body: {secret_id: 'iam_x'}},
      {
        type: 'google_secret_manager_secret_version',
        name: 'output-gsm-x-secret_version',
        body: {secret: resourceRef('google_secret_manager_secret', 'output-gsm-x-secret', 'id'), data: resourceRef('google_service_account', 'sa', 'email')},
      },
    ],
    data: [{type: 'google_project', name: 'p', body: {}}],
    locals: [],
    outputs: [],
    variables: [],
  })

  it('drops the Secret Manager output copies, and plain strings never make an edge', () => {
    expect(graph).toEqual({
      nodes: [
        {id: 'data.google_project.p', type: 'google_project', name: 'p', mode: 'data'},
        {id: 'google_service_account.sa', type: 'google_service_account', name: 'sa', mode: 'managed'},
        {id: 'random_id.r', type: 'random_id', name: 'r', mode: 'managed'},
      ],
      edges: [{from: 'google_service_account.sa', to: 'random_id.r'}],
    })
  })

  it('quotes addresses in D2 (a bare dot would nest) and writes <svc>-<env>.<stack>.svg', async () => {
    expect(renderGraphD2(graph)).toContain('"google_service_account.sa" -> "random_id.r"')
    const sources: string[] = []
    let closed = 0
    const renderer = () => ({render: async (d2: string) => (sources.push(d2), '<svg/>'), close: async () => void closed++})
    expect(await formatStackGraph(graph, 'svg', renderer)).toBe('<svg/>')
    const file = await writeStackGraphSvg({graph, serviceId: 'svc', envId: 'dev', stack: 'iam', dir: repo, createSvgRenderer: renderer})
    expect(file).toBe(join(repo, 'svc-dev.iam.svg'))
    expect(readFileSync(file, 'utf8')).toBe('<svg/>')
    expect(sources).toEqual([renderGraphD2(graph), renderGraphD2(graph)])
    expect(closed).toBe(2)
  })
})
