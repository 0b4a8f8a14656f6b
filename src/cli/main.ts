/**
 * Runs a command line through oclif without its `run()` entry: the command line was already read
 * (argv.ts, grammar.ts), so oclif is told which command to run instead of working it out again from
 * the words (its own guess joins extra arguments into the id: `fleet sams` became the unknown command
 * `fleet:sams`). oclif's `execute` would also end with `process.exit(code)`, which drops whatever is
 * still queued for a pipe; here a failure only records its exit code (exit.ts) and Node exits by
 * itself once stdout and stderr drain.
 */
import {Config} from '@oclif/core/config'
import {loadHelpClass} from '@oclif/core/help'
import type {CommandLine} from '../lib/command-line/grammar.js'
import type {IoContext} from '../lib/io/context.js'
import {UsageError} from '../lib/io/errors.js'
import {guardStream, outputFailure} from '../lib/io/output.js'
import {withSecretScope} from '../lib/io/secrets.js'
import {recordedExitCode, setExitCode} from './exit.js'
import {storeRootHelp} from './help-cache.js'
import {processIo, runWithIo} from './io.js'
import {debugEnabled, reportError, reportOutputFailure} from './report.js'
import {quietRedundantWarnings} from './warnings.js'

/**
 * Runs what the command line asks for (completion aside, which the fast path or `__complete` answer).
 * @param line - the command line, read by argv.ts
 * @param root - where oclif finds package.json (bin/run.js passes the package's folder)
 * @param io - the run's I/O context: the process's, or a test's (commands then run in-process)
 */
export async function runCli(line: CommandLine, root: string, io: IoContext = processIo()): Promise<void> {
  await runWithIo(io, () => withSecretScope(() => runLine(line, root, io)))
}

async function runLine(line: CommandLine, root: string, io: IoContext): Promise<void> {
  try {
    await runGuarded(line, root, io)
  } finally {
    // An answer that could not be written (a full disk behind `>`) fails the run, saying so.
    const code = reportOutputFailure(io.stdout, io.stderr, outputFailure(io.stdout), io.env)
    if (code !== undefined && (recordedExitCode() ?? 0) === 0) setExitCode(code)
  }
}

async function runGuarded(line: CommandLine, root: string, io: IoContext): Promise<void> {
  // A reader that goes away (`msp generate --all 2>&1 | head -1`) ends nothing but the output: the
  // work goes on and keeps its exit status.
  guardStream(io.stdout)
  guardStream(io.stderr)
  const report = (error: unknown, json: boolean, debug: boolean) =>
    setExitCode(reportError(error, {json, debug, stdout: io.stdout, stderr: io.stderr, env: io.env}))
  if (line.kind === 'misuse') {
    const {message, hint, valid, suggestion} = line.misuse
    const details = valid ? {valid, ...(suggestion ? {suggestion} : {})} : undefined
    return report(new UsageError(message, {hint, ...(details ? {details} : {})}), line.json, line.debug)
  }
  const json = line.kind === 'complete' ? false : line.json
  const debug = line.kind === 'complete' ? false : line.debug || debugEnabled([], io.env)
  // Node's warnings are the process's: a command run in-process by a test leaves them alone.
  if (io === processIo()) quietRedundantWarnings(debug, io.stderr)
  try {
    const config = await Config.load(root)
    if (line.kind === 'version') {
      io.stdout.write(`${config.userAgent}\n`)
      return
    }
    if (line.kind === 'help') {
      const Help = await loadHelpClass(config)
      const help = new Help(config, config.pjson.oclif.helpOptions)
      if (line.id) return await help.showHelp([line.id])
      // The root help is also kept for the fast path (help-cache.ts): exactly the bytes written here
      // (oclif prints through console.log, which writes to the run's stdout).
      const written: string[] = []
      const stdout = io.stdout
      const write = stdout.write.bind(stdout)
      stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
        return write(chunk, ...rest)
      }) as typeof stdout.write
      try {
        await help.showHelp([])
      } finally {
        stdout.write = write
      }
      storeRootHelp(written.join(''), io)
      return
    }
    const [id, argv] = line.kind === 'complete' ? ['__complete', ['--', ...line.words]] : [line.command.id, line.argv]
    await config.runCommand(id, argv)
  } catch (error) {
    const e = error as {skipOclifErrorHandling?: boolean; oclif?: {exit?: number}}
    if (e.skipOclifErrorHandling || (error as {code?: string}).code === 'EEXIT') {
      // Already reported (silentExit), or oclif's own `exit(code)`.
      setExitCode(e.oclif?.exit ?? 0)
      return
    }
    // The help plugin's own "Command x not found." (`msp help nope`) is an unknown command like any other.
    const notFound = error instanceof Error ? /^Command (.+) not found\.?$/.exec(error.message) : null
    report(
      notFound ? new UsageError(`unknown command "${notFound[1]!.replaceAll(':', ' ')}"`, {hint: 'run "msp help" for the list of commands'}) : error,
      json,
      debug,
    )
  }
}
