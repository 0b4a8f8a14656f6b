/**
 * Start-up cost guard: no command may reach a Google client (@google-cloud/run, secret-manager, logging),
 * google-gax or D2 through static imports (about 130 ms each run, more for D2); the wrappers must load
 * them with a dynamic import() instead.
 * Walks the compiled dist/ graph, which is what `node bin/run.js` actually loads.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect, test} from 'vitest'

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist')
const HEAVY = ['@google-cloud/run', '@google-cloud/secret-manager', '@google-cloud/logging', 'google-gax', '@terrastruct/d2']

function staticSpecifiers(file: string): string[] {
  const source = readFileSync(file, 'utf8')
  // `import x from '…'`, `import '…'`, `export … from '…'` — dynamic import() is deliberately not matched.
  return [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => (m[1] ?? m[2])!)
}

function filesReachableFrom(entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const spec of staticSpecifiers(file)) if (spec.startsWith('.')) visit(resolve(dirname(file), spec))
  }
  visit(entry)
  return [...seen].map((file) => file.slice(DIST.length + 1))
}

function heavyImportsReachableFrom(entry: string): string[] {
  const seen = new Set<string>()
  const found: string[] = []
  const visit = (file: string, trail: string[]) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const spec of staticSpecifiers(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec), [...trail, spec])
      else if (HEAVY.some((h) => spec === h || spec.startsWith(`${h}/`))) found.push(`${[...trail, spec].join(' → ')}`)
    }
  }
  visit(entry, [entry.slice(DIST.length + 1)])
  return found
}

function commandFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) =>
    e.isDirectory() ? commandFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  )
}

test('no command statically imports a Google client, google-gax or D2', () => {
  expect(existsSync(join(DIST, 'commands/status.js')), 'run `npm run build` first').toBe(true)
  const offenders = commandFiles(join(DIST, 'commands')).flatMap(heavyImportsReachableFrom)
  expect(offenders).toEqual([])
})

test('the Cloud Run wrapper loads the Google client lazily', () => {
  const source = readFileSync(join(DIST, 'lib/cloud/cloud-run.js'), 'utf8')
  expect(source).toContain("await import('@google-cloud/run')")
  expect(readFileSync(join(DIST, 'lib/cloud/google-client.js'), 'utf8')).toContain("await import('google-gax')")
})

test('live-state commands read stack names and the Terraform version without loading the Terraform model', () => {
  // stacks/naming.js and terraform/version.js are the light homes of those facts; anything else there is the model.
  const light = new Set(['lib/stacks/naming.js', 'lib/terraform/version.js'])
  for (const command of ['commands/status.js', 'commands/tfc/sync.js']) {
    const model = filesReachableFrom(join(DIST, command)).filter((f) => /^lib\/(stacks|terraform)\//.test(f) && !light.has(f))
    expect(model, command).toEqual([])
  }
})

test('the Secret Manager and Logging wrappers load their Google clients lazily', () => {
  expect(readFileSync(join(DIST, 'lib/cloud/secret-manager.js'), 'utf8')).toContain("await import('@google-cloud/secret-manager')")
  expect(readFileSync(join(DIST, 'lib/cloud/logging.js'), 'utf8')).toContain("await import('@google-cloud/logging')")
  expect(existsSync(join(DIST, 'commands/pg/connect.js'))).toBe(true)
  expect(existsSync(join(DIST, 'commands/logs.js'))).toBe(true)
  expect(existsSync(join(DIST, 'commands/tfc/graph.js'))).toBe(true)
})
