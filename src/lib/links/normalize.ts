import {queryEscape, queryUnescape} from './encode.js'

/**
 * The original's link normaliser (Go `url.Parse` + `Query().Encode()`): the query string of a link is
 * decoded and re-encoded form-style with keys sorted. Links without `?` are returned untouched, as are
 * links whose query cannot be parsed (Go rejects `;` separators and bad escapes).
 * Handbook pages run every rendered link through this, which is why the dashboards link is reordered.
 * @param url - a link as built by the URL builders
 */
export function normalizeLink(url: string): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const hash = url.indexOf('#', q)
  const base = url.slice(0, q)
  const query = url.slice(q + 1, hash === -1 ? undefined : hash)
  const fragment = hash === -1 ? '' : url.slice(hash)
  const pairs: [string, string][] = []
  for (const part of query.split('&')) {
    if (part === '') continue
    if (part.includes(';')) return url
    const eq = part.indexOf('=')
    const key = queryUnescape(eq === -1 ? part : part.slice(0, eq))
    const value = queryUnescape(eq === -1 ? '' : part.slice(eq + 1))
    if (key === undefined || value === undefined) return url
    pairs.push([key, value])
  }
  // Go sorts keys and keeps the order of values within one key (a stable sort by key).
  const sorted = pairs
    .map((p, i) => [p, i] as const)
    .sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j))
    .map(([p]) => `${queryEscape(p[0])}=${queryEscape(p[1])}`)
  const encoded = sorted.join('&')
  return encoded === '' ? `${base}${fragment}` : `${base}?${encoded}${fragment}`
}
