/**
 * The one reading of a command line: which command the words name, which tokens are flags (and
 * their values) and which are arguments. The entry point, the start-up fast path, shell completion
 * and the misuse messages all read argv through this module, from the one manifest the build writes
 * (oclif.manifest.json with the help plugin's commands), so they never disagree on what was typed.
 *
 * What it accepts, beyond oclif's own syntax (the original `sg msp` used urfave/cli):
 * - every long flag with one dash or two, its value after `=` or as the next word:
 *   `-all`, `-category=test`, `-output x.json` → `--all`, `--category=test`, …
 *   A one-dash word is never split into a short flag and a glued value (`-output` is never `-o utput`);
 *   short flags take their value as the next word or after `=` (`-o x.json`, `-o=x.json`).
 * - booleans with a value: `--all=true` → `--all`, `--json=false` → (nothing), `--open=false` → `--no-open`.
 * - `-h` and `-help` are `--help`, everywhere; `-v`, `version` and `--version` alone print the version.
 * - flags before the command words (global ones such as `--repo`, and the command's own, as in
 *   `msp --category test generate --all`) move behind them.
 *
 * Pure: it imports nothing, so the fast path can use it at no cost. Nothing after `--` is touched.
 */

/** A flag as the manifest describes it. */
export interface FlagDef {
  name: string
  type: 'boolean' | 'option'
  char?: string
  allowNo?: boolean
  multiple?: boolean
  options?: readonly string[]
  helpGroup?: string
  summary?: string
  description?: string
}

/** A positional argument as the manifest describes it. */
export interface ArgDef {
  name: string
  options?: readonly string[]
  description?: string
  required?: boolean
}

/** A command as the manifest describes it (oclif's cached command shape, the parts msp reads). */
export interface CommandDef {
  id: string
  aliases?: readonly string[]
  hiddenAliases?: readonly string[]
  hidden?: boolean
  summary?: string
  description?: string
  strict?: boolean
  args?: Readonly<Record<string, ArgDef>>
  flags?: Readonly<Record<string, FlagDef>>
}

/** A problem with the command line itself, reported as a usage error (exit 2). */
export interface Misuse {
  message: string
  hint: string
  valid?: readonly string[]
  suggestion?: string
}

/** What a command line asks for. */
export type CommandLine =
  /** `argv`: the words after the command words, in oclif's syntax. */
  | {kind: 'command'; command: CommandDef; argv: string[]; json: boolean; debug: boolean}
  | {kind: 'help'; id: string; json: boolean; debug: boolean}
  | {kind: 'version'; json: boolean; debug: boolean}
  | {kind: 'complete'; words: string[]}
  | {kind: 'misuse'; misuse: Misuse; json: boolean; debug: boolean}

const TRUE = new Set(['true', '1', 'yes', 'on'])
const FALSE = new Set(['false', '0', 'no', 'off'])
/** Shell completion passes the words being typed: they reach it exactly as typed. */
export const COMPLETE_COMMAND = '__complete'

/** The commands of one build, indexed for look-up by words. */
export class CommandTable {
  readonly commands: readonly CommandDef[]
  /** Flags every msp command shares (help group GLOBAL: --repo, --debug, --json). */
  readonly globals: Readonly<Record<string, FlagDef>>
  private readonly byName = new Map<string, CommandDef>()
  private readonly prefixes = new Set<string>()

  constructor(commands: readonly CommandDef[]) {
    this.commands = commands
    const globals: Record<string, FlagDef> = {}
    for (const c of commands) {
      this.byName.set(c.id, c)
      for (const f of Object.values(c.flags ?? {})) if (f.helpGroup === 'GLOBAL') globals[f.name] ??= f
    }
    // Canonical ids first, so an alias never shadows a command of the same name.
    for (const c of commands) for (const a of [...(c.aliases ?? []), ...(c.hiddenAliases ?? [])]) if (!this.byName.has(a)) this.byName.set(a, c)
    for (const name of this.byName.keys()) {
      const parts = name.split(':')
      for (let n = 1; n < parts.length; n++) this.prefixes.add(parts.slice(0, n).join(':'))
    }
    this.globals = globals
  }

