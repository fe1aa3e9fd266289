/* agg.c - adding records to the aggregate state and merging states. */
#include "agg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MINUTE_US 60000000LL
#define DAY_US 86400000000LL

void
grp_init(struct grp *g, double alpha)
{
	memset(g, 0, sizeof(*g));
	g->c.first_us = INT64_MAX;
	g->c.last_us = INT64_MIN;
	ddsketch_init(&g->lat, alpha);
	ddsketch_init(&g->ttft, alpha);
	ddsketch_init(&g->cost, alpha);
	ddsketch_init(&g->tok, alpha);
	ddsketch_init(&g->tpot, alpha);
}

void
grp_free(struct grp *g)
{
	ddsketch_free(&g->lat);
	ddsketch_free(&g->ttft);
	ddsketch_free(&g->cost);
	ddsketch_free(&g->tok);
	ddsketch_free(&g->tpot);
	idset_free(&g->users);
}

void
agg_init(struct agg *a, const struct agg_conf *conf)
{
	memset(a, 0, sizeof(*a));
	a->conf = conf;
	a->last_day = a->last_minute = INT64_MIN;
	grp_init(&a->total, conf->alpha);
	for (int i = 0; i < SIGNALS_MAX; i++)
		ddsketch_init(&a->score[i].sk, conf->alpha);
}

static void
gtable_free(struct gtable *t)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		grp_free(&t->rows[i]);
	free(t->rows);
	idmap_free(&t->map);
}

void
agg_free(struct agg *a)
{
	if (a == NULL)
		return;
	grp_free(&a->total);
	for (int i = 0; i < SIGNALS_MAX; i++)
		ddsketch_free(&a->score[i].sk);
	gtable_free(&a->days);
	for (int t = 0; t < AGG_MAX_TABLES; t++)
		gtable_free(&a->groups[t]);
	idmap_free(&a->user_map);
	free(a->users);
	idmap_free(&a->sess_map);
	xtable_free(a->sess, a->sess_cap, sizeof(*a->sess));
	rqlog_free(&a->rq);
	idmap_free(&a->feat_map);
	free(a->feat_names);
	idmap_free(&a->minute_map);
	free(a->minute_counts);
	free(a->minute_keys);
	idmap_free(&a->unpriced_map);
	free(a->unpriced_names);
	free(a->unpriced_counts);
	free(a->slow);
	strpool_free(&a->pool);
}

static int
is_timeout(const struct record *r)
{
	return r->status == 408 || r->status == 504 ||
	    (r->error_type.p && memmem(r->error_type.p, r->error_type.n, "timeout", 7));
}

static void
counts_add(struct counts *c, const struct record *r)
{
	c->requests++;
	c->errors += r->error;
	c->s4xx += r->status >= 400 && r->status < 500;
	c->s5xx += r->status >= 500 && r->status < 600;
	c->rate_limited += r->status == 429;
	c->timeouts += is_timeout(r);
	c->cache_hits += r->cache_hit;
	if (r->has & R_COST) {
		c->priced++;
		c->cost += r->cost_pico;
	} else
		c->unpriced++;
	if (r->cache_hit && (r->has & R_LIST))
		c->cache_savings += r->list_pico;
	c->in_tok += (uint64_t)r->input_tokens;
	c->out_tok += (uint64_t)r->output_tokens;
	c->cached_tok += (uint64_t)r->cached_tokens;
	c->cwrite_tok += (uint64_t)r->cache_write_tokens;
	c->tok_n += (r->has & (R_IN | R_OUT)) != 0;
	if (r->has & R_LATENCY) {
		c->lat_n++;
		c->lat_sum += r->latency_us;
		if (r->latency_us > c->lat_max)
			c->lat_max = r->latency_us;
	}
	if (r->has & R_TTFT) {
		c->ttft_n++;
		c->ttft_sum += r->ttft_us;
	}
	if (!r->error && (r->has & R_OUT)) {
		c->ok_out_n++;
		c->ok_out_tok += (uint64_t)r->output_tokens;
	}
	if (r->has & R_RATING) {
		double x = r->rating;
		int bin = (int)(x + 0.5 + (x < 0 ? -1 : 0));

		c->fb_n++;
		c->fb_milli += (int64_t)(x * 1000.0 + (x < 0 ? -0.5 : 0.5));
		c->fb_hist[bin + 1]++;
	}
	c->regen_flagged += (r->has & R_REGEN) && r->regenerated;
	c->has_regen += (r->has & R_REGEN) != 0;
	c->has_success += (r->has & R_SUCCESS) != 0;
	c->with_session += r->session.p != NULL;
	if (r->has & R_TIME) {
		c->timed++;
		if (r->time_us < c->first_us)
			c->first_us = r->time_us;
		if (r->time_us > c->last_us)
			c->last_us = r->time_us;
	}
}

