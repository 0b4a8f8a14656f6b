/**
 * No folder-level import cycle in src/lib: each folder (spec, repo, links, terraform, stacks,
 * generate, handbook, …) imports only folders below it, so the layers hold. ESLint has no
 * cheap rule that sees folders, so the graph is built here from the sources' import statements
 * (static, re-exports and dynamic `import()`; type-only imports count too: they still tie the layers).
 */
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {repoDir} from '../helpers/paths.js'

const LIB = join(repoDir, 'src/lib')

/** Folder → folders it imports, with one importing file per edge for the message. */
export type FolderGraph = Map<string, Map<string, string>>

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : []
  })
}

/** The folder import graph of a lib tree: top-level folders as nodes, cross-folder imports as edges. */
export function folderGraph(libDir: string, files: readonly {path: string; text: string}[]): FolderGraph {
  const graph: FolderGraph = new Map()
  const folderOf = (file: string) => relative(libDir, file).split(/[\\/]/)[0]!
  for (const {path, text} of files) {
    const from = folderOf(path)
    if (!graph.has(from)) graph.set(from, new Map())
    for (const m of text.matchAll(IMPORT)) {
      const target = resolve(dirname(path), m[1] ?? m[2]!)
      if (relative(libDir, target).startsWith('..')) continue
      const to = folderOf(target)
      if (to !== from && !graph.get(from)!.has(to)) graph.get(from)!.set(to, relative(libDir, path))
    }
  }
  return graph
}

/** Every cycle's folders in order (`a → b → a`), found by depth-first search; empty when acyclic. */
export function findCycles(graph: FolderGraph): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (node: string) => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node)
  return cycles
}

const describeCycle = (graph: FolderGraph, cycle: string[]) =>
  cycle
    .slice(0, -1)
    .map((from, i) => `${from} → ${cycle[i + 1]} (${graph.get(from)!.get(cycle[i + 1]!)})`)
    .join(', ')

describe('folder-level imports of src/lib', () => {
  it('form no cycle', () => {
    const graph = folderGraph(
      LIB,
      sourceFiles(LIB).map((path) => ({path, text: readFileSync(path, 'utf8')})),
    )
    expect(graph.size).toBeGreaterThan(10)
    expect(findCycles(graph).map((c) => describeCycle(graph, c))).toEqual([])
  })

  it('the check finds a cycle through three folders, a re-export and a dynamic import', () => {
    const lib = '/x/src/lib'
    const graph = folderGraph(lib, [
      {path: `${lib}/spec/load.ts`, text: "import {a} from '../repo/root.js'\n"},
      {path: `${lib}/repo/root.ts`, text: "export {b} from '../io/errors.js'\n"},
      {path: `${lib}/io/errors.ts`, text: "const m = await import('../spec/load.js')\n"},
      {path: `${lib}/links/gcp.ts`, text: "import type {Spec} from '../spec/schema.js'\nimport {x} from './encode.js'\n"},
    ])
    expect(findCycles(graph)).toEqual([['io', 'spec', 'repo', 'io']])
    expect(describeCycle(graph, findCycles(graph)[0]!)).toBe('io → spec (io/errors.ts), spec → repo (spec/load.ts), repo → io (repo/root.ts)')
  })

  it('the check passes a layered graph', () => {
    const lib = '/x/src/lib'
    const graph = folderGraph(lib, [
      {path: `${lib}/stacks/iam.ts`, text: "import {m} from '../terraform/model.js'\nimport {s} from '../spec/schema.js'\n"},
      {path: `${lib}/generate/generate.ts`, text: "import {st} from '../stacks/index.js'\nimport {r} from '../terraform/render.js'\n"},
    ])
    expect(findCycles(graph)).toEqual([])
  })
})
