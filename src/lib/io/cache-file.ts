import {mkdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

/**
 * Whether a per-user cache directory may be used: created private (0700) when missing, and refused
 * (the cache is then simply off) when another user owns it or others may write to it — whoever can
 * write there could plant entries msp would trust, or links it would follow. Checked at every read
 * and write (one stat), so a folder opened up during a run is refused from then on.
 * @param dir - the cache directory (MSP_CACHE_DIR, ~/.cache/msp/specs)
 */
export function privateCacheDir(dir: string): boolean {
  try {
    let stat
    try {
      stat = statSync(dir)
    } catch {
      mkdirSync(dir, {recursive: true, mode: 0o700})
      stat = statSync(dir)
    }
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0
  } catch {
    return false
  }
}

/**
 * Writes a cache file (spec cache entries, generation stamps): temp file + rename, so a reader never
 * sees half a file, but no fsync — a cache file lost or emptied by a crash is only a miss. Never
 * throws: the cache is never a reason for a command to fail (a read-only or missing cache folder,
 * MSP_CACHE_DIR pointing at a file).
 * @param file - destination path
 * @param contents - the full contents
 */
export function writeCacheFile(file: string, contents: string): void {
  const tmp = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(dirname(file), {recursive: true, mode: 0o700})
    // wx (O_EXCL): never write through anything already at the temp name.
    writeFileSync(tmp, contents, {flag: 'wx', mode: 0o600})
    renameSync(tmp, file)
  } catch {
    try {
      rmSync(tmp, {force: true})
    } catch {
      // nothing to clean up
    }
  }
}
