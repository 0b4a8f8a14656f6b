/**
 * The public domain of an environment as a link. Spec text never becomes a URL by concatenation: the
 * URL is built with the URL API and kept only when it is `https:` to exactly the expected host.
 */
import {dnsName} from '../spec/derived.js'
import {isDnsName} from '../spec/dns.js'
import type {Domain} from '../spec/schema.js'

/**
 * `https://<host>` when the host is a DNS name and the URL API agrees that it is the URL's host;
 * undefined otherwise (no userinfo, port, path or other host can hide in it).
 * @param host - the expected host
 */
export function httpsUrlForHost(host: string): string | undefined {
  if (!isDnsName(host, 2)) return undefined
  let url: URL
  try {
    url = new URL(`https://${host}`)
  } catch {
    return undefined
  }
  if (
    url.protocol !== 'https:' ||
    url.hostname !== host.toLowerCase() ||
    url.port ||
    url.username ||
    url.password ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  )
    return undefined
  return `https://${url.hostname}`
}

/**
 * The environment's public URL (`https://<subdomain>.<zone>`), or undefined when it has no complete
 * domain or the domain is not a DNS name.
 * @param env - an environment
 */
export function domainUrl(env: {domain?: {cloudflare?: Pick<NonNullable<Domain['cloudflare']>, 'subdomain' | 'zone'>}}): string | undefined {
  const cloudflare = env.domain?.cloudflare
  if (!cloudflare?.subdomain || !cloudflare.zone) return undefined
  const host = dnsName(env)
  return host === undefined ? undefined : httpsUrlForHost(host)
}
