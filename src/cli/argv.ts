/**
 * Reads the command line once, at start-up: the one manifest of this build (oclif.manifest.json,
 * written by `npm run build` with the help plugin's commands added under `pluginCommands`) and the
 * one grammar (src/lib/command-line/grammar.ts). bin/run.js hands the result to the fast path or to
 * oclif; completion and the misuse messages read the same table. Imports only Node built-ins and
 * pure modules, so the fast path stays fast.
 */
import {readFileSync} from 'node:fs'
import {CommandTable, readCommandLine, type CommandDef, type CommandLine} from '../lib/command-line/grammar.js'
import {closestMatch} from '../lib/text/suggest.js'

/** The parts of oclif.manifest.json msp reads. */
interface ManifestFile {
  commands: Record<string, CommandDef>
  pluginCommands?: Record<string, CommandDef>
}

/**
 * The commands of this build (msp's and its plugins'), from the manifest next to package.json.
 * @param url - the manifest's file URL (default: the one of this build)
 */
export function readCommandTable(url: URL = new URL('../../oclif.manifest.json', import.meta.url)): CommandTable {
  let manifest: ManifestFile
  try {
    manifest = JSON.parse(readFileSync(url, 'utf8')) as ManifestFile
  } catch (error) {
    throw new Error(`cannot read ${url.pathname} (run "npm run build"): ${(error as Error).message}`)
  }
  return new CommandTable([...Object.values(manifest.commands), ...Object.values(manifest.pluginCommands ?? {})])
}

/**
 * What the words after `msp` ask for (see grammar.ts).
 * @param argv - process.argv without node and the script
 * @param table - the commands of this build
 */
export function commandLineOf(argv: readonly string[], table: CommandTable): CommandLine {
  return readCommandLine(argv, table, closestMatch)
}
