/**
 * Two `msp generate --all` at once on one repository (an editor's save hook and
 * a terminal, two CI steps) must both succeed with correct output: each run's temp files are its own,
 * and neither sweeps the other's as stale.
 */
import {spawn} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'
import {iterations} from '../helpers/stress.js'

const SERVICES = iterations(120, 30)
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})), 120_000)

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}

/** A repository of `SERVICES` small services with two environments each. */
function bigRepo(): string {
  const root = tempDir('msp-concurrent-')
  writeFileSync(join(root, '.repository'), 'sourcegraph/managed-services\n')
  for (let i = 0; i < SERVICES; i++) {
    const id = `svc${String(i).padStart(3, '0')}`
    mkdirSync(join(root, 'services', id), {recursive: true})
    const env = (envId: string, category: string) =>
      `  - id: ${envId}\n    projectID: ${id}-${envId}-ab12\n    category: ${category}\n    deploy: {type: manual}\n    instances: {resources: {cpu: 1, ` +
      `memory: 512Mi}}\n`
    writeFileSync(
      join(root, 'services', id, 'service.yaml'),
      `service:\n  id: ${id}\n  owners: [team]\n  description: Service ${i}.\nenvironments:\n${env('dev', 'test')}${env('prod', 'external')}`,
    )
  }
  return root
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.set(relative(dir, p), readFileSync(p, 'utf8'))
    }
  }
  walk(dir)
  return out
}

/** `msp generate --all` as its own process; resolves with the exit code and stderr. */
function generateAll(root: string, cache: string): Promise<{code: number | null; stderr: string}> {
  return new Promise((resolve, reject) => {
    const env = {...process.env, NODE_ENV: 'production', NO_COLOR: '1', MSP_CACHE_DIR: cache}
    const child = spawn(process.execPath, [join(repoDir, 'bin/run.js'), 'generate', '--all', '--repo', root], {env, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr}))
  })
}

describe('two generate --all at once', () => {
  it(`both exit 0 over ${SERVICES} services, with the output of a single run and no temp files left`, async () => {
    const reference = bigRepo()
    // The output of a single run, in-process: the two processes at once are the behaviour, not this one.
    const single = await runMsp(['generate', '--all', '--repo', reference], {env: {MSP_CACHE_DIR: tempDir('msp-cache-')}})
    expect(single.code, single.stderr).toBe(0)
    const expected = snapshot(reference)
    expect([...expected.keys()].filter((p) => p.endsWith('cdk.tf.json'))).toHaveLength(SERVICES * 2 * 5)

    for (let round = 0; round < 2; round++) {
      const root = tempDir('msp-concurrent-')
      cpSync(join(reference, '.repository'), join(root, '.repository'))
      cpSync(join(reference, 'services'), join(root, 'services'), {
        recursive: true,
        // Round 0 starts from specs only; round 1 from a stale tree (every file to be rewritten).
        filter: (src) => round === 1 || !src.includes('/terraform'),
      })
      if (round === 1)
        for (const f of readdirSync(join(root, 'services'))) writeFileSync(join(root, 'services', f, 'terraform/prod/.tool-versions'), 'terraform 0.0.1')
      // Separate caches: each run renders and writes everything itself.
      const [a, b] = await Promise.all([generateAll(root, tempDir('msp-cache-')), generateAll(root, tempDir('msp-cache-'))])
      expect(a.code, a.stderr).toBe(0)
      expect(b.code, b.stderr).toBe(0)
      expect(snapshot(root)).toEqual(expected)
    }
  }, 300_000)
})
