-- The llmstat KPI catalog in DuckDB SQL, for `make bench` (tests/bench.sh).
-- bench.sh replaces __LOG__ with the JSONL file and runs the statements in
-- order through DuckDB; the last statement's single row is the result.
-- Field paths are those of tests/loggen.c's generic schema.

CREATE TEMP TABLE r AS
SELECT
    "timestamp"                                  AS ts,
    request_id,
    user_id,
    session_id,
    model,
    status,
    error_type,
    latency_ms,
    ttft_ms,
    coalesce(usage.prompt_tokens, 0)             AS in_tok,
    coalesce(usage.completion_tokens, 0)         AS out_tok,
    coalesce(usage.prompt_tokens_details.cached_tokens, 0) AS cached_tok,
    cost,
    cache_hit,
    rating,
    success,
    regenerated,
    (status >= 400 OR error_type IS NOT NULL)    AS failed,
    "timestamp" + to_microseconds(CAST(round(coalesce(latency_ms, 0) * 1000) AS BIGINT)) AS ts_end
FROM read_ndjson('__LOG__', columns = {
    "timestamp": 'TIMESTAMP',
    request_id: 'VARCHAR',
    user_id: 'VARCHAR',
    session_id: 'VARCHAR',
    model: 'VARCHAR',
    status: 'BIGINT',
    error_type: 'VARCHAR',
    latency_ms: 'DOUBLE',
    ttft_ms: 'DOUBLE',
    usage: 'STRUCT(prompt_tokens BIGINT, completion_tokens BIGINT, prompt_tokens_details STRUCT(cached_tokens BIGINT))',
    cost: 'DOUBLE',
    cache_hit: 'BOOLEAN',
    rating: 'DOUBLE',
    success: 'BOOLEAN',
    regenerated: 'BOOLEAN'
});

