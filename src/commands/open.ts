import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand, type UrlResult} from '../cli/base-command.js'
import {UserError} from '../lib/io/errors.js'
import {formatTable} from '../lib/io/output.js'
import {OPEN_TARGETS} from '../lib/links/targets.js'
import {LINK_TABLE_HEADER, openLinkList, openShortcut} from '../lib/links/shortcuts.js'
import {closestMatch} from '../lib/text/suggest.js'

export default class Open extends MspCommand {
  static override summary = 'Open any console link of a service environment by name (or list them).'
  static override description =
    `Targets: ${OPEN_TARGETS.join(', ')}. An environment only has the targets its spec configures (redis, postgres, bigquery, ` +
    `domain). Without a target, lists the environment's links.`
  static override examples = [
    '<%= config.bin %> open cody-analytics prod alerts',
    '<%= config.bin %> open usage-ledger dev postgres --no-open',
    '<%= config.bin %> open usage-ledger prod            # list every link',
  ]
  static override usage = ['SERVICE ENV [TARGET] [--[no-]open] [--json]']
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
    const list = openLinkList(service, env)
    if (args.target === undefined) {
      if (!this.jsonEnabled()) this.out.result(formatTable([...LINK_TABLE_HEADER], list.rows, this.out.style, this.out.tableWidth))
      return list.document
    }
    const link = openShortcut(service, env, args.target)
    if (!link) {
      const names = list.links.map((l) => l.target)
      const close = closestMatch(args.target, names)
      throw new UserError(`environment "${env.id}" of "${service.id}" has no "${args.target}" link`, {
        hint: `${close ? `did you mean "${close}"? ` : ''}available targets: ${names.join(', ')}`,
      })
    }
    return this.deliverUrl(link.url, link.meta, flags.open)
  }
}
