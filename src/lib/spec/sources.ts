/**
 * The files one service load depends on, read once. The spec cache hashes exactly these texts and the
 * loader parses exactly these texts, so an edit between the two can never store a new spec under the
 * old key. Node built-ins only: the start-up fast path reads them too.
 */
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {assertServiceContained} from '../io/contained.js'
import {readBoundedTextSync} from '../io/read-text.js'
import {serviceSpecFile} from './layout.js'

export interface ServiceSources {
  /** `service.yaml`. */
  spec: string
  /** `README.md`, when present. */
  readme?: string
  /** Every `<table>.bigquerytable.json` of the service folder, by table name. */
  tables: Record<string, string>
}

const TABLE_SUFFIX = '.bigquerytable.json'

/**
 * Reads a service folder's inputs (synchronously: a few small files, and the fast path has no time
 * for a thread-pool round trip per file). Refuses a folder or file reached through a link out of the
 * repository.
 * @param root - the repo root
 * @param id - a validated service id
 * @returns the sources, or undefined when `services/<id>/service.yaml` does not exist
 */
export function readServiceSources(root: string, id: string): ServiceSources | undefined {
  assertServiceContained(root, id)
  const dir = join(root, 'services', id)
  const spec = readIfExists(join(root, serviceSpecFile(id)))
  if (spec === undefined) return undefined
  const readme = readIfExists(join(dir, 'README.md'))
  const tables: Record<string, string> = {}
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(TABLE_SUFFIX))
    .sort()) {
    const text = readIfExists(join(dir, name))
    if (text !== undefined) tables[name.slice(0, -TABLE_SUFFIX.length)] = text
  }
  return {spec, ...(readme === undefined ? {} : {readme}), tables}
}

/** Every input through the one bounded reader: regular files only, size-capped before reading. */
function readIfExists(file: string): string | undefined {
  return readBoundedTextSync(file)
}
