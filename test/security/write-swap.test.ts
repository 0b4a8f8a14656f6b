/**
 * A write re-checks its folder just before the temp file is created and just before the rename, also
 * when the folder is swapped while the write is under way (here: while its fsync is in flight) and
 * when the swap is higher up: a parent folder moved out of the checkout and replaced by a link to
 * where it now is, so every folder below it is still the same folder, only no longer inside the root.
 * Each case asserts the refusal and the folder outside staying byte for byte as it was.
 */
import {readdirSync, readFileSync, renameSync, rmSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {TEMP_PREFIX} from '../../src/lib/io/atomic-file.js'
import {UnsafePathError} from '../../src/lib/io/errors.js'
import {SafeFolder} from '../../src/lib/io/safe-folder.js'
import {WriteTracker} from '../../src/lib/io/write-tracker.js'
import {besideAnOutsideFolder, filesBelow} from '../helpers/files.js'

let outer: string
let handbook: string
let outside: string

/**
 * The run's tracker hears of each write once its temp file is created and written and before its
 * rename (the write waits for its fsync then): the moment a racing process swaps the folder here.
 */
class SwapDuringWrite extends WriteTracker {
  swap: (() => void) | undefined
  override async track(tmp: string, write: Promise<void>): Promise<void> {
    const swap = this.swap
    this.swap = undefined
    if (swap) {
      expect(temps(join(tmp, '..'))).toContain(tmp.split('/').pop())
      swap()
    }
    return super.track(tmp, write)
  }
}

const temps = (dir: string) => (readdirSync(dir, {recursive: true}) as string[]).filter((n) => n.split('/').pop()!.startsWith(TEMP_PREFIX))

beforeEach(() => {
  ;({outer, root: handbook, outside} = besideAnOutsideFolder('msp-swap-', 'handbook/pages/team'))
})
afterEach(() => rmSync(outer, {recursive: true, force: true}))

describe('a folder swapped while a write is under way', () => {
  it('for a link to another folder: the rename is refused, the other folder is unchanged', async () => {
    const writes = new SwapDuringWrite()
    const folder = new SafeFolder(handbook, {what: 'handbook checkout', base: 'pages', writes})
    await folder.write('team/a.md', 'first\n')
    const before = filesBelow(outside)
    writes.swap = () => {
      renameSync(join(handbook, 'pages/team'), join(handbook, 'pages/team.real'))
      symlinkSync(outside, join(handbook, 'pages/team'))
    }
    await expect(folder.write('team/b.md', 'second\n')).rejects.toThrow(/was replaced during the run/)
    expect(filesBelow(outside)).toEqual(before)
    // The temp file stays in the real folder (its path now leads elsewhere); the next run sweeps it.
    expect(readdirSync(join(handbook, 'pages/team.real')).filter((n) => !n.startsWith(TEMP_PREFIX))).toEqual(['a.md'])
  })

  it('for a link to the same folder moved out of the checkout: the next write is refused', async () => {
    const folder = new SafeFolder(handbook, {what: 'handbook checkout', base: 'pages'})
    await folder.write('team/a.md', 'first\n')
    // `pages` leaves the checkout; the link makes pages/team the very same folder, now outside.
    renameSync(join(handbook, 'pages'), join(outside, 'pages'))
    symlinkSync(join(outside, 'pages'), join(handbook, 'pages'))
    const before = filesBelow(outside)
    await expect(folder.write('team/b.md', 'second\n')).rejects.toThrow(/was replaced during the run/)
    await expect(folder.write('team/a.md', 'changed\n')).rejects.toBeInstanceOf(UnsafePathError)
    await expect(folder.remove('team/a.md')).rejects.toBeInstanceOf(UnsafePathError)
    expect(filesBelow(outside)).toEqual(before)
    expect(temps(outside)).toEqual([])
  })

  it('the same, while the write is under way: the rename is refused', async () => {
    const writes = new SwapDuringWrite()
    const folder = new SafeFolder(handbook, {what: 'handbook checkout', base: 'pages', writes})
    await folder.write('team/a.md', 'first\n')
    writes.swap = () => {
      renameSync(join(handbook, 'pages'), join(outside, 'pages'))
      symlinkSync(join(outside, 'pages'), join(handbook, 'pages'))
    }
    await expect(folder.write('team/b.md', 'second\n')).rejects.toThrow(/was replaced during the run/)
    expect(readdirSync(join(outside, 'pages/team')).filter((n) => !n.startsWith(TEMP_PREFIX))).toEqual(['a.md'])
    expect(readFileSync(join(outside, 'pages/team/a.md'), 'utf8')).toBe('first\n')
  })

  it('control: with no swap, writes in a folder checked before go through and leave no temp file', async () => {
    const folder = new SafeFolder(handbook, {what: 'handbook checkout', base: 'pages'})
    await folder.write('team/a.md', 'first\n')
    await Promise.all([folder.write('team/b.md', 'second\n'), folder.write('team/a.md', 'again\n')])
    expect(filesBelow(join(handbook, 'pages'))).toEqual({'team/a.md': 'again\n', 'team/b.md': 'second\n'})
    expect(temps(handbook)).toEqual([])
  })
})
