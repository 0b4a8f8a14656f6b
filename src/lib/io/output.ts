/**
 * One output module: stdout carries only the result, stderr carries progress, warnings and hints.
 * Colour is decided once per stream from NO_COLOR / FORCE_COLOR / TERM / TTY and never re-detected.
 * Everything written passes {@link redactSecrets}: no token reaches the screen, whatever echoed it.
 */
import {redactSecrets} from './secrets.js'

/** The minimal stream shape msp writes to (process.stdout/stderr, or a test buffer). */
export interface WritableLike {
  write(chunk: string): unknown
  isTTY?: boolean
}

export type Env = Readonly<Record<string, string | undefined>>

/** Decides whether a stream gets ANSI colour: NO_COLOR wins, then FORCE_COLOR, then TTY (not TERM=dumb). */
export function colourEnabled(stream: WritableLike, env: Env): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  if (env.TERM === 'dumb') return false
  return Boolean(stream.isTTY)
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  grey: [90, 39],
} as const

export type Style = keyof typeof codes

/** A styler that is a no-op when colour is off. */
export type Styler = (style: Style, text: string) => string

/** Builds a styler for one decision. */
export function makeStyler(enabled: boolean): Styler {
  if (!enabled) return (_style, text) => text
  return (style, text) => `\u001B[${codes[style][0]}m${text}\u001B[${codes[style][1]}m`
}

/**
 * The one vocabulary of status marks: symbols on a terminal, words otherwise (pipes, files, CI logs,
 * NO_COLOR, TERM=dumb), so `grep error` works on a log and nothing depends on the font.
 *
 *   mark      terminal  plain
 *   ok        ✓         ok
 *   warning   ⚠         warning
 *   error     ✗         error
 */
export type Mark = 'ok' | 'warning' | 'error'

const MARKS: Record<Mark, {symbol: string; word: string; style: Style}> = {
  ok: {symbol: '✓', word: 'ok', style: 'green'},
  warning: {symbol: '⚠', word: 'warning', style: 'yellow'},
  error: {symbol: '✗', word: 'error', style: 'red'},
}

/** True when a stream gets symbols (✓ ⚠ ✗) instead of words: a terminal, without NO_COLOR or TERM=dumb. */
export function symbolsEnabled(stream: WritableLike, env: Env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb'
}

/** Renders a status mark for one stream (see {@link Mark}). */
export type Marker = (mark: Mark) => string

/** Builds the marker of one stream: coloured symbols, or plain words padded to one width. */
export function makeMarker(symbols: boolean, style: Styler): Marker {
  const width = Math.max(...Object.values(MARKS).map((m) => m.word.length))
  return (mark) => (symbols ? style(MARKS[mark].style, MARKS[mark].symbol) : MARKS[mark].word.padEnd(width))
}

/** Output channels of one command run. */
export interface Output {
  /** Writes a result line (or block) to stdout. */
  result(text: string): void
  /** Progress and notices on stderr. */
  info(text: string): void
  /** A completed step on stderr: `✓ text` on a terminal, the bare text otherwise. */
  success(text: string): void
  /** A non-fatal problem on stderr. */
  warn(text: string): void
  /** Styling for stdout content (tables in a terminal). */
  readonly style: Styler
  /** Styling for stderr content. */
  readonly errStyle: Styler
  /** Status marks for stdout content (✓ ⚠ ✗ on a terminal, words otherwise). */
  readonly mark: Marker
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
}

/** Creates the output channels from two streams and the environment (colour decided here, once). */
export function createOutput(stdout: WritableLike, stderr: WritableLike, env: Env): Output {
  const style = makeStyler(colourEnabled(stdout, env))
  const errStyle = makeStyler(colourEnabled(stderr, env))
  const line = (s: string) => redactSecrets(s.endsWith('\n') ? s : `${s}\n`)
  const errSymbols = symbolsEnabled(stderr, env)
  return {
    result: (text) => void stdout.write(line(text)),
    info: (text) => void stderr.write(line(text)),
    success: (text) => void stderr.write(line(errSymbols ? `${errStyle('green', MARKS.ok.symbol)} ${text}` : text)),
    warn: (text) => void stderr.write(line(`${errStyle('yellow', 'warning:')} ${text}`)),
    style,
    errStyle,
    mark: makeMarker(symbolsEnabled(stdout, env), style),
    stdoutIsTTY: Boolean(stdout.isTTY),
    stderrIsTTY: Boolean(stderr.isTTY),
  }
}

/** Formats rows as an aligned plain-text table (header first); widths count code points. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], style?: Styler): string {
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)))
  const fmt = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)))
      .join('  ')
      .trimEnd()
  const head = fmt(header)
  return [style ? style('bold', head) : head, ...rows.map(fmt)].join('\n')
}
