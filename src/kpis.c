/* kpis.c - the metric definitions of KPIS.md, computed from an aggregate. */
#include "kpis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct metric *
mlist_push(struct mlist *l, const char *name, int kind, int unit, int section)
{
	struct metric *m;

	xgrow((void **)&l->m, &l->cap, l->len + 1, sizeof(*l->m));
	m = &l->m[l->len++];
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->kind = (uint8_t)kind;
	m->unit = (uint8_t)unit;
	m->section = (uint8_t)section;
	return m;
}

void
mlist_int(struct mlist *l, const char *name, int64_t v, int unit, int section)
{
	mlist_push(l, name, M_INT, unit, section)->i = v;
}

void
mlist_num(struct mlist *l, const char *name, double v, int unit, int section)
{
	if (!isfinite(v))
		mlist_push(l, name, M_NULL, unit, section);
	else
		mlist_push(l, name, M_NUM, unit, section)->d = v;
}

void
mlist_null(struct mlist *l, const char *name, int unit, int section)
{
	mlist_push(l, name, M_NULL, unit, section);
}

void
mlist_str(struct mlist *l, const char *name, const char *s, int section)
{
	if (s == NULL)
		mlist_push(l, name, M_NULL, MU_TEXT, section);
	else
		mlist_push(l, name, M_STR, MU_TEXT, section)->s = s;
}

void
mlist_strdup(struct mlist *l, const char *name, const char *s, int section)
{
	char *c = s ? xstrdup(s) : NULL;

	mlist_str(l, name, c, section);
	l->m[l->len - 1].own = c;
}

void
mlist_time(struct mlist *l, const char *name, int64_t us, int section)
{
	if (us == INT64_MAX || us == INT64_MIN)
		mlist_push(l, name, M_NULL, MU_TIME, section);
	else
		mlist_push(l, name, M_TIME, MU_TIME, section)->i = us;
}

void
mlist_bool(struct mlist *l, const char *name, int v, int section)
{
	mlist_push(l, name, M_BOOL, MU_TEXT, section)->i = v != 0;
}

static void
mlist_days(struct mlist *l, const char *name, int32_t *days, size_t n, int section)
{
	struct metric *m = mlist_push(l, name, M_DATES, MU_DATE, section);

	m->days = days;
	m->n = n;
}

void
mlist_free(struct mlist *l)
{
	size_t i;

	for (i = 0; i < l->len; i++) {
		free(l->m[i].days);
		free(l->m[i].strs);
		free(l->m[i].own);
	}
	free(l->m);
	memset(l, 0, sizeof(*l));
}

const struct metric *
mlist_find(const struct mlist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		if (strcmp(l->m[i].name, name) == 0)
			return &l->m[i];
	return NULL;
}

/* a / b, or NaN (printed as null) when b is 0. */
static double
ratio(double a, double b)
{
	return b != 0 ? a / b : NAN;
}

static double
usd(i128 pico)
{
	return pico_to_usd(pico);
}

static void
quantiles(struct mlist *l, const struct ddsketch *s, const char *const names[],
          const double qs[], int nq, int unit, int section)
{
	int i;

	for (i = 0; i < nq; i++)
		mlist_num(l, names[i], s->count ? ddsketch_quantile(s, qs[i]) : NAN,
		    unit, section);
}

static const double Q3[] = { 0.50, 0.95, 0.99 };

static void
volume(struct mlist *l, const struct counts *c, const struct agg *a)
{
	mlist_int(l, "requests", (int64_t)c->requests, MU_COUNT, MS_VOLUME);
	mlist_int(l, "rejected_lines", (int64_t)a->rejected_lines, MU_COUNT, MS_VOLUME);
	mlist_int(l, "errors", (int64_t)c->errors, MU_COUNT, MS_VOLUME);
	mlist_num(l, "error_rate", ratio(c->errors, c->requests), MU_RATIO, MS_VOLUME);
	mlist_int(l, "status_4xx", (int64_t)c->s4xx, MU_COUNT, MS_VOLUME);
	mlist_int(l, "status_5xx", (int64_t)c->s5xx, MU_COUNT, MS_VOLUME);
	mlist_int(l, "rate_limited", (int64_t)c->rate_limited, MU_COUNT, MS_VOLUME);
	mlist_int(l, "timeouts", (int64_t)c->timeouts, MU_COUNT, MS_VOLUME);
	mlist_num(l, "timeout_share_of_errors", ratio(c->timeouts, c->errors), MU_RATIO, MS_VOLUME);
	mlist_num(l, "cache_hit_rate", ratio(c->cache_hits, c->requests), MU_RATIO, MS_VOLUME);
}

