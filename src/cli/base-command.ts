import {join} from 'node:path'
import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type {Input, ParserOutput} from '@oclif/core/interfaces'
import {DEFAULT_EDITION, EDITION_INFO, EDITIONS} from '../lib/edition/editions.js'
import {createEditionResolver, EDITION_ENV, type EditionResolver} from '../lib/edition/resolve.js'
import type {Browser} from '../lib/io/browser.js'
import type {IoContext} from '../lib/io/context.js'
import {deliverUrl, type UrlResult} from '../lib/io/deliver-url.js'
import {formatSpecIssue, type SpecIssue} from '../lib/io/errors.js'
import {createStampStore, type StampStore} from '../lib/generate/stamps.js'
import {createOutput, type Output} from '../lib/io/output.js'
import {WriteTracker} from '../lib/io/write-tracker.js'
import {jsonDocument} from '../lib/io/json-document.js'
import {registerSecretsFromEnv} from '../lib/io/secrets.js'
import {DEFAULT_COMMAND_TIMEOUT_SECONDS} from '../lib/cloud/retry.js'
import {requireEnvironment, requireService, resolveService} from '../lib/repo/resolve.js'
import {resolveRepoRoot} from '../lib/repo/root.js'
import {listServiceIds} from '../lib/repo/services.js'
import {specCacheDir} from '../lib/repo/spec-cache.js'
import type {LoadedService} from '../lib/spec/load.js'
import type {Environment} from '../lib/spec/schema.js'
import {buildFingerprint} from './build-info.js'
import {ExitCode, setExitCode, silentExit} from './exit.js'
import {installInterruptHandler} from './interrupt.js'
import {currentIo} from './io.js'
import type {SelectionIds} from './selection.js'
import {debugEnabled, reportError} from './report.js'
import {usageErrorFromParse} from './usage.js'

export type {UrlResult}

// oclif's parser output shapes (not exported by @oclif/core/interfaces).
type FlagOutput = {[name: string]: unknown}
type ArgOutput = {[name: string]: unknown}
/** `--edition`, on every command whose output depends on the edition (see src/lib/edition). */
export const editionFlag = Flags.option({
  options: EDITIONS,
  description:
    `release of the original sg msp to reproduce: ${EDITIONS.map((e) => `${e} (${EDITION_INFO[e].summary})`).join(', ')} ` +
    `[default: ${EDITION_ENV}, else the repository's sg-msp lockfiles, else ${DEFAULT_EDITION}]`,
})

/**
 * `--timeout`, on every command that calls a network API: a time limit in seconds. What it bounds differs (the whole
 * reading for status, each environment for tfc sync), so each command's description says it.
 */
export const timeoutFlag = Flags.custom<number>({
  description: `give up after this many seconds: the network calls of the command share this one limit [default: ${DEFAULT_COMMAND_TIMEOUT_SECONDS}]`,
  helpValue: '<seconds>',
  parse: async (input) => {
    const seconds = Number(input)
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
      throw new Error(`--timeout must be a number of seconds between 0 and 3600, got ${JSON.stringify(input)}`)
    return seconds
  },
})

/**
 * The value of a flag an environment variable may set (the flag's `env`, shown in its help): oclif reads
 * `env` from the process, this default reads the run's I/O context, so a command run in-process sees its
 * test's environment. Help shows `fallback`, never a value of the machine that built the manifest.
 * @param variable - the environment variable
 * @param fallback - the value when it is unset or empty
 */
export function envDefault<T extends string | undefined>(variable: string, fallback: T): {default: () => Promise<string | T>; defaultHelp: () => Promise<T>} {
  return {default: async () => currentIo().env[variable] || fallback, defaultHelp: async () => fallback}
}

/**
 * The one thin base of every msp command: global flags, output wiring and the single error handler.
 * Commands parse, call one lib function and render; they never format errors themselves. Everything a
 * command takes from outside (streams, environment, working directory, home, clock, browser) comes
 * from {@link MspCommand.io}, never from `process`, so a test can run the command in-process.
 */
export abstract class MspCommand extends Command {
  // --json is global: every command accepts it, and an error is then one compact document on stdout.
  static override enableJsonFlag = true
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

  /** This run's I/O context: the process's, or the one a test runs the command against. */
  protected readonly io: IoContext = currentIo()

  override async init(): Promise<void> {
    await super.init()
    installInterruptHandler(this.writes, this.io)
    // Secrets of this run (TFE_TOKEN and the like) are never printed, whoever echoes them.
    registerSecretsFromEnv(this.io.env)
  }

  /** `--json` documents: secrets redacted, and no raw control character even outside JSON's own escapes. */
  override logJson(json: unknown): void {
    this.io.stdout.write(jsonDocument(json))
  }

