/* sessreq.c - the timed requests of sessions in order: each table's
 * requests in memory sorted by session (held_sort), spilled to sorted runs
 * past their budget, merged with those runs into one stream; and the
 * re-query and regeneration pairs and session totals counted from it.
 * Part of the agg module, with session.c. */
#include "agg.h"
#include "sessreq.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The top bits of a hash that place n held sessions. */
static unsigned
held_bits(size_t n)
{
	unsigned bits = 1;

	while (bits < 24 && ((size_t)1 << bits) < n)
		bits++;
	return bits;
}

/* The n held sessions h sorted by hash into o: uniform hashes placed by
 * their top bits (start: room for 2^held_bits(n) + 1 counts), then an
 * insertion sort that finishes in linear time. */
static void
held_sort(const struct held *h, size_t n, struct held *o, size_t *start)
{
	unsigned bits = held_bits(n);
	size_t i, j;

	memset(start, 0, (((size_t)1 << bits) + 1) * sizeof(*start));
	for (i = 0; i < n; i++)
		start[(h[i].hash >> (64 - bits)) + 1]++;
	for (i = 1; i <= (size_t)1 << bits; i++)
		start[i] += start[i - 1];
	for (i = 0; i < n; i++)
		o[start[h[i].hash >> (64 - bits)]++] = h[i];
	for (i = 1; i < n; i++) {
		struct held x = o[i];

		for (j = i; j > 0 && o[j - 1].hash > x.hash; j--)
			o[j] = o[j - 1];
		o[j] = x;
	}
}

/* The in-memory requests of a table as a sorted stream: sessions by hash,
 * each session's by (start, end, prompt). */
struct memsrc {
	const struct rqlog *rq;
	struct held *held;      /* sessions with requests in memory, by hash */
	struct held *own;       /* held when allocated here */
	size_t nheld, k;
	struct rqent *e;
	size_t cap, n, i;
};

static int
mem_next(void *ctx, struct rqkey *key)
{
	struct memsrc *m = ctx;

	while (m->i == m->n) {
		if (m->k == m->nheld)
			return 0;
		if (m->k + AHEAD < m->nheld)
			rqlog_prefetch(m->rq, &m->held[m->k + AHEAD].rq);
		m->n = rqlog_read(m->rq, &m->held[m->k++].rq, &m->e, &m->cap);
		rqlog_sort(m->e, m->n);
		m->i = 0;
	}
	key->sess = m->held[m->k - 1].hash;
	key->e = m->e[m->i++];
	return 1;
}

/* Opens t's stream; with take (t itself), the chains are let go (they
 * stay readable until rqlog_reset) and are sorted in t's kept scratch:
 * a spill comes every rq_budget bytes, and new memory costs a page fault
 * a page. */
static void
mem_open(struct memsrc *m, const struct sesstab *t, struct sesstab *take)
{
	size_t nb = ((size_t)1 << held_bits(t->nheld)) + 1, *start, *tmp = NULL;

	memset(m, 0, sizeof(*m));
	m->rq = &t->rq;
	m->nheld = t->nheld;
	if (take) {
		xtable_grow((void **)&take->sorted, &take->sorted_cap, t->nheld + 1,
		    sizeof(*take->sorted));
		xtable_grow((void **)&take->bucket, &take->bucket_cap, nb, sizeof(*start));
		m->held = take->sorted;
		start = take->bucket;
		take->nheld = 0;        /* let go; m->nheld keeps the count */
		take->gen++;
	} else {
		m->held = m->own = xmalloc((t->nheld + 1) * sizeof(*m->held));
		start = tmp = xmalloc(nb * sizeof(*start));
	}
	held_sort(t->held, m->nheld, m->held, start);
	free(tmp);
}

static void
mem_close(struct memsrc *m)
{
	free(m->own);
	free(m->e);
}

/* Writes the in-memory requests out as one sorted run and empties every
 * chain; when no temporary file can be had they stay (and grow) here. */