/* Nearest rank: 1-based rank ceil(q * n), at least 1. */
static size_t
rank_index(double q, size_t n)
{
	double r = ceil(q * (double)n - 1e-9);

	if (r < 1)
		r = 1;
	return (size_t)r - 1;
}

static void
user_costs(struct mlist *l, const struct agg *a)
{
	size_t n = a->nusers, i, top = 0;
	i128 *v = xmalloc((n ? n : 1) * sizeof(*v)), sum = 0, topsum = 0, thr = 0;
	static const char *const names[] = { "cost_per_user_p50", "cost_per_user_p95", "cost_per_user_p99" };

	for (i = 0; i < n; i++)
		sum += v[i] = a->users[i].cost;
	if (n) {                        /* p99, then p95 and p50 among the ones below */
		nth_i128(v, n, rank_index(Q3[2], n));
		nth_i128(v, rank_index(Q3[2], n) + 1, rank_index(Q3[1], n));
		nth_i128(v, rank_index(Q3[1], n) + 1, rank_index(Q3[0], n));
	}
	mlist_int(l, "active_users", (int64_t)n, MU_COUNT, MS_COST);
	mlist_num(l, "cost_per_user", n ? usd(sum) / (double)n : NAN, MU_USD, MS_COST);
	for (i = 0; i < 3; i++)
		mlist_num(l, names[i], n ? usd(v[rank_index(Q3[i], n)]) : NAN, MU_USD, MS_COST);
	if (n)
		thr = v[rank_index(0.95, n)];
	for (i = 0; i < n; i++)
		if (v[i] >= thr) {
			top++;
			topsum += v[i];
		}
	mlist_num(l, "p95_user_threshold", n ? usd(thr) : NAN, MU_USD, MS_COST);
	if (n)
		mlist_int(l, "p95_users", (int64_t)top, MU_COUNT, MS_COST);
	else
		mlist_null(l, "p95_users", MU_COUNT, MS_COST);
	mlist_num(l, "p95_users_cost_share", sum ? (double)topsum / (double)sum : NAN, MU_RATIO, MS_COST);
	free(v);
}

static void
cost(struct mlist *l, const struct agg *a, const struct sess_totals *st)
{
	const struct counts *c = &a->total.c;
	static const char *const names[] = { "cost_per_request_p50", "cost_per_request_p95", "cost_per_request_p99" };
	size_t nsess = agg_nsess(a);

	mlist_num(l, "total_cost", usd(c->cost), MU_USD, MS_COST);
	mlist_int(l, "unpriced_requests", (int64_t)c->unpriced, MU_COUNT, MS_COST);
	mlist_num(l, "cost_per_request", ratio(usd(c->cost), c->priced), MU_USD, MS_COST);
	quantiles(l, &a->total.cost, names, Q3, 3, MU_USD, MS_COST);
	mlist_num(l, "cost_per_1k_tokens", ratio(usd(c->cost) * 1000, (double)(c->in_tok + c->out_tok)), MU_USD, MS_COST);
	user_costs(l, a);
	mlist_num(l, "cost_per_session", nsess ? usd(st->cost) / (double)nsess : NAN, MU_USD, MS_COST);
	mlist_num(l, "cost_per_successful_task", ratio(usd(c->cost), st->ok), MU_USD, MS_COST);
	mlist_num(l, "cache_savings", c->cache_hits ? usd(c->cache_savings) : NAN, MU_USD, MS_COST);
}