  /** The command named by the longest run of leading words (`tfc sync`, the alias `gen`), if any. */
  commandAt(words: readonly string[]): {command: CommandDef; length: number} | undefined {
    let n = 0
    while (n < words.length && !words[n]!.startsWith('-')) n++
    for (; n > 0; n--) {
      const command = this.byName.get(words.slice(0, n).join(':'))
      if (command) return {command, length: n}
    }
    return undefined
  }

  /** True when the words are a topic with commands under it (`tfc`). */
  isTopic(words: readonly string[]): boolean {
    return this.prefixes.has(words.join(':'))
  }

  /** The command (or alias) named exactly by an id, if any. */
  find(id: string): CommandDef | undefined {
    return this.byName.get(id)
  }

  /** Visible command names, space-separated (`tfc sync`), sorted: the valid values of an unknown command. */
  visibleNames(): string[] {
    const aliases = new Set(this.commands.flatMap((c) => c.aliases ?? []))
    return [...new Set(this.commands.filter((c) => !c.hidden && !aliases.has(c.id)).map((c) => c.id.replaceAll(':', ' ')))].sort()
  }
}

/** One flag read from the line. */
export interface FlagToken {
  /** The definition, when the flag is known where it appears. */
  def?: FlagDef
  /** The name as typed, without dashes, `=value` or a `no-` prefix resolved (`no-open` stays when unknown). */
  name: string
  /** The value: after `=`, or the next word for an option. */
  value?: string
  negated: boolean
  /** The tokens oclif receives for it (possibly none: `--json=false`). */
  out: string[]
  /** An option flag at the end of the words, still waiting for its value. */
  pending?: boolean
  problem?: Misuse
}

/** Looks a typed flag word up: `--name`, `-name`, `-c`, `--no-name`. */
function lookupFlag(flags: Readonly<Record<string, FlagDef>>, dashes: number, name: string): {def?: FlagDef; negated: boolean} {
  if (dashes === 1 && name.length === 1) return {def: Object.values(flags).find((f) => f.char === name), negated: false}
  const def = flags[name]
  if (def) return {def, negated: false}
  const positive = name.startsWith('no-') ? flags[name.slice(3)] : undefined
  return positive?.allowNo ? {def: positive, negated: true} : {negated: false}
}

/**
 * Reads the flag at argv[i] (a word starting with `-`) against the flags known there.
 * @returns the flag and how many words it used (2 when its value is the next word)
 */
export function readFlag(argv: readonly string[], i: number, flags: Readonly<Record<string, FlagDef>>): {flag: FlagToken; used: number} {
  const token = argv[i]!
  if (token === '-h' || token === '-help' || token === '--help') return {flag: {name: 'help', negated: false, out: ['--help']}, used: 1}
  const dashes = token.startsWith('--') ? 2 : 1
  const body = token.slice(dashes)
  const eq = body.indexOf('=')
  const typed = eq === -1 ? body : body.slice(0, eq)
  const value = eq === -1 ? undefined : body.slice(eq + 1)
  const {def, negated} = lookupFlag(flags, dashes, typed)
  if (!def) {
    // Unknown here: a one-letter flag stays as typed; anything longer gets two dashes, so oclif reports
    // it as an unknown flag instead of reading `-output` as `-o utput`.
    const out = dashes === 1 && typed.length === 1 ? token : `--${body}`
    return {flag: {name: typed, ...(value === undefined ? {} : {value}), negated: false, out: [out]}, used: 1}
  }
  const name = def.name
  const base = {def, name, negated}
  if (def.type === 'boolean') {
    if (value === undefined) return {flag: {...base, out: [negated ? `--no-${name}` : `--${name}`]}, used: 1}
    const v = value.toLowerCase()
    const on = TRUE.has(v) ? !negated : FALSE.has(v) ? negated : undefined
    if (on === undefined) {
      const problem = {message: `--${negated ? 'no-' : ''}${name} takes true or false, not "${value}"`, hint: `write --${name} or --${name}=false`}
      return {flag: {...base, value, out: [], problem}, used: 1}
    }
    return {flag: {...base, value, out: on ? [`--${name}`] : def.allowNo ? [`--no-${name}`] : []}, used: 1}
  }
  if (value !== undefined) return {flag: {...base, value, out: [`--${name}=${value}`]}, used: 1}
  // The value is the next word, whatever it looks like (oclif reports a missing one).
  if (i + 1 < argv.length) return {flag: {...base, value: argv[i + 1]!, out: [`--${name}`, argv[i + 1]!]}, used: 2}
  return {flag: {...base, out: [`--${name}`], pending: true}, used: 1}
}

