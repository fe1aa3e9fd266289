/* state.c - writing and reading state files. */
#include "state.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "util.h"

/* ---- writing --------------------------------------------------------- */

struct wbuf {
	unsigned char *p;
	size_t len, cap;
};

static unsigned char *
wroom(struct wbuf *b, size_t n)
{
	unsigned char *at;

	xgrow((void **)&b->p, &b->cap, b->len + n, 1);
	at = b->p + b->len;
	b->len += n;
	return at;
}

static void
put_u64(struct wbuf *b, uint64_t v)
{
	unsigned char *at = wroom(b, 8);
	int i;

	for (i = 0; i < 8; i++)
		at[i] = (unsigned char)(v >> (8 * i));
}

static void
put_i64(struct wbuf *b, int64_t v)
{
	put_u64(b, (uint64_t)v);
}

static void
put_i128(struct wbuf *b, i128 v)
{
	put_u64(b, (uint64_t)v);
	put_u64(b, (uint64_t)(v >> 64));
}

static void
put_f64(struct wbuf *b, double d)
{
	uint64_t v;

	memcpy(&v, &d, 8);
	put_u64(b, v);
}

static void
put_str(struct wbuf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put_u64(b, s ? n : UINT64_MAX);
	if (n)
		memcpy(wroom(b, n), s, n);
}

/* Tables are written in an order of their keys, not of their rows, so a
 * state is the same bytes whatever the thread count or the order of the
 * lines that made it. */
struct ord {
	uint64_t k;
	size_t i;
};

