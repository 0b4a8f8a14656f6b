/** Shells `msp completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

/** The hidden command the scripts call; it prints one candidate per line. */
export const COMPLETE_COMMAND = '__complete'

/** Last output line of `msp __complete` that asks the shell to complete file names instead. */
export const FILES_DIRECTIVE = ':files'

/**
 * The completion script for one shell. Each script hands the words typed so far (the last one being
 * the word under the cursor, possibly empty) to `<bin> __complete -- …` and offers its output lines.
 * @param shell - bash, zsh or fish
 * @param bin - the executable name (`msp`)
 */
export function completionScript(shell: Shell, bin: string): string {
  const fn = `_${bin.replaceAll(/[^A-Za-z0-9_]/g, '_')}_complete`
  switch (shell) {
    case 'bash': {
      return `# ${bin} completion for bash. Install: ${bin} completion bash > ~/.local/share/bash-completion/completions/${bin}
# (or add 'source <(${bin} completion bash)' to ~/.bashrc)
${fn}() {
  local line="\${COMP_LINE:0:COMP_POINT}" words out cur IFS
  # Split the line ourselves: COMP_WORDS would also split at '=' and ':'.
  read -r -a words <<< "$line"
  if [[ -z "$line" || "$line" == *[[:space:]] ]]; then words+=(""); fi
  cur="\${words[\${#words[@]}-1]}"
  out="$(${bin} ${COMPLETE_COMMAND} -- "\${words[@]:1}" 2>/dev/null)" || return 0
  IFS=$'\\n'
  if [[ "\${out##*$'\\n'}" == "${FILES_DIRECTIVE}" ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
  else
    COMPREPLY=($out)
  fi
}
complete -F ${fn} ${bin}
`
    }
    case 'zsh': {
      return `#compdef ${bin}
# ${bin} completion for zsh. Install: ${bin} completion zsh > "\${fpath[1]}/_${bin}"
# (or add 'source <(${bin} completion zsh)' to ~/.zshrc after compinit)
${fn}() {
  local out
  local -a candidates
  out="$(${bin} ${COMPLETE_COMMAND} -- "\${(@)words[2,CURRENT]}" 2>/dev/null)" || return 1
  candidates=(\${(f)out})
  if [[ "\${candidates[-1]}" == "${FILES_DIRECTIVE}" ]]; then
    _files
  else
    compadd -- "\${candidates[@]}"
  fi
}
compdef ${fn} ${bin}
`
    }
    case 'fish': {
      return `# ${bin} completion for fish. Install: ${bin} completion fish > ~/.config/fish/completions/${bin}.fish
function ${fn}
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l out (${bin} ${COMPLETE_COMMAND} -- $tokens[2..-1] "$cur" 2>/dev/null)
    if test (count $out) -gt 0; and test "$out[-1]" = "${FILES_DIRECTIVE}"
        __fish_complete_path "$cur"
    else
        printf '%s\\n' $out
    end
end
complete -c ${bin} -f -a '(${fn})'
`
    }
  }
}

/**
 * Renders a completion answer for the scripts: one candidate per line, or the files directive.
 * @param completion - the candidates and whether to fall back to file names
 */
export function formatCompletion(completion: {candidates: readonly string[]; files: boolean}): string {
  return [...completion.candidates, ...(completion.files ? [FILES_DIRECTIVE] : [])].map((l) => `${l}\n`).join('')
}
