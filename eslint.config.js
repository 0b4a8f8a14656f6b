// ESLint flat config. Beyond a small set of correctness rules, it holds the project's architecture
// as rules, so a change that breaks a boundary fails `npm run lint` (and `npm test`):
// - lib never imports commands, the CLI layer or oclif, and never exits, reads the cwd or prints;
// - heavy clients (@google-cloud/*, google-gax, open, D2) are imported lazily, never statically;
// - commands and the CLI layer import oclif by subpath (the index costs start-up time);
// - command files stay thin (100 lines as Prettier lays them out);
// - commands and their base take the process's streams, environment, cwd, home, clock and exit code
//   from the run's I/O context (src/lib/io/context.ts), so tests run them in-process;
// - the pure renderers (links, stacks, terraform vocabulary, the handbook's page and diagram
//   builders) import no Node I/O module;
// - no module of src/lib outside src/lib/edition/ names an edition: edition-dependent code asks
//   whether a named change of the original is in force (src/lib/edition/changes.ts).
// Folder-level import cycles in src/lib are checked by test/architecture/folder-cycles.test.ts (no
// cheap ESLint rule sees folders), the fast path's import graph by test/cli/fast-path-imports.test.ts.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Node modules that reach the disk, the network, other processes or the terminal. */
const NODE_IO = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'tls',
  'readline',
  'readline/promises',
  'worker_threads',
  'cluster',
]
const nodeIo = NODE_IO.flatMap((m) => [`node:${m}`, m])

const HEAVY = {
  group: ['@google-cloud/*', 'google-gax', 'google-gax/*', 'open', '@terrastruct/d2', '@terrastruct/d2/*'],
  allowTypeImports: true,
  message: 'heavy client: import it lazily with `await import(…)` where it is used',
}
const LIB_UP = {
  group: ['**/commands/*', '**/commands', '**/cli/*', '**/cli', '@oclif/*'],
  message: 'lib never imports commands, the CLI layer or oclif: take typed options instead',
}
const OCLIF_INDEX = {name: '@oclif/core', message: 'import an oclif subpath (@oclif/core/flags, …): the index costs start-up time'}
const PURE = {paths: nodeIo.map((name) => ({name, message: 'a pure renderer does no I/O: take the data as a parameter'}))}

/**
 * A string naming an edition (`YYYY-MM`, e.g. '2024-05', alone or inside a longer string); a full date such
 * as 2024-05-01 or a path segment such as /2020-12/ is not an edition name.
 */
const EDITION_NAME = '/(^|[^0-9/-])[0-9]{4}-(0[1-9]|1[0-2])($|[^0-9/-])/'
const NAMES_AN_EDITION = {
  message: 'only src/lib/edition/ names editions: ask inForce(edition, <change>) about a change of the original instead',
}

/** A lib module exports what it defines: importers import a name from its home, never through a forwarder. */
const NO_FORWARDING = [
  {selector: 'ExportAllDeclaration', message: 'no re-exports in src/lib: import the names from the module that defines them'},
  {selector: 'ExportNamedDeclaration[declaration=null]', message: 'no re-exports in src/lib: export the declaration itself, or import from its home'},
]

/** What a command takes from its I/O context (MspCommand.io, src/cli/io.ts) instead of the process. */
const IO_CONTEXT = [
  {selector: "MemberExpression[object.name='process']", message: 'take it from the I/O context (this.io: streams, env, cwd, home, platform, exit code)'},
  {selector: "VariableDeclarator[init.name='process']", message: 'take it from the I/O context (this.io)'},
  {selector: "ImportSpecifier[imported.name='homedir']", message: 'the home directory is this.io.home'},
  {selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'the clock is this.io.now()'},
  {selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'the clock is this.io.now()'},
]

