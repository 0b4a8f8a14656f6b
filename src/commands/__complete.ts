import {Command} from '@oclif/core/command'
import {readCommandTable} from '../cli/argv.js'
import {currentIo} from '../cli/io.js'
import {complete} from '../lib/completion/complete.js'
import {formatCompletion} from '../lib/completion/scripts.js'
import {completionSourcesFor} from '../lib/completion/sources.js'

export default class Complete extends Command {
  static override hidden = true
  static override strict = false
  static override summary = 'List shell completion candidates (used by the scripts of `msp completion`).'
  static override description = 'Takes the words typed after `msp`, the last one being the word under the cursor, and prints one candidate per line.'
  static override examples = ['<%= config.bin %> __complete -- logs ""', '<%= config.bin %> __complete -- open cody-analytics prod ""']

  async run(): Promise<void> {
    // The words are read raw, not parsed: they hold the user's flags, which are not ours.
    const words = this.argv[0] === '--' ? this.argv.slice(1) : this.argv
    const io = currentIo()
    const result = await complete({
      words,
      table: readCommandTable(),
      sources: (flags) => completionSourcesFor({cwd: io.cwd, repoFlag: flags.repo, env: io.env}),
    })
    io.stdout.write(formatCompletion(result, io.env))
  }
}