static int
ord_cmp(const void *x, const void *y)
{
	const struct ord *a = x, *b = y;

	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* Row indexes 0..n-1 sorted by key(ctx, i); the caller frees them. */
static struct ord *
order_by(size_t n, uint64_t (*key)(const void *, size_t), const void *ctx)
{
	struct ord *o = xmalloc(n * sizeof(*o) + 1);

	for (size_t i = 0; i < n; i++) {
		o[i].k = key(ctx, i);
		o[i].i = i;
	}
	qsort(o, n, sizeof(*o), ord_cmp);
	return o;
}

/* Every table row is known by its hash (days by hash_u64 of the day). */
static uint64_t
grp_key(const void *ctx, size_t i)
{
	return ((const struct gtable *)ctx)->rows[i].hash;
}

static uint64_t
user_key(const void *ctx, size_t i)
{
	return ((const struct agg *)ctx)->users[i].hash;
}

static uint64_t
minute_key(const void *ctx, size_t i)
{
	return (uint64_t)((const struct agg *)ctx)->minute_keys[i] ^ (UINT64_C(1) << 63);
}

static int
u64_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

/* The fields of struct counts, in file order. */
#define COUNTS_U64(X) X(requests) X(errors) X(s4xx) X(s5xx) X(rate_limited) \
	X(timeouts) X(cache_hits) X(priced) X(unpriced) X(in_tok) X(out_tok) \
	X(cached_tok) X(cwrite_tok) X(tok_n) X(lat_n) X(ttft_n) X(ok_out_n) \
	X(ok_out_tok) X(fb_n) X(regen_flagged) X(has_regen) X(has_success) \
	X(with_session) X(timed)
#define COUNTS_I64(X) X(lat_sum) X(lat_max) X(ttft_sum) X(fb_milli) \
	X(first_us) X(last_us)

static void
put_counts(struct wbuf *b, const struct counts *c)
{
	int i;

#define W(f) put_u64(b, c->f);
	COUNTS_U64(W)
#undef W
#define W(f) put_i64(b, c->f);
	COUNTS_I64(W)
#undef W
	put_i128(b, c->cost);
	put_i128(b, c->cache_savings);
	for (i = 0; i < FB_BINS; i++)
		put_u64(b, c->fb_hist[i]);
}

static void
put_sketch(struct wbuf *b, const struct ddsketch *s)
{
	size_t n = ddsketch_size(s);

	put_u64(b, n);
	ddsketch_write(s, wroom(b, n));
}

static void
put_grp(struct wbuf *b, const struct grp *g)
{
	size_t i;

	put_u64(b, g->hash);
	put_str(b, g->key);
	put_i64(b, g->num);
	put_counts(b, &g->c);
	put_sketch(b, &g->lat);
	put_sketch(b, &g->ttft);
	put_sketch(b, &g->cost);
	put_sketch(b, &g->tok);
	put_sketch(b, &g->tpot);
	{
		uint64_t *k = xmalloc(g->users.len * sizeof(*k) + 1);
		size_t n = 0;

		for (i = 0; i < g->users.cap; i++)
			if (g->users.keys[i])
				k[n++] = g->users.keys[i];
		qsort(k, n, sizeof(*k), u64_cmp);
		put_u64(b, n);
		for (i = 0; i < n; i++)
			put_u64(b, k[i]);
		free(k);
	}
}

static void
put_settings(struct wbuf *b, const struct agg *a, const char *const keys[AGG_MAX_TABLES])
{
	int t;

	memcpy(wroom(b, INPUT_STATE_MAGIC_LEN), INPUT_STATE_MAGIC, INPUT_STATE_MAGIC_LEN);
	put_u64(b, 0);          /* the whole state's length, patched at the end */
	put_u64(b, STATE_VERSION);
	put_f64(b, a->conf->alpha);
	put_i64(b, a->conf->requery_us);
	put_i64(b, a->conf->slow_us);
	put_str(b, a->conf->tz->name[0] ? a->conf->tz->name : "UTC");
	put_u64(b, (uint64_t)a->conf->ntables);
	for (t = 0; t < a->conf->ntables; t++)
		put_str(b, keys[t]);
	put_u64(b, (uint64_t)a->conf->nscores);
	for (t = 0; t < a->conf->nscores; t++)
		put_str(b, a->conf->score_names[t]);
	put_u64(b, (uint64_t)a->conf->nflags);
	for (t = 0; t < a->conf->nflags; t++)
		put_str(b, a->conf->flag_names[t]);
}

/* The SLOW_KEEP slowest requests, in agg_slow_cmp's order: the ones any
 * merge would keep (an aggregate holds up to twice that between trims). */
static void
put_slow(struct wbuf *b, const struct agg *a)
{
	struct slow *o = xmalloc(a->nslow * sizeof(*o) + 1);
	size_t i, n = a->nslow < SLOW_KEEP ? a->nslow : SLOW_KEEP;

	if (a->nslow)
		memcpy(o, a->slow, a->nslow * sizeof(*o));
	qsort(o, a->nslow, sizeof(*o), agg_slow_cmp);
	put_u64(b, n);
	for (i = 0; i < n; i++) {
		const struct slow *sl = &o[i];

		put_i64(b, sl->latency_us);
		put_i64(b, sl->time_us);
		put_str(b, sl->request);
		put_str(b, sl->model);
		put_str(b, sl->user);
		put_i64(b, sl->status);
	}
	free(o);
}

static void
put_signals(struct wbuf *b, const struct agg *a)
{
	int i;

	for (i = 0; i < a->conf->nscores; i++) {
		put_u64(b, a->score[i].n);
		put_i128(b, a->score[i].sum);
		put_sketch(b, &a->score[i].sk);
	}
	for (i = 0; i < a->conf->nflags; i++) {
		put_u64(b, a->flag_n[i]);
		put_u64(b, a->flag_true[i]);
	}
	put_slow(b, a);
}

static void
put_tables(struct wbuf *b, const struct agg *a)
{
	size_t i;
	int t;

	put_grp(b, &a->total);
	for (t = -1; t < a->conf->ntables; t++) {
		const struct gtable *g = t < 0 ? &a->days : &a->groups[t];
		struct ord *o = order_by(g->len, grp_key, g);

		put_u64(b, g->len);
		for (i = 0; i < g->len; i++)
			put_grp(b, &g->rows[o[i].i]);
		free(o);
	}
}

static void
put_user(struct wbuf *b, const struct user *u)
{
	put_u64(b, u->hash);
	put_str(b, u->id);
	put_u64(b, u->requests);
	put_u64(b, u->errors);
	put_u64(b, u->tokens);
	put_u64(b, u->lat_n);
	put_i128(b, u->cost);
	put_i64(b, u->lat_sum);
	put_i64(b, u->first_us);
	put_i64(b, u->last_us);
}

static void
put_sess(void *arg, uint64_t hash, const struct sess *s)
{
	struct wbuf *b = arg;

	put_u64(b, hash);
	put_u64(b, s->requests);
	put_i128(b, s->cost);
	put_i64(b, s->first_us);
	put_i64(b, s->last_us);
	put_i64(b, s->last_end);
	put_i64(b, s->last_err);
	put_i64(b, s->outcome);
	put_i64(b, s->outcome_us);
	put_u64(b, s->user);
	put_i64(b, s->user_us);
	put_u64(b, s->feature);
	put_str(b, s->feature_s);
	put_i64(b, s->feature_us);
}

static void
put_sreq(void *arg, const struct rqkey *q)
{
	struct wbuf *b = arg;

	put_u64(b, q->sess);
	put_i64(b, q->e.time_us);
	put_i64(b, q->e.end_us);
	put_u64(b, q->e.prompt);
}

static int
unpriced_cmp(const void *x, const void *y, void *ctx)
{
	const struct agg *a = ctx;

	return strcmp(a->unpriced_names[*(const size_t *)x], a->unpriced_names[*(const size_t *)y]);
}

/* Unpriced models by name (names are unique). */
static void
put_unpriced(struct wbuf *b, const struct agg *a)
{
	size_t *o = xmalloc(a->nunpriced * sizeof(*o) + 1), i;

	for (i = 0; i < a->nunpriced; i++)
		o[i] = i;
	qsort_r(o, a->nunpriced, sizeof(*o), unpriced_cmp, (void *)a);
	put_u64(b, a->nunpriced);
	for (i = 0; i < a->nunpriced; i++) {
		put_str(b, a->unpriced_names[o[i]]);
		put_u64(b, a->unpriced_counts[o[i]]);
	}
	free(o);
}

static void
put_rest(struct wbuf *b, const struct agg *a)
{
	size_t i;

	struct ord *o = order_by(a->nusers, user_key, a);

	put_u64(b, a->nusers);
	for (i = 0; i < a->nusers; i++)
		put_user(b, &a->users[o[i].i]);
	free(o);
	put_u64(b, agg_nsess(a));
	agg_each_sess(a, put_sess, b);
	put_u64(b, agg_nsreqs(a));
	agg_each_sreq(a, put_sreq, b);
	o = order_by(a->nminutes, minute_key, a);
	put_u64(b, a->nminutes);
	for (i = 0; i < a->nminutes; i++) {
		put_i64(b, a->minute_keys[o[i].i]);
		put_u64(b, a->minute_counts[o[i].i]);
	}
	free(o);
	put_unpriced(b, a);
}

int
state_write(FILE *f, const struct agg *a, const char *const keys[AGG_MAX_TABLES])
{
	struct wbuf b = { 0 };
	uint64_t len;
	int rc, i;

	put_settings(&b, a, keys);
	put_u64(&b, a->lines_read);
	put_u64(&b, a->blank_lines);
	put_u64(&b, a->rejected_lines);
	put_u64(&b, a->duplicate_records);
	put_u64(&b, a->filtered_records);
	put_u64(&b, a->feedback_records);
	put_u64(&b, a->extra_records);
	put_u64(&b, a->invalid_values);
	put_tables(&b, a);
	put_rest(&b, a);
	put_signals(&b, a);
	len = b.len + 8;
	for (i = 0; i < 8; i++)
		b.p[INPUT_STATE_MAGIC_LEN + (size_t)i] = (unsigned char)(len >> (8 * i));
	put_u64(&b, hash64(b.p, b.len, 0x57a7e));
	rc = fwrite(b.p, 1, b.len, f) == b.len ? 0 : -1;
	free(b.p);
	return rc;
}

/* ---- reading --------------------------------------------------------- */

struct rbuf {
	const unsigned char *p;
	size_t n, off;
	int bad;                /* ran past the end or met nonsense */
	struct strpool *pool;   /* strings read live here */
	int ntables;            /* the state's group tables */
	int map[AGG_MAX_TABLES];        /* state table -> this run's, -1 unused */
};

static uint64_t
get_u64(struct rbuf *r)
{
	uint64_t v = 0;
	int i;

	if (r->bad || r->n - r->off < 8) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < 8; i++)
		v |= (uint64_t)r->p[r->off + (size_t)i] << (8 * i);
	r->off += 8;
	return v;
}

