/**
 * The one entry point of `msp diff`: the comparison it was asked for, as one document of changes.
 */
import {createDeadline, DEFAULT_COMMAND_TIMEOUT_SECONDS} from '../cloud/retry.js'
import {resolveTfcConnection, tfcSecretReader} from '../cloud/tfc-auth.js'
import {createTfcClient} from '../cloud/tfc-client.js'
import type {Env} from '../io/output.js'
import type {PlanOptions, GenerateServiceInput} from '../generate/generate.js'
import type {StampStore} from '../generate/stamps.js'
import type {Change} from './changes.js'
import {diffLive} from './live.js'
import {diffWorkingTree} from './offline.js'
import {diffDocument, type DiffDocument} from './report.js'

export interface DiffOptions extends PlanOptions {
  root: string
  services: readonly GenerateServiceInput[]
  /** Compare with each workspace's state in Terraform Cloud instead of the working tree. */
  live?: boolean
  /** Environment variables and home directory (the Terraform Cloud token and address with `live`). */
  env: Env
  homeDir: string
  /** With `live`: the time limit of each workspace (its three calls together). */
  timeoutMs?: number
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
 * Compares what `msp generate` would write with the working tree, or with the applied state.
 * @param options - repo, services, selection, Terraform version, editions, live mode and progress
 */
export async function runDiff(options: DiffOptions): Promise<DiffResult> {
  if (options.live) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_SECONDS * 1000
    // Like tfc sync: the shared organization token from Secret Manager when nothing local gives one.
    const secrets = tfcSecretReader({env: options.env, timeoutMs})
    const connection = await resolveTfcConnection({env: options.env, homeDir: options.homeDir, secrets})
    const changes = await diffLive({
      ...options,
      client: () => createTfcClient({connection, deadline: createDeadline(timeoutMs)}),
    })
    return {document: diffDocument(changes), stale: []}
  }
  const changes: Change[] = []
  const tree = await diffWorkingTree({
    ...options,
    onEnvironment: (e) => {
      changes.push(...e.changes)
    },
  })
  return {document: diffDocument(changes), stale: tree.stale}
}
