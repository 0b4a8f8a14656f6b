import {homedir} from 'node:os'
import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import {DEFAULT_EDITION, EDITION_FACTS, EDITIONS} from '../lib/edition/editions.js'
import {createEditionResolver, EDITION_ENV, type EditionResolver} from '../lib/edition/resolve.js'
import {systemBrowser, type Browser} from '../lib/io/browser.js'
import {deliverUrl, type UrlResult} from '../lib/io/deliver-url.js'
import {exitCodeFor, formatSpecIssue, isUserError, SpecError, UsageError, UserError, type SpecIssue} from '../lib/io/errors.js'
import {createOutput, type Output} from '../lib/io/output.js'
import {WriteTracker} from '../lib/io/write-tracker.js'
import {redactDeep, redactSecrets, registerSecretsFromEnv} from '../lib/io/secrets.js'
import {terminalSafeJson, terminalSafeLines} from '../lib/io/terminal.js'
import {DEFAULT_COMMAND_TIMEOUT_SECONDS} from '../lib/cloud/retry.js'
import {resolveEnvironment, resolveService} from '../lib/repo/resolve.js'
import {resolveRepoRoot} from '../lib/repo/root.js'
import {listServiceIds} from '../lib/repo/services.js'
import {specCacheDir} from '../lib/repo/spec-cache.js'
import type {LoadedService} from '../lib/spec/load.js'
import type {Environment} from '../lib/spec/schema.js'
import {buildFingerprint} from './build-info.js'
import {silentExit} from './exit.js'
import {installInterruptHandler} from './interrupt.js'

export type {UrlResult}

/** `--edition`, on every command whose output depends on the edition (see src/lib/edition). */
export const editionFlag = Flags.option({
  options: EDITIONS,
  description: `release of the original sg msp to reproduce: ${EDITIONS.map((e) => `${e} (${EDITION_FACTS[e].summary})`).join(', ')} [default: ${EDITION_ENV}, else the repository's sg-msp lockfiles, else ${DEFAULT_EDITION}]`,
})

/** `--timeout`, on every command that calls a network API: the time limit in seconds. */
export const timeoutFlag = Flags.custom<number>({
  description: `give up after this many seconds (every network call of the command shares it) [default: ${DEFAULT_COMMAND_TIMEOUT_SECONDS}]`,
  helpValue: '<seconds>',
  parse: async (input) => {
    const seconds = Number(input)
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new Error(`--timeout must be a number of seconds between 0 and 3600, got ${JSON.stringify(input)}`)
    return seconds
  },
})

/** What may be written to a terminal: secrets redacted, control characters escaped (line breaks kept). */
function printable(text: string): string {
  return terminalSafeLines(redactSecrets(text))
}

/**
 * The one thin base of every msp command: global flags, output wiring and the single error handler.
 * Commands parse, call one lib function and render; they never format errors themselves.
 */
