#!/usr/bin/env node
// Entry point. Console shortcuts, shell completion and --version are offered to the fast path, which
// answers from the spec cache without loading oclif (see src/cli/fast-path.ts) or declines;
// everything else runs through oclif's lightest entry.
const argv = process.argv.slice(2)
const fast = ['logs', 'tfc', 'open', '__complete', '--version'].includes(argv[0] ?? '') && !process.env.MSP_NO_FAST_PATH
if (!(fast && (await (await import('../dist/cli/fast-path.js')).runFastPath(argv)))) {
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url})
}
