/**
 * Dynamic shell completion: given the words typed after `msp`, list what may come next. The shell
 * scripts of `msp completion` call the hidden `msp __complete` command (answered by the start-up fast
 * path when it can), which calls this. The words are read by the one grammar of the command line
 * (lib/command-line/grammar.ts), so global flags anywhere (`msp --repo X logs <TAB>`) and a command's
 * own flags before it complete as they run; commands, arguments with fixed values and enumerated
 * flag values come from the manifest, so a new command or flag completes without a change here.
 */
import {scan, type ArgDef, type CommandDef, type CommandTable, type FlagDef} from '../command-line/grammar.js'
import {TARGET_SUMMARIES, type OpenTarget} from '../links/targets.js'

/** Where dynamic values come from; built once the flags on the line (e.g. --repo) are known. */
export interface CompletionSources {
  services(): Promise<string[]>
  environments(serviceId: string): Promise<string[]>
  /** The `msp open` targets the environment really has. */
  targets(serviceId: string, envId: string): Promise<readonly OpenTarget[]>
}

/** One candidate, with what it is (zsh and fish show it). */
export interface Candidate {
  value: string
  description?: string
}

/** The answer: candidates for the current word, or "complete file names here". */
export interface Completion {
  candidates: Candidate[]
  files: boolean
}

/** Names of flags whose value is a path, so the shell should complete file names. */
const PATH_FLAGS = new Set(['repo', 'output', 'handbook-path', 'out-dir', 'out'])

/** Suggested values of free-form flags (any other value is accepted too). */
const FLAG_SUGGESTIONS: Readonly<Record<string, readonly Candidate[]>> = {
  since: [
    {value: '15m', description: '15 minutes'},
    {value: '1h', description: 'one hour (the default)'},
    {value: '6h', description: '6 hours'},
    {value: '1d', description: 'one day'},
    {value: '7d', description: 'one week'},
  ],
}

/** Argument names completed with service ids, with environment ids of the preceding service, with targets. */
const SERVICE_ARGS = new Set(['service', 'services'])
const ENV_ARGS = new Set(['env', 'environment', 'envs'])
const TARGET_ARGS = new Set(['target'])

/** The first sentence of a summary or description: one line is all a completion menu shows. */
function summaryOf(item: {summary?: string; description?: string}): string | undefined {
  const text = (item.summary ?? item.description)?.split('\n')[0]?.trim()
  return text ? text.replace(/\.$/, '') : undefined
}

function candidates(values: readonly string[], prefix: string, describe: (v: string) => string | undefined = () => undefined): Candidate[] {
  return values.filter((v) => v.startsWith(prefix)).map((value) => ({value, ...(describe(value) ? {description: describe(value)!} : {})}))
}

/** The next word under a topic: each visible command's next segment, described by the command it names. */
function nextWords(table: CommandTable, path: readonly string[], prefix: string): Candidate[] {
  const aliases = new Set(table.commands.flatMap((c) => c.aliases ?? []))
  const start = path.length > 0 ? `${path.join(':')}:` : ''
  const found = new Map<string, string | undefined>()
  for (const c of table.commands) {
    // oclif also lists each alias as a command of its own; offer only the canonical names.
    if (c.hidden || aliases.has(c.id) || !c.id.startsWith(start)) continue
    const word = c.id.slice(start.length).split(':')[0]!
    const isLeaf = c.id === `${start}${word}`
    if (isLeaf || !found.has(word)) found.set(word, isLeaf ? summaryOf(c) : found.get(word))
  }
  return candidates([...found.keys()].sort(), prefix, (w) => found.get(w))
}

function flagCandidates(flags: readonly FlagDef[], given: ReadonlySet<string>, prefix: string): Candidate[] {
  const byName = new Map(flags.filter((f) => f.multiple || !given.has(f.name)).map((f) => [`--${f.name}`, summaryOf(f)]))
  byName.set('--help', 'Show help')
  return candidates([...byName.keys()].sort(), prefix, (n) => byName.get(n))
}

function flagValues(flag: FlagDef, prefix: string): Completion {
  if (flag.options) return {candidates: candidates(flag.options, prefix), files: false}
  const suggested = FLAG_SUGGESTIONS[flag.name]
  if (suggested) return {candidates: suggested.filter((c) => c.value.startsWith(prefix)), files: false}
  return {candidates: [], files: PATH_FLAGS.has(flag.name)}
}

