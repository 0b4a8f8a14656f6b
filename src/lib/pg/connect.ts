/**
 * `msp pg connect`: what the original's `sg msp postgresql connect` did, step by step — the identity and
 * Cloud SQL instance come from the Secret Manager copies of the iam and cloudrun stack outputs in the
 * environment's project; the user gets one `psql` line per database; the proxy runs until the session ends.
 */
import {UserError} from '../io/errors.js'
import {buildEntitleProjectAccessUrl} from '../links/entitle.js'
import {GoogleCallError} from '../cloud/google-client.js'
import type {SecretManagerApi} from '../cloud/secret-manager.js'
import {terminalSafe} from '../io/terminal.js'
import type {Environment, PostgreSQL, Spec} from '../spec/schema.js'
import {handbookEnvironmentUrl, notionPageUrl} from '../links/handbook.js'
import {tfcWorkspaceName} from '../links/tfc.js'
import {outputSecretId, STACK_OUTPUTS, type StackName} from '../stacks/naming.js'

/** The default local port of the proxy (the original's `-port`). */
export const DEFAULT_PROXY_PORT = 5433
/** The default session length in seconds (the original's `-session.timeout`); 0 = none. */
export const DEFAULT_SESSION_TIMEOUT = 300
/**
 * The longest session: a timer of more than 2^31-1 ms fires at once in Node (and in the supervisor
 * that enforces the limit), so longer values are refused instead of ending the session immediately.
 */
export const MAX_SESSION_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000)

/**
 * The environment's PostgreSQL resource; an environment without one fails with the original's message.
 * @param serviceId - for the hint
 * @param env - the environment
 */
export function requirePostgres(serviceId: string, env: Environment): PostgreSQL {
  const pg = env.resources?.postgreSQL
  if (!pg)
    throw new UserError('no postgresql instance provisioned', {hint: `environment "${env.id}" of "${serviceId}" has no resources.postgreSQL in its spec`})
  return pg
}

/**
 * A Cloud SQL instance connection name and nothing else: `<project>:<region>:<instance>`, the project
 * optionally domain-scoped (`example.com:my-project`). Project ids are 6-30 lowercase letters, digits
 * and hyphens starting with a letter; regions look like `us-central1`; instance names are lowercase
 * letters, digits and hyphens starting with a letter. Anything more (a `?address=0.0.0.0&port=…` query
 * the proxy would obey, spaces, a second instance) is refused: the value comes from Secret Manager,
 * which anyone with write access to the project can change.
 */
export const INSTANCE_CONNECTION_NAME = new RegExp(
  '^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+:)?' +
    '[a-z][a-z0-9-]{4,28}[a-z0-9]:[a-z]+(?:-[a-z]+)+[0-9]{1,2}:[a-z](?:[a-z0-9-]{0,96}[a-z0-9])?$',
)

/**
 * A Google service account e-mail: a 6-30 character account id, `@`, and a `*.gserviceaccount.com`
 * domain (`<project>.iam.gserviceaccount.com`, or a domain-scoped project's `<project>.<domain>.iam…`).
 */
export const SERVICE_ACCOUNT_EMAIL = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,6}gserviceaccount\.com$/

/** What the proxy needs, read from Secret Manager. */
export interface ConnectionTarget {
  /** The service account the proxy impersonates (operator access, or the workload identity with write access). */
  serviceAccount: string
  /** `<project>:<region>:<instance>`. */
  connectionName: string
}

/**
 * Where the original sent users with permission problems: the Notion page when the spec has one, else
 * the environment's section of the published handbook page.
 * @param spec - the service spec
 * @param envId - the environment
 */
export function permissionsHelpUrl(spec: Pick<Spec, 'service'>, envId: string): string {
  return notionPageUrl(spec.service) ?? handbookEnvironmentUrl(spec.service.id, envId)
}

/**
 * Reads the service account to impersonate and the instance connection name from the environment
 * project's Secret Manager. Failures name the project, the secret and what to do (Entitle grant, apply
 * the stack, log in).
 * @param options - the spec, environment, write access or not, and the Secret Manager API
 */
