/**
 * What a fast-path answer costs, counted in what Node loads rather than in milliseconds (which move
 * with the machine's load): a console shortcut, completion, the version and the root help, answered by
 * the fast path, load none of Node's modules that a bare `node script.cjs` does not, except the few the
 * answer needs (os for the home directory): not the ESM loader at work (bin/run.js and
 * dist/fast-path.cjs are CommonJS; node:module, which the hash imports, brings the loader's code along
 * unused), not child_process (loaded only to start a browser), not fs/promises, and for a spec's
 * cache key not node:crypto. process.moduleLoadList is Node's own record of the built-in modules it loaded.
 *
 * The bundle itself (dist/fast-path.cjs, written by scripts/bundle-fast-path.mjs) must hold exactly the
 * modules of the fast path's import graph in dist/, so it can never run code other than dist/ holds,
 * and its V8 code cache must be the one built from this very text.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative, resolve} from 'node:path'
import vm from 'node:vm'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, spawnMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'

let scratch: string
let repo: string
let cache: string

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'msp-startup-'))
  repo = makeRepoFromFixtures(['cody-analytics'])
  cache = join(scratch, 'cache')
  // Records, at exit, the built-in modules loaded after it ran (it runs before the script).
  writeFileSync(
    join(scratch, 'record.cjs'),
    `const before = new Set(process.moduleLoadList)
process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_FILE, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)))))
`,
  )
  // A bare script that touches its output streams, as every msp run does (pipes load net).
  writeFileSync(join(scratch, 'bare.cjs'), 'process.stdout.write(""); process.stderr.write("")\n')
  // The cache entry and the root help, written by the full path.
  for (const args of [['logs', 'cody-analytics', 'prod'], ['--help']]) {
    const r = await spawnMsp(args, {cwd: repo, env: {MSP_CACHE_DIR: cache, MSP_NO_FAST_PATH: '1'}})
    expect(r.code).toBe(0)
  }
})
afterAll(() => {
  rmSync(scratch, {recursive: true, force: true})
  rmSync(repo, {recursive: true, force: true})
})

/** The built-in modules a run loads beyond a bare CommonJS script, and its stderr. */
function loaded(script: string, args: string[]): {modules: string[]; stderr: string} {
  const file = join(scratch, 'modules.json')
  // As spawnMsp runs msp (the root help is cached for the same colour settings).
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    NO_COLOR: '1',
    MSP_CACHE_DIR: cache,
    MSP_FAST_PATH_DEBUG: '1',
    RECORD_FILE: file,
  }
  for (const k of ['DEBUG', 'CI', 'NODE_OPTIONS']) delete env[k]
  const r = spawnSync(process.execPath, ['-r', join(scratch, 'record.cjs'), script, ...args], {cwd: repo, env, encoding: 'utf8'})
  expect(r.status, r.stderr).toBe(0)
  return {modules: JSON.parse(readFileSync(file, 'utf8')) as string[], stderr: r.stderr}
}

describe('a fast-path answer loads only what it needs', () => {
  const bin = join(repoDir, 'bin/run.js')
  // A spec of a few kilobytes is hashed without node:crypto (src/lib/io/sha256.ts); the root help's key
  // covers the manifest, large enough for node:crypto to be the cheaper.
  it.each([
    ['logs <svc> <env>', ['logs', 'cody-analytics', 'prod'], true],
    ['logs <svc> <env> --json', ['logs', 'cody-analytics', 'prod', '--json'], true],
    ['open <svc> <env> (the link list)', ['open', 'cody-analytics', 'prod'], true],
    ['completion of an environment', ['__complete', '--', 'logs', 'cody-analytics', ''], true],
    ['completion of a service', ['__complete', '--', 'logs', ''], true],
    ['the root help', ['--help'], false],
    ['the version', ['--version'], true],
  ])('%s', (_name, args, noCrypto) => {
    const bare = new Set(loaded(join(scratch, 'bare.cjs'), []).modules)
    const run = loaded(bin, args)
    expect(run.stderr).toMatch(/msp: answered by the fast path\n$/)
    const extra = run.modules.filter((m) => !bare.has(m) && /^NativeModule /.test(m)).map((m) => m.slice('NativeModule '.length))
    expect(extra.filter((m) => /^internal\/modules\/esm\/(?!assert$|loader$)|^child_process$|^fs\/promises$|^net$|^readline/.test(m))).toEqual([])
    if (noCrypto) expect(extra.filter((m) => /crypto/.test(m))).toEqual([])
  })
})

describe('a fast-path answer off a terminal writes without stream machinery', () => {
  // process.stdout on a pipe loads Node's net and stream modules, about 5 ms of a 130 ms answer: the
  // fast path writes a pipe or a file with writeSync instead (src/cli/fd-writer.ts).
  it.each([
    ['logs <svc> <env>', ['logs', 'cody-analytics', 'prod']],
    ['logs <svc> <env> --json', ['logs', 'cody-analytics', 'prod', '--json']],
    ['the version', ['--version']],
  ])('%s loads no stream module beyond a script that writes nothing', (_name, args) => {
    writeFileSync(join(scratch, 'silent.cjs'), '\n')
    const silent = new Set(loaded(join(scratch, 'silent.cjs'), []).modules)
    const run = loaded(join(repoDir, 'bin/run.js'), args)
    expect(run.stderr).toMatch(/msp: answered by the fast path\n$/)
    const extra = run.modules.filter((m) => !silent.has(m) && /^NativeModule /.test(m)).map((m) => m.slice('NativeModule '.length))
    expect(extra.filter((m) => /^stream$|^internal\/streams\/|^net$|^tty$/.test(m))).toEqual([])
  })
})

describe('dist/fast-path.cjs', () => {
  const dist = join(repoDir, 'dist')
  const text = readFileSync(join(dist, 'fast-path.cjs'), 'utf8')

  it('holds exactly the modules of the fast path import graph in dist/', () => {
    const graph = new Set<string>()
    const visit = (file: string) => {
      const id = relative(dist, file)
      if (graph.has(id)) return
      graph.add(id)
      const source = readFileSync(file, 'utf8')
      for (const m of source.matchAll(/(?:^import [^'\n]*from |\bimport\()\s*'(\.[^']+)'/gm)) visit(resolve(dirname(file), m[1]!))
    }
    visit(join(dist, 'cli/argv.js'))
    visit(join(dist, 'cli/fast-path.js'))
    const bundled = [...text.matchAll(/^"([^"]+)": function \(exports\) \{$/gm)].map((m) => m[1])
    expect(bundled.sort()).toEqual([...graph].sort())
  })

  it('states the digest of its text, which names the one V8 code cache beside it, and this Node accepts that cache', () => {
    const [, digest] = /^'use strict'\n\/\/ digest ([0-9a-f]{64})\n/.exec(text) ?? []
    expect(digest).toBe(
      createHash('sha256')
        .update(text.slice(text.indexOf('\n', text.indexOf('// digest')) + 1))
        .digest('hex'),
    )
    expect(readdirSync(dist).filter((f) => f.endsWith('.v8cache'))).toEqual([`fast-path.${digest}.v8cache`])
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {
      filename: join(dist, 'fast-path.cjs'),
      cachedData: readFileSync(join(dist, `fast-path.${digest}.v8cache`)),
    })
    expect(script.cachedDataRejected).toBe(false)
  })

  it('requires nothing but Node built-ins (the one package, the browser opener, by import() only)', () => {
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!)
    expect(required.filter((r) => !r.startsWith('node:'))).toEqual([])
    expect([...text.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['open'])
  })
})
