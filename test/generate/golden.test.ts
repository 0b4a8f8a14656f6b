import {cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {loadService} from '../../src/lib/spec/load.js'
import {generateToFolder} from '../helpers/generated.js'
import {fixturesDir} from '../helpers/paths.js'

// Reviewed snapshots of generated Terraform (vitest file snapshots). They change only with
// `npx vitest run -u`, so every change to the output shows up as a diff under test/golden/terraform/.
// The files are the ones `msp generate` writes (generateServices, into a scratch folder).
const FIXTURES = fixturesDir
const GOLDEN = path.resolve(import.meta.dirname, '../golden/terraform')

// A service with Redis, Cloud SQL, BigQuery and a proxied domain; a scheduled job; a non-proxied domain with response-code alerts.
const SERVICES = ['msp-testbed', 'gatekeeper', 'sams']

// The loader reads services/<id>/ of a repo; the fixtures are flat, so copy them into one.
const repo = mkdtempSync(path.join(tmpdir(), 'msp-golden-'))
for (const id of SERVICES) cpSync(path.join(FIXTURES, id), path.join(repo, 'services', id), {recursive: true})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

/** Every file under a golden folder, `/`-separated and sorted. */
function goldenFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, {withFileTypes: true})
    .flatMap((e) => (e.isDirectory() ? goldenFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort()
}

describe('golden Terraform', () => {
  it.each(SERVICES)('%s matches test/golden/terraform/<service>', async (id) => {
    const service = await loadService(repo, id)
    const generated = await generateToFolder([service])
    // Exactly the reviewed files: none missing, none left over from an output msp no longer writes.
    expect(generated.flatMap((env) => [...env.files.keys()].map((f) => `${env.envId}/${f}`)).sort()).toEqual(goldenFiles(path.join(GOLDEN, id)))
    for (const env of generated) {
      for (const [file, contents] of env.files) {
        const golden = path.join(GOLDEN, id, env.envId, file)
        if (!file.endsWith('.tar.gz')) await expect(contents.toString('utf8'), path.relative(GOLDEN, golden)).toMatchFileSnapshot(golden)
        else {
          // A byte file (skaffoldsource.tar.gz) cannot be a text snapshot: compare its bytes.
          expect(existsSync(golden), `${golden} missing`).toBe(true)
          expect(contents.equals(readFileSync(golden)), path.relative(GOLDEN, golden)).toBe(true)
        }
      }
    }
  })
})
