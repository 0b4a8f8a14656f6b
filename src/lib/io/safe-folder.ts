/**
 * The one guard every write and delete of msp goes through. A service-definitions repository and a
 * handbook checkout are written by many people, not by msp: a committed symlink or a `..` in a path
 * must not make msp write or delete anything outside the folder it was asked to maintain.
 *
 * A {@link SafeFolder} takes `/`-separated relative paths only, refuses `..`, `.`, empty, absolute,
 * backslash and NUL segments, and before every access checks with `lstat` that no existing component
 * below its root — the file itself included — is a symbolic link. The root itself may be reached
 * through a symlink (a checkout under a linked home folder is fine); nothing below it may be one.
 *
 * Containment is re-checked at each file, not once per run: just before a temp file is created, just
 * before each rename and each unlink, the real path of the file's folder must still be the root's
 * real path plus the same relative folders, so a folder swapped for a symlink in the middle of a run
 * (during a long D2 render) stops the run instead of redirecting its writes. What is left is the
 * window of one system call between that check and the rename; temp files are opened with O_EXCL, so
 * the file itself can never be followed.
 *
 * A write checks cheaply (thousands of files in `generate --all`): it holds its folder open while it
 * runs, and the folder is in place when the path still leads to that open folder (same device and
 * inode, `lstat`) and the kernel's path of the open folder (`/proc/self/fd`) is the expected real
 * path — two system calls instead of resolving every component. Holding the folder open keeps its
 * inode from being reused by another folder. Whenever that quick answer is not a plain yes (another
 * folder, no `/proc`), the full real-path check decides.
 */
import {closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, type Stats} from 'node:fs'
import {readFile, rm, rmdir} from 'node:fs/promises'
import {dirname, join, relative, resolve} from 'node:path'
import {writeFileAtomic, type WriteOutcome} from './atomic-file.js'
import {fileSystemError, UnsafePathError} from './errors.js'
import {WriteTracker} from './write-tracker.js'

/** Splits a relative `/`-separated path, refusing every segment that could leave the folder. */
function segments(rel: string): string[] {
  const parts = rel.split('/')
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..' || part.includes('\\') || part.includes('\0')) {
      throw new UnsafePathError(`refusing path ${JSON.stringify(rel)}: only plain relative paths are written`)
    }
  }
  return parts
}

export interface SafeFolderOptions {
  /** What the root is, for messages: "repository", "handbook checkout". */
  what: string
  /** The run's writes in flight (see write-tracker.ts); a private tracker when omitted (tests). */
  writes?: WriteTracker
  /**
   * A folder below the root that every relative path is relative to (e.g. the handbook pages
   * folder); its components are checked like the rest.
   */
  base?: string
}

/** Whether a file's current contents (text or bytes, undefined when absent) equal the new ones. */
export function sameContents(current: string | Buffer | undefined, contents: string | Uint8Array): boolean {
  if (current === undefined) return false
  if (typeof contents === 'string') return current === contents
  return Buffer.isBuffer(current) && current.equals(contents)
}

/** A folder msp maintains; every path it hands out has been checked (see the module comment). */
export class SafeFolder {
  readonly root: string
  readonly what: string
  /** The run's writes in flight; the stale-temp sweep asks it which temp files are still being written. */
  readonly writes: WriteTracker
  private readonly base: string[]
  /** Folders already found to be real directories during this run. */
  private readonly verified = new Set<string>()
  /** The real path of the root (the root itself may be reached through a link), resolved once. */
  private realRoot: string | undefined

  constructor(root: string, options: SafeFolderOptions) {
    this.root = resolve(root)
    this.what = options.what
    this.writes = options.writes ?? new WriteTracker()
    this.base = options.base === undefined ? [] : segments(options.base)
  }

  /** The absolute path of the base folder (the root when there is no base). */
  get dir(): string {
    return join(this.root, ...this.base)
  }

  /**
   * Checks a path below the base and returns it absolute. Components that do not exist yet are fine
   * (they will be created as real folders); an existing symlink anywhere below the root is refused.
   * @param rel - `/`-separated path relative to the base; '' for the base itself
   */
  path(rel: string): string {
    return this.checked(rel).file
  }

