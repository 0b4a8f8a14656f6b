/**
 * An answer that cannot be written — stdout redirected to a full disk (`>/dev/full` is one) or to a
 * file opened only for reading — fails the run with exit 1 and says so on stderr, with the hint for
 * that system error, on oclif's path and on the fast path alike. Before, it ended with Node's stack
 * trace (oclif rethrows every write error of stdout but EPIPE). A reader that goes away (`| head`) is
 * still no failure: test/cli/pipes.test.ts. Spawned: the process's own stdout is the behaviour.
 */
import {spawnSync} from 'node:child_process'
import {closeSync, mkdtempSync, openSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {repoDir, examplesRepo} from '../helpers/paths.js'

let scratch: string
let cache: string

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'msp-output-failure-'))
  cache = join(scratch, 'cache')
  // The spec cache the fast path answers from.
  expect(run(['logs', 'hello-api', 'prod', '--repo', examplesRepo], 'pipe').status).toBe(0)
})
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

/** `msp <args>` with stdout to `stdout` (a path opened as `flags`, or a pipe). */
function run(args: readonly string[], stdout: 'pipe' | {path: string; flags: 'w' | 'r'}) {
  const fd = stdout === 'pipe' ? 'pipe' : openSync(stdout.path, stdout.flags)
  try {
    return spawnSync(process.execPath, [join(repoDir, 'bin/run.js'), ...args], {
      env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', MSP_CACHE_DIR: cache, MSP_FAST_PATH_DEBUG: '1'},
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
    })
  } finally {
    if (typeof fd === 'number') closeSync(fd)
  }
}

const FAST = 'msp: answered by the fast path\n'
const CASES: {name: string; args: string[]; path: 'fast' | 'oclif'}[] = [
  {name: 'a console shortcut', args: ['logs', 'hello-api', 'prod', '--repo', examplesRepo], path: 'fast'},
  {name: 'the version', args: ['--version'], path: 'fast'},
  {name: 'validate', args: ['validate', '--repo', examplesRepo], path: 'oclif'},
  {name: 'the help of a command (printed by oclif)', args: ['help', 'logs'], path: 'oclif'},
  {name: 'a shortcut on the full path', args: ['logs', 'hello-api', 'prod', '--repo', examplesRepo, '--no-open', '--debug'], path: 'oclif'},
]

describe('an answer that cannot be written', () => {
  it.each(CASES)('$name ($path path), stdout on a full disk: exit 1, the error and its hint, no stack trace', ({args, path}) => {
    const r = run(args, {path: '/dev/full', flags: 'w'})
    expect(r.stderr.includes(FAST) ? 'fast' : 'oclif').toBe(path)
    expect(r.status, r.stderr).toBe(1)
    expect(r.stderr).toContain(
      'Error: cannot write the standard output: no space left on the device (ENOSPC)\nhint: free some disk space, then run msp again\n',
    )
    expect(r.stderr).not.toMatch(/\n\s+at |Node\.js v|node:internal/)
  })

  it.each(CASES.filter((c) => c.name !== 'a shortcut on the full path'))(
    '$name ($path path), stdout a file opened for reading: exit 1, EBADF named with its hint',
    ({args}) => {
      const file = join(scratch, 'read-only.txt')
      writeFileSync(file, '')
      const r = run(args, {path: file, flags: 'r'})
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toContain('Error: cannot write the standard output: it is not open for writing (EBADF)\n')
      expect(r.stderr).not.toMatch(/\n\s+at |Node\.js v/)
    },
  )

  it('the same command into a file that can be written: exit 0, the answer in the file', () => {
    const file = join(scratch, 'out.txt')
    const r = run(['logs', 'hello-api', 'prod', '--repo', examplesRepo], {path: file, flags: 'w'})
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toBe(FAST)
  })
})
