/**
 * `msp doctor` (`msp auth status`): every credential and tool msp can use, checked locally and without
 * printing any value. Google's credentials are looked for where Application Default Credentials look
 * (GOOGLE_APPLICATION_CREDENTIALS, then gcloud's ADC file); the metadata server of a Google host is not
 * probed (it would stall off Google Cloud). Terraform Cloud credentials come from the one resolver the
 * TFC commands use, Secret Manager included.
 */
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {UserError} from '../io/errors.js'
import type {Env} from '../io/output.js'
import {buildEntitleProjectAccessUrl} from '../links/entitle.js'
import {cachedProxyPath, findProxy, userCacheDir} from '../pg/proxy-binary.js'
import {CATEGORIES} from '../spec/schema.js'
import {locateOAuthClientId, resolveTfcConnection, tfcSecretReader, type TfcSecretReader} from '../cloud/tfc-auth.js'

/** ok: present; missing: a command needs it and it is absent (exit 1); warning: absent, but msp copes; info: cannot be checked. */
export type CheckState = 'ok' | 'missing' | 'warning' | 'info'

/** One line of `msp doctor`. */
export interface Check {
  id: 'google-adc' | 'tfc-token' | 'tfc-oauth-client' | 'cloud-sql-proxy' | 'entitle'
  name: string
  state: CheckState
  /** Where it was found, or what is wrong (never a secret value). */
  detail: string
  /** The commands it enables. */
  enables: readonly string[]
  /** What to do, when it is not ok. */
  fix?: string
}

export interface DoctorReport {
  /** False when some check is `missing`. */
  ok: boolean
  checks: Check[]
}

/** Larger credential files are refused unread: a real one is a few kilobytes. */
const MAX_CREDENTIALS_BYTES = 64 * 1024
const ADC_TYPES = new Set(['authorized_user', 'service_account', 'external_account', 'external_account_authorized_user', 'impersonated_service_account'])
const ADC_FIX = 'run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file'

/** gcloud's ADC file: `$CLOUDSDK_CONFIG`, else `%APPDATA%\gcloud` on Windows, else `~/.config/gcloud`. */
function gcloudAdcFile(env: Env, platform: NodeJS.Platform, home: string): string {
  const dir = env.CLOUDSDK_CONFIG || (platform === 'win32' && env.APPDATA ? join(env.APPDATA, 'gcloud') : join(home, '.config', 'gcloud'))
  return join(dir, 'application_default_credentials.json')
}

/** The `type` of a credentials file, or why it is unusable (its contents are never quoted: they hold keys). */
async function credentialsType(file: string): Promise<{type?: string; problem?: string}> {
  try {
    const info = await stat(file)
    if (!info.isFile()) return {problem: 'not a file'}
    if (info.size > MAX_CREDENTIALS_BYTES) return {problem: `larger than ${MAX_CREDENTIALS_BYTES / 1024} KB`}
    const parsed = JSON.parse(await readFile(file, 'utf8')) as {type?: unknown}
    const type = typeof parsed.type === 'string' ? parsed.type : ''
    return ADC_TYPES.has(type) ? {type} : {problem: 'not a Google credentials file (no known "type")'}
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return {problem: 'does not exist'}
    if (code === 'EACCES') return {problem: 'cannot be read (permission denied)'}
    return {problem: 'is not valid JSON'}
  }
}

const GOOGLE_ENABLES = ['status', 'logs --print/--follow', 'pg connect', 'TFC credentials from Secret Manager']

async function checkAdc(env: Env, platform: NodeJS.Platform, home: string): Promise<Check> {
  const base = {id: 'google-adc', name: 'Google Application Default Credentials', enables: GOOGLE_ENABLES} as const
  const explicit = env.GOOGLE_APPLICATION_CREDENTIALS
  const file = explicit || gcloudAdcFile(env, platform, home)
  const source = explicit ? `GOOGLE_APPLICATION_CREDENTIALS=${file}` : `gcloud ADC file ${file}`
  const {type, problem} = await credentialsType(file)
  if (type) return {...base, state: 'ok', detail: `${source} (${type})`}
  const emulators = ['CLOUD_RUN_EMULATOR_HOST', 'LOGGING_EMULATOR_HOST', 'SECRET_MANAGER_EMULATOR_HOST'].filter((v) => env[v])
  const note = emulators.length > 0 ? `; ${emulators.join(', ')} set: those APIs are reached without credentials` : ''
  return {...base, state: 'missing', detail: `${source} ${problem}; the metadata server is not probed${note}`, fix: ADC_FIX}
}

