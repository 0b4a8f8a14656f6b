/**
 * `msp gh-actions subscription-matrix` on the real published specs: the expected document is computed
 * here from the fixture YAML with the plain YAML parser (not msp's loader), then compared byte for byte.
 */
import {readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'
import {afterAll, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'

interface RawSpec {
  service: {id: string}
  environments?: {id: string; category: string; deploy?: {type?: string}}[]
}

const ids = readdirSync(fixturesDir, {withFileTypes: true})
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()
const repos: string[] = []
afterAll(() => repos.forEach((r) => rmSync(r, {recursive: true, force: true})))

function expectedFor(serviceIds: readonly string[]): string {
  const entries: string[] = []
  for (const id of [...serviceIds].sort()) {
    const raw = parse(readFileSync(join(fixturesDir, id, 'service.yaml'), 'utf8')) as RawSpec
    for (const env of raw.environments ?? []) {
      if (env.deploy?.type === 'subscription') entries.push(`{"id":"${raw.service.id}","env":"${env.id}","category":"${env.category}"}`)
    }
  }
  return entries.length === 0 ? '{"service":null}' : `{"service":[${entries.join(',')}]}`
}

describe('msp gh-actions subscription-matrix', () => {
  it('prints every subscription environment of the fixtures, services by id then spec order, as compact JSON', async () => {
    const repo = makeRepoFromFixtures(ids)
    repos.push(repo)
    const expected = expectedFor(ids)
    // The fixtures do hold subscription environments (cloud-ops, gatekeeper): the case is not vacuous.
    expect(expected).toContain('"env"')
    const r = await runMsp(['gh-actions', 'subscription-matrix'], {cwd: repo, env: {MSP_NO_CACHE: '1'}})
    expect(r).toEqual({code: 0, stdout: `${expected}\n`, stderr: ''})
  })

  it('prints {"service":null} when no environment is subscription-deployed', async () => {
    const without = ids.filter((id) => expectedFor([id]) === '{"service":null}')
    expect(without.length).toBeGreaterThan(0)
    const repo = makeRepoFromFixtures(without)
    repos.push(repo)
    const r = await runMsp(['gh-actions', 'subscription-matrix'], {cwd: repo, env: {MSP_NO_CACHE: '1'}})
    expect(r).toEqual({code: 0, stdout: '{"service":null}\n', stderr: ''})
  })

  it('is hidden from the root help', async () => {
    const r = await runMsp(['--help'])
    expect(r.stdout).not.toContain('gh-actions')
  })
})
