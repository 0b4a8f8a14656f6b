import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {mkdir, open, readFile, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {CancelledError} from './errors.js'

/** Prefix of every temporary file msp creates; used to sweep leftovers after an interruption. */
export const TEMP_PREFIX = '.msp-tmp-'

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
  await mkdir(dir, {recursive: true})
  const tmp = join(dir, `${TEMP_PREFIX}${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`)
  const write = (async () => {
    try {
      const handle = await open(tmp, 'w', 0o644)
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
      await rm(tmp, {force: true})
      throw error
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
    rmSync(tmp, {force: true})
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
    throw error
  }
}
