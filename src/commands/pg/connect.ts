import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand, timeoutFlag} from '../../cli/base-command.js'
import {createConfirm} from '../../lib/io/prompt.js'
import {CancelledError} from '../../lib/io/errors.js'
import {DEFAULT_PROXY_PORT, DEFAULT_SESSION_TIMEOUT} from '../../lib/pg/connect.js'
import {runPgSession, type PgConnection} from '../../lib/pg/session.js'

export default class PgConnect extends MspCommand {
  static override aliases = ['postgresql:connect', 'pg']
  static override summary = "Connect to an environment's PostgreSQL through cloud-sql-proxy and print a psql command per database."
  static override description =
    `Reads the service account to impersonate (iam_operator_access_service_account; iam_cloud_run_service_account with ` +
    `--write-access) and the instance (cloudrun_cloudsql_connection_name) from Secret Manager in the environment's project, prints "psql -U <account> -d ` +
    `<db> -h 127.0.0.1 -p <port>" for each database, then runs cloud-sql-proxy (automatic IAM database authentication) until the session times out (exit ` +
    `0) or Ctrl-C (exit 130); the proxy is always stopped.

cloud-sql-proxy is taken from PATH, else from the user cache folder; --download (or "y" to the prompt on a terminal) installs the pinned release after ` +
    `checking its published sha256. You may need Entitle grants (the write grant even for read-only access): see the service's operations page. ` +
    `SECRET_MANAGER_EMULATOR_HOST=host:port reads secrets from a local server over plain HTTP without credentials.`
  static override examples = [
    '<%= config.bin %> pg connect usage-ledger prod',
    '<%= config.bin %> pg connect usage-ledger prod --download',
    '<%= config.bin %> pg connect usage-ledger prod --write-access --port 5434 --session.timeout 900',
  ]
  static override args = {
    service: Args.string({description: 'service id (a folder under services/)'}),
    env: Args.string({description: 'environment id of that service'}),
  }
  static override flags = {
    port: Flags.integer({default: DEFAULT_PROXY_PORT, description: 'local port for cloud-sql-proxy'}),
    download: Flags.boolean({description: 'install or update cloud-sql-proxy first (checksum-verified)'}),
    'write-access': Flags.boolean({description: 'connect as the workload identity (full access); default: read-only operator access'}),
    'session.timeout': Flags.integer({default: DEFAULT_SESSION_TIMEOUT, description: 'end the session after this many seconds (0 = no timeout)'}),
    timeout: timeoutFlag({description: 'give up reading the connection secrets after this many seconds (the session: --session.timeout) [default: 20]'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PgConnect)
    const service = await this.serviceArg(this.repoRoot(flags.repo), args.service)
    const env = this.environmentArg(service, args.env)
    const ask = createConfirm({yes: false, stdin: this.io.stdin, stderr: this.io.stderr})
    const confirm = async (question: string) =>
      ask(question).then(
        () => true,
        (error: unknown) => (error instanceof CancelledError ? false : Promise.reject(error)),
      )
    const s = this.out.errStyle
    await runPgSession({
      spec: service.spec,
      env,
      port: flags.port,
      download: flags.download,
      writeAccess: flags['write-access'],
      timeoutSeconds: flags['session.timeout'],
      ...(flags.timeout === undefined ? {} : {readTimeoutSeconds: flags.timeout}),
      processEnv: this.io.env,
      platform: this.io.platform,
      arch: this.io.arch,
      home: this.io.home,
      io: {
        result: (text) => this.out.result(text),
        info: (text) => this.out.info(text),
        warn: (text) => this.out.warn(text),
        alert: (text) => this.out.info(s('bold', s('yellow', text))),
        ...(this.io.stdin.isTTY ? {confirm} : {}),
        // --json: the connection is the one document, printed once known (the session runs on after it).
        ...(this.jsonEnabled() ? {connection: (c: PgConnection) => this.logJson(c)} : {}),
      },
    })
  }
}
