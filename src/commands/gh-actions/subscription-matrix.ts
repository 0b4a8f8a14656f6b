import {MspCommand} from '../../cli/base-command.js'
import {loadFleet} from '../../lib/fleet/report.js'
import {buildSubscriptionMatrix, formatSubscriptionMatrix} from '../../lib/authoring/subscription-matrix.js'

export default class SubscriptionMatrix extends MspCommand {
  static override hidden = true
  static override summary = 'Print the GitHub Actions matrix of subscription-deployed environments (compact JSON).'
  static override description =
    `Lists every environment with deploy.type: subscription as {"service":[{"id":…,"env":…,"category":…},…]}, services by id ` +
    `and environments in spec order; {"service":null} when there is none. Used by the managed-services deploy workflow, as 'sg msp gh-actions ` +
    `subscription-matrix' was.`
  static override examples = [
    '<%= config.bin %> gh-actions subscription-matrix',
    'echo "matrix=$(<%= config.bin %> gh-actions subscription-matrix)" >> "$GITHUB_OUTPUT"',
  ]

  async run(): Promise<void> {
    const {flags} = await this.parse(SubscriptionMatrix)
    const {specs, warnings} = await loadFleet(this.repoRoot(flags.repo), this.serviceLoader())
    this.printWarnings(warnings)
    this.out.result(formatSubscriptionMatrix(buildSubscriptionMatrix(specs)))
  }
}
