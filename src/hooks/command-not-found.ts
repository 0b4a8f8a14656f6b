import type {Hook} from '@oclif/core/hooks'
import {silentExit} from '../cli/exit.js'
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
  process.stderr.write(`Error: unknown command "${typed}"\n`)
  process.stderr.write(`hint: ${close ? `did you mean "${close}"? ` : ''}run "${this.config.bin} help" for the list of commands\n`)
  process.exitCode = 2
  throw silentExit(2)
}

export default hook
