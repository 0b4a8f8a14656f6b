import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {envDefault, MspCommand, timeoutFlag} from '../../cli/base-command.js'
import {checkSelection} from '../../cli/selection.js'
import {renderEnvironmentPlan, runTfcSync} from '../../lib/cloud/tfc-sync-environments.js'
import {WORKSPACE_RUN_MODES, type EnvironmentPlan} from '../../lib/cloud/tfc-sync.js'
import {UsageError} from '../../lib/io/errors.js'
import {createConfirm} from '../../lib/io/prompt.js'
import {requireServiceIds} from '../../lib/repo/services.js'
import {CATEGORIES} from '../../lib/spec/schema.js'

export default class TfcSync extends MspCommand {
  static override aliases = ['terraform-cloud:sync']
  static override summary = 'Create or update the Terraform Cloud project and workspaces of service environments.'
  static override description =
    `For each environment: the TFC project msp-<service>-<env> with its team access, and one workspace per stack (project, ` +
    `iam, cloudrun, monitoring, tfcworkspaces) named msp-<service>-<env>-<stack>, tagged msp, msp-service-<service> and msp-env-<service>-<env>, with ` +
    `remote execution, auto-apply, global remote state and, in VCS mode, the sourcegraph/managed-services repository and the stack's working directory.

Unlike the original, live settings are compared with the desired ones and only differences are written: a second sync changes nothing. --dry-run prints ` +
    `the differing attributes per workspace and writes nothing. --all and --delete ask for confirmation (--yes answers it; without a terminal they ` +
    `refuse). --delete removes workspaces and project but applies no teardown run.

Token: TFE_TOKEN, else TF_TOKEN_app_terraform_io, else ~/.terraform.d/credentials.tfrc.json (terraform login), else (for app.terraform.io only) the secret ` +
    `TFC_ORGANIZATION_TOKEN of Google project sourcegraph-secrets, as the original read it. OAuth client (VCS mode): --oauth-client-id, else ` +
    `TFC_OAUTH_CLIENT_ID, else the secret TFC_OAUTH_CLIENT_ID of sourcegraph-secrets. Either missing everywhere: exit 1, naming every place looked. ` +
    `Address: TFE_ADDRESS (default https://app.terraform.io).`
  static override examples = [
    '<%= config.bin %> tfc sync cody-analytics prod',
    '<%= config.bin %> tfc sync cody-analytics prod --dry-run',
    '<%= config.bin %> tfc sync --workspace-run-mode cli cody-analytics prod',
    '<%= config.bin %> tfc sync --all cody-analytics --yes',
  ]
  static override args = {
    service: Args.string({description: 'service id (optional with --all: every service)'}),
    env: Args.string({description: 'environment id (omit with --all)'}),
  }
  static override flags = {
    all: Flags.boolean({description: 'sync every environment of the service, or of every service when no service is given'}),
    category: Flags.option({options: CATEGORIES, description: 'with --all: only environments of this category'})(),
    'workspace-run-mode': Flags.option({
      options: WORKSPACE_RUN_MODES,
      default: 'vcs' as const,
      description: "vcs, cli, or ignore (keep each workspace's VCS settings)",
    })(),
    delete: Flags.boolean({description: 'delete the workspaces and the project instead (no teardown run is applied)'}),
    'dry-run': Flags.boolean({description: 'print the differences per workspace and write nothing'}),
    yes: Flags.boolean({char: 'y', description: 'answer yes to confirmations (--all, --delete)'}),
    'oauth-client-id': Flags.string({
      env: 'TFC_OAUTH_CLIENT_ID',
      ...envDefault('TFC_OAUTH_CLIENT_ID', undefined),
      description: 'TFC OAuth client for VCS mode [default: the secret TFC_OAUTH_CLIENT_ID of sourcegraph-secrets]',
    }),
    timeout: timeoutFlag({
      description: 'give up after this many seconds: one limit for the whole sync, the confirmation not counted [default: 20 per environment]',
    }),
  }

  async run(): Promise<{plans: EnvironmentPlan[]}> {
    const {args, flags} = await this.parse(TfcSync)
    const root = this.repoRoot(flags.repo)
    await checkSelection(
      {...args, all: flags.all, category: flags.category},
      {envRequired: true, usage: 'msp tfc sync <service> <env> | msp tfc sync --all [service]', ids: this.selectionIds(root)},
    )
    if (flags.delete && args.service === undefined) throw new UsageError('cannot delete workspaces for all services')
    const [dryRun, json] = [flags['dry-run'], this.jsonEnabled()]
    const plans = await runTfcSync(
      {
        serviceId: args.service,
        envId: args.env,
        category: flags.category,
        mode: flags['workspace-run-mode'],
        delete: flags.delete,
        dryRun,
        oauthClientId: flags['oauth-client-id'],
      },
      {
        listServices: () => requireServiceIds(root),
        loadService: async (id) => (await this.loadService(root, id)).spec,
        confirm: createConfirm({yes: flags.yes, stdin: this.io.stdin, stderr: this.io.stderr}),
        env: this.io.env,
        homeDir: this.io.home,
        timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
        progress: (line) => this.out.info(line),
        onResult: (plan) => json || this.out.result(renderEnvironmentPlan(plan, {dryRun, style: this.out.style})),
      },
    )
    return {plans}
  }
}
