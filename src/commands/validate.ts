import * as Args from '@oclif/core/args'
import {editionFlag, MspCommand} from '../cli/base-command.js'
import {formatSpecIssue, UserError, type SpecIssue} from '../lib/io/errors.js'
import {validateRepository} from '../lib/repo/validate.js'

export default class Validate extends MspCommand {
  static override summary = 'Check service specs: every problem of every file, with file:line:col.'
  static override description = `Validates every service (or the named ones): schema, cross-field rules, README and BigQuery side files, and rules across services (service id = folder name, one DNS name per service). Unknown keys are errors here (a warning elsewhere). Exits 1 if any error is found — unlike the original, which always exited 0.

--json prints {"ok", "errorCount", "warningCount", "issues": [{file, line, column, path, message, severity}]} for editor and CI annotations.`
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate cody-analytics telemetry-gateway', '<%= config.bin %> validate --json | jq \'.issues[]\'']
  static override strict = false
  static override enableJsonFlag = true
  static override args = {service: Args.string({description: 'service ids to check (default: all)'})}
  static override flags = {edition: editionFlag()}

  async run(): Promise<{ok: boolean; errorCount: number; warningCount: number; issues: SpecIssue[]}> {
    const {argv, flags} = await this.parse(Validate)
    const root = this.repoRoot(flags.repo)
    const report = await validateRepository(root, argv as string[], this.editions(root, flags.edition)().edition)
    const doc = {ok: report.errorCount === 0, errorCount: report.errorCount, warningCount: report.warningCount, issues: report.issues}
    if (this.jsonEnabled()) {
      // The document is the result even when it lists errors; the exit code still says "failed".
      if (!doc.ok) process.exitCode = 1
      return doc
    }
    const s = this.out.style
    for (const issue of report.folders) this.out.result(`${s('red', 'error')} ${formatSpecIssue(issue)}`)
    for (const service of report.services) {
      if (service.issues.length === 0) this.out.result(`${s('green', '✓')} ${service.id}`)
      for (const issue of service.issues) {
        this.out.result(`${issue.severity === 'error' ? s('red', 'error') : s('yellow', 'warning')} ${formatSpecIssue(issue)}`)
      }
    }
    const summary = `Checked ${report.services.length} service specification${report.services.length === 1 ? '' : 's'}: ${report.errorCount} error${report.errorCount === 1 ? '' : 's'}, ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}`
    if (report.errorCount > 0) throw new UserError(summary)
    this.out.info(summary)
    return doc
  }
}
