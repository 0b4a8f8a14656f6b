#!/usr/bin/env node
// Entry point. Plain console shortcuts with a cached spec are answered by the fast path without
// loading oclif (see src/cli/fast-path.ts); everything else runs through oclif's lightest entry.
const argv = process.argv.slice(2)
const fast = ['logs', 'tfc', 'open', '--version'].includes(argv[0] ?? '') && !process.env.MSP_NO_FAST_PATH
if (!(fast && (await (await import('../dist/cli/fast-path.js')).runFastPath(argv)))) {
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url})
}