  /**
   * {@link path}, and whether a component of it (the file itself included) was found missing, so a
   * reader need not open a file that is not there (nor throw and catch for it).
   */
  private checked(rel: string): {file: string; missing: boolean} {
    const parts = [...this.base, ...(rel === '' ? [] : segments(rel))]
    let current = this.root
    for (let i = 0; i < parts.length; i++) {
      current = join(current, parts[i]!)
      if (this.verified.has(current)) continue
      let stat: Stats | undefined
      try {
        stat = lstatSync(current, {throwIfNoEntry: false})
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw fileSystemError(error, 'read', current)
      }
      if (stat === undefined) return {file: join(this.root, ...parts), missing: true}
      if (stat.isSymbolicLink()) {
        throw new UnsafePathError(
          `${current} is a symbolic link; msp writes, deletes and reads nothing through symbolic links inside the ${this.what} ${this.root}`,
          {
            hint: 'replace the link with a real folder or file (or remove it), then run msp again',
          },
        )
      }
      if (stat.isDirectory() && i < parts.length - 1) this.verified.add(current)
    }
    return {file: current, missing: false}
  }

  /**
   * Refuses when the folder holding `file` no longer resolves to where it was checked to be (the
   * root's real path plus the same relative folders): a folder swapped for a link during the run.
   * @param file - an absolute path handed out by {@link path}
   */
  assertParentInPlace(file: string): void {
    const parent = dirname(file)
    let real: string
    try {
      this.realRoot ??= realpathSync(this.root)
      real = realpathSync(parent)
    } catch (error) {
      // Nothing there (yet): nothing can be written or removed through it either.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw fileSystemError(error, 'read', parent)
    }
    const expected = join(this.realRoot, relative(this.root, parent))
    if (real !== expected) {
      this.verified.clear()
      throw new UnsafePathError(
        `${parent} now resolves to ${real}, not ${expected}: a folder inside the ${this.what} ${this.root} was replaced during the run`,
        {
          hint: 'msp writes and deletes nothing through symbolic links; replace the link with a real folder, then run msp again',
        },
      )
    }
  }

  /**
   * Opens the folder of `file` for the time of one write and returns the check to run before each of
   * the write's steps (see the module comment): quick while the path leads to the open folder and the
   * kernel places that folder where it belongs, else {@link assertParentInPlace}. Call `release` when
   * the write is over.
   * @param file - an absolute path handed out by {@link path}
   */
  private holdParent(file: string): {check: () => void; release: () => void} {
    const slow = {check: () => this.assertParentInPlace(file), release: () => undefined}
    if (procFdMissing) return slow
    const parent = dirname(file)
    let fd: number
    try {
      fd = openSync(parent, constants.O_RDONLY | constants.O_DIRECTORY)
    } catch {
      return slow // The full check and the write itself report what is wrong.
    }
    let held: Stats
    let expected: string
    try {
      held = fstatSync(fd)
      this.realRoot ??= realpathSync(this.root)
      expected = join(this.realRoot, relative(this.root, parent))
    } catch {
      closeSync(fd)
      return slow
    }
    return {
      check: () => {
        const now = lstatSync(parent, {throwIfNoEntry: false})
        if (now?.isDirectory() && now.ino === held.ino && now.dev === held.dev && openFolderPath(fd) === expected) return
        this.assertParentInPlace(file)
      },
      release: () => closeSync(fd),
    }
  }

  /**
   * A text file's contents, or undefined when it does not exist.
   * @param rel - path relative to the base
   */
  async readText(rel: string): Promise<string | undefined> {
    const file = this.path(rel)
    try {
      return await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw fileSystemError(error, 'read', file)
    }
  }

  /**
   * Writes a file atomically (see writeFileAtomic), creating its folders.
   * @param rel - path relative to the base
   * @param contents - the full new contents
   */
  async write(rel: string, contents: string | Uint8Array): Promise<void> {
    await this.writeChecked(rel, this.path(rel), contents, {replacing: true})
  }

  /**
   * Writes a file atomically only when its bytes differ from what is on disk (mtime kept otherwise).
   * A file that did not exist is written without waiting for the disk (see writeFileAtomic).
   * @param rel - path relative to the base
   * @param contents - the full new contents
   */
  async writeIfChanged(rel: string, contents: string | Uint8Array): Promise<WriteOutcome> {
    const {file, missing} = this.checked(rel)
    const current = missing ? undefined : readExisting(file, typeof contents === 'string')
    if (sameContents(current, contents)) return 'unchanged'
    await this.writeChecked(rel, file, contents, {replacing: current !== undefined})
    return current === undefined ? 'created' : 'changed'
  }

