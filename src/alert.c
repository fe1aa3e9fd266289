/* alert.c - parsing and checking --alert rules. */
#include "alert.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = { ">", ">=", "<", "<=", "==", "!=" };

/* Every name of the summary, to check rules against at parse time. */
static const char *const known[] = {
	"requests", "rejected_lines", "errors", "error_rate", "status_4xx", "status_5xx",
	"rate_limited", "timeouts", "timeout_share_of_errors", "cache_hit_rate", "total_cost",
	"unpriced_requests", "cost_per_request", "cost_per_request_p50", "cost_per_request_p95",
	"cost_per_request_p99", "cost_per_1k_tokens", "active_users", "cost_per_user",
	"cost_per_user_p50", "cost_per_user_p95", "cost_per_user_p99", "p95_user_threshold",
	"p95_users", "p95_users_cost_share", "cost_per_session", "cost_per_successful_task",
	"cache_savings", "input_tokens", "output_tokens", "cached_tokens", "total_tokens",
	"tokens_per_request", "tokens_per_request_p50", "tokens_per_request_p95",
	"tokens_per_request_p99", "output_tokens_per_success", "latency_p50", "latency_p95",
	"latency_p99", "latency_mean", "latency_max", "ttft_p50", "ttft_p95", "ttft_p99",
	"tpot_p50", "tpot_p95", "requests_per_second", "peak_requests_per_minute",
	"requests_per_user", "requests_per_user_p50", "requests_per_user_p95", "dau_mean",
	"wau_mean", "mau_mean", "sessions", "requests_per_session", "session_duration_mean_ms",
	"feedback_count", "feedback_mean", "feedback_1", "feedback_2", "feedback_3",
	"feedback_4", "feedback_5", "nps", "regenerate_rate", "requery_rate", "tasks",
	"successful_tasks", "task_success_rate", "days", "cost_daily_mean", "cost_daily_median",
	"cost_daily_min", "cost_daily_max", "cost_monthly_projected", "cost_anomaly_days",
	"cost_spike_days", "lines_read", "blank_lines", "duplicate_records", "filtered_records",
	"feedback_records", "extra_records",
	"invalid_values", NULL
};

static int
is_known(const char *m)
{
	int i;

	for (i = 0; known[i]; i++)
		if (strcmp(known[i], m) == 0)
			return 1;
	return strncmp(m, "score_", 6) == 0 || strncmp(m, "flag_", 5) == 0;
}

static int
parse_value(const char *s, double *out)
{
	char *end;
	double v;

	if (*s == '$')
		s++;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v))
		return -1;
	if (strcmp(end, "%") == 0)
		v /= 100;
	else if (strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		v *= 60000;
	else if (strcmp(end, "k") == 0)
		v *= 1e3;
	else if (strcmp(end, "M") == 0)
		v *= 1e6;
	else if (*end && strcmp(end, "ms") != 0)
		return -1;
	*out = v;
	return 0;
}

int
alert_parse(struct alert *a, const char *text, char *err, size_t errlen)
{
	char op[8], val[64];
	int i;

	memset(a, 0, sizeof(*a));
	snprintf(a->text, sizeof(a->text), "%s", text);
	if (strcmp(text, "cost-spike") == 0 || strcmp(text, "latency-spike") == 0) {
		a->builtin = text[0] == 'c' ? 1 : 2;
		return 0;
	}
	if (sscanf(text, " %63[a-z0-9_] %7[<>=!] %63s", a->metric, op, val) != 3) {
		snprintf(err, errlen, "--alert wants 'METRIC OP NUMBER', got '%s'", text);
		return -1;
	}
	if (!is_known(a->metric)) {
		snprintf(err, errlen, "--alert: unknown metric '%s'", a->metric);
		return -1;
	}
	for (i = 0; i < 6 && strcmp(op_names[i], op) != 0; i++)
		;
	if (i == 6 && strcmp(op, "=") == 0)
		i = 4;
	if (i == 6 || parse_value(val, &a->value) < 0) {
		snprintf(err, errlen, "--alert: bad operator or number in '%s'", text);
		return -1;
	}
	a->op = i;
	return 0;
}

static int
holds(double x, int op, double v)
{
	switch (op) {
	case 0: return x > v;
	case 1: return x >= v;
	case 2: return x < v;
	case 3: return x <= v;
	case 4: return x == v;
	default: return x != v;
	}
}

/* The last day against the 7 calendar days before it. */
static int
cost_spike(const struct kpis *k, FILE *out)
{
	size_t n = k->ndaily, j;
	double prev = 0, last;

	if (n < 2 || k->daily_days[n - 1] - 7 < k->daily_days[0]) {
		fputs("llmstat: alert cost-spike: fewer than 8 days, not checked\n", out);
		return 0;
	}
	last = k->daily_cost[n - 1];
	for (j = 0; j + 1 < n; j++)
		if (k->daily_days[j] >= k->daily_days[n - 1] - 7)
			prev += k->daily_cost[j] / 7.0;
	if (last > 2 * prev) {
		fprintf(out, "llmstat: alert: cost-spike: last day $%.2f > 2x the mean of the 7 days before ($%.2f)\n", last, prev);
		return 1;
	}
	return 0;
}

static int
latency_spike(const struct kpis *k, FILE *out)
{
	const struct metric *w = mlist_find(&k->summary, "latency_p95");
	double last = k->ndaily ? k->daily_p95[k->ndaily - 1] : NAN;

	if (w == NULL || w->kind != M_NUM || isnan(last))
		return 0;
	if (last > 2 * w->d) {
		fprintf(out, "llmstat: alert: latency-spike: last day p95 %.1f ms > 2x the window's %.1f ms\n", last, w->d);
		return 1;
	}
	return 0;
}

int
alert_check(const struct alert *a, int n, const struct kpis *k, FILE *out)
{
	int i, fired = 0;

	for (i = 0; i < n; i++) {
		const struct metric *m = mlist_find(&k->summary, a[i].metric);
		double x;

		if (a[i].builtin) {
			fired += a[i].builtin == 1 ? cost_spike(k, out) : latency_spike(k, out);
			continue;
		}
		if (m == NULL)
			m = mlist_find(&k->quality, a[i].metric);
		if (m == NULL || m->kind == M_NULL || m->kind == M_STR || m->kind == M_STRS) {
			fprintf(out, "llmstat: alert '%s': %s has no value, not checked\n", a[i].text, a[i].metric);
			continue;
		}
		x = m->kind == M_INT ? (double)m->i : m->kind == M_DATES ? (double)m->n : m->d;
		if (holds(x, a[i].op, a[i].value)) {
			fprintf(out, "llmstat: alert: %s (value %.6g)\n", a[i].text, x);
			fired++;
		}
	}
	return fired;
}
