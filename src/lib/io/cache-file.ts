import {mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

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
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(tmp, contents)
    renameSync(tmp, file)
  } catch {
    try {
      rmSync(tmp, {force: true})
    } catch {
      // nothing to clean up
    }
  }
}
