/**
 * The architecture boundaries are ESLint rules (eslint.config.js), run by `npm run lint` and by
 * `npm test`'s pretest. This table proves each rule is wired to the right folders: a snippet that
 * breaks the boundary, linted as if it lived at that path, fails with the named rule, and the same
 * kind of code where it is allowed passes.
 */
import {join} from 'node:path'
import {ESLint} from 'eslint'
import {beforeAll, describe, expect, it} from 'vitest'
import {repoDir} from '../helpers/paths.js'

let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint({cwd: repoDir})
})

async function ruleIds(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {filePath: join(repoDir, path)})
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`)
}

/** A line of exactly `n` characters: a string constant padded with x. */
const lineOf = (n: number, prefix = 'export const x = ') => `${prefix}'${'x'.repeat(n - prefix.length - 2)}'\n`
const LINE_161 = lineOf(161)

const COMMAND_100 = `export const lines = [\n${Array.from({length: 100}, (_, i) => `  ${i},`).join('\n')}\n]\n`

describe('architecture rules (eslint.config.js)', () => {
  const broken: [string, string, string, string][] = [
    ['lib imports a command', 'src/lib/repo/x.ts', "import Logs from '../../commands/logs.js'\nexport const x = Logs\n", 'no-restricted-imports'],
    [
      'lib imports the CLI layer',
      'src/lib/spec/x.ts',
      "import {MspCommand} from '../../cli/base-command.js'\nexport const x = MspCommand\n",
      'no-restricted-imports',
    ],
    ['lib imports oclif', 'src/lib/io/x.ts', "import * as Flags from '@oclif/core/flags'\nexport const x = Flags\n", 'no-restricted-imports'],
    ['lib exits the process', 'src/lib/io/x.ts', 'export const x = () => process.exit(1)\n', 'no-restricted-properties'],
    ['lib reads the working directory', 'src/lib/repo/x.ts', 'export const x = () => process.cwd()\n', 'no-restricted-properties'],
    ['lib prints with console', 'src/lib/cloud/x.ts', "export const x = () => console.log('hi')\n", 'no-console'],
    [
      'a static import of a Google client',
      'src/lib/cloud/x.ts',
      "import {ServicesClient} from '@google-cloud/run'\nexport const x = ServicesClient\n",
      'no-restricted-imports',
    ],
    [
      'a static import of the D2 compiler in a command',
      'src/commands/x.ts',
      "import {D2} from '@terrastruct/d2'\nexport const x = D2\n",
      'no-restricted-imports',
    ],
    ['a static import of open in the CLI layer', 'src/cli/x.ts', "import open from 'open'\nexport const x = open\n", 'no-restricted-imports'],
    ['the oclif index in a command', 'src/commands/x.ts', "import {Flags} from '@oclif/core'\nexport const x = Flags\n", 'no-restricted-imports'],
    ['a command file over 100 lines', 'src/commands/x.ts', COMMAND_100, 'max-lines'],
    ['a link builder reads a file', 'src/lib/links/x.ts', "import {readFileSync} from 'node:fs'\nexport const x = readFileSync\n", 'no-restricted-imports'],
    [
      'a stack spawns a process',
      'src/lib/stacks/monitoring/x.ts',
      "import {spawn} from 'node:child_process'\nexport const x = spawn\n",
      'no-restricted-imports',
    ],
    ['the Terraform vocabulary opens a socket', 'src/lib/terraform/x.ts', "import {connect} from 'net'\nexport const x = connect\n", 'no-restricted-imports'],
    [
      'a handbook page renderer writes a file',
      'src/lib/handbook/service-page.ts',
      "import {writeFile} from 'node:fs/promises'\nexport const x = writeFile\n",
      'no-restricted-imports',
    ],
    [
      'a pure renderer still may not import a command',
      'src/lib/links/x.ts',
      "import Logs from '../../commands/logs.js'\nexport const x = Logs\n",
      'no-restricted-imports',
    ],
    [
      'a stack compares the edition with a name',
      'src/lib/stacks/x.ts',
      "export const x = (edition: string) => edition === '2024-05'\n",
      'no-restricted-syntax',
    ],
    ['the spec names an edition in a message', 'src/lib/spec/x.ts', "export const x = 'valid under the 2024-08 edition'\n", 'no-restricted-syntax'],
    [
      'generate names an edition in a template',
      'src/lib/generate/x.ts',
      'export const x = (e: string) => `edition ${e} is not 2024-05`\n',
      'no-restricted-syntax',
    ],
    ['a command writes to process.stdout', 'src/commands/x.ts', "export const x = () => process.stdout.write('hi')\n", 'no-restricted-syntax'],
    ['a command reads process.env', 'src/commands/pg/x.ts', 'export const x = () => process.env.HOME\n', 'no-restricted-syntax'],
    ['a command reads the working directory', 'src/commands/x.ts', 'export const x = () => process.cwd()\n', 'no-restricted-syntax'],
    ['a command destructures process', 'src/commands/x.ts', 'const {stderr} = process\nexport const x = stderr\n', 'no-restricted-syntax'],
    ['the command base reads stderr', 'src/cli/base-command.ts', "export const x = () => process.stderr.write('hi')\n", 'no-restricted-syntax'],
    ['the command base sets the exit code', 'src/cli/base-command.ts', 'export const x = () => (process.exitCode = 2)\n', 'no-restricted-syntax'],
    ['a command reads the home directory', 'src/commands/x.ts', "import {homedir} from 'node:os'\nexport const x = homedir\n", 'no-restricted-syntax'],
    ['a command reads the clock', 'src/commands/x.ts', 'export const x = () => new Date()\n', 'no-restricted-syntax'],
    ['lib reads process.env outside its one home', 'src/lib/repo/x.ts', 'export const x = () => process.env.HOME\n', 'no-restricted-properties'],
    ['lib spreads process.env', 'src/lib/pg/x.ts', 'export const x = () => ({...process.env})\n', 'no-restricted-properties'],
    ["lib forwards another module's names", 'src/lib/handbook/x.ts', "export {serviceName} from '../spec/derived.js'\n", 'no-restricted-syntax'],
    ['lib re-exports an imported name', 'src/lib/repo/x.ts', "import {ID_PATTERN} from '../spec/layout.js'\nexport {ID_PATTERN}\n", 'no-restricted-syntax'],
    ['the edition module forwards a type', 'src/lib/edition/x.ts', "export type {Category} from '../spec/schema.js'\n", 'no-restricted-syntax'],
    ['a source line over 160 characters', 'src/lib/spec/x.ts', LINE_161, 'max-len'],
    ['a comment line over 160 characters in a test', 'test/spec/x.test.ts', `// ${'x'.repeat(158)}\n`, 'max-len'],
    ['a long URL in a string', 'src/lib/links/x.ts', lineOf(161, "export const u = 'https://example.com/' + "), 'max-len'],
    ['a bench script line over 160 characters', 'bench/x.mjs', LINE_161, 'max-len'],
    ['a build script line over 160 characters', 'scripts/x.mjs', LINE_161, 'max-len'],
    ['an entry point line over 160 characters', 'bin/x.js', lineOf(161, 'module.exports = '), 'max-len'],
    ["lib reads zod's private _zod", 'src/lib/spec/x.ts', 'export const x = (s: {_zod: {def: unknown}}) => s._zod.def\n', 'no-restricted-properties'],
  ]
  it.each(broken)('%s fails lint', async (_name, path, code, rule) => {
    expect(await ruleIds(path, code)).toContain(rule)
  })

  const allowed: [string, string, string][] = [
    ['a lazy import of a Google client in lib', 'src/lib/cloud/x.ts', "export const x = async () => (await import('@google-cloud/run')).ServicesClient\n"],
    ['a type-only import of a Google client', 'src/lib/cloud/x.ts', "import type {ServicesClient} from '@google-cloud/run'\nexport type X = ServicesClient\n"],
    [
      'a command imports oclif by subpath and lib',
      'src/commands/x.ts',
      "import * as Flags from '@oclif/core/flags'\nimport {UserError} from '../lib/io/errors.js'\nexport const x = [Flags, UserError]\n",
    ],
    ['the handbook writer writes files', 'src/lib/handbook/generate.ts', "import {writeFile} from 'node:fs/promises'\nexport const x = writeFile\n"],
    ['repo reads files', 'src/lib/repo/x.ts', "import {readFileSync} from 'node:fs'\nexport const x = readFileSync\n"],
    ['a pure renderer uses node:crypto', 'src/lib/stacks/x.ts', "import {createHash} from 'node:crypto'\nexport const x = createHash\n"],
    ['the edition module names its editions', 'src/lib/edition/x.ts', "export const x = ['2024-05', '2024-08']\n"],
    ['a full date outside the edition module', 'src/lib/logs/x.ts', "export const x = 'a time such as 2024-05-01T12:00:00Z'\n"],
    ['a commands help example names an edition', 'src/commands/x.ts', "export const examples = ['msp generate --edition 2024-05']\n"],
    ['a command uses its I/O context', 'src/commands/x.ts', 'export const x = (io: {env: object; stdout: object}) => [io.env, io.stdout, new Date(0)]\n'],
    ['the CLI layer builds the context from the process', 'src/cli/io.ts', 'export const x = () => [process.stdout, process.env, process.cwd()]\n'],
    ['a line of exactly 160 characters', 'src/lib/spec/x.ts', lineOf(160)],
    ['the one home of the environment in lib', 'src/lib/io/env.ts', 'export const processEnv = () => process.env\n'],
  ]
  it.each(allowed)('%s passes lint', async (_name, path, code) => {
    expect(await ruleIds(path, code)).toEqual([])
  })
})
