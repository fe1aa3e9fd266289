/* session.c - the session table of an aggregate: adding a request to its
 * session, the session's timed requests (rqlog), merging sessions, and the
 * order-dependent metrics computed from them. Part of the agg module. */
#include "agg.h"

#include <stdlib.h>
#include <string.h>

struct sess *
session_get(struct agg *a, uint64_t hash)
{
	int isnew;
	uint32_t *slot = idmap_put(&a->sess_map, hash, &isnew);
	struct sess *s;

	if (!isnew)
		return &a->sess[*slot];
	xtable_grow((void **)&a->sess, &a->sess_cap, a->nsess + 1, sizeof(*a->sess));
	*slot = (uint32_t)a->nsess;
	s = &a->sess[a->nsess++];
	memset(s, 0, sizeof(*s));
	s->first_us = INT64_MAX;
	s->last_us = INT64_MIN;
	s->last_end = INT64_MIN;
	s->last_err = -1;
	s->outcome = -1;
	s->outcome_us = INT64_MIN;
	s->user_us = INT64_MAX;
	s->feature_us = INT64_MAX;
	return s;
}

/* "The last by time" with ties broken by content, so order never matters. */
static void
sess_last(struct sess *s, int64_t t, int64_t end, int err)
{
	if (t > s->last_us || (t == s->last_us && (end > s->last_end ||
	    (end == s->last_end && err > s->last_err)))) {
		s->last_us = t;
		s->last_end = end;
		s->last_err = (int8_t)err;
	}
}

static void
sess_outcome(struct sess *s, int64_t t, int ok)
{
	if (t > s->outcome_us || (t == s->outcome_us && ok > s->outcome)) {
		s->outcome_us = t;
		s->outcome = (int8_t)ok;
	}
}

/* The first request by time names the session's user and feature (ties:
 * the smaller hash). */
static void
sess_user(struct sess *s, int64_t t, uint64_t user)
{
	if (user && (t < s->user_us || (t == s->user_us && user < s->user))) {
		s->user_us = t;
		s->user = user;
	}
}

/* A feature's name, pooled once however many sessions carry it. */
static const char *
feat_name(struct agg *a, uint64_t feat, const char *fs, size_t fn)
{
	int isnew;
	uint32_t *slot = idmap_put(&a->feat_map, feat, &isnew);

	if (isnew) {
		xgrow((void **)&a->feat_names, &a->feat_cap, a->nfeat + 1, sizeof(char *));
		*slot = (uint32_t)a->nfeat;
		a->feat_names[a->nfeat++] = strpool_add(&a->pool, fs, fn);
	}
	return a->feat_names[*slot];
}

static void
sess_feature(struct agg *a, struct sess *s, int64_t t, uint64_t feat, const char *fs, size_t fn)
{
	if (feat && (t < s->feature_us || (t == s->feature_us && feat < s->feature))) {
		s->feature_us = t;
		s->feature = feat;
		s->feature_s = feat_name(a, feat, fs, fn);
	}
}

/* Stores a timed request in its session's chain. The prompt is kept only
 * while no record has carried the regenerated field: once one has, the
 * logged flags decide regenerate_rate and prompts are never compared (nor
 * hashed: see prompt_hash). */
static void spill(struct agg *a);

static void
sess_request(struct agg *a, struct sess *s, int64_t t, int64_t end, uint64_t prompt)
{
	struct rqent e = { t, end, a->total.c.has_regen ? 0 : prompt };

	rqlog_append(&a->rq, &s->rq, &e);
	if (rqlog_bytes(&a->rq) > a->rq_budget)
		spill(a);
}

/* The prompt's hash (0: none), computed only while prompts are compared. */
static uint64_t
prompt_hash(const struct agg *a, const struct record *r)
{
	if (r->prompt.p == NULL || a->total.c.has_regen)
		return 0;
	return hash64(r->prompt.p, r->prompt.n, 0x70726f6d7074ULL);
}

