import {readFileSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import type {HandbookService} from '../../src/lib/handbook/generate.js'
import {loadService} from '../../src/lib/spec/load.js'
import {makeRepoFromFixtures} from '../helpers/cli.js'
import {fixturesDir} from '../helpers/paths.js'

/** The ids of the fixture services (one folder each under fixtures/handbook). */
export const fixtureIds: string[] = readdirSync(fixturesDir, {withFileTypes: true})
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()

/**
 * A temporary service-definitions repo holding every fixture service folder as `services/<id>/`
 * (service.yaml with its README.md and BigQuery schemas beside it), so the real loader reads them.
 */
export function makeFixtureRepo(ids: readonly string[] = fixtureIds): string {
  return makeRepoFromFixtures(ids)
}

let sharedRepo: string | undefined

/** Loads a fixture service with the spec loader: the validated spec (defaults applied) and README body. */
export async function loadFixture(id: string): Promise<HandbookService> {
  sharedRepo ??= makeFixtureRepo()
  const loaded = await loadService(sharedRepo, id)
  return loaded.readme === undefined ? {spec: loaded.spec} : {spec: loaded.spec, readme: loaded.readme}
}

/** Removes the temporary repo made by {@link loadFixture}. */
export function cleanupFixtureRepo(): void {
  if (sharedRepo) rmSync(sharedRepo, {recursive: true, force: true})
  sharedRepo = undefined
}

/** A fixture's expected page. */
export function expectedPage(id: string): string {
  return readFileSync(join(fixturesDir, id, 'expected.md'), 'utf8')
}

/** The fixture graphs of a service, keyed by environment id. */
export function fixtureGraphs(id: string): Map<string, {nodes: unknown[]; edges: unknown[]}> {
  const out = new Map<string, {nodes: unknown[]; edges: unknown[]}>()
  for (const f of readdirSync(join(fixturesDir, id))) {
    const m = new RegExp(`^${id}-(.+)\\.graph\\.json$`).exec(f)
    if (m) out.set(m[1]!, JSON.parse(readFileSync(join(fixturesDir, id, f), 'utf8')))
  }
  return out
}

/**
 * Replaces the three run-dependent header lines (command, time, revision) with placeholders, as
 * FIXTURES.md allows, so pages from different runs compare byte for byte otherwise.
 */
export function withoutRunHeader(page: string): string {
  return page
    .replace(/^(Generated documentation; DO NOT EDIT\. Regenerate using this command: ).*$/m, '$1<command>')
    .replace(/^Last updated: .*$/m, 'Last updated: <time>')
    .replace(/^Generated from: .*$/m, 'Generated from: <revision>')
}
