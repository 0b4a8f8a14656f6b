import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand, type UrlResult} from '../../cli/base-command.js'
import {buildTfcWorkspacesUrl} from '../../lib/links/tfc.js'

export default class TfcView extends MspCommand {
  static override aliases = ['terraform-cloud:view']
  static override summary = 'Open the Terraform Cloud workspaces of MSP, a service, or one environment.'
  static override description = `Without arguments: every MSP workspace (tag msp). With a service: its workspaces (tag msp-service-<service>). With an environment too: that environment's workspaces (tag msp-env-<service>-<env>).

Unlike the original, an unknown environment is an error. Access to the workspaces is requested through Entitle (see the service's operations page).`
  static override examples = ['<%= config.bin %> tfc view', '<%= config.bin %> tfc view cody-analytics', '<%= config.bin %> tfc view cody-analytics prod --no-open']
  static override enableJsonFlag = true
  static override args = {
    service: Args.string({description: 'service id'}),
    env: Args.string({description: 'environment id of that service'}),
  }
  static override flags = {
    open: Flags.boolean({allowNo: true, default: true, description: 'open the browser (on a terminal); --no-open prints the URL'}),
  }

  async run(): Promise<UrlResult> {
    const {args, flags} = await this.parse(TfcView)
    if (args.service === undefined) return this.deliverUrl(buildTfcWorkspacesUrl(), {}, flags.open)
    const service = await this.serviceArg(this.repoRoot(flags.repo), args.service)
    if (args.env === undefined) return this.deliverUrl(buildTfcWorkspacesUrl({serviceId: service.id}), {service: service.id}, flags.open)
    const env = this.environmentArg(service, args.env)
    return this.deliverUrl(buildTfcWorkspacesUrl({serviceId: service.id, envId: env.id}), {service: service.id, environment: env.id}, flags.open)
  }
}
