/**
 * The start-up fast path: the console shortcuts (`logs`, `tfc view`, `open`, each also with --json and
 * --no-open), shell completion (`__complete`), `--version` and the root help.
 *
 * These run dozens of times a day from shells and scripts, and importing oclif, zod and the YAML
 * parser costs more than Node's own start-up. So bin/run.js first offers the command line (already
 * read by argv.ts against the one manifest) to this module, which imports only Node built-ins and the
 * pure builders, and answers from the spec cache (the root help from the help cache). It calls the
 * same resolvers as the oclif commands (src/lib/links/shortcuts.ts) and prints documents through the
 * same function (jsonDocument). It answers only what it fully understands — known flags, each once,
 * values oclif would accept, a spec found valid in the spec cache — and declines everything else
 * (command help, a repeated or unknown flag, any error, a cache miss) by returning false, so oclif
 * runs the command and stays the single source of every message and exit code.
 *
 * bin/run.js runs this module and argv.ts from dist/fast-path.cjs, the same compiled modules in one
 * CommonJS file (scripts/bundle-fast-path.mjs): on Node 20 the ESM loader alone costs more than the
 * answer. So its streams are guarded only once it answers (oclif's path has its own output.js).
 *
 * With MSP_FAST_PATH_DEBUG set, an answer ends with the line `msp: answered by the fast path` on
 * stderr, so tests can tell which path ran.
 */
import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import type {CompletionSources} from '../lib/completion/complete.js'
import {completionSpecText} from '../lib/completion/spec-text.js'
import {guardStream, outputFailure, type Output} from '../lib/io/output.js'
import type {CommandDef, CommandLine, CommandTable, FlagDef} from '../lib/command-line/grammar.js'
import type {environmentTargets as EnvironmentTargets} from '../lib/links/targets.js'
import type {ShortcutUrl} from '../lib/links/shortcuts.js'
import {isValidId} from '../lib/repo/ids.js'
import {resolveRepoRoot} from '../lib/repo/root.js'
import {listServiceIds} from '../lib/repo/services.js'
import {readSpecCache, specCacheDir, specCacheKey, type CachedService} from '../lib/repo/spec-cache.js'
import type {Environment} from '../lib/spec/schema.js'
import {readServiceSources} from '../lib/spec/sources.js'
import {buildFingerprint} from './build-info.js'
import {fdWriter, type FdWriter} from './fd-writer.js'

/** The flags each fast command handles itself; any other flag on the line (--print, --help…) declines. */
const FAST_FLAGS: Record<string, ReadonlySet<string>> = {
  logs: new Set(['repo', 'open', 'component', 'json']),
  'tfc:view': new Set(['repo', 'open', 'json']),
  open: new Set(['repo', 'open', 'json']),
}

interface ParsedArgv {
  args: string[]
  flags: Record<string, string | boolean>
}

/**
 * Parses argv against a command's manifest flags as oclif would for the plain cases; undefined when
 * oclif must handle it: an unknown or repeated flag, a value oclif would reject, `--`, grouped short
 * flags, or more positional arguments than the command takes.
 * @param command - the command's manifest entry
 * @param argv - the words after the command id
 */
export function parseAgainstManifest(command: CommandDef, argv: readonly string[]): ParsedArgv | undefined {
  const flags = Object.values(command.flags ?? {})
  const parsed: ParsedArgv = {args: [], flags: {}}
  const set = (flag: FlagDef, value: string | boolean): boolean => {
    if (Object.hasOwn(parsed.flags, flag.name) || flag.multiple) return false
    if (typeof value === 'string' && flag.options && !flag.options.includes(value)) return false
    parsed.flags[flag.name] = value
    return true
  }
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!
    if (!word.startsWith('-') || word === '-') {
      parsed.args.push(word)
      continue
    }
    let flag: FlagDef | undefined
    let inline: string | undefined
    if (word.startsWith('--')) {
      const [name, value] = word.includes('=') ? [word.slice(2, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word.slice(2), undefined]
      flag = flags.find((f) => f.name === name)
      if (!flag && name.startsWith('no-') && value === undefined) {
        const negated = flags.find((f) => f.name === name.slice(3) && f.type === 'boolean' && f.allowNo)
        if (!negated || !set(negated, false)) return undefined
        continue
      }
      inline = value
    } else {
      flag = flags.find((f) => f.char !== undefined && f.char === word[1])
      if (word.length > 2) inline = word.slice(2)
    }
    if (!flag) return undefined
    if (flag.type === 'boolean') {
      if (inline !== undefined || !set(flag, true)) return undefined
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined || value.startsWith('-') || !set(flag, value)) return undefined
  }
  return parsed.args.length <= Object.keys(command.args ?? {}).length ? parsed : undefined
}