void
counts_merge(struct counts *d, const struct counts *s)
{
	size_t i;

	d->requests += s->requests;
	d->errors += s->errors;
	d->s4xx += s->s4xx;
	d->s5xx += s->s5xx;
	d->rate_limited += s->rate_limited;
	d->timeouts += s->timeouts;
	d->cache_hits += s->cache_hits;
	d->priced += s->priced;
	d->unpriced += s->unpriced;
	d->cost += s->cost;
	d->cache_savings += s->cache_savings;
	d->in_tok += s->in_tok;
	d->out_tok += s->out_tok;
	d->cached_tok += s->cached_tok;
	d->cwrite_tok += s->cwrite_tok;
	d->tok_n += s->tok_n;
	d->lat_n += s->lat_n;
	d->lat_sum += s->lat_sum;
	if (s->lat_max > d->lat_max)
		d->lat_max = s->lat_max;
	d->ttft_n += s->ttft_n;
	d->ttft_sum += s->ttft_sum;
	d->ok_out_n += s->ok_out_n;
	d->ok_out_tok += s->ok_out_tok;
	d->fb_n += s->fb_n;
	d->fb_milli += s->fb_milli;
	for (i = 0; i < FB_BINS; i++)
		d->fb_hist[i] += s->fb_hist[i];
	d->regen_flagged += s->regen_flagged;
	d->has_regen += s->has_regen;
	d->has_success += s->has_success;
	d->with_session += s->with_session;
	d->timed += s->timed;
	if (s->first_us < d->first_us)
		d->first_us = s->first_us;
	if (s->last_us > d->last_us)
		d->last_us = s->last_us;
}

static void
grp_add(struct grp *g, const struct record *r, uint64_t user, int lat_only)
{
	counts_add(&g->c, r);
	if (user && g->hash)
		idset_add(&g->users, user);
	if (r->has & R_LATENCY)
		ddsketch_add(&g->lat, (double)r->latency_us / 1000.0);
	if (lat_only)           /* the day table needs only the latency p95 */
		return;
	if (r->has & R_TTFT)
		ddsketch_add(&g->ttft, (double)r->ttft_us / 1000.0);
	if (r->has & R_COST)
		ddsketch_add(&g->cost, (double)r->cost_pico / PICO_PER_USD);
	ddsketch_add(&g->tok, (double)(r->input_tokens + r->output_tokens));
	if (!r->error && (r->has & (R_LATENCY | R_TTFT | R_OUT)) == (R_LATENCY | R_TTFT | R_OUT) &&
	    r->output_tokens >= 2)
		ddsketch_add(&g->tpot, (double)(r->latency_us - r->ttft_us) / 1000.0 /
		    (double)(r->output_tokens - 1));
}

void
grp_merge(struct grp *d, const struct grp *s)
{
	counts_merge(&d->c, &s->c);
	ddsketch_merge(&d->lat, &s->lat);
	ddsketch_merge(&d->ttft, &s->ttft);
	ddsketch_merge(&d->cost, &s->cost);
	ddsketch_merge(&d->tok, &s->tok);
	ddsketch_merge(&d->tpot, &s->tpot);
	idset_merge(&d->users, &s->users);
}

