#!/usr/bin/env node
// Entry point. The command line is first normalised to oclif's syntax (src/cli/argv.ts: the original's
// `-flag`/`-flag=value`, `-h`, global flags before the command, `--all=true`). Plain console shortcuts
// with a cached spec are then answered by the fast path without loading oclif (src/cli/fast-path.ts);
// everything else runs through oclif (src/cli/main.ts), which never ends the process while output is
// still pending: exit codes are recorded (src/cli/exit.ts) and Node exits once stdout/stderr drain.
import {normalizeArgv, readManifest} from '../dist/cli/argv.js'

const {argv, problem} = normalizeArgv(process.argv.slice(2), readManifest(new URL('../oclif.manifest.json', import.meta.url)))
const fast = !problem && ['logs', 'tfc', 'open', '__complete', '--version'].includes(argv[0] ?? '') && !process.env.MSP_NO_FAST_PATH
if (!(fast && (await (await import('../dist/cli/fast-path.js')).runFastPath(argv)))) {
  await (await import('../dist/cli/main.js')).runCli(argv, import.meta.url, problem)
}
