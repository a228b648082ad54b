# bash completion for conform and conform-refserver.
# Installed as share/bash-completion/completions/conform (and a copy named
# conform-refserver). Case ids (-f) and tags (-t) come from `conform list`
# run with the config, --builtin and paths already on the command line.

# _conform_list: conform list with what loads the suites among the words
# typed so far (--config, --builtin, --base-url, --var and the PATHs): list
# refuses run's options, and without -f, -t and --shard every case of those
# suites is listed.
_conform_list()
{
    local -a args=()
    local i w take=0 skip=0
    for ((i = 2; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if ((take)); then take=0; args+=("$w"); continue; fi
        if ((skip)); then skip=0; continue; fi
        case $w in
        -c | --config | -b | --base-url | -D | --var) args+=("$w"); take=1 ;;
        --config=* | --base-url=* | --var=* | --builtin) args+=("$w") ;;
        -f | --filter | -t | --tag | --shard | -o | --junit | --junit-flavor | --summary-md | \
            --timeout | --max-body | -j | --jobs | -r | --repeat | --rerun | --rate | --max-wait | \
            --min-coverage | --json | --html | --color | --colour | --format | --known | \
            --known-fixed | --cacert | --cert | --key | --connect-timeout | --proxy | --noproxy | \
            -H | --header | -A | --user-agent) skip=1 ;;
        -*) ;;
        *) args+=("$w") ;;
        esac
    done
    "${COMP_WORDS[0]}" list "${args[@]}" 2>/dev/null
}

_conform()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="run list coverage derive lint validate help"
    # The options of each command (`conform COMMAND --help`); one of another
    # command is refused.
    local load_opts="--config --builtin --base-url --var --help"
    local select_opts="$load_opts --filter --tag --shard"
    local run_opts="$select_opts --junit --timeout --max-body --fail-fast --jobs --repeat
        --verbose --coverage --min-coverage --cacert --cert --key --insecure --connect-timeout
        --proxy --noproxy --header --user-agent --json --html --color --format --rerun --rate
        --max-wait --summary-md --junit-flavor --known --known-fixed"
    local validate_opts="--spec --operation --status --media --schema --help"
    local derive_opts="--operation --target --output --help"

    if ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W "$commands --help --version --data-dir" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]}
    case $cmd in
    help)
        ((COMP_CWORD == 2)) && COMPREPLY=($(compgen -W "run list coverage derive lint validate" -- "$cur"))
        return
        ;;
    derive)
        case $prev in
        -o | --output) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
        --operation | --target) ;;
        *)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$derive_opts" -- "$cur"))
            else
                compopt -o filenames 2>/dev/null
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            ;;
        esac
        return
        ;;
    validate)
        case $prev in
        --spec | --schema) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
        --operation | --status | --media) ;;
        *)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$validate_opts" -- "$cur"))
            else
                compopt -o filenames 2>/dev/null
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            ;;
        esac
        return
        ;;
    run | list | coverage | lint) ;;
    *) return ;;
    esac

    case $prev in
    --color)
        COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
        return
        ;;
    --format)
        COMPREPLY=($(compgen -W "text tap" -- "$cur"))
        return
        ;;
    --known-fixed)
        COMPREPLY=($(compgen -W "fail warn" -- "$cur"))
        return
        ;;
    --junit-flavor)
        COMPREPLY=($(compgen -W "jenkins gitlab" -- "$cur"))
        return
        ;;
    -c | --config | -o | --junit | --json | --html | --summary-md | --cacert | --cert | --key | \
        --known)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    -f | --filter)
        COMPREPLY=($(compgen -W "$(_conform_list | awk '/^  [^ ]/ { print $1 }')" -- "$cur"))
        return
        ;;
    -t | --tag)
        local tags
        tags=$(_conform_list | awk '/^  [^ ]/ && $2 ~ /^\[/ {
                   gsub(/[][]/, "", $2); n = split($2, t, ","); for (i = 1; i <= n; i++) print t[i] }' |
               sort -u)
        COMPREPLY=($(compgen -W "$tags" -- "$cur"))
        return
        ;;
    -b | --base-url | -D | --var | --timeout | --max-body | -j | --jobs | -r | --repeat | \
        --min-coverage | --connect-timeout | --proxy | --noproxy | -H | --header | -A | --user-agent | \
        --shard | --rerun | --rate | --max-wait)
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        local opts=$run_opts
        case $cmd in
        list) opts=$select_opts ;;
        coverage) opts="$select_opts --min-coverage" ;;
        lint) opts=$load_opts ;;
        esac
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    # A PATH: with --builtin, the shipped suites; else files and folders.
    local w
    for w in "${COMP_WORDS[@]}"; do
        if [[ $w == --builtin ]]; then
            local data
            data=$("${COMP_WORDS[0]}" --data-dir 2>/dev/null) || return
            COMPREPLY=($(cd "$data/suites" 2>/dev/null && compgen -f -- "$cur"))
            return
        fi
    done
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
}

_conform_refserver()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    case $prev in
    --fault)
        COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" --list-faults 2>/dev/null | awk '{ print $1 }')" \
                                -- "$cur"))
        return
        ;;
    --profile)
        COMPREPLY=($(compgen -W "documented rasa-1.2.1" -- "$cur"))
        return
        ;;
    --portfile | --access-log)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --port | --threads | --fault-delay-ms) return ;;
    esac
    COMPREPLY=($(compgen -W "--port --portfile --profile --stateless --threads --fault
        --fault-delay-ms --access-log --list-faults --help --version" -- "$cur"))
}

complete -F _conform conform
complete -F _conform_refserver conform-refserver
