/**
 * The one sanitiser for text from outside msp shown in a terminal: server answers (API servers,
 * registries), and spec text (names, owners, project ids, unknown key names, folder names). Control
 * characters — escape sequences that set the window title, clear the screen or move the cursor, and
 * line breaks that would forge table rows — are shown escaped (`\x1b`, `\n`) instead of being
 * interpreted.
 */

// C0 controls, DEL and C1 controls (0x9b is a one-byte CSI in some terminals), plus the Unicode line
// and paragraph separators and bidirectional overrides that reorder what is shown.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

const NAMED: Readonly<Record<string, string>> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

/**
 * The text with every control character shown as an escape (`\x1b`, `\n`, `\u202e`); a backslash
 * stays as it is. One line, whatever the server or spec sent.
 * @param text - untrusted text
 */
export function terminalSafe(text: string): string {
  return escapeControls(text, '')
}

/**
 * A whole page for the terminal (Markdown, D2): like {@link terminalSafe}, but line breaks and tabs stay.
 * @param text - a page that carries untrusted text
 */
export function terminalSafePage(text: string): string {
  return escapeControls(text, '\n\t')
}

/** Every control character but those in `keep` shown as an escape. */
function escapeControls(text: string, keep: string): string {
  return text.replace(CONTROL, (c) => {
    if (keep.includes(c)) return c
    const named = NAMED[c]
    if (named) return named
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/**
 * Like {@link terminalSafe}, but line breaks stay (messages of several lines); a carriage return,
 * which would overwrite the line, is still shown escaped.
 * @param text - untrusted text
 */
export function terminalSafeLines(text: string): string {
  return escapeControls(text, '\n')
}

/**
 * JSON text whose C1 controls and separators are escaped too (`JSON.stringify` escapes only C0):
 * the parsed value is unchanged, and a terminal showing the text interprets nothing.
 * @param json - the output of JSON.stringify
 */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * The URL when it parses as an `https:` URL, else undefined: a server field that should be a link is
 * shown only when it is one (no `javascript:`, no `http:`, no text with spaces or controls).
 * @param value - untrusted text
 */
export function httpsUrlOrUndefined(value: string | null | undefined): string | undefined {
  if (!value || /[\s\u0000-\u001F\u007F-\u009F]/.test(value)) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) return undefined
  return url.href === value || url.href === `${value}/` ? value : url.href
}