static void
tokens(struct mlist *l, const struct grp *g)
{
	const struct counts *c = &g->c;
	static const char *const names[] = { "tokens_per_request_p50", "tokens_per_request_p95", "tokens_per_request_p99" };

	mlist_int(l, "input_tokens", (int64_t)c->in_tok, MU_TOKENS, MS_TOKENS);
	mlist_int(l, "output_tokens", (int64_t)c->out_tok, MU_TOKENS, MS_TOKENS);
	mlist_int(l, "cached_tokens", (int64_t)c->cached_tok, MU_TOKENS, MS_TOKENS);
	mlist_int(l, "total_tokens", (int64_t)(c->in_tok + c->out_tok), MU_TOKENS, MS_TOKENS);
	mlist_num(l, "tokens_per_request", ratio((double)(c->in_tok + c->out_tok), c->requests), MU_TOKENS, MS_TOKENS);
	quantiles(l, &g->tok, names, Q3, 3, MU_TOKENS, MS_TOKENS);
	mlist_num(l, "output_tokens_per_success", ratio(c->ok_out_tok, c->ok_out_n), MU_TOKENS, MS_TOKENS);
}

static uint64_t
peak_minute(const struct agg *a)
{
	uint64_t best = 0;
	size_t i;

	for (i = 0; i < a->nminutes; i++)
		if (a->minute_counts[i] > best)
			best = a->minute_counts[i];
	return best;
}

static void
latency(struct mlist *l, const struct agg *a)
{
	const struct grp *g = &a->total;
	const struct counts *c = &g->c;
	static const char *const ln[] = { "latency_p50", "latency_p95", "latency_p99" };
	static const char *const tn[] = { "ttft_p50", "ttft_p95", "ttft_p99" };
	static const char *const pn[] = { "tpot_p50", "tpot_p95" };
	double span = c->timed ? (double)(c->last_us - c->first_us) / 1e6 : 0;

	quantiles(l, &g->lat, ln, Q3, 3, MU_MS, MS_LATENCY);
	mlist_num(l, "latency_mean", ratio((double)c->lat_sum / 1000.0, c->lat_n), MU_MS, MS_LATENCY);
	mlist_num(l, "latency_max", c->lat_n ? (double)c->lat_max / 1000.0 : NAN, MU_MS, MS_LATENCY);
	quantiles(l, &g->ttft, tn, Q3, 3, MU_MS, MS_LATENCY);
	quantiles(l, &g->tpot, pn, Q3, 2, MU_MS, MS_LATENCY);
	mlist_num(l, "requests_per_second", span > 0 ? (double)c->requests / span : NAN, MU_RPS, MS_LATENCY);
	if (a->nminutes)
		mlist_int(l, "peak_requests_per_minute", (int64_t)peak_minute(a), MU_COUNT, MS_LATENCY);
	else
		mlist_null(l, "peak_requests_per_minute", MU_COUNT, MS_LATENCY);
}

static int32_t
bucket_day(int32_t d)
{
	return d;
}

struct bday {                   /* a day row and its bucket */
	int32_t bucket;
	uint32_t row;
};

static int
cmp_bday(const void *x, const void *y)
{
	const struct bday *p = x, *q = y;

	if (p->bucket != q->bucket)
		return p->bucket < q->bucket ? -1 : 1;
	return (p->row > q->row) - (p->row < q->row);
}

/* Mean distinct users per bucket (day, week or month) of the day table:
 * the day rows sorted by bucket, each bucket's users counted in one set
 * that is emptied for the next (a bucket's users fit in the cache; a set
 * of every (user, bucket) pair did not). */
static double
active_mean(const struct agg *a, int32_t (*bucket)(int32_t))
{
	struct idset seen = { 0 };
	struct bday *v;
	size_t i, j, nb = 0, n = a->days.len;
	uint64_t total = 0;

	if (bucket == bucket_day) {     /* each row is its own bucket */
		for (i = 0; i < n; i++)
			total += a->days.rows[i].users.len;
		return n ? (double)total / (double)n : NAN;
	}
	v = xmalloc((n ? n : 1) * sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].bucket = bucket((int32_t)a->days.rows[i].num);
		v[i].row = (uint32_t)i;
	}
	qsort(v, n, sizeof(*v), cmp_bday);
	for (i = 0; i < n; i++) {
		const struct idset *u = &a->days.rows[v[i].row].users;

		if (i == 0 || v[i].bucket != v[i - 1].bucket) {
			total += seen.len;
			idset_clear(&seen);
			nb++;
		}
		for (j = 0; j < u->cap; j++)
			if (u->keys[j])
				idset_add(&seen, u->keys[j]);
	}
	total += seen.len;
	free(v);
	idset_free(&seen);
	return nb ? (double)total / (double)nb : NAN;
}