/* The row for a key, created empty when new. */
static struct grp *
gtable_get(struct agg *a, struct gtable *t, uint64_t hash, const char *key,
           size_t keylen, int64_t num)
{
	int isnew;
	uint32_t *slot = idmap_put(&t->map, hash, &isnew);
	struct grp *g;

	if (!isnew)
		return &t->rows[*slot];
	xgrow((void **)&t->rows, &t->cap, t->len + 1, sizeof(*t->rows));
	*slot = (uint32_t)t->len;
	g = &t->rows[t->len++];
	grp_init(g, a->conf->alpha);
	g->hash = hash;
	g->num = num;
	g->key = key ? strpool_add(&a->pool, key, keylen) : NULL;
	return g;
}

static struct user *
user_get(struct agg *a, uint64_t hash, const char *id, size_t n)
{
	int isnew;
	uint32_t *slot = idmap_put(&a->user_map, hash, &isnew);
	struct user *u;

	if (!isnew)
		return &a->users[*slot];
	xgrow_uninit((void **)&a->users, &a->users_cap, a->nusers + 1, sizeof(*a->users));
	*slot = (uint32_t)a->nusers;
	u = &a->users[a->nusers++];
	memset(u, 0, sizeof(*u));
	u->hash = hash;
	u->id = strpool_add(&a->pool, id, n);
	u->first_us = INT64_MAX;
	u->last_us = INT64_MIN;
	return u;
}

static struct sess *
sess_get(struct agg *a, uint64_t hash)
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