void
agg_apply_sess(struct agg *a, const struct sess_upd *u)
{
	struct sess *s = session_get(a, u->sess);
	int64_t t = u->time_us;

	s->requests++;
	s->cost += u->cost_pico;
	if (u->success >= 0)
		sess_outcome(s, t, u->success);
	if (t == INT64_MIN)
		return;
	sess_last(s, t, u->end_us, u->error);
	if (t < s->first_us)
		s->first_us = t;
	sess_user(s, t, u->user);
	if (u->feature_s && t <= s->feature_us)   /* hashed only when it may win */
		sess_feature(a, s, t, u->feature ? u->feature : hash64(u->feature_s, u->feature_n, 2),
		    u->feature_s, u->feature_n);
	sess_request(a, s, t, u->end_us, u->prompt);
	a->nsreqs++;
}

/* Adds a record to its session here, or hands it to the session's owner;
 * a handed-over feature name is pooled here first, as the line it points
 * into is gone by the time the owner applies it. */
void
session_add(struct agg *a, uint64_t sess, const struct record *r, uint64_t user)
{
	const struct agg_route *rt = &a->route;
	int part = rt->nparts > 1 ? (int)((uint32_t)sess % (uint32_t)rt->nparts) : 0;
	struct sess_upd u;

	u.sess = sess;
	u.user = user;
	u.time_us = (r->has & R_TIME) ? r->time_us : INT64_MIN;
	u.end_us = u.time_us + ((r->has & R_LATENCY) && u.time_us != INT64_MIN ? r->latency_us : 0);
	u.cost_pico = (r->has & R_COST) ? r->cost_pico : 0;
	u.success = (r->has & R_SUCCESS) ? (int8_t)r->success : -1;
	u.error = r->error;
	u.prompt = u.time_us != INT64_MIN ? prompt_hash(a, r) : 0;
	u.feature = 0;
	u.feature_s = r->feature.p;
	u.feature_n = r->feature.n;
	if (rt->nparts <= 1 || part == rt->part) {
		agg_apply_sess(a, &u);
		return;
	}
	if (u.feature_s && u.time_us != INT64_MIN) {
		u.feature = hash64(u.feature_s, u.feature_n, 2);
		u.feature_s = feat_name(a, u.feature, u.feature_s, u.feature_n);
	} else
		u.feature_s = NULL;
	rt->fn(rt->ctx, part, &u);
}

static void
sess_merge(struct agg *a, struct sess *d, const struct sess *s)
{
	d->requests += s->requests;
	d->cost += s->cost;
	if (s->outcome >= 0)
		sess_outcome(d, s->outcome_us, s->outcome);
	if (s->last_err >= 0)
		sess_last(d, s->last_us, s->last_end, s->last_err);
	if (s->first_us < d->first_us)
		d->first_us = s->first_us;
	sess_user(d, s->user_us, s->user);
	if (s->feature)
		sess_feature(a, d, s->feature_us, s->feature, s->feature_s, strlen(s->feature_s));
}

/* The session of a slot of sess_map, or NULL for an empty slot. */
static const struct sess *
slot_sess(const struct agg *a, size_t i, uint64_t *hash)
{
	const struct idslot *sl = &a->sess_map.slots[i];

	if ((sl->klo | sl->khi) == 0)
		return NULL;
	*hash = (uint64_t)sl->khi << 32 | sl->klo;
	return &a->sess[sl->val];
}

static uint64_t
slot_hash(const struct agg *a, size_t i)
{
	const struct idslot *sl = &a->sess_map.slots[i];

	return (uint64_t)sl->khi << 32 | sl->klo;
}

/* The occupied slots of sess_map, by session hash; *n of them. With held,
 * only those of sessions with requests in memory. */
static size_t *
slots_by_hash(const struct agg *a, size_t *n, int held)
{
	size_t *o = xmalloc(a->nsess * sizeof(*o) + 1), i;
	const struct sess *x;
	uint64_t h;

	*n = 0;
	for (i = 0; i < a->sess_map.cap; i++)
		if ((x = slot_sess(a, i, &h)) != NULL && (!held || x->rq.used))
			o[(*n)++] = i;
	/* A key sits at or a little after the slot its top bits name, so
	 * slot order is hash order but for short probe runs (and the few
	 * keys that wrapped to the front): an insertion sort is linear. */
	for (i = 1; i < *n; i++) {
		size_t t = o[i], j = i;

		h = slot_hash(a, t);
		for (; j > 0 && slot_hash(a, o[j - 1]) > h; j--)
			o[j] = o[j - 1];
		o[j] = t;
	}
	return o;
}