/** The words of a command line sorted out: the command, then flags and arguments in typed order. */
export interface Scan {
  command?: CommandDef
  /** The words that named the command, as typed (`tfc`, `sync`). */
  commandWords: string[]
  /** Words before the command that are not flags (an unknown command or topic), when none was found. */
  strayWords: string[]
  /** Flags and arguments in the order typed, the command words left out; `--` ends flag reading. */
  items: ({flag: FlagToken} | {arg: string})[]
  /** Everything from `--` on. */
  tail: string[]
}

/**
 * Reads the flags in argv[0, to) against `flags`: `fits` when they lead up to `to` exactly, `overrun`
 * when an option takes the word at `to` as its value (so that word is not a command).
 */
function readFlags(argv: readonly string[], to: number, flags: Readonly<Record<string, FlagDef>>): {fits: boolean; overrun: boolean} {
  let i = 0
  let fits = true
  while (i < to) {
    if (!argv[i]!.startsWith('-')) return {fits: false, overrun: false}
    const {flag, used} = readFlag(argv, i, flags)
    if (!flag.def && flag.name !== 'help') fits = false
    i += used
  }
  return {fits: fits && i === to, overrun: i > to}
}

/**
 * Sorts a command line into the command and its flags and arguments.
 * @param argv - the words after `msp`
 * @param table - the commands of this build
 */
export function scan(argv: readonly string[], table: CommandTable): Scan {
  const dashDash = argv.indexOf('--')
  const head = dashDash === -1 ? argv : argv.slice(0, dashDash)
  const tail = dashDash === -1 ? [] : argv.slice(dashDash)
  // The command is at the first word that names one and that the flags before it lead up to exactly
  // (`--repo open logs`: "open" is the value of --repo). Flags before it may be global or its own.
  let at: {index: number; command: CommandDef; length: number} | undefined
  for (let j = 0; j < head.length; j++) {
    if (head[j]!.startsWith('-')) continue
    const found = table.commandAt(head.slice(j))
    if (!found) continue
    const {fits, overrun} = readFlags(head, j, {...table.globals, ...found.command.flags})
    if (overrun) continue
    if (fits) {
      at = {index: j, ...found}
      break
    }
    // Flags before the command that it does not know: oclif names them once they are behind it.
    at ??= {index: j, ...found}
  }
  if (!at) {
    // No command: read the leading flags as global ones; the first other word is an unknown command or a topic.
    const items: Scan['items'] = []
    const strayWords: string[] = []
    let i = 0
    while (i < head.length && head[i]!.startsWith('-')) {
      const {flag, used} = readFlag(head, i, table.globals)
      items.push({flag})
      i += used
    }
    while (i < head.length && !head[i]!.startsWith('-')) strayWords.push(head[i++]!)
    while (i < head.length) {
      if (head[i]!.startsWith('-') && head[i]!.length > 1) {
        const {flag, used} = readFlag(head, i, table.globals)
        items.push({flag})
        i += used
      } else items.push({arg: head[i++]!})
    }
    return {commandWords: [], strayWords, items, tail}
  }
  const flags = {...table.globals, ...at.command.flags}
  const items: Scan['items'] = []
  // Flags before the command, read against its flags (unknown ones too: oclif reports them).
  for (let i = 0; i < at.index;) {
    const {flag, used} = readFlag(head, i, flags)
    if (head[i]!.startsWith('-')) items.push({flag})
    else items.push({arg: head[i]!})
    i += head[i]!.startsWith('-') ? used : 1
  }
  for (let i = at.index + at.length; i < head.length;) {
    if (head[i]!.startsWith('-') && head[i]!.length > 1) {
      const {flag, used} = readFlag(head, i, flags)
      items.push({flag})
      i += used
    } else items.push({arg: head[i++]!})
  }
  return {command: at.command, commandWords: head.slice(at.index, at.index + at.length), strayWords: [], items, tail}
}

/** Did-you-mean: the closest of `candidates` within a typo's distance, as lib/text/suggest does. */
export type Suggest = (input: string, candidates: readonly string[]) => string | undefined

