import {Command} from '@oclif/core/command'
import {UserError} from '../lib/io/errors.js'
import {complete, type CompletionCommand} from '../lib/completion/complete.js'
import {formatCompletion} from '../lib/completion/scripts.js'
import {repoCompletionSources} from '../lib/completion/sources.js'
import {OPEN_TARGETS} from '../lib/links/environment.js'
import {resolveRepoRoot} from '../lib/repo/root.js'

export default class Complete extends Command {
  static override hidden = true
  static override strict = false
  static override summary = 'List shell completion candidates (used by the scripts of `msp completion`).'
  static override description = 'Takes the words typed after `msp`, the last one being the word under the cursor, and prints one candidate per line.'
  static override examples = ['<%= config.bin %> __complete -- logs ""', '<%= config.bin %> __complete -- open cody-analytics prod ""']

  async run(): Promise<void> {
    // The words are read raw, not parsed: they hold the user's flags, which are not ours.
    const words = this.argv[0] === '--' ? this.argv.slice(1) : this.argv
    const commands: CompletionCommand[] = this.config.commands.map((c) => ({
      id: c.id,
      aliases: c.aliases,
      hidden: c.hidden,
      args: Object.values(c.args ?? {}).map((a) => ({name: a.name, options: a.options})),
      flags: Object.values(c.flags ?? {}).map((f) => ({
        name: f.name,
        char: f.char,
        takesValue: f.type === 'option',
        options: f.type === 'option' ? f.options : undefined,
      })),
    }))
    const result = await complete({
      words,
      commands,
      sources: (flags) => {
        let root: string | undefined
        try {
          root = resolveRepoRoot({cwd: process.cwd(), flag: flags.repo, env: process.env}).dir
        } catch (error) {
          // Outside a repository there is nothing to offer, and a completion must never print an error.
          if (!(error instanceof UserError)) throw error
        }
        const named = {target: OPEN_TARGETS}
        return root === undefined ? {services: async () => [], environments: async () => [], named} : repoCompletionSources(root, named)
      },
    })
    process.stdout.write(formatCompletion(result))
  }
}
