import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {mkdir, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

/** Prefix of every temporary file msp creates; used to sweep leftovers after an interruption. */
export const TEMP_PREFIX = '.msp-tmp-'

const pending = new Set<string>()

/** Temp files still being written by this process (removed by the SIGINT handler of the entry point). */
export function pendingTempFiles(): readonly string[] {
  return [...pending]
}

/**
 * Writes `contents` to `file` atomically: a temp file in the same directory, fsync, then rename,
 * so a reader (or a crash) sees either the old or the new complete file, never a partial one.
 * @param file - destination path
 * @param contents - the full new contents
 */
export async function writeFileAtomic(file: string, contents: string | Uint8Array): Promise<void> {
  const dir = dirname(file)
  await mkdir(dir, {recursive: true})
  const tmp = join(dir, `${TEMP_PREFIX}${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`)
  pending.add(tmp)
  try {
    const handle = await open(tmp, 'w', 0o644)
    try {
      await handle.writeFile(contents)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, file)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
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
export async function writeIfChanged(file: string, contents: string): Promise<WriteOutcome> {
  let current: string | undefined
  try {
    // Synchronous on purpose: comparing thousands of small files (generate --all) is several times
    // faster without a promise and a thread-pool round trip per file.
    current = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (current === contents) return 'unchanged'
  await writeFileAtomic(file, contents)
  return current === undefined ? 'created' : 'changed'
}
