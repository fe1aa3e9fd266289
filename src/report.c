/* report.c - the report table and the rows of the reports that are not a
 * plain breakdown (users, top users, sessions, feedback, anomalies). */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "util.h"

enum rkind { RK_SUMMARY, RK_GROUPS, RK_USERS, RK_TOP_USERS, RK_SESSIONS,
             RK_FEEDBACK, RK_ANOMALIES, RK_SLOW, RK_RETENTION };

struct rtable {
	const char *by;                 /* group keys */
	const char *const *cols;        /* NULL: every metric */
	const char *title;
	int chart;                      /* cost and request sparklines */
	const char *only;               /* keep rows where this count is > 0 */
	int by_feedback;                /* sort by feedback_mean, lowest first */
};

struct report_def {
	const char *name;
	const char *help;
	int kind;                       /* enum rkind */
	int ntables;
	struct rtable t[AGG_MAX_TABLES];
};

static const char *const ts_cols[] = {
	"requests", "active_users", "input_tokens", "output_tokens", "total_tokens",
	"total_cost", "error_rate", "latency_p95", NULL
};
static const char *const bd_cols[] = {
	"requests", "requests_share", "total_cost", "cost_share", "error_rate",
	"latency_p50", "latency_p95", "tokens_per_request", "active_users", NULL
};
static const char *const err_cols[] = {
	"requests", "errors", "error_rate", "status_4xx", "status_5xx",
	"rate_limited", "timeouts", NULL
};
static const char *const fb_cols[] = {
	"feedback_count", "feedback_mean", "feedback_1", "feedback_2",
	"feedback_3", "feedback_4", "feedback_5", "requests", NULL
};

static const struct report_def reports[] = {
	{ .name = "summary", .help = "every KPI of the catalog (default)", .kind = RK_SUMMARY },
	{ .name = "daily", .help = "per day: requests, users, tokens, cost, errors, latency", .kind = RK_GROUPS,
	  .ntables = 1, .t = { { .by = "day", .cols = ts_cols, .chart = 1 } } },
	{ .name = "weekly", .help = "the same per ISO week", .kind = RK_GROUPS,
	  .ntables = 1, .t = { { .by = "week", .cols = ts_cols, .chart = 1 } } },
	{ .name = "monthly", .help = "the same per month", .kind = RK_GROUPS,
	  .ntables = 1, .t = { { .by = "month", .cols = ts_cols, .chart = 1 } } },
	{ .name = "hourly", .help = "the same per hour", .kind = RK_GROUPS,
	  .ntables = 1, .t = { { .by = "hour", .cols = ts_cols, .chart = 1 } } },
	{ .name = "users", .help = "per user, by cost (--top N)", .kind = RK_USERS },
	{ .name = "top-users", .help = "the P95 cost user set and each one's share", .kind = RK_TOP_USERS },
	{ .name = "models", .help = "per model: cost share, errors, latency, tokens", .kind = RK_GROUPS,
	  .ntables = 1, .t = { { .by = "model", .cols = bd_cols } } },
	{ .name = "providers", .help = "per provider", .kind = RK_GROUPS,
	  .ntables = 1, .t = { { .by = "provider", .cols = bd_cols } } },
	{ .name = "features", .help = "per feature", .kind = RK_GROUPS,
	  .ntables = 1, .t = { { .by = "feature", .cols = bd_cols } } },
	{ .name = "errors", .help = "errors by status and type, by model, by provider", .kind = RK_GROUPS,
	  .ntables = 3, .t = {
		{ .by = "status,error_type", .cols = err_cols, .title = "Errors by status and type", .only = "errors" },
		{ .by = "model", .cols = err_cols, .title = "Errors by model", .only = "errors" },
		{ .by = "provider", .cols = err_cols, .title = "Errors by provider", .only = "errors" } } },
	{ .name = "sessions", .help = "sessions and tasks by feature", .kind = RK_SESSIONS },
	{ .name = "feedback", .help = "ratings, CSAT, lowest-rated features and models", .kind = RK_FEEDBACK,
	  .ntables = 2, .t = {
		{ .by = "feature", .cols = fb_cols, .title = "Lowest-rated features", .only = "feedback_count", .by_feedback = 1 },
		{ .by = "model", .cols = fb_cols, .title = "Lowest-rated models", .only = "feedback_count", .by_feedback = 1 } } },
	{ .name = "anomalies", .help = "daily cost with its deviation; anomaly and spike days", .kind = RK_ANOMALIES },
	{ .name = "retention", .help = "weekly cohorts' retention; power, new and at-risk users", .kind = RK_RETENTION },
	{ .name = "slow", .help = "the slowest requests over --slow-ms, with their ids", .kind = RK_SLOW },
};

