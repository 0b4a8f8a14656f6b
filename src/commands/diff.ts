import * as Flags from '@oclif/core/flags'
import {editionFlag, MspCommand, timeoutFlag} from '../cli/base-command.js'
import {ExitCode, setExitCode} from '../cli/exit.js'
import {checkSelection, selectionArgs, selectionFlags} from '../cli/selection.js'
import {renderDiffMarkdown, renderDiffText, type DiffDocument} from '../lib/diff/report.js'
import {runDiff} from '../lib/diff/run.js'
import {describeStale, resolveGenerateTargets} from '../lib/generate/targets.js'
import {UsageError} from '../lib/io/errors.js'
import {DEFAULT_TERRAFORM_VERSION, TERRAFORM_VERSION_ENV} from '../lib/terraform/version.js'

export default class Diff extends MspCommand {
  static override summary = 'Show what a spec change does to each Terraform workspace, resource by resource, before anyone applies it.'
  static override description =
    `Compares what msp generate would write now with the generated files in the working tree (default), or with the state each ` +
    `workspace holds in Terraform Cloud (--live), workspace by workspace (msp-<service>-<env>-<stack>): resources to create, update (changed attributes, ` +
    `old → new), replace and delete, and changes of outputs, providers, variables and the terraform block. Nothing is written.

--live reads each workspace's current state (TFE_TOKEN, else TF_TOKEN_app_terraform_io, else ~/.terraform.d/credentials.tfrc.json; address TFE_ADDRESS): ` +
    `addresses a plan would create or delete, and attributes whose value is a literal in the configuration and differs from the applied value. ` +
    `--exit-code: 0 without changes, 1 with changes, 2 usage errors.`
  static override examples = [
    '<%= config.bin %> diff cody-analytics prod',
    '<%= config.bin %> diff --all --format markdown > comment.md',
    '<%= config.bin %> diff --all --json --exit-code',
    '<%= config.bin %> diff cody-analytics prod --live',
  ]
  static override args = selectionArgs
  static override flags = {
    ...selectionFlags,
    live: Flags.boolean({description: "compare with each workspace's current state in Terraform Cloud instead of the working tree"}),
    format: Flags.option({
      options: ['text', 'markdown'] as const,
      description: 'text (default) or markdown (a table per workspace, for a pull-request comment)',
    })(),
    'exit-code': Flags.boolean({description: 'exit 1 when there are changes (0 without)'}),
    edition: editionFlag(),
    'terraform-version': Flags.string({env: TERRAFORM_VERSION_ENV, default: DEFAULT_TERRAFORM_VERSION, description: 'Terraform version, as for msp generate'}),
    timeout: timeoutFlag({
      description: 'with --live: give up after this many seconds: one limit for all reads of the comparison [default: 20 per environment]',
    }),
  }

  async run(): Promise<DiffDocument> {
    const {args, flags} = await this.parse(Diff)
    if (this.jsonEnabled() && flags.format !== undefined)
      throw new UsageError("'--json' and '--format' cannot be used together", {hint: 'msp diff --json | msp diff --format markdown'})
    if (!flags.live && flags.timeout !== undefined)
      throw new UsageError("'--timeout' only applies with '--live'", {hint: 'msp diff <service> [env] --live --timeout <seconds>'})
    const root = this.repoRoot(flags.repo)
    await checkSelection(
      {...args, all: flags.all, category: flags.category},
      {envRequired: false, usage: 'msp diff <service> [env] | msp diff --all', ids: this.selectionIds(root)},
    )
    const targets = await resolveGenerateTargets(root, {serviceId: args.service, envId: args.env, category: flags.category}, this.serviceLoader())
    this.printWarnings(targets.warnings)
    const result = await runDiff({
      root,
      services: targets.services,
      ...(targets.envIds ? {envIds: targets.envIds} : {}),
      ...(targets.category ? {category: targets.category} : {}),
      terraformVersion: flags['terraform-version'],
      live: flags.live,
      ...(flags.timeout === undefined ? {} : {timeoutMs: flags.timeout * 1000}),
      editions: this.editions(root, flags.edition),
      env: this.io.env,
      homeDir: this.io.home,
      progress: (line) => this.out.info(line),
      ...(flags.live ? {} : this.generationStamps()),
    })
    for (const dir of result.stale) this.out.warn(describeStale(dir))
    if (flags['exit-code'] && result.document.changes.length > 0) setExitCode(ExitCode.error)
    if (this.jsonEnabled()) return result.document
    const against = flags.live ? 'state' : 'working tree'
    this.out.result(flags.format === 'markdown' ? renderDiffMarkdown(result.document.changes, {against}) : renderDiffText(result.document.changes, {against}))
    return result.document
  }
}
