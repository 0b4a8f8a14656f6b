/**
 * One bounded reader for every file msp reads, one capped reader for every HTTP body. Specs read by
 * completion, `init` and `migrate` get the main loader's limits; a deeply nested BigQuery table file is
 * an error naming the file; heavy YAML alias use is never an "unexpected failure"; a registry token
 * answer that inflates without end is refused at its cap. Each case asserts exit code, message and time,
 * and that the files involved are unchanged.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {UserError} from '../../src/lib/io/errors.js'
import {MAX_TOKEN_RESPONSE_BYTES, resolveImageTag, type Fetch} from '../../src/lib/registry/digest.js'
import {runMsp} from '../helpers/cli.js'

let root: string

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'msp-readers-'))
  writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

const SPEC = (id: string, extra = '') => `service:
  id: ${id}
  owners: [team]
  description: A test service.
environments:
  - id: prod
    projectID: ${id}-prod-1a2b
    category: test
    deploy: {type: manual}
    instances: {resources: {cpu: 1, memory: 512Mi}}
${extra}`

function addService(id: string, text: string): string {
  mkdirSync(join(root, 'services', id), {recursive: true})
  const file = join(root, 'services', id, 'service.yaml')
  writeFileSync(file, text)
  return file
}

const run = (args: readonly string[]) => runMsp([...args, '--repo', root], {cwd: root, env: {MSP_NO_CACHE: '1', MSP_EDITION: '2024-05'}})

const timed = async <T>(fn: () => Promise<T>): Promise<{result: T; ms: number}> => {
  const started = performance.now()
  const result = await fn()
  return {result, ms: performance.now() - started}
}

/** A spec far past the loader's limits, but with an environment id completion would offer. */
const HUGE_SPECS: readonly [string, () => string][] = [
  [
    'a 100 MB spec (sparse file)',
    () => {
      const file = addService('huge', SPEC('huge'))
      truncateSync(file, 100 * 1024 * 1024)
      return file
    },
  ],
  ['a 700 KB spec of 100,000 items', () => addService('huge', `${SPEC('huge')}junk:\n${'  - x\n'.repeat(120_000)}`)],
  ['a spec nested 10,000 levels deep', () => addService('huge', `${SPEC('huge')}junk: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)],
]

describe('completion reads specs under the main loader limits', () => {
  for (const [what, make] of HUGE_SPECS) {
    it(`${what}: TAB answers at once with nothing, exit 0, the spec untouched`, async () => {
      const file = make()
      const before = readFileSync(file)
      const {result, ms} = await timed(() => runMsp(['__complete', '--', 'logs', '--repo', root, 'huge', ''], {cwd: root}))
      expect(result.code).toBe(0)
      expect(result.stdout).toBe('')
      expect(ms).toBeLessThan(5_000)
      expect(readFileSync(file).equals(before)).toBe(true)
    }, 60_000)
  }

  it('a normal spec still completes its environments', async () => {
    addService('svc', SPEC('svc'))
    const r = await runMsp(['__complete', '--', 'logs', '--repo', root, 'svc', ''], {cwd: root})
    expect(r.stdout).toBe('prod\n')
  })
})

describe('migrate and init read specs under the main loader limits', () => {
  it('migrate --dry-run refuses a spec past the limits with a clear error, quickly', async () => {
    const file = addService('svc', `${SPEC('svc')}junk:\n${'  - x\n'.repeat(120_000)}`)
    const before = readFileSync(file)
    const {result, ms} = await timed(() => run(['migrate', 'svc', '--dry-run']))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('services/svc/service.yaml:1:1: cannot migrate a file past the spec limits')
    expect(result.stderr).not.toMatch(/unexpected failure/)
    expect(ms).toBeLessThan(10_000)
    expect(readFileSync(file).equals(before)).toBe(true)
  }, 60_000)

  it('migrate refuses a 100 MB spec without reading it', async () => {
    const file = addService('svc', SPEC('svc'))
    truncateSync(file, 100 * 1024 * 1024)
    const {result, ms} = await timed(() => run(['migrate', 'svc', '--dry-run']))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('is too large: 104857600 bytes, at most 4194304 are read')
    expect(ms).toBeLessThan(10_000)
  }, 60_000)

  it('init next to a neighbour with heavy YAML alias use succeeds (the neighbour is skipped), no unexpected failure', async () => {
    const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      laughs.push(`${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`)
    }
    const neighbour = addService('bomb', `${SPEC('bomb')}${laughs.join('\n')}\n`)
    const before = readFileSync(neighbour)
    const r = await run(['init', 'fresh', '--owner', 'team', '--kind', 'service', '--dev', '--yes'])
    expect(r.stderr).not.toMatch(/unexpected failure/)
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(root, 'services/fresh/service.yaml'), 'utf8')).toContain('id: fresh')
    expect(readFileSync(neighbour).equals(before)).toBe(true)
  })
})

describe('BigQuery table files: deep nesting is an error naming the file', () => {
  const nested = `[${'{"fields":['.repeat(5_000)}${']}'.repeat(5_000)}]`
  for (const args of [['validate'], ['generate', 'svc', '--check'], ['fleet']]) {
    it(`${args.join(' ')}: exit 1, the file and the rule named, no stack overflow`, async () => {
      addService(
        'svc',
        SPEC('svc').replace(
          '    instances: {resources: {cpu: 1, memory: 512Mi}}',
          '    instances: {resources: {cpu: 1, memory: 512Mi}}\n    resources:\n      bigQueryDataset:\n        tables: [events]',
        ),
      )
      writeFileSync(join(root, 'services/svc/events.bigquerytable.json'), nested)
      const r = await run(args)
      const out = r.stdout + r.stderr
      expect(r.code).toBe(1)
      expect(out).toContain('services/svc/events.bigquerytable.json')
      expect(out).toContain('JSON is nested too deeply: more than 64 levels')
      expect(out).not.toMatch(/Maximum call stack|unexpected failure/)
    })
  }
})

describe('the registry token endpoint answer is capped while it streams', () => {
  it('an endless token answer is refused at its cap, having read only about the cap', async () => {
    let served = 0
    const chunk = new Uint8Array(64 * 1024).fill(0x20)
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        served += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const fetch: Fetch = async (url) => {
      if (url.includes('/v2/')) {
        return new Response(null, {status: 401, headers: {'www-authenticate': 'Bearer realm="https://auth.example/token",service="registry.example"'}})
      }
      return new Response(endless, {status: 200, headers: {'content-type': 'application/json'}})
    }
    const error = await resolveImageTag('registry.example/team/app', 'insiders', {env: {}, fetch}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe('the registry token endpoint of registry.example/team/app (auth.example): response larger than 1 MB, refused')
    expect(served).toBeLessThanOrEqual(MAX_TOKEN_RESPONSE_BYTES + 2 * chunk.byteLength)
  })
})
