import {MspCommand, timeoutFlag} from '../cli/base-command.js'
import {ExitCode, setExitCode} from '../cli/exit.js'
import {renderDoctor, runDoctor, type CheckState, type DoctorReport} from '../lib/doctor/checks.js'

export default class Doctor extends MspCommand {
  static override aliases = ['auth:status']
  static override summary = 'Check the credentials and tools msp can use, and say how to fix what is missing.'
  static override description =
    `Checks, without printing any token or key:

- Google Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, else gcloud's ADC file (the metadata server of a Google host is not probed). ` +
    `Enables status, logs --print/--follow, pg connect and the Secret Manager reads below.
- The Terraform Cloud token: TFE_TOKEN, TF_TOKEN_<host>, ~/.terraform.d/credentials.tfrc.json, then the secret TFC_ORGANIZATION_TOKEN of ` +
    `sourcegraph-secrets. Enables tfc sync and diff --live.
- The Terraform Cloud OAuth client: TFC_OAUTH_CLIENT_ID, then the secret of the same name. Enables tfc sync in VCS run mode.
- cloud-sql-proxy: on PATH or in msp's cache (a warning only: pg connect downloads it).
- Entitle access to the service projects: cannot be checked; the request links are given.

Exit status: 0 when nothing a command needs is missing, 1 otherwise. --json prints {"ok", "checks": [{"id", "name", "state", "detail", "enables", "fix"}]}.`
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> auth status --json']
  static override enableJsonFlag = true
  static override flags = {
    timeout: timeoutFlag({description: 'give up on the Secret Manager reads after this many seconds, one limit for all of them [default: 5]'}),
  }

  async run(): Promise<DoctorReport> {
    const {flags} = await this.parse(Doctor)
    const report = await runDoctor({
      env: this.io.env,
      platform: this.io.platform,
      home: this.io.home,
      timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
    })
    const marks: Record<CheckState, string> = {ok: this.out.mark('ok'), missing: this.out.mark('error'), warning: this.out.mark('warning'), info: '-'}
    if (!this.jsonEnabled()) this.out.result(renderDoctor(report, (state) => marks[state].padEnd([...marks.ok].length)))
    if (!report.ok) setExitCode(ExitCode.error)
    return report
  }
}