static int64_t
get_i64(struct rbuf *r)
{
	return (int64_t)get_u64(r);
}

static i128
get_i128(struct rbuf *r)
{
	uint64_t lo = get_u64(r), hi = get_u64(r);

	return (i128)(((u128)hi << 64) | lo);
}

static double
get_f64(struct rbuf *r)
{
	uint64_t v = get_u64(r);
	double d;

	memcpy(&d, &v, 8);
	return d;
}

/* A count of items each at least min bytes long, checked against what is left. */
static size_t
get_count(struct rbuf *r, size_t min)
{
	uint64_t n = get_u64(r);

	if (r->bad || n > (r->n - r->off) / min) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

static const char *
get_str(struct rbuf *r)
{
	uint64_t n = get_u64(r);
	const char *s;

	if (n == UINT64_MAX || r->bad)
		return NULL;
	if (n > r->n - r->off || memchr(r->p + r->off, '\0', (size_t)n)) {
		r->bad = 1;
		return NULL;
	}
	s = strpool_add(r->pool, (const char *)r->p + r->off, (size_t)n);
	r->off += (size_t)n;
	return s;
}

/* Sanity of values a state cannot hold unless corrupt: times within the
 * years llmstat reads (or the "none" markers), durations within a day. */
#define T_LO (-2300000000000000LL)      /* before 1900 */
#define T_HI (11000000000000000LL)      /* after 2300 */
#define DAY_US 86400000000LL

static void
check_time(struct rbuf *r, int64_t t)
{
	if (t != INT64_MIN && t != INT64_MAX && (t < T_LO || t > T_HI))
		r->bad = 1;
}

static void
check_sum(struct rbuf *r, int64_t sum, uint64_t n, int64_t per)
{
	if (sum < 0 || n > (uint64_t)1 << 40 || (uint64_t)sum > n * (uint64_t)per)
		r->bad = 1;
}

/* Money: at most $100,000 a request, as schema.c accepts. */
static void
check_cost(struct rbuf *r, i128 cost, uint64_t n)
{
	if (cost < 0 || n > (uint64_t)1 << 40 || cost > (i128)n * 100000 * 1000000000000LL)
		r->bad = 1;
}

static void
check_counts(struct rbuf *r, const struct counts *c)
{
	check_time(r, c->first_us);
	check_time(r, c->last_us);
	if (c->timed && (c->first_us == INT64_MAX || c->last_us == INT64_MIN ||
	    c->first_us > c->last_us))
		r->bad = 1;     /* timed records without times: the span would overflow */
	check_sum(r, c->lat_sum, c->lat_n, DAY_US);
	check_sum(r, c->ttft_sum, c->ttft_n, DAY_US);
	check_sum(r, c->lat_max, 1, DAY_US);
	if (c->requests > (uint64_t)1 << 40 || c->fb_n > c->requests ||
	    c->fb_milli < -(int64_t)(c->fb_n * 1000) || c->fb_milli > (int64_t)(c->fb_n * 10000))
		r->bad = 1;
	check_cost(r, c->cost, c->requests);
	check_cost(r, c->cache_savings, c->requests);
}

static void
get_counts(struct rbuf *r, struct counts *c)
{
	int i;

#define R(f) c->f = get_u64(r);
	COUNTS_U64(R)
#undef R
#define R(f) c->f = get_i64(r);
	COUNTS_I64(R)
#undef R
	c->cost = get_i128(r);
	c->cache_savings = get_i128(r);
	for (i = 0; i < FB_BINS; i++)
		c->fb_hist[i] = get_u64(r);
	check_counts(r, c);
}

static void
get_sketch(struct rbuf *r, struct ddsketch *s)
{
	size_t n = get_count(r, 1);

	ddsketch_free(s);
	if (r->bad || (n && ddsketch_read(s, r->p + r->off, n) != n) || s->alpha != s->alpha) {
		r->bad = 1;
		return;
	}
	r->off += n;
}

/* Reads one group into g (initialised by the caller, freed by the caller). */
static void
get_grp(struct rbuf *r, struct grp *g)
{
	size_t n, i;

	g->hash = get_u64(r);
	g->key = get_str(r);
	g->num = get_i64(r);
	if (g->num < T_LO / DAY_US || g->num > T_HI / DAY_US)
		r->bad = 1;
	get_counts(r, &g->c);
	get_sketch(r, &g->lat);
	get_sketch(r, &g->ttft);
	get_sketch(r, &g->cost);
	get_sketch(r, &g->tok);
	get_sketch(r, &g->tpot);
	n = get_count(r, 8);
	idset_reserve(&g->users, n);    /* the keys come in slot order */
	for (i = 0; i < n && !r->bad; i++) {
		uint64_t u = get_u64(r);

		if (u == 0)
			r->bad = 1;
		else
			idset_add(&g->users, u);
	}
}

/* Reads n groups and merges them into table t of a. */
static void
get_groups(struct rbuf *r, struct agg *a, int t, size_t n)
{
	size_t i;
	struct grp g;

	for (i = 0; i < n && !r->bad; i++) {
		grp_init(&g, a->conf->alpha);
		get_grp(r, &g);
		if (!r->bad && (g.hash == 0 || (t != -1 && g.key == NULL)))
			r->bad = 1;
		if (!r->bad && t != -2)        /* -2: a table this run does not keep */
			agg_merge_grp(a, t, &g);
		grp_free(&g);
	}
}

static int
check_names(struct rbuf *r, const char *opt, int n, char *const *names, char *err, size_t errlen)
{
	uint64_t m = get_u64(r), i;
	const char *s;

	if (!r->bad && m != (uint64_t)n) {
		snprintf(err, errlen, "state made with %llu %s signal(s), this run has %d", (unsigned long long)m, opt, n);
		return -1;
	}
	for (i = 0; i < m && !r->bad; i++) {
		s = get_str(r);
		if (!r->bad && (s == NULL || strcmp(s, names[i]) != 0)) {
			snprintf(err, errlen, "state made with %s %s, this run has %s %s", opt, s ? s : "?", opt, names[i]);
			return -1;
		}
	}
	if (r->bad) {
		snprintf(err, errlen, "truncated or corrupt state file");
		return -1;
	}
	return 0;
}

static int
check_settings(struct rbuf *r, const struct agg *a, const char *const keys[AGG_MAX_TABLES],
               char *err, size_t errlen)
{
	const char *tz, *k;
	double alpha;
	int64_t rq, slow;
	uint64_t nt, t;

	if (r->n < INPUT_STATE_MAGIC_LEN || memcmp(r->p, INPUT_STATE_MAGIC, INPUT_STATE_MAGIC_LEN)) {
		snprintf(err, errlen, "not an llmstat state file");
		return -1;
	}
	r->off = INPUT_STATE_MAGIC_LEN + 8;
	if ((t = get_u64(r)) != STATE_VERSION) {
		snprintf(err, errlen, "state format version %llu is not %d, the version this llmstat reads",
		    (unsigned long long)t, STATE_VERSION);
		return -1;
	}
	alpha = get_f64(r);
	rq = get_i64(r);
	slow = get_i64(r);
	tz = get_str(r);
	nt = get_u64(r);
	if (r->bad)
		goto corrupt;
	if (alpha != a->conf->alpha) {
		snprintf(err, errlen, "state made with sketch accuracy %g, this run uses %g", alpha, a->conf->alpha);
		return -1;
	}
	if (rq != a->conf->requery_us) {
		snprintf(err, errlen, "state made with --requery-window %gs, this run uses %gs",
		    (double)rq / 1e6, (double)a->conf->requery_us / 1e6);
		return -1;
	}
	if (slow != a->conf->slow_us) {
		snprintf(err, errlen, "state made with --slow-ms %g, this run uses %g",
		    (double)slow / 1e3, (double)a->conf->slow_us / 1e3);
		return -1;
	}
	if (tz == NULL || strcmp(tz, a->conf->tz->name[0] ? a->conf->tz->name : "UTC") != 0) {
		snprintf(err, errlen, "state made with --tz %s, this run uses %s", tz ? tz : "?",
		    a->conf->tz->name[0] ? a->conf->tz->name : "UTC");
		return -1;
	}
	if (nt > AGG_MAX_TABLES)
		goto corrupt;
	r->ntables = (int)nt;
	for (t = 0; t < nt; t++) {      /* the state's tables, matched to ours by their keys */
		int j;

		k = get_str(r);
		if (r->bad || k == NULL)
			goto corrupt;
		for (j = 0; j < a->conf->ntables && strcmp(k, keys[j]) != 0; j++)
			;
		r->map[t] = j < a->conf->ntables ? j : -1;
	}
	for (int j = 0; j < a->conf->ntables; j++) {
		for (t = 0; t < nt && r->map[t] != j; t++)
			;
		if (t == nt) {
			snprintf(err, errlen, "state has no breakdown by %s (states saved by --save-state keep "
			    "day, week, month, hour, model, provider, feature and status,error_type; "
			    "for another --by, save with the same --by)", keys[j]);
			return -1;
		}
	}
	if (check_names(r, "--score", a->conf->nscores, a->conf->score_names, err, errlen) < 0 ||
	    check_names(r, "--flag", a->conf->nflags, a->conf->flag_names, err, errlen) < 0)
		return -1;
	return 0;
corrupt:
	snprintf(err, errlen, "truncated or corrupt state file");
	return -1;
}

static void
get_user(struct rbuf *r, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->hash = get_u64(r);
	u->id = get_str(r);
	u->requests = get_u64(r);
	u->errors = get_u64(r);
	u->tokens = get_u64(r);
	u->lat_n = get_u64(r);
	u->cost = get_i128(r);
	u->lat_sum = get_i64(r);
	u->first_us = get_i64(r);
	u->last_us = get_i64(r);
	check_time(r, u->first_us);
	check_time(r, u->last_us);
	check_cost(r, u->cost, u->requests);
	check_sum(r, u->lat_sum, u->lat_n, DAY_US);
	if (u->id == NULL || u->hash == 0)
		r->bad = 1;
}

static void
get_sess(struct rbuf *r, uint64_t *hash, struct sess *s)
{
	memset(s, 0, sizeof(*s));
	*hash = get_u64(r);
	s->requests = get_u64(r);
	s->cost = get_i128(r);
	s->first_us = get_i64(r);
	s->last_us = get_i64(r);
	s->last_end = get_i64(r);
	s->last_err = (int8_t)get_i64(r);
	s->outcome = (int8_t)get_i64(r);
	s->outcome_us = get_i64(r);
	s->user = get_u64(r);
	s->user_us = get_i64(r);
	s->feature = get_u64(r);
	s->feature_s = get_str(r);
	s->feature_us = get_i64(r);
	check_time(r, s->first_us);
	check_time(r, s->last_us);
	check_time(r, s->outcome_us);
	check_time(r, s->user_us);
	check_time(r, s->feature_us);
	check_time(r, s->last_end);
	check_cost(r, s->cost, s->requests);
	if (!r->bad && s->last_err >= 0 && (s->last_us == INT64_MIN || s->last_end < s->last_us ||
	    s->last_end - s->last_us > DAY_US || s->first_us == INT64_MAX))
		r->bad = 1;
	if (*hash == 0 || (s->feature && s->feature_s == NULL) ||
	    s->last_err < -1 || s->last_err > 1 || s->outcome < -1 || s->outcome > 1)
		r->bad = 1;
}

static void
get_rest(struct rbuf *r, struct agg *a)
{
	size_t n, i;
	struct user u;
	struct sess s;
	struct rqkey q;
	uint64_t h;
	const char *name;
	int64_t m;

	for (n = get_count(r, 80), i = 0; i < n && !r->bad; i++) {
		get_user(r, &u);
		if (!r->bad)
			agg_merge_user(a, &u);
	}
	n = get_count(r, 112);
	agg_reserve_sess(a, n);                 /* sessions come in slot order */
	for (i = 0; i < n && !r->bad; i++) {
		get_sess(r, &h, &s);
		if (!r->bad)
			agg_merge_sess(a, h, &s);
	}
	for (n = get_count(r, 32), i = 0; i < n && !r->bad; i++) {
		q.sess = get_u64(r);
		q.e.time_us = get_i64(r);
		q.e.end_us = get_i64(r);
		q.e.prompt = get_u64(r);
		check_time(r, q.e.time_us);
		check_time(r, q.e.end_us);
		if (!r->bad && (q.e.time_us == INT64_MIN || q.e.time_us == INT64_MAX ||
		    q.e.end_us == INT64_MAX || q.e.end_us < q.e.time_us ||
		    q.e.end_us - q.e.time_us > DAY_US))
			r->bad = 1;
		if (!r->bad && agg_merge_sreq(a, &q) < 0)
			r->bad = 1;     /* a request of no session in the state */
	}
	for (n = get_count(r, 16), i = 0; i < n && !r->bad; i++) {
		m = get_i64(r);
		if (m < T_LO / 60000000 || m > T_HI / 60000000)
			r->bad = 1;
		if (!r->bad)
			agg_merge_minute(a, m, get_u64(r));
	}
	for (n = get_count(r, 16), i = 0; i < n && !r->bad; i++) {
		name = get_str(r);
		if (name == NULL)
			r->bad = 1;
		else
			agg_merge_unpriced(a, name, get_u64(r));
	}
}

static void
get_body(struct rbuf *r, struct agg *a)
{
	struct grp g;
	int t;

	a->lines_read += get_u64(r);
	a->blank_lines += get_u64(r);
	a->rejected_lines += get_u64(r);
	a->duplicate_records += get_u64(r);
	a->filtered_records += get_u64(r);
	a->feedback_records += get_u64(r);
	a->extra_records += get_u64(r);
	a->invalid_values += get_u64(r);
	grp_init(&g, a->conf->alpha);
	get_grp(r, &g);
	if (!r->bad)
		grp_merge(&a->total, &g);
	grp_free(&g);
	get_groups(r, a, -1, get_count(r, 64));
	for (t = 0; t < r->ntables && !r->bad; t++)
		get_groups(r, a, r->map[t] < 0 ? -2 : r->map[t], get_count(r, 64));
	get_rest(r, a);
	for (t = 0; t < a->conf->nscores && !r->bad; t++) {
		a->score[t].n = get_u64(r);
		a->score[t].sum = get_i128(r);
		get_sketch(r, &a->score[t].sk);
	}
	for (t = 0; t < a->conf->nflags && !r->bad; t++) {
		a->flag_n[t] = get_u64(r);
		a->flag_true[t] = get_u64(r);
	}
	for (size_t n = get_count(r, 48), k = 0; k < n && !r->bad; k++) {
		struct slow s;

		s.latency_us = get_i64(r);
		s.time_us = get_i64(r);
		s.request = get_str(r);
		s.model = get_str(r);
		s.user = get_str(r);
		s.status = (int32_t)get_i64(r);
		check_time(r, s.time_us);
		if (s.latency_us < 0 || s.latency_us > DAY_US)
			r->bad = 1;
		if (!r->bad)
			agg_merge_slow(a, &s);
	}
}

/* 0 inside [lo, hi), 1 wholly outside, -1 across a bound. */
static int
window(const struct agg *t, int64_t lo, int64_t hi, char *err, size_t errlen)
{
	int64_t first = t->total.c.first_us, last = t->total.c.last_us;

	if (lo == INT64_MIN && hi == INT64_MAX)
		return 0;
	if (t->total.c.timed == 0 || last < lo || first >= hi)
		return 1;
	if (first >= lo && last < hi)
		return 0;
	snprintf(err, errlen, "the state's records run across the --since/--until bounds; "
	    "state files are taken whole, so choose bounds between states (day granularity)");
	return -1;
}

static int
state_read1(const unsigned char *p, size_t n, struct agg *a,
            const char *const keys[AGG_MAX_TABLES], int64_t lo, int64_t hi,
            char *err, size_t errlen)
{
	int w;
	struct strpool pool = { 0 };
	struct rbuf r = { p, n, 0, 0, &pool, 0, { 0 } };
	struct agg tmp;
	uint64_t sum;

	if (n < INPUT_STATE_MAGIC_LEN + 16 ||
	    (memcpy(&sum, p + n - 8, 8), hash64(p, n - 8, 0x57a7e) != le64toh(sum))) {
		snprintf(err, errlen, n >= INPUT_STATE_MAGIC_LEN ? "truncated or corrupt state file (checksum)"
		    : "not an llmstat state file");
		return -1;
	}
	r.n = n - 8;
	if (check_settings(&r, a, keys, err, errlen) < 0) {
		strpool_free(&pool);
		return -1;
	}
	agg_init(&tmp, a->conf);        /* read into a scratch state, merge when whole */
	get_body(&r, &tmp);
	if (r.bad || r.off != r.n) {
		snprintf(err, errlen, "truncated or corrupt state file");
		agg_free(&tmp);
		strpool_free(&pool);
		return -1;
	}
	if ((w = window(&tmp, lo, hi, err, errlen)) == 0)
		agg_merge(a, &tmp);
	agg_free(&tmp);
	strpool_free(&pool);
	return w;
}

/* The length a state at p says it has, or 0 when it says nothing sane. */
static size_t
state_len(const unsigned char *p, size_t n)
{
	uint64_t len = 0;
	int i;

	if (n < INPUT_STATE_MAGIC_LEN + 8 || memcmp(p, INPUT_STATE_MAGIC, INPUT_STATE_MAGIC_LEN))
		return 0;
	for (i = 0; i < 8; i++)
		len |= (uint64_t)p[INPUT_STATE_MAGIC_LEN + (size_t)i] << (8 * i);
	return len <= n && len >= INPUT_STATE_MAGIC_LEN + 24 ? (size_t)len : 0;
}

int
state_read(const unsigned char *p, size_t n, struct agg *a,
           const char *const keys[AGG_MAX_TABLES], int64_t lo, int64_t hi,
           char *err, size_t errlen)
{
	size_t off = 0, len;
	int rc = 1, r;

	do {            /* states written one after another (pipes, parallel) */
		if ((len = state_len(p + off, n - off)) == 0) {
			snprintf(err, errlen, "truncated or corrupt state file (at byte %zu)", off);
			return -1;
		}
		if ((r = state_read1(p + off, len, a, keys, lo, hi, err, errlen)) < 0)
			return -1;
		rc = rc && r;
		off += len;
	} while (off < n);
	return rc;
}
