import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {editionFlag, MspCommand} from '../../cli/base-command.js'
import {formatStackGraph, GRAPH_FORMATS, writeStackGraphSvg} from '../../lib/graph/output.js'
import {buildStackGraph} from '../../lib/graph/stack-graph.js'
import {UsageError} from '../../lib/io/errors.js'
import {STACK_NAMES} from '../../lib/stacks/naming.js'
import {environmentStack} from '../../lib/generate/generate.js'

export default class TfcGraph extends MspCommand {
  static override summary = 'Graph the resources of one Terraform stack (DOT, JSON or SVG), without Terraform.'
  static override description =
    `Computes the graph from the same model msp generate writes to cdk.tf.json: one node per resource ("<type>.<name>") and ` +
    `data source ("data.<type>.<name>"), and an edge "a" -> "b" for every reference from a to b (interpolations and depends_on). As in the original (which ` +
    `filtered terraform graph), providers, outputs and the Secret Manager copies of stack outputs are left out.

--format dot prints the original's -dot text; json prints {"nodes": [...], "edges": [...]}; svg renders with the D2 renderer the handbook uses (a few ` +
    `seconds to load). Without --format: on a terminal the SVG is written to <svc>-<env>.<stack>.svg in the repository root; piped, the DOT text is printed.`
  static override examples = [
    '<%= config.bin %> tfc graph cody-analytics prod cloudrun',
    '<%= config.bin %> tfc graph cody-analytics prod iam --format dot | dot -Tpng > iam.png',
    "<%= config.bin %> tfc graph cody-analytics prod monitoring --format json | jq '.edges | length'",
  ]
  static override args = {
    service: Args.string({description: 'service id (a folder under services/)'}),
    env: Args.string({description: 'environment id of that service'}),
    stack: Args.string({options: [...STACK_NAMES], description: 'stack: project, iam, cloudrun, monitoring or tfcworkspaces'}),
  }
  static override flags = {
    format: Flags.option({options: GRAPH_FORMATS, description: 'output format (default: svg file on a terminal, dot when piped)'})(),
    edition: editionFlag(),
  }

  /**
   * --json: `{"service", "environment", "stack", "format"}` plus `graph` (the graph object for json, the
   * DOT or SVG text otherwise) or, when written to a file, `file`.
   */
  async run(): Promise<{service: string; environment: string; stack: string; format: string; graph?: unknown; file?: string}> {
    const {args, flags} = await this.parse(TfcGraph)
    const root = this.repoRoot(flags.repo)
    const service = await this.serviceArg(root, args.service)
    const env = this.environmentArg(service, args.env)
    const stack = STACK_NAMES.find((s) => s === args.stack)
    if (!stack) throw new UsageError('missing the stack id argument', {hint: `available stacks: ${STACK_NAMES.join(', ')}`})
    const graph = buildStackGraph(environmentStack(service, env, stack, this.editions(root, flags.edition)(env.category).edition))
    const format = flags.format ?? (this.out.stdoutIsTTY ? undefined : 'dot')
    const doc = {service: service.id, environment: env.id, stack}
    if (format) {
      const text = (await formatStackGraph(graph, format)).trimEnd()
      if (!this.jsonEnabled()) this.out.result(text)
      return {...doc, format, graph: format === 'json' ? graph : text}
    }
    const file = await writeStackGraphSvg({graph, serviceId: service.id, envId: env.id, stack, dir: root, writes: this.writes})
    this.out.success(`Graph rendered in ${this.out.errStyle('cyan', file)}`)
    return {...doc, format: 'svg', file}
  }
}
