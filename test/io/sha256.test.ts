/**
 * The SHA-256 the fast path hashes with (plain JavaScript for small inputs) must give node:crypto's digests:
 * a cache entry written by one process is found by the same key in every other. Checked
 * against the test vectors of FIPS 180-2 (Appendix B) and against node:crypto on random input, split
 * into random chunks (the block boundaries are where an incremental hash goes wrong).
 */
import {createHash} from 'node:crypto'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {Sha256, sha256Hex} from '../../src/lib/io/sha256.js'
import {iterations} from '../helpers/stress.js'

describe('Sha256', () => {
  it('gives the FIPS 180-2 test vectors', () => {
    expect(new Sha256().update('abc').digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(new Sha256().update('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq').digest()).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
    const million = new Sha256()
    for (let i = 0; i < 1000; i++) million.update('a'.repeat(1000))
    expect(million.digest()).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0')
    expect(new Sha256().digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  it('agrees with node:crypto on any strings and bytes, however they are split', () => {
    const part = fc.oneof(fc.string({unit: 'binary', maxLength: 300}), fc.uint8Array({maxLength: 300}))
    fc.assert(
      fc.property(fc.array(part, {maxLength: 8}), (parts) => {
        const ours = new Sha256()
        const node = createHash('sha256')
        for (const p of parts) {
          ours.update(p)
          node.update(p)
        }
        expect(ours.digest()).toBe(node.digest('hex'))
      }),
      {numRuns: iterations(3_000, 300)},
    )
  })

  it('agrees at every length around the padding boundary (55, 56, 63, 64 bytes…)', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = Uint8Array.from({length: n}, (_, i) => (i * 37 + n) & 0xff)
      expect(new Sha256().update(bytes).digest(), `length ${n}`).toBe(createHash('sha256').update(bytes).digest('hex'))
    }
  })

  it('refuses data after the digest', () => {
    const h = new Sha256()
    h.digest()
    expect(() => h.update('x')).toThrow(/after digest/)
  })
})

describe('sha256Hex', () => {
  it('gives node:crypto’s digest of the parts in turn, small (plain JavaScript) or large (node:crypto)', () => {
    const part = fc.oneof(fc.string({unit: 'binary', maxLength: 400}), fc.uint8Array({maxLength: 400}), fc.uint8Array({minLength: 5000, maxLength: 12000}))
    fc.assert(
      fc.property(fc.array(part, {maxLength: 4}), (parts) => {
        const node = createHash('sha256')
        for (const p of parts) node.update(p)
        expect(sha256Hex(parts)).toBe(node.digest('hex'))
      }),
      {numRuns: iterations(1_000, 100)},
    )
  })
})
