# bash completion for carom (installed to share/bash-completion/completions/carom).
_carom() {
    local cur prev words cword
    _init_completion || return
    local commands="classify explain rules suppressions verdict limits help"
    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    case $prev in
        --format)
            COMPREPLY=($(compgen -W "jsonl summary html pretty csv" -- "$cur")); return ;;
        --context|--rules)
            _filedir; return ;;
        --limit)
            COMPREPLY=($(compgen -W "$(carom limits 2>/dev/null | sed -n 's/.*"name": *"\([^"]*\)".*/\1=/p')" -- "$cur"))
            compopt -o nospace; return ;;
        -j|--jobs|--header|--soft-count|--soft-days|--source|--exit-on)
            return ;;
    esac
    local options
    case ${words[1]} in
        classify|explain)
            options="--format --context --no-backscatter --rules --no-builtin-rules --header --explain --limit --jobs --progress --no-progress --help" ;;
        suppressions)
            options="--format --soft-count --soft-days --context --no-backscatter --rules --no-builtin-rules --limit --jobs --no-progress --help" ;;
        verdict)
            options="--context --no-backscatter --json --exit-on --rules --no-builtin-rules --header --limit --source --help" ;;
        rules)
            if ((cword == 2)); then COMPREPLY=($(compgen -W "list check" -- "$cur")); return; fi
            options="--rules --no-builtin-rules --help" ;;
        help)
            COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    else
        _filedir
    fi
}
complete -F _carom carom
