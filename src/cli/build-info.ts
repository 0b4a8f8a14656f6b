import {readFileSync} from 'node:fs'

let cached: string | undefined

/**
 * Identifies this msp build for the spec cache: written by `npm run build` into dist/build-info.json
 * (a hash of the compiled spec loader); "dev" when running from sources.
 */
export function buildFingerprint(): string {
  if (cached !== undefined) return cached
  try {
    const info = JSON.parse(readFileSync(new URL('../build-info.json', import.meta.url), 'utf8')) as {fingerprint?: string}
    cached = info.fingerprint ?? 'dev'
  } catch {
    cached = 'dev'
  }
  return cached
}
