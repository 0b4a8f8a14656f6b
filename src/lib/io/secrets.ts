/**
 * The one redaction function of msp. It knows the secrets of the current process — every token msp
 * resolved ({@link registerSecret}) and secret-looking environment variables — and also redacts
 * anything shaped like a bearer token or a Google access token, so a server that echoes a header
 * in an error body cannot make msp print it. Every message, `--json` document and `--debug` trace
 * goes through {@link redactSecrets} before it is written (see src/cli/base-command.ts and output.ts).
 */

import {AsyncLocalStorage} from 'node:async_hooks'

export const REDACTED = '[redacted]'

/** Shorter values are not treated as secrets (they would redact ordinary words). */
const MIN_SECRET_LENGTH = 8

/** The secrets one run knows, and their pattern (built on first use after a change). */
interface Registry {
  secrets: Set<string>
  pattern: RegExp | undefined
}

const processRegistry: Registry = {secrets: new Set(), pattern: undefined}
// Runs in one process (commands run in-process by tests) each know only their own secrets, as
// separate processes would: one run's token never changes what another prints.
const scope = new AsyncLocalStorage<Registry>()
const registry = (): Registry => scope.getStore() ?? processRegistry

/**
 * Runs `fn` with a registry of its own: secrets registered inside are known only inside.
 * @param fn - one msp run
 */
export function withSecretScope<T>(fn: () => T): T {
  return scope.run({secrets: new Set(), pattern: undefined}, fn)
}

/** Variable names whose values are secrets (TFE_TOKEN, TF_TOKEN_app_terraform_io, SLACK_WEBHOOK_SECRET…). */
const SECRET_VARIABLE = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY/i
/** …unless the name says the value is an id or a location (TFC_OAUTH_CLIENT_ID, *_TOKEN_FILE). */
const NOT_SECRET_VARIABLE = /_(ID|FILE|PATH|DIR|HOST|URL|ADDRESS)$/i

/**
 * Remembers a secret of this process (a token msp is about to send); from now on it is redacted from
 * all output, also in the forms a server may echo it (URL-encoded, JSON-escaped).
 * @param value - the secret
 */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return
  const forms = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]
  const known = registry()
  for (const form of forms) {
    if (!known.secrets.has(form)) {
      known.secrets.add(form)
      known.pattern = undefined
    }
  }
}

/**
 * Registers the values of secret-looking environment variables (names with TOKEN, SECRET, PASSWORD, KEY…).
 * @param env - the process environment
 */
export function registerSecretsFromEnv(env: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(env)) if (SECRET_VARIABLE.test(name) && !NOT_SECRET_VARIABLE.test(name)) registerSecret(value)
}

function secretsPattern(): RegExp | undefined {
  const known = registry()
  if (known.secrets.size === 0) return undefined
  // Longest first, so a secret that contains another is replaced whole.
  known.pattern ??= new RegExp(
    [...known.secrets]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'g',
  )
  return known.pattern
}

/**
 * Replaces every known secret, every `Bearer <token>`, every Google OAuth access token (`ya29.…`)
 * and every Terraform Cloud token (`….atlasv1.…`) in the text with {@link REDACTED}.
 * @param text - anything about to be shown
 */
export function redactSecrets(text: string): string {
  let out = text
  const known = secretsPattern()
  if (known) out = out.replace(known, REDACTED)
  return out
    .replace(/\b(bearer)(\s+)(?!\[redacted\])[^\s"',;<>\\]+/gi, `$1$2${REDACTED}`)
    .replace(/\bya29\.[\w.-]+/g, REDACTED)
    .replace(/\b[A-Za-z0-9]{14}\.atlasv1\.[\w-]{20,}/g, REDACTED)
}

/**
 * {@link redactSecrets} applied to every string (keys included) of a JSON-like value.
 * @param value - a document about to be printed
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactSecrets(k), redactDeep(v)])) as T
  }
  return value
}
