import {spawn} from 'node:child_process'
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {TEMP_PREFIX} from '../../src/lib/io/atomic-file.js'
import {runMsp} from '../helpers/cli.js'
import {examplesRepo, fixturesDir, repoDir} from '../helpers/paths.js'
import {iterations} from '../helpers/stress.js'

const ITERATIONS = Number(process.env.MSP_KILL_ITERATIONS ?? iterations(50, 8))
/** Ctrl-C moments, spread evenly from 40 % to 94 % of a full run. */
const INTERRUPTS = iterations(10, 4)

/** Every file under the repo's services/*\/terraform folders, by repo-relative path. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, {withFileTypes: true})) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else files.set(relative(root, p), readFileSync(p, 'utf8'))
    }
  }
  for (const svc of readdirSync(join(root, 'services'))) {
    const tf = join(root, 'services', svc, 'terraform')
    try {
      if (statSync(tf).isDirectory()) walk(tf)
    } catch {
      // A service not generated yet has no terraform folder.
    }
  }
  return files
}

function spawnGenerate(root: string, env: Record<string, string>) {
  return spawn(process.execPath, [join(repoDir, 'bin/run.js'), 'generate', '--all', '--repo', root], {
    env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', ...env},
    stdio: 'ignore',
  })
}

let base: string
let oldFiles: Map<string, string>
let newFiles: Map<string, string>
let fullRunMs: number

beforeAll(async () => {
  // A repo with the bundled examples and every published fixture service, generated once ("old").
  base = mkdtempSync(join(tmpdir(), 'msp-kill-base-'))
  cpSync(examplesRepo, base, {recursive: true})
  for (const id of readdirSync(fixturesDir, {withFileTypes: true}).filter((e) => e.isDirectory())) {
    cpSync(join(fixturesDir, id.name), join(base, 'services', id.name), {recursive: true})
  }
  expect((await runMsp(['generate', '--all', '--repo', base])).code).toBe(0)
  oldFiles = snapshot(base)
  // The "new" version of every file: another Terraform version changes every generated file.
  const next = mkdtempSync(join(tmpdir(), 'msp-kill-new-'))
  cpSync(base, next, {recursive: true})
  const started = Date.now()
  expect((await runMsp(['generate', '--all', '--repo', next], {env: {MSP_TERRAFORM_VERSION: '1.9.8'}})).code).toBe(0)
  fullRunMs = Date.now() - started
  newFiles = snapshot(next)
  rmSync(next, {recursive: true, force: true})
}, 120_000)

afterAll(() => rmSync(base, {recursive: true, force: true}))

describe('nothing lost, nothing half-written', () => {
  it('every generated file differs between the two versions (so the check below means something)', () => {
    expect(oldFiles.size).toBeGreaterThan(100)
    expect([...newFiles.keys()].sort()).toEqual([...oldFiles.keys()].sort())
    for (const [path, contents] of newFiles) {
      // The rollout pipeline's skaffoldsource.tar.gz is the same bytes whatever the Terraform version.
      if (path.endsWith('/skaffoldsource.tar.gz')) continue
      expect(contents, path).not.toBe(oldFiles.get(path))
    }
  })

  it(`SIGKILL at random moments of generate --all leaves each file old or new, complete (${ITERATIONS} runs)`, async () => {
    let killedMidway = 0
    for (let i = 0; i < ITERATIONS; i++) {
      const root = mkdtempSync(join(tmpdir(), 'msp-kill-'))
      cpSync(base, root, {recursive: true})
      const child = spawnGenerate(root, {MSP_TERRAFORM_VERSION: '1.9.8'})
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      // Spread the kill over the whole run, start-up included.
      await new Promise((r) => setTimeout(r, Math.random() * fullRunMs * 1.1))
      child.kill('SIGKILL')
      if ((await exited) === null) killedMidway++
      const after = snapshot(root)
      for (const [path, contents] of after) {
        if (path.split('/').pop()!.startsWith(TEMP_PREFIX)) continue // an unfinished write: never renamed into place
        expect(contents === oldFiles.get(path) || contents === newFiles.get(path), `${path} is neither the old nor the new version`).toBe(true)
      }
      for (const path of oldFiles.keys()) expect(after.has(path), `${path} was lost`).toBe(true)
      // The next run completes the work and sweeps any temp file left by the killed one.
      if (i % 10 === 0 || i === ITERATIONS - 1) {
        expect((await runMsp(['generate', '--all', '--repo', root], {env: {MSP_TERRAFORM_VERSION: '1.9.8'}})).code).toBe(0)
        expect(snapshot(root)).toEqual(newFiles)
      }
      rmSync(root, {recursive: true, force: true})
    }
    expect(killedMidway).toBeGreaterThan(ITERATIONS / 4)
  }, 600_000)

  it(`Ctrl-C (SIGINT) exits 130 and leaves no temp files (${INTERRUPTS} runs)`, async () => {
    for (let i = 0; i < INTERRUPTS; i++) {
      const root = mkdtempSync(join(tmpdir(), 'msp-int-'))
      cpSync(base, root, {recursive: true})
      const child = spawnGenerate(root, {MSP_TERRAFORM_VERSION: '1.9.8'})
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      await new Promise((r) => setTimeout(r, fullRunMs * (0.4 + (0.54 * i) / Math.max(1, INTERRUPTS - 1))))
      child.kill('SIGINT')
      const code = await exited
      // null: the signal arrived during start-up, before any write could begin (default handler).
      expect([0, 130, null]).toContain(code)
      const after = snapshot(root)
      expect(
        [...after.keys()].filter((p) => p.includes(TEMP_PREFIX)),
        `exit code ${code}`,
      ).toEqual([])
      for (const [path, contents] of after) expect(contents === oldFiles.get(path) || contents === newFiles.get(path)).toBe(true)
      rmSync(root, {recursive: true, force: true})
    }
  }, 300_000)
})
