/* statewrite.c - writing state files: every table in key order, so the
 * same aggregate gives the same bytes whatever the thread count or the
 * order of the lines. Part of the state module (reading: state.c). */
#include "state.h"

#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "util.h"

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
	put_u64(&b, hash64(b.p, b.len, STATE_SUM_SEED));
	rc = fwrite(b.p, 1, b.len, f) == b.len ? 0 : -1;
	free(b.p);
	return rc;
}

