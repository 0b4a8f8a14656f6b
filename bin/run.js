#!/usr/bin/env node
// Entry point. The command line is read once (src/cli/argv.ts: the one manifest, the one grammar of
// src/lib/command-line/grammar.ts): which command, its flags in oclif's syntax, or help, the version,
// completion, or a misuse. Console shortcuts with a cached spec, completion, the version and the root
// help are then answered by the fast path without loading oclif (src/cli/fast-path.ts); everything
// else runs through oclif (src/cli/main.ts), which never ends the process while output is still
// pending: exit codes are recorded (src/cli/exit.ts) and Node exits once stdout/stderr drain.
//
// This file is CommonJS (bin/package.json) and reads the command line through dist/fast-path.cjs, the
// fast path's modules in one CommonJS file (scripts/bundle-fast-path.mjs): on Node 20, entering the
// ESM loader at all costs more than the fast path's own work. oclif's path is imported as ESM, and
// told the package's root (the package.json here only makes this folder CommonJS).
'use strict'
const {join} = require('node:path')
const {argv, fastPath} = require('../dist/fast-path.cjs')

async function main() {
  const {commandLineOf, readCommandTable} = argv()
  const table = readCommandTable()
  const line = commandLineOf(process.argv.slice(2), table)
  const fast =
    !process.env.MSP_NO_FAST_PATH &&
    (line.kind === 'version' ||
      line.kind === 'complete' ||
      (line.kind === 'help' && line.id === '') ||
      (line.kind === 'command' && ['logs', 'open', 'tfc:view'].includes(line.command.id)))
  if (!(fast && (await fastPath().runFastPath(line, table)))) {
    await (await import('../dist/cli/main.js')).runCli(line, join(__dirname, '..'))
  }
}

// As the top-level await of an ES module would: a failure here is a crash with its stack.
main().catch((error) => {
  process.exitCode = 1
  throw error
})