export abstract class MspCommand extends Command {
  static override baseFlags = {
    repo: Flags.string({
      description: 'Service-definitions repository root (default: nearest parent with a .repository file; env MSP_REPO_ROOT).',
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({description: 'Show stack traces of unexpected errors (or set DEBUG=msp*).', helpGroup: 'GLOBAL'}),
  }

  private output?: Output
  /** This run's writes in flight: passed to every lib call that writes; drained on an interrupt. */
  protected readonly writes = new WriteTracker()

  override async init(): Promise<void> {
    await super.init()
    installInterruptHandler(this.writes)
    // Secrets of this process (TFE_TOKEN and the like) are never printed, whoever echoes them.
    registerSecretsFromEnv(process.env)
  }

  /** `--json` documents: secrets redacted, and no raw control character even outside JSON's own escapes. */
  override logJson(json: unknown): void {
    process.stdout.write(`${terminalSafeJson(JSON.stringify(redactDeep(json), null, 2))}\n`)
  }

  /** stdout/stderr channels with colour decided once from NO_COLOR/FORCE_COLOR/TTY. */
  protected get out(): Output {
    this.output ??= createOutput(process.stdout, process.stderr, process.env)
    return this.output
  }

  /** Resolves the service-definitions repo root from --repo, the environment or the working directory. */
  protected repoRoot(repoFlag: string | undefined): string {
    // The working directory is read here, once, and passed down: lib code never calls process.cwd().
    return resolveRepoRoot({cwd: process.cwd(), flag: repoFlag, env: process.env}).dir
  }

  /** The edition resolver of this run: `--edition`, then MSP_EDITION, then the repository's lockfiles. */
  protected editions(root: string, flag: string | undefined): EditionResolver {
    return createEditionResolver({flag, envValue: process.env[EDITION_ENV], root})
  }

  /** Prints spec warnings (unknown keys and the like) on stderr. */
  protected printWarnings(warnings: readonly SpecIssue[]): void {
    for (const w of warnings) this.out.warn(formatSpecIssue(w))
  }

  /** The browser seam; tests replace it through $BROWSER pointing at a recorder. */
  protected browser(): Browser {
    return systemBrowser(process.env)
  }

  /** Opens the URL or prints it (see deliverUrl); returns the --json document. */
  protected deliverUrl(url: string, meta: Omit<UrlResult, 'url'>, open: boolean): Promise<UrlResult> {
    return deliverUrl({url, meta, out: this.out, browser: () => this.browser(), open, json: this.jsonEnabled(), env: process.env, platform: process.platform})
  }

  /** Loads one service (validated, warnings printed) through the spec cache. */
  protected async loadService(root: string, id: string): Promise<LoadedService> {
    const service = await this.serviceLoader()(root, id)
    this.printWarnings(service.warnings)
    return service
  }

  /**
   * The service named by a required positional argument; when it is missing, a usage error lists the
   * services of the repo (oclif's own message would only name the argument).
   */
  protected async serviceArg(root: string, id: string | undefined): Promise<LoadedService> {
    if (id === undefined) {
      const ids = await listServiceIds(root)
      throw new UsageError('missing the service id argument', {hint: `available services: ${ids.join(', ') || '(none)'}`})
    }
    return this.loadService(root, id)
  }

  /** The environment named by a required positional argument, with the same kind of help when missing. */
  protected environmentArg(service: LoadedService, envId: string | undefined): Environment {
    if (envId === undefined) {
      throw new UsageError('missing the environment id argument', {
        hint: `available environments for "${service.id}": ${service.spec.environments.map((e) => e.id).join(', ')}`,
      })
    }
    return resolveEnvironment(service, envId)
  }

  /** A loader that reads and refreshes the spec cache (see spec-cache.ts); prints nothing. */
  protected serviceLoader(): (root: string, id: string) => Promise<LoadedService> {
    const cache = {cacheDir: specCacheDir(process.env, homedir()), fingerprint: buildFingerprint()}
    return (root, id) => resolveService(root, id, cache)
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (this.writes.draining) {
      // Ctrl-C: writes in flight are stopping; wait for their clean-up before anything exits (the
      // interrupt handler then ends the process with 130).
      await this.writes.drain(3000)
      process.exitCode = 130
      throw silentExit(130)
    }
    if (!isUserError(error) && error.oclif?.exit !== undefined) {
      // oclif's own parse and usage errors: keep its format and its exit code (2).
      if (error.exitCode === undefined) error.exitCode = error.oclif.exit
      return super.catch(error)
    }
    const code = exitCodeFor(error)
    const debug = this.argv.includes('--debug') || /(^|,)\s*(msp|\*)/.test(process.env.DEBUG ?? '')
    // Every message passes the one redaction function (servers echo tokens) and the terminal sanitiser.
    if (this.jsonEnabled()) {
      process.stdout.write(`${terminalSafeJson(JSON.stringify({error: redactDeep(errorDocument(error, code))}, null, 2))}\n`)
    } else {
      const s = this.out.errStyle
      if (isUserError(error)) {
        process.stderr.write(`${s('red', 'Error:')} ${printable(error.message)}\n`)
        if (error.hint) process.stderr.write(`${s('dim', 'hint:')} ${printable(error.hint)}\n`)
      } else {
        process.stderr.write(`${s('red', 'Error:')} unexpected failure: ${printable(error.message)}\n`)
        if (!debug) process.stderr.write(`${s('dim', 'hint:')} run again with --debug to see the stack trace\n`)
      }
      if (debug && error.stack) process.stderr.write(`${printable(error.stack)}\n`)
    }
    process.exitCode = code
    throw silentExit(code)
  }
}

function errorDocument(error: Error, exitCode: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {message: error.message, exitCode}
  if (error instanceof UserError) {
    doc.kind = error.name
    if (error.hint) doc.hint = error.hint
  } else {
    doc.kind = 'BugError'
  }
  if (error instanceof SpecError) doc.issues = error.issues
  return doc
}
