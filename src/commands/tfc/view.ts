import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand, type UrlResult} from '../../cli/base-command.js'
import {tfcViewShortcut} from '../../lib/links/shortcuts.js'

export default class TfcView extends MspCommand {
  static override aliases = ['terraform-cloud:view']
  static override summary = 'Open the Terraform Cloud workspaces of MSP, a service, or one environment.'
  static override description =
    `Without arguments: every MSP workspace (tag msp). With a service: its workspaces (tag msp-service-<service>). With an ` +
    `environment too: that environment's workspaces (tag msp-env-<service>-<env>).

Unlike the original, an unknown environment is an error. Access to the workspaces is requested through Entitle (see the service's operations page).`
  static override examples = [
    '<%= config.bin %> tfc view',
    '<%= config.bin %> tfc view cody-analytics',
    '<%= config.bin %> tfc view cody-analytics prod --no-open',
  ]
  static override args = {
    service: Args.string({description: 'service id'}),
    env: Args.string({description: 'environment id of that service'}),
  }
  static override flags = {
    open: Flags.boolean({allowNo: true, default: true, description: 'open the browser (on a terminal); --no-open prints the URL'}),
  }

  async run(): Promise<UrlResult> {
    const {args, flags} = await this.parse(TfcView)
    const service = args.service === undefined ? undefined : await this.serviceArg(this.repoRoot(flags.repo), args.service)
    const env = service === undefined || args.env === undefined ? undefined : this.environmentArg(service, args.env)
    const {url, meta} = tfcViewShortcut(service, env)
    return this.deliverUrl(url, meta, flags.open)
  }
}
