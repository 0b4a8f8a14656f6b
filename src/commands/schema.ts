import * as Flags from '@oclif/core/flags'
import {resolve} from 'node:path'
import {MspCommand} from '../cli/base-command.js'
import {writeFileAtomic} from '../lib/io/atomic-file.js'
import {buildJsonSchema} from '../lib/spec/json-schema.js'

export default class Schema extends MspCommand {
  static override summary = 'Print (or write) the JSON Schema of service.yaml, for editors.'
  static override description =
    `The schema (JSON Schema draft 2020-12) is generated from the same zod schema the loader validates with. Reference it from ` +
    `a spec for completion and checks in editors using yaml-language-server:

  # yaml-language-server: $schema=../../schema/service.schema.json

No repository is needed.`
  static override examples = ['<%= config.bin %> schema > service.schema.json', '<%= config.bin %> schema -o schema/service.schema.json']
  static override flags = {
    output: Flags.string({char: 'o', description: 'write the schema to this file (atomically) instead of stdout'}),
  }

  /** --json: the schema itself, or with -o `{"file"}` (the path as given). */
  async run(): Promise<object> {
    const {flags} = await this.parse(Schema)
    const schema = buildJsonSchema()
    const text = `${JSON.stringify(schema, null, 2)}\n`
    if (flags.output === undefined) {
      if (!this.jsonEnabled()) this.out.result(text.trimEnd())
      return schema
    }
    await writeFileAtomic(resolve(this.io.cwd, flags.output), text, this.writes)
    this.out.success(`Rendered service spec JSON schema in ${flags.output}`)
    return {file: flags.output}
  }
}