async function checkTfcToken(env: Env, home: string, secrets: TfcSecretReader): Promise<Check> {
  const base = {id: 'tfc-token', name: 'Terraform Cloud token', enables: ['tfc sync', 'diff --live']} as const
  try {
    const connection = await resolveTfcConnection({env, homeDir: home, secrets})
    return {...base, state: 'ok', detail: `${connection.tokenSource} (for ${new URL(connection.address).host})`}
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return {...base, state: 'missing', detail: error.message, ...(error.hint ? {fix: error.hint} : {})}
  }
}

async function checkOAuthClient(env: Env, secrets: TfcSecretReader): Promise<Check> {
  const base = {id: 'tfc-oauth-client', name: 'Terraform Cloud OAuth client', enables: ['tfc sync (VCS run mode)']} as const
  try {
    return {...base, state: 'ok', detail: (await locateOAuthClientId({env, secrets})).source}
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return {...base, state: 'missing', detail: error.message, ...(error.hint ? {fix: error.hint} : {})}
  }
}

function checkProxy(env: Env, platform: NodeJS.Platform, home: string): Check {
  const cachePath = cachedProxyPath(userCacheDir(env, platform, home))
  const found = findProxy({env, platform, cachePath})
  const base = {id: 'cloud-sql-proxy', name: 'cloud-sql-proxy', enables: ['pg connect']} as const
  if (found) return {...base, state: 'ok', detail: found === cachePath ? `cached: ${found}` : `on PATH: ${found}`}
  // pg connect downloads the pinned release itself, so its absence stops nothing.
  return {
    ...base,
    state: 'warning',
    detail: `not on PATH and not cached at ${cachePath}`,
    fix: 'msp pg connect downloads the pinned release on first use (checked against its published sha256); or install cloud-sql-proxy on PATH',
  }
}

function checkEntitle(): Check {
  const links = CATEGORIES.map((c) => `${c}: ${buildEntitleProjectAccessUrl(c, 'read')}`)
  return {
    id: 'entitle',
    name: 'Entitle access to service projects',
    state: 'info',
    detail: 'cannot be checked from here: a grant shows as "permission denied" in status and logs until requested',
    enables: ['status', 'logs --print/--follow', 'pg connect'],
    fix: `request read access per category: ${links.join(' ; ')}`,
  }
}

/**
 * Runs every check; nothing is printed and no secret value leaves this function.
 * @param options - environment, platform and home directory; `secrets` replaces the Secret Manager reader
 */
export async function runDoctor(options: {
  env: Env
  platform: NodeJS.Platform
  home: string
  timeoutMs?: number
  secrets?: TfcSecretReader
}): Promise<DoctorReport> {
  const {env, platform, home} = options
  const adc = await checkAdc(env, platform, home)
  // Without credentials a Secret Manager client would probe the metadata server (seconds off Google Cloud): not asked.
  const noGoogle: TfcSecretReader = async () => {
    throw new UserError('no Google Application Default Credentials (see above)')
  }
  const secrets =
    options.secrets ?? (adc.state === 'ok' || env.SECRET_MANAGER_EMULATOR_HOST ? tfcSecretReader({env, timeoutMs: options.timeoutMs ?? 5000}) : noGoogle)
  const checks: Check[] = [adc, await checkTfcToken(env, home, secrets), await checkOAuthClient(env, secrets), checkProxy(env, platform, home), checkEntitle()]
  return {ok: checks.every((c) => c.state !== 'missing'), checks}
}

/**
 * The text report: one line per check with its mark, then what it enables and how to fix it.
 * @param report - what {@link runDoctor} found
 * @param mark - renders a state (symbols on a terminal, words otherwise)
 */
export function renderDoctor(report: DoctorReport, mark: (state: CheckState) => string): string {
  const lines = report.checks.flatMap((c) => [
    `${mark(c.state)} ${c.name}: ${c.detail}`,
    `    enables: ${c.enables.join(', ')}`,
    ...(c.fix && c.state !== 'ok' ? [`    fix: ${c.fix}`] : []),
  ])
  const missing = report.checks.filter((c) => c.state === 'missing').length
  lines.push('', missing === 0 ? 'Everything msp needs is in place.' : `${missing} missing: the commands they enable will fail until fixed.`)
  return lines.join('\n')
}
