import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'

describe('ids and paths', () => {
  it('refuses a service folder that is a symlink out of the repository', async () => {
    const repo = makeRepoFromFixtures([])
    const outside = mkdtempSync(join(tmpdir(), 'msp-outside-'))
    writeFileSync(join(outside, 'service.yaml'), readFileSync(join(fixturesDir, 'cody-analytics/service.yaml')))
    mkdirSync(join(repo, 'services'), {recursive: true})
    symlinkSync(outside, join(repo, 'services', 'cody-analytics'))
    const r = await runMsp(['logs', 'cody-analytics', 'prod'], {cwd: repo})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('outside the repository')
    expect(r.stdout).toBe('')
    rmSync(repo, {recursive: true, force: true})
    rmSync(outside, {recursive: true, force: true})
  })

  it('treats ids with path or URL syntax as unknown services, never as paths', async () => {
    const repo = makeRepoFromFixtures(['cody-analytics'])
    for (const id of ['../cody-analytics', '/etc', 'cody-analytics/../cody-analytics', 'a%2F..', 'x?y', 'UPPER']) {
      const r = await runMsp(['logs', id, 'prod'], {cwd: repo})
      expect(r.code, id).toBe(2)
      expect(r.stderr).toContain(`unknown service "${id}"`)
    }
    rmSync(repo, {recursive: true, force: true})
  })
})
