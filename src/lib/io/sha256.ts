/**
 * SHA-256 of a few inputs, as node:crypto's `update(…).digest('hex')` gives it, for the keys the start-up
 * fast path computes (the spec cache, the help cache). Loading node:crypto pulls in some forty of Node's
 * own modules (ciphers, keys, streams): for a spec of a few kilobytes that costs a console shortcut more
 * than hashing it in plain JavaScript, which a fresh process runs slowly (and optimises at a cost), so
 * larger inputs still go to node:crypto, loaded only then. Both give the same digest; strings are hashed
 * as their UTF-8 bytes, as node:crypto does.
 */
import {createRequire} from 'node:module'

/** Up to this many bytes in all, the plain-JavaScript hash is the cheaper one in a fresh process. */
const PLAIN_JS_MAX_BYTES = 8 * 1024

/**
 * The SHA-256 of the inputs one after the other, as 64 lowercase hex digits.
 * @param parts - strings (as UTF-8) and bytes
 */
export function sha256Hex(parts: readonly (string | Uint8Array)[]): string {
  const bytes = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))
  if (bytes.reduce((n, b) => n + b.length, 0) > PLAIN_JS_MAX_BYTES) {
    // Synchronously, as spec loading is (one unit of work per spec), in ES modules and CommonJS alike.
    const {createHash} = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
    const hash = createHash('sha256')
    for (const b of bytes) hash.update(b)
    return hash.digest('hex')
  }
  const hash = new Sha256()
  for (const b of bytes) hash.update(b)
  return hash.digest()
}

// Int32Array throughout: V8 keeps 32-bit signed values as small integers, unsigned ones above 2^31 as doubles.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

/** SHA-256 (FIPS 180-4) in plain JavaScript, incremental: `new Sha256().update(a).update(b).digest()`. */
export class Sha256 {
  private readonly state = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
  private readonly block = new Uint8Array(64)
  private readonly words = new Int32Array(64)
  private filled = 0
  private length = 0
  private done = false

  /**
   * Adds data to the hash.
   * @param data - bytes, or a string (hashed as its UTF-8 bytes)
   */
  update(data: string | Uint8Array): this {
    if (this.done) throw new Error('Sha256: update after digest')
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    this.length += bytes.length
    let i = 0
    if (this.filled > 0) {
      const n = Math.min(64 - this.filled, bytes.length)
      this.block.set(bytes.subarray(0, n), this.filled)
      this.filled += n
      i = n
      if (this.filled < 64) return this
      this.compress(this.block, 0)
      this.filled = 0
    }
    for (; i + 64 <= bytes.length; i += 64) this.compress(bytes, i)
    if (i < bytes.length) {
      this.block.set(bytes.subarray(i), 0)
      this.filled = bytes.length - i
    }
    return this
  }

  /** The hash as 64 lowercase hex digits; the object takes no more data afterwards. */
  digest(): string {
    if (this.done) throw new Error('Sha256: digest called twice')
    this.done = true
    const bits = this.length * 8
    const block = this.block
    block[this.filled++] = 0x80
    if (this.filled > 56) {
      block.fill(0, this.filled)
      this.compress(block, 0)
      this.filled = 0
    }
    block.fill(0, this.filled, 56)
    // The message length in bits, big-endian, as two 32-bit halves (lengths up to 2^53 bits).
    const high = Math.floor(bits / 0x100000000)
    const low = bits >>> 0
    block[56] = high >>> 24
    block[57] = high >>> 16
    block[58] = high >>> 8
    block[59] = high
    block[60] = low >>> 24
    block[61] = low >>> 16
    block[62] = low >>> 8
    block[63] = low
    this.compress(block, 0)
    let hex = ''
    for (const word of this.state) hex += (word >>> 0).toString(16).padStart(8, '0')
    return hex
  }

  private compress(bytes: Uint8Array, at: number): void {
    const w = this.words
    for (let t = 0; t < 16; t++) {
      const j = at + t * 4
      w[t] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!
      const y = w[t - 2]!
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0
    }
    const s = this.state
    let a = s[0]!
    let b = s[1]!
    let c = s[2]!
    let d = s[3]!
    let e = s[4]!
    let f = s[5]!
    let g = s[6]!
    let h = s[7]!
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const ch = (e & f) ^ (~e & g)
      const t1 = (h + S1 + ch + K[t]! + w[t]!) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (S0 + maj) | 0
      h = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    s[0] = (s[0]! + a) | 0
    s[1] = (s[1]! + b) | 0
    s[2] = (s[2]! + c) | 0
    s[3] = (s[3]! + d) | 0
    s[4] = (s[4]! + e) | 0
    s[5] = (s[5]! + f) | 0
    s[6] = (s[6]! + g) | 0
    s[7] = (s[7]! + h) | 0
  }
}
