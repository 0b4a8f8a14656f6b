import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, test} from 'vitest'
import {
  generateHandbook,
  HANDBOOK_PAGES_DIR,
  loadHandbookServices,
  planHandbook,
  resolveHandbookPagesDir,
  writeHandbook,
  type HandbookPlan,
} from '../../src/lib/handbook/generate.js'
import type {SvgRenderer} from '../../src/lib/handbook/svg.js'
import {UserError} from '../../src/lib/io/errors.js'
import {resolveService} from '../../src/lib/repo/resolve.js'
import {testSpec} from '../helpers/spec-builders.js'
import {fixtureIds, makeFixtureRepo, withoutRunHeader} from './fixtures.js'
import {MAY_2024} from '../helpers/editions.js'

/** A strict fake D2: records every source it renders and how many renders overlapped. */
function fakeSvg() {
  const rendered: string[] = []
  let created = 0
  let closed = 0
  let inFlight = 0
  let maxInFlight = 0
  const factory = (): SvgRenderer => {
    created++
    return {
      async render(d2) {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await new Promise((r) => setTimeout(r, 5))
        inFlight--
        rendered.push(d2)
        return `<svg data-nodes="${d2.split('\n').length}"></svg>`
      },
      async close() {
        closed++
      },
    }
  }
  return {factory, rendered, stats: () => ({created, closed, maxInFlight})}
}

const header = {generateCommand: 'msp handbook', lastUpdated: new Date('2024-05-01T12:30:43.834Z'), revision: 'a'.repeat(40)}

let work: string
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'msp-handbook-gen-'))
})
afterEach(() => {
  rmSync(work, {recursive: true, force: true})
})

function handbookCheckout(name = '@sourcegraph/handbook.sourcegraph.com'): string {
  const dir = join(work, 'handbook')
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'package.json'), JSON.stringify({name}))
  return dir
}

const tinyPlan = (page = 'page v1\n', d2 = 'a -> b\n'): HandbookPlan => ({
  pages: [
    {
      file: 'svc.md',
      service: 'svc',
      contents: `# svc\n\n<!--\nGenerated documentation; DO NOT EDIT. Regenerate using this command: 'x'\n\nLast updated: t\nGenerated from: r\n-->\n\n${page}`,
    },
    {file: 'index.md', service: 'index', contents: 'index\n'},
  ],
  diagrams: [
    {file: 'svc-dev.svg', service: 'svc', d2: () => d2},
    {file: 'svc-prod.svg', service: 'svc', d2: () => `${d2}c\n`},
  ],
})

describe('the handbook checkout', () => {
  test('is accepted when package.json names the handbook package, giving the managed-services pages folder', async () => {
    const dir = handbookCheckout()
    expect(await resolveHandbookPagesDir(dir)).toBe(join(dir, HANDBOOK_PAGES_DIR))
  })
  test('is rejected with a clear error when package.json is missing, unparsable or names another package', async () => {
    await expect(resolveHandbookPagesDir(join(work, 'nowhere'))).rejects.toThrow(
      /expecting github.com\/sourcegraph\/handbook at ".*nowhere": expected package.json/,
    )
    const other = handbookCheckout('docs')
    await expect(resolveHandbookPagesDir(other)).rejects.toThrow('unexpected package "docs"')
    writeFileSync(join(other, 'package.json'), '{')
    await expect(resolveHandbookPagesDir(other)).rejects.toBeInstanceOf(UserError)
  })
})