/**
 * What the command line asks for: a command with its argv in oclif's syntax, help, the version, shell
 * completion, or a misuse to report (exit 2).
 * @param argv - the words after `msp`
 * @param table - the commands of this build
 * @param suggest - did-you-mean for unknown commands and flags
 */
export function readCommandLine(argv: readonly string[], table: CommandTable, suggest: Suggest): CommandLine {
  if (argv[0] === COMPLETE_COMMAND) return {kind: 'complete', words: argv[1] === '--' ? argv.slice(2) : argv.slice(1)}
  const s = scan(argv, table)
  const flags = s.items.flatMap((i) => ('flag' in i ? [i.flag] : []))
  const json = flags.some((f) => f.name === 'json' && f.out.includes('--json'))
  const debug = flags.some((f) => f.name === 'debug' && f.out.includes('--debug'))
  const common = {json, debug}
  const problem = flags.find((f) => f.problem)?.problem
  if (problem) return {kind: 'misuse', misuse: problem, ...common}
  const help = flags.some((f) => f.name === 'help')
  if (s.command?.id === 'help') {
    // `msp help tfc sync` is `msp tfc sync --help`: read the words as a command line of their own.
    const words = s.items.flatMap((i) => ('arg' in i ? [i.arg] : []))
    if (words.length === 0) return {kind: 'help', id: '', ...common}
    const line = readCommandLine(words, table, suggest)
    return line.kind === 'command' ? {kind: 'help', id: line.command.id, ...common} : line
  }
  if (s.command) {
    const id = s.command.id
    if (help) return {kind: 'help', id, ...common}
    const argvOut: string[] = []
    for (const item of s.items) argvOut.push(...('flag' in item ? item.flag.out : [item.arg]))
    return {kind: 'command', command: s.command, argv: [...argvOut, ...s.tail], json, debug}
  }
  // No command: the version, help (of a topic), an unknown command or an unknown flag.
  const unknownFlags = flags.filter((f) => !f.def && f.name !== 'help')
  const words = [...s.strayWords, ...s.items.flatMap((i) => ('arg' in i ? [i.arg] : []))]
  const versionFlags = unknownFlags.filter((f) => (f.name === 'version' || f.name === 'v') && f.value === undefined)
  const asked = versionFlags.length + (words[0] === 'version' ? 1 : 0)
  if (asked === 1 && unknownFlags.length === versionFlags.length && words.length === (versionFlags.length === 1 ? 0 : 1) && !help)
    return {kind: 'version', ...common}
  // The longest run of words that is a topic tells where an unknown word starts (`tfc nope`).
  let known = 0
  while (known < words.length && table.isTopic(words.slice(0, known + 1))) known++
  // A word that names no command is the mistake to report, whatever flags follow it (`msp dif --all`):
  // they are flags of the command the user meant. A topic or `version` with an unknown flag is the flag's.
  const unknownCommand = known < s.strayWords.length && s.strayWords[0] !== 'version'
  const unknownFlag = unknownFlags[0]
  if (unknownFlag && !unknownCommand) {
    const known = [...Object.keys(table.globals).map((n) => `--${n}`), '--help', '--version']
    const typed = `--${unknownFlag.name}`
    const close = suggest(typed, known)
    return {
      kind: 'misuse',
      misuse: {
        message: `unknown flag ${unknownFlag.out[0]!.split('=')[0]}${s.strayWords.length === 0 ? ' before any command' : ''}`,
        hint:
          `${close ? `did you mean ${close}? ` : ''}flags before the command: ${known.join(', ')}; a command's own flags work after it; run "msp help" ` +
          `for the commands`,
        valid: known,
        ...(close ? {suggestion: close} : {}),
      },
      ...common,
    }
  }
  if (words.length === 0) return {kind: 'help', id: '', ...common}
  if (known === words.length) return {kind: 'help', id: words.join(':'), ...common}
  const typed = words.slice(0, known + 1).join(' ')
  const names = table.visibleNames()
  const close = suggest(typed, names)
  return {
    kind: 'misuse',
    misuse: {
      message: `unknown command "${typed}"`,
      hint: `${close ? `did you mean "${close}"? ` : ''}run "msp help" for the list of commands`,
      valid: names,
      ...(close ? {suggestion: close} : {}),
    },
    ...common,
  }
}