#define NREPORTS (sizeof(reports) / sizeof(reports[0]))

const struct report_def *
report_find(const char *name)
{
	size_t i;

	for (i = 0; i < NREPORTS; i++)
		if (strcmp(reports[i].name, name) == 0)
			return &reports[i];
	return NULL;
}

const char *
report_name(int i)
{
	return i >= 0 && (size_t)i < NREPORTS ? reports[i].name : NULL;
}

const char *
report_help(int i)
{
	return i >= 0 && (size_t)i < NREPORTS ? reports[i].help : NULL;
}

int
report_keys(const struct report_def *r, const struct report_opts *o,
            struct bykey keys[AGG_MAX_TABLES], int *n, struct schema *s,
            char *err, size_t errlen)
{
	int i;

	*n = 0;
	if (r->kind == RK_SUMMARY || (r->kind == RK_GROUPS && o->user_by)) {
		if (o->user_by == NULL)
			return 0;
		*n = 1;
		return bykey_parse(&keys[0], o->user_by, s, err, errlen);
	}
	for (i = 0; i < r->ntables; i++) {
		if (bykey_parse(&keys[i], r->t[i].by, s, err, errlen) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

/* ---- row selection for breakdowns ----------------------------------- */

static double
num_of(const struct grow *g, const char *name)
{
	const struct metric *m = mlist_find(&g->vals, name);

	if (m == NULL || m->kind == M_NULL)
		return NAN;
	return m->kind == M_INT ? (double)m->i : m->d;
}

static int
cmp_feedback(const void *x, const void *y)
{
	double a = num_of(x, "feedback_mean"), b = num_of(y, "feedback_mean");

	if (a != b)
		return a < b ? -1 : 1;
	return 0;
}

/* A view of t's rows: those with `only` > 0, resorted, cut to top. The
 * rows are shared with t (a shallow copy); free only view->rows. */
static void
select_rows(struct ktable *view, const struct ktable *t, const struct rtable *rt, long top)
{
	size_t i;

	*view = *t;
	view->rows = xcalloc(t->nrows + 1, sizeof(*view->rows));
	view->nrows = 0;
	for (i = 0; i < t->nrows; i++)
		if (rt == NULL || rt->only == NULL || num_of(&t->rows[i], rt->only) > 0)
			view->rows[view->nrows++] = t->rows[i];
	if (rt && rt->by_feedback)
		qsort(view->rows, view->nrows, sizeof(*view->rows), cmp_feedback);
	if (top > 0 && view->nrows > (size_t)top)
		view->nrows = (size_t)top;
}

/* ---- tables built here ------------------------------------------------ */


static const struct agg *sort_agg;

static int
cmp_user_cost(const void *x, const void *y)
{
	const struct user *a = &sort_agg->users[*(const size_t *)x];
	const struct user *b = &sort_agg->users[*(const size_t *)y];

	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	if (a->requests != b->requests)
		return a->requests > b->requests ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Users sorted by cost; *all_cost is the cost of every user. */
static size_t *
users_by_cost(const struct agg *a, i128 *all_cost)
{
	size_t *idx = xmalloc((a->nusers + 1) * sizeof(*idx)), i;

	*all_cost = 0;
	for (i = 0; i < a->nusers; i++) {
		idx[i] = i;
		*all_cost += a->users[i].cost;
	}
	sort_agg = a;
	qsort(idx, a->nusers, sizeof(*idx), cmp_user_cost);
	return idx;
}

static double
share(i128 part, i128 all)
{
	return all ? (double)part / (double)all : NAN;
}

static void
user_row(struct grow *g, const struct user *u, uint64_t sessions, i128 all)
{
	static const char *const key[] = { "user", NULL };

	mlist_str(&g->keys, key[0], u->id, MS_KEY);
	mlist_int(&g->vals, "requests", (int64_t)u->requests, MU_COUNT, MS_USERS);
	mlist_num(&g->vals, "total_cost", pico_to_usd(u->cost), MU_USD, MS_COST);
	mlist_num(&g->vals, "cost_share", share(u->cost, all), MU_RATIO, MS_COST);
	mlist_int(&g->vals, "total_tokens", (int64_t)u->tokens, MU_TOKENS, MS_TOKENS);
	mlist_num(&g->vals, "latency_mean", u->lat_n ? (double)u->lat_sum / 1000.0 / (double)u->lat_n : NAN, MU_MS, MS_LATENCY);
	mlist_num(&g->vals, "error_rate", u->requests ? (double)u->errors / (double)u->requests : NAN, MU_RATIO, MS_VOLUME);
	mlist_int(&g->vals, "sessions", (int64_t)sessions, MU_COUNT, MS_USERS);
	mlist_time(&g->vals, "first_seen", u->first_us, MS_USERS);
	mlist_time(&g->vals, "last_seen", u->last_us, MS_USERS);
}

static const char *const user_key[] = { "user", NULL };

/* The users report; with p95_only, only the P95 cost user set. */
static void
users_table(struct ktable *t, const struct agg *a, long top, int p95_only)
{
	i128 all, thr = 0;
	size_t *idx = users_by_cost(a, &all), i, n = a->nusers;
	uint64_t *sess = xcalloc(n + 1, sizeof(*sess));
	const struct sess *s;
	unsigned p = 0;
	uint32_t u;

	for (i = 0; (s = agg_sess_next(a, &p, &i)) != NULL;)
		if (s->user && (u = idmap_get(&a->user_map, s->user)) != UINT32_MAX)
			sess[u]++;
	if (p95_only && n) {    /* nearest-rank p95 of users' totals, ascending */
		size_t r = (size_t)ceil(0.95 * (double)n - 1e-9);

		thr = a->users[idx[n - (r ? r : 1)]].cost;
		for (n = 0; n < a->nusers && a->users[idx[n]].cost >= thr; n++)
			;
	}
	if (top > 0 && n > (size_t)top)
		n = (size_t)top;
	t->by = user_key;
	t->rows = xcalloc(n + 1, sizeof(*t->rows));
	t->nrows = n;
	for (i = 0; i < n; i++)
		user_row(&t->rows[i], &a->users[idx[i]], sess[idx[i]], all);
	free(sess);
	free(idx);
}

struct fsum {                   /* sessions of one feature */
	uint64_t feature;
	const char *name;
	uint64_t sessions, requests, timed, tasks, ok;
	int64_t dur;
	i128 cost;
};

static int
cmp_fsum(const void *x, const void *y)
{
	const struct fsum *a = x, *b = y;

	if (a->sessions != b->sessions)
		return a->sessions > b->sessions ? -1 : 1;
	return strcmp_null(a->name, b->name);
}

static const char *const feature_key[] = { "feature", NULL };

static void
fsum_row(struct grow *g, const struct fsum *f)
{
	double ns = (double)f->sessions;

	mlist_str(&g->keys, "feature", f->name, MS_KEY);
	mlist_int(&g->vals, "sessions", (int64_t)f->sessions, MU_COUNT, MS_USERS);
	mlist_num(&g->vals, "requests_per_session", (double)f->requests / ns, MU_COUNT, MS_USERS);
	mlist_num(&g->vals, "session_duration_mean_ms", f->timed ? (double)f->dur / 1000.0 / (double)f->timed : NAN, MU_MS, MS_USERS);
	mlist_num(&g->vals, "cost_per_session", pico_to_usd(f->cost) / ns, MU_USD, MS_COST);
	mlist_int(&g->vals, "tasks", (int64_t)f->tasks, MU_COUNT, MS_QUALITY);
	mlist_int(&g->vals, "successful_tasks", (int64_t)f->ok, MU_COUNT, MS_QUALITY);
	mlist_num(&g->vals, "task_success_rate", f->tasks ? (double)f->ok / (double)f->tasks : NAN, MU_RATIO, MS_QUALITY);
	mlist_num(&g->vals, "cost_per_successful_task", f->ok ? pico_to_usd(f->cost) / (double)f->ok : NAN, MU_USD, MS_COST);
}

/* Sessions by the feature of their first request (null: none). */
static void
sessions_table(struct ktable *t, const struct agg *a)
{
	struct idmap m = { 0 };
	struct fsum *fs = xcalloc(agg_nsess(a) + 1, sizeof(*fs));
	size_t n = 0, i = 0;
	const struct sess *s;
	unsigned p = 0;
	int isnew, o;

	while ((s = agg_sess_next(a, &p, &i)) != NULL) {
		uint32_t *slot = idmap_put(&m, s->feature ? s->feature : 1, &isnew);
		struct fsum *f;

		if (isnew) {
			*slot = (uint32_t)n;
			fs[n].feature = s->feature;
			fs[n++].name = s->feature ? s->feature_s : NULL;
		}
		f = &fs[*slot];
		f->sessions++;
		f->requests += s->requests;
		f->cost += s->cost;
		if (s->last_err >= 0) {
			f->timed++;
			f->dur += s->last_end - s->first_us;
		}
		if ((o = agg_task_outcome(a, s)) >= 0) {
			f->tasks++;
			f->ok += o == 1;
		}
	}
	qsort(fs, n, sizeof(*fs), cmp_fsum);
	t->by = feature_key;
	t->rows = xcalloc(n + 1, sizeof(*t->rows));
	t->nrows = n;
	for (i = 0; i < n; i++)
		fsum_row(&t->rows[i], &fs[i]);
	idmap_free(&m);
	free(fs);
}

static const char *const day_key[] = { "day", NULL };

/* Daily cost with its deviation from the mean and its ratio to the mean of
 * the 7 calendar days before. */
static void
anomalies_table(struct ktable *t, const struct kpis *k)
{
	size_t n = k->ndaily, i, j;
	double mean = 0, var = 0, sd;
	const struct metric *am = mlist_find(&k->summary, "cost_anomaly_days");
	const struct metric *sm = mlist_find(&k->summary, "cost_spike_days");

	for (i = 0; i < n; i++)
		mean += k->daily_cost[i] / (double)n;
	for (i = 0; i < n; i++)
		var += (k->daily_cost[i] - mean) * (k->daily_cost[i] - mean);
	sd = n ? sqrt(var / (double)n) : NAN;
	t->by = day_key;
	t->rows = xcalloc(n + 1, sizeof(*t->rows));
	t->nrows = n;
	for (i = 0; i < n; i++) {
		struct grow *g = &t->rows[i];
		char d[11];
		double prev = 0;
		int anom = 0, spike = 0;

		ltime_fmt_date(k->daily_days[i], d);
		mlist_strdup(&g->keys, "day", d, MS_KEY);
		mlist_num(&g->vals, "total_cost", k->daily_cost[i], MU_USD, MS_DAILY);
		mlist_num(&g->vals, "deviation_sd", sd > 0 ? (k->daily_cost[i] - mean) / sd : NAN, MU_SCORE, MS_DAILY);
		for (j = 0; j < i; j++)
			if (k->daily_days[j] >= k->daily_days[i] - 7)
				prev += k->daily_cost[j] / 7.0;
		mlist_num(&g->vals, "spike_ratio", k->daily_days[i] - 7 >= k->daily_days[0] && prev > 0 ?
		    k->daily_cost[i] / prev : NAN, MU_SCORE, MS_DAILY);
		for (j = 0; am && am->kind == M_DATES && j < am->n; j++)
			anom |= am->days[j] == k->daily_days[i];
		for (j = 0; sm && sm->kind == M_DATES && j < sm->n; j++)
			spike |= sm->days[j] == k->daily_days[i];
		mlist_bool(&g->vals, "anomaly", anom, MS_DAILY);
		mlist_bool(&g->vals, "spike", spike, MS_DAILY);
	}
}

static const char *const request_key[] = { "request", NULL };

/* The slowest requests, slowest first (at most SLOW_KEEP, or --top). */
static void
slow_table(struct ktable *t, struct agg *a, long top)
{
	size_t n, i;

	agg_slow_sort(a);
	n = top > 0 && a->nslow > (size_t)top ? (size_t)top : a->nslow;
	t->by = request_key;
	t->rows = xcalloc(n + 1, sizeof(*t->rows));
	t->nrows = n;
	for (i = 0; i < n; i++) {
		const struct slow *s = &a->slow[i];
		struct grow *g = &t->rows[i];

		mlist_str(&g->keys, "request", s->request, MS_KEY);
		mlist_time(&g->vals, "time", s->time_us, MS_LATENCY);
		mlist_num(&g->vals, "latency", (double)s->latency_us / 1000.0, MU_MS, MS_LATENCY);
		mlist_str(&g->vals, "model", s->model, MS_KEY);
		mlist_str(&g->vals, "user", s->user, MS_KEY);
		if (s->status)
			mlist_int(&g->vals, "status", s->status, MU_TEXT, MS_VOLUME);
		else
			mlist_null(&g->vals, "status", MU_TEXT, MS_VOLUME);
	}
}

static const char *const rating_key[] = { "rating", NULL };

/* The distribution of ratings, 1 to 5 stars. */
static void
ratings_table(struct ktable *t, const struct kpis *k)
{
	static const char *const names[] = { "feedback_1", "feedback_2", "feedback_3", "feedback_4", "feedback_5" };
	const struct metric *c = mlist_find(&k->summary, "feedback_count");
	int i;

	t->by = rating_key;
	t->rows = xcalloc(6, sizeof(*t->rows));
	t->nrows = 5;
	for (i = 0; i < 5; i++) {
		const struct metric *m = mlist_find(&k->summary, names[i]);
		int64_t n = m && m->kind == M_INT ? m->i : 0;
		char d[2] = { (char)('1' + i), '\0' };

		mlist_strdup(&t->rows[i].keys, "rating", d, MS_KEY);
		mlist_int(&t->rows[i].vals, "count", n, MU_COUNT, MS_QUALITY);
		mlist_num(&t->rows[i].vals, "share", c && c->i ? (double)n / (double)c->i : NAN, MU_RATIO, MS_QUALITY);
	}
}

static int
print_groups(FILE *f, const struct report_def *r, const struct report_opts *o,
             const struct kpis *k, const struct render_conf *rc, struct ktable *extra)
{
	struct rview v[AGG_MAX_TABLES + 1];
	struct ktable sel[AGG_MAX_TABLES];
	int n = 0, i, rcode;
	int user = o->user_by != NULL && r->kind != RK_FEEDBACK;

	if (extra) {
		v[n].t = extra;
		v[n].cols = NULL;
		v[n].title = "Ratings";
		v[n++].chart = 0;
	}
	for (i = 0; i < o->ntables; i++) {
		const struct rtable *rt = user ? NULL : &r->t[i];

		select_rows(&sel[i], &k->tables[i], rt, o->top);
		v[n].t = &sel[i];
		v[n].cols = rt ? rt->cols : rc->format == FMT_TABLE ? bd_cols : NULL;
		v[n].title = rt ? rt->title : NULL;
		v[n++].chart = rt ? rt->chart : 0;
	}
	rcode = render_report(f, k, r->name, v, n, rc);
	for (i = 0; i < o->ntables; i++)
		free(sel[i].rows);
	return rcode;
}

static const char *const user_cols[] = {
	"requests", "total_cost", "cost_share", "total_tokens", "latency_mean",
	"error_rate", "sessions", "first_seen", "last_seen", NULL
};

int
report_print(FILE *f, const struct report_def *r, const struct report_opts *o,
             const struct kpis *k, struct agg *a, const struct render_conf *rc)
{
	struct ktable t = { 0 };
	struct rview v = { &t, NULL, NULL, 0 };
	int rcode;

	switch (r->kind) {
	case RK_SUMMARY:
		if (o->ntables == 0)
			return render_summary(f, k, rc);
		return print_groups(f, r, o, k, rc, NULL);
	case RK_GROUPS:
		return print_groups(f, r, o, k, rc, NULL);
	case RK_FEEDBACK:
		ratings_table(&t, k);
		rcode = print_groups(f, r, o, k, rc, &t);
		ktable_free(&t);
		return rcode;
	case RK_USERS:
	case RK_TOP_USERS:
		users_table(&t, a, o->top, r->kind == RK_TOP_USERS);
		v.cols = r->kind == RK_USERS ? user_cols : NULL;
		if (r->kind == RK_TOP_USERS) {
			static const char *const top_cols[] = { "total_cost", "cost_share", "requests", NULL };

			v.cols = top_cols;
		}
		break;
	case RK_SESSIONS:
		sessions_table(&t, a);
		break;
	case RK_SLOW:
		slow_table(&t, a, o->top);
		break;
	case RK_RETENTION: {
		struct ktable seg;
		struct rview rv[2] = { { &t, NULL, "Weekly retention by cohort", 0 },
		                       { &seg, NULL, "User segments", 0 } };

		cohort_retention(&t, a);
		cohort_segments(&seg, a);
		rcode = render_report(f, k, r->name, rv, 2, rc);
		ktable_free(&t);
		ktable_free(&seg);
		return rcode;
	}
	default:
		anomalies_table(&t, k);
		break;
	}
	rcode = render_report(f, k, r->name, &v, 1, rc);
	ktable_free(&t);
	return rcode;
}
