/* test_kpis.c - every summary KPI of fixtures/small.jsonl against values
 * worked out by hand (the working is in the comments). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "kpis.h"
#include "ltime.h"
#include "run.h"
#include "schema.h"

static struct schema schema;
static struct ltime_zone tz;
static struct agg_conf aconf;
static struct agg agg;
static struct kpis k;

static char *
slurp(const char *path, size_t *len)
{
	char full[4096];
	const char *root = getenv("LLMSTAT_ROOT");
	FILE *f;
	char *buf;

	snprintf(full, sizeof(full), "%s/%s", root ? root : ".", path);
	f = fopen(full, "rb");
	cr_assert(f != NULL, "cannot open %s", full);
	buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* Runs text through the generic schema (with one --map, if given) into
 * *a and its KPIs into *out. */
static void
run_text(struct schema *sc, struct agg *a, struct kpis *out, const char *text, size_t len,
         const char *map)
{
	struct run_conf rc = { 0 };
	char err[256];

	schema_init_generic(sc);
	if (map)
		cr_assert_eq(schema_map(sc, map, err, sizeof(err)), 0, "%s", err);
	ltime_zone_init(&tz, NULL);
	aconf.alpha = 0.01;
	aconf.requery_us = 30000000;
	aconf.tz = &tz;
	agg_init(a, &aconf);
	rc.schema = sc;
	rc.agg = &aconf;
	rc.use_log_cost = 1;
	rc.jobs = 1;
	run_buffer(&rc, text, len, a);
	kpis_compute(out, a, NULL);
}

static void
setup(void)
{
	size_t len;
	char *buf = slurp("fixtures/small.jsonl", &len);

	run_text(&schema, &agg, &k, buf, len, NULL);
	free(buf);
}

static void
teardown(void)
{
	kpis_free(&k);
	agg_free(&agg);
	schema_free(&schema);
}

TestSuite(kpis, .init = setup, .fini = teardown);

static const struct metric *
get(const char *name)
{
	const struct metric *m = mlist_find(&k.summary, name);

	if (m == NULL)
		m = mlist_find(&k.quality, name);
	cr_assert(m != NULL, "metric %s missing", name);
	return m;
}

static void
is_int(const char *name, int64_t want)
{
	const struct metric *m = get(name);

	cr_assert_eq(m->kind, M_INT, "%s is not an integer", name);
	cr_assert_eq(m->i, want, "%s: got %lld, want %lld", name, (long long)m->i, (long long)want);
}

static void
is_num(const char *name, double want, double rel)
{
	const struct metric *m = get(name);

	cr_assert_eq(m->kind, M_NUM, "%s is not a number (kind %d)", name, m->kind);
	cr_assert(fabs(m->d - want) <= rel * fabs(want) + 1e-12, "%s: got %.17g, want %.17g", name, m->d, want);
}

static void
is_null(const char *name)
{
	cr_assert_eq(get(name)->kind, M_NULL, "%s should be null", name);
}

#define EXACT 1e-12
#define SKETCH 0.01

Test(kpis, volume)
{
	/* 8 objects accepted; "{bad" and "[1,2]" rejected; one blank line. */
	is_int("lines_read", 11);
	is_int("blank_lines", 1);
	is_int("rejected_lines", 2);
	is_int("requests", 8);
	is_int("errors", 3);                    /* 500, 429, 504 */
	is_num("error_rate", 3.0 / 8, EXACT);
	is_int("status_4xx", 1);
	is_int("status_5xx", 2);
	is_int("rate_limited", 1);
	is_int("timeouts", 1);                  /* the 504 with error_type timeout */
	is_num("timeout_share_of_errors", 1.0 / 3, EXACT);
	is_num("cache_hit_rate", 0, EXACT);
}

Test(kpis, cost)
{
	/* 0.01 + 0.02 + 0.005 + 0.1 + 0 + 0.05 + 0.001; m3 has no cost and no price */
	is_num("total_cost", 0.186, EXACT);
	is_int("unpriced_requests", 1);
	is_num("cost_per_request", 0.186 / 7, EXACT);
	is_num("cost_per_request_p50", 0.01, SKETCH);   /* sorted 0 .001 .005 .01 .02 .05 .1, rank 4 */
	is_num("cost_per_request_p95", 0.1, SKETCH);
	is_num("cost_per_1k_tokens", 0.186 / 2375 * 1000, EXACT);
	is_int("active_users", 3);
	is_num("cost_per_user", 0.186 / 3, EXACT);      /* alice .035, bob .15, carol .001 */
	is_num("cost_per_user_p50", 0.035, EXACT);
	is_num("cost_per_user_p95", 0.15, EXACT);
	is_num("cost_per_user_p99", 0.15, EXACT);
	is_num("p95_user_threshold", 0.15, EXACT);
	is_int("p95_users", 1);
	is_num("p95_users_cost_share", 0.15 / 0.186, EXACT);
	is_num("cost_per_session", 0.186 / 3, EXACT);   /* s1 .035, s2 .15, s3 .001 */
	is_num("cost_per_successful_task", 0.186, EXACT);
	is_null("cache_savings");
}

