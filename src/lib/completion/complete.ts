/**
 * Dynamic shell completion: given the words typed after `msp`, list what may come next. The shell
 * scripts of `msp completion` call the hidden `msp __complete` command, which calls this.
 * @oclif/plugin-autocomplete 3 only knows the static command tree (flags and flag options), so it
 * cannot offer the service ids and environment ids of the current repo; this does.
 */

/** A flag as far as completion cares. */
export interface CompletionFlag {
  name: string
  char?: string
  /** False for booleans, true for flags followed by a value. */
  takesValue: boolean
  options?: readonly string[]
}

/** A command as far as completion cares (built from the oclif manifest by the command layer). */
export interface CompletionCommand {
  /** oclif id with `:` between topic and command, e.g. `tfc:view`. */
  id: string
  aliases?: readonly string[]
  hidden?: boolean
  /** Positional arguments in order. */
  args: readonly {name: string; options?: readonly string[]}[]
  flags: readonly CompletionFlag[]
}

/** Where dynamic values come from; built once the flags on the line (e.g. --repo) are known. */
export interface CompletionSources {
  services(): Promise<string[]>
  environments(serviceId: string): Promise<string[]>
  /** Fixed values of arguments by name (e.g. `target` of `msp open`). */
  named?: Readonly<Record<string, readonly string[]>>
}

/** The answer: candidates for the current word, or "complete file names here". */
export interface Completion {
  candidates: string[]
  files: boolean
}

/** Names of flags whose value is a path, so the shell should complete file names. */
const PATH_FLAGS = new Set(['repo', 'output', 'handbook-path', 'out-dir'])

/** Argument names completed with service ids, and with environment ids of the preceding service. */
const SERVICE_ARGS = new Set(['service', 'services'])
const ENV_ARGS = new Set(['env', 'environment', 'envs'])

/**
 * Lists the candidates for the last word of `words` (the words after `msp`, the last one being the
 * partial word under the cursor, possibly empty): command and topic names, then flags, flag values,
 * service ids, environment ids of the service typed before, and fixed argument values.
 * @param options - the words, the command tree, and a factory of dynamic sources given the parsed flags
 */
