import * as Args from '@oclif/core/args'
import {editionFlag, MspCommand} from '../cli/base-command.js'
import {ExitCode, setExitCode} from '../cli/exit.js'
import {type SpecIssue} from '../lib/io/errors.js'
import {formatValidationReport, summarizeValidation, validateRepository} from '../lib/repo/validate.js'

export default class Validate extends MspCommand {
  static override summary = 'Check service specs: every problem of every file, with file:line:col.'
  static override description =
    `Validates every service (or the named ones): schema, cross-field rules, README and BigQuery side files, and rules across ` +
    `services (service id = folder name, one DNS name per service). Unknown keys are errors here (a warning elsewhere). Exits 1 if any error is found — ` +
    `unlike the original, which always exited 0.

--json prints {"ok", "errorCount", "warningCount", "issues": [{file, line, column, path, message, severity}]} for editor and CI annotations.`
  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate cody-analytics telemetry-gateway',
    "<%= config.bin %> validate --json | jq '.issues[]'",
  ]
  static override strict = false
  static override args = {service: Args.string({description: 'service ids to check (default: all)'})}
  static override flags = {edition: editionFlag()}

  async run(): Promise<{ok: boolean; errorCount: number; warningCount: number; issues: SpecIssue[]}> {
    const {argv, flags} = await this.parse(Validate)
    const root = this.repoRoot(flags.repo)
    const report = await validateRepository(root, argv as string[], this.editions(root, flags.edition)().edition)
    const doc = {ok: report.errorCount === 0, errorCount: report.errorCount, warningCount: report.warningCount, issues: report.issues}
    // Errors in the specs are the result, not a failure of the command: no "Error:" line, but exit 1.
    if (!doc.ok) setExitCode(ExitCode.error)
    if (this.jsonEnabled()) return doc
    for (const line of formatValidationReport(report, this.out.mark)) this.out.result(line)
    this.out.info(summarizeValidation(report))
    return doc
  }
}
