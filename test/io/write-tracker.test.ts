import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {isSweepableTemp, STALE_TEMP_MS, TEMP_PREFIX, writeFileAtomic} from '../../src/lib/io/atomic-file.js'
import {CancelledError} from '../../src/lib/io/errors.js'
import {WriteTracker} from '../../src/lib/io/write-tracker.js'

let dir: string
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'msp-tracker-'))))
afterEach(() => rmSync(dir, {recursive: true, force: true}))

describe('WriteTracker (an explicit object per run, no module state)', () => {
  it('two trackers are independent: draining one refuses its writes only', async () => {
    const a = new WriteTracker()
    const b = new WriteTracker()
    await a.drain(10)
    await expect(writeFileAtomic(join(dir, 'x'), 'x', a)).rejects.toBeInstanceOf(CancelledError)
    await writeFileAtomic(join(dir, 'y'), 'y', b)
    expect(readFileSync(join(dir, 'y'), 'utf8')).toBe('y')
    expect(readdirSync(dir)).toEqual(['y'])
  })

  it('temp files: unique per process and write, never swept while in flight, swept at once when their process is gone', () => {
    const writes = new WriteTracker()
    // A pid that existed and is gone: a finished child process.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!
    const deadTemp = join(dir, `${TEMP_PREFIX}cdk.tf.json.${dead}.abcdef`)
    writeFileSync(deadTemp, '')
    expect(isSweepableTemp(deadTemp, writes)).toBe(true)
    // A live process (the parent of this test worker): young temp files are its writes in progress.
    const live = join(dir, `${TEMP_PREFIX}cdk.tf.json.${process.ppid}.abcdef`)
    writeFileSync(live, '')
    expect(isSweepableTemp(live, writes)).toBe(false)
    const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000
    utimesSync(live, old, old)
    expect(isSweepableTemp(live, writes)).toBe(true)
  })
})