/** The cached, valid service of the repo named by --repo (or found from the cwd), or undefined. */
function cachedService(repoFlag: string | undefined, id: string): CachedService | undefined {
  const dir = specCacheDir(process.env, homedir())
  if (!dir || !isValidId(id)) return undefined
  try {
    const root = resolveRepoRoot({cwd: process.cwd(), flag: repoFlag, env: process.env}).dir
    // One read: hashed here, and on a miss oclif's full path reads, hashes and parses again itself.
    const sources = readServiceSources(root, id)
    return sources && readSpecCache(dir, specCacheKey(id, sources, buildFingerprint()))
  } catch {
    return undefined
  }
}

/** Signals "let oclif answer" from inside a completion source. */
class Decline extends Error {}

function completionSources(repoFlag: string | undefined, environmentTargets: typeof EnvironmentTargets): CompletionSources {
  const root = (() => {
    try {
      return resolveRepoRoot({cwd: process.cwd(), flag: repoFlag, env: process.env}).dir
    } catch {
      throw new Decline()
    }
  })()
  const cached = (serviceId: string): CachedService | undefined => {
    const found = cachedService(repoFlag, serviceId)
    if (found) return found
    // A spec the full path does not read (no such service, too large, not a regular file, a link out
    // of the repository) offers nothing there, and nothing here, without loading oclif to say so
    // (next to a 100 MB spec that costs a TAB most of a second). Any other miss is the full path's: it
    // reads the spec leniently (it may be mid-edit).
    let text: string | undefined
    try {
      text = completionSpecText(root, serviceId)
    } catch {
      throw new Decline()
    }
    if (text === undefined) return undefined
    throw new Decline()
  }
  return {
    services: () => listServiceIds(root),
    environments: async (serviceId) => cached(serviceId)?.spec.environments.map((e) => e.id) ?? [],
    async targets(serviceId, envId) {
      const env = cached(serviceId)?.spec.environments.find((e) => e.id === envId)
      return env ? environmentTargets(env) : []
    },
  }
}

type Answer = ({url: ShortcutUrl; open: boolean} | {print: string} | {document: unknown}) & {warnings: CachedService['warnings']}

/** The answer to a console shortcut, or undefined to decline. */
function shortcut(
  id: string,
  parsed: ParsedArgv,
  out: Output,
  links: typeof import('../lib/links/shortcuts.js'),
  formatTable: typeof import('../lib/io/output.js').formatTable,
): Answer | undefined {
  const {LINK_TABLE_HEADER, logsShortcut, openLinkList, openShortcut, tfcViewShortcut} = links
  const allowed = FAST_FLAGS[id]!
  if (Object.keys(parsed.flags).some((f) => !allowed.has(f))) return undefined
  const repo = parsed.flags.repo as string | undefined
  const open = parsed.flags.open !== false
  const [svc, envId, target] = parsed.args
  const lookup = (): {service: CachedService; env?: Environment} | undefined => {
    const service = svc === undefined ? undefined : cachedService(repo, svc)
    if (!service) return undefined
    if (envId === undefined) return {service}
    const env = service.spec.environments.find((e) => e.id === envId)
    return env && {service, env}
  }
  if (id === 'tfc:view') {
    if (svc === undefined) return {url: tfcViewShortcut(), open, warnings: []}
    const found = lookup()
    return found && {url: tfcViewShortcut(found.service, found.env), open, warnings: found.service.warnings}
  }
  const found = lookup()
  if (!found?.env) return undefined
  const {service, env} = found
  if (id === 'logs') return {url: logsShortcut(service, env), open, warnings: service.warnings}
  if (target === undefined) {
    const list = openLinkList(service, env)
    if (parsed.flags.json === true) return {document: list.document, warnings: service.warnings}
    return {print: formatTable([...LINK_TABLE_HEADER], list.rows, out.style, out.tableWidth), warnings: service.warnings}
  }
  const link = openShortcut(service, env, target)
  return link && {url: link, open, warnings: service.warnings}
}

interface AnswerStreams {
  stdout: FdWriter | NodeJS.WriteStream
  stderr: FdWriter | NodeJS.WriteStream
  /** Which of them are the process's streams (reading `process.stdout` creates it: asked once, here). */
  processStdout: boolean
  processStderr: boolean
}