describe('writing the pages folder', () => {
  test('a first run writes every page and renders every diagram (one at a time, in plan order), then removes generated files not planned', async () => {
    const dir = join(work, 'pages')
    mkdirSync(dir)
    writeFileSync(join(dir, 'retired-service.md'), '# Retired\n\n<!--\nGenerated documentation; DO NOT EDIT. Regenerate using this command: x\n-->\nold')
    // Same kind of name, but no generated header: a page written by a person stays.
    writeFileSync(join(dir, 'notes.md'), 'old')
    const svg = fakeSvg()
    const changes = await writeHandbook({dir, plan: tinyPlan(), createSvgRenderer: svg.factory})
    expect(readdirSync(dir).sort()).toEqual(['index.md', 'notes.md', 'svc-dev.svg', 'svc-prod.svg', 'svc.md'])
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('old')
    expect(changes.map((c) => `${c.change} ${c.file}`).sort()).toEqual([
      'created index.md',
      'created svc-dev.svg',
      'created svc-prod.svg',
      'created svc.md',
      'removed retired-service.md',
    ])
    expect(svg.rendered).toEqual(['a -> b\n', 'a -> b\nc\n'])
    expect(svg.stats()).toEqual({created: 1, closed: 1, maxInFlight: 1})
    expect(readFileSync(join(dir, 'svc-dev.svg'), 'utf8')).toMatch(/^<svg data-nodes="2"><\/svg>\n<!-- msp-d2-source-sha256: [0-9a-f]{32} -->\n$/)
  })

  test('SVG rendering reports a counter: 0 before the first render, then each diagram in plan order', async () => {
    const dir = join(work, 'pages')
    const counts: string[] = []
    await writeHandbook({dir, plan: tinyPlan(), createSvgRenderer: fakeSvg().factory, onRender: (done, total, file) => counts.push(`${done}/${total} ${file}`)})
    expect(counts).toEqual(['0/2 ', '1/2 svc-dev.svg', '2/2 svc-prod.svg'])
  })

  test('a re-run with the same content rewrites nothing and never starts D2, even with new header values', async () => {
    const dir = join(work, 'pages')
    await writeHandbook({dir, plan: tinyPlan(), createSvgRenderer: fakeSvg().factory})
    const before = statSync(join(dir, 'svc.md')).mtimeMs
    const plan = tinyPlan()
    plan.pages[0]!.contents = plan.pages[0]!.contents.replace('Last updated: t', 'Last updated: later').replace("'x'", "'y'")
    const svg = fakeSvg()
    const changes = await writeHandbook({dir, plan, createSvgRenderer: svg.factory})
    expect(changes.every((c) => c.change === 'unchanged')).toBe(true)
    expect(svg.stats().created).toBe(0)
    expect(statSync(join(dir, 'svc.md')).mtimeMs).toBe(before)
  })

  test('only diagrams whose D2 source changed are re-rendered', async () => {
    const dir = join(work, 'pages')
    await writeHandbook({dir, plan: tinyPlan(), createSvgRenderer: fakeSvg().factory})
    const plan = tinyPlan()
    plan.diagrams[1]!.d2 = () => 'x -> y\n'
    const svg = fakeSvg()
    const changes = await writeHandbook({dir, plan, createSvgRenderer: svg.factory})
    expect(svg.rendered).toEqual(['x -> y\n'])
    expect(changes.filter((c) => c.change !== 'unchanged')).toEqual([{file: 'svc-prod.svg', service: 'svc', change: 'changed'}])
  })

  test('check mode reports what would change and touches nothing', async () => {
    const dir = join(work, 'pages')
    await writeHandbook({dir, plan: tinyPlan(), createSvgRenderer: fakeSvg().factory})
    writeFileSync(join(dir, 'stray.md'), 'Generated documentation; DO NOT EDIT.\nx')
    writeFileSync(join(dir, 'notes.txt'), 'not generated by msp: never removed')
    const snapshot = () => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
    const before = snapshot()
    const svg = fakeSvg()
    const changes = await writeHandbook({dir, plan: tinyPlan('page v2\n', 'a -> z\n'), check: true, createSvgRenderer: svg.factory})
    expect(changes.filter((c) => c.change !== 'unchanged').map((c) => `${c.change} ${c.file}`)).toEqual([
      'changed svc.md',
      'changed svc-dev.svg',
      'changed svc-prod.svg',
      'removed stray.md',
    ])
    expect(snapshot()).toEqual(before)
    expect(svg.stats().created).toBe(0)
  })

  test('without diagrams, existing SVGs are neither rendered nor removed', async () => {
    const dir = join(work, 'pages')
    await writeHandbook({dir, plan: tinyPlan(), createSvgRenderer: fakeSvg().factory})
    const svg = fakeSvg()
    const changes = await writeHandbook({dir, plan: tinyPlan('page v2\n', 'q\n'), diagrams: false, createSvgRenderer: svg.factory})
    expect(svg.stats().created).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(['index.md', 'svc-dev.svg', 'svc-prod.svg', 'svc.md'])
    expect(changes.map((c) => `${c.change} ${c.file}`)).toEqual(['changed svc.md', 'unchanged index.md'])
  })
})

