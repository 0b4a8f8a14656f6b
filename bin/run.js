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
const {readFileSync, renameSync, writeFileSync} = require('node:fs')
const {dirname, join} = require('node:path')

const bundle = loadFastPath(join(__dirname, '../dist/fast-path.cjs'))
const {argv, fastPath} = bundle.exports

/**
 * Loads dist/fast-path.cjs as require would, with V8's code cache of it when the build wrote one: V8
 * then skips compiling what the cache holds (on Node 22 module.enableCompileCache does this; Node 20
 * has only vm.Script's cachedData). The cache's file name carries the digest the bundle's second line
 * states, so a rebuilt bundle never meets an old cache; V8 itself refuses (and msp then ignores) a cache
 * from another Node or V8 version. With MSP_WRITE_CODE_CACHE set (by the build), the cache is written
 * once the run is over, holding every function the run compiled.
 */
function loadFastPath(file) {
  const text = readFileSync(file, 'utf8')
  const digest = /^.*\n\/\/ digest ([0-9a-f]{64})\n/.exec(text)?.[1]
  const cacheFile = digest && join(dirname(file), `fast-path.${digest}.v8cache`)
  let cachedData
  try {
    cachedData = cacheFile && !process.env.MSP_WRITE_CODE_CACHE ? readFileSync(cacheFile) : undefined
  } catch {
    cachedData = undefined // No cache (a build without one): compiled as require would.
  }
  const vm = require('node:vm')
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {filename: file, cachedData})
  const module = {exports: {}}
  script.runInThisContext()(module.exports, require, module, file, dirname(file))
  return {
    exports: module.exports,
    writeCache() {
      if (!cacheFile) return
      writeFileSync(`${cacheFile}.${process.pid}.tmp`, script.createCachedData())
      renameSync(`${cacheFile}.${process.pid}.tmp`, cacheFile)
    },
  }
}

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

// As the top-level await of an ES module would: a failure here is an unhandled rejection, which Node
// reports with its stack and exit status 1 (exit codes are otherwise set in src/cli/exit.ts only).
void main().then(() => {
  if (process.env.MSP_WRITE_CODE_CACHE) bundle.writeCache()
})