  /** stdout/stderr channels with colour decided once from NO_COLOR/FORCE_COLOR/TTY. */
  protected get out(): Output {
    this.output ??= createOutput(this.io.stdout, this.io.stderr, this.io.env)
    return this.output
  }

  /** Resolves the service-definitions repo root from --repo, the environment or the working directory. */
  protected repoRoot(repoFlag: string | undefined): string {
    // The working directory is read here, once, and passed down: lib code never reads it.
    return resolveRepoRoot({cwd: this.io.cwd, flag: repoFlag, env: this.io.env}).dir
  }

  /** The edition resolver of this run: `--edition`, then MSP_EDITION, then the repository's lockfiles. */
  protected editions(root: string, flag: string | undefined): EditionResolver {
    return createEditionResolver({flag, envValue: this.io.env[EDITION_ENV], root})
  }

  /** Prints spec warnings (unknown keys and the like) on stderr. */
  protected printWarnings(warnings: readonly SpecIssue[]): void {
    for (const w of warnings) this.out.warn(formatSpecIssue(w))
  }

  /** The browser seam: the context's (the system browser, $BROWSER, or a test's recorder). */
  protected browser(): Browser {
    return this.io.browser
  }

  /** Opens the URL or prints it (see deliverUrl); returns the --json document. */
  protected deliverUrl(url: string, meta: Omit<UrlResult, 'url'>, open: boolean): Promise<UrlResult> {
    return deliverUrl({url, meta, out: this.out, browser: () => this.browser(), open, json: this.jsonEnabled(), env: this.io.env, platform: this.io.platform})
  }

  /** Loads one service (validated, warnings printed) through the spec cache. */
  protected async loadService(root: string, id: string): Promise<LoadedService> {
    const service = await this.serviceLoader()(root, id)
    this.printWarnings(service.warnings)
    return service
  }

  /**
   * The service named by a positional argument; a missing or unknown id is a usage error that lists
   * the services of the repo (see requireService).
   */
  protected serviceArg(root: string, id: string | undefined): Promise<LoadedService> {
    return requireService(root, id, (r, i) => this.loadService(r, i))
  }

  /** The id lookups `checkSelection` lists when an id is missing. */
  protected selectionIds(root: string): SelectionIds {
    return {services: () => listServiceIds(root), environments: async (id) => (await this.serviceArg(root, id)).spec.environments.map((e) => e.id)}
  }

  /** The environment named by a positional argument, with the same kind of help. */
  protected environmentArg(service: LoadedService, envId: string | undefined): Environment {
    return requireEnvironment(service, envId)
  }

  /** Generation stamps (incremental re-runs of generate, unchanged environments in diff): beside the spec cache, off when it is (MSP_NO_CACHE). */
  protected generationStamps(): {stamps?: {store: StampStore; fingerprint: string}} {
    const dir = specCacheDir(this.io.env, this.io.home)
    return dir ? {stamps: {store: createStampStore(join(dir, 'generate-stamps')), fingerprint: buildFingerprint()}} : {}
  }

  /** A loader that reads and refreshes the spec cache (see spec-cache.ts); prints nothing. */
  protected serviceLoader(): (root: string, id: string) => Promise<LoadedService> {
    const cache = this.specCache()
    return (root, id) => resolveService(root, id, cache)
  }

  /** The spec cache of this run (see spec-cache.ts): where it is (none with MSP_NO_CACHE) and the build it belongs to. */
  protected specCache(): {cacheDir?: string; fingerprint: string} {
    const cacheDir = specCacheDir(this.io.env, this.io.home)
    return {...(cacheDir === undefined ? {} : {cacheDir}), fingerprint: buildFingerprint()}
  }

  /** oclif's parse, with its errors turned into msp usage errors (one line, a hint, a short usage). */
  override async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Input<F, B, A>,
    argv?: string[],
  ): Promise<ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv)
    } catch (error) {
      const ctor = this.ctor
      throw usageErrorFromParse(error as Error, {
        id: this.id ?? ctor.id ?? '',
        bin: this.config.bin,
        args: ctor.args ?? {},
        flags: {...ctor.baseFlags, ...ctor.flags},
        ...(ctor.usage === undefined ? {} : {usage: ctor.usage}),
      })
    }
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (this.writes.draining) {
      // Ctrl-C: writes in flight are stopping; wait for their clean-up before anything exits (the
      // interrupt handler then ends the process with 130).
      await this.writes.drain(3000)
      setExitCode(ExitCode.interrupted)
      throw silentExit(ExitCode.interrupted)
    }
    const code = reportError(error, {
      json: this.jsonEnabled(),
      debug: debugEnabled(this.argv, this.io.env),
      stdout: this.io.stdout,
      stderr: this.io.stderr,
      env: this.io.env,
    })
    setExitCode(code)
    throw silentExit(code)
  }
}