static void
users_sessions(struct mlist *l, const struct agg *a, const struct sess_totals *st)
{
	size_t n = a->nusers, i;
	uint64_t *v = xmalloc((n ? n : 1) * sizeof(*v)), sum = 0;

	for (i = 0; i < n; i++)
		sum += v[i] = a->users[i].requests;
	if (n) {                        /* p95, then p50 among the ones below */
		nth_u64(v, n, rank_index(0.95, n));
		nth_u64(v, rank_index(0.95, n) + 1, rank_index(0.5, n));
	}
	mlist_num(l, "requests_per_user", n ? (double)sum / (double)n : NAN, MU_COUNT, MS_USERS);
	mlist_num(l, "requests_per_user_p50", n ? (double)v[rank_index(0.5, n)] : NAN, MU_COUNT, MS_USERS);
	mlist_num(l, "requests_per_user_p95", n ? (double)v[rank_index(0.95, n)] : NAN, MU_COUNT, MS_USERS);
	free(v);
	mlist_num(l, "dau_mean", active_mean(a, bucket_day), MU_COUNT, MS_USERS);
	mlist_num(l, "wau_mean", active_mean(a, ltime_week_start), MU_COUNT, MS_USERS);
	mlist_num(l, "mau_mean", active_mean(a, ltime_month_index), MU_COUNT, MS_USERS);
	mlist_int(l, "sessions", (int64_t)agg_nsess(a), MU_COUNT, MS_USERS);
	mlist_num(l, "requests_per_session", ratio(a->total.c.with_session, agg_nsess(a)), MU_COUNT, MS_USERS);
	mlist_num(l, "session_duration_mean_ms", st->timed ? (double)st->dur_us / 1000.0 / (double)st->timed : NAN,
	    MU_MS, MS_USERS);
}

static void
feedback(struct mlist *l, const struct counts *c, int section)
{
	static const char *const names[] = { "feedback_1", "feedback_2", "feedback_3", "feedback_4", "feedback_5" };
	int nps = 0, i;
	double sum = (double)c->fb_milli / 1000.0;

	for (i = 6 + 1; i < FB_BINS; i++)
		nps |= c->fb_hist[i] != 0;
	mlist_int(l, "feedback_count", (int64_t)c->fb_n, MU_COUNT, section);
	if (!nps)       /* thumbs down given as -1 or 0 count as 1 star */
		sum += 2.0 * (double)c->fb_hist[0] + 1.0 * (double)c->fb_hist[1];
	mlist_num(l, "feedback_mean", ratio(sum, c->fb_n), MU_SCORE, section);
	for (i = 0; i < 5; i++) {
		uint64_t n = c->fb_hist[i + 2] + (i == 0 ? c->fb_hist[0] + c->fb_hist[1] : 0);

		if (nps)
			mlist_null(l, names[i], MU_COUNT, section);
		else
			mlist_int(l, names[i], (int64_t)n, MU_COUNT, section);
	}
	if (nps) {
		uint64_t pro = c->fb_hist[10] + c->fb_hist[11], det = 0;

		for (i = 0; i <= 7; i++)
			det += c->fb_hist[i];
		mlist_num(l, "nps", ratio(100.0 * ((double)pro - (double)det), c->fb_n), MU_SCORE, section);
	} else
		mlist_null(l, "nps", MU_SCORE, section);
}

