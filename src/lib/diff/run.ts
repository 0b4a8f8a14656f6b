/**
 * The one entry point of `msp diff`: the comparison it was asked for, as one document of changes.
 */
import type {Env} from '../io/output.js'
import type {PlanOptions, GenerateServiceInput} from '../generate/generate.js'
import type {StampStore} from '../generate/stamps.js'
import {diffWorkingTree} from './offline.js'
import {diffDocument, type DiffDocument} from './report.js'
import type {Change} from './changes.js'

export interface DiffOptions extends PlanOptions {
  root: string
  services: readonly GenerateServiceInput[]
  /** Environment variables and home directory (the Terraform Cloud token and address with `live`). */
  env: Env
  homeDir: string
  /** Generation stamps of the working tree comparison. */
  stamps?: {store: StampStore; fingerprint: string}
  /** Progress lines (stderr). */
  progress?: (line: string) => void
}

export interface DiffResult {
  document: DiffDocument
  /** Environment folders the specs no longer generate (warned about, never compared). */
  stale: string[]
}

/**
 * Compares what `msp generate` would write with the working tree.
 * @param options - repo, services, selection, Terraform version, editions and progress
 */
export async function runDiff(options: DiffOptions): Promise<DiffResult> {
  const changes: Change[] = []
  const tree = await diffWorkingTree({
    ...options,
    onEnvironment: (e) => {
      changes.push(...e.changes)
    },
  })
  return {document: diffDocument(changes), stale: tree.stale}
}
