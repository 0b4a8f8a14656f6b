/**
 * Turns oclif's parse errors (` ›   Error: Nonexistent flag: --bogus` plus a full usage dump) into
 * msp's UsageError: one `Error:` line, a `hint:` line, a short usage line, exit 2.
 */
import {UsageError} from '../lib/io/errors.js'
import {closestMatch, suggestionHint} from '../lib/text/suggest.js'

/** The parts of a command class the messages need (oclif's static args/flags/usage). */
export interface CommandShape {
  id: string
  bin: string
  args: Readonly<Record<string, {name?: string; options?: readonly string[]; required?: boolean}>>
  flags: Readonly<Record<string, {name?: string; char?: string; options?: readonly string[]; allowNo?: boolean; type?: string}>>
  usage?: string | readonly string[]
}

/** `msp logs SERVICE ENV [-c service] [--[no-]open] [--json]`: the command's own usage or one built from its args. */
export function shortUsage(cmd: CommandShape): string {
  const words = `${cmd.bin} ${cmd.id.replaceAll(':', ' ')}`
  const own = typeof cmd.usage === 'string' ? cmd.usage : cmd.usage?.[0]
  if (own) return `${words} ${own.replace(/^<%= config\.bin %> \S+ ?/, '')}`.trim()
  const args = Object.entries(cmd.args).map(([name, a]) => (a.required ? name.toUpperCase() : `[${name.toUpperCase()}]`))
  return [words, ...args, '[flags]'].join(' ')
}

const stripAnsi = (s: string) => s.replace(/\u001B\[[0-9;]*m/g, '')

/** One line of oclif's message without "See more help with --help" and its indentation. */
function cleanLines(message: string): string[] {
  return stripAnsi(message)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'See more help with --help')
}

function flagNames(cmd: CommandShape): string[] {
  const names: string[] = []
  for (const [name, f] of Object.entries(cmd.flags)) {
    names.push(`--${name}`)
    if (f.allowNo) names.push(`--no-${name}`)
  }
  return names.sort()
}

/**
 * The UsageError for anything oclif's parser threw (unknown flag, extra argument, exclusive flags,
 * missing argument, a bad value).
 * @param error - what `Command.parse` threw
 * @param cmd - the command being parsed
 */
export function usageErrorFromParse(error: Error, cmd: CommandShape): UsageError {
  const help = `run "${cmd.bin} ${cmd.id.replaceAll(':', ' ')} --help" for usage`
  const usage = shortUsage(cmd)
  const lines = cleanLines(error.message)
  const first = lines[0] ?? 'invalid arguments'
  let m: RegExpMatchArray | null
  switch (error.constructor.name) {
    case 'NonExistentFlagsError': {
      const flags = first.replace(/^Nonexistent flags?:\s*/, '').split(/,\s*/)
      const close = closestMatch(flags[0]!.split('=')[0]!, flagNames(cmd))
      return new UsageError(`unknown flag ${flags.map((f) => f.split('=')[0]).join(', ')}`, {
        hint: close ? `did you mean ${close}? ${help}` : help,
        usage,
        ...(close ? {details: {suggestion: close}} : {}),
      })
    }
    case 'UnexpectedArgsError': {
      const args = first.replace(/^Unexpected arguments?:\s*/, '')
      return new UsageError(
        `unexpected argument${args.includes(',') ? 's' : ''} ${args
          .split(/,\s*/)
          .map((a) => `"${a}"`)
          .join(', ')}`,
        {hint: help, usage},
      )
    }
    case 'RequiredArgsError': {
      const missing = lines
        .slice(1)
        .map((l) => l.split(/\s+/)[0]!)
        .filter((n) => n in cmd.args)
      const name = missing[0] ?? 'required'
      const options = cmd.args[name]?.options
      return new UsageError(`missing the ${name} argument`, {
        hint: options ? `valid values: ${options.join(', ')}` : help,
        usage,
        ...(options ? {details: {valid: options}} : {}),
      })
    }
    case 'FlagInvalidOptionError':
      if ((m = first.match(/^Expected --([\w-]+)=(.*) to be one of: (.*)$/))) {
        const s = suggestionHint(m[2]!, m[3]!.split(/,\s*/), 'valid values')
        return new UsageError(`invalid value "${m[2]}" for --${m[1]}`, {...s, usage})
      }
      break
    case 'ArgInvalidOptionError':
      if ((m = first.match(/^Expected (.*) to be one of: (.*)$/))) {
        const s = suggestionHint(m[1]!, m[2]!.split(/,\s*/), 'valid values')
        return new UsageError(`invalid value "${m[1]}"`, {...s, usage})
      }
      break
    case 'FailedFlagValidationError':
    case 'ViolatedFlagConstraintError': {
      const reasons = lines
        .slice(1)
        .map((r) =>
          r
            .replace(/^--([\w-]+)=\S+ cannot also be provided when using --([\w-]+)$/, '--$1 cannot be used together with --$2')
            .replace(/^All of the following must be provided when using --([\w-]+): (.*)$/, '--$1 also needs $2'),
        )
      return new UsageError(reasons.join('; ') || first, {hint: help, usage})
    }
    default:
      break
  }
  if ((m = first.match(/^Parsing --([\w-]+)$/)) && lines[1]) {
    return new UsageError(`invalid value for --${m[1]}: ${lines[1].charAt(0).toLowerCase()}${lines[1].slice(1)}`, {hint: help, usage})
  }
  if ((m = first.match(/^Flag (--[\w-]+) expects one of these values: (.*)$/))) {
    const valid = m[2]!.split(/,\s*/)
    return new UsageError(`${m[1]} expects a value`, {hint: `valid values: ${valid.join(', ')}`, usage, details: {valid}})
  }
  if ((m = first.match(/^Flag (--[\w-]+) (.*)$/))) return new UsageError(`${m[1]} ${m[2]}`, {hint: help, usage})
  return new UsageError(`${first.charAt(0).toLowerCase()}${first.slice(1)}`, {hint: help, usage})
}
