/**
 * Runs oclif without its exit handler. oclif's `execute` ends with `process.exit(code)`, which drops
 * whatever is still queued for a pipe (`msp validate | cat` lost up to 70 % of a large report). Here a
 * failure only records its exit code (exit.ts) and Node exits by itself once stdout and stderr drain.
 */
import {run} from '@oclif/core/run'
import {UsageError} from '../lib/io/errors.js'
import {setExitCode} from './exit.js'
import {debugEnabled, reportError} from './report.js'

/**
 * Runs the (normalised) argv through oclif; errors that reach this far are reported in msp's format.
 * @param argv - the arguments after node and the script, already normalised (argv.ts)
 * @param root - where oclif finds package.json (bin/run.js passes import.meta.url)
 * @param problem - a flag value the normaliser could not accept: reported as a usage error instead
 */
export async function runCli(argv: string[], root: string, problem?: {message: string; hint: string}): Promise<void> {
  const json = argv.includes('--json')
  const debug = debugEnabled(argv, process.env)
  if (problem) {
    setExitCode(
      reportError(new UsageError(problem.message, {hint: problem.hint}), {json, debug, stdout: process.stdout, stderr: process.stderr, env: process.env}),
    )
    return
  }
  try {
    await run(argv, root)
  } catch (error) {
    const e = error as {skipOclifErrorHandling?: boolean; oclif?: {exit?: number}}
    if (e.skipOclifErrorHandling || (error as {code?: string}).code === 'EEXIT') {
      // Already reported (silentExit), or oclif's own `exit(code)`.
      setExitCode(e.oclif?.exit ?? 0)
      return
    }
    // The help plugin's own "Command x not found." (`msp nope -h`) is an unknown command like any other.
    const notFound = error instanceof Error ? /^Command (.+) not found\.?$/.exec(error.message) : null
    const reported = notFound
      ? new UsageError(`unknown command "${notFound[1]!.replaceAll(':', ' ')}"`, {hint: 'run "msp help" for the list of commands'})
      : error
    setExitCode(reportError(reported, {json, debug, stdout: process.stdout, stderr: process.stderr, env: process.env}))
  }
}
