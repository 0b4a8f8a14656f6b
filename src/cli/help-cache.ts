/**
 * The root help (`msp --help`, `msp` alone) as oclif last rendered it, so the fast path can print it
 * without loading oclif. oclif's text depends on the build (commands, package.json), Node's version
 * and platform (the VERSION line), the terminal (width, TTY) and the colour settings; the key hashes all
 * of them, so any change is a miss, and a miss runs oclif, which renders the help and stores it here.
 * Stored next to the spec cache (MSP_CACHE_DIR …); MSP_NO_CACHE turns it off.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {writeCacheFile} from '../lib/io/cache-file.js'
import {sha256Hex} from '../lib/io/sha256.js'
import type {IoContext} from '../lib/io/context.js'
import {specCacheDir} from '../lib/repo/spec-cache.js'

const BUILD_FILES = ['../../oclif.manifest.json', '../../package.json', '../build-info.json']

/** What the root help's layout depends on: the run's environment, home and whether stdout is a terminal (and its width). */
type HelpSituation = Pick<IoContext, 'env' | 'home'> & {stdout: {isTTY?: boolean; columns?: number}}

/** The cache file of the root help in this run's situation, or undefined without a cache. */
function helpCacheFile(io: HelpSituation): string | undefined {
  const dir = specCacheDir(io.env, io.home)
  if (!dir) return undefined
  const parts: (string | Uint8Array)[] = [`help\0${process.version}\0${process.platform}\0${process.arch}\0`]
  for (const file of BUILD_FILES) {
    try {
      parts.push(readFileSync(new URL(file, import.meta.url)))
    } catch {
      return undefined
    }
  }
  const stdout = io.stdout
  parts.push(`\0${stdout.isTTY === true}\0${stdout.isTTY ? stdout.columns : ''}\0`)
  // Everything in the environment that oclif's layout or its colour library read.
  for (const [k, v] of Object.entries(io.env).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (/COLOR|COLOUR|TERM|^CI$|^CI_|OCLIF|COLUMNS|^GITHUB_ACTIONS$|^TF_BUILD$/.test(k)) parts.push(`${k}=${v}\0`)
  }
  return join(dir, `help-${sha256Hex(parts).slice(0, 32)}.txt`)
}

/** The cached root help, if oclif rendered it before in the same situation. */
export function readRootHelp(io: HelpSituation): string | undefined {
  const file = helpCacheFile(io)
  if (!file) return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Stores the root help oclif just printed.
 * @param text - exactly what oclif wrote to stdout
 */
export function storeRootHelp(text: string, io: Pick<IoContext, 'env' | 'home' | 'stdout'>): void {
  const file = helpCacheFile(io)
  if (file && text) writeCacheFile(file, text)
}
