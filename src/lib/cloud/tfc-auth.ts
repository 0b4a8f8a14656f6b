/**
 * Where Terraform Cloud is and which credentials to use: Terraform's own conventions first (variables,
 * `terraform login`'s file), then the shared secrets the original `sg msp` read from Google Secret
 * Manager. The one home of TFC credentials for every command (`tfc sync`, `diff --live`, `doctor`).
 */
import {jsonNesting, MAX_JSON_NESTING, readBoundedTextSync} from '../io/read-text.js'
import {join} from 'node:path'
import {UserError, UsageError} from '../io/errors.js'
import {isSecureOrLoopback} from '../io/transport.js'
import type {Env} from '../io/output.js'
import {registerSecret} from '../io/secrets.js'
import {GoogleCallError} from './google-client.js'
import {createDeadline, DEFAULT_COMMAND_TIMEOUT_SECONDS, type Deadline} from './retry.js'
import {connectSecretManager, type SecretManagerApi} from './secret-manager.js'

export const DEFAULT_TFE_ADDRESS = 'https://app.terraform.io'

/** The Google project holding MSP's shared secrets, as the original names it. */
export const TFC_SECRETS_PROJECT = 'sourcegraph-secrets'
/** The secret with the Terraform Cloud organization token (manages workspaces; cannot start runs). */
export const TFC_TOKEN_SECRET = 'TFC_ORGANIZATION_TOKEN'
/** The secret with the id of the OAuth client that connects VCS-mode workspaces to GitHub. */
export const TFC_OAUTH_CLIENT_SECRET = 'TFC_OAUTH_CLIENT_ID'

/** Reads one shared secret; connects to Secret Manager on first use only. */
export type TfcSecretReader = (secretId: string) => Promise<string>

/**
 * A reader of the shared TFC secrets in {@link TFC_SECRETS_PROJECT}: Application Default Credentials (or
 * SECRET_MANAGER_EMULATOR_HOST), connected lazily, once, and shared by the token and the client id.
 * @param options - environment variables, the time limit (`deadline`: the run's own, shared; else
 *   `timeoutMs` from the first read), or an injected API
 */
export function tfcSecretReader(options: {env: Env; timeoutMs?: number; deadline?: Deadline; api?: () => Promise<SecretManagerApi>}): TfcSecretReader {
  let api: Promise<SecretManagerApi> | undefined
  const deadline = () => options.deadline ?? createDeadline(options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_SECONDS * 1000)
  const connect = options.api ?? (() => connectSecretManager({env: options.env, deadline: deadline()}))
  return async (secretId) => {
    api ??= connect()
    return (await (await api).accessLatest(TFC_SECRETS_PROJECT, secretId)).trim()
  }
}

/** Why a shared secret could not be read, in a few words for a hint (never the value). */
function secretFailure(error: unknown): string {
  if (error instanceof GoogleCallError) {
    const words: Partial<Record<GoogleCallError['kind'], string>> = {
      'permission-denied': 'permission denied',
      'not-found': 'no such secret',
      unauthenticated: 'Google credentials rejected',
      'api-disabled': 'the Secret Manager API is not enabled',
    }
    return words[error.kind] ?? error.message
  }
  return error instanceof Error ? error.message : String(error)
}

/** Reads a shared secret; undefined with the reason when it cannot be read or is empty. */
async function readSharedSecret(secrets: TfcSecretReader | undefined, secretId: string): Promise<{value?: string; failure?: string}> {
  if (!secrets) return {failure: 'not looked up'}
  try {
    const value = await secrets(secretId)
    return value ? {value} : {failure: 'the secret is empty'}
  } catch (error) {
    return {failure: secretFailure(error)}
  }
}

/** An address and a token; the token never leaves this object except in the Authorization header. */
export interface TfcConnection {
  /** e.g. `https://app.terraform.io` (no trailing slash). */
  address: string
  /** `<address>/api/v2`. */
  apiBase: string
  token: string
  /** Where the token came from, for messages (never the token itself). */
  tokenSource: string
}

/**
 * Finds the TFC address (TFE_ADDRESS, default app.terraform.io) and token: TFE_TOKEN, then
 * TF_TOKEN_<host> (e.g. TF_TOKEN_app_terraform_io), then ~/.terraform.d/credentials.tfrc.json, then (for
 * app.terraform.io only: the organization token is never sent to another host) the secret
 * TFC_ORGANIZATION_TOKEN of sourcegraph-secrets. Missing everywhere is a UserError (exit 1).
 * @param options - environment variables, the home directory and the shared-secret reader (injected so tests control all three)
 */
export async function resolveTfcConnection(options: {env: Env; homeDir: string; secrets?: TfcSecretReader}): Promise<TfcConnection> {
  const connection = await findConnection(options)
  // From now on the token is redacted from every message, whoever echoes it.
  registerSecret(connection.token)
  return connection
}

