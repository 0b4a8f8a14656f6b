import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import {exitCodeFor, isUserError, SpecError, UserError} from '../lib/io/errors.js'
import {shouldOpenBrowser, systemBrowser, type Browser} from '../lib/io/browser.js'
import {createOutput, type Output} from '../lib/io/output.js'
import {resolveRepoRoot} from '../lib/repo/root.js'

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

  /** Prints spec warnings (unknown keys and the like) on stderr. */
  protected printWarnings(warnings: readonly {file: string; line: number; column: number; path: string; message: string}[]): void {
    for (const w of warnings) {
      this.out.warn(`${w.file}:${w.line}:${w.column}: ${w.path ? `${w.path}: ` : ''}${w.message}`)
    }
  }

  /** The browser seam; tests replace it through $BROWSER pointing at a recorder. */
  protected browser(): Browser {
    return systemBrowser(process.env)
  }

  /**
   * Opens a console URL in the browser, or prints it: the bare URL on stdout when piped, with --no-open
   * or in CI, so `$(msp logs svc prod)` works in scripts; "Opening …" goes to stderr only on a TTY.
   * Returns the JSON document for --json.
   */
  protected async deliverUrl(url: string, meta: {service?: string; environment?: string; target?: string}, open: boolean): Promise<UrlResult> {
    const doc: UrlResult = {url, ...meta}
    const wantsBrowser = shouldOpenBrowser({
      stdoutIsTTY: this.out.stdoutIsTTY,
      noOpen: !open,
      json: this.jsonEnabled(),
      env: process.env,
      platform: process.platform,
    })
    if (this.jsonEnabled()) return doc
    if (!wantsBrowser) {
      this.out.result(url)
      return doc
    }
    this.out.info(`Opening ${this.out.errStyle('cyan', url)}`)
    if (!(await this.browser().open(url))) {
      this.out.warn('could not start a browser; open the URL above yourself')
      this.out.result(url)
    }
    return doc
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (!isUserError(error) && error.oclif?.exit !== undefined) {
      // oclif's own parse and usage errors: keep its format and its exit code (2).
      if (error.exitCode === undefined) error.exitCode = error.oclif.exit
      return super.catch(error)
    }
    const code = exitCodeFor(error)
    const debug = this.argv.includes('--debug') || /(^|,)\s*(msp|\*)/.test(process.env.DEBUG ?? '')
    if (this.jsonEnabled()) {
      process.stdout.write(`${JSON.stringify({error: errorDocument(error, code)}, null, 2)}\n`)
    } else {
      const s = this.out.errStyle
      if (isUserError(error)) {
        process.stderr.write(`${s('red', 'Error:')} ${error.message}\n`)
        if (error.hint) process.stderr.write(`${s('dim', 'hint:')} ${error.hint}\n`)
      } else {
        process.stderr.write(`${s('red', 'Error:')} unexpected failure: ${error.message}\n`)
        if (!debug) process.stderr.write(`${s('dim', 'hint:')} run again with --debug to see the stack trace\n`)
      }
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`)
    }
    process.exitCode = code
    throw Object.assign(new Error(`EEXIT: ${code}`), {skipOclifErrorHandling: true, code: 'EEXIT', oclif: {exit: code}})
  }
}

/** What URL commands return for --json. */
export interface UrlResult {
  url: string
  service?: string
  environment?: string
  target?: string
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