/**
 * Lists the candidates for the last word of `words` (the words after `msp`, the last one being the
 * partial word under the cursor, possibly empty): command and topic names, then flags, flag values,
 * service ids, environment ids of the service typed before, the targets that environment has, and
 * fixed argument values.
 * @param options - the words, the commands of this build, and a factory of dynamic sources given the flags on the line
 */
export async function complete(options: {
  words: readonly string[]
  table: CommandTable
  sources: (flags: Readonly<Record<string, string>>) => CompletionSources
}): Promise<Completion> {
  const {table} = options
  const words = options.words.length === 0 ? [''] : options.words
  const current = words.at(-1)!
  const none: Completion = {candidates: [], files: false}
  const s = scan(words.slice(0, -1), table)
  const flags = s.items.flatMap((i) => ('flag' in i ? [i.flag] : []))
  const last = s.items.at(-1)
  const known = s.command ? Object.values(s.command.flags ?? {}) : Object.values(table.globals)
  if (s.tail.length === 0) {
    // The value of the flag just typed (`--category <TAB>`), or `--flag=<TAB>`.
    if (last && 'flag' in last && last.flag.pending) return last.flag.def ? flagValues(last.flag.def, current) : none
    if (current.startsWith('-')) {
      const eq = current.indexOf('=')
      if (eq === -1) return {candidates: flagCandidates(known, new Set(flags.map((f) => f.name)), current), files: false}
      const flag = known.find((f) => `--${f.name}` === current.slice(0, eq) && f.type === 'option')
      if (!flag) return none
      const values = flagValues(flag, current.slice(eq + 1))
      return {candidates: values.candidates.map((c) => ({...c, value: `${current.slice(0, eq + 1)}${c.value}`})), files: values.files}
    }
  }
  if (!s.command) {
    // Still choosing a command: the next word under the topic typed so far.
    if (s.items.some((i) => 'arg' in i) || (s.strayWords.length > 0 && !table.isTopic(s.strayWords))) return none
    return {candidates: nextWords(table, s.strayWords, current), files: false}
  }
  const positionals = [...s.items.flatMap((i) => ('arg' in i ? [i.arg] : [])), ...s.tail.slice(1)]
  const valueOf = Object.fromEntries(flags.flatMap((f) => (f.def && f.value !== undefined ? [[f.def.name, f.value]] : [])))
  // `msp help <TAB>`: the words of a command.
  if (s.command.id === 'help') {
    return positionals.length === 0 || table.isTopic(positionals) ? {candidates: nextWords(table, positionals, current), files: false} : none
  }
  // A command that is also a topic (`pg`, the alias of `pg connect`): its subcommands come first.
  const subcommands = positionals.length === 0 && table.isTopic(s.commandWords) ? nextWords(table, s.commandWords, current) : []
  const arg = argAt(s.command, positionals.length)
  if (!arg) return {candidates: subcommands, files: false}
  const more = await argValues(arg, s.command, positionals, current, () => options.sources(valueOf))
  return {candidates: [...subcommands, ...more], files: false}
}

/** The argument at a position; a command taking any number of ids (validate, migrate) repeats its last. */
function argAt(command: CommandDef, index: number): ArgDef | undefined {
  const args = Object.values(command.args ?? {})
  return args[index] ?? (command.strict === false ? args.at(-1) : undefined)
}

async function argValues(
  arg: ArgDef,
  command: CommandDef,
  positionals: readonly string[],
  current: string,
  sources: () => CompletionSources,
): Promise<Candidate[]> {
  if (arg.options) return candidates(arg.options, current)
  const args = Object.values(command.args ?? {})
  const serviceId = positionals[args.findIndex((a) => SERVICE_ARGS.has(a.name))]
  if (SERVICE_ARGS.has(arg.name)) {
    // Several ids (validate a b <TAB>): each once.
    const typed = new Set(command.strict === false ? positionals : [])
    return candidates(
      (await sources().services()).filter((id) => !typed.has(id)),
      current,
    )
  }
  if (ENV_ARGS.has(arg.name)) return serviceId === undefined ? [] : candidates(await sources().environments(serviceId), current)
  if (TARGET_ARGS.has(arg.name)) {
    const envId = positionals[args.findIndex((a) => ENV_ARGS.has(a.name))]
    if (serviceId === undefined || envId === undefined) return []
    return candidates(await sources().targets(serviceId, envId), current, (t) => TARGET_SUMMARIES[t as OpenTarget])
  }
  return []
}
