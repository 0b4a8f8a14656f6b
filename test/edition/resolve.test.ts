import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {DEFAULT_EDITION, editionForRelease} from '../../src/lib/edition/editions.js'
import {createEditionResolver, describeEdition} from '../../src/lib/edition/resolve.js'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})))
function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'msp-edition-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

describe('editionForRelease: the newest edition not later than the sg release date', () => {
  it.each([
    ['2024-01-15-10-00-abcdef1', '2024-05'], // older than every edition: the oldest
    ['2024-05-01-09-30-0123456789abcdef0123456789abcdef01234567', '2024-05'],
    ['2024-07-31-23-59-abcdef1', '2024-05'],
    ['2024-08-01-00-00-abcdef1', '2024-08'],
    ['2025-03-01-12-00-abcdef1', '2024-08'],
  ])('%s → %s', (release, edition) => {
    expect(editionForRelease(release)).toBe(edition)
  })
  it('refuses what is not a release name', () => {
    expect(editionForRelease('v5.3.0')).toBeUndefined()
    expect(editionForRelease('2024-05-01')).toBeUndefined()
  })
})

describe('createEditionResolver: first match wins', () => {
  const root = repoWith({'sg-msp.lock': '2024-04-30-18-02-aaaaaaa\n', 'sg-msp-external.lock': '2024-08-20-10-00-bbbbbbb\n'})

  it('--edition beats MSP_EDITION and lockfiles', () => {
    expect(createEditionResolver({flag: '2024-08', envValue: '2024-05', root})('test')).toEqual({edition: '2024-08', source: '--edition'})
  })
  it('MSP_EDITION beats lockfiles', () => {
    expect(createEditionResolver({envValue: '2024-05', root})('external')).toEqual({edition: '2024-05', source: 'MSP_EDITION'})
  })
  it('sg-msp-<category>.lock for that category, else sg-msp.lock', () => {
    const resolve = createEditionResolver({root})
    expect(resolve('external')).toEqual({edition: '2024-08', source: 'sg-msp-external.lock', release: '2024-08-20-10-00-bbbbbbb'})
    expect(resolve('test')).toEqual({edition: '2024-05', source: 'sg-msp.lock', release: '2024-04-30-18-02-aaaaaaa'})
    expect(resolve()).toEqual({edition: '2024-05', source: 'sg-msp.lock', release: '2024-04-30-18-02-aaaaaaa'})
  })
  it('the default without any of them', () => {
    expect(createEditionResolver({root: repoWith({})})('test')).toEqual({edition: DEFAULT_EDITION, source: 'default'})
  })
  it('unknown names and broken lockfiles are errors that say what is expected', () => {
    expect(() => createEditionResolver({flag: '2023-01'})).toThrow(/unknown edition "2023-01"[\s\S]*/)
    expect(() => createEditionResolver({envValue: 'latest'})).toThrow('MSP_EDITION: unknown edition "latest"')
    expect(() => createEditionResolver({root: repoWith({'sg-msp.lock': '  \n'})})()).toThrow('sg-msp.lock is empty')
    expect(() => createEditionResolver({root: repoWith({'sg-msp.lock': 'main'})})()).toThrow('sg-msp.lock: "main" is not an sg release name')
  })
  it('describeEdition names a non-default edition and where it came from, and stays quiet for the default', () => {
    expect(describeEdition({edition: '2024-05', source: 'sg-msp.lock', release: '2024-04-30-18-02-aaaaaaa'})).toBe(
      'Using edition 2024-05 (sg-msp.lock: 2024-04-30-18-02-aaaaaaa)',
    )
    expect(describeEdition({edition: '2024-05', source: 'MSP_EDITION'})).toBe('Using edition 2024-05 (MSP_EDITION)')
    expect(describeEdition({edition: DEFAULT_EDITION, source: 'sg-msp.lock', release: '2024-08-20-10-00-bbbbbbb'})).toBeUndefined()
  })
})