void
agg_each_sess(const struct agg *a, void (*fn)(void *, uint64_t, const struct sess *), void *arg)
{
	size_t n, i, *o = slots_by_hash(a, &n, 0);
	uint64_t h = 0;

	for (i = 0; i < n; i++) {
		const struct sess *x = slot_sess(a, o[i], &h);

		fn(arg, h, x);
	}
	free(o);
}

#define AHEAD 8         /* slots looked ahead when merging sessions */

/* Starts loading the rows that merging slot i of src will touch. */
static void
merge_prefetch(const struct agg *a, const struct agg *src, size_t i)
{
	const struct sess *x;
	uint64_t h;
	uint32_t k;

	if (i >= src->sess_map.cap || (x = slot_sess(src, i, &h)) == NULL)
		return;
	__builtin_prefetch(x);
	__builtin_prefetch((const char *)x + 64);
	if ((k = idmap_get(&a->sess_map, h)) != UINT32_MAX) {
		__builtin_prefetch(&a->sess[k], 1);
		__builtin_prefetch((const char *)&a->sess[k] + 64, 1);
	}
}

/* Adds session x of src (its hash h) to a, with its request chain. */
static void
sess_take(struct agg *a, const struct agg *src, uint64_t h, const struct sess *x,
          struct rqent **e, size_t *cap)
{
	struct sess *d = session_get(a, h);
	size_t j, n;

	sess_merge(a, d, x);
	if (d->rq.used == 0) {
		rqlog_copy(&a->rq, &d->rq, &src->rq, &x->rq);
		if (rqlog_bytes(&a->rq) > a->rq_budget)
			spill(a);
		return;
	}
	n = rqlog_read(&src->rq, &x->rq, e, cap);
	for (j = 0; j < n; j++)
		sess_request(a, d, (*e)[j].time_us, (*e)[j].end_us, (*e)[j].prompt);
}

/* Merges src's sessions into a, their request chains included: copied
 * whole to a session new to a, else added one by one. */
void
sessions_merge(struct agg *a, const struct agg *src)
{
	struct rqent *e = NULL;
	const struct sess *x;
	size_t cap = 0, i;
	uint64_t h;

	idmap_reserve(&a->sess_map, a->nsess + src->nsess);
	a->nsreqs += src->nsreqs;
	for (i = 0; i < src->sess_map.cap; i++) {
		merge_prefetch(a, src, i + AHEAD);
		if ((x = slot_sess(src, i, &h)) != NULL)
			sess_take(a, src, h, x, &e, &cap);
	}
	free(e);
	rqspill_copy(&a->spill, &src->spill);
}

#define RELEASE_EVERY 8192      /* sessions moved between page releases */

void
sessions_move(struct agg *a, struct agg *src)
{
	struct rqent *e = NULL;
	uint64_t *hash = xmalloc(src->nsess * sizeof(*hash) + 1);
	const struct sess *x;
	size_t cap = 0, i;
	uint64_t h;

	for (i = 0; i < src->sess_map.cap; i++)         /* hashes by row */
		if ((x = slot_sess(src, i, &h)) != NULL)
			hash[x - src->sess] = h;
	idmap_free(&src->sess_map);
	idmap_reserve(&a->sess_map, a->nsess + src->nsess);
	a->nsreqs += src->nsreqs;
	for (i = 0; i < src->nsess; i++) {
		sess_take(a, src, hash[i], &src->sess[i], &e, &cap);
		if ((i + 1) % RELEASE_EVERY == 0)
			xtable_release(src->sess, src->sess_cap, sizeof(*src->sess), i + 1);
	}
	free(e);
	free(hash);
	rqspill_move(&a->spill, &src->spill);
	xtable_free(src->sess, src->sess_cap, sizeof(*src->sess));
	src->sess = NULL;
	src->nsess = src->sess_cap = 0;
	src->nsreqs = 0;
	rqlog_free(&src->rq);
	memset(&src->rq, 0, sizeof(src->rq));
}

