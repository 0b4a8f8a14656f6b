import {fileURLToPath} from 'node:url'
import {dirname, resolve} from 'node:path'

/** The repository root of msp itself. */
export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** Facts about the original, vendored with their origin (test/fixtures/ORIGIN.md). */
export const fixturesRoot = resolve(repoDir, 'test/fixtures')
export const fixturesDir = resolve(fixturesRoot, 'handbook')
export const seedPage = resolve(fixturesRoot, 'reference/seed-cody-analytics.md')
export const examplesRepo = resolve(repoDir, 'examples/managed-services')
/** A service-definitions repository of specs written for msp's tests, one per feature no handbook fixture uses. */
export const featuresRepo = resolve(fixturesRoot, 'features')