WITH
req AS (
    SELECT
        count(*)                                           AS requests,
        count(*) - count(DISTINCT request_id)              AS duplicate_records,
        count(*) FILTER (failed)                           AS errors,
        count(*) FILTER (status BETWEEN 400 AND 499)       AS status_4xx,
        count(*) FILTER (status BETWEEN 500 AND 599)       AS status_5xx,
        count(*) FILTER (status = 429 OR error_type = 'rate_limit') AS rate_limited,
        count(*) FILTER (status IN (408, 504) OR error_type = 'timeout') AS timeouts,
        avg(CAST(coalesce(cache_hit, false) AS INTEGER))   AS cache_hit_rate,
        sum(cost)                                          AS total_cost,
        count(*) FILTER (cost IS NULL)                     AS unpriced_requests,
        list(DISTINCT model) FILTER (cost IS NULL)         AS unknown_models,
        avg(cost)                                          AS cost_per_request,
        quantile_disc(cost, [0.5, 0.95, 0.99])             AS cost_per_request_q,
        sum(in_tok)                                        AS input_tokens,
        sum(out_tok)                                       AS output_tokens,
        sum(cached_tok)                                    AS cached_tokens,
        sum(in_tok + out_tok)                              AS total_tokens,
        avg(in_tok + out_tok)                              AS tokens_per_request,
        quantile_disc(in_tok + out_tok, [0.5, 0.95, 0.99]) AS tokens_per_request_q,
        avg(out_tok) FILTER (NOT failed AND out_tok > 0)   AS output_tokens_per_success,
        quantile_disc(latency_ms, [0.5, 0.95, 0.99])       AS latency_q,
        quantile_cont(latency_ms, 0.5)                     AS latency_p50_cont,
        avg(latency_ms)                                    AS latency_mean,
        max(latency_ms)                                    AS latency_max,
        quantile_disc(ttft_ms, [0.5, 0.95, 0.99])          AS ttft_q,
        quantile_disc((latency_ms - ttft_ms) / (out_tok - 1), [0.5, 0.95])
            FILTER (NOT failed AND ttft_ms IS NOT NULL AND out_tok >= 2) AS tpot_q,
        count(*) / nullif(epoch(max(ts)) - epoch(min(ts)), 0) AS requests_per_second,
        count(rating)                                      AS feedback_count,
        avg(rating)                                        AS feedback_mean,
        count(*) FILTER (round(rating) = 1)                AS feedback_1,
        count(*) FILTER (round(rating) = 2)                AS feedback_2,
        count(*) FILTER (round(rating) = 3)                AS feedback_3,
        count(*) FILTER (round(rating) = 4)                AS feedback_4,
        count(*) FILTER (round(rating) = 5)                AS feedback_5,
        avg(CAST(coalesce(regenerated, false) AS INTEGER)) AS regenerate_rate
    FROM r
),
per_minute AS (
    SELECT max(n) AS peak_requests_per_minute
    FROM (SELECT count(*) AS n FROM r GROUP BY date_trunc('minute', ts))
),
users AS (
    SELECT user_id, sum(coalesce(cost, 0)) AS c, count(*) AS n
    FROM r WHERE user_id IS NOT NULL GROUP BY user_id
),
user_kpis AS (
    SELECT
        count(*)                                  AS active_users,
        avg(c)                                    AS cost_per_user,
        quantile_disc(c, [0.5, 0.95, 0.99])       AS cost_per_user_q,
        avg(n)                                    AS requests_per_user,
        quantile_disc(n, [0.5, 0.95])             AS requests_per_user_q,
        quantile_disc(c, 0.95)                    AS p95_user_threshold
    FROM users
),
p95 AS (
    SELECT
        count(*) FILTER (c >= k.p95_user_threshold)                 AS p95_users,
        sum(c) FILTER (c >= k.p95_user_threshold) / nullif(sum(c), 0) AS p95_users_cost_share
    FROM users, user_kpis k
),
active AS (
    SELECT
        (SELECT avg(n) FROM (SELECT count(DISTINCT user_id) AS n FROM r GROUP BY CAST(ts AS DATE))) AS dau_mean,
        (SELECT avg(n) FROM (SELECT count(DISTINCT user_id) AS n FROM r GROUP BY isoyear(ts), week(ts))) AS wau_mean,
        (SELECT avg(n) FROM (SELECT count(DISTINCT user_id) AS n FROM r GROUP BY date_trunc('month', ts))) AS mau_mean
),
ordered AS (
    SELECT session_id, ts, ts_end, failed, success,
           lead(ts) OVER (PARTITION BY session_id ORDER BY ts, ts_end) AS next_ts
    FROM r WHERE session_id IS NOT NULL
),
sessions AS (
    SELECT session_id,
           count(*)                                   AS n,
           arg_max(ts_end, (ts, ts_end)) - min(ts)    AS duration,
           arg_max(success, ts) FILTER (success IS NOT NULL) AS outcome,
           count(*) FILTER (next_ts - ts_end BETWEEN INTERVAL 0 SECOND AND INTERVAL 30 SECOND) AS requeries
    FROM ordered GROUP BY session_id
),
session_kpis AS (
    SELECT
        count(*)                                            AS sessions,
        sum(n) / count(*)                                   AS requests_per_session,
        avg(epoch_ms(duration))                             AS session_duration_mean_ms,
        sum(requeries) / sum(n)                             AS requery_rate,
        count(outcome)                                      AS tasks,
        count(*) FILTER (outcome)                           AS successful_tasks
    FROM sessions
),
daily AS (
    SELECT CAST(ts AS DATE) AS day, sum(coalesce(cost, 0)) AS c FROM r GROUP BY 1
),
calendar AS (
    SELECT CAST(d AS DATE) AS day, coalesce(daily.c, 0) AS c
    FROM range((SELECT min(day) FROM daily), (SELECT max(day) FROM daily) + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
    LEFT JOIN daily ON daily.day = CAST(d AS DATE)
),
history AS (
    SELECT day, c,
           sum(c) OVER (ORDER BY day ROWS BETWEEN 7 PRECEDING AND 1 PRECEDING) / 7 AS prev7,
           row_number() OVER (ORDER BY day) AS k
    FROM calendar
),
daily_kpis AS (
    SELECT
        count(*)                   AS days,
        avg(c)                     AS cost_daily_mean,
        median(c)                  AS cost_daily_median,
        min(c)                     AS cost_daily_min,
        max(c)                     AS cost_daily_max,
        avg(c) * 30                AS cost_monthly_projected,
        CASE WHEN count(*) >= 7 THEN
            (SELECT coalesce(list(day ORDER BY day), []) FROM daily
             WHERE abs(c - (SELECT avg(c) FROM daily)) > 2 * (SELECT stddev_pop(c) FROM daily))
        END AS cost_anomaly_days,
        (SELECT coalesce(list(day ORDER BY day), []) FROM history WHERE k > 7 AND c > 2 * prev7) AS cost_spike_days
    FROM daily
)
SELECT
    req.requests, req.duplicate_records, req.errors,
    req.errors / req.requests                       AS error_rate,
    req.status_4xx, req.status_5xx, req.rate_limited, req.timeouts,
    req.timeouts / nullif(req.errors, 0)            AS timeout_share_of_errors,
    req.cache_hit_rate, req.total_cost, req.unpriced_requests, req.unknown_models,
    req.cost_per_request,
    req.cost_per_request_q[1] AS cost_per_request_p50,
    req.cost_per_request_q[2] AS cost_per_request_p95,
    req.cost_per_request_q[3] AS cost_per_request_p99,
    req.total_cost / nullif(req.total_tokens, 0) * 1000 AS cost_per_1k_tokens,
    u.active_users, u.cost_per_user,
    u.cost_per_user_q[1] AS cost_per_user_p50,
    u.cost_per_user_q[2] AS cost_per_user_p95,
    u.cost_per_user_q[3] AS cost_per_user_p99,
    u.p95_user_threshold, p95.p95_users, p95.p95_users_cost_share,
    req.total_cost / nullif(s.sessions, 0)          AS cost_per_session,
    req.total_cost / nullif(s.successful_tasks, 0)  AS cost_per_successful_task,
    req.input_tokens, req.output_tokens, req.cached_tokens, req.total_tokens,
    req.tokens_per_request,
    req.tokens_per_request_q[1] AS tokens_per_request_p50,
    req.tokens_per_request_q[2] AS tokens_per_request_p95,
    req.tokens_per_request_q[3] AS tokens_per_request_p99,
    req.output_tokens_per_success,
    req.latency_q[1] AS latency_p50, req.latency_q[2] AS latency_p95, req.latency_q[3] AS latency_p99,
    req.latency_p50_cont, req.latency_mean, req.latency_max,
    req.ttft_q[1] AS ttft_p50, req.ttft_q[2] AS ttft_p95, req.ttft_q[3] AS ttft_p99,
    req.tpot_q[1] AS tpot_p50, req.tpot_q[2] AS tpot_p95,
    req.requests_per_second, pm.peak_requests_per_minute,
    u.requests_per_user,
    u.requests_per_user_q[1] AS requests_per_user_p50,
    u.requests_per_user_q[2] AS requests_per_user_p95,
    a.dau_mean, a.wau_mean, a.mau_mean,
    s.sessions, s.requests_per_session, s.session_duration_mean_ms,
    req.feedback_count, req.feedback_mean,
    req.feedback_1, req.feedback_2, req.feedback_3, req.feedback_4, req.feedback_5,
    req.regenerate_rate, s.requery_rate,
    s.tasks, s.successful_tasks, s.successful_tasks / nullif(s.tasks, 0) AS task_success_rate,
    d.days, d.cost_daily_mean, d.cost_daily_median, d.cost_daily_min, d.cost_daily_max,
    d.cost_monthly_projected, d.cost_anomaly_days, d.cost_spike_days
FROM req, per_minute pm, user_kpis u, p95, active a, session_kpis s, daily_kpis d;
