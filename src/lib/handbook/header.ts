import {buildManagedServicesUrl} from '../links/github.js'

/** Run-dependent values printed in the header comment of every page. */
export interface PageHeaderOptions {
  /** The command line shown in "Regenerate using this command"; omitted in terminal mode. */
  generateCommand?: string
  /** Generation time, printed in Go's `Time.String()` form of UTC. */
  lastUpdated?: Date
  /** Git HEAD of the service-definitions repo; undefined prints the "unknown revision" text. */
  revision?: string
}

/**
 * Formats a time like Go's `time.Time.UTC().String()`: `2024-05-01 12:30:43.834 +0000 UTC`, the
 * fraction with trailing zeros trimmed and omitted when zero (the pages' `Last updated:` value).
 * @param date - the instant (millisecond precision)
 */
export function formatGoTime(date: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  const fraction = pad(date.getUTCMilliseconds(), 3).replace(/0+$/, '')
  return `${day} ${time}${fraction ? `.${fraction}` : ''} +0000 UTC`
}

/**
 * The generation time for page headers: `SOURCE_DATE_EPOCH` (seconds) when set, for reproducible
 * builds, else now.
 * @param env - the process environment
 * @param now - the clock
 */
export function resolveLastUpdated(env: Readonly<Record<string, string | undefined>>, now: () => Date = () => new Date()): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim()
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000)
  return now()
}

/** The `Generated from:` line: the managed-services tree at the revision, or the unknown-revision text. */
export function generatedFromLine(revision: string | undefined): string {
  return revision ? `Generated from: ${buildManagedServicesUrl(revision)}` : `Generated from: unknown revision of ${buildManagedServicesUrl()}`
}

/** The first words of the header comment of every handbook page msp (and the original) writes. */
export const GENERATED_PAGE_MARKER = 'Generated documentation; DO NOT EDIT.'

/**
 * Whether a Markdown page carries the generated header (in its first lines, after the title): the
 * only pages `msp handbook` may remove.
 * @param text - the page's contents
 */
export function hasGeneratedHeader(text: string): boolean {
  return text.split('\n', 12).some((line) => line.startsWith(GENERATED_PAGE_MARKER))
}

/**
 * The body of the header comment: the regenerate line and timestamp in handbook mode (when a generate
 * command is given), else only the `Generated from:` line, as `sg msp operations <id>` printed it.
 * @param options - generate command, time and revision
 */
export function headerComment(options: PageHeaderOptions): string {
  const from = generatedFromLine(options.revision)
  if (options.generateCommand === undefined) return from
  const lines = [`${GENERATED_PAGE_MARKER} Regenerate using this command: '${options.generateCommand}'`, '']
  if (options.lastUpdated) lines.push(`Last updated: ${formatGoTime(options.lastUpdated)}`)
  lines.push(from)
  return lines.join('\n')
}
