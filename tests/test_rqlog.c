/* test_rqlog.c - per-session request chains: what is appended, interleaved
 * over many chains, reads back exactly and in order; the sort is the
 * order (start, end, prompt). Checked against plain arrays. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rqlog.h"

#define NCHAINS 97
#define PER 300

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Values of every size: tiny and huge deltas, negative times (before
 * 1970), a day of latency, prompts with high bits set or absent. */
static struct rqent
random_ent(uint64_t *s)
{
	static const int64_t base[] = { 0, 1780000000000000LL, -2200000000000000LL,
		10900000000000000LL, 86400000000LL };
	struct rqent e;
	int64_t span[] = { 1, 1000, 1000000, 3600000000LL, 86400000000LL };

	e.time_us = base[rnd(s) % 5] + (int64_t)(rnd(s) % (uint64_t)span[rnd(s) % 5]);
	e.end_us = e.time_us + (int64_t)(rnd(s) % (uint64_t)(span[rnd(s) % 5] + 1));
	e.prompt = rnd(s) % 3 == 0 ? 0 : rnd(s);
	return e;
}

Test(rqlog, interleaved_chains_read_back)
{
	struct rqlog l = { 0 };
	struct rqchain c[NCHAINS];
	struct rqent *want = calloc(NCHAINS * PER, sizeof(*want)), *got = NULL;
	size_t nwant[NCHAINS] = { 0 }, cap = 0, n, i, k;
	uint64_t s = 88172645463325252ULL;

	memset(c, 0, sizeof(c));
	for (i = 0; i < NCHAINS * PER / 2; i++) {
		k = rnd(&s) % NCHAINS;
		if (nwant[k] == PER)
			continue;
		want[k * PER + nwant[k]] = random_ent(&s);
		rqlog_append(&l, &c[k], &want[k * PER + nwant[k]]);
		nwant[k]++;
	}
	for (k = 0; k < NCHAINS; k++) {
		n = rqlog_read(&l, &c[k], &got, &cap);
		cr_assert_eq(n, nwant[k], "chain %zu: %zu entries, want %zu", k, n, nwant[k]);
		for (i = 0; i < n; i++) {
			const struct rqent *w = &want[k * PER + i];

			cr_assert(got[i].time_us == w->time_us && got[i].end_us == w->end_us &&
			    got[i].prompt == w->prompt, "chain %zu entry %zu differs", k, i);
		}
	}
	free(got);
	free(want);
	rqlog_free(&l);
}

Test(rqlog, empty_chain_reads_nothing)
{
	struct rqlog l = { 0 };
	struct rqchain c = { 0 };
	struct rqent *got = NULL;
	size_t cap = 0;

	cr_assert_eq(rqlog_read(&l, &c, &got, &cap), 0);
	free(got);
	rqlog_free(&l);
}

/* Many chains and many entries: the arena grows (and moves) many times. */
Test(rqlog, slabs)
{
	struct rqlog l = { 0 };
	struct rqchain c[2] = { { 0, 0 }, { 0, 0 } };
	struct rqent e, *got = NULL;
	size_t cap = 0, i, n;

	for (i = 0; i < 300000; i++) {
		e.time_us = (int64_t)i * 1000003;
		e.end_us = e.time_us + (int64_t)i;
		e.prompt = i;
		rqlog_append(&l, &c[i & 1], &e);
	}
	cr_assert_gt(l.cap * 8, 4 << 20);
	n = rqlog_read(&l, &c[1], &got, &cap);
	cr_assert_eq(n, 150000);
	for (i = 0; i < n; i++)
		cr_assert(got[i].time_us == (int64_t)(2 * i + 1) * 1000003 &&
		    got[i].end_us == got[i].time_us + (int64_t)(2 * i + 1) && got[i].prompt == 2 * i + 1);
	free(got);
	rqlog_free(&l);
}

static int
cmp_ref(const void *x, const void *y)
{
	const struct rqent *a = x, *b = y;

	if (a->time_us != b->time_us)
		return a->time_us < b->time_us ? -1 : 1;
	if (a->end_us != b->end_us)
		return a->end_us < b->end_us ? -1 : 1;
	return (a->prompt > b->prompt) - (a->prompt < b->prompt);
}

Test(rqlog, sort_orders_by_start_end_prompt)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 31, 32, 33, 100, 1000 };
	struct rqent a[1000], b[1000];
	uint64_t s = 2463534242ULL;
	size_t k, i, n;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		n = sizes[k];
		for (i = 0; i < n; i++) {      /* few distinct values: many ties */
			a[i].time_us = (int64_t)(rnd(&s) % 5);
			a[i].end_us = a[i].time_us + (int64_t)(rnd(&s) % 3);
			a[i].prompt = rnd(&s) % 4;
		}
		memcpy(b, a, n * sizeof(*a));
		rqlog_sort(a, n);
		if (n)
			qsort(b, n, sizeof(*b), cmp_ref);
		cr_assert(n == 0 || memcmp(a, b, n * sizeof(*a)) == 0, "sort of %zu differs", n);
	}
}

/* Every scale of the coding: deltas and latencies in us, tenths of ms, ms
 * and seconds, negative and positive, around the base. */
Test(rqlog, scales_round_trip)
{
	static const int64_t unit[] = { 1, 7, 100, 300, 1000, 25000, 1000000, 60000000 };
	struct rqlog l = { 0 };
	struct rqchain c = { 0, 0 };
	struct rqent want[64], *got = NULL;
	size_t cap = 0, i, n = 0;

	for (i = 0; i < 64; i++) {
		int64_t u = unit[i % 8], v = unit[(i / 8) % 8];

		want[n].time_us = 1780000000000000LL + (i & 1 ? -1 : 1) * u * (int64_t)(i + 1);
		want[n].end_us = want[n].time_us + v * (int64_t)(i % 5);
		want[n].prompt = i % 3 ? 0 : ~(uint64_t)i;
		rqlog_append(&l, &c, &want[n++]);
	}
	cr_assert_eq(rqlog_read(&l, &c, &got, &cap), n);
	for (i = 0; i < n; i++)
		cr_assert(got[i].time_us == want[i].time_us && got[i].end_us == want[i].end_us &&
		    got[i].prompt == want[i].prompt, "entry %zu differs", i);
	free(got);
	rqlog_free(&l);
}