/** The answer's streams: off a terminal written directly (see fd-writer.ts), else the process's. */
let streams: AnswerStreams | undefined
function answerStreams(): AnswerStreams {
  if (!streams) {
    const out = fdWriter(1)
    const err = fdWriter(2)
    streams = {stdout: out ?? process.stdout, stderr: err ?? process.stderr, processStdout: !out, processStderr: !err}
  }
  return streams
}

/**
 * A reader that goes away (`| head -1`) ends nothing but the output. Called once the fast path answers,
 * never before it declines: oclif's path guards the streams itself, with its own instance of output.js
 * (this module runs from dist/fast-path.cjs), and a stream guarded twice would take a real write error
 * for handled. A direct writer handles EPIPE itself.
 */
function guardStreams(): void {
  const {processStdout, processStderr} = answerStreams()
  if (processStdout) guardStream(process.stdout)
  if (processStderr) guardStream(process.stderr)
}

async function answered(): Promise<true> {
  const {stdout, stderr, processStdout} = answerStreams()
  // An answer that could not be written (a full disk behind `>`) fails the run, saying so, as on
  // oclif's path; the modules that say it load only then.
  const failure = processStdout ? outputFailure(process.stdout) : (stdout as FdWriter).failure
  if (failure) {
    const [{reportOutputFailure}, {setExitCode}] = await Promise.all([import('./report.js'), import('./exit.js')])
    setExitCode(reportOutputFailure(stdout, stderr, failure, process.env)!)
  }
  if (process.env.MSP_FAST_PATH_DEBUG) stderr.write('msp: answered by the fast path\n')
  return true
}

/**
 * Answers the command line if the fast path fully understands it; returns false to let oclif run it.
 * @param line - the command line, read by argv.ts
 * @param table - the commands of this build
 */
export async function runFastPath(line: CommandLine, table: CommandTable): Promise<boolean> {
  if (line.kind === 'version') {
    guardStreams()
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {name: string; version: string}
    answerStreams().stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    return answered()
  }
  if (line.kind === 'help') {
    // Each kind loads only what it needs: the version nothing, the help its cache, completion its modules.
    const stdout = answerStreams().stdout
    const text = line.id === '' ? (await import('./help-cache.js')).readRootHelp({env: process.env, home: homedir(), stdout}) : undefined
    if (text === undefined) return false
    guardStreams()
    answerStreams().stdout.write(text)
    return answered()
  }
  if (line.kind === 'complete') {
    try {
      const [{complete}, {formatCompletion}, {environmentTargets}] = await Promise.all([
        import('../lib/completion/complete.js'),
        import('../lib/completion/scripts.js'),
        import('../lib/links/targets.js'),
      ])
      const result = await complete({words: line.words, table, sources: (flags) => completionSources(flags.repo, environmentTargets)})
      guardStreams()
      answerStreams().stdout.write(formatCompletion(result, process.env))
    } catch (error) {
      if (error instanceof Decline) return false
      throw error
    }
    return answered()
  }
  if (line.kind !== 'command') return false
  const id = line.command.id
  const parsed = FAST_FLAGS[id] && parseAgainstManifest(line.command, line.argv)
  if (!parsed) return false
  // Loaded only here, so that completion (above) does not pay for the link builders and the browser.
  const [links, {createOutput, formatTable}, {registerSecretsFromEnv}, {formatSpecIssue}, {deliverUrl}, {systemBrowser}, {jsonDocument}] = await Promise.all([
    import('../lib/links/shortcuts.js'),
    import('../lib/io/output.js'),
    import('../lib/io/secrets.js'),
    import('../lib/io/errors.js'),
    import('../lib/io/deliver-url.js'),
    import('../lib/io/browser.js'),
    import('../lib/io/json-document.js'),
  ])
  registerSecretsFromEnv(process.env)
  const {stdout, stderr} = answerStreams()
  const out = createOutput(stdout, stderr, process.env)
  let answer: Answer | undefined
  try {
    answer = shortcut(id, parsed, out, links, formatTable)
  } catch {
    return false // A cache entry msp cannot use: the full path reports whatever is wrong.
  }
  if (!answer) return false
  guardStreams()
  for (const w of answer.warnings) out.warn(formatSpecIssue(w))
  if ('print' in answer) out.result(answer.print)
  else if ('document' in answer) stdout.write(jsonDocument(answer.document))
  else {
    const {url, meta} = answer.url
    const json = parsed.flags.json === true
    const doc = await deliverUrl({
      url,
      meta,
      out,
      browser: () => systemBrowser(process.env),
      open: answer.open,
      json,
      env: process.env,
      platform: process.platform,
    })
    if (json) stdout.write(jsonDocument(doc))
  }
  return answered()
}
