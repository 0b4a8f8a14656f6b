/**
 * Reads log entries through Google's Cloud Logging client (`@google-cloud/logging`, imported lazily in
 * {@link connectLogging}) and turns them into plain JSON objects: protobuf Structs and Timestamps become
 * ordinary values, so formatting and `--json` never see the wire types.
 */
import {connectGoogle, type ConnectOptions} from './google-client.js'

/** The variable that points the client at a local Logging server (plain HTTP, no credentials). */
export const LOGGING_EMULATOR_HOST = 'LOGGING_EMULATOR_HOST'

/** One log entry, in the REST API's JSON field names (only the fields msp reads or passes through). */
export interface LogEntry {
  /** RFC 3339 with nanoseconds as sent, e.g. `2024-05-01T12:00:00.123456789Z`. */
  timestamp: string
  severity: string
  insertId: string
  logName?: string
  resource?: {type?: string; labels?: Record<string, string>}
  labels?: Record<string, string>
  textPayload?: string
  jsonPayload?: Record<string, unknown>
  protoPayload?: Record<string, unknown>
  trace?: string
}

/** One page of `entries.list`. */
export interface LogPage {
  entries: LogEntry[]
  nextPageToken?: string
}

/** The one read msp makes. */
export interface LoggingApi {
  listEntries(request: {projectId: string; filter: string; orderBy: 'timestamp asc' | 'timestamp desc'; pageSize: number; pageToken?: string}): Promise<LogPage>
}

const SEVERITIES: Record<number, string> = {
  0: 'DEFAULT',
  100: 'DEBUG',
  200: 'INFO',
  300: 'NOTICE',
  400: 'WARNING',
  500: 'ERROR',
  600: 'CRITICAL',
  700: 'ALERT',
  800: 'EMERGENCY',
}

/**
 * Connects to Cloud Logging: REST over HTTPS with Application Default Credentials, or plain HTTP without
 * credentials to LOGGING_EMULATOR_HOST. Failures come out as GoogleCallError (status, kind).
 * @param options - environment variables, optional injected auth client, retry policy, sleep and the command's total deadline (`--timeout`)
 */
export async function connectLogging(options: ConnectOptions): Promise<LoggingApi> {
  const google = await connectGoogle({...options, emulatorVariable: LOGGING_EMULATOR_HOST, apiName: 'the Cloud Logging API'})
  const {v2} = await import('@google-cloud/logging')
  const client = new v2.LoggingServiceV2Client(google.clientOptions as ConstructorParameters<typeof v2.LoggingServiceV2Client>[0])
  return {
    async listEntries({projectId, filter, orderBy, pageSize, pageToken}) {
      const request = {resourceNames: [`projects/${projectId}`], filter, orderBy, pageSize, ...(pageToken ? {pageToken} : {})}
      // Without auto-pagination the client resolves [entries, nextRequest, rawResponse].
      const [entries, , response] = (await google.call(() => client.listLogEntries(request, {retry: null, autoPaginate: false}))) as unknown as [
        RawEntry[],
        unknown,
        {nextPageToken?: string | null} | undefined,
      ]
      const next = response?.nextPageToken
      return {entries: entries.map(toLogEntry), ...(next ? {nextPageToken: next} : {})}
    },
  }
}

interface RawValue {
  kind?: string
  nullValue?: unknown
  numberValue?: number
  stringValue?: string
  boolValue?: boolean
  structValue?: {fields?: Record<string, RawValue>}
  listValue?: {values?: RawValue[]}
}

interface RawEntry {
  timestamp?: {seconds?: string | number | {toString(): string}; nanos?: number} | null
  severity?: string | number | null
  insertId?: string | null
  logName?: string | null
  resource?: {type?: string | null; labels?: Record<string, string> | null} | null
  labels?: Record<string, string> | null
  textPayload?: string | null
  jsonPayload?: {fields?: Record<string, RawValue>} | null
  protoPayload?: {type_url?: string | null; typeUrl?: string | null} | null
  trace?: string | null
  payload?: string
}

function plainValue(value: RawValue | undefined): unknown {
  if (!value) return null
  switch (value.kind) {
    case 'numberValue':
      return value.numberValue
    case 'stringValue':
      return value.stringValue
    case 'boolValue':
      return value.boolValue
    case 'structValue':
      return plainStruct(value.structValue)
    case 'listValue':
      return (value.listValue?.values ?? []).map(plainValue)
    default:
      return null
  }
}

function plainStruct(struct: {fields?: Record<string, RawValue>} | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(struct?.fields ?? {})) out[key] = plainValue(value)
  return out
}

/** Timestamp {seconds, nanos} → RFC 3339 with nanoseconds (Cloud Logging's own precision). */
function rfc3339(ts: RawEntry['timestamp']): string {
  if (!ts) return ''
  const seconds = Number(String(ts.seconds ?? 0))
  const nanos = ts.nanos ?? 0
  const base = new Date(seconds * 1000).toISOString().slice(0, 19)
  return `${base}.${String(nanos).padStart(9, '0')}Z`
}

/**
 * Converts the client's decoded entry (protobuf shapes) into a plain {@link LogEntry}.
 * @param raw - one entry as the Google client returns it
 */
export function toLogEntry(raw: RawEntry): LogEntry {
  const severity = typeof raw.severity === 'number' ? (SEVERITIES[raw.severity] ?? String(raw.severity)) : (raw.severity ?? 'DEFAULT')
  const entry: LogEntry = {timestamp: rfc3339(raw.timestamp), severity, insertId: raw.insertId ?? ''}
  if (raw.logName) entry.logName = raw.logName
  if (raw.resource?.type) entry.resource = {type: raw.resource.type, labels: {...(raw.resource.labels ?? {})}}
  if (raw.labels && Object.keys(raw.labels).length > 0) entry.labels = {...raw.labels}
  if (raw.trace) entry.trace = raw.trace
  if (raw.payload === 'textPayload' || (raw.textPayload !== undefined && raw.textPayload !== null && raw.payload === undefined))
    entry.textPayload = raw.textPayload ?? ''
  else if (raw.payload === 'jsonPayload' && raw.jsonPayload) entry.jsonPayload = plainStruct(raw.jsonPayload)
  else if (raw.payload === 'protoPayload' && raw.protoPayload) entry.protoPayload = {'@type': raw.protoPayload.type_url ?? raw.protoPayload.typeUrl ?? ''}
  return entry
}
