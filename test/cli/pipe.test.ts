/**
 * Output is never cut off in pipes: msp records its exit code and lets stdout/stderr drain instead of
 * ending the process (oclif's `execute` called process.exit, and `msp validate | cat` lost up to 70 %
 * of a large report). The same run goes once to files and once into pipes read by a slow consumer.
 */
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {Socket} from 'node:net'
import type {Readable} from 'node:stream'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {repoDir} from '../helpers/paths.js'

const SERVICES = 250
let repo: string
let scratch: string

/** A spec with several mistakes (unknown key, wrong category, too little memory, bad project id). */
function brokenSpec(id: string): string {
  return [
    'service:',
    `  id: ${id}`,
    '  owners: [core-services]',
    '  description: a broken spec for the pipe test',
    'enviroments: []',
    'environments:',
    '  - id: dev',
    '    projectID: nope-dev-4c2e',
    '    category: testing',
    '    deploy: {type: manual}',
    '    instances:',
    '      resources: {cpu: 1, memory: 128Mi}',
    '',
  ].join('\n')
}

const args = () => [join(repoDir, 'bin/run.js'), 'validate', '--repo', repo]
const env = () => ({...process.env, NODE_ENV: 'production', NO_COLOR: '1', MSP_NO_CACHE: '1'})

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'msp-pipe-repo-'))
  scratch = mkdtempSync(join(tmpdir(), 'msp-pipe-out-'))
  writeFileSync(join(repo, '.repository'), 'sourcegraph/managed-services\n')
  for (let i = 0; i < SERVICES; i++) {
    const id = `broken-${String(i).padStart(3, '0')}`
    mkdirSync(join(repo, 'services', id), {recursive: true})
    writeFileSync(join(repo, 'services', id, 'service.yaml'), brokenSpec(id))
  }
})
afterAll(() => {
  rmSync(repo, {recursive: true, force: true})
  rmSync(scratch, {recursive: true, force: true})
})

/** stdout and stderr straight into files: the OS takes every byte synchronously. */
function runToFiles(): Promise<{code: number | null; stdout: Buffer; stderr: Buffer}> {
  const out = openSync(join(scratch, 'stdout'), 'w')
  const err = openSync(join(scratch, 'stderr'), 'w')
  const child = spawn(process.execPath, args(), {env: env(), stdio: ['ignore', out, err]})
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      closeSync(out)
      closeSync(err)
      resolve({code, stdout: readFileSync(join(scratch, 'stdout')), stderr: readFileSync(join(scratch, 'stderr'))})
    })
  })
}

/** Reads a pipe slowly, so the child's writes queue up behind a full pipe buffer. */
async function slowRead(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer)
    await sleep(15)
  }
  return Buffer.concat(chunks)
}

/**
 * An OS pipe (a FIFO: 64 KiB of buffer, like `msp … | cat`), not the socket pair Node's `stdio: 'pipe'`
 * creates (whose larger buffers would hide the problem): the write end for the child, the read end
 * as a stream for the slow reader.
 */
function osPipe(name: string): {writeFd: number; reader: Readable} {
  const path = join(scratch, name)
  const made = spawnSync('mkfifo', [path])
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`)
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  const writeFd = openSync(path, constants.O_WRONLY)
  return {writeFd, reader: new Socket({fd: readFd, readable: true, writable: false})}
}

/** stdout and stderr as OS pipes (no shell in between), each consumed by a slow reader. */
async function runThroughPipes(): Promise<{code: number | null; stdout: Buffer; stderr: Buffer}> {
  const out = osPipe('stdout.fifo')
  const err = osPipe('stderr.fifo')
  const child = spawn(process.execPath, args(), {env: env(), stdio: ['ignore', out.writeFd, err.writeFd]})
  // Only the child holds the write ends now, so the readers see end-of-file when it exits.
  closeSync(out.writeFd)
  closeSync(err.writeFd)
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => resolve(code))
  })
  const [stdout, stderr, code] = await Promise.all([slowRead(out.reader), slowRead(err.reader), exited])
  return {code, stdout, stderr}
}

describe('output in pipes', () => {
  it(`msp validate over ${SERVICES} broken specs writes the same bytes to a file and through a slow pipe`, async () => {
    const file = await runToFiles()
    const pipe = await runThroughPipes()
    // The report (~150 KB) overflows a pipe buffer (64 KiB) more than twice.
    expect(file.stdout.length).toBeGreaterThan(130_000)
    expect(file.code).toBe(1)
    expect(pipe.code).toBe(1)
    expect(pipe.stdout.length).toBe(file.stdout.length)
    expect(pipe.stdout.equals(file.stdout)).toBe(true)
    expect(pipe.stderr.equals(file.stderr)).toBe(true)
    // The last service and the summary are there: nothing was cut off at the end.
    expect(pipe.stdout.toString()).toContain(`broken-${SERVICES - 1}`)
    expect(pipe.stderr.toString()).toBe(`Checked ${SERVICES} services: ${SERVICES * 4} errors, 0 warnings\n`)
  }, 120_000)
})
