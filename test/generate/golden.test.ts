import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {loadService} from '../../src/lib/spec/load.js'
import {planService} from '../../src/lib/generate/generate.js'
import {fixturesDir} from '../helpers/paths.js'

// Reviewed snapshots of generated Terraform (vitest file snapshots). They change only with
// `npx vitest run -u`, so every change to the output shows up as a diff under test/golden/terraform/.
const FIXTURES = fixturesDir
const GOLDEN = path.resolve(import.meta.dirname, '../golden/terraform')

// A service with Redis, Cloud SQL, BigQuery and a proxied domain; a scheduled job; a non-proxied domain with response-code alerts.
const SERVICES = ['msp-testbed', 'gatekeeper', 'sams']

// The loader reads services/<id>/ of a repo; the fixtures are flat, so copy them into one.
const repo = mkdtempSync(path.join(tmpdir(), 'msp-golden-'))
for (const id of SERVICES) cpSync(path.join(FIXTURES, id), path.join(repo, 'services', id), {recursive: true})
afterAll(() => rmSync(repo, {recursive: true, force: true}))

describe('golden Terraform', () => {
  it.each(SERVICES)('%s matches test/golden/terraform/<service>', async (id) => {
    const service = await loadService(repo, id)
    for (const env of planService(service)) {
      for (const file of env.files) {
        const golden = path.join(GOLDEN, id, env.envId, file.path)
        if (typeof file.contents === 'string') await expect(file.contents, path.relative(GOLDEN, golden)).toMatchFileSnapshot(golden)
        else {
          // A byte file (skaffoldsource.tar.gz) cannot be a text snapshot: compare its bytes.
          expect(existsSync(golden), `${golden} missing`).toBe(true)
          expect(Buffer.from(file.contents).equals(readFileSync(golden)), path.relative(GOLDEN, golden)).toBe(true)
        }
      }
    }
  })
})
