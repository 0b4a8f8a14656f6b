import {fileURLToPath} from 'node:url'
import {dirname, resolve} from 'node:path'

/** The repository root of msp itself. */
export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** ../shared beside the clone (read-only in CI). */
export const sharedDir = resolve(repoDir, '../shared')
export const fixturesDir = resolve(sharedDir, 'fixtures/handbook')
export const seedPage = resolve(sharedDir, 'reference/seed-cody-analytics.md')
export const examplesRepo = resolve(repoDir, 'examples/managed-services')
