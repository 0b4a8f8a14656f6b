import {readFile} from 'node:fs/promises'
import {fileSystemError} from './errors.js'

/**
 * A text file's contents, or undefined when it does not exist; known system errors (permissions…)
 * become user errors naming the path.
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
