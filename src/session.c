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
static void
sess_request(struct agg *a, struct sess *s, int64_t t, int64_t end, uint64_t prompt)
{
	struct rqent e = { t, end, a->total.c.has_regen ? 0 : prompt };

	rqlog_append(&a->rq, &s->rq, &e);
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

static int
slot_cmp(const void *x, const void *y, void *ctx)
{
	const struct agg *a = ctx;
	uint64_t h1 = 0, h2 = 0;

	slot_sess(a, *(const size_t *)x, &h1);
	slot_sess(a, *(const size_t *)y, &h2);
	return (h1 > h2) - (h1 < h2);
}

/* The occupied slots of sess_map, by session hash; *n of them. */
static size_t *
slots_by_hash(const struct agg *a, size_t *n)
{
	size_t *o = xmalloc(a->nsess * sizeof(*o) + 1), i;
	uint64_t h;

	*n = 0;
	for (i = 0; i < a->sess_map.cap; i++)
		if (slot_sess(a, i, &h) != NULL)
			o[(*n)++] = i;
	qsort_r(o, *n, sizeof(*o), slot_cmp, (void *)a);
	return o;
}

void
agg_each_sess(const struct agg *a, void (*fn)(void *, uint64_t, const struct sess *), void *arg)
{
	size_t n, i, *o = slots_by_hash(a, &n);
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
agg_merge_sreq(struct agg *a, const struct sreq *q)
{
	uint32_t i = idmap_get(&a->sess_map, q->sess);

	if (i == UINT32_MAX)
		return -1;
	sess_request(a, &a->sess[i], q->time_us, q->end_us, q->prompt);
	a->nsreqs++;
	return 0;
}

void
agg_each_sreq(const struct agg *a, void (*fn)(void *, const struct sreq *), void *arg)
{
	struct rqent *e = NULL;
	size_t cap = 0, i, j, n, ns, *o = slots_by_hash(a, &ns);
	struct sreq q;

	for (i = 0; i < ns; i++) {
		const struct sess *x = slot_sess(a, o[i], &q.sess);

		n = rqlog_read(&a->rq, &x->rq, &e, &cap);
		rqlog_sort(e, n);
		for (j = 0; j < n; j++) {
			q.time_us = e[j].time_us;
			q.end_us = e[j].end_us;
			q.prompt = e[j].prompt;
			fn(arg, &q);
		}
	}
	free(o);
	free(e);
}

/* Each session's requests sorted by time; pairs of neighbours counted. */
void
agg_session_order(const struct agg *a, uint64_t *requery, uint64_t *regen)
{
	struct rqent *e = NULL;
	size_t cap = 0, i, j, n;
	int64_t gap;

	*requery = *regen = 0;
	for (i = 0; i < a->nsess; i++) {
		n = rqlog_read(&a->rq, &a->sess[i].rq, &e, &cap);
		rqlog_sort(e, n);
		for (j = 0; j + 1 < n; j++) {
			gap = e[j + 1].time_us - e[j].end_us;
			*requery += gap >= 0 && gap <= a->conf->requery_us;
			*regen += e[j].prompt != 0 && e[j].prompt == e[j + 1].prompt;
		}
	}
	free(e);
}

