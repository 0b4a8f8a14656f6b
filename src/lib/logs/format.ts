/** One log entry as one terminal line, or as one NDJSON line. */
import type {LogEntry} from '../cloud/logging.js'
import type {Style, Styler} from '../io/output.js'
import {terminalSafe, terminalSafeJson} from '../io/terminal.js'

const SEVERITY_STYLE: Record<string, Style | undefined> = {
  DEBUG: 'grey',
  NOTICE: 'cyan',
  WARNING: 'yellow',
  ERROR: 'red',
  CRITICAL: 'red',
  ALERT: 'red',
  EMERGENCY: 'red',
}

/** The revision (services) or execution (jobs) that wrote the entry. */
function source(entry: LogEntry): string {
  return entry.resource?.labels?.revision_name || entry.labels?.['run.googleapis.com/execution_name'] || entry.resource?.labels?.job_name || '-'
}

/** `textPayload`, or `jsonPayload.message` (or `Body`) followed by the remaining fields as compact JSON. */
function message(entry: LogEntry): string {
  if (entry.textPayload !== undefined) return entry.textPayload
  const payload = entry.jsonPayload
  if (payload) {
    const key = ['message', 'Body'].find((k) => typeof payload[k] === 'string')
    if (!key) return JSON.stringify(payload)
    const {[key]: text, ...rest} = payload
    return Object.keys(rest).length > 0 ? `${String(text)} ${JSON.stringify(rest)}` : String(text)
  }
  if (entry.protoPayload) return `[${String(entry.protoPayload['@type'] ?? 'protoPayload')}]`
  return ''
}

/**
 * `<time> <severity> <revision or execution> <message>`: time in UTC to the millisecond, severity padded
 * and coloured by level when `style` colours, server text stripped of control characters.
 * @param entry - the entry
 * @param style - the stdout styler (no-op without colour)
 */
export function formatLogLine(entry: LogEntry, style: Styler): string {
  const time = entry.timestamp ? `${entry.timestamp.slice(0, 23)}Z` : '-'
  const severity = entry.severity.padEnd(9)
  const level = SEVERITY_STYLE[entry.severity]
  return `${style('dim', time)} ${level ? style(level, severity) : severity} ${terminalSafe(source(entry))} ${terminalSafe(message(entry))}`.trimEnd()
}

/**
 * The entry as one line of NDJSON (for jq): C0 controls escaped by JSON itself, DEL, C1 controls, line
 * separators and bidirectional overrides escaped too (`\u009b`, `\u202e`), so the parsed value is the
 * server's and a terminal showing the line interprets nothing.
 * @param entry - the entry
 */
export function formatLogJson(entry: LogEntry): string {
  return terminalSafeJson(JSON.stringify(entry))
}
