import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {expect} from 'vitest'
import {repoDir} from '../helpers/paths.js'

/**
 * Compares output with `test/golden/handbook/<name>`; with UPDATE_GOLDEN=1 the file is (re)written
 * instead, so every change to generated output shows up as a reviewed diff of that file.
 */
export function expectGolden(name: string, actual: string): void {
  const file = join(repoDir, 'test/golden/handbook', name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), {recursive: true})
    writeFileSync(file, actual)
    return
  }
  if (!existsSync(file)) throw new Error(`missing golden file ${file}; run with UPDATE_GOLDEN=1 to create it`)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}