Test(kpis, tokens)
{
	is_int("input_tokens", 2160);
	is_int("output_tokens", 215);
	is_int("cached_tokens", 0);
	is_int("total_tokens", 2375);
	is_num("tokens_per_request", 2375.0 / 8, EXACT);
	/* per request: 111 221 50 1101 0 551 10 331 -> sorted 0 10 50 111 221 331 551 1101 */
	is_num("tokens_per_request_p50", 111, SKETCH);
	is_num("tokens_per_request_p95", 1101, SKETCH);
	is_num("output_tokens_per_success", 215.0 / 5, EXACT);
}

Test(kpis, latency)
{
	/* 100 500 800 1000 2000 3000 4000 30000 */
	is_num("latency_p50", 1000, SKETCH);
	is_num("latency_p95", 30000, SKETCH);
	is_num("latency_p99", 30000, SKETCH);
	is_num("latency_mean", 41400.0 / 8, EXACT);
	is_num("latency_max", 30000, EXACT);
	is_num("ttft_p50", 200, SKETCH);                /* 100 200 500 1000 */
	is_num("ttft_p95", 1000, SKETCH);
	/* tpot: 800/10 = 80, 1500/20 = 75, 2000/100 = 20, 700/30 = 23.33 */
	is_num("tpot_p50", 700.0 / 30, SKETCH);
	is_num("tpot_p95", 80, SKETCH);
	is_num("requests_per_second", 8.0 / 84600, EXACT);      /* 23.5 hours */
	is_int("peak_requests_per_minute", 3);                  /* 11:00 */
}

Test(kpis, users_sessions)
{
	is_num("requests_per_user", 8.0 / 3, EXACT);
	is_num("requests_per_user_p50", 3, EXACT);
	is_num("requests_per_user_p95", 3, EXACT);
	is_num("dau_mean", 1.5, EXACT);         /* {alice, bob}, {carol} */
	is_num("wau_mean", 3, EXACT);           /* both days in 2026-W40 */
	is_num("mau_mean", 3, EXACT);
	is_int("sessions", 3);
	is_num("requests_per_session", 7.0 / 3, EXACT);
	/* s1 60.5 s, s2 24 s, s3 30 s */
	is_num("session_duration_mean_ms", (60500.0 + 24000 + 30000) / 3, EXACT);
}

Test(kpis, quality)
{
	is_int("feedback_count", 3);
	is_num("feedback_mean", 4, EXACT);     /* 5, 2, true = 5 */
	is_int("feedback_1", 0);
	is_int("feedback_2", 1);
	is_int("feedback_5", 2);
	is_null("nps");
	/* inferred: request 2 repeats p1, request 6 repeats q2 */
	is_num("regenerate_rate", 2.0 / 8, EXACT);
	/* 1 -> 2 after 4 s, 4 -> 5 after 7 s, 5 -> 6 after 9.9 s; 2 -> 3 after 53 s */
	is_num("requery_rate", 3.0 / 7, EXACT);
	is_int("tasks", 3);
	is_int("successful_tasks", 1);          /* s2 ends well; s1 (500) and s3 (504) do not */
	is_num("task_success_rate", 1.0 / 3, EXACT);
	cr_assert_str_eq(get("task_outcome")->s, "inferred");
	cr_assert_str_eq(get("regenerate_source")->s, "inferred");
}

Test(kpis, daily)
{
	const struct metric *m;

	is_int("days", 2);                      /* .185 and .001 */
	is_num("cost_daily_mean", 0.093, EXACT);
	is_num("cost_daily_median", 0.093, EXACT);
	is_num("cost_daily_min", 0.001, EXACT);
	is_num("cost_daily_max", 0.185, EXACT);
	is_num("cost_monthly_projected", 0.093 * 30, EXACT);
	is_null("cost_anomaly_days");
	m = get("cost_spike_days");
	cr_assert_eq(m->kind, M_DATES);
	cr_assert_eq(m->n, 0);
	m = get("unknown_models");
	cr_assert_eq(m->n, 1);
	cr_assert_str_eq(m->strs[0], "m3");
}

