/**
 * Percent-encodes everything except `A–Z a–z 0–9 - _ . ~` (encodeURIComponent that also escapes `!'()*`),
 * the escaping the Logs Explorer expects inside `;key=value` path segments.
 * @param value - raw text
 */
export function escapeStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * Go's `url.QueryEscape`: like {@link escapeStrict} but a space becomes `+`.
 * @param value - raw text
 */
export function queryEscape(value: string): string {
  return escapeStrict(value).replace(/%20/g, '+')
}

/** Go's `url.QueryUnescape`: `+` is a space, `%XX` a byte; undefined on a malformed escape. */
export function queryUnescape(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}
