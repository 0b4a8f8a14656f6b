import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand, type UrlResult} from '../cli/base-command.js'
import {UserError} from '../lib/io/errors.js'
import {formatTable} from '../lib/io/output.js'
import {environmentLinks, OPEN_TARGETS} from '../lib/links/environment.js'
import {closestMatch} from '../lib/text/suggest.js'

export default class Open extends MspCommand {
  static override summary = 'Open any console link of a service environment by name (or list them).'
  static override description = `Targets: ${OPEN_TARGETS.join(', ')}. An environment only has the targets its spec configures (redis, postgres, bigquery, domain). Without a target, lists the environment's links.`
  static override examples = [
    '<%= config.bin %> open cody-analytics prod alerts',
    '<%= config.bin %> open usage-ledger dev postgres --no-open',
    '<%= config.bin %> open usage-ledger prod            # list every link',
  ]
  static override usage = ['SERVICE ENV [TARGET] [--[no-]open] [--json]']
  static override enableJsonFlag = true
  static override args = {
    service: Args.string({description: 'service id'}),
    env: Args.string({description: 'environment id'}),
    target: Args.string({description: `what to open: ${OPEN_TARGETS.join(', ')}`}),
  }
  static override flags = {
    open: Flags.boolean({allowNo: true, default: true, description: 'open the browser (on a terminal); --no-open prints the URL'}),
  }

  async run(): Promise<UrlResult | {links: UrlResult[]}> {
    const {args, flags} = await this.parse(Open)
    const service = await this.serviceArg(this.repoRoot(flags.repo), args.service)
    const env = this.environmentArg(service, args.env)
    const links = environmentLinks(service.spec, env)
    const meta = {service: service.id, environment: env.id}
    if (args.target === undefined) {
      if (!this.jsonEnabled()) this.out.result(formatTable(['TARGET', 'WHAT', 'URL'], links.map((l) => [l.target, l.description, l.url]), this.out.style))
      return {links: links.map((l) => ({url: l.url, ...meta, target: l.target}))}
    }
    const link = links.find((l) => l.target === args.target)
    if (!link) {
      const names = links.map((l) => l.target)
      const close = closestMatch(args.target, names)
      throw new UserError(`environment "${env.id}" of "${service.id}" has no "${args.target}" link`, {
        hint: `${close ? `did you mean "${close}"? ` : ''}available targets: ${names.join(', ')}`,
      })
    }
    return this.deliverUrl(link.url, {...meta, target: link.target}, flags.open)
  }
}
