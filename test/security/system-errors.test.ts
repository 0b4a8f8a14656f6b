/**
 * The cache is never a reason for a command to fail (a cache folder that is a
 * file, an entry or stamp of the right key but the wrong shape), and known system errors are user
 * errors naming the path and what to do — never "unexpected failure".
 */
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {FileSystemError, fileSystemError, UserError} from '../../src/lib/io/errors.js'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo} from '../helpers/paths.js'

let work: string
let root: string
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'msp-syserr-'))
  root = join(work, 'repo')
  cpSync(examplesRepo, root, {recursive: true, filter: (src) => !src.includes('/terraform')})
})
afterEach(() => rmSync(work, {recursive: true, force: true}))

const LOGS = ['logs', 'hello-api', 'prod', '--no-open']

describe('the cache never makes a command fail', () => {
  it('MSP_CACHE_DIR pointing at a file: logs, generate --all and validate work as without a cache', async () => {
    const file = join(work, 'not-a-folder')
    writeFileSync(file, 'x')
    const expected = await runMsp([...LOGS, '--repo', root], {env: {MSP_NO_CACHE: '1'}})
    expect(expected.code).toBe(0)
    const env = {MSP_CACHE_DIR: file}
    const logs = await runMsp([...LOGS, '--repo', root], {env})
    expect(logs.code, logs.stderr).toBe(0)
    expect(logs.stdout).toBe(expected.stdout)
    for (const args of [['generate', '--all'], ['validate']]) {
      const r = await runMsp([...args, '--repo', root], {env})
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      expect(r.stderr).not.toMatch(/unexpected failure/)
    }
    expect(readFileSync(file, 'utf8')).toBe('x')
  })

  it('spec cache entries and generation stamps with the right key but the wrong shape are misses (fast path included)', async () => {
    const cache = join(work, 'cache')
    const env = {MSP_CACHE_DIR: cache}
    const expected = await runMsp([...LOGS, '--repo', root], {env})
    expect(expected.code).toBe(0)
    expect((await runMsp(['generate', '--all', '--repo', root], {env})).code).toBe(0)
    const shapes = [
      (key: string) => ({key, service: {id: 'hello-api', spec: {environments: 5}}}),
      (key: string) => ({key, service: {id: 'hello-api', spec: {service: {id: 'hello-api'}, environments: [{id: 'prod'}]}, warnings: 'x'}}),
      (key: string) => ({key, service: {id: 'hello-api', spec: null}}),
    ]
    const stampShapes = [(key: string) => ({key, files: 'x', stats: []}), (key: string) => ({key, files: [7], stats: [[null, 'a', 1]]})]
    for (let i = 0; i < shapes.length; i++) {
      for (const name of readdirSync(cache).filter((f) => f.endsWith('.json'))) {
        writeFileSync(join(cache, name), JSON.stringify(shapes[i]!(name.slice(0, -5))))
      }
      const stamps = join(cache, 'generate-stamps')
      for (const name of readdirSync(stamps)) {
        const {key} = JSON.parse(readFileSync(join(stamps, name), 'utf8')) as {key: string}
        writeFileSync(join(stamps, name), JSON.stringify(stampShapes[i % stampShapes.length]!(key)))
      }
      const logs = await runMsp([...LOGS, '--repo', root], {env})
      expect(logs.code, `shape ${i}: ${logs.stderr}`).toBe(0)
      expect(logs.stdout).toBe(expected.stdout)
      const gen = await runMsp(['generate', '--all', '--repo', root], {env})
      expect(gen.code, `shape ${i}: ${gen.stderr}`).toBe(0)
      // The next run rewrites the entries from the full path.
      expect((await runMsp([...LOGS, '--repo', root], {env})).code).toBe(0)
    }
  })
})

describe('known system errors are user errors naming the path', () => {
  it('a generated file that is a folder (EISDIR) and a terraform folder that is a file (ENOTDIR)', async () => {
    mkdirSync(join(root, 'services/hello-api/terraform/prod/.tool-versions'), {recursive: true})
    const eisdir = await runMsp(['generate', 'hello-api', 'prod', '--repo', root])
    expect(eisdir.code).toBe(1)
    expect(eisdir.stderr).not.toMatch(/unexpected failure/)
    expect(eisdir.stderr).toContain('services/hello-api/terraform/prod/.tool-versions')
    expect(eisdir.stderr).toMatch(/is a folder/)

    writeFileSync(join(root, 'services/usage-ledger/terraform'), 'x')
    const enotdir = await runMsp(['generate', 'usage-ledger', '--repo', root])
    expect(enotdir.code).toBe(1)
    expect(enotdir.stderr).not.toMatch(/unexpected failure/)
    expect(enotdir.stderr).toContain('services/usage-ledger/terraform')
    expect(enotdir.stderr).toMatch(/not a folder/)
  })

  it('EACCES, ENOSPC, EROFS, EISDIR, ENOTDIR, EFBIG, EIO and EBADF become FileSystemErrors with the path and a next step; others stay', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: boom`), {code})
    const cases: [string, RegExp][] = [
      ['EACCES', /permission denied/],
      ['EPERM', /permission denied/],
      ['ENOSPC', /no space left/],
      ['EROFS', /read-only/],
      ['EISDIR', /is a folder/],
      ['ENOTDIR', /not a folder/],
      ['EDQUOT', /quota/],
      ['EFBIG', /larger than/],
      ['EIO', /input\/output error/],
      ['EBADF', /not open for writing/],
    ]
    for (const [code, message] of cases) {
      const error = fileSystemError(errno(code), 'write', '/x/y/cdk.tf.json')
      expect(error, code).toBeInstanceOf(FileSystemError)
      expect(error, code).toBeInstanceOf(UserError)
      expect((error as UserError).message).toContain('/x/y/cdk.tf.json')
      expect((error as UserError).message).toMatch(message)
      expect((error as UserError).hint, code).toBeTruthy()
    }
    const other = errno('EBUSY')
    expect(fileSystemError(other, 'write', '/x')).toBe(other)
  })
})