  /**
   * The write itself, once `file` has been checked (no link below the root): creates the missing
   * folders as real folders and checks the path again, then writes with the folder held open.
   * @param rel - path relative to the base
   * @param file - its checked absolute path
   * @param contents - the full new contents
   * @param options - `replacing`: a file may be there, whose contents a crash must not lose
   */
  private async writeChecked(rel: string, file: string, contents: string | Uint8Array, options: {replacing: boolean}): Promise<void> {
    // A folder this run already checked is a real directory: no mkdir, no second check.
    if (!this.verified.has(dirname(file))) {
      try {
        // Synchronous: a thread-pool round trip cost more than creating a folder or finding it there.
        mkdirSync(dirname(file), {recursive: true})
      } catch (error) {
        throw fileSystemError(error, 'create the folder of', file)
      }
      this.path(rel)
    }
    const parent = this.holdParent(file)
    try {
      await writeFileAtomic(file, contents, this.writes, {folderExists: true, checkParent: parent.check, replacing: options.replacing})
    } finally {
      parent.release()
    }
  }

  /** Whether a path below the base exists (checked like every other path). */
  exists(rel: string): boolean {
    return !this.checked(rel).missing
  }

  /**
   * A file's bytes, or undefined when it does not exist (synchronous, like {@link readTextSync}).
   * @param rel - path relative to the base
   */
  readBytesSync(rel: string): Buffer | undefined {
    const {file, missing} = this.checked(rel)
    return missing ? undefined : (readExisting(file, false) as Buffer | undefined)
  }

  /**
   * Synchronous {@link readText}: comparing thousands of small files (generate --all) is several
   * times faster without a promise and a thread-pool round trip per file.
   * @param rel - path relative to the base
   */
  readTextSync(rel: string): string | undefined {
    const {file, missing} = this.checked(rel)
    return missing ? undefined : (readExisting(file, true) as string | undefined)
  }

  /**
   * Removes one file (nothing when it is already gone).
   * @param rel - path relative to the base
   */
  async remove(rel: string): Promise<void> {
    const file = this.path(rel)
    this.assertParentInPlace(file)
    try {
      await rm(file, {force: true})
    } catch (error) {
      throw fileSystemError(error, 'remove', file)
    }
  }

  /**
   * Every file below a folder (recursively), as paths relative to the base, `/`-separated; symbolic
   * links are listed as files (never followed); [] when the folder does not exist.
   * @param rel - folder relative to the base ('' for the base)
   */
  listFiles(rel: string): string[] {
    const dir = this.path(rel)
    let entries
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw fileSystemError(error, 'list', dir)
    }
    const out: string[] = []
    for (const e of entries) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`
      if (e.isDirectory()) out.push(...this.listFiles(child))
      else out.push(child)
    }
    return out
  }

  /**
   * Removes the empty folders below (and including) a folder; true when the folder itself was removed.
   * @param rel - folder relative to the base
   */
  async removeEmptyDirs(rel: string): Promise<boolean> {
    const dir = this.path(rel)
    let entries
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw fileSystemError(error, 'list', dir)
    }
    let empty = true
    for (const e of entries) {
      if (e.isDirectory() && (await this.removeEmptyDirs(rel === '' ? e.name : `${rel}/${e.name}`))) continue
      empty = false
    }
    if (empty) {
      this.assertParentInPlace(dir)
      await rmdir(dir).catch((error: unknown) => {
        throw fileSystemError(error, 'remove', dir)
      })
      this.verified.delete(dir)
    }
    return empty
  }
}

/**
 * A checked file's text or bytes, or undefined when it is gone.
 * @param file - an absolute path handed out by SafeFolder
 * @param text - UTF-8 text (else bytes)
 */
function readExisting(file: string, text: boolean): string | Buffer | undefined {
  try {
    return text ? readFileSync(file, 'utf8') : readFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw fileSystemError(error, 'read', file)
  }
}

/**
 * Where the kernel places an open folder now (Linux: `/proc/self/fd`), or undefined where it cannot
 * tell (another system, no `/proc`, a folder removed since it was opened).
 * @param fd - an open folder
 */
function openFolderPath(fd: number): string | undefined {
  try {
    const path = readlinkSync(`/proc/self/fd/${fd}`)
    return path.endsWith(' (deleted)') ? undefined : path
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') procFdMissing = true
    return undefined
  }
}

/** Set once `/proc/self/fd` is found missing (not Linux): writes then skip holding their folder open. */
let procFdMissing = false

/**
 * The guard of a service-definitions repository: every write and delete msp makes in it goes through it.
 * @param root - the repository root
 * @param writes - the run's writes in flight
 */
export function repositoryFolder(root: string, writes?: WriteTracker): SafeFolder {
  return new SafeFolder(root, {what: 'repository', ...(writes ? {writes} : {})})
}
