/** The whole `msp pg connect` session, in the original's order, with its I/O injected. */
import {createDeadline, DEFAULT_COMMAND_TIMEOUT_SECONDS} from '../cloud/retry.js'
import {connectSecretManager, type SecretManagerApi} from '../cloud/secret-manager.js'
import {UsageError, UserError} from '../io/errors.js'
import type {Env} from '../io/output.js'
import type {Environment, Spec} from '../spec/schema.js'
import {terminalSafe} from '../io/terminal.js'
import {MAX_SESSION_TIMEOUT_SECONDS, permissionsHelpUrl, psqlCommands, readConnectionTarget, requirePostgres} from './connect.js'
import {cachedProxyPath, CLOUD_SQL_PROXY_VERSION, downloadProxy, findProxy, userCacheDir, verifyCachedProxy} from './proxy-binary.js'
import {assertPortFree, proxyArgs, runProxy, type ProxyOutcome} from './proxy-run.js'

/** Where the session's text goes; the command maps these to stdout/stderr and styles. */
export interface PgSessionIO {
  /** The result: one `psql` command per line (stdout). */
  result(text: string): void
  /** Notices and proxy output (stderr). */
  info(text: string): void
  warn(text: string): void
  /** A dangerous mode or the end of the session (stderr, emphasised). */
  alert(text: string): void
  /** Asks yes/no on a terminal; undefined when nobody can answer (no terminal). */
  confirm?: (question: string) => Promise<boolean>
  /**
   * --json: receives the connection once known, before the proxy runs (the session then lasts until
   * its timeout or Ctrl-C, too late for a result); the psql lines are then not printed as text.
   */
  connection?: (connection: PgConnection) => void
}

/** What `pg connect --json` prints: how to connect to each database through the proxy. */
export interface PgConnection {
  service: string
  environment: string
  access: 'read-only' | 'write'
  port: number
  /** 0 = no timeout. */
  sessionTimeoutSeconds: number
  databases: {database: string; psql: string}[]
}

export interface PgSessionOptions {
  spec: Pick<Spec, 'service'>
  env: Environment
  port: number
  download: boolean
  writeAccess: boolean
  /** Seconds; 0 = no timeout. */
  timeoutSeconds: number
  /** `--timeout` in seconds: the total time of the Secret Manager reads (default 20 s). */
  readTimeoutSeconds?: number
  /** Process environment (PATH, cache dir, emulator and download URL overrides). */
  processEnv: Env
  platform: NodeJS.Platform
  arch: string
  home: string
  io: PgSessionIO
  /** Secret Manager seam (default: the real client, or the emulator from SECRET_MANAGER_EMULATOR_HOST). */
  secrets?: () => Promise<SecretManagerApi>
}

async function resolveProxyBinary(options: PgSessionOptions): Promise<string> {
  const {processEnv, platform, arch, home, io} = options
  const cachePath = cachedProxyPath(userCacheDir(processEnv, platform, home))
  const install = async () => {
    io.info(`Downloading cloud-sql-proxy ${CLOUD_SQL_PROXY_VERSION} for ${platform}/${arch}...`)
    const {url, sha256} = await downloadProxy({env: processEnv, platform, arch, dest: cachePath})
    io.info(`cloud-sql-proxy saved to "${cachePath}" (${url}, sha256 ${sha256} as published)`)
    return cachePath
  }
  if (options.download) return install()
  const found = findProxy({env: processEnv, platform, cachePath})
  if (found === cachePath) await verifyCachedProxy(found)
  if (found) return found
  const missing = `cloud-sql-proxy binary not found on PATH or at "${cachePath}"`
  if (io.confirm) {
    // On a terminal the answer decides; the question needs the reason before it.
    io.warn(missing)
    if (await io.confirm('Would you like me to install cloud-sql-proxy for you?')) return install()
  }
  // Said once: the error is the reason (a warning before it would repeat it).
  throw new UserError(io.confirm ? 'cloud-sql-proxy is not installed' : missing, {
    hint: `run again with --download to install cloud-sql-proxy ${CLOUD_SQL_PROXY_VERSION} (checksum-verified) at ${cachePath}`,
  })
}

/**
 * Connects to an environment's PostgreSQL through cloud-sql-proxy: checks the port, finds (or installs)
 * the proxy, reads the identity and instance from Secret Manager, prints a `psql` line per database and
 * runs the proxy until the session times out ('timeout'), the proxy exits ('exited'), or msp is interrupted.
 * @param options - the environment, the original's flags, platform facts and the I/O
 */
export async function runPgSession(options: PgSessionOptions): Promise<ProxyOutcome> {
  const {spec, env, port, writeAccess, timeoutSeconds, io} = options
  const pg = requirePostgres(spec.service.id, env)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`invalid port ${port}`, {hint: 'use a port between 1 and 65535'})
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > MAX_SESSION_TIMEOUT_SECONDS)
    throw new UsageError(`invalid --session.timeout ${timeoutSeconds}`, {
      hint: `whole seconds from 1 to ${MAX_SESSION_TIMEOUT_SECONDS} (about 24.8 days), or 0 for no timeout`,
    })
  await assertPortFree(port)
  const binary = await resolveProxyBinary(options)
  const deadline = createDeadline((options.readTimeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS) * 1000)
  const secrets = await (options.secrets ?? (() => connectSecretManager({env: options.processEnv, deadline})))()
  const target = await readConnectionTarget({spec, env, writeAccess, secrets})
  if (writeAccess) io.alert('Preparing a connection with write access - proceed with caution!')
  else io.info("Preparing a connection with read-only access - for write access, use the '--write-access' flag.")
  const commands = psqlCommands({serviceAccount: target.serviceAccount, databases: pg.databases, port})
  if (io.connection) {
    io.connection({
      service: spec.service.id,
      environment: env.id,
      access: writeAccess ? 'write' : 'read-only',
      port,
      sessionTimeoutSeconds: timeoutSeconds,
      databases: commands.map(({database, command}) => ({database, psql: command})),
    })
  } else {
    for (const {database, command} of commands) {
      io.info(`Use this command to connect to database "${terminalSafe(database)}":`)
      io.result(command)
    }
  }
  if (timeoutSeconds > 0) {
    io.warn(`For security reasons, the current session will terminate in ${timeoutSeconds} seconds. Use '--session.timeout' to increase the session duration.`)
  }
  const helpUrl = permissionsHelpUrl(spec, env.id)
  return runProxy({
    binary,
    args: proxyArgs({port, serviceAccount: target.serviceAccount, connectionName: target.connectionName}),
    timeoutSeconds,
    // The proxy inherits the run's environment (its credentials, PATH), not whatever process msp runs in.
    env: {...options.processEnv},
    report: {
      line: (text) => io.info(`  [cloud-sql-proxy] ${terminalSafe(text)}`),
      permissionHint: () =>
        io.warn(`Possible permissions error detected - do you have the prerequisite Entitle permissions grant? See ${helpUrl} for more details.`),
      timedOut: (seconds) => io.alert(`The current session has timed out after ${seconds} seconds and will be terminated.`),
    },
  })
}