static void
user_add(struct user *u, const struct record *r)
{
	u->requests++;
	u->errors += r->error;
	u->cost += (r->has & R_COST) ? r->cost_pico : 0;
	u->tokens += (uint64_t)(r->input_tokens + r->output_tokens);
	if (r->has & R_LATENCY) {
		u->lat_n++;
		u->lat_sum += r->latency_us;
	}
	if (r->has & R_TIME) {
		if (r->time_us < u->first_us)
			u->first_us = r->time_us;
		if (r->time_us > u->last_us)
			u->last_us = r->time_us;
	}
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
 * logged flags decide regenerate_rate and prompts are never compared. */
static void
sess_request(struct agg *a, struct sess *s, int64_t t, int64_t end, uint64_t prompt)
{
	struct rqent e = { t, end, a->total.c.has_regen ? 0 : prompt };

	rqlog_append(&a->rq, &s->rq, &e);
}

static void
sess_add(struct agg *a, struct sess *s, const struct record *r, uint64_t user)
{
	int64_t t = (r->has & R_TIME) ? r->time_us : INT64_MIN;
	int64_t end = t + ((r->has & R_LATENCY) ? r->latency_us : 0);

	s->requests++;
	s->cost += (r->has & R_COST) ? r->cost_pico : 0;
	if (r->has & R_SUCCESS)
		sess_outcome(s, t, r->success);
	if (!(r->has & R_TIME))
		return;
	sess_last(s, t, end, r->error);
	if (t < s->first_us)
		s->first_us = t;
	sess_user(s, t, user);
	if (r->feature.p && t <= s->feature_us)   /* hashed only when it may win */
		sess_feature(a, s, t, hash64(r->feature.p, r->feature.n, 2), r->feature.p, r->feature.n);
	sess_request(a, s, t, end, r->prompt_hash);
	a->nsreqs++;
}

static void
minute_add(struct agg *a, int64_t local_us, uint64_t n)
{
	int64_t m = local_us >= 0 ? local_us / MINUTE_US : -((-local_us + MINUTE_US - 1) / MINUTE_US);
	int isnew;
	uint32_t *slot;

	if (m == a->last_minute) {
		a->minute_counts[a->last_minute_idx] += n;
		return;
	}
	slot = idmap_put(&a->minute_map, hash_u64((uint64_t)m), &isnew);
	if (isnew) {
		size_t cap = a->minutes_cap;

		xgrow((void **)&a->minute_counts, &a->minutes_cap, a->nminutes + 1, sizeof(uint64_t));
		xgrow((void **)&a->minute_keys, &cap, a->nminutes + 1, sizeof(int64_t));
		*slot = (uint32_t)a->nminutes;
		a->minute_keys[a->nminutes++] = m;
	}
	a->minute_counts[*slot] += n;
	a->last_minute = m;
	a->last_minute_idx = *slot;
}

/* The day table's row for a day: the last one again, most of the time. */
static struct grp *
day_row(struct agg *a, int32_t day)
{
	struct grp *g;

	if (day == a->last_day)
		return &a->days.rows[a->last_day_row];
	g = gtable_get(a, &a->days, hash_u64((uint64_t)(int64_t)day), NULL, 0, day);
	a->last_day = day;
	a->last_day_row = (size_t)(g - a->days.rows);
	return g;
}

static void
unpriced_add(struct agg *a, const char *model, size_t n, uint64_t count)
{
	uint64_t h = hash64(model, n, 3);
	int isnew;
	uint32_t *slot = idmap_put(&a->unpriced_map, h, &isnew);

	if (isnew) {
		size_t cap = a->unpriced_cap;

		xgrow((void **)&a->unpriced_counts, &a->unpriced_cap, a->nunpriced + 1, sizeof(uint64_t));
		xgrow((void **)&a->unpriced_names, &cap, a->nunpriced + 1, sizeof(char *));
		*slot = (uint32_t)a->nunpriced;
		a->unpriced_names[a->nunpriced++] = strpool_add(&a->pool, model, n);
	}
	a->unpriced_counts[*slot] += count;
}

static const char *
pooled(struct agg *a, const struct strv *v)
{
	return v->p ? strpool_add(&a->pool, v->p, v->n) : NULL;
}

static int
cmp_slow(const void *x, const void *y)
{
	const struct slow *a = x, *b = y;
	int c;

	if (a->latency_us != b->latency_us)
		return a->latency_us > b->latency_us ? -1 : 1;
	if (a->time_us != b->time_us)
		return a->time_us < b->time_us ? -1 : 1;
	if ((c = strcmp_null(a->request, b->request)) != 0)
		return c;
	if ((c = strcmp_null(a->model, b->model)) != 0)
		return c;
	if ((c = strcmp_null(a->user, b->user)) != 0)
		return c;
	return (a->status > b->status) - (a->status < b->status);
}

void
agg_slow_sort(struct agg *a)
{
	if (a->nslow)
		qsort(a->slow, a->nslow, sizeof(*a->slow), cmp_slow);
	if (a->nslow > SLOW_KEEP)
		a->nslow = SLOW_KEEP;
}

/* Keeps a slow request; the SLOW_KEEP slowest under cmp_slow's total order
 * survive any trimming, so the result does not depend on order. */
static void
slow_push(struct agg *a, const struct slow *s)
{
	xgrow((void **)&a->slow, &a->slow_cap, a->nslow + 1, sizeof(*a->slow));
	a->slow[a->nslow++] = *s;
	if (a->nslow >= 2 * SLOW_KEEP)
		agg_slow_sort(a);
}

void
agg_merge_slow(struct agg *a, const struct slow *s)
{
	struct slow c = *s;

	c.request = s->request ? strpool_add(&a->pool, s->request, strlen(s->request)) : NULL;
	c.model = s->model ? strpool_add(&a->pool, s->model, strlen(s->model)) : NULL;
	c.user = s->user ? strpool_add(&a->pool, s->user, strlen(s->user)) : NULL;
	slow_push(a, &c);
}

static void
slow_add(struct agg *a, const struct record *r)
{
	struct slow s;

	s.latency_us = r->latency_us;
	s.time_us = (r->has & R_TIME) ? r->time_us : INT64_MIN;
	s.request = pooled(a, &r->request);
	s.model = pooled(a, &r->model);
	s.user = pooled(a, &r->user);
	s.status = r->status;
	slow_push(a, &s);
}

static void
signals_add(struct agg *a, const struct record *r)
{
	int i;

	for (i = 0; i < a->conf->nscores; i++) {
		if (!(r->has_score >> i & 1))
			continue;
		a->score[i].n++;
		a->score[i].sum += llround(r->score[i] * 1e6);
		ddsketch_add(&a->score[i].sk, r->score[i]);
	}
	for (i = 0; i < a->conf->nflags; i++) {
		a->flag_n[i] += r->has_flag >> i & 1;
		a->flag_true[i] += r->flag >> i & 1;
	}
}

void
agg_merge_signals(struct agg *a, const struct agg *s)
{
	int i;

	for (i = 0; i < SIGNALS_MAX; i++) {
		a->score[i].n += s->score[i].n;
		a->score[i].sum += s->score[i].sum;
		ddsketch_merge(&a->score[i].sk, &s->score[i].sk);
		a->flag_n[i] += s->flag_n[i];
		a->flag_true[i] += s->flag_true[i];
	}
}

void
agg_add(struct agg *a, const struct record *r, char *const *keys, const size_t *keylen)
{
	uint64_t user = r->user.p ? hash64(r->user.p, r->user.n, 1) : 0;
	uint64_t sess = r->session.p ? hash64(r->session.p, r->session.n, 5) : 0;

	/* The user and session tables are too big for the cache: their slots
	 * load while the sketches below are updated. */
	idmap_prefetch(&a->user_map, user);
	idmap_prefetch(&a->sess_map, sess);
	grp_add(&a->total, r, 0, 0);
	if (r->has & R_TIME) {
		int64_t local = ltime_local(a->conf->tz, &a->tzc, r->time_us);

		grp_add(day_row(a, ltime_day_of(local)), r, user, 1);
		minute_add(a, local, 1);
	}
	for (int t = 0; t < a->conf->ntables; t++)
		grp_add(gtable_get(a, &a->groups[t], hash64(keys[t], keylen[t], 4), keys[t],
		    keylen[t], 0), r, user, 0);
	if (user)
		user_add(user_get(a, user, r->user.p, r->user.n), r);
	if (sess)
		sess_add(a, sess_get(a, sess), r, user);
	if (!(r->has & R_COST))
		unpriced_add(a, r->model.p ? r->model.p : "", r->model.p ? r->model.n : 0, 1);
	if (r->has_score | r->has_flag)
		signals_add(a, r);
	if ((r->has & R_LATENCY) && a->conf->slow_us > 0 && r->latency_us >= a->conf->slow_us)
		slow_add(a, r);
}

static int
names_equal(char *const *a, char *const *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static int
conf_equal(const struct agg_conf *x, const struct agg_conf *y)
{
	if (x->nscores != y->nscores || x->nflags != y->nflags ||
	    !names_equal(x->score_names, y->score_names, x->nscores) ||
	    !names_equal(x->flag_names, y->flag_names, x->nflags))
		return 0;
	return x->alpha == y->alpha && x->requery_us == y->requery_us &&
	    x->slow_us == y->slow_us &&
	    x->ntables == y->ntables &&
	    x->tz->kind == y->tz->kind && x->tz->fixed == y->tz->fixed &&
	    strcmp(x->tz->name, y->tz->name) == 0;
}

static void
gtable_merge(struct agg *a, struct gtable *d, const struct gtable *s)
{
	size_t i;

	for (i = 0; i < s->len; i++) {
		const struct grp *g = &s->rows[i];

		grp_merge(gtable_get(a, d, g->hash, g->key, g->key ? strlen(g->key) : 0, g->num), g);
	}
}

static void
user_merge(struct user *d, const struct user *s)
{
	d->requests += s->requests;
	d->errors += s->errors;
	d->tokens += s->tokens;
	d->lat_n += s->lat_n;
	d->lat_sum += s->lat_sum;
	d->cost += s->cost;
	if (s->first_us < d->first_us)
		d->first_us = s->first_us;
	if (s->last_us > d->last_us)
		d->last_us = s->last_us;
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

void
agg_each_sess(const struct agg *a, void (*fn)(void *, uint64_t, const struct sess *), void *arg)
{
	const struct sess *x;
	uint64_t h;
	size_t i;

	for (i = 0; i < a->sess_map.cap; i++)
		if ((x = slot_sess(a, i, &h)) != NULL)
			fn(arg, h, x);
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

/* Merges src's sessions into a, their request chains included: copied
 * whole to a session new to a, else added one by one. */
static void
sessions_merge(struct agg *a, const struct agg *src)
{
	struct rqent *e = NULL;
	const struct sess *x;
	size_t cap = 0, i, j, n;
	uint64_t h;

	idmap_reserve(&a->sess_map, a->nsess + src->nsess);
	a->nsreqs += src->nsreqs;
	for (i = 0; i < src->sess_map.cap; i++) {
		struct sess *d;

		merge_prefetch(a, src, i + AHEAD);
		if ((x = slot_sess(src, i, &h)) == NULL)
			continue;
		d = sess_get(a, h);
		sess_merge(a, d, x);
		if (d->rq.used == 0) {
			rqlog_copy(&a->rq, &d->rq, &src->rq, &x->rq);
			continue;
		}
		n = rqlog_read(&src->rq, &x->rq, &e, &cap);
		for (j = 0; j < n; j++)
			sess_request(a, d, e[j].time_us, e[j].end_us, e[j].prompt);
	}
	free(e);
}

static void
tables_merge(struct agg *a, const struct agg *s)
{
	size_t i;

	for (i = 0; i < s->nusers; i++) {
		const struct user *u = &s->users[i];

		user_merge(user_get(a, u->hash, u->id, strlen(u->id)), u);
	}
	sessions_merge(a, s);
	for (i = 0; i < s->nminutes; i++)
		minute_add(a, s->minute_keys[i] * MINUTE_US, s->minute_counts[i]);
	for (i = 0; i < s->nunpriced; i++)
		unpriced_add(a, s->unpriced_names[i], strlen(s->unpriced_names[i]), s->unpriced_counts[i]);
}

int
agg_merge(struct agg *a, const struct agg *s)
{
	if (!conf_equal(a->conf, s->conf))
		return -1;
	grp_merge(&a->total, &s->total);
	gtable_merge(a, &a->days, &s->days);
	for (int t = 0; t < AGG_MAX_TABLES; t++)
		gtable_merge(a, &a->groups[t], &s->groups[t]);
	tables_merge(a, s);
	agg_merge_signals(a, s);
	for (size_t i = 0; i < s->nslow; i++)
		agg_merge_slow(a, &s->slow[i]);
	a->lines_read += s->lines_read;
	a->blank_lines += s->blank_lines;
	a->rejected_lines += s->rejected_lines;
	a->duplicate_records += s->duplicate_records;
	a->filtered_records += s->filtered_records;
	a->invalid_values += s->invalid_values;
	return 0;
}

void
agg_merge_grp(struct agg *a, int table, const struct grp *g)
{
	struct gtable *t = table < 0 ? &a->days : &a->groups[table];

	grp_merge(gtable_get(a, t, g->hash, g->key, g->key ? strlen(g->key) : 0, g->num), g);
}

void
agg_merge_user(struct agg *a, const struct user *u)
{
	user_merge(user_get(a, u->hash, u->id, strlen(u->id)), u);
}

void
agg_merge_sess(struct agg *a, uint64_t hash, const struct sess *s)
{
	sess_merge(a, sess_get(a, hash), s);
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
	const struct sess *x;
	size_t cap = 0, i, j, n;
	struct sreq q;

	for (i = 0; i < a->sess_map.cap; i++) {
		if ((x = slot_sess(a, i, &q.sess)) == NULL)
			continue;
		n = rqlog_read(&a->rq, &x->rq, &e, &cap);
		for (j = 0; j < n; j++) {
			q.time_us = e[j].time_us;
			q.end_us = e[j].end_us;
			q.prompt = e[j].prompt;
			fn(arg, &q);
		}
	}
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

void
agg_merge_minute(struct agg *a, int64_t minute, uint64_t count)
{
	minute_add(a, minute * MINUTE_US, count);
}

void
agg_merge_unpriced(struct agg *a, const char *model, uint64_t count)
{
	unpriced_add(a, model, strlen(model), count);
}
