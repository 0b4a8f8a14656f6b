import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {TestProject} from 'vitest/node'
import {sourceHash} from '../scripts/source-hash.mjs'
import {repoDir} from './helpers/paths.js'

/**
 * One build of the code per test run: unit tests import src/ (through vitest), command tests run dist/
 * (in-process or spawned, as bin/run.js does). When dist/ was built from other sources than src/ holds
 * now (or not at all), it is rebuilt from scratch before any test runs, and again before a watch-mode
 * re-run, so that both kinds of test run the same code.
 */
function rebuildWhenStale(): void {
  let built: string | undefined
  try {
    built = (JSON.parse(readFileSync(join(repoDir, 'dist/build-info.json'), 'utf8')) as {source?: string}).source
  } catch {
    built = undefined
  }
  if (built === sourceHash(repoDir)) return
  process.stderr.write('test setup: dist/ is older than src/, rebuilding (npm run build)\n')
  // From scratch: tsc does not remove the output of a deleted source, which oclif would still load.
  rmSync(join(repoDir, 'dist'), {recursive: true, force: true})
  execFileSync('npm', ['run', '--silent', 'build'], {cwd: repoDir, stdio: ['ignore', 'ignore', 'inherit']})
}

/**
 * Tests write only to temp dirs: every msp run gets a spec cache in a fresh temp folder instead of
 * ~/.cache/msp, and every temp folder is made below one folder of the run (test workers and their
 * children inherit this environment).
 */
export default function setup(project: TestProject): () => void {
  rebuildWhenStale()
  project.onTestsRerun(() => rebuildWhenStale())
  // Every temp folder of the run — the tests', the msp runs' they start and their children's — below
  // one folder, removed at the end: a test that does not clean up after itself leaves nothing behind.
  const scratch = mkdtempSync(join(tmpdir(), 'msp-test-run-'))
  process.env.TMPDIR = scratch
  const cache = mkdtempSync(join(scratch, 'msp-test-cache-'))
  process.env.MSP_CACHE_DIR = cache
  // No network in tests: Google's auth library, in a worker or a child, never probes the metadata server.
  process.env.METADATA_SERVER_DETECTION = 'none'
  return () => rmSync(scratch, {recursive: true, force: true})
}
