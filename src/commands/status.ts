import * as Args from '@oclif/core/args'
import {MspCommand, timeoutFlag} from '../cli/base-command.js'
import {assertNoFailures, readLiveStatus, renderStatusTable, type EnvironmentStatus} from '../lib/cloud/status.js'

export default class Status extends MspCommand {
  static override summary = 'Show what is running: the live Cloud Run state of each environment of a service.'
  static override description = `Reads the Cloud Run service (or job, for kind: job) of every environment, or of one, through the Cloud Run Admin API: URL, latest ready and latest created revision, traffic split, ready condition, last update, image and instance bounds; for jobs the last executions and their outcome. Environments are queried concurrently.

Credentials are Google's Application Default Credentials (gcloud auth application-default login, GOOGLE_APPLICATION_CREDENTIALS, or the metadata server). With CLOUD_RUN_EMULATOR_HOST=host:port the API is reached over plain HTTP without credentials. Permission errors name the project and the Entitle link to request read access; transient failures are retried.`
  static override examples = [
    '<%= config.bin %> status cody-analytics',
    '<%= config.bin %> status cody-analytics prod',
    '<%= config.bin %> status cody-analytics prod --json',
  ]
  static override enableJsonFlag = true
  static override usage = ['SERVICE [ENV] [--json]']
  static override args = {
    service: Args.string({description: 'service id (a folder under services/)'}),
    env: Args.string({description: 'environment id (default: every environment)'}),
  }
  static override flags = {timeout: timeoutFlag()}

  async run(): Promise<{service: string; environments: EnvironmentStatus[]}> {
    const {args, flags} = await this.parse(Status)
    const service = await this.serviceArg(this.repoRoot(flags.repo), args.service)
    const environments = args.env === undefined ? service.spec.environments : [this.environmentArg(service, args.env)]
    const report = await readLiveStatus({
      service: service.spec.service,
      environments,
      env: process.env,
      timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
    })
    // Environments that answered are shown even when another one failed; the failure still sets the exit code.
    if (!this.jsonEnabled() && report.statuses.length > 0) this.out.result(renderStatusTable(report.statuses, this.out.style))
    assertNoFailures(report)
    return {service: service.id, environments: report.statuses}
  }
}
