import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {MspCommand} from '../cli/base-command.js'
import {assertNewServiceId, assertServiceName, initService, schemaFileMissing, writeSchemaFile, type AuthoringResult} from '../lib/authoring/init.js'
import {DEFAULT_SUFFIX_LENGTH} from '../lib/authoring/project-id.js'
import {createPrompter} from '../lib/io/prompt.js'
import {collectInitAnswers, confirmOrCancel} from '../lib/authoring/questions.js'
import {SCHEMA_FILE} from '../lib/authoring/templates.js'
import {serviceSpecFile} from '../lib/spec/layout.js'
import {SERVICE_KINDS} from '../lib/spec/schema.js'

export default class Init extends MspCommand {
  static override summary = 'Scaffold services/<id>/service.yaml for a new service or job.'
  static override description =
    `Writes a spec from the template with one environment ('prod', or 'dev' with --dev) and a fresh project ID ` +
    `<service>-<env>-<random hex>. Refuses to overwrite an existing service.

In a terminal, missing values are asked for (with no argument at all, also the kind and the first environment). Without a terminal, or with --yes, nothing ` +
    `is asked: the service id and --owner are then required, the kind defaults to 'service'.`
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init demo --owner core-services --kind service --dev --yes',
    '<%= config.bin %> init nightly-export --owner data --kind job --name "Nightly Export" --yes',
  ]
  static override args = {
    // Not named "service": completion offers existing service ids for arguments of that name.
    id: Args.string({description: 'id of the new service: lowercase letters, digits and hyphens'}),
  }
  static override flags = {
    owner: Flags.string({description: 'Opsgenie team that owns the service'}),
    name: Flags.string({description: 'human-readable name (default: the id in Title Case)'}),
    kind: Flags.option({options: SERVICE_KINDS, description: 'a long-running service or a scheduled job (default: service)'})(),
    dev: Flags.boolean({description: "start with a 'dev' environment instead of 'prod'"}),
    yes: Flags.boolean({char: 'y', description: 'never prompt: use the flags and defaults'}),
    schema: Flags.boolean({
      allowNo: true,
      description: "write schema/service.schema.json, the file the spec's $schema line names, when absent [default: with the spec on a terminal, else a hint]",
    }),
    'project-id-suffix-length': Flags.integer({default: DEFAULT_SUFFIX_LENGTH, min: 2, description: 'length of the random hex suffix of the project ID'}),
  }

  async run(): Promise<AuthoringResult> {
    const {args, flags} = await this.parse(Init)
    const root = this.repoRoot(flags.repo)
    const interactive = !flags.yes && !this.jsonEnabled() && Boolean(this.io.stdin.isTTY && this.io.stdout.isTTY)
    const prompter = interactive ? createPrompter({input: this.io.stdin, output: this.io.stderr}) : undefined
    try {
      const given = {serviceId: args.id, owner: flags.owner, name: flags.name, kind: flags.kind, dev: flags.dev ? true : undefined}
      const answers = await collectInitAnswers({given, prompter, checkServiceId: (id) => assertNewServiceId(root, id), checkName: assertServiceName})
      // The spec's $schema line names this file: without it editors check nothing, so it is offered with the spec.
      const offerSchema = flags.schema !== false && schemaFileMissing(root)
      if (prompter && offerSchema)
        prompter.say(`The spec's $schema line names ${SCHEMA_FILE}, which does not exist yet: it is written too (--no-schema skips it).`)
      if (prompter) await confirmOrCancel(prompter, `Write ${serviceSpecFile(answers.serviceId)}?`)
      const result = await initService({root, ...answers, suffixLength: flags['project-id-suffix-length'], writes: this.writes})
      this.out.success(`Rendered ${result.kind} template spec in ${result.file}`)
      if (offerSchema && (flags.schema || prompter)) this.out.success(`Rendered service spec JSON schema in ${await writeSchemaFile(root, this.writes)}`)
      else if (offerSchema)
        this.out.info(`hint: the spec's $schema line names ${SCHEMA_FILE}; write it with '${this.config.bin} schema -o ${SCHEMA_FILE}' (or init --schema)`)
      this.out.info(
        `Take a look at the spec to see what you can change, check it with '${this.config.bin} validate ${result.service}', then open a pull request for ` +
          `Core Services review.`,
      )
      return result
    } finally {
      prompter?.close()
    }
  }
}
