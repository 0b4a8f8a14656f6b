import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {DEFAULT_EDITION, editionForRelease} from '../../src/lib/edition/editions.js'
import {createEditionResolver, describeEdition} from '../../src/lib/edition/resolve.js'
import {UserError} from '../../src/lib/io/errors.js'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})))
function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'msp-edition-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

describe('editionForRelease: the edition that reproduces an sg release exactly, or a refusal', () => {
  it.each([
    // A May-2024 release: the day the original published the May-2024 operations pages.
    ['2024-05-01-09-30-0123456789abcdef0123456789abcdef01234567', '2024-05'],
    // Final releases: from the newest dated change of the final source (#64502, 2024-08-15) on.
    ['2024-08-15-00-00-abcdef1', '2024-08'],
    ['2024-08-20-10-00-abcdef1', '2024-08'],
  ])('%s → %s', (release, edition) => {
    expect(editionForRelease(release)).toEqual({edition})
  })

  it('a June-2024 release is refused, naming the changes no edition reproduces at that date', () => {
    // By 2024-06-10 the original had Pub/Sub notifications (#62596), Terraform Cloud Deploy targets
    // (#62644) and the aliased postgresql providers (#63092); 2024-05 would destroy or break them.
    const r = editionForRelease('2024-06-10-12-00-abcdef1')
    expect(r).toHaveProperty('refused')
    const reason = (r as {refused: string}).refused
    expect(reason).toMatch(
      new RegExp(
        String.raw`^up to its date the original made \d+ changes that edition 2024-05 \(2024-05-01\) does not hold, among them #62508 ` +
          String.raw`\(2024-05-07\), #62596 \(2024-05-10\), #62644 \(2024-05-13\)`,
      ),
    )
  })

  it('every release date from 2024-05-02 to 2024-08-14 is refused; none silently gets the nearest edition', () => {
    for (let d = new Date('2024-05-02T00:00:00Z'); d < new Date('2024-08-15T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      expect(editionForRelease(`${d.toISOString().slice(0, 10)}-12-00-abcdef1`), d.toISOString()).toHaveProperty('refused')
    }
  })

  it('a release older than every edition is refused', () => {
    expect(editionForRelease('2024-04-18-16-27-5c1b2a0e4f3d')).toEqual({
      refused: 'it is older than every edition msp reproduces (the oldest is 2024-05, 2024-05-01)',
    })
  })

  it('refuses what is not a release name', () => {
    expect(editionForRelease('v5.3.0')).toBeUndefined()
    expect(editionForRelease('2024-05-01')).toBeUndefined()
  })
})

describe('createEditionResolver: first match wins', () => {
  const root = repoWith({'sg-msp.lock': '2024-05-01-18-02-aaaaaaa\n', 'sg-msp-external.lock': '2024-08-20-10-00-bbbbbbb\n'})

  it('--edition beats MSP_EDITION and lockfiles', () => {
    expect(createEditionResolver({flag: '2024-08', envValue: '2024-05', root})('test')).toEqual({edition: '2024-08', source: '--edition'})
  })
  it('MSP_EDITION beats lockfiles', () => {
    expect(createEditionResolver({envValue: '2024-05', root})('external')).toEqual({edition: '2024-05', source: 'MSP_EDITION'})
  })
  it('sg-msp-<category>.lock for that category, else sg-msp.lock', () => {
    const resolve = createEditionResolver({root})
    expect(resolve('external')).toEqual({edition: '2024-08', source: 'sg-msp-external.lock', release: '2024-08-20-10-00-bbbbbbb'})
    expect(resolve('test')).toEqual({edition: '2024-05', source: 'sg-msp.lock', release: '2024-05-01-18-02-aaaaaaa'})
    expect(resolve()).toEqual({edition: '2024-05', source: 'sg-msp.lock', release: '2024-05-01-18-02-aaaaaaa'})
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
  it('a lockfile release no edition reproduces is an error naming the release, the editions and --edition', () => {
    const resolve = createEditionResolver({root: repoWith({'sg-msp.lock': '2024-06-10-12-00-ccccccc\n'})})
    let error: unknown
    try {
      resolve('test')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toContain('sg-msp.lock: msp does not reproduce sg release 2024-06-10-12-00-ccccccc exactly')
    expect((error as UserError).hint).toBe(
      'msp reproduces 2024-05 (sg releases of 2024-05-01), 2024-08 (sg releases from 2024-08-15); choose one with --edition <edition> (or MSP_EDITION), or ' +
        'pin sg-msp.lock to a release of one of them',
    )
  })
  it('describeEdition names a non-default edition and where it came from, and stays quiet for the default', () => {
    expect(describeEdition({edition: '2024-05', source: 'sg-msp.lock', release: '2024-05-01-18-02-aaaaaaa'})).toBe(
      'Using edition 2024-05 (sg-msp.lock: 2024-05-01-18-02-aaaaaaa)',
    )
    expect(describeEdition({edition: '2024-05', source: 'MSP_EDITION'})).toBe('Using edition 2024-05 (MSP_EDITION)')
    expect(describeEdition({edition: DEFAULT_EDITION, source: 'sg-msp.lock', release: '2024-08-20-10-00-bbbbbbb'})).toBeUndefined()
  })
})