test('generateHandbook writes the nine fixture pages, fourteen diagrams and the index from a service-definitions repo', async () => {
  const root = makeFixtureRepo()
  try {
    const handbookPath = handbookCheckout()
    const svg = fakeSvg()
    const {dir, changes} = await generateHandbook({root, handbookPath, header, edition: MAY_2024, createSvgRenderer: svg.factory})
    expect(changes.filter((c) => c.file.endsWith('.md'))).toHaveLength(10)
    expect(svg.rendered).toHaveLength(14)
    for (const id of fixtureIds) {
      const ours = readFileSync(join(dir, `${id}.md`), 'utf8')
      expect(withoutRunHeader(ours)).toBe(withoutRunHeader(readFileSync(join(root, 'services', id, 'expected.md'), 'utf8')))
    }
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
})

test('planHandbook renders the index last and one diagram per environment', async () => {
  const plan = await planHandbook(
    [{spec: testSpec({service: {id: 'a', owners: ['o']}, environments: [{id: 'dev', projectID: 'a-dev-x', category: 'test', deploy: {type: 'manual'}}]})}],
    header,
    MAY_2024,
  )
  expect(plan.pages.map((p) => p.file)).toEqual(['a.md', 'index.md'])
  expect(plan.diagrams.map((d) => d.file)).toEqual(['a-dev.svg'])
})

test('the spec cache gives the same services on a re-run and follows edits of a spec or README', async () => {
  const root = makeFixtureRepo(['msp-testbed', 'gatekeeper'])
  const cache = {cacheDir: join(work, 'cache'), fingerprint: 'test'}
  const load = (r: string, id: string) => resolveService(r, id, cache)
  try {
    const cold = await loadHandbookServices(root, load)
    expect(readdirSync(cache.cacheDir)).toHaveLength(2)
    expect(await loadHandbookServices(root, load)).toEqual(cold)
    expect(cold).toEqual(await loadHandbookServices(root))
    // A re-run reads the cache, not the YAML: a (hand-edited) entry shows through.
    const entries = readdirSync(cache.cacheDir).map((f) => join(cache.cacheDir, f))
    const saved = entries.map((f) => readFileSync(f, 'utf8'))
    for (const f of entries) writeFileSync(f, readFileSync(f, 'utf8').replace(/"name":"(MSP Testbed|Cody Gatekeeper)"/, '"name":"from cache"'))
    expect((await loadHandbookServices(root, load)).services.map((s) => s.spec.service.name)).toEqual(['from cache', 'from cache'])
    entries.forEach((f, i) => writeFileSync(f, saved[i]!))

    const readme = join(root, 'services', 'msp-testbed', 'README.md')
    writeFileSync(readme, '# MSP Testbed\n\nNew body.\n')
    const spec = join(root, 'services', 'gatekeeper', 'service.yaml')
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('name: Cody Gatekeeper', 'name: Gatekeeper'))
    const warm = await loadHandbookServices(root, load)
    expect(warm.services.map((s) => [s.spec.service.name, s.readme])).toEqual([
      ['Gatekeeper', undefined],
      ['MSP Testbed', 'New body.'],
    ])
    expect(await loadHandbookServices(root, load)).toEqual(warm)
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
})

test('two services whose <service>-<env> file names collide are refused instead of overwriting each other', async () => {
  const svc = (id: string, env: string) => ({
    spec: testSpec({service: {id, owners: ['o']}, environments: [{id: env, projectID: `${id}-${env}-x`, category: 'test'}]}),
  })
  await expect(planHandbook([svc('a-b', 'c'), svc('a', 'b-c')], header, MAY_2024)).rejects.toThrow(
    'services "a-b" and "a" both produce handbook file "a-b-c.svg"',
  )
})
