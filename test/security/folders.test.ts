/**
 * Folders under services/ that msp cannot use are reported by every command
 * that walks the repository — naming the folder and the rule — instead of being skipped silently;
 * and a spec whose id differs from its folder resolves one way for every command.
 */
import {cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {runMsp} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'msp-folders-'))
  writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
  cpSync(join(fixturesDir, 'entitler'), join(root, 'services/entitler'), {recursive: true})
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

describe('unusable folders under services/', () => {
  it('Bad_Name, a non-ASCII name and a folder without service.yaml are reported by validate, fleet and generate --all', async () => {
    for (const name of ['Bad_Name', 'sérvice']) {
      mkdirSync(join(root, 'services', name))
      cpSync(join(fixturesDir, 'entitler/service.yaml'), join(root, 'services', name, 'service.yaml'))
    }
    mkdirSync(join(root, 'services/empty'))
    for (const args of [['validate'], ['fleet'], ['generate', '--all']]) {
      const r = await runMsp([...args, '--repo', root])
      const out = r.stdout + r.stderr
      for (const name of ['Bad_Name', 'sérvice']) {
        expect(out, `${args.join(' ')} names ${name}`).toContain(`services/${name}`)
      }
      expect(out, args.join(' ')).toMatch(/lowercase letters, digits and hyphens/)
      expect(out, args.join(' ')).toMatch(/services\/empty.*no service\.yaml/)
    }
    // validate is the CI check: an unusable folder fails it.
    expect((await runMsp(['validate', '--repo', root])).code).toBe(1)
  })
})

describe('a spec whose id differs from its folder', () => {
  it('is refused alike by tfc view, open and logs, naming both ids', async () => {
    cpSync(join(root, 'services/entitler'), join(root, 'services/renamed'), {recursive: true})
    for (const args of [
      ['tfc', 'view', 'renamed', 'prod', '--no-open'],
      ['open', 'renamed', 'prod', 'tfc', '--no-open'],
      ['logs', 'renamed', 'prod', '--no-open'],
    ]) {
      const r = await runMsp([...args, '--repo', root])
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).toBe(1)
      expect(r.stderr, args.join(' ')).toContain('service ID "entitler" must match its folder name "renamed"')
      expect(r.stdout, args.join(' ')).toBe('')
    }
  })
})