void
agg_merge_sess(struct agg *a, uint64_t hash, const struct sess *s)
{
	sess_merge(a, session_get(a, hash), s);
}

int
agg_merge_sreq(struct agg *a, const struct rqkey *q)
{
	uint32_t i = idmap_get(&a->sess_map, q->sess);

	if (i == UINT32_MAX)
		return -1;
	sess_request(a, &a->sess[i], q->e.time_us, q->e.end_us, q->e.prompt);
	a->nsreqs++;
	return 0;
}

/* ---- The sessions' requests in order: memory and spilled runs merged. ---- */

/* The in-memory requests as a sorted stream: sessions by hash, each
 * session's by (start, end, prompt). */
struct memsrc {
	const struct agg *a;
	size_t *slot, nslot, k; /* sessions with requests in memory, by hash */
	struct rqent *e;
	size_t cap, n, i;
	uint64_t hash;
};

static int
mem_next(void *ctx, struct rqkey *key)
{
	struct memsrc *m = ctx;

	while (m->i == m->n) {
		const struct sess *x;

		if (m->k == m->nslot)
			return 0;
		x = slot_sess(m->a, m->slot[m->k++], &m->hash);
		m->n = rqlog_read(&m->a->rq, &x->rq, &m->e, &m->cap);
		rqlog_sort(m->e, m->n);
		m->i = 0;
	}
	key->sess = m->hash;
	key->e = m->e[m->i++];
	return 1;
}

static void
mem_open(struct memsrc *m, const struct agg *a)
{
	memset(m, 0, sizeof(*m));
	m->a = a;
	m->slot = slots_by_hash(a, &m->nslot, 1);
}

static void
mem_close(struct memsrc *m)
{
	free(m->slot);
	free(m->e);
}

/* Writes the in-memory requests out as one sorted run and empties every
 * chain; when no temporary file can be had they stay (and grow) here. */
static void
spill(struct agg *a)
{
	struct memsrc m;
	struct rqkey k;
	size_t i;

	if (rqspill_begin(&a->spill) < 0) {
		a->rq_budget = SIZE_MAX;
		return;
	}
	mem_open(&m, a);
	while (mem_next(&m, &k))
		rqspill_put(&a->spill, &k);
	rqspill_end(&a->spill);
	for (i = 0; i < m.nslot; i++)
		memset(&a->sess[a->sess_map.slots[m.slot[i]].val].rq, 0, sizeof(a->sess[0].rq));
	mem_close(&m);
	rqlog_reset(&a->rq);
}

void
agg_each_sreq(const struct agg *a, void (*fn)(void *, const struct rqkey *), void *arg)
{
	struct memsrc m;

	mem_open(&m, a);
	rqspill_merge(&a->spill, mem_next, &m, fn, arg);
	mem_close(&m);
}

struct pairs {
	int64_t window;
	uint64_t requery, regen;
	struct rqkey prev;
	int have;
};

/* Consecutive requests of one session: a re-query when the second starts
 * within the window after the first ended; a regeneration when both carry
 * the same prompt. */
static void
count_pair(void *ctx, const struct rqkey *q)
{
	struct pairs *p = ctx;
	int64_t gap;

	if (p->have && p->prev.sess == q->sess) {
		gap = q->e.time_us - p->prev.e.end_us;
		p->requery += gap >= 0 && gap <= p->window;
		p->regen += p->prev.e.prompt != 0 && p->prev.e.prompt == q->e.prompt;
	}
	p->prev = *q;
	p->have = 1;
}

/* Pairs of neighbours in the stream of each session's requests by time. */
void
agg_session_order(const struct agg *a, uint64_t *requery, uint64_t *regen)
{
	struct pairs p;

	memset(&p, 0, sizeof(p));
	p.window = a->conf->requery_us;
	agg_each_sreq(a, count_pair, &p);
	*requery = p.requery;
	*regen = p.regen;
}
