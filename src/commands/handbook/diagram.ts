import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {editionFlag, MspCommand} from '../../cli/base-command.js'
import {diagramDestination, writeDiagramFile} from '../../lib/handbook/generate.js'
import {renderDiagram} from '../../lib/handbook/operations-page.js'
import {svgProgress} from '../../lib/handbook/progress.js'
import {createSvgRenderer} from '../../lib/handbook/svg.js'
import {createProgress} from '../../lib/io/progress.js'

export default class HandbookDiagram extends MspCommand {
  static override summary = "Print one environment's architecture diagram as a graph (JSON), D2 source or SVG."
  static override description =
    `The diagram shows the Cloud Run runtime, Sentry, Monitoring (and Opsgenie), Cloud Trace, private networking to Redis and ` +
    `Cloud SQL, BigQuery, and the ingress path (load balancer, Cloud Armor, external IP, Cloudflare, Internet), as on the handbook pages.

json prints {"nodes": [...], "edges": [...]} (nodes: id, parent, label, shape; edges: from, to, bidirectional, label). svg compiles the D2 source with the ` +
    `D2 WebAssembly build (dagre layout); it takes a few seconds to load.

Without --format: on a terminal the SVG is written to <service>-<env>.svg in the repository root (as tfc graph does; --format svg on a terminal too); ` +
    `piped, the D2 source is printed. --format d2 or json always prints.`
  static override examples = [
    '<%= config.bin %> handbook diagram sams prod',
    '<%= config.bin %> handbook diagram sams prod --format d2',
    '<%= config.bin %> handbook diagram sams prod --format json',
    '<%= config.bin %> handbook diagram sams prod --format svg > sams-prod.svg',
  ]
  static override usage = ['SERVICE ENV [--format d2|json|svg]']
  static override args = {
    service: Args.string({description: 'service id'}),
    env: Args.string({description: 'environment id of that service'}),
  }
  static override flags = {
    format: Flags.option({options: ['d2', 'json', 'svg'] as const, description: 'output format (default: an SVG file on a terminal, d2 when piped)'})(),
    edition: editionFlag(),
  }

  /**
   * --json: `{"service", "environment", "format"}` plus `diagram` (the graph object for json, the D2 or
   * SVG text otherwise) or, when written to a file, `file`.
   */
  async run(): Promise<{service: string; environment: string; format: string; diagram?: unknown; file?: string}> {
    const {args, flags} = await this.parse(HandbookDiagram)
    const root = this.repoRoot(flags.repo)
    const service = await this.serviceArg(root, args.service)
    const env = this.environmentArg(service, args.env)
    const edition = this.editions(root, flags.edition)().edition
    const progress = createProgress(this.io.stderr, this.io.env)
    const {onEvent} = svgProgress(progress, 'the diagram')
    const {format, toFile} = diagramDestination(flags.format, this.out.stdoutIsTTY)
    const out = await renderDiagram({spec: service.spec, env, format, edition, createSvgRenderer: () => createSvgRenderer({onEvent})}).finally(() =>
      progress.end(),
    )
    const doc = {service: service.id, environment: env.id, format}
    if (!toFile) {
      const diagram = typeof out === 'string' ? out.replace(/\n$/, '') : out
      if (!this.jsonEnabled()) this.out.result(typeof diagram === 'string' ? diagram : JSON.stringify(diagram, null, 2))
      return {...doc, diagram}
    }
    const file = await writeDiagramFile({svg: String(out), serviceId: service.id, envId: env.id, dir: root, writes: this.writes})
    this.out.success(`Diagram rendered in ${this.out.errStyle('cyan', file)}`)
    return {...doc, file}
  }
}
