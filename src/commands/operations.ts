import * as Args from '@oclif/core/args'
import {editionFlag, MspCommand} from '../cli/base-command.js'
import {renderOperationsPage, styleMarkdownForTerminal} from '../lib/handbook/operations-page.js'
import {gitRevision} from '../lib/repo/git.js'

export default class Operations extends MspCommand {
  static override aliases = ['ops']
  static override summary = "Print a service's operations page (environments, Entitle requests, console links, alert policies) as Markdown."
  static override description =
    `Renders the same page as the operations handbook (see msp handbook), with absolute handbook links and a header that names ` +
    `only the repository revision. The alert policies come from the spec through the monitoring model, so \`msp generate\` does not need to have run (the ` +
    `original read them back from generated Terraform).

Output is Markdown on stdout: lightly highlighted on a colour terminal, plain when piped (or with NO_COLOR), so it can go into a pager or a Markdown viewer.`
  static override examples = ['<%= config.bin %> operations cody-analytics', '<%= config.bin %> ops gatekeeper | glow -']
  static override usage = ['SERVICE']
  static override args = {
    service: Args.string({description: 'service id (a folder under services/)'}),
  }
  static override flags = {edition: editionFlag()}

  /** --json: `{"service", "revision", "markdown"}` (the plain page without its final newline; revision null outside git). */
  async run(): Promise<{service: string; revision: string | null; markdown: string}> {
    const {args, flags} = await this.parse(Operations)
    const root = this.repoRoot(flags.repo)
    const service = await this.serviceArg(root, args.service)
    const revision = await gitRevision(root)
    const markdown = renderOperationsPage(service, {edition: this.editions(root, flags.edition)().edition, revision}).replace(/\n$/, '')
    if (!this.jsonEnabled()) this.out.result(styleMarkdownForTerminal(markdown, this.out.style))
    return {service: service.id, revision: revision ?? null, markdown}
  }
}
