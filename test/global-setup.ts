import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/**
 * Tests write only to temp dirs: every spawned msp gets a spec cache in a fresh temp folder instead of
 * ~/.cache/msp (test workers and their children inherit this environment).
 */
export default function setup(): () => void {
  const cache = mkdtempSync(join(tmpdir(), 'msp-test-cache-'))
  process.env.MSP_CACHE_DIR = cache
  return () => rmSync(cache, {recursive: true, force: true})
}
