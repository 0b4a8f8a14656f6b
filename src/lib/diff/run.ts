/**
 * The one entry point of `msp diff`: the comparison it was asked for, as one document of changes.
 */
import {createDeadline, DEFAULT_COMMAND_TIMEOUT_SECONDS} from '../cloud/retry.js'
import {resolveTfcConnection, tfcSecretReader} from '../cloud/tfc-auth.js'
import {createTfcClient} from '../cloud/tfc-client.js'
import type {Env} from '../io/output.js'
import {selectEnvironments, type PlanOptions, type GenerateServiceInput} from '../generate/generate.js'
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
    // One time limit for the whole comparison (`--timeout`; by default 20 s for each environment),
    // shared by the secret read and every workspace read, as in tfc sync.
    const environments = options.services.reduce((n, service) => n + selectEnvironments(service, options).length, 0)
    const deadline = createDeadline(options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_SECONDS * 1000 * Math.max(1, environments))
    // Like tfc sync: the shared organization token from Secret Manager when nothing local gives one.
    const secrets = tfcSecretReader({env: options.env, deadline})
    const connection = await resolveTfcConnection({env: options.env, homeDir: options.homeDir, secrets})
    const client = createTfcClient({connection, deadline})
    const changes = await diffLive({...options, client: () => client})
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
