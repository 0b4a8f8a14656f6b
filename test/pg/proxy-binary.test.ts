/** Where the proxy lives and which release file is fetched, as the original's `sg msp pg connect` picks them (Go's os.UserCacheDir). */
import {describe, expect, it} from 'vitest'
import {cachedProxyPath, proxyReleaseFile, publishedChecksum, userCacheDir} from '../../src/lib/pg/proxy-binary.js'

describe('cloud-sql-proxy location and release file', () => {
  it('uses the user cache dir as Go defines it: $XDG_CACHE_HOME (absolute) or ~/.cache on Linux, ~/Library/Caches on macOS', () => {
    expect(userCacheDir({XDG_CACHE_HOME: '/x/cache'}, 'linux', '/home/u')).toBe('/x/cache')
    expect(userCacheDir({XDG_CACHE_HOME: 'relative'}, 'linux', '/home/u')).toBe('/home/u/.cache')
    expect(userCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache')
    expect(userCacheDir({XDG_CACHE_HOME: '/x/cache'}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches')
    expect(cachedProxyPath('/home/u/.cache')).toBe('/home/u/.cache/sourcegraph/bin/cloud-sql-proxy/2.8.1/cloud-sql-proxy')
  })

  it('names the release file cloud-sql-proxy.<goos>.<goarch>', () => {
    expect(proxyReleaseFile('linux', 'x64')).toBe('cloud-sql-proxy.linux.amd64')
    expect(proxyReleaseFile('darwin', 'arm64')).toBe('cloud-sql-proxy.darwin.arm64')
    expect(proxyReleaseFile('linux', 'ia32')).toBe('cloud-sql-proxy.linux.386')
    expect(() => proxyReleaseFile('aix', 'ppc64')).toThrow(/no cloud-sql-proxy 2.8.1 release for aix\/ppc64/)
  })

  it("reads the sha256 of one file from the release notes' table, and nothing from other rows or malformed hashes", () => {
    const notes = [
      '| filename | sha256 hash |',
      '|----------|-------------|',
      `| [cloud-sql-proxy.darwin.amd64](https://example/v2.8.1/cloud-sql-proxy.darwin.amd64) | ${'a'.repeat(64)} |`,
      `| [cloud-sql-proxy.linux.amd64](https://example/v2.8.1/cloud-sql-proxy.linux.amd64) | ${'B'.repeat(64)} |`,
      '| [cloud-sql-proxy.linux.arm64](https://example/v2.8.1/cloud-sql-proxy.linux.arm64) | not-a-hash |',
    ].join('\n')
    expect(publishedChecksum(notes, 'cloud-sql-proxy.linux.amd64')).toBe('b'.repeat(64))
    expect(publishedChecksum(notes, 'cloud-sql-proxy.darwin.amd64')).toBe('a'.repeat(64))
    expect(publishedChecksum(notes, 'cloud-sql-proxy.linux.arm64')).toBeUndefined()
    expect(publishedChecksum(notes, 'cloud-sql-proxy.linux.386')).toBeUndefined()
  })
})
