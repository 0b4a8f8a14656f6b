import * as Args from '@oclif/core/args'
import {MspCommand} from '../cli/base-command.js'
import {completionScript, SHELLS} from '../lib/completion/scripts.js'

export default class Completion extends MspCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.'
  static override description =
    `The script completes commands, flags, service ids, then environment ids of that service, then \`open\` targets, reading ` +
    `the repository you are in (or the one given with --repo on the line).

bash: add 'source <(<%= config.bin %> completion bash)' to ~/.bashrc
zsh:  add 'source <(<%= config.bin %> completion zsh)' to ~/.zshrc (after compinit)
fish: <%= config.bin %> completion fish > ~/.config/fish/completions/<%= config.bin %>.fish`
  static override examples = ['<%= config.bin %> completion bash >> ~/.bashrc', '<%= config.bin %> completion fish > ~/.config/fish/completions/msp.fish']
  static override args = {
    shell: Args.option({options: SHELLS, description: 'the shell to complete in'})({required: true}),
  }

  /** --json: `{"shell", "script"}` (the script without its final newline: `jq -r .script` prints it as is). */
  async run(): Promise<{shell: string; script: string}> {
    const {args} = await this.parse(Completion)
    const script = completionScript(args.shell, this.config.bin).replace(/\n$/, '')
    if (!this.jsonEnabled()) this.out.result(script)
    return {shell: args.shell, script}
  }
}