export async function readConnectionTarget(options: {
  spec: Pick<Spec, 'service'>
  env: Environment
  writeAccess: boolean
  secrets: SecretManagerApi
}): Promise<ConnectionTarget> {
  const {spec, env, writeAccess, secrets} = options
  const account = writeAccess ? STACK_OUTPUTS.iam.cloudRunServiceAccount : STACK_OUTPUTS.iam.operatorAccessServiceAccount
  const read = async (stack: StackName, output: string) => {
    const secret = outputSecretId(stack, output)
    try {
      const value = (await secrets.accessLatest(env.projectID, secret)).trim()
      if (!value) throw new UserError(`secret "${secret}" in project "${env.projectID}" is empty`)
      return value
    } catch (error) {
      throw explainSecretFailure(error, {spec, env, secret, stack})
    }
  }
  const checked = (stack: StackName, output: string, value: string, pattern: RegExp, what: string, example: string) => {
    if (pattern.test(value)) return value
    // The value is shown escaped and cut short: it is data from the project, not text for the terminal.
    const shown = terminalSafe(JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value))
    throw new UserError(`secret "${outputSecretId(stack, output)}" in project "${env.projectID}" holds ${shown}, which is not ${what}`, {
      hint:
        `expected ${example}; nothing was started. The ${stack} stack writes this secret: check who changed it, then apply Terraform Cloud ` +
        `workspace ${tfcWorkspaceName(spec.service.id, env.id, stack)}`,
    })
  }
  const serviceAccount = checked(
    'iam',
    account,
    await read('iam', account),
    SERVICE_ACCOUNT_EMAIL,
    'a service account e-mail',
    '<name>@<project>.iam.gserviceaccount.com',
  )
  const connectionOutput = STACK_OUTPUTS.cloudrun.cloudSqlConnectionName
  const connectionName = checked(
    'cloudrun',
    connectionOutput,
    await read('cloudrun', connectionOutput),
    INSTANCE_CONNECTION_NAME,
    'a Cloud SQL instance connection name',
    '<project>:<region>:<instance>, such as my-project:us-central1:my-instance',
  )
  return {serviceAccount, connectionName}
}

function explainSecretFailure(error: unknown, ctx: {spec: Pick<Spec, 'service'>; env: Environment; secret: string; stack: StackName}): UserError {
  if (error instanceof UserError) return error
  const {spec, env, secret, stack} = ctx
  const where = `secret "${secret}" in project "${env.projectID}"`
  if (!(error instanceof GoogleCallError)) return new UserError(`reading ${where} failed: ${(error as Error)?.message ?? String(error)}`)
  switch (error.kind) {
    case 'permission-denied':
      // The original's finding (PR #61358): even a read-only connection needs the *write* grant.
      return new UserError(`permission denied reading ${where}`, {
        hint:
          `request write access to project "${env.projectID}" through Entitle (needed even for read-only ` +
          `connections): ${buildEntitleProjectAccessUrl(env.category, 'write')}\n      see ${permissionsHelpUrl(spec, env.id)}`,
      })
    case 'not-found':
      return new UserError(`${where} does not exist`, {
        hint: `the ${stack} stack writes it: apply Terraform Cloud workspace ${tfcWorkspaceName(spec.service.id, env.id, stack)}`,
      })
    case 'unauthenticated':
      return new UserError(`Google Cloud rejected your credentials while reading ${where}`, {hint: 'log in again with `gcloud auth application-default login`'})
    case 'api-disabled':
      return new UserError(`the Secret Manager API is not enabled in project "${env.projectID}"`, {
        hint: `the project stack enables it: apply workspace ${tfcWorkspaceName(spec.service.id, env.id, 'project')}`,
      })
    case 'timeout':
      return new UserError(`no answer from Secret Manager in time for ${where}: ${error.message}`, {
        hint: 'try again, or allow more time with --timeout <seconds>',
      })
    case 'transient':
      return new UserError(`Secret Manager did not answer for ${where} after ${error.attempts} attempt${error.attempts === 1 ? '' : 's'}: ${error.message}`, {
        hint: 'this is usually temporary: try again in a minute',
      })
    default:
      return new UserError(`reading ${where} failed: ${error.message}`)
  }
}

/**
 * The `psql` command for each database, as the original printed them: the IAM database user is the
 * service account e-mail without `.gserviceaccount.com`.
 * @param options - service account, databases and local port
 */
export function psqlCommands(options: {serviceAccount: string; databases: readonly string[]; port: number}): {database: string; command: string}[] {
  const user = options.serviceAccount.replaceAll('.gserviceaccount.com', '')
  return options.databases.map((database) => ({database, command: terminalSafe(`psql -U ${user} -d ${database} -h 127.0.0.1 -p ${options.port}`)}))
}
