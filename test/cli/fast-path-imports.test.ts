/**
 * The fast path exists to skip oclif, zod and the YAML parser: its static import graph (compiled
 * dist/, as bin/run.js loads it) holds only Node built-ins and msp's own light modules, and no
 * module that pulls in a package; msp modules it loads lazily (the link builders, loaded only for a
 * shortcut, not for completion) are held to the same rule. The one lazy package import it may reach
 * is the `open` package, loaded only when a browser is actually started.
 */
import {existsSync, readFileSync} from 'node:fs'
import {builtinModules} from 'node:module'
import {dirname, join, relative, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {repoDir} from '../helpers/paths.js'

const ENTRY = join(repoDir, 'dist/cli/fast-path.js')
const STATIC = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g

function importGraph(entry: string): {modules: string[]; bare: Map<string, string>; lazy: Map<string, string>} {
  const seen = new Set<string>()
  const bare = new Map<string, string>()
  const lazy = new Map<string, string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    const from = relative(repoDir, file)
    for (const m of text.matchAll(STATIC)) {
      const spec = (m[1] ?? m[2])!
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec))
      else bare.set(spec, from)
    }
    // msp's own modules loaded lazily (the shortcut builders) belong to the graph and must be light too.
    for (const m of text.matchAll(DYNAMIC)) {
      if (m[1]!.startsWith('.')) visit(resolve(dirname(file), m[1]!))
      else lazy.set(m[1]!, from)
    }
  }
  visit(entry)
  return {modules: [...seen].map((f) => relative(repoDir, f)).sort(), bare, lazy}
}

const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec)

describe('the fast path import graph', () => {
  it('holds only Node built-ins and light msp modules', () => {
    if (!existsSync(ENTRY)) throw new Error('run `npm run build` first')
    const graph = importGraph(ENTRY)
    const packages = [...graph.bare].filter(([spec]) => !isBuiltin(spec)).map(([spec, from]) => `${from} imports ${spec}`)
    expect(packages).toEqual([])
    // The heavy parts of msp itself: the YAML/zod loader, the schema, the stacks, the commands, oclif's base command.
    const heavy = graph.modules.filter((m) =>
      new RegExp(
        String.raw`dist\/(commands|lib\/(stacks|terraform|generate|handbook|cloud|authoring))\/` +
          String.raw`|dist\/lib\/spec\/(load|schema|decode|rules)\.js|dist\/cli\/base-command\.js`,
      ).test(m),
    )
    expect(heavy).toEqual([])
    expect(graph.modules).toContain('dist/lib/links/shortcuts.js')
  })

  it('reaches one lazy package import: the browser opener', () => {
    const graph = importGraph(ENTRY)
    expect([...graph.lazy].filter(([spec]) => !isBuiltin(spec))).toEqual([['open', 'dist/lib/io/browser.js']])
  })

  it('the check sees a package import', () => {
    // The graph walker itself: the oclif entry does import packages.
    const graph = importGraph(join(repoDir, 'dist/cli/base-command.js'))
    expect([...graph.bare.keys()].some((s) => s.startsWith('@oclif/'))).toBe(true)
  })
})
