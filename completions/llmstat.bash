# bash completion for llmstat(1)                          -*- shell-script -*-
#
# Installed as share/bash-completion/completions/llmstat, or sourced.
# Completes the report (first word), options, option values (formats,
# --color, --by keys, KPI names for --alert, time zones for --tz, fields for
# --map and --where) and file names.  Kept in step with src/options.c,
# src/report.c and src/alert.c by tests/test_docs.c.

_llmstat_reports="summary daily weekly monthly hourly users top-users models
    providers features errors sessions feedback anomalies retention slow"

_llmstat_opts_arg="--format --by --where --since --until --alert --top --slow-ms
    --save-state --schema --map --dedup --score --flag --tz --requery-window
    --prices --cost-field --jobs --max-errors --color"
_llmstat_opts_noarg="--compare --no-dedup --no-log-cost --fail-unpriced --no-builtin-prices
    --strict --no-csv-guard
    --quiet --help --version"
_llmstat_short="-f -j -q -h -V"

_llmstat_fields="time request user session model provider feature status error
    error_type latency ttft input_tokens output_tokens cached_tokens
    cache_write_tokens cost cache_hit rating success regenerated prompt"

_llmstat_by_keys="model provider user session feature status error_type error
    cache_hit success regenerated hour day week month hour_of_day weekday"

_llmstat_kpis="requests rejected_lines errors error_rate status_4xx status_5xx
    rate_limited timeouts timeout_share_of_errors cache_hit_rate total_cost
    unpriced_requests cost_per_request cost_per_request_p50
    cost_per_request_p95 cost_per_request_p99 cost_per_1k_tokens active_users
    cost_per_user cost_per_user_p50 cost_per_user_p95 cost_per_user_p99
    p95_user_threshold p95_users p95_users_cost_share cost_per_session
    cost_per_successful_task cache_savings input_tokens output_tokens
    cached_tokens total_tokens tokens_per_request tokens_per_request_p50
    tokens_per_request_p95 tokens_per_request_p99 output_tokens_per_success
    latency_p50 latency_p95 latency_p99 latency_mean latency_max ttft_p50
    ttft_p95 ttft_p99 tpot_p50 tpot_p95 requests_per_second
    peak_requests_per_minute requests_per_user requests_per_user_p50
    requests_per_user_p95 dau_mean wau_mean mau_mean sessions
    requests_per_session session_duration_mean_ms feedback_count feedback_mean
    feedback_1 feedback_2 feedback_3 feedback_4 feedback_5 nps regenerate_rate
    requery_rate tasks successful_tasks task_success_rate days cost_daily_mean
    cost_daily_median cost_daily_min cost_daily_max cost_monthly_projected
    cost_anomaly_days cost_spike_days lines_read blank_lines duplicate_records
    filtered_records feedback_records extra_records invalid_values"

# File names matching an optional extended glob (without bash-completion's
# _filedir when it is not loaded).
_llmstat_files()
{
    if declare -F _filedir >/dev/null; then
        _filedir "$@"
        return
    fi
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -f -- "$cur"))
}

# Time zone names under $TZDIR (/usr/share/zoneinfo), one level at a time.
_llmstat_zones()
{
    local dir=${TZDIR:-/usr/share/zoneinfo} z
    local IFS=$'\n'
    for z in $(cd "$dir" 2>/dev/null && compgen -f -- "$cur"); do
        case ${z##*/} in
        [A-Z]*) ;;
        *) continue ;;
        esac
        if [[ -d $dir/$z ]]; then
            COMPREPLY+=("$z/")
        else
            COMPREPLY+=("$z")
        fi
    done
    [[ -d $dir ]] || COMPREPLY+=($(compgen -W "UTC" -- "$cur"))
    [[ ${COMPREPLY[*]} == */* ]] && compopt -o nospace 2>/dev/null
}

# The value of option $1, being typed as $cur.
_llmstat_value()
{
    local IFS=$' \t\n' q=""
    case $cur in
    \'* | \"*) q=${cur:0:1} cur=${cur:1} ;;
    esac
    case $1 in
    -f | --format)
        COMPREPLY=($(compgen -W "table csv json" -- "$cur")) ;;
    --schema)
        COMPREPLY=($(compgen -W "auto generic openai anthropic helicone litellm posthog otel langfuse claude-code" -- "$cur")) ;;
    --color)
        COMPREPLY=($(compgen -W "auto always never" -- "$cur")) ;;
    --by)
        # comma-separated: complete the key after the last comma
        local pre=""
        [[ $cur == *,* ]] && pre=${cur%,*},
        COMPREPLY=($(compgen -P "$pre" -W "$_llmstat_by_keys" -- "${cur##*,}"))
        compopt -o nospace 2>/dev/null ;;
    --alert)
        COMPREPLY=($(compgen -W "$_llmstat_kpis cost-spike latency-spike" -- "$cur")) ;;
    --map)
        COMPREPLY=($(compgen -S = -W "$_llmstat_fields" -- "$cur"))
        compopt -o nospace 2>/dev/null ;;
    --where)
        COMPREPLY=($(compgen -W "$_llmstat_fields" -- "$cur"))
        compopt -o nospace 2>/dev/null ;;
    --since | --until)
        COMPREPLY=($(compgen -W "now today yesterday 1h 24h 7d 30d" -- "$cur")) ;;
    --tz)
        _llmstat_zones ;;
    --prices)
        _llmstat_files '@(json|csv)' ;;
    --save-state)
        _llmstat_files ;;
    --requery-window)
        COMPREPLY=($(compgen -W "10s 30s 1m 5m" -- "$cur")) ;;
    *)  # --top, --jobs, --max-errors: a number; --score, --flag: NAME=PATH
        ;;
    esac
}

_llmstat()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev="" i
    local cword=$COMP_CWORD
    COMPREPLY=()
    (( cword > 0 )) && prev=${COMP_WORDS[cword - 1]}

    # --opt=value: bash splits it into "--opt" "=" "value"
    if [[ $cur == = ]]; then
        cur=""
        _llmstat_value "$prev"
        return
    fi
    if [[ $prev == = ]] && (( cword > 1 )); then
        _llmstat_value "${COMP_WORDS[cword - 2]}"
        return
    fi

    # --opt=value in one word (when "=" is not a word break)
    if [[ $cur == --*=* ]]; then
        local opt=${cur%%=*}
        cur=${cur#*=}
        _llmstat_value "$opt"
        COMPREPLY=("${COMPREPLY[@]/#/$opt=}")
        return
    fi

    case $prev in
    -f | --format | --by | --where | --since | --until | --alert | --top | --slow-ms | \
    --save-state | --map | --score | --flag | --tz | --requery-window | \
    --prices | -j | --jobs | --max-errors | --color)
        _llmstat_value "$prev"
        return ;;
    esac

    # after "--" only files
    for ((i = 1; i < cword; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            _llmstat_files
            return
        fi
    done

    if [[ $cur == -* ]]; then
        local IFS=$' \t\n'
        COMPREPLY=($(compgen -W "$_llmstat_opts_arg $_llmstat_opts_noarg" -- "$cur"))
        [[ $cur == - ]] && COMPREPLY+=($_llmstat_short)
        return
    fi

    if (( cword == 1 )); then
        local IFS=$' \t\n'
        COMPREPLY=($(compgen -W "$_llmstat_reports" -- "$cur"))
    fi
    _llmstat_files
} &&
    complete -F _llmstat llmstat

# ex: filetype=sh
