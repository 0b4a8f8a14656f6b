/**
 * The one bounded reader for the files msp reads as data (specs, READMEs, BigQuery table schemas,
 * cache entries, credentials files): a file is opened without blocking, refused unless it is a
 * regular file (a FIFO in place of a README would block msp forever, a device would never end), and
 * refused past a size limit before its contents are read. JSON documents are checked for nesting
 * before they are parsed, so a hostile file gives an error naming it instead of a stack overflow.
 */
import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'
import {fileSystemError, UserError} from './errors.js'

/**
 * The largest spec-side file read (service.yaml, README.md, `*.bigquerytable.json`): four bytes per
 * character of the spec loader's 1 Mi-character limit, so the reader never refuses a file the loader
 * would accept, and never reads more than this.
 */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024

/** Deeper JSON is refused before parsing (a BigQuery schema nests a few levels per RECORD field). */
export const MAX_JSON_NESTING = 64

/** A file that is not a regular file or is too large to be read. */
export class UnreadableFileError extends UserError {
  override readonly name = 'UnreadableFileError'
}

const KINDS: readonly [(s: ReturnType<typeof fstatSync>) => boolean, string][] = [
  [(s) => s.isDirectory(), 'a folder'],
  [(s) => s.isFIFO(), 'a named pipe (FIFO)'],
  [(s) => s.isSocket(), 'a socket'],
  [(s) => s.isCharacterDevice() || s.isBlockDevice(), 'a device'],
]

/**
 * A file's text, or undefined when it does not exist; refused (UnreadableFileError) when it is not a
 * regular file or larger than `maxBytes`; other known system errors name the path.
 * @param file - the path
 * @param maxBytes - the largest size read (default {@link MAX_INPUT_BYTES})
 */
export function readBoundedTextSync(file: string, maxBytes = MAX_INPUT_BYTES): string | undefined {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait; the type check below then refuses it.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    if (code === 'ENXIO') throw notRegular(file, 'a socket or a device')
    throw fileSystemError(error, 'read', file)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw notRegular(file, KINDS.find(([is]) => is(stat))?.[1] ?? 'not a regular file')
    if (stat.size > maxBytes) throw tooLarge(file, stat.size, maxBytes)
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1)
    let length = 0
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      // The file grew after fstat: still bounded.
      if (length > maxBytes) throw tooLarge(file, length, maxBytes)
      if (length === buffer.length) break
    }
    return buffer.toString('utf8', 0, length)
  } catch (error) {
    throw fileSystemError(error, 'read', file)
  } finally {
    closeSync(fd)
  }
}

function notRegular(file: string, kind: string): UnreadableFileError {
  return new UnreadableFileError(`${file} is ${kind}, not a regular file; msp reads only regular files here`, {
    hint: 'replace it with a regular file (or remove it), then run msp again',
  })
}

function tooLarge(file: string, size: number, maxBytes: number): UnreadableFileError {
  return new UnreadableFileError(`${file} is too large: ${size} bytes, at most ${maxBytes} are read`, {
    hint: 'a spec and its side files are a few kilobytes; check that this is the file you meant',
  })
}

/**
 * A text file's contents, or undefined when it does not exist; bounded as {@link readBoundedTextSync}.
 * @param file - the path
 * @param maxBytes - the largest size read
 */
export async function readTextIfExists(file: string, maxBytes = MAX_INPUT_BYTES): Promise<string | undefined> {
  return readBoundedTextSync(file, maxBytes)
}

/**
 * The nesting depth of a JSON text (brackets outside strings), in one linear pass; stops counting
 * past `limit`.
 * @param text - JSON text
 * @param limit - the depth past which the scan stops
 */
export function jsonNesting(text: string, limit = MAX_JSON_NESTING): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth
      if (deepest > limit) return deepest
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return deepest
}

/**
 * Parses JSON from outside msp: nesting is checked first (JSON.parse and every later walk recurse per
 * level), then the syntax. Throws a UserError naming `what` for either problem.
 * @param text - the JSON text
 * @param what - the file or source, for messages
 * @param limit - the deepest nesting accepted
 */
export function parseBoundedJson(text: string, what: string, limit = MAX_JSON_NESTING): unknown {
  if (jsonNesting(text, limit) > limit) throw new UserError(`${what}: JSON is nested too deeply: more than ${limit} levels`)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new UserError(`${what}: ${(error as Error).message}`)
  }
}
