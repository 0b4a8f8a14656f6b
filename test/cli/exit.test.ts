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

  it('documents 0, 1, 2, 130 and 143', () => {
    expect(ExitCode).toEqual({ok: 0, error: 1, usage: 2, interrupted: 130, terminated: 143})
  })
})

describe('one place ends the process', () => {
  it('process.exit and process.exitCode appear only in src/cli/exit.ts (bin/ and all of src/)', async () => {
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
    const offenders = files
      .filter((f) => relative(repoDir, f) !== join('src', 'cli', 'exit.ts'))
      .filter((f) => /process\.exit\(|process\.exitCode\s*=[^=]|@oclif\/core\/execute/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
    expect(offenders.map((f) => relative(repoDir, f))).toEqual([])
  })
})
