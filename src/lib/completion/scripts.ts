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
  local line="\${COMP_LINE:0:COMP_POINT}" words out cur IFS noglob=1
  # Split the line ourselves: COMP_WORDS would also split at '=' and ':'.
  read -r -a words <<< "$line"
  if [[ -z "$line" || "$line" == *[[:space:]] ]]; then words+=(""); fi
  cur="\${words[\${#words[@]}-1]}"
  out="$(${bin} ${COMPLETE_COMMAND} -- "\${words[@]:1}" 2>/dev/null)" || return 0
  IFS=$'\\n'
  # Candidates come from specs: split them at line breaks only, never glob-expand them (an id like
  # /*/*/* would make bash walk the whole disk). set -f for the split only, as the user had it after.
  [[ $- == *f* ]] || { noglob=0; set -f; }
  if [[ "\${out##*$'\\n'}" == "${FILES_DIRECTIVE}" ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
  else
    COMPREPLY=($out)
  fi
  (( noglob )) || set +f
}
complete -F ${fn} ${bin}
`
    }
    case 'zsh': {
      // The standard #compdef file: compinit autoloads it as the function _<bin> and calls it, so the
      // file defines the completer and, when run that way, also completes the current line: the first
      // TAB of a new shell works. Sourced (source <(msp completion zsh)), it only registers itself.
      const name = `_${bin.replaceAll(/[^A-Za-z0-9_]/g, '_')}`
      return `#compdef ${bin}
# ${bin} completion for zsh. Install: ${bin} completion zsh > "\${fpath[1]}/${name}" (then start a new shell)
# (or add 'source <(${bin} completion zsh)' to ~/.zshrc after compinit)
${name}() {
  local out line
  local -a described
  out="$(${DESCRIPTIONS_ENV}=1 ${bin} ${COMPLETE_COMMAND} -- "\${(@)words[2,CURRENT]}" 2>/dev/null)" || return 1
  for line in "\${(@f)out}"; do
    [[ -z "$line" ]] && continue
    if [[ "$line" == "${FILES_DIRECTIVE}" ]]; then
      _files
      return
    fi
    # value<TAB>description; a colon in the value is escaped for _describe.
    if [[ "$line" == *$'\\t'* ]]; then
      described+=("\${\${line%%$'\\t'*}//:/\\:}:\${line#*$'\\t'}")
    else
      described+=("\${line//:/\\:}")
    fi
  done
  (( \${#described} )) && _describe -t values '${bin}' described
}
if [[ "\${funcstack[1]}" == "${name}" ]]; then
  ${name} "$@"
else
  compdef ${name} ${bin}
fi
`
    }
    case 'fish': {
      return `# ${bin} completion for fish. Install: ${bin} completion fish > ~/.config/fish/completions/${bin}.fish
function ${fn}
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l out (env ${DESCRIPTIONS_ENV}=1 ${bin} ${COMPLETE_COMMAND} -- $tokens[2..-1] "$cur" 2>/dev/null)
    if test (count $out) -gt 0; and test "$out[-1]" = "${FILES_DIRECTIVE}"
        __fish_complete_path "$cur"
    else
        # value<TAB>description: fish shows the description next to the value.
        printf '%s\\n' $out
    end
end
complete -c ${bin} -f -a '(${fn})'
`
    }
  }
}

/** Set by the zsh and fish scripts: each candidate line then carries its description after a tab. */
export const DESCRIPTIONS_ENV = 'MSP_COMPLETE_DESCRIPTIONS'

/**
 * Renders a completion answer for the scripts: one candidate per line (`value<TAB>description` when
 * the script asked for descriptions), or the files directive last.
 * @param completion - the candidates and whether to fall back to file names
 * @param env - the environment (DESCRIPTIONS_ENV)
 */
export function formatCompletion(
  completion: {candidates: readonly {value: string; description?: string}[]; files: boolean},
  env: Readonly<Record<string, string | undefined>>,
): string {
  const described = Boolean(env[DESCRIPTIONS_ENV])
  const line = (c: {value: string; description?: string}) =>
    described && c.description ? `${c.value}\t${c.description.replaceAll(/[\t\n\r]+/g, ' ')}` : c.value
  return [...completion.candidates.map(line), ...(completion.files ? [FILES_DIRECTIVE] : [])].map((l) => `${l}\n`).join('')
}
