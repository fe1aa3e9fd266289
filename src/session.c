/* session.c - the session tables of an aggregate: adding a request to its
 * session, keeping its timed requests (rqlog), merging sessions. Their
 * requests in order (spills, merged streams) and the metrics computed from
 * them are in sessreq.c. Part of the agg module. */
#include "agg.h"
#include "sessreq.h"

#include <stdlib.h>
#include <string.h>

/* The table of a hash among nparts: its low 32 bits scaled to [0, nparts)
 * by a multiplication, not a division, as this runs for every record.
 * The low bits, because a table's map places keys by their top bits. */
static unsigned
part_of(unsigned nparts, uint64_t hash)
{
	return (unsigned)(((uint64_t)(uint32_t)hash * nparts) >> 32);
}

/* The table session hash belongs in. */
static struct sesstab *
tab_of(const struct agg *a, uint64_t hash)
{
	return &a->st[part_of(a->nst, hash)];
}

static void
tab_init(struct sesstab *t)
{
	memset(t, 0, sizeof(*t));
	t->rq_budget = rqspill_budget();
	t->gen = 1;             /* a zeroed row holds nothing */
}

static void
tab_free(struct sesstab *t)
{
	idmap_free(&t->map);
	xtable_free(t->rows, t->cap, sizeof(*t->rows));
	rqlog_free(&t->rq);
	xtable_free(t->held, t->held_cap, sizeof(*t->held));
	xtable_free(t->sorted, t->sorted_cap, sizeof(*t->sorted));
	xtable_free(t->bucket, t->bucket_cap, sizeof(*t->bucket));
	rqspill_free(&t->spill);
	idmap_free(&t->feat_map);
	free(t->feat_names);
	strpool_free(&t->pool);
	memset(t, 0, sizeof(*t));
}

void
sessions_init(struct agg *a, unsigned nparts)
{
	a->nst = nparts ? nparts : 1;
	a->st = xcalloc_lines(a->nst, sizeof(*a->st));    /* workers write side by side */
	for (unsigned i = 0; i < a->nst; i++)
		tab_init(&a->st[i]);
}

void
sessions_free(struct agg *a)
{
	for (unsigned i = 0; i < a->nst; i++)
		tab_free(&a->st[i]);
	free(a->st);
	a->st = NULL;
	a->nst = 0;
}

void
agg_partition(struct agg *a, unsigned nparts, unsigned part,
              void (*fn)(void *, int, const struct sess_upd *), void *ctx)
{
	sessions_free(a);
	sessions_init(a, nparts);
	a->route.part = (int)part;
	a->route.fn = fn;
	a->route.ctx = ctx;
}

size_t
agg_nsess(const struct agg *a)
{
	size_t n = 0;

	for (unsigned i = 0; i < a->nst; i++)
		n += a->st[i].n;
	return n;
}

uint64_t
agg_nsreqs(const struct agg *a)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < a->nst; i++)
		n += a->st[i].nsreqs;
	return n;
}

const struct sess *
agg_sess_next(const struct agg *a, unsigned *p, size_t *i)
{
	for (; *p < a->nst; (*p)++, *i = 0)
		if (*i < a->st[*p].n)
			return &a->st[*p].rows[(*i)++];
	return NULL;
}

void
agg_sess_prefetch(const struct agg *a, uint64_t hash)
{
	idmap_prefetch(&tab_of(a, hash)->map, hash);
}

