#!/usr/bin/env node
// Entry point. The command line is read once (src/cli/argv.ts: the one manifest, the one grammar of
// src/lib/command-line/grammar.ts): which command, its flags in oclif's syntax, or help, the version,
// completion, or a misuse. Console shortcuts with a cached spec, completion, the version and the root
// help are then answered by the fast path without loading oclif (src/cli/fast-path.ts); everything
// else runs through oclif (src/cli/main.ts), which never ends the process while output is still
// pending: exit codes are recorded (src/cli/exit.ts) and Node exits once stdout/stderr drain.
import {commandLineOf, readCommandTable} from '../dist/cli/argv.js'

const table = readCommandTable()
const line = commandLineOf(process.argv.slice(2), table)
const fast =
  !process.env.MSP_NO_FAST_PATH &&
  (line.kind === 'version' ||
    line.kind === 'complete' ||
    (line.kind === 'help' && line.id === '') ||
    (line.kind === 'command' && ['logs', 'open', 'tfc:view'].includes(line.command.id)))
if (!(fast && (await (await import('../dist/cli/fast-path.js')).runFastPath(line, table)))) {
  await (await import('../dist/cli/main.js')).runCli(line, import.meta.url)
}