/** One `no-restricted-imports` setting (ESLint does not merge a rule across config objects). */
const restrict = ({patterns = [], paths = []}) => ['error', {patterns, paths}]

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'oclif.manifest.json', 'test/fixtures/**', 'examples/**', 'bench/handbook-skeleton/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        performance: 'readonly',
        NodeJS: 'readonly',
        WebAssembly: 'readonly',
      },
    },
    rules: {
      // Parameters of a public signature may be unused by one implementation (an edition-keyed builder).
      '@typescript-eslint/no-unused-vars': ['error', {args: 'none', varsIgnorePattern: '^_', caughtErrors: 'none'}],
      '@typescript-eslint/no-explicit-any': 'error',
      // Terminal escapes and control characters are matched on purpose (sanitising output).
      'no-control-regex': 'off',
    },
  },
  // The entry points are CommonJS (bin/package.json): on Node 20 the fast path must not start the ESM loader.
  {
    files: ['bin/*.js'],
    languageOptions: {sourceType: 'commonjs', globals: {require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  // No line over 160 characters (Prettier's width), comments, strings and URLs included: Prettier does not
  // break strings or comments, so this rule does. Fixtures and goldens under test/ are data, not code.
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.mjs', 'bench/**/*.mts', 'scripts/**/*.mjs', 'scripts/**/*.mts', 'bin/**/*.js', '*.js', '*.ts'],
    rules: {'max-len': ['error', {code: 160, tabWidth: 2}]},
  },
  // Tests read JSON documents of any shape (API bodies, rendered Terraform).
  {files: ['test/**/*.ts'], rules: {'@typescript-eslint/no-explicit-any': 'off'}},
  // Whole src/: heavy clients lazily.
  {files: ['src/**/*.ts'], rules: {'no-restricted-imports': restrict({patterns: [HEAVY]})}},
  {
    files: ['src/commands/**/*.ts', 'src/cli/**/*.ts', 'src/hooks/**/*.ts'],
    rules: {'no-restricted-imports': restrict({patterns: [HEAVY], paths: [OCLIF_INDEX]})},
  },
  {files: ['src/commands/**/*.ts'], rules: {'max-lines': ['error', {max: 100, skipBlankLines: false, skipComments: false}]}},
  {files: ['src/commands/**/*.ts', 'src/cli/base-command.ts'], rules: {'no-restricted-syntax': ['error', ...IO_CONTEXT]}},
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({patterns: [HEAVY, LIB_UP]}),
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        {object: 'process', property: 'exit', message: 'lib does not end the process: throw a UserError; the CLI layer maps it to an exit code'},
        {object: 'process', property: 'cwd', message: 'lib does not read the working directory: take the path as a parameter'},
        {object: 'process', property: 'env', message: 'lib takes the environment as a parameter; its one fallback is processEnv() in src/lib/io/env.ts'},
        {property: '_zod', message: "zod's private internals change without notice: use zod 4's public API (unwrap, shape, element, …)"},
      ],
    },
  },
  {
    // The one home of the process environment in lib.
    files: ['src/lib/io/env.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {object: 'process', property: 'exit', message: 'lib does not end the process'},
        {object: 'process', property: 'cwd', message: 'lib does not read the working directory'},
      ],
    },
  },
  {
    files: ['src/lib/**/*.ts'],
    ignores: ['src/lib/edition/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {selector: `Literal[value=${EDITION_NAME}]`, ...NAMES_AN_EDITION},
        {selector: `TemplateElement[value.raw=${EDITION_NAME}]`, ...NAMES_AN_EDITION},
        ...NO_FORWARDING,
      ],
    },
  },
  {files: ['src/lib/edition/**/*.ts'], rules: {'no-restricted-syntax': ['error', ...NO_FORWARDING]}},
  {
    // The pure builders: URLs, the Terraform vocabulary, the stacks model, the handbook's pages and
    // diagrams (handbook/generate.ts writes the pages and handbook/svg.ts runs the D2 renderer).
    files: ['src/lib/links/**/*.ts', 'src/lib/stacks/**/*.ts', 'src/lib/terraform/**/*.ts', 'src/lib/handbook/**/*.ts'],
    ignores: ['src/lib/handbook/generate.ts', 'src/lib/handbook/svg.ts'],
    rules: {'no-restricted-imports': restrict({patterns: [HEAVY, LIB_UP], ...PURE})},
  },
)
