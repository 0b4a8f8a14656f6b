import type {Hook} from '@oclif/core/hooks'
import {setExitCode, silentExit} from '../cli/exit.js'
import {reportError} from '../cli/report.js'
import {UsageError} from '../lib/io/errors.js'
import {closestMatch} from '../lib/text/suggest.js'

/**
 * An unknown command: say which word was not understood, suggest the closest command, exit 2
 * (oclif's default prints the colon-joined argv, e.g. "command logz:svc:prod not found").
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const commands = [...new Set(this.config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' ')))].sort()
  const words = options.id.split(':')
  // The longest prefix of the typed words that is a topic tells where the unknown word starts.
  let known = 0
  while (known < words.length && commands.some((c) => c.startsWith(`${words.slice(0, known + 1).join(' ')} `))) known++
  const typed = words.slice(0, known + 1).join(' ')
  const close = closestMatch(typed, commands)
  const error = new UsageError(`unknown command "${typed}"`, {
    hint: `${close ? `did you mean "${close}"? ` : ''}run "${this.config.bin} help" for the list of commands`,
    details: {valid: commands, ...(close ? {suggestion: close} : {})},
  })
  const json = (options.argv ?? []).includes('--json')
  const code = reportError(error, {json, debug: false, stdout: process.stdout, stderr: process.stderr, env: process.env})
  setExitCode(code)
  throw silentExit(code)
}

export default hook
