import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand} from '../cli/base-command.js'
import {UsageError} from '../lib/io/errors.js'
import {initEnvironment, type AuthoringResult} from '../lib/authoring/init.js'
import {DEFAULT_SUFFIX_LENGTH} from '../lib/authoring/project-id.js'
import {createPrompter} from '../lib/io/prompt.js'
import {askEnvironmentId} from '../lib/authoring/questions.js'

export default class InitEnv extends MspCommand {
  static override summary = "Add an environment to an existing service's spec."
  static override description =
    `Appends a new environment (category 'test', manual deploys, 1 CPU / 1Gi, a fresh project ID) to the environments list of ` +
    `services/<service>/service.yaml. Only the new lines are added: every comment and blank line of the file stays as it was. Refuses an environment that ` +
    `already exists.

In a terminal, a missing environment id is asked for.`
  static override examples = ['<%= config.bin %> init-env demo prod', '<%= config.bin %> init-env demo staging --project-id-suffix-length 12']
  static override usage = ['SERVICE [NEW-ENV] [--project-id-suffix-length N] [--json]']
  static override args = {
    service: Args.string({description: 'id of an existing service'}),
    // Not named "env": completion offers existing environment ids for arguments of that name.
    'new-env': Args.string({description: 'id of the new environment, e.g. dev or prod'}),
  }
  static override flags = {
    'project-id-suffix-length': Flags.integer({default: DEFAULT_SUFFIX_LENGTH, min: 2, description: 'length of the random hex suffix of the project ID'}),
  }

  async run(): Promise<AuthoringResult> {
    const {args, flags} = await this.parse(InitEnv)
    const root = this.repoRoot(flags.repo)
    // A missing service id is a usage error listing the services (serviceArg throws for undefined).
    const serviceId = args.service ?? (await this.serviceArg(root, undefined)).id
    let envId = args['new-env']
    if (envId === undefined) {
      if (this.jsonEnabled() || !this.io.stdin.isTTY || !this.io.stdout.isTTY) {
        throw new UsageError('missing the environment id argument', {hint: `e.g. ${this.config.bin} init-env ${serviceId} prod`})
      }
      const prompter = createPrompter({input: this.io.stdin, output: this.io.stderr})
      try {
        envId = await askEnvironmentId(prompter)
      } finally {
        prompter.close()
      }
    }
    const result = await initEnvironment({root, serviceId, envId, suffixLength: flags['project-id-suffix-length'], writes: this.writes})
    this.out.success(`Initialized environment "${result.environment}" in ${result.file}`)
    return result
  }
}
