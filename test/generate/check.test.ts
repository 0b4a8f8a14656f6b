/**
 * `msp generate --check` compares content, not the size and mtime the incremental stamps trust: a
 * generated file edited in place with its size and mtime kept (`rsync -a`, `tar`, `cp -p`, a CI cache)
 * fails the check, and so does the folder of an environment removed from the spec. Every such path
 * is named, in text and in --json; `generate` warns about a stale folder and never deletes it.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseDocument} from 'yaml'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'

let repo: string
beforeEach(async () => {
  repo = makeRepoFromFixtures(['cody-analytics', 'gatekeeper'])
  // Generated once with the generation stamps on (the test cache dir), so a re-run trusts them.
  const first = await runMsp(['generate', '--all', '--repo', repo])
  expect(first.code, first.stderr).toBe(0)
})
afterEach(() => {
  rmSync(repo, {recursive: true, force: true})
  rmSync(`${repo}.ref`, {force: true})
})

const FILE = 'services/cody-analytics/terraform/prod/stacks/cloudrun/cdk.tf.json'

/** Edits one byte of a generated file in place and restores its mtime to the nanosecond, as `cp -p` would. */
function editKeepingSizeAndMtime(rel: string): void {
  const file = join(repo, rel)
  const ref = `${repo}.ref`
  expect(spawnSync('cp', ['-p', file, ref]).status).toBe(0)
  const before = statSync(file, {bigint: true})
  const text = readFileSync(file, 'utf8')
  const at = text.indexOf('cody-analytics-prod')
  expect(at).toBeGreaterThan(0)
  writeFileSync(file, `${text.slice(0, at)}k${text.slice(at + 1)}`)
  expect(spawnSync('touch', ['-r', ref, file]).status).toBe(0)
  const after = statSync(file, {bigint: true})
  expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs])
  expect(readFileSync(file, 'utf8')).not.toBe(text)
}

/** Removes the dev environment from the cody-analytics spec (comments and the rest kept). */
function removeDevEnvironment(): void {
  const file = join(repo, 'services/cody-analytics/service.yaml')
  const doc = parseDocument(readFileSync(file, 'utf8'))
  const envs = doc.get('environments') as {items: {get: (k: string) => unknown}[]}
  const i = envs.items.findIndex((e) => e.get('id') === 'dev')
  expect(i).toBeGreaterThanOrEqual(0)
  envs.items.splice(i, 1)
  writeFileSync(file, doc.toString())
}

describe('generate --check', () => {
  it('fails for a same-size, same-mtime edit and names the file (text)', async () => {
    editKeepingSizeAndMtime(FILE)
    const r = await runMsp(['generate', '--all', '--check', '--repo', repo])
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toBe(`${FILE}\n`)
    expect(r.stderr).toContain('Error: 1 generated file is out of date')
    expect(r.stderr).not.toContain('✓')
    // The check wrote nothing: the edit is still there.
    expect(readFileSync(join(repo, FILE), 'utf8')).toContain('kody-analytics-prod')
  })

  it('fails for a same-size, same-mtime edit and names the file (--json)', async () => {
    editKeepingSizeAndMtime(FILE)
    const r = await runMsp(['generate', '--all', '--check', '--json', '--repo', repo])
    expect(r.code, r.stderr).toBe(1)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({ok: false, changed: [FILE], stale: []})
  })

  it("fails for a removed environment's folder, naming it (text and --json); the folder stays", async () => {
    removeDevEnvironment()
    const text = await runMsp(['generate', '--all', '--check', '--repo', repo])
    expect(text.code, text.stderr).toBe(1)
    expect(text.stdout).toBe('services/cody-analytics/terraform/dev/\n')
    expect(text.stderr).toContain('not generated from the spec')
    expect(text.stderr).not.toContain('✓')
    const json = await runMsp(['generate', '--all', '--check', '--json', '--repo', repo])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ok: false, changed: [], stale: ['services/cody-analytics/terraform/dev/']})
    expect(existsSync(join(repo, 'services/cody-analytics/terraform/dev/stacks/cloudrun/cdk.tf.json'))).toBe(true)
  })

  it('passes when nothing differs', async () => {
    const r = await runMsp(['generate', '--all', '--check', '--json', '--repo', repo])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ok: true, changed: [], stale: []})
  })
})

describe('generate after an environment was removed', () => {
  it('warns about the stale folder, names it, exits 0 and never deletes it', async () => {
    removeDevEnvironment()
    const r = await runMsp(['generate', '--all', '--repo', repo])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^warning: services\/cody-analytics\/terraform\/dev\/ is not generated from the spec/m)
    expect(existsSync(join(repo, 'services/cody-analytics/terraform/dev/stacks/cloudrun/cdk.tf.json'))).toBe(true)
    const json = await runMsp(['generate', 'cody-analytics', '--json', '--repo', repo])
    expect(JSON.parse(json.stdout).stale).toEqual(['services/cody-analytics/terraform/dev/'])
  })
})
