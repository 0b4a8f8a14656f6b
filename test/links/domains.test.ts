/**
 * `subdomain` and `zone` are DNS names, validated where the spec is read (with
 * their position), and a domain URL is built with the URL API and refused unless it is `https:` to
 * the expected host.
 */
import {describe, expect, it} from 'vitest'
import {formatSpecIssue} from '../../src/lib/io/errors.js'
import {domainUrl, httpsUrlForHost} from '../../src/lib/links/domain.js'
import {environmentLinks} from '../../src/lib/links/environment.js'
import {parseSpec} from '../../src/lib/spec/load.js'
import {testSpec} from '../helpers/spec-builders.js'

const FILE = 'services/svc/service.yaml'

function specWithDomain(subdomain: string, zone: string): string {
  return [
    'service: {id: svc, owners: [team], description: d}',
    'environments:',
    '  - id: dev',
    '    projectID: svc-dev-1234',
    '    category: test',
    '    deploy: {type: manual}',
    '    instances: {resources: {cpu: 1, memory: 512Mi}}',
    '    domain:',
    '      type: cloudflare',
    '      cloudflare:',
    `        subdomain: ${JSON.stringify(subdomain)}`,
    `        zone: ${JSON.stringify(zone)}`,
    '',
  ].join('\n')
}

describe('spec: subdomain and zone are DNS names', () => {
  it.each([
    ['login.sourcegraph.com@evil.example/x?', 'sourcegraph.com', 'subdomain', 11],
    ['svc', 'sgdev.org\nevil', 'zone', 12],
    ['svc', 'sgdev.org/path', 'zone', 12],
    ['svc:8080', 'sgdev.org', 'subdomain', 11],
    ['-svc', 'sgdev.org', 'subdomain', 11],
    ['svc', 'org', 'zone', 12],
    ['a'.repeat(64), 'sgdev.org', 'subdomain', 11],
    ['svc', 'sgdev..org', 'zone', 12],
    ['${file("x")}', 'sgdev.org', 'subdomain', 11],
  ])('refuses subdomain %j, zone %j at the key', (subdomain, zone, key, line) => {
    const result = parseSpec(specWithDomain(subdomain, zone), {file: FILE})
    expect(result.spec).toBeUndefined()
    const errors = result.issues.filter((i) => i.severity === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({path: `environments.0.domain.cloudflare.${key}`, line})
    expect(formatSpecIssue(errors[0]!)).toMatch(new RegExp(`cloudflare\\.${key} .* must be a DNS name`))
  })

  it.each([
    ['msp-testbed', 'sgdev.org'],
    ['cody-gateway.api', 'sourcegraph.com'],
    ['a1', 'sub.example.co.uk'],
  ])('accepts subdomain %j, zone %j', (subdomain, zone) => {
    const result = parseSpec(specWithDomain(subdomain, zone), {file: FILE})
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([])
  })
})

describe('domain URLs', () => {
  it('are https URLs to the expected host', () => {
    expect(httpsUrlForHost('svc.sgdev.org')).toBe('https://svc.sgdev.org')
    expect(domainUrl({domain: {cloudflare: {subdomain: 'svc', zone: 'sgdev.org'}}})).toBe('https://svc.sgdev.org')
  })

  it.each(['login.sourcegraph.com@evil.example/x?.sourcegraph.com', 'a.b\nc', 'evil.example#.sgdev.org', 'x:1.sgdev.org', 'a b.org', ''])(
    'refuses a host that is not exactly the DNS name: %j',
    (host) => {
      expect(httpsUrlForHost(host)).toBeUndefined()
    },
  )

  it('msp open: no domain link when the domain is not a DNS name (a spec that bypassed validation)', () => {
    // Built without the loader: the links must not rely on validation having happened.
    const spec = testSpec({environments: [{}]})
    const env = {
      ...spec.environments[0]!,
      domain: {type: 'cloudflare', cloudflare: {subdomain: 'login.sourcegraph.com@evil.example/x?', zone: 'sourcegraph.com', proxied: true}},
    }
    const links = environmentLinks(spec, env)
    expect(links.find((l) => l.target === 'domain')).toBeUndefined()
    for (const link of links) expect(new URL(link.url).protocol).toBe('https:')
  })
})
