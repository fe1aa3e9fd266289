/* state.c - reading state files (writing: statewrite.c). */
#include "state.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "util.h"

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
	    (memcpy(&sum, p + n - 8, 8), hash64(p, n - 8, STATE_SUM_SEED) != le64toh(sum))) {
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
