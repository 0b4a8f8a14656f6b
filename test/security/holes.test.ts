/**
 * Smaller holes: bash completion never glob-expands candidates; writes re-check containment at each
 * file; the spec cache directory is private and its entries validated; a FIFO where msp expects a file
 * is refused; a database named `_` renders; completion, `migrate --dry-run` and `init` read no spec
 * through a symlink that leaves the repository. Each case asserts what the user sees and the files
 * outside staying byte for byte as they were.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {UnsafePathError} from '../../src/lib/io/errors.js'
import {SafeFolder} from '../../src/lib/io/safe-folder.js'
import {readSpecCache, writeSpecCache} from '../../src/lib/repo/spec-cache.js'
import {runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'
import {besideAnOutsideFolder, filesBelow} from '../helpers/files.js'

let outer: string
let root: string
let outside: string

beforeEach(() => {
  ;({outer, root, outside} = besideAnOutsideFolder('msp-holes-', 'repo/services'))
  writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
})
afterEach(() => rmSync(outer, {recursive: true, force: true}))

const SPEC = (id: string, envIds: readonly string[] = ['prod'], extra = '') => `service:
  id: ${id}
  owners: [team]
  description: A test service.
environments:
${envIds
  .map(
    (env) => `  - id: ${JSON.stringify(env)}
    projectID: ${id}-prod-1a2b
    category: test
    deploy: {type: manual}
    instances: {resources: {cpu: 1, memory: 512Mi}}
${extra}`,
  )
  .join('')}`

function addService(id: string, text: string): void {
  mkdirSync(join(root, 'services', id), {recursive: true})
  writeFileSync(join(root, 'services', id, 'service.yaml'), text)
}

const run = (args: readonly string[], env: Record<string, string> = {}) => runMsp([...args, '--repo', root], {cwd: root, env: {MSP_NO_CACHE: '1', ...env}})

describe('bash completion never glob-expands candidates', () => {
  for (const id of ['/*', '/*/*/*/*/*/*/*', '*', '[a-z]*']) {
    it(`an environment id ${JSON.stringify(id)} is offered as it is, at once, in a real bash`, async () => {
      addService('svc', SPEC('svc', [id]))
      const script = (await runMsp(['completion', 'bash'])).stdout.replaceAll('$(msp ', `$(${process.execPath} ${join(repoDir, 'bin/run.js')} `)
      const probe =
        `${script}\nCOMP_LINE='msp logs svc '; COMP_POINT=\${#COMP_LINE}; _msp_complete; printf '%s\\n' "\${COMPREPLY[@]}"; [[ $- == *f* ]] && ` +
        `echo noglob-left-on`
      const started = performance.now()
      // --norc: bash reads ~/.bashrc when its stdin is a socket (as Node's pipes are), as if sshd had started it; the user's rc files are not the test's.
      const r = spawnSync('bash', ['--norc', '--noprofile', '-c', probe], {cwd: root, encoding: 'utf8', timeout: 20_000})
      expect(r.stdout).toBe(`${id}\n`)
      expect(performance.now() - started).toBeLessThan(15_000)
    }, 30_000)
  }
})

describe('writes re-check containment at each file', () => {
  it('a pages folder swapped for a symlink mid-run: the next write and delete are refused, nothing outside changes', async () => {
    const handbook = join(outer, 'handbook')
    mkdirSync(join(handbook, 'pages'), {recursive: true})
    const folder = new SafeFolder(handbook, {what: 'handbook checkout', base: 'pages'})
    await folder.write('a.md', 'first\n')
    const before = filesBelow(outside)
    // What a racing process does while D2 renders: the checked folder becomes a link to elsewhere.
    renameSync(join(handbook, 'pages'), join(handbook, 'pages.real'))
    symlinkSync(outside, join(handbook, 'pages'))
    await expect(folder.write('b.svg', '<svg/>\n')).rejects.toThrow(/was replaced during the run/)
    await expect(folder.write('precious.md', 'overwritten\n')).rejects.toBeInstanceOf(UnsafePathError)
    await expect(folder.remove('precious.md')).rejects.toBeInstanceOf(UnsafePathError)
    expect(filesBelow(outside)).toEqual(before)
    expect(readFileSync(join(handbook, 'pages.real/a.md'), 'utf8')).toBe('first\n')
  })
})

describe('the spec cache directory is private and its entries are validated', () => {
  const service = (projectID: string) => ({
    id: 'svc',
    file: 'services/svc/service.yaml',
    spec: {service: {id: 'svc', kind: 'service'}, environments: [{id: 'prod', projectID, category: 'test'}]},
    bigQuerySchemas: {},
    warnings: [],
  })
  const KEY = 'a'.repeat(64)

  it('is created 0700', async () => {
    const dir = join(outer, 'cache/specs')
    addService('svc', SPEC('svc'))
    const r = await runMsp(['logs', 'svc', 'prod', '--no-open', '--repo', root], {cwd: root, env: {MSP_CACHE_DIR: dir}})
    expect(r.code).toBe(0)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(readdirSync(dir).length).toBeGreaterThan(0)
  })

  for (const [what, prepare] of [
    ['world-writable', (dir: string) => chmodSync(dir, 0o777)],
    ['group-writable', (dir: string) => chmodSync(dir, 0o770)],
    ['owned by another user', (dir: string) => chownSync(dir, 65534, 65534)],
  ] as const) {
    it(`${what}: a planted entry is not used and nothing is written there`, async () => {
      const dir = join(outer, 'shared-cache')
      mkdirSync(dir, {mode: 0o700})
      writeFileSync(join(dir, `${KEY}.json`), JSON.stringify({key: KEY, service: service('svc-prod-1a2b')}))
      // Control: in a private folder the entry is a hit.
      expect(readSpecCache(dir, KEY)?.id).toBe('svc')
      prepare(dir)
      expect(readSpecCache(dir, KEY)).toBeUndefined()
      writeSpecCache(dir, 'b'.repeat(64), service('svc-prod-1a2b') as never)
      expect(readdirSync(dir)).toEqual([`${KEY}.json`])
    })
  }

  for (const [what, entry] of [
    ['a projectID that is not one', JSON.stringify({key: KEY, service: service('x"; rm -rf ~; "')})],
    ['nesting 100,000 levels deep', `{"key":"${KEY}","service":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
  ] as const) {
    it(`an entry with ${what} is a miss, never a crash`, () => {
      const dir = join(outer, 'private-cache')
      mkdirSync(dir, {mode: 0o700})
      writeFileSync(join(dir, `${KEY}.json`), entry)
      expect(readSpecCache(dir, KEY)).toBeUndefined()
    })
  }
})

describe('a FIFO where msp expects a file is refused, not waited on', () => {
  for (const [file, args] of [
    ['README.md', ['validate']],
    ['README.md', ['generate', 'svc', '--check']],
    ['service.yaml', ['validate']],
    ['events.bigquerytable.json', ['validate']],
  ] as const) {
    it(`${file} as a FIFO: ${args.join(' ')} exits 1 at once naming it`, async () => {
      addService('svc', SPEC('svc'))
      const path = join(root, 'services/svc', file)
      rmSync(path, {force: true})
      expect(spawnSync('mkfifo', [path]).status).toBe(0)
      const started = performance.now()
      const r = await run(args)
      expect(r.code).toBe(1)
      expect(r.stdout + r.stderr).toContain(`${path} is a named pipe (FIFO), not a regular file`)
      expect(performance.now() - started).toBeLessThan(15_000)
    }, 30_000)
  }
})

describe('a PostgreSQL database named "_"', () => {
  it('passes validate and renders its diagram (the original has no database name rule; D2 reads a bare _ as its parent reference)', async () => {
    addService('svc', SPEC('svc', ['prod'], '    resources:\n      postgreSQL:\n        databases: ["_", "__"]\n'))
    expect((await run(['validate'])).code).toBe(0)
    const r = await run(['handbook', 'diagram', 'svc', 'prod', '--format', 'svg'])
    expect(r.stderr).not.toMatch(/unexpected failure/)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/<svg[\s\S]*<\/svg>\n$/)
  }, 180_000)
})

describe('completion, migrate --dry-run and init read no spec through a symlink out of the repository', () => {
  beforeEach(() => {
    mkdirSync(join(outside, 'svc'))
    writeFileSync(join(outside, 'svc/service.yaml'), SPEC('svc', ['secret-env']))
    mkdirSync(join(root, 'services/svc'))
    symlinkSync(join(outside, 'svc/service.yaml'), join(root, 'services/svc/service.yaml'))
  })

  it('completion offers nothing from it', async () => {
    const r = await runMsp(['__complete', '--', 'logs', '--repo', root, 'svc', ''], {cwd: root})
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
  })

  it('migrate --dry-run refuses it, naming the link', async () => {
    const before = filesBelow(outside)
    const r = await run(['migrate', 'svc', '--dry-run'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${join(root, 'services/svc/service.yaml')} resolves to ${join(outside, 'svc/service.yaml')}, outside the repository`)
    expect(filesBelow(outside)).toEqual(before)
  })

  it('init refuses to read it as a neighbour, and writes nothing', async () => {
    const before = filesBelow(outside)
    const r = await run(['init', 'fresh', '--owner', 'team', '--kind', 'service', '--dev', '--yes'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('outside the repository')
    expect(filesBelow(outside)).toEqual(before)
    expect(readdirSync(join(root, 'services')).sort()).toEqual(['svc'])
  })
})
