/** DNS names in a spec (no dependencies: the console shortcuts' fast path reads it too). */

/** One DNS label: letters, digits and inner hyphens, 1 to 63 characters. */
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/**
 * Whether the text is a DNS name of at least `minLabels` dot-separated labels (at most 253 characters).
 * @param name - e.g. `sgdev.org`
 * @param minLabels - 2 for a zone, 1 for a subdomain
 */
export function isDnsName(name: string, minLabels = 1): boolean {
  if (name.length === 0 || name.length > 253) return false
  const labels = name.split('.')
  return labels.length >= minLabels && labels.every((l) => DNS_LABEL.test(l))
}
