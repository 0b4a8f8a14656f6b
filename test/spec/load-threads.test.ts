/**
 * Loading every spec on worker threads (src/lib/repo/load-threads.ts) is loadEvery over
 * resolveService, only sooner: the same services in the same order, and for broken specs the same
 * one error naming every broken spec with every error, in id order. The reference is loadEvery itself.
 * The built library runs here, as the command runs it (it starts dist/lib/repo/load-worker.js).
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writeSyntheticRepo} from '../../bench/synthetic.mjs'
import {repoDir} from '../helpers/paths.js'

/** Enough specs that parsing them takes the main thread long enough to ask for workers. */
const SERVICES = 600

type Threads = typeof import('../../src/lib/repo/load-threads.js')
type Every = typeof import('../../src/lib/spec/load-every.js')
type Resolve = typeof import('../../src/lib/repo/resolve.js')
const built = async <T>(path: string) => (await import(pathToFileURL(join(repoDir, 'dist', path)).href)) as T

let repo: string
const ids = Array.from({length: SERVICES}, (_, i) => `svc-${String(i).padStart(4, '0')}`)

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'msp-load-threads-'))
  writeSyntheticRepo(repo, SERVICES)
})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

/** What a load ended with: the services, or the error's class, message, hint and issues. */
async function outcome(load: () => Promise<unknown>): Promise<unknown> {
  try {
    return {services: await load()}
  } catch (error) {
    const e = error as Error & {hint?: string; issues?: unknown}
    return {error: e.constructor.name, message: e.message, hint: e.hint, issues: e.issues}
  }
}

describe('loading every spec on worker threads', () => {
  it('gives the services loadEvery gives, in the same order, with workers taking part', async () => {
    const {loadEveryInThreads} = await built<Threads>('lib/repo/load-threads.js')
    const {loadEvery} = await built<Every>('lib/spec/load-every.js')
    const {resolveService} = await built<Resolve>('lib/repo/resolve.js')
    const report: {workersStarted?: boolean} = {}
    const threaded = await loadEveryInThreads(repo, ids, {}, 1, report)
    expect(report.workersStarted).toBe(true)
    expect(threaded).toEqual(await loadEvery(ids, (id) => resolveService(repo, id)))
  })

  it('names every broken spec with every error, in id order, as loadEvery does', async () => {
    const {loadEveryInThreads} = await built<Threads>('lib/repo/load-threads.js')
    const {loadEvery} = await built<Every>('lib/spec/load-every.js')
    const {resolveService} = await built<Resolve>('lib/repo/resolve.js')
    // Broken far apart (the later ones most likely on the worker): a bad category, a missing field, YAML that does not parse.
    const broken = ['svc-0050', 'svc-0311', 'svc-0597']
    const originals = broken.map((id) => readFileSync(join(repo, 'services', id, 'service.yaml'), 'utf8'))
    writeFileSync(join(repo, 'services', broken[0]!, 'service.yaml'), originals[0]!.replaceAll('category: test', 'category: testing'))
    writeFileSync(join(repo, 'services', broken[1]!, 'service.yaml'), originals[1]!.replace(/^ {4}projectID: .*$/m, ''))
    writeFileSync(join(repo, 'services', broken[2]!, 'service.yaml'), `${originals[2]!}\n  - [unclosed\n`)
    try {
      const report: {workersStarted?: boolean} = {}
      const threaded = await outcome(() => loadEveryInThreads(repo, ids, {}, 1, report))
      expect(report.workersStarted).toBe(true)
      const reference = await outcome(() => loadEvery(ids, (id) => resolveService(repo, id)))
      expect(reference).toMatchObject({error: 'SpecError', hint: expect.stringContaining('run msp validate')})
      const files = (reference as {issues: {file: string}[]}).issues.map((i) => i.file.split('/')[1])
      expect([...new Set(files)]).toEqual(broken)
      expect(threaded).toEqual(reference)
    } finally {
      broken.forEach((id, i) => writeFileSync(join(repo, 'services', id, 'service.yaml'), originals[i]!))
    }
  })

  it('loads on this thread alone below 100 services, or with no workers allowed', async () => {
    const {loadEveryInThreads} = await built<Threads>('lib/repo/load-threads.js')
    for (const [count, workers] of [
      [99, 1],
      [100, 0],
    ] as const) {
      const report: {workersStarted?: boolean} = {}
      expect(await loadEveryInThreads(repo, ids.slice(0, count), {}, workers, report)).toHaveLength(count)
      expect(report.workersStarted).toBeUndefined()
    }
  })
})