/* --score and --flag signals: score_NAME_count/_mean/_p50/_p95, flag_NAME_count/_rate. */
static void
signals(struct mlist *l, struct agg *a)
{
	static const char *const suffix[] = { "count", "mean", "p50", "p95", "rate" };
	const char *n[5];
	char buf[128];
	int i, j;

	for (i = 0; i < a->conf->nscores; i++) {
		const struct signal *s = &a->score[i];

		for (j = 0; j < 4; j++) {
			int len = snprintf(buf, sizeof(buf), "score_%s_%s", a->conf->score_names[i], suffix[j]);

			n[j] = strpool_add(&a->pool, buf, (size_t)len);
		}
		mlist_int(l, n[0], (int64_t)s->n, MU_COUNT, MS_QUALITY);
		mlist_num(l, n[1], s->n ? (double)s->sum / ((double)s->n * 1e6) : NAN, MU_SCORE, MS_QUALITY);
		mlist_num(l, n[2], s->n ? ddsketch_quantile(&s->sk, 0.5) : NAN, MU_SCORE, MS_QUALITY);
		mlist_num(l, n[3], s->n ? ddsketch_quantile(&s->sk, 0.95) : NAN, MU_SCORE, MS_QUALITY);
	}
	for (i = 0; i < a->conf->nflags; i++) {
		for (j = 0; j < 2; j++) {
			int len = snprintf(buf, sizeof(buf), "flag_%s_%s", a->conf->flag_names[i], suffix[j ? 4 : 0]);

			n[j] = strpool_add(&a->pool, buf, (size_t)len);
		}
		mlist_int(l, n[0], (int64_t)a->flag_n[i], MU_COUNT, MS_QUALITY);
		mlist_num(l, n[1], ratio(a->flag_true[i], a->flag_n[i]), MU_RATIO, MS_QUALITY);
	}
}

static void
quality(struct mlist *l, struct agg *a, const struct sess_totals *st)
{
	const struct counts *c = &a->total.c;
	int logged = c->has_regen > 0;

	feedback(l, c, MS_QUALITY);
	mlist_num(l, "regenerate_rate", ratio(logged ? c->regen_flagged : st->regen, c->requests), MU_RATIO, MS_QUALITY);
	mlist_str(l, "regenerate_source", logged ? "logged" : "inferred", MS_QUALITY);
	mlist_num(l, "requery_rate", ratio(st->requery, c->with_session), MU_RATIO, MS_QUALITY);
	/* tasks: logged outcomes when any record carries success, else inferred */
	mlist_int(l, "tasks", (int64_t)st->tasks, MU_COUNT, MS_QUALITY);
	mlist_int(l, "successful_tasks", (int64_t)st->ok, MU_COUNT, MS_QUALITY);
	mlist_num(l, "task_success_rate", ratio(st->ok, st->tasks), MU_RATIO, MS_QUALITY);
	mlist_str(l, "task_outcome", c->has_success ? "logged" : "inferred", MS_QUALITY);
	signals(l, a);
}

