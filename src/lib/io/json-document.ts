import {redactDeep} from './secrets.js'
import {terminalSafeJson} from './terminal.js'

/**
 * The text of a `--json` result document: secrets redacted, no raw control character even outside
 * JSON's own escapes, indented, one trailing newline. The oclif commands and the start-up fast path
 * both print through this, so their documents are the same bytes.
 * @param value - the document
 */
export function jsonDocument(value: unknown): string {
  return `${terminalSafeJson(JSON.stringify(redactDeep(value), null, 2))}\n`
}
