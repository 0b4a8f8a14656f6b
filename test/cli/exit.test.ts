import {describe, expect, it} from 'vitest'
import {ExitCode, exitCodeFor, silentExit} from '../../src/cli/exit.js'
import {CancelledError, SpecError, UsageError, UserError} from '../../src/lib/io/errors.js'

describe('the exit-code map (src/cli/exit.ts)', () => {
  it.each<[string, unknown, number]>([
    ['a usage error', new UsageError('unknown flag --x'), 2],
    ['a cancelled confirmation', new CancelledError('cancelled'), 130],
    ['an error the user can act on', new UserError('no credentials'), 1],
    ['an invalid spec', new SpecError([{file: 'f', line: 1, column: 1, path: '', message: 'm', severity: 'error'}]), 1],
    ['an unexpected failure', new TypeError('x is undefined'), 1],
    ['an exit msp already reported', silentExit(143), 143],
  ])('%s', (_what, error, code) => {
    expect(exitCodeFor(error)).toBe(code)
  })

  it('documents 0, 1, 2, 129, 130 and 143', () => {
    expect(ExitCode).toEqual({ok: 0, error: 1, usage: 2, hangup: 129, interrupted: 130, terminated: 143})
  })
})

describe('one place ends the process', () => {
  it('process.exit appears only in src/cli/exit.ts, process.exitCode only in the I/O context, src/cli/io.ts (bin/ and all of src/)', async () => {
    const {readdirSync, readFileSync} = await import('node:fs')
    const {join, relative} = await import('node:path')
    const {repoDir} = await import('../helpers/paths.js')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, {withFileTypes: true})) {
        if (e.isDirectory()) walk(join(dir, e.name))
        else if (/\.(ts|js|mjs)$/.test(e.name)) files.push(join(dir, e.name))
      }
    }
    walk(join(repoDir, 'src'))
    walk(join(repoDir, 'bin'))
    const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
    const exits = files
      .filter((f) => relative(repoDir, f) !== join('src', 'cli', 'exit.ts'))
      .filter((f) => /process\.exit\(|@oclif\/core\/execute/.test(code(f)))
    expect(exits.map((f) => relative(repoDir, f))).toEqual([])
    // The exit code of a run goes to its I/O context; the process's context (io.ts) records it on the process.
    // The cloud-sql-proxy supervisor is a process of its own (started by pg connect): its exit status is
    // how it reports the session's end to msp.
    const exitCodes = files.filter((f) => /process\.exitCode\s*=[^=]/.test(code(f))).map((f) => relative(repoDir, f))
    expect(exitCodes.sort()).toEqual([join('src', 'cli', 'io.ts'), join('src', 'lib', 'pg', 'supervisor.ts')])
  })
})
