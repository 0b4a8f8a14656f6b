/**
 * Atomic file replacement: a temp file in the same folder (unique per process and per write, opened
 * with O_EXCL), fsync, rename — a reader or a crash sees the old or the new complete file, never a
 * partial one. Paths come from a SafeFolder (safe-folder.ts) or from the user's own command line.
 */
import {randomBytes} from 'node:crypto'
import {lstatSync} from 'node:fs'
import {mkdir, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {fileSystemError} from './errors.js'
import type {WriteTracker} from './write-tracker.js'

/** Prefix of every temporary file msp creates; used to sweep leftovers after an interruption. */
export const TEMP_PREFIX = '.msp-tmp-'

/**
 * Temp files of another live process younger than this are left alone: they may belong to a run
 * still writing (two `generate --all` at once). Older ones are leftovers (the process id was reused).
 */
export const STALE_TEMP_MS = 15 * 60 * 1000

/** The outcome of a write that happens only when the bytes differ. */
export type WriteOutcome = 'created' | 'changed' | 'unchanged'

/** The temp file name for a write of `file`: `.msp-tmp-<name>.<pid>.<random>`. */
function tempPath(file: string): string {
  return join(dirname(file), `${TEMP_PREFIX}${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}`)
}

/** True when a process with this id exists (it may belong to another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether a leftover temp file may be removed: never while this run writes it; at once when the
 * process that created it (its id is in the name) is gone — a killed run; and when that process
 * still runs — another msp writing right now — only once the file is older than {@link STALE_TEMP_MS}.
 * @param file - absolute path of a file whose name starts with {@link TEMP_PREFIX}
 * @param writes - this run's writes in flight
 * @param now - the current time (ms)
 */
export function isSweepableTemp(file: string, writes: WriteTracker, now = Date.now()): boolean {
  if (writes.isWriting(file)) return false
  const pid = Number(/\.(\d+)\.[0-9a-f]+$/.exec(file)?.[1] ?? Number.NaN)
  if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) return true
  let mtimeMs: number
  try {
    mtimeMs = lstatSync(file).mtimeMs
  } catch {
    return false
  }
  return now - mtimeMs > STALE_TEMP_MS
}

/**
 * Writes `contents` to `file` atomically (see the module comment), creating its folder.
 * @param file - destination path
 * @param contents - the full new contents
 * @param writes - the run's writes in flight (an interrupt waits for this one and removes its temp file)
 * @param options - `folderExists`: the caller has just made or checked the folder (no mkdir);
 *   `checkParent`: called just before the temp file is created and just before the rename, throws when
 *   the folder is no longer where it was checked to be (see SafeFolder.assertParentInPlace)
 */
export async function writeFileAtomic(
  file: string,
  contents: string | Uint8Array,
  writes: WriteTracker,
  options: {folderExists?: boolean; checkParent?: () => void} = {},
): Promise<void> {
  const checkParent = options.checkParent
  writes.assertOpen()
  if (!options.folderExists) {
    try {
      await mkdir(dirname(file), {recursive: true})
    } catch (error) {
      throw fileSystemError(error, 'create the folder of', file)
    }
  }
  const tmp = tempPath(file)
  const write = (async () => {
    try {
      checkParent?.()
      // O_EXCL: never follow (or reuse) anything already at the temp name.
      const handle = await open(tmp, 'wx', 0o644)
      try {
        writes.assertOpen()
        await handle.writeFile(contents)
        await handle.sync()
      } finally {
        await handle.close()
      }
      writes.assertOpen()
      checkParent?.()
      await rename(tmp, file)
    } catch (error) {
      await rm(tmp, {force: true}).catch(() => undefined)
      throw fileSystemError(error, 'write', file)
    }
  })()
  await writes.track(tmp, write)
}
