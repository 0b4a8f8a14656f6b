import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand, type UrlResult} from '../cli/base-command.js'
import {buildLogsUrl} from '../lib/links/gcp.js'

export default class Logs extends MspCommand {
  static override summary = 'Open the GCP Logs Explorer for a service environment (or print the URL).'
  static override description = `Builds the Logs Explorer URL for the Cloud Run service (or job) of one environment, with the query and summary fields the original \`sg msp logs\` used.

The browser opens only when stdout is a terminal; piped, with --no-open or in CI the URL alone is printed, so $(msp logs <service> <env>) works in scripts. $BROWSER is honoured.`
  static override examples = [
    '<%= config.bin %> logs cody-analytics prod',
    '<%= config.bin %> logs cody-analytics dev --no-open',
    'URL=$(<%= config.bin %> logs gatekeeper prod)',
  ]
  static override usage = ['SERVICE ENV [-c service] [--[no-]open] [--json]']
  static override enableJsonFlag = true
  static override args = {
    service: Args.string({description: 'service id (a folder under services/)'}),
    env: Args.string({description: 'environment id of that service'}),
  }
  static override flags = {
    component: Flags.option({char: 'c', options: ['service'] as const, default: 'service' as const, description: 'component whose logs to show'})(),
    open: Flags.boolean({allowNo: true, default: true, description: 'open the browser (on a terminal); --no-open prints the URL'}),
  }

  async run(): Promise<UrlResult> {
    const {args, flags} = await this.parse(Logs)
    const service = await this.serviceArg(this.repoRoot(flags.repo), args.service)
    const env = this.environmentArg(service, args.env)
    const url = buildLogsUrl({projectId: env.projectID, kind: service.spec.service.kind === 'job' ? 'job' : 'service'})
    return this.deliverUrl(url, {service: service.id, environment: env.id}, flags.open)
  }
}
