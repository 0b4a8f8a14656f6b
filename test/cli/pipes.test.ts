/**
 * A reader that goes away (`| head -1`) must not abort work or change its exit status: the built CLI
 * runs under bash exactly as a user pipes it, and the files it writes are compared byte for byte with
 * those of the same run whose output nobody closed. MSP_PIPE_SERVICES scales the repository (40
 * synthetic services by default, 150 under MSP_STRESS=1): generate and handbook print a line per
 * environment or page as they go, so every write after `head` has exited meets the closed pipe.
 */
import {spawn} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writeSyntheticRepo} from '../../bench/synthetic.mjs'
import {runMsp} from '../helpers/cli.js'
import {repoDir} from '../helpers/paths.js'
import {iterations} from '../helpers/stress.js'

const COUNT = Number(process.env.MSP_PIPE_SERVICES ?? iterations(150, 40))
let work: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'msp-pipes-'))
  ;(writeSyntheticRepo as (dir: string, count: number) => void)(join(work, 'repo'), COUNT)
})
afterAll(() => rmSync(work, {recursive: true, force: true}))

/**
 * Runs `msp <args> <redirect> | head -<lines>` in bash (`| true` with lines 0: the reader is gone
 * before msp writes anything); resolves msp's own exit status and what the reader printed.
 */
function piped(
  args: string,
  options: {cwd: string; redirect?: string; lines?: number; env?: Record<string, string>},
): Promise<{status: number; shown: string}> {
  const msp = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoDir, 'bin/run.js'))} ${args} ${options.redirect ?? '2>&1'}`
  return new Promise((resolve, reject) => {
    const reader = options.lines === 0 ? 'true' : `head -${options.lines ?? 1}`
    // --norc: bash reads ~/.bashrc when its stdin is a socket (as Node's pipes are), as if sshd had started it; the user's rc files are not the test's.
    const child = spawn('bash', ['--norc', '--noprofile', '-c', `${msp} | ${reader}; exit \${PIPESTATUS[0]}`], {
      cwd: options.cwd,
      env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', MSP_NO_CACHE: '1', ...options.env},
    })
    let shown = ''
    child.stdout.on('data', (d) => (shown += d))
    child.on('error', reject)
    child.on('close', (status) => resolve({status: status ?? -1, shown}))
  })
}

/** Every file under `dir`, path → bytes. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (d: string) => {
    for (const entry of readdirSync(d, {withFileTypes: true})) {
      const path = join(d, entry.name)
      if (entry.isDirectory()) walk(path)
      else files.set(relative(dir, path), readFileSync(path, 'latin1'))
    }
  }
  walk(dir)
  return files
}

describe('closed pipes never abort work', () => {
  it('generate --all 2>&1 | head -1 writes every file the unpiped run writes, byte for byte, and exits with the work status (0)', async () => {
    const plain = join(work, 'plain')
    const pipedRepo = join(work, 'piped')
    cpSync(join(work, 'repo'), plain, {recursive: true})
    cpSync(join(work, 'repo'), pipedRepo, {recursive: true})
    const reference = await runMsp(['generate', '--all'], {cwd: plain, env: {MSP_NO_CACHE: '1'}})
    expect(reference.code, reference.stderr).toBe(0)
    const r = await piped('generate --all', {cwd: pipedRepo})
    expect(r.shown.split('\n').filter(Boolean)).toHaveLength(1)
    expect(r.status).toBe(0)
    const want = tree(plain)
    const got = tree(pipedRepo)
    expect(got.size).toBe(want.size)
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [path, bytes] of want) if (got.get(path) !== bytes) expect.fail(`${path} differs`)
  }, 180_000)

  it('validate 2>&1 | head -2 (and | true, the reader gone before the first line) exits 0 when validation passed', async () => {
    const r = await piped('validate', {cwd: join(work, 'repo'), lines: 2})
    expect(r.shown.split('\n').filter(Boolean)).toHaveLength(2)
    expect(r.status).toBe(0)
    expect((await piped('validate', {cwd: join(work, 'repo'), lines: 0})).status).toBe(0)
  }, 120_000)

  it('validate | head -1 (stdout only) exits 0, and an invalid spec still exits 1 through the pipe', async () => {
    expect((await piped('validate', {cwd: join(work, 'repo'), redirect: '2>/dev/null'})).status).toBe(0)
    const broken = join(work, 'broken')
    cpSync(join(work, 'repo'), broken, {recursive: true})
    writeFileSync(join(broken, 'services', 'svc-0001', 'service.yaml'), 'service: {id: svc-0001, owners: 12}\n')
    expect((await piped('validate', {cwd: broken, lines: 1})).status).toBe(1)
  }, 120_000)

  it('handbook 2>&1 | head -1 writes every page the unpiped run writes, and exits with the work status (0)', async () => {
    const handbook = (name: string) => {
      const dir = join(work, name)
      mkdirSync(dir, {recursive: true})
      writeFileSync(join(dir, 'package.json'), JSON.stringify({name: '@sourcegraph/handbook.sourcegraph.com'}))
      return dir
    }
    const plain = handbook('handbook-plain')
    const pipedDir = handbook('handbook-piped')
    const reference = await runMsp(['handbook', '--no-diagrams', '--handbook-path', plain, '--generate-command', 'msp handbook'], {
      cwd: join(work, 'repo'),
      env: {MSP_NO_CACHE: '1', SOURCE_DATE_EPOCH: '1700000000'},
    })
    expect(reference.code, reference.stderr).toBe(0)
    const r = await piped(`handbook --no-diagrams --handbook-path ${pipedDir} --generate-command "msp handbook"`, {
      cwd: join(work, 'repo'),
      env: {SOURCE_DATE_EPOCH: '1700000000'},
    })
    expect(r.status).toBe(0)
    const want = tree(plain)
    const got = tree(pipedDir)
    expect(got.size).toBeGreaterThan(COUNT)
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [path, bytes] of want) if (got.get(path) !== bytes) expect.fail(`${path} differs`)
  }, 180_000)
})