/* ---- Durations and token counts: the exact integer path for plain
 * decimals (schema.c plain_decimal) against the double path, at and
 * around the limits. Worked by hand in the comments. */

static struct kpis nk;
static struct agg nagg;
static struct schema nschema;

static void
run_lines(const char *text, const char *map)
{
	run_text(&nschema, &nagg, &nk, text, strlen(text), map);
}

static void
done_lines(void)
{
	kpis_free(&nk);
	agg_free(&nagg);
	schema_free(&nschema);
}

static const struct metric *
nget(const char *name)
{
	const struct metric *m = mlist_find(&nk.summary, name);

	if (m == NULL)
		m = mlist_find(&nk.quality, name);
	cr_assert(m != NULL, "metric %s missing", name);
	return m;
}

Test(numbers, plain_decimals_and_limits)
{
	run_lines(
	    "{\"latency_ms\":1017.2,\"usage\":{\"prompt_tokens\":188,\"completion_tokens\":70}}\n"
	    "{\"latency_ms\":0.0005,\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":12.0}}\n"
	    "{\"latency_ms\":86399999.999,\"usage\":{\"prompt_tokens\":1000000000,\"completion_tokens\":1000000001}}\n"
	    "{\"latency_ms\":86400000}\n"
	    "{\"latency_ms\":86400000.001}\n"
	    "{\"latency_ms\":1e3,\"usage\":{\"prompt_tokens\":12.5}}\n"
	    "{\"latency_ms\":-5}\n", NULL);
	/* latencies in us: 1017200, 1 (0.5 us rounds up), 86399999999,
	 * 86400000000 (the one-day limit itself is allowed), 1000000;
	 * 86400000.001 ms and -5 ms are invalid. Sum 172802017200 / 5. */
	cr_assert_eq(nget("latency_max")->d, 86400000.0);
	cr_assert_float_eq(nget("latency_mean")->d, 34560403.44, 1e-6);
	/* input: 188 + 12 + 1e9 (the limit); 1000000001 and 12.5 invalid */
	cr_assert_eq(nget("input_tokens")->i, 1000000200);
	cr_assert_eq(nget("output_tokens")->i, 82);     /* 70 + 12.0 */
	cr_assert_eq(nget("invalid_values")->i, 4);
	done_lines();
}

Test(numbers, duration_units)
{
	/* seconds: 1.5 -> 1500000 us (exact path); 0.0000015 s has 7
	 * decimals -> 1.5 us through the double, rounded to 2 */
	run_lines("{\"d\":1.5}\n{\"d\":0.0000015}\n", "latency=d:s");
	cr_assert_float_eq(nget("latency_max")->d, 1500.0, 1e-9);
	cr_assert_float_eq(nget("latency_mean")->d, (1500000 + 2) / 2.0 / 1000.0, 1e-9);
	done_lines();
	/* nanoseconds always take the double: 1500 ns -> 1.5 us -> 2 */
	run_lines("{\"d\":1500}\n", "latency=d:ns");
	cr_assert_float_eq(nget("latency_max")->d, 0.002, 1e-12);
	done_lines();
}

Test(numbers, costs_exact_and_general)
{
	/* pico-USD: 7.02e-05 -> 70200000 and 0.1 -> 1e11 and 3 -> 3e12 by
	 * integer scaling; 1e-13 (under a pico: 0) and 2000.5 (over 2^50
	 * pico) through the double; -1 and 100000.5 (over the limit) are
	 * invalid. Sum 2003600070200000 pico. */
	run_lines(
	    "{\"model\":\"x\",\"cost\":7.02e-05}\n{\"model\":\"x\",\"cost\":0.1}\n"
	    "{\"model\":\"x\",\"cost\":3}\n{\"model\":\"x\",\"cost\":1e-13}\n"
	    "{\"model\":\"x\",\"cost\":2000.5}\n{\"model\":\"x\",\"cost\":-1}\n"
	    "{\"model\":\"x\",\"cost\":100000.5}\n", NULL);
	cr_assert_eq(nget("total_cost")->d, 2003600070200000 / 1e12);
	cr_assert_eq(nget("invalid_values")->i, 2);
	done_lines();
}
