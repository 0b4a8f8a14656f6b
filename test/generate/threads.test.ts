/**
 * `generate` on worker threads (src/lib/generate/threads.ts, worker.ts): over enough environments the
 * main thread and its workers each build and write a share. What the user sees must not change: the
 * same bytes in the same files, progress in the same order, a spec error found while building named
 * as one thread finds it (the first broken environment) with nothing written, a write failure
 * reported with its class and hint, and Ctrl-C during the writes leaving every file old or new and no
 * temp file. The reference is the same command with MSP_THREADS=0 (one thread, the path every small
 * run takes).
 */
import {spawn} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {MessageChannel} from 'node:worker_threads'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writeSyntheticRepo} from '../../bench/synthetic.mjs'
import {receivedError, sendError, workerCount} from '../../src/lib/io/threads.js'
import * as errors from '../../src/lib/io/errors.js'
import {runMsp} from '../helpers/cli.js'
import {filesBelow} from '../helpers/files.js'
import {repoDir} from '../helpers/paths.js'

/** 100 services × 2 environments: the threshold where workers start (200 environments). */
const SERVICES = 100

let work: string
let specs: string
let reference: Record<string, string>
let referenceProgress: string

/** A fresh copy of the synthetic specs. */
function copyOfSpecs(name: string): string {
  const dir = join(work, name)
  cpSync(specs, dir, {recursive: true})
  return dir
}

/** Breaks a service at build time: a job schedule firing every minute passes loading, not building. */
function breakAtBuild(repo: string, service: string): void {
  const file = join(repo, 'services', service, 'service.yaml')
  const text = readFileSync(file, 'utf8')
  expect(text).toContain('cron: "0 * * * *"')
  writeFileSync(file, text.replaceAll('cron: "0 * * * *"', 'cron: "* * * * *"'))
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'msp-threads-'))
  specs = join(work, 'specs')
  writeSyntheticRepo(specs, SERVICES)
  const one = copyOfSpecs('one-thread')
  const r = await runMsp(['generate', '--all', '--repo', one], {env: {MSP_THREADS: '0'}})
  expect(r.stderr).toContain(`Generated ${SERVICES * 2} environments: ${SERVICES * 12} created`)
  reference = filesBelow(one)
  referenceProgress = r.stderr
}, 120_000)

afterAll(() => rmSync(work, {recursive: true, force: true}))

