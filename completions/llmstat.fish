# fish completion for llmstat(1)
#
# Installed as share/fish/vendor_completions.d/llmstat.fish, or sourced.
# Completes the report (first word), options, option values (formats,
# --color, --by keys, KPI names for --alert, time zones for --tz, fields for
# --map and --where) and file names.  Kept in step with src/options.c,
# src/report.c and src/alert.c by tests/test_docs.c.

complete -c llmstat -e

# True while the first argument is being typed.
function __llmstat_first
    set -l tokens (commandline -opc)
    test (count $tokens) -eq 1
end

# The token being completed, without "--opt=".
function __llmstat_token
    string replace -r -- '^--[a-z-]+=' '' (commandline -ct)
end

# --by: keys, comma-separated.
function __llmstat_by_keys
    set -l pre (string match -r -- '^.*,' (__llmstat_token))
    for k in model provider user session feature status error_type error \
            cache_hit success regenerated hour day week month hour_of_day weekday
        printf '%s%s\n' "$pre" $k
    end
end

# --tz: zone names under $TZDIR (/usr/share/zoneinfo).
function __llmstat_zones
    set -l dir /usr/share/zoneinfo
    if set -q TZDIR; and test -n "$TZDIR"
        set dir $TZDIR
    end
    if not test -d $dir
        echo UTC
        return
    end
    find $dir -mindepth 1 -name '[a-z]*' -prune -o ! -type d -print 2>/dev/null |
        string replace -- "$dir/" ''
end

set -l __llmstat_fields time request user session model provider feature \
    status error error_type latency ttft input_tokens output_tokens \
    cached_tokens cache_write_tokens cost cache_hit rating success \
    regenerated prompt

set -l __llmstat_kpis requests rejected_lines errors error_rate status_4xx \
    status_5xx rate_limited timeouts timeout_share_of_errors cache_hit_rate \
    total_cost unpriced_requests cost_per_request cost_per_request_p50 \
    cost_per_request_p95 cost_per_request_p99 cost_per_1k_tokens active_users \
    cost_per_user cost_per_user_p50 cost_per_user_p95 cost_per_user_p99 \
    p95_user_threshold p95_users p95_users_cost_share cost_per_session \
    cost_per_successful_task cache_savings input_tokens output_tokens \
    cached_tokens total_tokens tokens_per_request tokens_per_request_p50 \
    tokens_per_request_p95 tokens_per_request_p99 output_tokens_per_success \
    latency_p50 latency_p95 latency_p99 latency_mean latency_max ttft_p50 \
    ttft_p95 ttft_p99 tpot_p50 tpot_p95 requests_per_second \
    peak_requests_per_minute requests_per_user requests_per_user_p50 \
    requests_per_user_p95 dau_mean wau_mean mau_mean sessions \
    requests_per_session session_duration_mean_ms feedback_count \
    feedback_mean feedback_1 feedback_2 feedback_3 feedback_4 feedback_5 nps \
    regenerate_rate requery_rate tasks successful_tasks task_success_rate \
    days cost_daily_mean cost_daily_median cost_daily_min cost_daily_max \
    cost_monthly_projected cost_anomaly_days cost_spike_days lines_read \
    blank_lines duplicate_records filtered_records feedback_records \
    extra_records invalid_values

# Reports, as the first argument (files are completed as well).
complete -c llmstat -n __llmstat_first -a summary -d 'every KPI (default)'
complete -c llmstat -n __llmstat_first -a daily -d 'per day'
complete -c llmstat -n __llmstat_first -a weekly -d 'per ISO week'
complete -c llmstat -n __llmstat_first -a monthly -d 'per month'
complete -c llmstat -n __llmstat_first -a hourly -d 'per hour'
complete -c llmstat -n __llmstat_first -a users -d 'per user, by cost'
complete -c llmstat -n __llmstat_first -a top-users -d 'the P95 cost user set'
complete -c llmstat -n __llmstat_first -a models -d 'per model'
complete -c llmstat -n __llmstat_first -a providers -d 'per provider'
complete -c llmstat -n __llmstat_first -a features -d 'per feature'
complete -c llmstat -n __llmstat_first -a errors -d 'errors by status, type, model, provider'
complete -c llmstat -n __llmstat_first -a sessions -d 'sessions and tasks by feature'
complete -c llmstat -n __llmstat_first -a feedback -d 'ratings, lowest-rated features and models'
complete -c llmstat -n __llmstat_first -a anomalies -d 'daily cost, anomaly and spike days'
complete -c llmstat -n __llmstat_first -a retention -d 'weekly cohorts and user segments'
complete -c llmstat -n __llmstat_first -a slow -d 'the slowest requests, with their ids'

# Options.
complete -c llmstat -s f -l format -x -a 'table csv json' -d 'output format'
complete -c llmstat -l by -x -a '(__llmstat_by_keys)' -d 'break down by keys, comma-separated'
complete -c llmstat -l where -x -a "$__llmstat_fields" -d 'keep records where FIELD OP VALUE'
complete -c llmstat -l since -x -a 'now today yesterday 1h 24h 7d 30d' -d 'from TIME on (inclusive)'
complete -c llmstat -l until -x -a 'now today yesterday 1h 24h 7d 30d' -d 'before TIME (exclusive)'
complete -c llmstat -l alert -x -a "$__llmstat_kpis cost-spike latency-spike" -d 'METRIC OP NUMBER[unit]; exit 3 when it fires'
complete -c llmstat -l top -x -d 'at most N rows per table'
complete -c llmstat -l slow-ms -x -d 'latency from which a request is slow'
complete -c llmstat -l save-state -r -F -d 'also write the merged state to FILE'
complete -c llmstat -l schema -x -a 'auto generic openai anthropic helicone litellm posthog otel langfuse claude-code' -d 'log format'
complete -c llmstat -l dedup -x -d 'count records with the same values at PATH once'
complete -c llmstat -l no-dedup -d 'count repeated records every time'
complete -c llmstat -l map -x -a "(printf '%s=\n' $__llmstat_fields)" -d 'read FIELD from a JSON path'
complete -c llmstat -l score -x -d 'summarise a numeric score at NAME=PATH'
complete -c llmstat -l flag -x -d 'summarise a boolean flag at NAME=PATH'
complete -c llmstat -l tz -x -a '(__llmstat_zones)' -d 'time zone (IANA name or +HH:MM)'
complete -c llmstat -l requery-window -x -a '10s 30s 1m 5m' -d 'gap that makes a re-query'
complete -c llmstat -l prices -r -F -d 'price table: LiteLLM JSON or CSV'
complete -c llmstat -l cost-field -x -d "read the log's cost from PATH"
complete -c llmstat -l no-log-cost -d "ignore the log's cost"
complete -c llmstat -l fail-unpriced -d 'exit 1 when a request cannot be priced'
complete -c llmstat -l no-builtin-prices -d 'no built-in price table'
complete -c llmstat -s j -l jobs -x -d 'worker threads'
complete -c llmstat -l strict -d 'exit 1 when any line is rejected'
complete -c llmstat -l compare -d 'beside each KPI, the previous period'
complete -c llmstat -l max-errors -x -d 'rejected lines to report'
complete -c llmstat -l color -x -a 'auto always never' -d 'colour in tables'
complete -c llmstat -l no-csv-guard -d 'do not neutralise formula-like CSV cells'
complete -c llmstat -s q -l quiet -d 'no warnings'
complete -c llmstat -s h -l help -d 'show the help'
complete -c llmstat -s V -l version -d 'show the version'
