/**
 * Reads secrets from Google Secret Manager through Google's own client (`@google-cloud/secret-manager`,
 * imported lazily inside {@link connectSecretManager}). Values are returned to the caller only: never
 * logged, never written to disk, never part of an error message.
 */
import {UsageError} from '../io/errors.js'
import {connectGoogle, type ConnectOptions} from './google-client.js'

/** The one read msp makes: the latest version of a secret, as text. */
export interface SecretManagerApi {
  accessLatest(projectId: string, secretId: string): Promise<string>
}

/** The variable that points the client at a local Secret Manager server (plain HTTP, no credentials). */
export const SECRET_MANAGER_EMULATOR_HOST = 'SECRET_MANAGER_EMULATOR_HOST'

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/
const SECRET_ID = /^[\w-]{1,255}$/

/**
 * Connects to Secret Manager: REST over HTTPS with Application Default Credentials, or plain HTTP without
 * credentials to SECRET_MANAGER_EMULATOR_HOST. Failures come out as GoogleCallError (status, kind).
 * @param options - environment variables, optional injected auth client, retry policy, sleep and the command's total deadline (`--timeout`)
 */
export async function connectSecretManager(options: ConnectOptions): Promise<SecretManagerApi> {
  const google = await connectGoogle({...options, emulatorVariable: SECRET_MANAGER_EMULATOR_HOST, apiName: 'the Secret Manager API'})
  const {v1} = await import('@google-cloud/secret-manager')
  const client = new v1.SecretManagerServiceClient(google.clientOptions as ConstructorParameters<typeof v1.SecretManagerServiceClient>[0])
  return {
    async accessLatest(projectId, secretId) {
      // Ids reach the request path only after validation.
      if (!PROJECT_ID.test(projectId)) throw new UsageError(`invalid GCP project id ${JSON.stringify(projectId)}`)
      if (!SECRET_ID.test(secretId)) throw new UsageError(`invalid secret id ${JSON.stringify(secretId)}`)
      const name = `projects/${projectId}/secrets/${secretId}/versions/latest`
      const [version] = await google.call(() => client.accessSecretVersion({name}, {retry: null}))
      const data = version.payload?.data
      if (data === undefined || data === null) return ''
      return typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data).toString('utf8')
    },
  }
}