async function findConnection(options: {env: Env; homeDir: string; secrets?: TfcSecretReader}): Promise<TfcConnection> {
  const {env, homeDir} = options
  const address = normalizeAddress(env.TFE_ADDRESS || DEFAULT_TFE_ADDRESS)
  const host = new URL(address).host
  const apiBase = `${address}/api/v2`
  if (env.TFE_TOKEN) return {address, apiBase, token: env.TFE_TOKEN, tokenSource: 'TFE_TOKEN'}
  const hostVar = tokenVariableFor(host)
  if (env[hostVar]) return {address, apiBase, token: env[hostVar]!, tokenSource: hostVar}
  const file = join(homeDir, '.terraform.d', 'credentials.tfrc.json')
  const fromFile = await readCredentialsFile(file, host)
  if (fromFile) return {address, apiBase, token: fromFile, tokenSource: file}
  const login = `run \`terraform login${host === 'app.terraform.io' ? '' : ` ${host}`}\`, or set TFE_TOKEN (or ${hostVar})`
  if (address !== DEFAULT_TFE_ADDRESS) throw new UserError(`no Terraform Cloud token found for ${host}`, {hint: login})
  const shared = await readSharedSecret(options.secrets, TFC_TOKEN_SECRET)
  if (shared.value) return {address, apiBase, token: shared.value, tokenSource: `Secret Manager secret ${TFC_TOKEN_SECRET} (project ${TFC_SECRETS_PROJECT})`}
  throw new UserError(`no Terraform Cloud token found for ${host}`, {
    hint: `${login}; or get read access to the secret ${TFC_TOKEN_SECRET} in project ${TFC_SECRETS_PROJECT}: ${shared.failure}`,
  })
}

/**
 * The OAuth client that connects VCS-mode workspaces to GitHub: --oauth-client-id, then
 * TFC_OAUTH_CLIENT_ID, then the secret TFC_OAUTH_CLIENT_ID of sourcegraph-secrets (as the original read
 * it). Missing everywhere is a UserError (exit 1), like a missing token: the command line was right,
 * a credential is missing.
 * @param options - the flag, environment variables and the shared-secret reader
 */
export async function resolveOAuthClientId(options: {flag?: string; env: Env; secrets?: TfcSecretReader}): Promise<string> {
  return (await locateOAuthClientId(options)).id
}

/**
 * Like {@link resolveOAuthClientId}, with where the id came from (`--oauth-client-id`, the variable or
 * the secret), for `msp doctor`.
 * @param options - the flag, environment variables and the shared-secret reader
 */
export async function locateOAuthClientId(options: {flag?: string; env: Env; secrets?: TfcSecretReader}): Promise<{id: string; source: string}> {
  if (options.flag) return {id: options.flag, source: '--oauth-client-id'}
  if (options.env.TFC_OAUTH_CLIENT_ID) return {id: options.env.TFC_OAUTH_CLIENT_ID, source: 'TFC_OAUTH_CLIENT_ID'}
  const shared = await readSharedSecret(options.secrets, TFC_OAUTH_CLIENT_SECRET)
  if (shared.value) return {id: shared.value, source: `Secret Manager secret ${TFC_OAUTH_CLIENT_SECRET} (project ${TFC_SECRETS_PROJECT})`}
  throw new UserError('no Terraform Cloud OAuth client id found (needed by the VCS run mode)', {
    hint:
      `set TFC_OAUTH_CLIENT_ID or pass --oauth-client-id; or get read access to the secret ${TFC_OAUTH_CLIENT_SECRET} in ` +
      `project ${TFC_SECRETS_PROJECT}: ${shared.failure}; or use --workspace-run-mode cli`,
  })
}

/** Terraform's variable name for a host's token: dots become `_`, hyphens `__` (TF_TOKEN_app_terraform_io). */
export function tokenVariableFor(host: string): string {
  return `TF_TOKEN_${host.toLowerCase().replace(/-/g, '__').replace(/[.:]/g, '_')}`
}

function normalizeAddress(value: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `https://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new UsageError(`TFE_ADDRESS is not a URL: ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`TFE_ADDRESS must be an http(s) URL, got ${JSON.stringify(value)}`)
  // The token goes in every request's Authorization header: never in clear text across a network.
  if (!isSecureOrLoopback(url)) {
    throw new UsageError(`TFE_ADDRESS ${JSON.stringify(value)} uses plain http: the Terraform Cloud token would be sent unencrypted`, {
      hint: `use https://${url.host} (plain http is accepted only for a loopback address such as 127.0.0.1)`,
    })
  }
  return `${url.protocol}//${url.host}`
}

/** A Terraform credentials file holds a few tokens. */
const MAX_CREDENTIALS_BYTES = 1024 * 1024

async function readCredentialsFile(file: string, host: string): Promise<string | undefined> {
  let text: string | undefined
  try {
    // The one bounded reader: a regular file (a FIFO would block), a credentials file is a few hundred bytes.
    text = readBoundedTextSync(file, MAX_CREDENTIALS_BYTES)
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`)
  }
  if (text === undefined) return undefined
  if (jsonNesting(text) > MAX_JSON_NESTING) throw new UserError(`${file} is not valid JSON: nested too deeply`, {hint: 'run `terraform login` to rewrite it'})
  try {
    const parsed = JSON.parse(text) as {credentials?: Record<string, {token?: unknown}>}
    const token = parsed.credentials?.[host]?.token
    return typeof token === 'string' && token !== '' ? token : undefined
  } catch {
    // The message of a JSON parse error can quote the file's contents, i.e. a token: keep it out.
    throw new UserError(`${file} is not valid JSON`, {hint: 'run `terraform login` to rewrite it'})
  }
}
