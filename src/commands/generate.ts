import * as Flags from '@oclif/core/flags'
import {editionFlag, envDefault, MspCommand} from '../cli/base-command.js'
import {checkSelection, selectionArgs, selectionFlags} from '../cli/selection.js'
import {ExitCode, setExitCode} from '../cli/exit.js'
import {UserError} from '../lib/io/errors.js'
import {generateServices} from '../lib/generate/generate.js'
import {workerCount} from '../lib/io/threads.js'
import {
  describeCheckFailure,
  describeEnvironment,
  describeStale,
  describeSummary,
  generateReport,
  resolveGenerateTargets,
  type GenerateReport,
} from '../lib/generate/targets.js'
import {DEFAULT_TERRAFORM_VERSION, TERRAFORM_VERSION_ENV} from '../lib/terraform/version.js'

export default class Generate extends MspCommand {
  static override aliases = ['gen']
  static override summary = 'Generate the Terraform (CDKTF-compatible JSON) of service environments.'
  static override description =
    `Writes services/<service>/terraform/<env>/.tool-versions and stacks/<stack>/cdk.tf.json for the five stacks (project, ` +
    `iam, cloudrun, monitoring, tfcworkspaces), the layout the original \`sg msp generate\` used, so existing Terraform Cloud workspaces keep working.

Every spec is loaded and every file rendered in memory first: a spec error aborts before anything is written. Files are written atomically and only when ` +
    `their bytes change; files under stacks/ that are no longer generated are removed. With --check nothing is written; it compares content (never ` +
    `timestamps) and exits 1 listing every file that would change and every environment folder the spec no longer has (for CI; --json: "changed" and ` +
    `"stale"). A stale folder is reported, never deleted: its workspaces may still hold live infrastructure.`
  static override examples = [
    '<%= config.bin %> generate cody-analytics prod',
    '<%= config.bin %> generate cody-analytics',
    '<%= config.bin %> gen --all --category test',
    '<%= config.bin %> generate --all --check',
  ]
  static override args = selectionArgs
  static override flags = {
    ...selectionFlags,
    check: Flags.boolean({description: 'write nothing; exit 1 listing every file that would change and every stale environment folder'}),
    edition: editionFlag(),
    stable: Flags.option({
      options: ['true', 'false'] as const,
      default: 'true',
      description: 'false: resolve subscription image tags to <tag>@<digest> and rewrite their terraform.tfvars',
    })(),
    'terraform-version': Flags.string({
      env: TERRAFORM_VERSION_ENV,
      ...envDefault(TERRAFORM_VERSION_ENV, DEFAULT_TERRAFORM_VERSION),
      description: 'Terraform version for required_version and .tool-versions',
    }),
  }

  async run(): Promise<GenerateReport> {
    const {args, flags} = await this.parse(Generate)
    const [root, selection] = [this.repoRoot(flags.repo), {serviceId: args.service, envId: args.env, category: flags.category}]
    await checkSelection(
      {...args, all: flags.all, category: flags.category},
      {envRequired: false, usage: 'msp generate <service> [env] | msp generate --all', ids: this.selectionIds(root)},
    )
    const workers = workerCount(this.io.env)
    const targets = await resolveGenerateTargets(root, selection, this.serviceLoader(), {cache: this.specCache(), workers})
    this.printWarnings(targets.warnings)
    const summary = await generateServices({
      root,
      services: targets.services,
      ...(targets.envIds ? {envIds: targets.envIds} : {}),
      ...(targets.category ? {category: targets.category} : {}),
      ...{terraformVersion: flags['terraform-version'], check: flags.check, stable: flags.stable === 'true', env: this.io.env},
      writes: this.writes,
      workers,
      editions: this.editions(root, flags.edition),
      onEnvironment: (result) => this.out.info(describeEnvironment(result, flags.check)),
      ...this.generationStamps(),
    })
    this.printWarnings(summary.warnings)
    for (const notice of summary.notices) this.out.warn(notice)
    for (const dir of summary.stale) this.out.warn(describeStale(dir))
    const report = generateReport(summary, flags.check)
    ;(report.ok ? this.out.success : this.out.info)(describeSummary(summary, flags.check))
    if (report.ok) return report
    setExitCode(ExitCode.error) // --json: the report, with every differing and stale path, is the result
    if (this.jsonEnabled()) return report
    for (const p of [...report.changed, ...report.stale]) this.out.result(p)
    const failure = describeCheckFailure(report.changed.length, report.stale.length)
    throw new UserError(failure.message, {hint: failure.hint})
  }
}