describe('generate --all on worker threads', () => {
  it('writes the bytes one thread writes and reports progress in the same order; --check lists the same', async () => {
    const repo = copyOfSpecs('threads')
    const r = await runMsp(['generate', '--all', '--repo', repo], {env: {MSP_THREADS: '2'}})
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(referenceProgress)
    expect(filesBelow(repo)).toEqual(reference)
    // A changed file and a stale one: --check (which writes nothing) on threads and on one thread.
    writeFileSync(join(repo, 'services/svc-0070/terraform/prod/stacks/iam/cdk.tf.json'), '{}\n')
    mkdirSync(join(repo, 'services/svc-0030/terraform/dev/stacks/old'))
    writeFileSync(join(repo, 'services/svc-0030/terraform/dev/stacks/old/cdk.tf.json'), '{}\n')
    const checks = []
    for (const threads of ['0', '2']) checks.push(await runMsp(['generate', '--all', '--check', '--repo', repo], {env: {MSP_THREADS: threads}}))
    expect(checks[0]!.code).toBe(1)
    expect(checks[0]!.stdout).toBe('services/svc-0030/terraform/dev/stacks/old/cdk.tf.json\nservices/svc-0070/terraform/prod/stacks/iam/cdk.tf.json\n')
    expect(checks[1]).toEqual(checks[0])
  })

  it('shares the work: workers build environments too (the library, as the command calls it)', async () => {
    // Three times the services of the other cases, checked (--check builds every environment and
    // writes nothing): enough that the workers, however late they start, find environments left.
    const count = 3 * SERVICES
    const repo = join(work, 'shares')
    writeSyntheticRepo(repo, count)
    // The built library, which starts dist/lib/generate/worker.js, as the command does.
    const built = (await import(pathToFileURL(join(repoDir, 'dist/lib/generate/generate.js')).href)) as typeof import('../../src/lib/generate/generate.js')
    const loader = (await import(pathToFileURL(join(repoDir, 'dist/lib/spec/load.js')).href)) as typeof import('../../src/lib/spec/load.js')
    const ids = Array.from({length: count}, (_, i) => `svc-${String(i).padStart(4, '0')}`)
    const services = await Promise.all(ids.map((id) => loader.loadService(repo, id)))
    const summary = await built.generateServices({root: repo, services, workers: 2, check: true})
    expect(summary.builtPerThread).toHaveLength(3)
    expect(summary.builtPerThread.reduce((a, b) => a + b, 0)).toBe(count * 2)
    // The work was shared: the workers built some (each thread claims while environments are left).
    expect(summary.builtPerThread[1]! + summary.builtPerThread[2]!).toBeGreaterThan(0)
    expect(summary.environments.map((e) => `${e.serviceId}/${e.envId}`)).toEqual(ids.flatMap((id) => [`${id}/dev`, `${id}/prod`]))
    expect(summary.counts).toEqual({created: count * 12, changed: 0, unchanged: 0, removed: 0})
  })

  it('names the first environment that fails to build, as one thread does, and writes nothing', async () => {
    const outputs: {code: number | null; stderr: string; files: Record<string, string>}[] = []
    for (const threads of ['0', '2']) {
      const repo = copyOfSpecs(`broken-${threads}`)
      // Two broken services far apart: with several threads the later one may well fail first.
      breakAtBuild(repo, 'svc-0094')
      breakAtBuild(repo, 'svc-0044')
      const before = filesBelow(repo)
      const r = await runMsp(['generate', '--all', '--repo', repo], {env: {MSP_THREADS: threads}})
      outputs.push({code: r.code, stderr: r.stderr, files: filesBelow(repo)})
      expect(filesBelow(repo)).toEqual(before)
    }
    expect(outputs[0]!.code).toBe(1)
    expect(outputs[0]!.stderr).toContain('generate "svc-0044" environment "dev": invalid cron schedule "* * * * *"')
    expect(outputs[1]).toEqual({...outputs[0], files: outputs[1]!.files})
  })

  it('reports a failed write with its class and hint, as one thread does', async () => {
    const repo = copyOfSpecs('unwritable')
    // A file where an environment's folder must go: the write fails with ENOTDIR. Both of the
    // service's environments fail, on whichever threads: the first in order is the one named.
    writeFileSync(join(repo, 'services/svc-0010/terraform'), 'not a folder\n')
    const r = await runMsp(['generate', '--all', '--repo', repo], {env: {MSP_THREADS: '2'}})
    expect(r.code).toBe(1)
    expect(r.stderr.slice(r.stderr.indexOf('Error:')).replaceAll(repo, '<repo>')).toBe(
      'Error: cannot create the folder of <repo>/services/svc-0010/terraform/dev/.tool-versions: a part of the path is not a folder (ENOTDIR)\n' +
        'hint: move away the file that stands where msp expects a folder, then run msp again\n',
    )
  })

  it('refuses an MSP_THREADS that is not a count', async () => {
    const r = await runMsp(['generate', '--all', '--repo', copyOfSpecs('bad-count')], {env: {MSP_THREADS: 'many'}})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('MSP_THREADS="many" is not a thread count')
  })

  it('Ctrl-C while the threads write: exit 130, every file whole, no temp file left', async () => {
    // More services than the other cases: the writes must still be under way when the signal lands.
    const repo = join(work, 'interrupted')
    writeSyntheticRepo(repo, 3 * SERVICES)
    const child = spawn(process.execPath, [join(repoDir, 'bin/run.js'), 'generate', '--all', '--repo', repo], {
      env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', MSP_THREADS: '2', MSP_NO_CACHE: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    let signalled = false
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      // The first progress line: the writes are under way on every thread.
      if (!signalled && stderr.includes('created')) {
        signalled = true
        child.kill('SIGINT')
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    expect(signalled).toBe(true)
    expect(code).toBe(130)
    expect(stderr).toContain('Interrupted.')
    expect(stderr).not.toContain('Generated ')
    const after = filesBelow(repo)
    expect(Object.keys(after).filter((p) => p.split('/').pop()!.startsWith('.msp-tmp-'))).toEqual([])
    // Every file there is whole: the reference's bytes where the reference has the service, else a
    // complete JSON document (the specs beyond the reference's are built the same way).
    const written = Object.entries(after).filter(([p]) => p.endsWith('cdk.tf.json'))
    for (const [path, text] of written) {
      if (path in reference) expect(text, path).toBe(reference[path])
      else expect(() => JSON.parse(text) as unknown, path).not.toThrow()
    }
    // Some environments were written and some not: the signal came in the middle.
    expect(written.length).toBeGreaterThan(0)
    expect(written.length).toBeLessThan(3 * SERVICES * 2 * 5)
  }, 60_000)
})

describe('errors crossing a thread', () => {
  it('arrive as the class they were thrown as, with message, hint and fields', async () => {
    const thrown: Error[] = [
      new errors.UserError('bad spec', {hint: 'fix it'}),
      new errors.UsageError('bad flag', {hint: 'see --help'}),
      new errors.CancelledError('interrupted'),
      new errors.UnsafePathError('a link', {hint: 'replace the link'}),
      errors.fileSystemError(Object.assign(new Error('x'), {code: 'ENOSPC'}), 'write', '/r/f') as Error,
      new errors.SpecError([{file: 'services/a/service.yaml', line: 3, column: 5, path: 'id', message: 'bad id', severity: 'error'}], {
        hint: 'run msp validate',
      }),
      new TypeError('a bug'),
    ]
    // Through a real message port, as a worker's message travels.
    const {port1, port2} = new MessageChannel()
    const received: Error[] = []
    for (const error of thrown) {
      const arrived = new Promise<Error>((resolve) => port2.once('message', (m: Parameters<typeof receivedError>[0]) => resolve(receivedError(m))))
      port1.postMessage(sendError(error))
      received.push(await arrived)
    }
    port1.close()
    port2.close()
    for (const [i, error] of thrown.entries()) {
      const got = received[i]!
      expect(got.message).toBe(error.message)
      if (error instanceof errors.UserError) {
        expect(got.constructor).toBe(error.constructor)
        expect((got as errors.UserError).hint).toBe(error.hint)
      } else {
        expect(got.constructor).toBe(Error)
        expect(got.stack).toBe(error.stack)
      }
    }
    expect((received[4] as errors.FileSystemError).code).toBe('ENOSPC')
    expect((received[5] as errors.SpecError).issues).toEqual((thrown[5] as errors.SpecError).issues)
  })
})

describe('MSP_THREADS', () => {
  it('is read as a count from 0 to 16', () => {
    expect(workerCount({MSP_THREADS: '0'})).toBe(0)
    expect(workerCount({MSP_THREADS: '16'})).toBe(16)
    expect(() => workerCount({MSP_THREADS: '17'})).toThrow('is not a thread count')
    expect(() => workerCount({MSP_THREADS: '-1'})).toThrow('is not a thread count')
    expect(workerCount({})).toBeLessThanOrEqual(3)
  })
})
