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
  /** The terminal's width, when the stream is one (Node sets it on a TTY). */
  columns?: number
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
  /** The width tables must fit: the terminal's columns when stdout is one, else undefined (full width). */
  readonly tableWidth: number | undefined
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
    tableWidth: terminalWidth(stdout),
  }
}

/**
 * The width a table on this stream must fit: its columns when it is a terminal that reports a size,
 * else undefined (a pipe or a file gets every column in full, for grep and scripts).
 * @param stream - stdout
 */
export function terminalWidth(stream: WritableLike): number | undefined {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : undefined
}

/** Narrowest a column is cut to (or its natural width, when that is smaller). */
const MIN_COLUMN_WIDTH = 6
const GAP = 2

/**
 * Column widths that fit `maxWidth`, as `gh` does on a terminal: the widest column gives up a character
 * at a time until the row fits or every column is at its floor (the header's width, at least
 * {@link MIN_COLUMN_WIDTH}, never more than the column needs).
 * @param natural - the width each column needs
 * @param floors - the narrowest each column may become
 * @param maxWidth - the terminal's columns
 */
export function fitColumnWidths(natural: readonly number[], floors: readonly number[], maxWidth: number): number[] {
  const widths = [...natural]
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1)
  let excess = total() - maxWidth
  while (excess > 0) {
    let widest = -1
    for (let i = 0; i < widths.length; i++) if (widths[i]! > floors[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i
    if (widest < 0) break
    widths[widest] = widths[widest]! - 1
    excess--
  }
  return widths
}

/** `text` cut to `width` code points, the last one an ellipsis when anything was cut. */
function truncate(text: string, width: number): string {
  const chars = [...text]
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`
}

/**
 * Formats rows as an aligned plain-text table (header first); widths count code points. With `maxWidth`
 * (the terminal's columns, see {@link Output.tableWidth}) the widest columns are truncated with `…` so
 * each line fits; without it every cell is shown in full.
 * @param header - column titles
 * @param rows - cells, one array per row
 * @param style - styles the header (bold) when given
 * @param maxWidth - the width to fit, or undefined for full width
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], style?: Styler, maxWidth?: number): string {
  const all = [header, ...rows]
  const natural = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)))
  const floors = natural.map((n, i) => Math.min(n, Math.max(MIN_COLUMN_WIDTH, [...header[i]!].length)))
  const widths = maxWidth === undefined ? natural : fitColumnWidths(natural, floors, maxWidth)
  const fmt = (r: readonly string[]) =>
    r
      .map((cell, i) => {
        const c = truncate(cell, widths[i]!)
        return i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)
      })
      .join(' '.repeat(GAP))
      .trimEnd()
  const head = fmt(header)
  return [style ? style('bold', head) : head, ...rows.map(fmt)].join('\n')
}

const closedSignals = new WeakMap<object, AbortSignal>()
const writeFailures = new WeakMap<object, NodeJS.ErrnoException>()

/** A reader that went away: the end of the output, not a failure of the run. */
function readerGone(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || error.code === 'ECONNRESET'
}

/**
 * Makes a closed reader (`| head -1`) a normal event instead of a crash: an EPIPE on the stream marks
 * it closed, later writes to it are dropped, and the work goes on with its own exit status (files
 * written, exit code unchanged). The returned signal aborts when the stream closed, so endless work
 * (`logs --follow`) can end quietly. Any other write error (a full disk behind `>`, `>/dev/full`)
 * closes the stream the same way and is kept for {@link outputFailure}: the run then says so and fails,
 * instead of crashing with a stack trace. Idempotent per stream.
 * @param stream - process.stdout or process.stderr
 */
export function guardStream(stream: NodeJS.WritableStream & {destroyed?: boolean}): AbortSignal {
  const known = closedSignals.get(stream)
  if (known) return known
  const closed = new AbortController()
  closedSignals.set(stream, closed.signal)
  const fail = (error: NodeJS.ErrnoException) => {
    if (!readerGone(error) && !writeFailures.has(stream)) writeFailures.set(stream, error)
    if (!closed.signal.aborted) closed.abort()
  }
  // A file or a device (Node's SyncWriteStream) reports a failed write as an 'error' event, which
  // oclif's own listener rethrows: the failure is taken where the write fails, and later writes dropped.
  const sync = stream as unknown as {_write?: (chunk: unknown, encoding: string, done: (error?: Error | null) => void) => void; constructor: {name: string}}
  const write = sync._write
  if (sync.constructor.name === 'SyncWriteStream' && typeof write === 'function') {
    sync._write = (chunk, encoding, done) => {
      if (closed.signal.aborted) return done()
      try {
        write.call(stream, chunk, encoding, (error) => {
          if (error) fail(error)
          done()
        })
      } catch (error) {
        fail(error as NodeJS.ErrnoException)
        done()
      }
    }
  }
  stream.on('error', fail)
  return closed.signal
}

/**
 * The first write error of a guarded stream that was not its reader going away, if any.
 * @param stream - a stream passed to {@link guardStream}
 */
export function outputFailure(stream: object): NodeJS.ErrnoException | undefined {
  return writeFailures.get(stream)
}
