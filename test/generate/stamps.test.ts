import {appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {createStampStore, serviceDigest, stampKey} from '../../src/lib/generate/stamps.js'
import {makeRepoFromFixtures, runMsp} from '../helpers/cli.js'

const dirs: string[] = []
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
})

function envWithFiles(): {envDir: string; files: string[]} {
  const envDir = temp('msp-stamp-env-')
  const files = ['.tool-versions', 'stacks/iam/cdk.tf.json', 'stacks/project/cdk.tf.json']
  for (const f of files) {
    mkdirSync(join(envDir, f, '..'), {recursive: true})
    writeFileSync(join(envDir, f), `contents of ${f}`)
  }
  return {envDir, files}
}

describe('generation stamps', () => {
  const key = stampKey({fingerprint: 'build-1', terraformVersion: '1.3.10', edition: '2024-08', serviceDigest: 'abc', envId: 'prod'})

  it('report an environment fresh only with the same key and untouched files', () => {
    const store = createStampStore(temp('msp-stamps-'))
    const {envDir, files} = envWithFiles()
    expect(store.fresh(envDir, key)).toBeUndefined()
    store.record(envDir, key, files)
    expect(store.fresh(envDir, key)).toEqual(files)
    expect(
      store.fresh(envDir, stampKey({fingerprint: 'build-2', terraformVersion: '1.3.10', edition: '2024-08', serviceDigest: 'abc', envId: 'prod'})),
    ).toBeUndefined()
  })

  it('see an edited file, a deleted file and a file added beside the generated ones', () => {
    const store = createStampStore(temp('msp-stamps-'))
    for (const change of [
      (d: string) => appendFileSync(join(d, 'stacks/iam/cdk.tf.json'), ' '),
      (d: string) => rmSync(join(d, 'stacks/project/cdk.tf.json')),
      (d: string) => writeFileSync(join(d, 'stacks/iam/extra.tf.json'), '{}'),
      (d: string) => writeFileSync(join(d, '.msp-tmp-.tool-versions.1.abcd'), ''),
    ]) {
      const {envDir, files} = envWithFiles()
      store.record(envDir, key, files)
      change(envDir)
      expect(store.fresh(envDir, key)).toBeUndefined()
    }
  })

  it('see an edit that kept the size and the mtime (cp -p, rsync -a and tar keep both; nothing can keep the ctime)', async () => {
    const store = createStampStore(temp('msp-stamps-'))
    const {envDir, files} = envWithFiles()
    const file = join(envDir, 'stacks/iam/cdk.tf.json')
    // A whole-second mtime, so that putting it back is exact to the nanosecond.
    utimesSync(file, 1_700_000_000, 1_700_000_000)
    store.record(envDir, key, files)
    const before = statSync(file, {bigint: true})
    await new Promise((resolve) => setTimeout(resolve, 20))
    writeFileSync(file, readFileSync(file, 'utf8').replace('contents', 'CONTENTS'))
    utimesSync(file, 1_700_000_000, 1_700_000_000)
    const after = statSync(file, {bigint: true})
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs])
    expect(store.fresh(envDir, key)).toBeUndefined()
  })

  it('digest every generation input of a service', () => {
    const a = serviceDigest({id: 's', spec: {x: 1}, bigQuerySchemas: {t: '[]'}})
    expect(serviceDigest({id: 's', spec: {x: 2}, bigQuerySchemas: {t: '[]'}})).not.toBe(a)
    expect(serviceDigest({id: 's', spec: {x: 1}, bigQuerySchemas: {t: '[{}]'}})).not.toBe(a)
    expect(serviceDigest({id: 's', spec: {x: 1}, bigQuerySchemas: {t: '[]'}})).toBe(a)
  })
})

describe('msp generate with stamps (incremental re-runs)', () => {
  it('gives the same bytes as a run without them, and repairs hand edits and strays on the next run', async () => {
    const withStamps = makeRepoFromFixtures(['msp-testbed', 'sams'])
    const without = makeRepoFromFixtures(['msp-testbed', 'sams'])
    dirs.push(withStamps, without)
    const cache = {MSP_CACHE_DIR: temp('msp-stamp-cache-')}
    for (let i = 0; i < 2; i++) expect((await runMsp(['generate', '--all', '--repo', withStamps], {env: cache})).code).toBe(0)
    expect((await runMsp(['generate', '--all', '--repo', without], {env: {MSP_NO_CACHE: '1'}})).code).toBe(0)
    const file = 'services/sams/terraform/prod/stacks/monitoring/cdk.tf.json'
    expect(readFileSync(join(withStamps, file), 'utf8')).toBe(readFileSync(join(without, file), 'utf8'))

    appendFileSync(join(withStamps, file), '\n// hand edit\n')
    // An obsolete stack's output (a file msp generates) is stale; foreign files would be left alone.
    mkdirSync(join(withStamps, 'services/sams/terraform/prod/stacks/retired'))
    writeFileSync(join(withStamps, 'services/sams/terraform/prod/stacks/retired/cdk.tf.json'), '{}')
    const r = await runMsp(['generate', '--all', '--repo', withStamps], {env: cache})
    // prod is sams's last rollout stage: six files besides the edited one, skaffoldsource.tar.gz included.
    expect(r.stderr).toContain('[sams] prod (external): 1 changed, 1 removed, 6 unchanged')
    expect(readFileSync(join(withStamps, file), 'utf8')).toBe(readFileSync(join(without, file), 'utf8'))
    // A changed spec is a different key: that service is rendered again.
    const spec = join(withStamps, 'services/sams/service.yaml')
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(/maxCount: \d+/, 'maxCount: 7'))
    const again = await runMsp(['generate', '--all', '--repo', withStamps], {env: cache})
    expect(again.stderr).toMatch(/\[sams\] \w+ \(\w+\): \d+ changed/)
  })
})
