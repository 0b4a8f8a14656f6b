/**
 * What may travel over plain `http:`: nothing that matters. Downloads and tokens go over `https:`; a
 * plain `http:` URL is accepted only for a loopback address (127.0.0.0/8, ::1, localhost), which never
 * leaves the machine: local test servers, emulators and mirrors run there.
 */

/**
 * True when the URL's host is a loopback address.
 * @param url - a parsed URL
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase()
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/**
 * True when the URL may carry a download or a token: `https:`, or `http:` to a loopback address.
 * @param url - a parsed URL
 */
export function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url))
}
