import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {HANDBOOK_PAGES_DIR} from '../../src/lib/handbook/generate.js'
import {withoutRunHeader} from '../handbook/fixtures.js'
import {makeRepoFromFixtures, runMsp as runCli} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'

// The built CLI with each way of choosing an edition. sams has response-code alerts (titled
// differently per edition); cloud-ops is internal without `alerting` (the Opsgenie default differs).
const IDS = ['sams', 'cloud-ops']
let cacheDir: string
const repos: string[] = []
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'msp-edition-cache-'))
})
afterAll(() => {
  for (const dir of [cacheDir, ...repos]) rmSync(dir, {recursive: true, force: true})
})
// MSP_EDITION is removed unless a test sets it, so only the selection under test applies.
const runMsp = (args: readonly string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, {env: {MSP_CACHE_DIR: cacheDir, MSP_EDITION: undefined, ...env}})

function repoWithHandbook(lockfiles: Record<string, string> = {}): {repo: string; handbook: string} {
  const repo = makeRepoFromFixtures(IDS)
  const handbook = `${repo}-handbook`
  repos.push(repo, handbook)
  mkdirSync(handbook, {recursive: true})
  writeFileSync(join(handbook, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
  for (const [name, text] of Object.entries(lockfiles)) writeFileSync(join(repo, name), text)
  return {repo, handbook}
}
const page = (handbook: string, id: string) => readFileSync(join(handbook, HANDBOOK_PAGES_DIR, `${id}.md`), 'utf8')
const published = (id: string) => readFileSync(join(fixturesDir, id, 'expected.md'), 'utf8')

describe('the published May-2024 pages come back byte for byte under the 2024-05 edition, however it is chosen', () => {
  const ways: [string, Record<string, string>, string[], Record<string, string>][] = [
    ['--edition 2024-05', {}, ['--edition', '2024-05'], {}],
    ['MSP_EDITION=2024-05', {}, [], {MSP_EDITION: '2024-05'}],
    ['an sg-msp.lock naming a May-2024 release', {'sg-msp.lock': '2024-05-01-16-27-5c1b2a0e4f3d\n'}, [], {}],
  ]
  test.each(ways)('%s', async (_, lockfiles, flags, env) => {
    const {repo, handbook} = repoWithHandbook(lockfiles)
    const r = await runMsp(['handbook', '--no-diagrams', '--repo', repo, '--handbook-path', handbook, ...flags], env)
    expect(r.stderr).not.toMatch(/Error/)
    expect(r.code).toBe(0)
    for (const id of IDS) expect(withoutRunHeader(page(handbook, id))).toBe(withoutRunHeader(published(id)))
  })

  test('the default edition shows the final catalogue instead (response-code alerts titled by the spec name)', async () => {
    const {repo, handbook} = repoWithHandbook()
    expect((await runMsp(['handbook', '--no-diagrams', '--repo', repo, '--handbook-path', handbook])).code).toBe(0)
    expect(published('sams')).toContain('#### High Ratio of 400 Responses')
    expect(page(handbook, 'sams')).toContain('#### 400\n')
    expect(page(handbook, 'sams')).not.toContain('High Ratio of')
  })
})

describe('msp generate: lockfiles per category, and it says which edition it used when not the default', () => {
  const displayNames = (repo: string, env: string) =>
    Object.values(
      (
        JSON.parse(readFileSync(join(repo, 'services/sams/terraform', env, 'stacks/monitoring/cdk.tf.json'), 'utf8')) as {
          resource: {google_monitoring_alert_policy: Record<string, {display_name: string}>}
        }
      ).resource.google_monitoring_alert_policy,
    ).map((p) => p.display_name)

  test('sg-msp-external.lock for external environments, sg-msp.lock for the others', async () => {
    const {repo} = repoWithHandbook({'sg-msp.lock': '2024-08-16-10-00-aaaaaaaaaaaa\n', 'sg-msp-external.lock': '2024-05-01-09-00-bbbbbbbbbbbb\n'})
    const r = await runMsp(['generate', 'sams', '--repo', repo])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('Using edition 2024-05 (sg-msp-external.lock: 2024-05-01-09-00-bbbbbbbbbbbb)')
    expect(r.stderr).not.toContain('Using edition 2024-08')
    expect(displayNames(repo, 'prod')).toContain('High Ratio of 400 Responses') // external
    expect(displayNames(repo, 'dev')).toContain('400') // test: sg-msp.lock, 2024-08
    expect(displayNames(repo, 'dev')).not.toContain('High Ratio of 400 Responses')
  })

  test('--edition wins over the lockfiles; the default edition is not announced', async () => {
    const {repo} = repoWithHandbook({'sg-msp.lock': '2024-04-18-16-27-5c1b2a0e4f3d\n'})
    const r = await runMsp(['generate', 'sams', '--edition', '2024-08', '--repo', repo])
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain('Using edition')
    expect(displayNames(repo, 'prod')).not.toContain('High Ratio of 400 Responses')
  })

  test.each([
    ['a June-2024 release', '2024-06-10-12-00-cccccccccccc'],
    ['a release older than every edition', '2024-04-18-16-27-5c1b2a0e4f3d'],
  ])('a lockfile naming %s is refused with the editions msp reproduces and --edition; nothing is written', async (_, release) => {
    const {repo} = repoWithHandbook({'sg-msp.lock': `${release}\n`})
    const r = await runMsp(['generate', 'sams', '--repo', repo])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`sg-msp.lock: msp does not reproduce sg release ${release} exactly`)
    expect(r.stderr).toContain('msp reproduces 2024-05 (sg releases of 2024-05-01), 2024-08 (sg releases from 2024-08-15)')
    expect(r.stderr).toContain('--edition <edition>')
    expect(existsSync(join(repo, 'services/sams/terraform'))).toBe(false)
  })

  test('an unknown edition is a usage error naming the editions', async () => {
    const {repo} = repoWithHandbook()
    const r = await runMsp(['generate', 'sams', '--repo', repo], {MSP_EDITION: '2023-12'})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('MSP_EDITION: unknown edition "2023-12"')
    expect(r.stderr).toContain('2024-05, 2024-08')
  })
})