static struct sess *
tab_get(struct sesstab *t, uint64_t hash)
{
	int isnew;
	uint32_t *slot = idmap_put(&t->map, hash, &isnew);
	struct sess *s;

	if (!isnew)
		return &t->rows[*slot];
	xtable_grow((void **)&t->rows, &t->cap, t->n + 1, sizeof(*t->rows));
	*slot = (uint32_t)t->n;
	s = &t->rows[t->n++];
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

/* A feature's name, pooled once per table however many sessions carry it. */
static const char *
feat_name(struct sesstab *t, uint64_t feat, const char *fs, size_t fn)
{
	int isnew;
	uint32_t *slot = idmap_put(&t->feat_map, feat, &isnew);

	if (isnew) {
		xgrow((void **)&t->feat_names, &t->feat_cap, t->nfeat + 1, sizeof(char *));
		*slot = (uint32_t)t->nfeat;
		t->feat_names[t->nfeat++] = strpool_add(&t->pool, fs, fn);
	}
	return t->feat_names[*slot];
}

static void
sess_feature(struct sesstab *t, struct sess *s, int64_t when, uint64_t feat,
             const char *fs, size_t fn)
{
	if (feat && (when < s->feature_us || (when == s->feature_us && feat < s->feature))) {
		s->feature_us = when;
		s->feature = feat;
		s->feature_s = feat_name(t, feat, fs, fn);
	}
}

/* The chain of s's requests in memory, NULL when it has none. */
static const struct rqchain *
chain_of(const struct sesstab *t, const struct sess *s)
{
	return s->held_gen == t->gen ? &t->held[s->held].rq : NULL;
}

/* The chain of session s (hash h), made empty when it has none. */
static struct rqchain *
chain_get(struct sesstab *t, struct sess *s, uint64_t h)
{
	if (s->held_gen != t->gen) {
		xtable_grow((void **)&t->held, &t->held_cap, t->nheld + 1, sizeof(*t->held));
		s->held = (uint32_t)t->nheld;
		s->held_gen = t->gen;
		t->held[t->nheld].hash = h;
		memset(&t->held[t->nheld++].rq, 0, sizeof(struct rqchain));
	}
	return &t->held[s->held].rq;
}

/* Past its budget, t's requests in memory go to a sorted run. */
static void
spill_if_full(struct sesstab *t)
{
	if (rqlog_bytes(&t->rq) > t->rq_budget)
		sessreq_spill(t);
}

/* Stores a timed request in its session's chain. The prompt is kept only
 * while no record has carried the regenerated field: once one has, the
 * logged flags decide regenerate_rate and prompts are never compared (nor
 * hashed: see prompt_hash). */
static void
sess_request(const struct agg *a, struct sesstab *t, struct sess *s, uint64_t h,
             int64_t when, int64_t end, uint64_t prompt)
{
	struct rqent e = { when, end, a->total.c.has_regen ? 0 : prompt };

	rqlog_append(&t->rq, chain_get(t, s, h), &e);
	spill_if_full(t);
}

/* The prompt's hash (0: none), computed only while prompts are compared. */
static uint64_t
prompt_hash(const struct agg *a, const struct record *r)
{
	if (r->prompt.p == NULL || a->total.c.has_regen)
		return 0;
	return hash64(r->prompt.p, r->prompt.n, 0x70726f6d7074ULL);
}

/* Adds (sign 1) or takes away (-1) what session s brings to sums: taken
 * away before s changes and added back after, the sums stay exact. */
static void
sums_add(struct sess_sums *m, const struct sess *s, int64_t sign)
{
	m->ltasks += sign * (s->outcome >= 0);
	m->lok += sign * (s->outcome == 1);
	if (s->last_err >= 0) {
		m->itasks += sign;
		m->iok += sign * (s->last_err == 0);
		m->dur_us += sign * (s->last_end - s->first_us);
	}
}

void
agg_apply_sess(struct agg *a, const struct sess_upd *u)
{
	struct sesstab *t = tab_of(a, u->sess);
	struct sess *s = tab_get(t, u->sess);
	int64_t when = u->time_us;

	sums_add(&t->sums, s, -1);
	s->requests++;
	s->cost += u->cost_pico;
	t->sums.cost += u->cost_pico;
	if (u->success >= 0)
		sess_outcome(s, when, u->success);
	if (when != INT64_MIN) {
		sess_last(s, when, u->end_us, u->error);
		if (when < s->first_us)
			s->first_us = when;
		sess_user(s, when, u->user);
		if (u->feature_s && when <= s->feature_us)        /* hashed only when it may win */
			sess_feature(t, s, when, u->feature ? u->feature : hash64(u->feature_s, u->feature_n, 2),
			    u->feature_s, u->feature_n);
		sess_request(a, t, s, u->sess, when, u->end_us, u->prompt);
		t->nsreqs++;
	}
	sums_add(&t->sums, s, 1);
}

/* Adds a record to its session here, or hands it to the session's owner;
 * a handed-over feature name is pooled here first, as the line it points
 * into is gone by the time the owner applies it. */
void
session_add(struct agg *a, uint64_t sess, const struct record *r, uint64_t user)
{
	const struct agg_route *rt = &a->route;
	int part = (int)part_of(a->nst, sess);
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
	if (rt->fn == NULL || part == rt->part) {
		agg_apply_sess(a, &u);
		return;
	}
	if (u.feature_s && u.time_us != INT64_MIN) {
		u.feature = hash64(u.feature_s, u.feature_n, 2);
		u.feature_s = feat_name(&a->st[rt->part], u.feature, u.feature_s, u.feature_n);
	} else
		u.feature_s = NULL;
	rt->fn(rt->ctx, part, &u);
}

static void
sess_merge(struct sesstab *t, struct sess *d, const struct sess *s)
{
	sums_add(&t->sums, d, -1);
	d->requests += s->requests;
	d->cost += s->cost;
	t->sums.cost += s->cost;
	if (s->outcome >= 0)
		sess_outcome(d, s->outcome_us, s->outcome);
	if (s->last_err >= 0)
		sess_last(d, s->last_us, s->last_end, s->last_err);
	if (s->first_us < d->first_us)
		d->first_us = s->first_us;
	sess_user(d, s->user_us, s->user);
	if (s->feature)
		sess_feature(t, d, s->feature_us, s->feature, s->feature_s, strlen(s->feature_s));
	sums_add(&t->sums, d, 1);
}

static uint64_t
slot_hash(const struct sesstab *t, size_t i)
{
	const struct idslot *sl = &t->map.slots[i];

	return (uint64_t)sl->khi << 32 | sl->klo;
}

/* The session of a slot of t's map, or NULL for an empty slot (hash 0). */
static const struct sess *
slot_sess(const struct sesstab *t, size_t i, uint64_t *hash)
{
	if ((*hash = slot_hash(t, i)) == 0)
		return NULL;
	return &t->rows[t->map.slots[i].val];
}

/* The occupied slots of t's map, by session hash; *n of them. */
static size_t *
slots_by_hash(const struct sesstab *t, size_t *n)
{
	size_t *o = xmalloc(t->n * sizeof(*o) + 1), i;
	uint64_t h;

	*n = 0;
	for (i = 0; i < t->map.cap; i++)
		if (slot_sess(t, i, &h) != NULL)
			o[(*n)++] = i;
	/* A key sits at or a little after the slot its top bits name, so
	 * slot order is hash order but for short probe runs (and the few
	 * keys that wrapped to the front): an insertion sort is linear. */
	for (i = 1; i < *n; i++) {
		size_t s = o[i], j = i;

		h = slot_hash(t, s);
		for (; j > 0 && slot_hash(t, o[j - 1]) > h; j--)
			o[j] = o[j - 1];
		o[j] = s;
	}
	return o;
}

/* Every session of every part by hash: the parts' sessions are each in
 * hash order, and merged here (there are few parts: one per worker). */
void
agg_each_sess(const struct agg *a, void (*fn)(void *, uint64_t, const struct sess *), void *arg)
{
	size_t **o = xcalloc(a->nst, sizeof(*o)), *n = xcalloc(a->nst, sizeof(*n));
	size_t *k = xcalloc(a->nst, sizeof(*k));
	unsigned p, best;
	uint64_t h = 0, bh;

	for (p = 0; p < a->nst; p++)
		o[p] = slots_by_hash(&a->st[p], &n[p]);
	for (;;) {
		best = a->nst;
		bh = 0;
		for (p = 0; p < a->nst; p++) {
			if (k[p] == n[p])
				continue;
			h = slot_hash(&a->st[p], o[p][k[p]]);
			if (best == a->nst || h < bh) {
				best = p;
				bh = h;
			}
		}
		if (best == a->nst)
			break;
		fn(arg, bh, slot_sess(&a->st[best], o[best][k[best]++], &h));
	}
	for (p = 0; p < a->nst; p++)
		free(o[p]);
	free(o);
	free(n);
	free(k);
}

/* Starts loading the rows that merging slot i of src will touch. */
static void
merge_prefetch(const struct agg *a, const struct sesstab *src, size_t i)
{
	const struct sesstab *t;
	const struct sess *x;
	uint64_t h;
	uint32_t k;

	if (i >= src->map.cap || (x = slot_sess(src, i, &h)) == NULL)
		return;
	__builtin_prefetch(x);
	__builtin_prefetch((const char *)x + 64);
	t = tab_of(a, h);
	if ((k = idmap_get(&t->map, h)) != UINT32_MAX) {
		__builtin_prefetch(&t->rows[k], 1);
		__builtin_prefetch((const char *)&t->rows[k] + 64, 1);
	}
}

/* Adds session x of src (its hash h) to a, with its request chain. */
static void
sess_take(struct agg *a, const struct sesstab *src, uint64_t h, const struct sess *x,
          struct rqent **e, size_t *cap)
{
	struct sesstab *t = tab_of(a, h);
	struct sess *d = tab_get(t, h);
	const struct rqchain *xc = chain_of(src, x);
	struct rqchain *dc;
	size_t j, n;

	sess_merge(t, d, x);
	if (xc == NULL || xc->used == 0)
		return;
	if ((dc = chain_get(t, d, h))->used == 0) {
		t->nsreqs += rqlog_count(&src->rq, xc);
		rqlog_copy(&t->rq, dc, &src->rq, xc);
		spill_if_full(t);
		return;
	}
	n = rqlog_read(&src->rq, xc, e, cap);
	t->nsreqs += n;
	for (j = 0; j < n; j++)
		sess_request(a, t, d, h, (*e)[j].time_us, (*e)[j].end_us, (*e)[j].prompt);
}

/* Merges the sessions of table src into a, their request chains
 * included: copied whole to a session new to a, else added one by one;
 * src's spilled runs are shared (copied) or taken over (moved). */
static void
tab_merge(struct agg *a, const struct sesstab *src, struct rqspill *take)
{
	struct rqent *e = NULL;
	const struct sess *x;
	size_t cap = 0, i;
	uint64_t h;

	agg_reserve_sess(a, src->n);
	for (i = 0; i < src->map.cap; i++) {
		merge_prefetch(a, src, i + AHEAD);
		if ((x = slot_sess(src, i, &h)) != NULL)
			sess_take(a, src, h, x, &e, &cap);
	}
	free(e);
	if (a->nst == 1) {
		a->st[0].nsreqs += rqspill_count(&src->spill);
		if (take)
			rqspill_move(&a->st[0].spill, take);
		else
			rqspill_copy(&a->st[0].spill, &src->spill);
		return;
	}
	sessreq_merge_runs(a, &src->spill);
}

void
sessions_merge(struct agg *a, const struct agg *src)
{
	for (unsigned p = 0; p < src->nst; p++)
		if (src->st[p].n)
			tab_merge(a, &src->st[p], NULL);
}

void
sessions_fold(struct agg *a, struct agg *src)
{
	for (unsigned p = 0; p < src->nst; p++) {
		struct sesstab *s = &src->st[p];

		if (s->n == 0)
			continue;
		if (a->nst == src->nst && a->st[p].n == 0) {
			/* the same split, and a has none of this part: take it whole */
			struct sesstab t = a->st[p];

			a->st[p] = *s;
			*s = t;
			continue;
		}
		tab_merge(a, s, &s->spill);
		tab_free(s);
		tab_init(s);
	}
	memset(&a->route, 0, sizeof(a->route));
}

void
agg_merge_sess(struct agg *a, uint64_t hash, const struct sess *s)
{
	struct sesstab *t = tab_of(a, hash);

	sess_merge(t, tab_get(t, hash), s);
}

void
agg_reserve_sess(struct agg *a, size_t n)
{
	for (unsigned p = 0; p < a->nst; p++)
		idmap_reserve(&a->st[p].map, a->st[p].n + n / a->nst + 1);
}

int
agg_merge_sreq(struct agg *a, const struct rqkey *q)
{
	struct sesstab *t = tab_of(a, q->sess);
	uint32_t i = idmap_get(&t->map, q->sess);

	if (i == UINT32_MAX)
		return -1;
	sess_request(a, t, &t->rows[i], q->sess, q->e.time_us, q->e.end_us, q->e.prompt);
	t->nsreqs++;
	return 0;
}
