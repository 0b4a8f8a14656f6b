import {randomBytes} from 'node:crypto'
import {lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {mkdir, open, readFile, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {CancelledError, fileSystemError} from './errors.js'

/** Prefix of every temporary file msp creates; used to sweep leftovers after an interruption. */
export const TEMP_PREFIX = '.msp-tmp-'

/**
 * Temp files of another process (or an older msp) younger than this are left alone: they may belong
 * to a run still writing (two `generate --all` at once). Older ones are leftovers of a killed run.
 */
export const STALE_TEMP_MS = 15 * 60 * 1000

/** The temp file name for a write of `file`: unique per process and per write. */
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
 * Whether a leftover temp file may be removed: never while one of this process's writes uses it;
 * at once when the process that created it (its id is in the name) is gone — a killed run; and
 * when that process still runs — another msp writing right now — only once the file is older than
 * {@link STALE_TEMP_MS} (the id may have been reused).
 * @param file - absolute path of a file whose name starts with {@link TEMP_PREFIX}
 * @param now - the current time (ms)
 */
export function isSweepableTemp(file: string, now = Date.now()): boolean {
  if (pending.has(file)) return false
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

/** Temp files of writes in flight, with the promise of each write (settles after its clean-up). */
const pending = new Map<string, Promise<void>>()
let stopping = false

/** Temp files still being written by this process. */
export function pendingTempFiles(): readonly string[] {
  return [...pending.keys()]
}

/**
 * For an interrupt: refuse new writes, let the ones in flight stop at their next step and remove their
 * temp files, and resolve when they all have (or after `timeoutMs`). Waiting matters: a file system
 * call already handed to the thread pool can create a temp file after any synchronous clean-up.
 * @param timeoutMs - upper bound on the wait
 */
export async function drainWrites(timeoutMs: number): Promise<void> {
  stopping = true
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.allSettled([...pending.values()]),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
    }),
  ])
  clearTimeout(timer)
}

/** True once an interrupt has started draining writes. */
export function isDraining(): boolean {
  return stopping
}

function interrupted(): Error {
  return new CancelledError('interrupted')
}

/**
 * Writes `contents` to `file` atomically: a temp file in the same directory, fsync, then rename,
 * so a reader (or a crash) sees either the old or the new complete file, never a partial one.
 * @param file - destination path
 * @param contents - the full new contents
 */
export async function writeFileAtomic(file: string, contents: string | Uint8Array): Promise<void> {
  if (stopping) throw interrupted()
  const dir = dirname(file)
  try {
    await mkdir(dir, {recursive: true})
  } catch (error) {
    throw fileSystemError(error, 'create the folder of', file)
  }
  const tmp = tempPath(file)
  const write = (async () => {
    try {
      // O_EXCL: never follow (or reuse) anything already at the temp name.
      const handle = await open(tmp, 'wx', 0o644)
      try {
        if (stopping) throw interrupted()
        await handle.writeFile(contents)
        await handle.sync()
      } finally {
        await handle.close()
      }
      if (stopping) throw interrupted()
      await rename(tmp, file)
    } catch (error) {
      await rm(tmp, {force: true}).catch(() => undefined)
      throw fileSystemError(error, 'write', file)
    }
  })()
  pending.set(tmp, write)
  try {
    await write
  } finally {
    pending.delete(tmp)
  }
}

/** The outcome of {@link writeIfChanged}. */
export type WriteOutcome = 'created' | 'changed' | 'unchanged'

/**
 * Writes the file atomically only when its bytes differ from what is on disk (mtime kept otherwise).
 * @param file - destination path
 * @param contents - the full new contents
 */
export async function writeIfChanged(file: string, contents: string | Uint8Array): Promise<WriteOutcome> {
  let current: string | Buffer | undefined
  try {
    // Synchronous on purpose: comparing thousands of small files (generate --all) is several times
    // faster without a promise and a thread-pool round trip per file.
    current = typeof contents === 'string' ? readFileSync(file, 'utf8') : readFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (typeof contents === 'string' ? current === contents : current !== undefined && Buffer.from(contents).equals(current as Buffer)) return 'unchanged'
  await writeFileAtomic(file, contents)
  return current === undefined ? 'created' : 'changed'
}

/**
 * Writes a cache file (spec cache entries, generation stamps): temp file + rename, so a reader never
 * sees half a file, but no fsync — a cache file lost or emptied by a crash is only a miss. Never
 * throws: a read-only cache folder must not break a command.
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
    // The cache is never a reason to fail: not even its clean-up (MSP_CACHE_DIR may be a file).
    try {
      rmSync(tmp, {force: true})
    } catch {
      // nothing to clean
    }
  }
}

/**
 * A text file's contents, or undefined when it does not exist (other errors propagate).
 * @param file - the path
 */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw fileSystemError(error, 'read', file)
  }
}
