/**
 * Normalises the command line to the one syntax oclif parses, before the start-up fast path and
 * oclif see it, so msp accepts what the original `sg msp` (urfave/cli) accepted and what users type:
 *
 * - every long flag with one dash or two, its value after `=` or as the next word:
 *   `-all`, `-category=test`, `-output x.json`, `--repo=DIR` → `--all`, `--category=test`, …
 *   A one-dash word is never split into a short flag and a glued value (`-output` is never `-o utput`);
 *   short flags take their value as the next word or after `=` (`-o x.json`, `-o=x.json`).
 * - booleans with a value: `--all=true` → `--all`, `--json=false` → (nothing), `--open=false` → `--no-open`.
 * - `-h` and `-help` are `--help`, everywhere.
 * - global flags before the command (`msp --repo DIR logs …`) move behind the command words.
 *
 * Driven by the flag definitions of oclif.manifest.json (written by `npm run build`); imports only
 * Node built-ins so the fast path stays fast. Nothing after `--` is touched.
 */
import {readFileSync} from 'node:fs'

export interface FlagDef {
  name: string
  type: 'boolean' | 'option'
  char?: string
  allowNo?: boolean
  helpGroup?: string
}

/** The parts of oclif.manifest.json this module reads. */
export interface ManifestLike {
  commands: Record<string, {aliases?: string[]; hiddenAliases?: string[]; flags: Record<string, FlagDef>}>
}

export interface Normalised {
  argv: string[]
  /** A flag value msp cannot accept (e.g. `--all=maybe`); reported as a usage error by the caller. */
  problem?: {message: string; hint: string}
}

/**
 * Reads the manifest next to package.json; undefined when it is missing or unreadable (then the
 * argv goes to oclif unchanged).
 * @param url - the manifest's file URL
 */
export function readManifest(url: URL): ManifestLike | undefined {
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as ManifestLike
  } catch {
    return undefined
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on'])
const FALSE = new Set(['false', '0', 'no', 'off'])

/** The command id (colon-joined) named by the leading words, e.g. `tfc:sync`, resolving aliases. */
function commandAt(words: readonly string[], manifest: ManifestLike): {id: string; length: number} | undefined {
  const byName = new Map<string, string>()
  for (const [id, c] of Object.entries(manifest.commands)) {
    byName.set(id, id)
    for (const a of [...(c.aliases ?? []), ...(c.hiddenAliases ?? [])]) byName.set(a, id)
  }
  for (let n = words.length; n > 0; n--) {
    const id = byName.get(words.slice(0, n).join(':'))
    if (id) return {id, length: n}
  }
  return undefined
}

/** Flags every command shares (the GLOBAL help group: --repo, --debug, --json where enabled). */
function globalFlags(manifest: ManifestLike): Record<string, FlagDef> {
  const out: Record<string, FlagDef> = {}
  for (const c of Object.values(manifest.commands)) for (const f of Object.values(c.flags)) if (f.helpGroup === 'GLOBAL') out[f.name] ??= f
  return out
}

interface Step {
  /** The tokens to emit. */
  out: string[]
  /** How many input tokens were consumed. */
  used: number
  problem?: Normalised['problem']
}

/** Normalises the flag at argv[i] (which starts with `-`) against the known flags. */
function normaliseFlag(argv: readonly string[], i: number, flags: Record<string, FlagDef>): Step {
  const token = argv[i]!
  if (token === '-h' || token === '-help' || token === '--help') return {out: ['--help'], used: 1}
  const dashes = token.startsWith('--') ? 2 : 1
  const body = token.slice(dashes)
  const eq = body.indexOf('=')
  let name = eq === -1 ? body : body.slice(0, eq)
  const value = eq === -1 ? undefined : body.slice(eq + 1)
  let flag: FlagDef | undefined
  if (dashes === 1 && name.length === 1) flag = Object.values(flags).find((f) => f.char === name)
  else flag = flags[name]
  let negated = false
  if (!flag && name.startsWith('no-') && flags[name.slice(3)]?.allowNo) {
    flag = flags[name.slice(3)]
    negated = true
  }
  if (!flag) {
    // Unknown: a one-letter flag stays as typed; anything longer gets two dashes, so oclif reports
    // it as an unknown flag instead of reading `-output` as `-o utput`.
    if (dashes === 1 && name.length === 1) return {out: [token], used: 1}
    return {out: [`--${body}`], used: 1}
  }
  name = flag.name
  if (flag.type === 'boolean') {
    if (value === undefined) return {out: [negated ? `--no-${name}` : `--${name}`], used: 1}
    const v = value.toLowerCase()
    const on = TRUE.has(v) ? !negated : FALSE.has(v) ? negated : undefined
    if (on === undefined) {
      return {
        out: [],
        used: 1,
        problem: {message: `--${negated ? 'no-' : ''}${name} takes true or false, not "${value}"`, hint: `write --${name} or --${name}=false`},
      }
    }
    if (on) return {out: [`--${name}`], used: 1}
    return {out: flag.allowNo ? [`--no-${name}`] : [], used: 1}
  }
  if (value !== undefined) return {out: [`--${name}=${value}`], used: 1}
  // The value is the next word, whatever it looks like (oclif reports a missing one).
  return i + 1 < argv.length ? {out: [`--${name}`, argv[i + 1]!], used: 2} : {out: [`--${name}`], used: 1}
}

/**
 * Rewrites argv into oclif's syntax (see the module comment).
 * @param argv - process.argv without node and the script
 * @param manifest - oclif.manifest.json; without it the argv is returned unchanged
 */
export function normalizeArgv(argv: readonly string[], manifest: ManifestLike | undefined): Normalised {
  // Shell completion passes the words being typed: they must reach it exactly as typed.
  if (!manifest?.commands || argv[0] === '__complete') return {argv: [...argv]}
  const globals = globalFlags(manifest)
  const out: string[] = []
  let problem: Normalised['problem']
  // 1. Global flags before the command words.
  const leading: string[] = []
  let i = 0
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') {
    const step = normaliseFlag(argv, i, globals)
    leading.push(...step.out)
    problem ??= step.problem
    i += step.used
  }
  // 2. The command words (e.g. `tfc sync`, or the alias `gen`).
  const words: string[] = []
  for (let j = i; j < argv.length && !argv[j]!.startsWith('-'); j++) words.push(argv[j]!)
  const command = commandAt(words, manifest)
  const used = command?.length ?? (words.length > 0 ? 1 : 0)
  out.push(...argv.slice(i, i + used), ...leading)
  i += used
  // 3. The rest: flags of the command (and the globals), positionals untouched, nothing after `--`.
  const flags = command ? manifest.commands[command.id]!.flags : globals
  while (i < argv.length) {
    const token = argv[i]!
    if (token === '--') {
      out.push(...argv.slice(i))
      break
    }
    if (token.startsWith('-') && token.length > 1) {
      const step = normaliseFlag(argv, i, flags)
      out.push(...step.out)
      problem ??= step.problem
      i += step.used
    } else {
      out.push(token)
      i++
    }
  }
  return problem ? {argv: out, problem} : {argv: out}
}