export async function complete(options: {
  words: readonly string[]
  commands: readonly CompletionCommand[]
  sources: (flags: Readonly<Record<string, string>>) => CompletionSources
}): Promise<Completion> {
  const {commands} = options
  const words = options.words.length === 0 ? [''] : options.words
  const prior = words.slice(0, -1)
  const current = words.at(-1)!
  const none: Completion = {candidates: [], files: false}

  // Longest run of leading words that names a topic or a command.
  const byId = new Map<string, CompletionCommand>()
  for (const c of commands) for (const id of [c.id, ...(c.aliases ?? [])]) byId.set(id, c)
  const ids = [...byId.keys()]
  const path: string[] = []
  let command: CompletionCommand | undefined
  let consumed = 0
  for (const word of prior) {
    if (word.startsWith('-')) break
    const candidate = [...path, word].join(':')
    if (!ids.some((id) => id === candidate || id.startsWith(`${candidate}:`))) break
    path.push(word)
    if (byId.has(candidate)) {
      command = byId.get(candidate)
      consumed = path.length
    }
  }
  if (command === undefined || consumed < path.length) {
    if (prior.length > path.length) return none
    // Still choosing a command: offer the next segment of every visible command under the typed topic.
    const prefix = path.length > 0 ? `${path.join(':')}:` : ''
    const next = new Set<string>()
    // oclif also lists each alias as a command of its own; offer only the canonical names.
    const aliases = new Set(commands.flatMap((c) => c.aliases ?? []))
    for (const c of commands) {
      if (c.hidden || aliases.has(c.id) || !c.id.startsWith(prefix)) continue
      next.add(c.id.slice(prefix.length).split(':')[0]!)
    }
    return {candidates: filter([...next].sort(), current), files: false}
  }

  // Split the rest into flags (with their values) and positionals.
  const flags: Record<string, string> = {}
  const positionals: string[] = []
  const rest = prior.slice(consumed)
  let pendingFlag: CompletionFlag | undefined
  let onlyPositionals = false
  for (const word of rest) {
    if (pendingFlag) {
      flags[pendingFlag.name] = word
      pendingFlag = undefined
    } else if (onlyPositionals || !word.startsWith('-') || word === '-') {
      positionals.push(word)
    } else if (word === '--') {
      onlyPositionals = true
    } else {
      const [flagPart, value] = splitOnce(word, '=')
      const flag = findFlag(command, flagPart)
      if (flag?.takesValue && value === undefined) pendingFlag = flag
      else if (flag) flags[flag.name] = value ?? 'true'
    }
  }

  if (pendingFlag) {
    if (pendingFlag.options) return {candidates: filter(pendingFlag.options, current), files: false}
    return {candidates: [], files: PATH_FLAGS.has(pendingFlag.name)}
  }
  if (current.startsWith('-') && !onlyPositionals) {
    if (current.includes('=')) return none
    const names = command.flags.filter((f) => !(f.name in flags)).map((f) => `--${f.name}`)
    return {candidates: filter(names.sort(), current), files: false}
  }

  // A command that is also a topic (`pg`, the alias of `pg connect`): its subcommands come first.
  const subcommands =
    positionals.length === 0
      ? [
          ...new Set(
            commands.filter((c) => !c.hidden && c.id.startsWith(`${path.join(':')}:`)).map((c) => c.id.slice(path.join(':').length + 1).split(':')[0]!),
          ),
        ].sort()
      : []
  const arg = command.args[positionals.length]
  if (!arg) return subcommands.length ? {candidates: filter(subcommands, current), files: false} : none
  if (arg.options) return {candidates: filter([...subcommands, ...arg.options], current), files: false}
  const sources = options.sources(flags)
  if (SERVICE_ARGS.has(arg.name)) return {candidates: filter([...subcommands, ...(await sources.services())], current), files: false}
  if (ENV_ARGS.has(arg.name)) {
    const serviceIndex = command.args.findIndex((a) => SERVICE_ARGS.has(a.name))
    const serviceId = serviceIndex >= 0 ? positionals[serviceIndex] : undefined
    if (serviceId === undefined) return none
    return {candidates: filter(await sources.environments(serviceId), current), files: false}
  }
  const fixed = sources.named?.[arg.name]
  return fixed ? {candidates: filter(fixed, current), files: false} : none
}

function filter(values: readonly string[], prefix: string): string[] {
  return values.filter((v) => v.startsWith(prefix))
}

function splitOnce(word: string, separator: string): [string, string | undefined] {
  const at = word.indexOf(separator)
  return at === -1 ? [word, undefined] : [word.slice(0, at), word.slice(at + 1)]
}

function findFlag(command: CompletionCommand, written: string): CompletionFlag | undefined {
  if (written.startsWith('--')) return command.flags.find((f) => f.name === written.slice(2))
  if (written.length === 2) return command.flags.find((f) => f.char === written[1])
  return undefined
}

/** The parts of an oclif command (manifest entry) that completion reads; structural, so lib stays free of oclif. */
export interface CommandManifestLike {
  id: string
  aliases?: readonly string[]
  hidden?: boolean
  args?: Readonly<Record<string, {name: string; options?: readonly string[]}>>
  flags?: Readonly<Record<string, {name: string; char?: string; type: string; options?: readonly string[]}>>
}

/**
 * Converts oclif's loaded command list into the completion command tree.
 * @param commands - `config.commands` of the running CLI
 */
export function completionCommandsFrom(commands: readonly CommandManifestLike[]): CompletionCommand[] {
  return commands.map((c) => ({
    id: c.id,
    aliases: c.aliases ?? [],
    hidden: c.hidden ?? false,
    args: Object.values(c.args ?? {}).map((a) => ({name: a.name, ...(a.options ? {options: a.options} : {})})),
    flags: Object.values(c.flags ?? {}).map((f) => ({
      name: f.name,
      ...(f.char ? {char: f.char} : {}),
      takesValue: f.type === 'option',
      ...(f.type === 'option' && f.options ? {options: f.options} : {}),
    })),
  }))
}