static int
cmp_grp_num(const void *x, const void *y)
{
	const struct grp *a = *(const struct grp *const *)x, *b = *(const struct grp *const *)y;

	return (a->num > b->num) - (a->num < b->num);
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Days whose cost is over twice the mean of the 7 calendar days before
 * (days without requests count as 0); only days with 7 days of history. */
static size_t
spike_days(const int32_t *day, const double *cost, size_t n, int32_t *out)
{
	size_t i, j, lo = 0, k = 0;

	for (i = 0; i < n; i++) {
		double sum = 0;

		while (day[lo] < day[i] - 7)    /* the window [day - 7, day) */
			lo++;
		if (day[i] - 7 < day[0])
			continue;
		for (j = lo; j < i; j++)        /* at most 7 days: sums stay exact in order */
			sum += cost[j];
		if (cost[i] > 2.0 * (sum / 7.0))
			out[k++] = day[i];
	}
	return k;
}

static size_t
anomaly_days(const int32_t *day, const double *cost, size_t n, double mean, int32_t *out)
{
	double var = 0, sd;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		var += (cost[i] - mean) * (cost[i] - mean);
	sd = sqrt(var / (double)n);
	for (i = 0; i < n; i++)
		if (fabs(cost[i] - mean) > 2.0 * sd)
			out[k++] = day[i];
	return k;
}

static void
daily(struct mlist *l, struct kpis *k, const struct agg *a)
{
	size_t n = a->days.len, i;
	const struct grp **g = xmalloc((n ? n : 1) * sizeof(*g));
	double *sorted = xmalloc((n ? n : 1) * sizeof(double)), sum = 0, mean, med;
	int32_t *anom, *spike;

	for (i = 0; i < n; i++)
		g[i] = &a->days.rows[i];
	qsort(g, n, sizeof(*g), cmp_grp_num);
	k->daily_days = xmalloc((n ? n : 1) * sizeof(int32_t));
	k->daily_cost = xmalloc((n ? n : 1) * sizeof(double));
	k->daily_p95 = xmalloc((n ? n : 1) * sizeof(double));
	k->ndaily = n;
	for (i = 0; i < n; i++) {
		k->daily_days[i] = (int32_t)g[i]->num;
		sorted[i] = k->daily_cost[i] = usd(g[i]->c.cost);
		k->daily_p95[i] = g[i]->lat.count ? ddsketch_quantile(&g[i]->lat, 0.95) : NAN;
		sum += sorted[i];
	}
	qsort(sorted, n, sizeof(double), cmp_double);
	mean = n ? sum / (double)n : NAN;
	med = n == 0 ? NAN : n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	mlist_int(l, "days", (int64_t)n, MU_COUNT, MS_DAILY);
	mlist_num(l, "cost_daily_mean", mean, MU_USD, MS_DAILY);
	mlist_num(l, "cost_daily_median", med, MU_USD, MS_DAILY);
	mlist_num(l, "cost_daily_min", n ? sorted[0] : NAN, MU_USD, MS_DAILY);
	mlist_num(l, "cost_daily_max", n ? sorted[n - 1] : NAN, MU_USD, MS_DAILY);
	mlist_num(l, "cost_monthly_projected", mean * 30, MU_USD, MS_DAILY);
	anom = xmalloc((n ? n : 1) * sizeof(int32_t));
	spike = xmalloc((n ? n : 1) * sizeof(int32_t));
	if (n >= 7)
		mlist_days(l, "cost_anomaly_days", anom, anomaly_days(k->daily_days, k->daily_cost, n, mean, anom), MS_DAILY);
	else {
		free(anom);
		mlist_null(l, "cost_anomaly_days", MU_DATE, MS_DAILY);
	}
	mlist_days(l, "cost_spike_days", spike, spike_days(k->daily_days, k->daily_cost, n, spike), MS_DAILY);
	free(sorted);
	free(g);
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void
data_quality(struct mlist *l, const struct agg *a)
{
	struct metric *m;
	size_t i;

	mlist_int(l, "lines_read", (int64_t)a->lines_read, MU_COUNT, MS_DATA);
	mlist_int(l, "blank_lines", (int64_t)a->blank_lines, MU_COUNT, MS_DATA);
	mlist_int(l, "rejected_lines", (int64_t)a->rejected_lines, MU_COUNT, MS_DATA);
	mlist_int(l, "duplicate_records", (int64_t)a->duplicate_records, MU_COUNT, MS_DATA);
	mlist_int(l, "filtered_records", (int64_t)a->filtered_records, MU_COUNT, MS_DATA);
	mlist_int(l, "feedback_records", (int64_t)a->feedback_records, MU_COUNT, MS_DATA);
	mlist_int(l, "extra_records", (int64_t)a->extra_records, MU_COUNT, MS_DATA);
	mlist_int(l, "requests", (int64_t)a->total.c.requests, MU_COUNT, MS_DATA);
	mlist_int(l, "unpriced_requests", (int64_t)a->total.c.unpriced, MU_COUNT, MS_DATA);
	mlist_int(l, "invalid_values", (int64_t)a->invalid_values, MU_COUNT, MS_DATA);
	m = &l->m[l->len];
	mlist_null(l, "unknown_models", MU_TEXT, MS_DATA);
	m = &l->m[l->len - 1];
	m->kind = M_STRS;
	m->strs = xmalloc((a->nunpriced ? a->nunpriced : 1) * sizeof(char *));
	for (i = 0; i < a->nunpriced; i++)
		m->strs[i] = a->unpriced_names[i][0] ? a->unpriced_names[i] : "(none)";
	m->n = a->nunpriced;
	qsort(m->strs, m->n, sizeof(char *), cmp_str);
}

/* Which format each input was read as (tables only: file names are not a
 * KPI, and states do not carry them): a row a file, or for many files a
 * count per format. */
#define READ_AS_FILES 8

static void
input_schemas(struct mlist *l, const struct agg *a)
{
	char buf[256];
	size_t i, j, n;

	for (i = 0; i < a->ninputs && a->ninputs <= READ_AS_FILES; i++) {
		mlist_null(l, "read_as", MU_TEXT, MS_DATA);
		l->m[l->len - 1].kind = M_STR;
		l->m[l->len - 1].s = a->inputs[i].label;
	}
	for (i = 0; a->ninputs > READ_AS_FILES && i < a->ninputs; i++) {
		for (j = 0; j < i && strcmp(a->inputs[j].schema, a->inputs[i].schema) != 0; j++)
			;
		if (j < i)
			continue;       /* counted with its first file */
		for (n = 0, j = i; j < a->ninputs; j++)
			n += strcmp(a->inputs[j].schema, a->inputs[i].schema) == 0;
		snprintf(buf, sizeof(buf), "%zu file%s: %s", n, n == 1 ? "" : "s", a->inputs[i].schema);
		mlist_null(l, "read_as", MU_TEXT, MS_DATA);
		l->m[l->len - 1].kind = M_STR;
		l->m[l->len - 1].own = xstrdup(buf);
		l->m[l->len - 1].s = l->m[l->len - 1].own;
	}
}

/* The metrics of one group row (breakdowns and time series). */
static void
group_metrics(struct mlist *l, const struct grp *g, const struct counts *all)
{
	const struct counts *c = &g->c;
	static const char *const ln[] = { "latency_p50", "latency_p95", "latency_p99" };
	static const char *const cn[] = { "cost_per_request_p50", "cost_per_request_p95", "cost_per_request_p99" };
	static const char *const tn[] = { "ttft_p50", "ttft_p95" };

	mlist_int(l, "requests", (int64_t)c->requests, MU_COUNT, MS_VOLUME);
	mlist_num(l, "requests_share", ratio(c->requests, all->requests), MU_RATIO, MS_VOLUME);
	mlist_int(l, "active_users", (int64_t)g->users.len, MU_COUNT, MS_USERS);
	mlist_int(l, "errors", (int64_t)c->errors, MU_COUNT, MS_VOLUME);
	mlist_num(l, "error_rate", ratio(c->errors, c->requests), MU_RATIO, MS_VOLUME);
	mlist_int(l, "status_4xx", (int64_t)c->s4xx, MU_COUNT, MS_VOLUME);
	mlist_int(l, "status_5xx", (int64_t)c->s5xx, MU_COUNT, MS_VOLUME);
	mlist_int(l, "rate_limited", (int64_t)c->rate_limited, MU_COUNT, MS_VOLUME);
	mlist_int(l, "timeouts", (int64_t)c->timeouts, MU_COUNT, MS_VOLUME);
	mlist_num(l, "cache_hit_rate", ratio(c->cache_hits, c->requests), MU_RATIO, MS_VOLUME);
	mlist_num(l, "total_cost", usd(c->cost), MU_USD, MS_COST);
	mlist_num(l, "cost_share", all->cost ? (double)c->cost / (double)all->cost : NAN, MU_RATIO, MS_COST);
	mlist_int(l, "unpriced_requests", (int64_t)c->unpriced, MU_COUNT, MS_COST);
	mlist_num(l, "cost_per_request", ratio(usd(c->cost), c->priced), MU_USD, MS_COST);
	quantiles(l, &g->cost, cn, Q3, 3, MU_USD, MS_COST);
	mlist_int(l, "input_tokens", (int64_t)c->in_tok, MU_TOKENS, MS_TOKENS);
	mlist_int(l, "output_tokens", (int64_t)c->out_tok, MU_TOKENS, MS_TOKENS);
	mlist_int(l, "cached_tokens", (int64_t)c->cached_tok, MU_TOKENS, MS_TOKENS);
	mlist_int(l, "total_tokens", (int64_t)(c->in_tok + c->out_tok), MU_TOKENS, MS_TOKENS);
	mlist_num(l, "tokens_per_request", ratio((double)(c->in_tok + c->out_tok), c->requests), MU_TOKENS, MS_TOKENS);
	mlist_num(l, "latency_mean", ratio((double)c->lat_sum / 1000.0, c->lat_n), MU_MS, MS_LATENCY);
	quantiles(l, &g->lat, ln, Q3, 3, MU_MS, MS_LATENCY);
	quantiles(l, &g->ttft, tn, Q3, 2, MU_MS, MS_LATENCY);
	feedback(l, c, MS_QUALITY);
}

static int sort_by_key;

static int
cmp_rows(const void *x, const void *y)
{
	const struct grp *a = *(const struct grp *const *)x, *b = *(const struct grp *const *)y;

	if (!sort_by_key) {
		if (a->c.cost != b->c.cost)
			return a->c.cost > b->c.cost ? -1 : 1;
		if (a->c.requests != b->c.requests)
			return a->c.requests > b->c.requests ? -1 : 1;
	}
	return strcmp(a->key, b->key);
}

/* Splits a key text into its parts: '\x1f' separates, a lone '\x1e' is null. */
static void
key_cells(struct mlist *l, const char *key, const char *const *by)
{
	const char *p = key, *e;
	size_t i;

	for (i = 0; by[i]; i++) {
		e = strchr(p, '\x1f');
		if (e == NULL)
			e = p + strlen(p);
		if (e - p == 1 && *p == '\x1e')
			mlist_null(l, by[i], MU_TEXT, MS_KEY);
		else {
			char *c = xstrndup(p, (size_t)(e - p));

			mlist_str(l, by[i], c, MS_KEY);
			l->m[l->len - 1].own = c;
		}
		p = *e ? e + 1 : e;
	}
}

static void
group_rows(struct ktable *kt, const struct gtable *gt, const struct agg *a,
           const char *const *by, int time_keys)
{
	size_t n = gt->len, i;
	const struct grp **g = xmalloc((n ? n : 1) * sizeof(*g));

	for (i = 0; i < n; i++)
		g[i] = &gt->rows[i];
	sort_by_key = time_keys;
	qsort(g, n, sizeof(*g), cmp_rows);
	kt->by = by;
	kt->rows = xcalloc(n ? n : 1, sizeof(*kt->rows));
	kt->nrows = n;
	for (i = 0; i < n; i++) {
		key_cells(&kt->rows[i].keys, g[i]->key, by);
		group_metrics(&kt->rows[i].vals, g[i], &a->total.c);
	}
	free(g);
}

void
kpis_compute(struct kpis *k, struct agg *a, const struct kpis_conf *conf)
{
	struct sess_totals st;

	memset(k, 0, sizeof(*k));
	agg_session_totals(a, &st);
	volume(&k->summary, &a->total.c, a);
	cost(&k->summary, a, &st);
	tokens(&k->summary, &a->total);
	latency(&k->summary, a);
	users_sessions(&k->summary, a, &st);
	quality(&k->summary, a, &st);
	daily(&k->summary, k, a);
	data_quality(&k->quality, a);
	input_schemas(&k->inputs, a);
	for (k->ntables = 0; conf && k->ntables < conf->ntables; k->ntables++)
		group_rows(&k->tables[k->ntables], &a->groups[k->ntables], a,
		    conf->by[k->ntables], conf->time_keys[k->ntables]);
}

void
ktable_free(struct ktable *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++) {
		mlist_free(&t->rows[i].keys);
		mlist_free(&t->rows[i].vals);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

void
kpis_free(struct kpis *k)
{
	int t;

	mlist_free(&k->summary);
	mlist_free(&k->quality);
	mlist_free(&k->inputs);
	for (t = 0; t < k->ntables; t++)
		ktable_free(&k->tables[t]);
	free(k->daily_days);
	free(k->daily_cost);
	free(k->daily_p95);
}
