import {shouldOpenBrowser, type Browser} from './browser.js'
import type {Env, Output} from './output.js'

/** What URL commands return for --json. */
export interface UrlResult {
  url: string
  service?: string
  environment?: string
  target?: string
}

/**
 * Opens a console URL in the browser, or prints it: the bare URL on stdout when piped, with --no-open
 * or in CI, so `$(msp logs svc prod)` works in scripts. "Opening …" goes to stderr; if the browser
 * cannot be started the URL is printed with a warning. With --json nothing is printed here: the
 * caller prints the returned document.
 * @param options - the URL and its ids, output channels, the browser seam and the decision inputs
 */
export async function deliverUrl(options: {
  url: string
  meta: Omit<UrlResult, 'url'>
  out: Output
  browser: () => Browser
  open: boolean
  json: boolean
  env: Env
  platform: NodeJS.Platform
}): Promise<UrlResult> {
  const {url, meta, out, open, json, env, platform} = options
  const doc: UrlResult = {url, ...meta}
  if (json) return doc
  if (!shouldOpenBrowser({stdoutIsTTY: out.stdoutIsTTY, noOpen: !open, json, env, platform})) {
    out.result(url)
    return doc
  }
  out.info(`Opening ${out.errStyle('cyan', url)}`)
  if (!(await options.browser().open(url))) {
    out.warn('could not start a browser; open the URL above yourself')
    out.result(url)
  }
  return doc
}
