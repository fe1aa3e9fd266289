/* agg.c - adding records to the aggregate state and merging states (the
 * session table is in session.c). */
#include "agg.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
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
	sessions_init(a, 1);
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
	xtable_free(a->users, a->users_cap, sizeof(*a->users));
	sessions_free(a);
	idmap_free(&a->minute_map);
	free(a->minute_counts);
	free(a->minute_keys);
	idmap_free(&a->unpriced_map);
	free(a->unpriced_names);
	free(a->unpriced_counts);
	free(a->slow);
	free(a->inputs);
	strpool_free(&a->pool);
}

static void
fb_add(struct counts *c, double x)
{
	int bin = (int)(x + 0.5 + (x < 0 ? -1 : 0));

	c->fb_n++;
	c->fb_milli += (int64_t)(x * 1000.0 + (x < 0 ? -0.5 : 0.5));
	c->fb_hist[bin + 1]++;
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
	if (r->has & R_RATING)
		fb_add(c, r->rating);
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
	xtable_grow((void **)&a->users, &a->users_cap, a->nusers + 1, sizeof(*a->users));
	*slot = (uint32_t)a->nusers;
	u = &a->users[a->nusers++];
	memset(u, 0, sizeof(*u));
	u->hash = hash;
	u->id = strpool_add(&a->pool, id, n);
	u->first_us = INT64_MAX;
	u->last_us = INT64_MIN;
	return u;
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

int
agg_slow_cmp(const void *x, const void *y)
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
		qsort(a->slow, a->nslow, sizeof(*a->slow), agg_slow_cmp);
	if (a->nslow > SLOW_KEEP)
		a->nslow = SLOW_KEEP;
}

/* Keeps a slow request; the SLOW_KEEP slowest under agg_slow_cmp's total order
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
	agg_sess_prefetch(a, sess);
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
		session_add(a, sess, r, user);
	if (!(r->has & R_COST))
		unpriced_add(a, r->model.p ? r->model.p : "", r->model.p ? r->model.n : 0, 1);
	if (r->has_score | r->has_flag)
		signals_add(a, r);
	if ((r->has & R_LATENCY) && a->conf->slow_us > 0 && r->latency_us >= a->conf->slow_us)
		slow_add(a, r);
}

void
agg_add_feedback(struct agg *a, const struct record *r, char *const *keys, const size_t *keylen)
{
	if (!(r->has & R_RATING))
		return;
	fb_add(&a->total.c, r->rating);
	for (int t = 0; t < a->conf->ntables; t++)
		fb_add(&gtable_get(a, &a->groups[t], hash64(keys[t], keylen[t], 4), keys[t],
		    keylen[t], 0)->c, r->rating);
}

void
agg_note_input(struct agg *a, const char *file, const char *schema)
{
	xgrow((void **)&a->inputs, &a->inputs_cap, a->ninputs + 1, sizeof(*a->inputs));
	a->inputs[a->ninputs].file = strpool_add(&a->pool, file, strlen(file));
	a->inputs[a->ninputs].schema = strpool_add(&a->pool, schema, strlen(schema));
	{
		size_t n = strlen(file) + strlen(schema) + 3;
		char *t = xmalloc(n);

		snprintf(t, n, "%s: %s", file, schema);
		a->inputs[a->ninputs].label = strpool_add(&a->pool, t, n - 1);
		free(t);
	}
	a->ninputs++;
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

/* Everything of s into a but the day table and the sessions. */
static void
merge_rest(struct agg *a, const struct agg *s)
{
	grp_merge(&a->total, &s->total);
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
	a->feedback_records += s->feedback_records;
	a->extra_records += s->extra_records;
	for (size_t i = 0; i < s->ninputs; i++)
		agg_note_input(a, s->inputs[i].file, s->inputs[i].schema);
	a->invalid_values += s->invalid_values;
}

struct days_job {
	struct agg *a;
	const struct agg *s;
};

static void *
days_merge(void *arg)
{
	struct days_job *j = arg;

	gtable_merge(j->a, &j->a->days, &j->s->days);
	return NULL;
}

/* The day table's users sets are nearly half of a fold (10 of the bench
 * log's 24 ms at -j2): they merge in a thread of their own while this one
 * does the rest. The day rows are keyed by number, so that
 * thread never touches a's string pool; nothing else touches the days. */
int
agg_fold(struct agg *a, struct agg *s)
{
	struct days_job j = { a, s };
	pthread_t th;
	int started;

	if (!conf_equal(a->conf, s->conf))
		return -1;
	sessions_fold(a, s);
	started = s->days.len > 0 && pthread_create(&th, NULL, days_merge, &j) == 0;
	merge_rest(a, s);
	if (started)
		pthread_join(th, NULL);
	else
		days_merge(&j);
	return 0;
}

int
agg_merge(struct agg *a, const struct agg *s)
{
	if (!conf_equal(a->conf, s->conf))
		return -1;
	gtable_merge(a, &a->days, &s->days);
	merge_rest(a, s);
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
agg_merge_minute(struct agg *a, int64_t minute, uint64_t count)
{
	minute_add(a, minute * MINUTE_US, count);
}

void
agg_merge_unpriced(struct agg *a, const char *model, uint64_t count)
{
	unpriced_add(a, model, strlen(model), count);
}
