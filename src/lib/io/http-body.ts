/**
 * The one capped reader of HTTP response bodies (Terraform Cloud, image registries and their token
 * endpoints): the body is refused while it streams in once it passes the cap, counted after
 * decompression, so a small gzip answer that inflates to gigabytes is stopped at the cap.
 */
import {UserError} from './errors.js'

/**
 * A response body as text, refusing (and cancelling) it past `maxBytes` decoded bytes.
 * @param response - a fetch Response
 * @param maxBytes - the largest body accepted
 * @param what - what answered, for the message ("Terraform Cloud API GET /x", "registry token endpoint of …")
 */
export async function readCappedBody(response: Response, maxBytes: number, what: string): Promise<string> {
  const tooLarge = () => new UserError(`${what}: response larger than ${formatBytes(maxBytes)}, refused`)
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let size = 0
  let text = ''
  for (;;) {
    const {done, value} = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    text += decoder.decode(value, {stream: true})
  }
  return text + decoder.decode()
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / 1024 / 1024} MB` : `${n / 1024} KB`
}