void
sessreq_spill(struct sesstab *t)
{
	struct memsrc m;
	struct rqkey k;

	if (rqspill_begin(&t->spill) < 0) {
		t->rq_budget = SIZE_MAX;
		return;
	}
	mem_open(&m, t, t);
	while (mem_next(&m, &k))
		rqspill_put(&t->spill, &k);
	rqspill_end(&t->spill);
	mem_close(&m);
	rqlog_reset(&t->rq);
}

/* Adds the requests of spilled runs s (whose sessions a holds, split
 * among its parts) to a's parts one by one. */
static void
add_sreq(void *arg, const struct rqkey *q)
{
	if (agg_merge_sreq(arg, q) < 0)
		abort();        /* every run's session was merged first */
}

void
sessreq_merge_runs(struct agg *a, const struct rqspill *s)
{
	rqspill_merge(&s, 1, NULL, NULL, add_sreq, a);
}

/* The requests of every table of a in one stream, sessions by hash (the
 * tables' sessions never overlap). */
void
agg_each_sreq(const struct agg *a, void (*fn)(void *, const struct rqkey *), void *arg)
{
	const struct rqspill **sp = xcalloc(a->nst, sizeof(*sp));
	struct memsrc *m = xcalloc(a->nst, sizeof(*m));
	void **ctx = xcalloc(a->nst, sizeof(*ctx));
	unsigned p;

	for (p = 0; p < a->nst; p++) {
		mem_open(&m[p], &a->st[p], NULL);
		sp[p] = &a->st[p].spill;
		ctx[p] = &m[p];
	}
	rqspill_merge(sp, a->nst, mem_next, ctx, fn, arg);
	for (p = 0; p < a->nst; p++)
		mem_close(&m[p]);
	free(sp);
	free(m);
	free(ctx);
}

struct pairs {
	const struct sesstab *t;
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

int
agg_task_outcome(const struct agg *a, const struct sess *s)
{
	if (a->total.c.has_success)
		return s->outcome;
	return s->last_err < 0 ? -1 : s->last_err == 0;
}

/* The re-query and regeneration pairs of one table, from the stream of
 * its requests (a thread of its own when there are several tables). */
static void *
tab_pairs(void *arg)
{
	struct pairs *p = arg;
	const struct rqspill *sp = &p->t->spill;
	struct memsrc m;

	mem_open(&m, p->t, NULL);
	rqspill_merge(&sp, 1, mem_next, (void *const[]){ &m }, count_pair, p);
	mem_close(&m);
	return NULL;
}

void
agg_session_totals(const struct agg *a, struct sess_totals *t)
{
	struct pairs *p = xcalloc(a->nst, sizeof(*p));
	pthread_t *th = xcalloc(a->nst, sizeof(*th));
	char *started = xcalloc(a->nst, 1);
	int logged = a->total.c.has_success != 0;       /* agg_task_outcome's rule */
	unsigned i;

	for (i = 0; i < a->nst; i++) {
		p[i].t = &a->st[i];
		p[i].window = a->conf->requery_us;
		if (i > 0 && a->st[i].nsreqs > 0)
			started[i] = pthread_create(&th[i], NULL, tab_pairs, &p[i]) == 0;
	}
	tab_pairs(&p[0]);
	memset(t, 0, sizeof(*t));
	for (i = 0; i < a->nst; i++) {
		const struct sess_sums *m = &a->st[i].sums;

		if (started[i])
			pthread_join(th[i], NULL);
		else if (i > 0)
			tab_pairs(&p[i]);
		t->requery += p[i].requery;
		t->regen += p[i].regen;
		t->tasks += (uint64_t)(logged ? m->ltasks : m->itasks);
		t->ok += (uint64_t)(logged ? m->lok : m->iok);
		t->timed += (uint64_t)m->itasks;
		t->dur_us += m->dur_us;
		t->cost += m->cost;
	}
	free(p);
	free(th);
	free(started);
}
