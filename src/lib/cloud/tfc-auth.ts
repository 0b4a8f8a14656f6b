/** Where Terraform Cloud is and which token to use, by Terraform's own conventions. */
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {UserError, UsageError} from '../io/errors.js'
import type {Env} from '../io/output.js'
import {registerSecret} from '../io/secrets.js'

export const DEFAULT_TFE_ADDRESS = 'https://app.terraform.io'

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
 * TF_TOKEN_<host> (e.g. TF_TOKEN_app_terraform_io), then ~/.terraform.d/credentials.tfrc.json.
 * @param options - environment variables and the home directory (injected so tests control both)
 */
export async function resolveTfcConnection(options: {env: Env; homeDir: string}): Promise<TfcConnection> {
  const connection = await findConnection(options)
  // From now on the token is redacted from every message, whoever echoes it.
  registerSecret(connection.token)
  return connection
}

async function findConnection(options: {env: Env; homeDir: string}): Promise<TfcConnection> {
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
  throw new UserError(`no Terraform Cloud token found for ${host}`, {
    hint: `run \`terraform login${host === 'app.terraform.io' ? '' : ` ${host}`}\`, or set TFE_TOKEN (or ${hostVar})`,
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
  return `${url.protocol}//${url.host}`
}

async function readCredentialsFile(file: string, host: string): Promise<string | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`)
  }
  try {
    const parsed = JSON.parse(text) as {credentials?: Record<string, {token?: unknown}>}
    const token = parsed.credentials?.[host]?.token
    return typeof token === 'string' && token !== '' ? token : undefined
  } catch {
    // The message of a JSON parse error can quote the file's contents, i.e. a token: keep it out.
    throw new UserError(`${file} is not valid JSON`, {hint: 'run `terraform login` to rewrite it'})
  }
}
