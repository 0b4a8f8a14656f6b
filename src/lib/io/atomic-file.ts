/**
 * Atomic file replacement: a temp file in the same folder (unique per process and per write, opened
 * with O_EXCL), fsync, rename — a reader or a crash sees the old or the new complete file, never a
 * partial one. Paths come from a SafeFolder (safe-folder.ts) or from the user's own command line.
 *
 * A file the caller knows is new (nothing at its path when it was checked) is renamed into place
 * without the fsync: a reader still sees it whole or not at all, and there are no old contents a
 * crash could lose. A crash within the next seconds can leave it empty; the next `generate` finds
 * its bytes wrong (and its stamp stale, which records the size) and writes it again. Waiting for
 * the disk was a fifth of a cold `generate --all`.
 */
import {randomBytes} from 'node:crypto'
import {closeSync, constants, fsync, lstatSync, openSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'
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

/** Random per process, so temp names cannot be guessed ahead; the counter makes each write's name unique. */
const tempNonce = randomBytes(6).toString('hex')
let tempCount = 0

/** The temp file name for a write of `file`: `.msp-tmp-<name>.<pid>.<random hex>`. */
function tempPath(file: string): string {
  return join(dirname(file), `${TEMP_PREFIX}${basename(file)}.${process.pid}.${tempNonce}${(tempCount++).toString(16)}`)
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
 *   the folder is no longer where it was checked to be (see SafeFolder.assertParentInPlace);
 *   `replacing: false`: nothing was at `file` when the caller checked, so no fsync (see the module comment)
 */
export async function writeFileAtomic(
  file: string,
  contents: string | Uint8Array,
  writes: WriteTracker,
  options: {folderExists?: boolean; checkParent?: () => void; replacing?: boolean} = {},
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
    let fd: number | undefined
    try {
      checkParent?.()
      // O_EXCL: never follow (or reuse) anything already at the temp name. Open, write, close and
      // rename are synchronous (small files into the page cache; a thread-pool round trip each cost
      // more than the call); only the fsync, which waits for the disk, leaves the event loop free.
      fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644)
      writes.assertOpen()
      writeFileSync(fd, contents)
      // The write is in the run's tracker (an interrupt waits for it) before its rename, fsync or not.
      await (options.replacing === false ? undefined : fsyncOf(fd))
      closeSync(fd)
      fd = undefined
      writes.assertOpen()
      checkParent?.()
      renameSync(tmp, file)
    } catch (error) {
      if (fd !== undefined) closeQuietly(fd)
      try {
        rmSync(tmp, {force: true})
      } catch {
        // The temp name is swept by the next run; the write's own error is the one to report.
      }
      throw fileSystemError(error, 'write', file)
    }
  })()
  await writes.track(tmp, write)
}

function fsyncOf(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())))
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Already failing: the write's own error is the one to report.
  }
}
