/* test_ddsketch.c - unit tests of the DDSketch module: accuracy against exact nearest-rank quantiles, mapping, merge order independence, serialisation and its robustness. */
#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ddsketch.h"

/* Fails the test only when cond is false (keeps hot loops cheap). */
#define CHECK(cond, ...) do { if (!(cond)) cr_assert(0, __VA_ARGS__); } while (0)

/* --- deterministic random numbers: splitmix64, Box-Muller --- */

static uint64_t rnd_next(uint64_t *st)
{
	uint64_t z = (*st += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double rnd_unit(uint64_t *st)
{
	return ((double)(rnd_next(st) >> 11) + 0.5) * 0x1p-53;
}

static double rnd_normal(uint64_t *st)
{
	double u = rnd_unit(st), v = rnd_unit(st);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

enum dist { D_CONST, D_LINEAR, D_UNIFORM, D_NORMAL, D_LOGNORMAL, D_EXP,
	    D_PARETO, D_COUNT };

static const char *const dist_name[D_COUNT] = {
	"constant", "linear", "uniform", "normal", "lognormal", "exponential",
	"pareto"
};

/* The i-th of n values from distribution d (linear runs downwards, which
 * exercises growing the store towards smaller indices). */
static double draw(enum dist d, uint64_t *st, size_t i, size_t n)
{
	double x;

	switch (d) {
	case D_CONST:
		return 42.42;
	case D_LINEAR:
		return (double)(n - i) * 0.25;
	case D_UNIFORM:
		return rnd_unit(st) * 1000.0;
	case D_NORMAL:
		do
			x = 35.0 + rnd_normal(st);
		while (x <= 0.0);
		return x;
	case D_LOGNORMAL:
		return exp(2.0 * rnd_normal(st));
	case D_EXP:
		return -3.0 * log(rnd_unit(st));
	case D_PARETO:
		return pow(rnd_unit(st), -1.0 / 1.5);
	default:
		return 0.0;
	}
}

/* --- exact reference --- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static const unsigned quantile_permille[] = {
	0, 100, 250, 500, 750, 900, 950, 990, 999, 1000
};
#define NQ (sizeof quantile_permille / sizeof quantile_permille[0])

/* max(1, ceil(permille / 1000 * n)) in integers. */
static size_t exact_rank(unsigned permille, size_t n)
{
	size_t r = ((size_t)permille * n + 999) / 1000;

	return r < 1 ? 1 : r;
}

/* Checks every quantile of s against sorted[0..n): q = 0 and 1 exactly,
 * others within alpha of the exact value (values <= 0 count as 0). */
static void check_quantiles(const struct ddsketch *s, const double *sorted,
			    size_t n, double alpha, const char *what)
{
	size_t k;

	cr_assert_eq(s->count, n, "%s: count", what);
	for (k = 0; k < NQ; k++) {
		unsigned pm = quantile_permille[k];
		double est = ddsketch_quantile(s, pm / 1000.0);
		double x = sorted[exact_rank(pm, n) - 1];

		if (pm == 0 || pm == 1000) {
			CHECK(est == x, "%s n=%zu q=%u: %.17g != %.17g",
			      what, n, pm, est, x);
			continue;
		}
		if (x < 0.0)
			x = 0.0;
		CHECK(fabs(est - x) <= alpha * x * (1 + 1e-9) + 1e-12,
		      "%s n=%zu alpha=%g q=%u/1000: est %.17g exact %.17g",
		      what, n, alpha, pm, est, x);
	}
}

/* The count a sketch holds for bucket index i. */
static uint64_t bin_at(const struct ddsketch *s, int64_t i)
{
	if (s->nbins == 0 || i < s->lo || i >= (int64_t)s->lo + s->nbins)
		return 0;
	return s->bins[i - s->lo];
}

/* Serialises s into a fresh buffer; the caller frees it. */
static unsigned char *serialise(const struct ddsketch *s, size_t *n)
{
	unsigned char *p;

	*n = ddsketch_size(s);
	p = malloc(*n);
	cr_assert_not_null(p);
	ddsketch_write(s, p);
	return p;
}

/* Asserts that a and b hold the same counts, extremes and bytes. */
static void assert_same(const struct ddsketch *a, const struct ddsketch *b,
			const char *what)
{
	size_t na, nb;
	unsigned char *pa = serialise(a, &na), *pb = serialise(b, &nb);
	int64_t i, lo, hi;

	cr_assert_eq(a->count, b->count, "%s: count", what);
	cr_assert_eq(a->zero, b->zero, "%s: zero", what);
	if (a->count > 0) {
		cr_assert(memcmp(&a->min, &b->min, sizeof a->min) == 0, "%s: min", what);
		cr_assert(memcmp(&a->max, &b->max, sizeof a->max) == 0, "%s: max", what);
	}
	lo = a->lo < b->lo ? a->lo : b->lo;
	hi = (int64_t)a->lo + a->nbins > (int64_t)b->lo + b->nbins ?
	     (int64_t)a->lo + a->nbins : (int64_t)b->lo + b->nbins;
	for (i = lo; i < hi; i++)
		CHECK(bin_at(a, i) == bin_at(b, i), "%s: bin %lld", what, (long long)i);
	cr_assert_eq(na, nb, "%s: size", what);
	cr_assert(memcmp(pa, pb, na) == 0, "%s: bytes differ", what);
	for (i = 0; i <= 1000; i++) {
		double qa = ddsketch_quantile(a, i / 1000.0);
		double qb = ddsketch_quantile(b, i / 1000.0);

		CHECK(memcmp(&qa, &qb, sizeof qa) == 0, "%s: quantile %lld", what,
		      (long long)i);
	}
	free(pa);
	free(pb);
}

/* --- accuracy --- */

static void accuracy_run(double alpha)
{
	static const size_t sizes[] = { 1, 3, 5, 10, 100, 1000, 100000 };
	double *v = malloc(100000 * sizeof *v);
	size_t si, i;
	int d;

	cr_assert_not_null(v);
	for (d = 0; d < D_COUNT; d++) {
		for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
			size_t n = sizes[si];
			uint64_t st = 1234 + (uint64_t)d * 77 + n;
			struct ddsketch s;

			ddsketch_init(&s, alpha);
			for (i = 0; i < n; i++) {
				v[i] = draw((enum dist)d, &st, i, n);
				ddsketch_add(&s, v[i]);
			}
			qsort(v, n, sizeof *v, cmp_double);
			check_quantiles(&s, v, n, alpha, dist_name[d]);
			ddsketch_free(&s);
		}
	}
	free(v);
}

Test(ddsketch, accuracy_alpha_001) { accuracy_run(0.01); }
Test(ddsketch, accuracy_alpha_0001) { accuracy_run(0.001); }
Test(ddsketch, accuracy_alpha_005) { accuracy_run(0.05); }

Test(ddsketch, zeros_and_negatives_mixed_in)
{
	size_t n = 20000, i;
	double *v = malloc(n * sizeof *v);
	uint64_t st = 99;
	struct ddsketch s;

	cr_assert_not_null(v);
	ddsketch_init(&s, 0.01);
	for (i = 0; i < n; i++) {
		double u = rnd_unit(&st);

		if (u < 0.2)
			v[i] = 0.0;
		else if (u < 0.25)
			v[i] = -0.0;
		else if (u < 0.35)
			v[i] = -5.0 * rnd_unit(&st);
		else
			v[i] = draw(D_LOGNORMAL, &st, i, n);
		ddsketch_add(&s, v[i]);
	}
	qsort(v, n, sizeof *v, cmp_double);
	check_quantiles(&s, v, n, 0.01, "mixed");
	cr_assert(s.zero > 0 && s.min < 0.0);
	/* q at the edge of the zero bucket gives 0 exactly */
	cr_assert_eq(ddsketch_quantile(&s, (double)s.zero / (double)n), 0.0);
	cr_assert_gt(ddsketch_quantile(&s, ((double)s.zero + 1) / (double)n), 0.0);
	ddsketch_free(&s);
	free(v);
}

Test(ddsketch, only_zeros)
{
	struct ddsketch s;

	ddsketch_init(&s, 0.01);
	ddsketch_add(&s, 0.0);
	ddsketch_add(&s, -0.0);
	cr_assert_eq(s.count, 2);
	cr_assert_eq(s.zero, 2);
	cr_assert_eq(s.nbins, 0);
	cr_assert_eq(ddsketch_quantile(&s, 0.5), 0.0);
	cr_assert(!signbit(ddsketch_quantile(&s, 0.0)), "-0 normalised to +0");
	ddsketch_free(&s);
}

Test(ddsketch, empty_sketch)
{
	struct ddsketch s;

	ddsketch_init(&s, 0.01);
	cr_assert_eq(s.bins, NULL);
	cr_assert(isnan(ddsketch_quantile(&s, 0.0)));
	cr_assert(isnan(ddsketch_quantile(&s, 0.5)));
	cr_assert(isnan(ddsketch_quantile(&s, 1.0)));
	ddsketch_free(&s);
}

Test(ddsketch, nan_ignored_inf_handled)
{
	struct ddsketch s;

	ddsketch_init(&s, 0.01);
	ddsketch_add(&s, NAN);
	ddsketch_add_n(&s, NAN, 5);
	cr_assert_eq(s.count, 0);
	ddsketch_add(&s, 1.0);
	ddsketch_add(&s, 2.0);
	ddsketch_add(&s, INFINITY);
	ddsketch_add(&s, -INFINITY);
	cr_assert_eq(s.count, 4);
	cr_assert_eq(ddsketch_quantile(&s, 1.0), INFINITY);
	cr_assert_eq(ddsketch_quantile(&s, 0.0), -INFINITY);
	cr_assert_eq(ddsketch_quantile(&s, 0.25), 0.0);
	cr_assert(fabs(ddsketch_quantile(&s, 0.5) - 1.0) <= 0.01);
	cr_assert(fabs(ddsketch_quantile(&s, 0.75) - 2.0) <= 0.02);
	cr_assert_eq(ddsketch_quantile(&s, 0.99), INFINITY);
	cr_assert(isnan(ddsketch_quantile(&s, NAN)));
	ddsketch_add(&s, DBL_MAX);
	ddsketch_add(&s, DBL_TRUE_MIN);
	cr_assert_eq(s.count, 6);
	ddsketch_free(&s);
}

Test(ddsketch, add_n_equals_repeated_add)
{
	struct ddsketch a, b;
	uint64_t st = 5;
	int i, k;

	ddsketch_init(&a, 0.01);
	ddsketch_init(&b, 0.01);
	for (i = 0; i < 500; i++) {
		double v = draw(D_LOGNORMAL, &st, 0, 0) - 0.2;
		uint64_t n = rnd_next(&st) % 4;

		ddsketch_add_n(&a, v, n);
		for (k = 0; k < (int)n; k++)
			ddsketch_add(&b, v);
	}
	assert_same(&a, &b, "add_n");
	ddsketch_free(&a);
	ddsketch_free(&b);
}

/* --- nearest rank --- */

Test(ddsketch, nearest_rank_is_robust)
{
	struct ddsketch s;
	int i, k;

	/* 1..1000 at alpha 1e-4: neighbouring ranks are told apart */
	ddsketch_init(&s, 1e-4);
	for (i = 1; i <= 1000; i++)
		ddsketch_add(&s, (double)i);
	for (k = 1; k < 1000; k++) {
		double want = (double)k, est = ddsketch_quantile(&s, k / 1000.0);

		CHECK(fabs(est - want) <= 1e-4 * want, "k=%d: %.17g", k, est);
	}
	ddsketch_free(&s);

	ddsketch_init(&s, 1e-4);
	for (i = 1; i <= 100; i++)
		ddsketch_add(&s, (double)i);
	cr_assert(fabs(ddsketch_quantile(&s, 0.95) - 95.0) <= 95e-4);
	cr_assert(fabs(ddsketch_quantile(&s, 0.07) - 7.0) <= 7e-4);
	cr_assert(fabs(ddsketch_quantile(&s, 0.29) - 29.0) <= 29e-4);
	cr_assert(fabs(ddsketch_quantile(&s, 0.955) - 96.0) <= 96e-4);
	cr_assert(fabs(ddsketch_quantile(&s, 1e-9) - 1.0) <= 1e-4);
	cr_assert_eq(ddsketch_quantile(&s, -1.0), 1.0);
	cr_assert_eq(ddsketch_quantile(&s, 2.0), 100.0);
	ddsketch_free(&s);

	ddsketch_init(&s, 1e-4);
	ddsketch_add(&s, 1.0);
	ddsketch_add(&s, 10.0);
	ddsketch_add(&s, 100.0);
	cr_assert(fabs(ddsketch_quantile(&s, 0.5) - 10.0) <= 1e-3);
	cr_assert(fabs(ddsketch_quantile(&s, 0.34) - 10.0) <= 1e-3);
	cr_assert(fabs(ddsketch_quantile(&s, 1.0 / 3.0) - 1.0) <= 1e-4);
	ddsketch_free(&s);

	/* huge counts */
	ddsketch_init(&s, 0.01);
	ddsketch_add_n(&s, 1.0, 500000000000ull);
	ddsketch_add_n(&s, 100.0, 500000000000ull);
	cr_assert(fabs(ddsketch_quantile(&s, 0.5) - 1.0) <= 0.01);
	cr_assert(fabs(ddsketch_quantile(&s, 0.5000001) - 100.0) <= 1.0);
	ddsketch_free(&s);
}

/* --- mapping --- */

static void mapping_sweep(double alpha)
{
	struct ddsketch s;
	double v, g;
	int64_t prev = INT64_MIN, k;

	ddsketch_init(&s, alpha);
	g = s.gamma;
	cr_assert_eq(g, (1 + alpha) / (1 - alpha));
	for (v = 1e-9; v <= 1e12; v *= 1.0007) {
		double rep;

		ddsketch_reset(&s);
		ddsketch_add(&s, v);
		cr_assert_eq(s.nbins, 1);
		rep = 2.0 * pow(g, s.lo) / (g + 1.0);
		CHECK(fabs(rep - v) <= alpha * v * (1 + 1e-9),
		      "alpha %g v %.17g idx %d rep %.17g", alpha, v, s.lo, rep);
		CHECK(pow(g, s.lo - 1) <= v * (1 + 1e-12) &&
		      v <= pow(g, s.lo) * (1 + 1e-12), "v %.17g outside bucket", v);
		CHECK(s.lo >= prev, "index not monotonic at %.17g", v);
		prev = s.lo;
	}
	/* bucket boundaries and their neighbours */
	for (k = (int64_t)floor(log(1e-9) / log(g));
	     k <= (int64_t)ceil(log(1e12) / log(g)); k++) {
		double b = pow(g, (double)k);
		double vs[3] = { nextafter(b, 0.0), b, nextafter(b, INFINITY) };
		int j;

		for (j = 0; j < 3; j++) {
			double rep;

			ddsketch_reset(&s);
			ddsketch_add(&s, vs[j]);
			rep = 2.0 * pow(g, s.lo) / (g + 1.0);
			CHECK(fabs(rep - vs[j]) <= alpha * vs[j] * (1 + 1e-9),
			      "boundary %lld: v %.17g rep %.17g", (long long)k,
			      vs[j], rep);
		}
	}
	ddsketch_free(&s);
}

Test(ddsketch, mapping_sweep)
{
	mapping_sweep(0.01);
	mapping_sweep(0.001);
	mapping_sweep(0.05);
	mapping_sweep(0.3);
}

/* The median of {1e-30, v, 1e30} is the representative of v's bucket. */
Test(ddsketch, mapping_through_quantile)
{
	struct ddsketch s;
	double v;

	ddsketch_init(&s, 0.01);
	for (v = 1e-9; v <= 1e12; v *= 1.013) {
		double est;

		ddsketch_reset(&s);
		ddsketch_add(&s, v);
		ddsketch_add(&s, 1e30);
		ddsketch_add(&s, 1e-30);
		est = ddsketch_quantile(&s, 0.5);
		CHECK(fabs(est - v) <= 0.01 * v * (1 + 1e-9), "v %.17g est %.17g",
		      v, est);
	}
	ddsketch_free(&s);
}

Test(ddsketch, extreme_range_stays_bounded)
{
	struct ddsketch s;

	ddsketch_init(&s, 0.01);
	ddsketch_add(&s, DBL_TRUE_MIN);
	ddsketch_add(&s, DBL_MAX);
	ddsketch_add(&s, 1.0);
	cr_assert_lt(s.nbins, 200000u, "nbins %u", s.nbins);
	cr_assert_eq(ddsketch_quantile(&s, 0.0), DBL_TRUE_MIN);
	cr_assert_eq(ddsketch_quantile(&s, 1.0), DBL_MAX);
	cr_assert(fabs(ddsketch_quantile(&s, 0.5) - 1.0) <= 0.01);
	ddsketch_free(&s);
}

/* --- insertion order and store growth --- */

Test(ddsketch, insertion_order_irrelevant)
{
	size_t n = 30000, i;
	double *v = malloc(n * sizeof *v);
	struct ddsketch a, b, c;
	uint64_t st = 42;

	cr_assert_not_null(v);
	for (i = 0; i < n; i++)
		v[i] = draw(D_PARETO, &st, i, n) * (i % 7 == 0 ? 1e-6 : 1.0);
	ddsketch_init(&a, 0.01);
	for (i = 0; i < n; i++)
		ddsketch_add(&a, v[i]);
	qsort(v, n, sizeof *v, cmp_double);
	ddsketch_init(&b, 0.01);
	for (i = 0; i < n; i++)
		ddsketch_add(&b, v[i]);
	ddsketch_init(&c, 0.01);
	for (i = n; i-- > 0;)
		ddsketch_add(&c, v[i]);
	assert_same(&a, &b, "random vs ascending");
	assert_same(&a, &c, "random vs descending");
	ddsketch_free(&a);
	ddsketch_free(&b);
	ddsketch_free(&c);
	free(v);
}

/* A geometric run downwards touches a new bucket every time. */
Test(ddsketch, descending_growth_amortised)
{
	struct ddsketch s;
	double v;
	uint64_t n = 0;

	ddsketch_init(&s, 0.001);
	for (v = 1e300; v > 1e-300; v /= 1.0015, n++)
		ddsketch_add(&s, v);
	cr_assert_eq(s.count, n);
	cr_assert_lt(s.nbins, 3 * 700000u);
	cr_assert(fabs(ddsketch_quantile(&s, 0.5) / 1.0 - 1.0) < 0.05);
	ddsketch_free(&s);
}

/* --- merge --- */

#define NSHARD 3

static void build_shards(struct ddsketch sh[NSHARD], struct ddsketch *all,
			 double **vals, size_t *nvals)
{
	static const enum dist dists[NSHARD] = { D_LOGNORMAL, D_UNIFORM, D_PARETO };
	static const size_t sizes[NSHARD] = { 5000, 3000, 7000 };
	uint64_t st = 2024;
	size_t i, m = 0;
	int k;

	*vals = malloc(15000 * sizeof **vals);
	cr_assert_not_null(*vals);
	ddsketch_init(all, 0.01);
	for (k = 0; k < NSHARD; k++) {
		ddsketch_init(&sh[k], 0.01);
		for (i = 0; i < sizes[k]; i++) {
			double v = draw(dists[k], &st, i, sizes[k]);

			if (k == 0 && i % 10 == 0)
				v = 0.0;
			if (k == 2 && i % 13 == 0)
				v = -v;
			if (k == 1)
				v *= 1e6;
			ddsketch_add(&sh[k], v);
			ddsketch_add(all, v);
			(*vals)[m++] = v;
		}
	}
	*nvals = m;
}

static void free_shards(struct ddsketch sh[NSHARD], struct ddsketch *all)
{
	int k;

	for (k = 0; k < NSHARD; k++)
		ddsketch_free(&sh[k]);
	ddsketch_free(all);
}

Test(ddsketch, merge_all_orders_bit_identical)
{
	static const int perms[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 }
	};
	struct ddsketch sh[NSHARD], all;
	double *vals;
	size_t nvals;
	int p, k;

	build_shards(sh, &all, &vals, &nvals);
	qsort(vals, nvals, sizeof *vals, cmp_double);
	check_quantiles(&all, vals, nvals, 0.01, "single pass");
	for (p = 0; p < 6; p++) {
		struct ddsketch fresh, grown;
		unsigned char *buf;
		size_t n;

		/* into an empty sketch */
		ddsketch_init(&fresh, 0.01);
		for (k = 0; k < 3; k++)
			cr_assert_eq(ddsketch_merge(&fresh, &sh[perms[p][k]]), 0);
		assert_same(&fresh, &all, "merge into fresh");
		check_quantiles(&fresh, vals, nvals, 0.01, "merged");
		/* into a copy of the first shard, with its own layout */
		buf = serialise(&sh[perms[p][0]], &n);
		cr_assert_eq(ddsketch_read(&grown, buf, n), n);
		for (k = 1; k < 3; k++)
			cr_assert_eq(ddsketch_merge(&grown, &sh[perms[p][k]]), 0);
		assert_same(&grown, &all, "merge into copy");
		free(buf);
		ddsketch_free(&fresh);
		ddsketch_free(&grown);
	}
	free(vals);
	free_shards(sh, &all);
}

Test(ddsketch, merge_tree_shapes)
{
	struct ddsketch sh[NSHARD], all, ab, bc;
	double *vals;
	size_t nvals;

	build_shards(sh, &all, &vals, &nvals);
	ddsketch_init(&ab, 0.01);
	ddsketch_merge(&ab, &sh[0]);
	ddsketch_merge(&ab, &sh[1]);
	ddsketch_merge(&ab, &sh[2]);
	ddsketch_init(&bc, 0.01);
	ddsketch_merge(&bc, &sh[2]);
	ddsketch_merge(&bc, &sh[1]);
	cr_assert_eq(ddsketch_merge(&sh[0], &bc), 0);   /* a + (c + b) */
	assert_same(&ab, &all, "(a+b)+c");
	assert_same(&sh[0], &all, "a+(c+b)");
	ddsketch_free(&ab);
	ddsketch_free(&bc);
	free(vals);
	free_shards(sh, &all);
}

Test(ddsketch, merge_with_empty_and_src_unmodified)
{
	struct ddsketch sh[NSHARD], all, e, e2, d;
	double *vals;
	size_t nvals, n0, n1;
	unsigned char *before, *after;
	uint64_t *binsnap;
	int32_t lo;
	uint32_t nb;

	build_shards(sh, &all, &vals, &nvals);
	before = serialise(&all, &n0);
	lo = all.lo;
	nb = all.nbins;
	binsnap = malloc(nb * sizeof *binsnap);
	cr_assert_not_null(binsnap);
	memcpy(binsnap, all.bins, nb * sizeof *binsnap);

	/* empty + all == all; src untouched in layout and content */
	ddsketch_init(&e, 0.01);
	cr_assert_eq(ddsketch_merge(&e, &all), 0);
	assert_same(&e, &all, "empty + all");
	cr_assert_eq(all.lo, lo);
	cr_assert_eq(all.nbins, nb);
	cr_assert(memcmp(all.bins, binsnap, nb * sizeof *binsnap) == 0);

	/* all + empty == all */
	ddsketch_init(&e2, 0.01);
	cr_assert_eq(ddsketch_merge(&all, &e2), 0);
	after = serialise(&all, &n1);
	cr_assert_eq(n0, n1);
	cr_assert(memcmp(before, after, n0) == 0);
	cr_assert_eq(e2.count, 0);
	cr_assert_eq(e2.bins, NULL);
	free(after);

	/* empty + empty */
	ddsketch_init(&d, 0.01);
	cr_assert_eq(ddsketch_merge(&d, &e2), 0);
	cr_assert_eq(d.count, 0);
	cr_assert(isnan(ddsketch_quantile(&d, 0.5)));

	/* zeros-only source into a sketch without zeros */
	ddsketch_add(&e2, 0.0);
	ddsketch_add(&e2, -3.0);
	cr_assert_eq(ddsketch_merge(&sh[1], &e2), 0);
	cr_assert_eq(sh[1].zero, 2);
	cr_assert_eq(sh[1].min, -3.0);

	ddsketch_free(&d);
	ddsketch_free(&e);
	ddsketch_free(&e2);
	free(before);
	free(binsnap);
	free(vals);
	free_shards(sh, &all);
}

Test(ddsketch, merge_self_doubles)
{
	struct ddsketch a, b;
	uint64_t st = 8;
	int i;

	ddsketch_init(&a, 0.02);
	ddsketch_init(&b, 0.02);
	for (i = 0; i < 1000; i++) {
		double v = draw(D_EXP, &st, 0, 0) - 0.5;

		ddsketch_add(&a, v);
		ddsketch_add_n(&b, v, 2);
	}
	cr_assert_eq(ddsketch_merge(&a, &a), 0);
	assert_same(&a, &b, "self merge");
	ddsketch_free(&a);
	ddsketch_free(&b);
}

Test(ddsketch, merge_refuses_other_alpha)
{
	struct ddsketch a, b;
	unsigned char *before, *after;
	size_t n0, n1;
	int32_t lo;
	uint32_t nb, cap;
	uint64_t *bins;

	ddsketch_init(&a, 0.01);
	ddsketch_init(&b, nextafter(0.01, 1.0));
	ddsketch_add(&a, 3.0);
	ddsketch_add(&a, 0.0);
	ddsketch_add(&b, 1e9);
	ddsketch_add(&b, -1.0);
	before = serialise(&a, &n0);
	lo = a.lo;
	nb = a.nbins;
	cap = a.cap;
	bins = a.bins;
	cr_assert_eq(ddsketch_merge(&a, &b), -1);
	cr_assert_eq(ddsketch_merge(&b, &a), -1);
	after = serialise(&a, &n1);
	cr_assert_eq(n0, n1);
	cr_assert(memcmp(before, after, n0) == 0);
	cr_assert(a.lo == lo && a.nbins == nb && a.cap == cap && a.bins == bins);
	cr_assert_eq(a.count, 2);
	cr_assert_eq(b.count, 2);
	free(before);
	free(after);
	ddsketch_free(&a);
	ddsketch_free(&b);
}

/* --- serialisation --- */

static void roundtrip(const struct ddsketch *s, const char *what)
{
	size_t n, k;
	unsigned char *p = serialise(s, &n), *q;
	struct ddsketch r;

	/* extra trailing bytes are not consumed */
	q = malloc(n + 7);
	cr_assert_not_null(q);
	memcpy(q, p, n);
	memset(q + n, 0xa5, 7);
	k = ddsketch_read(&r, q, n + 7);
	cr_assert_eq(k, n, "%s: consumed %zu of %zu", what, k, n);
	cr_assert(memcmp(&r.alpha, &s->alpha, sizeof r.alpha) == 0, "%s: alpha", what);
	cr_assert_eq(r.gamma, s->gamma, "%s: gamma", what);
	cr_assert_eq(r.inv_log_gamma, s->inv_log_gamma, "%s: inv_log_gamma", what);
	assert_same(&r, s, what);
	ddsketch_free(&r);
	free(q);
	free(p);
}

Test(ddsketch, serialise_roundtrip)
{
	struct ddsketch s;
	uint64_t st = 77;
	int i;

	ddsketch_init(&s, 0.01);
	roundtrip(&s, "empty");
	cr_assert_eq(ddsketch_size(&s), 48);
	ddsketch_add(&s, 0.0);
	roundtrip(&s, "zero");
	ddsketch_reset(&s);
	ddsketch_add(&s, 12.5);
	roundtrip(&s, "one value");
	cr_assert_eq(ddsketch_size(&s), 56);
	for (i = 0; i < 10000; i++)
		ddsketch_add(&s, i % 9 == 0 ? -draw(D_EXP, &st, 0, 0)
					    : draw(D_LOGNORMAL, &st, 0, 0));
	roundtrip(&s, "lognormal with negatives");
	ddsketch_add(&s, INFINITY);
	ddsketch_add(&s, -INFINITY);
	ddsketch_add(&s, DBL_TRUE_MIN);
	roundtrip(&s, "infinities");
	ddsketch_free(&s);

	ddsketch_init(&s, 0.999);
	for (i = 0; i < 100; i++)
		ddsketch_add(&s, draw(D_PARETO, &st, 0, 0));
	roundtrip(&s, "alpha 0.999");
	ddsketch_free(&s);
}

Test(ddsketch, serialised_layout)
{
	struct ddsketch s;
	unsigned char buf[64];
	double a = 0.01;
	uint64_t bits;
	int k;

	ddsketch_init(&s, a);
	ddsketch_add(&s, 1.0);          /* index 0 */
	ddsketch_add(&s, 1.0);
	ddsketch_add(&s, -2.0);
	cr_assert_eq(ddsketch_size(&s), 56);
	ddsketch_write(&s, buf);
	memcpy(&bits, &a, sizeof bits);
	for (k = 0; k < 8; k++)
		cr_assert_eq(buf[k], (unsigned char)(bits >> (8 * k)));
	cr_assert_eq(buf[8], 3);        /* count */
	cr_assert_eq(buf[16], 1);       /* zero */
	cr_assert_eq(buf[31], 0xc0);    /* min = -2.0: 0xc000000000000000 */
	cr_assert_eq(buf[39], 0x3f);    /* max = 1.0: 0x3ff0000000000000 */
	cr_assert_eq(buf[38], 0xf0);
	for (k = 40; k < 44; k++)
		cr_assert_eq(buf[k], 0);        /* lo = 0 */
	cr_assert_eq(buf[44], 1);       /* nbins = 1 */
	cr_assert_eq(buf[48], 2);       /* the count of bucket 0 */
	ddsketch_free(&s);
}

static void assert_empty_after_failure(const struct ddsketch *r)
{
	cr_assert_eq(r->count, 0);
	cr_assert_eq(r->zero, 0);
	cr_assert_eq(r->nbins, 0);
	cr_assert_eq(r->bins, NULL);
	cr_assert_eq(r->cap, 0);
	cr_assert(r->alpha > 0.0 && r->alpha < 1.0);
}

/* A sketch whose reading succeeded must be self-consistent and usable. */
static void assert_consistent(struct ddsketch *r, size_t k, size_t n)
{
	uint64_t sum = r->zero;
	uint32_t j;
	size_t m;
	unsigned char *p;
	struct ddsketch r2;

	cr_assert(k >= 48 && k <= n);
	for (j = 0; j < r->nbins; j++)
		sum += r->bins[j];
	cr_assert_eq(sum, r->count);
	if (r->count > 0) {
		double q = ddsketch_quantile(r, 0.5);

		cr_assert(r->min <= r->max);
		cr_assert(q >= r->min && q <= r->max);
	}
	ddsketch_add(r, 1.5);
	p = serialise(r, &m);
	cr_assert_eq(ddsketch_read(&r2, p, m), m);
	ddsketch_free(&r2);
	free(p);
}

static unsigned char *sample_bytes(size_t *n)
{
	struct ddsketch s;
	uint64_t st = 31337;
	unsigned char *p;
	int i;

	ddsketch_init(&s, 0.05);
	for (i = 0; i < 3000; i++)
		ddsketch_add(&s, i % 5 == 0 ? 0.0 : draw(D_LOGNORMAL, &st, 0, 0));
	p = serialise(&s, n);
	ddsketch_free(&s);
	return p;
}

Test(ddsketch, truncated_buffers_rejected)
{
	size_t n, len;
	unsigned char *p = sample_bytes(&n);
	struct ddsketch r;

	cr_assert_gt(n, 200);
	for (len = 0; len < n; len++) {
		/* exact-size copy so that sanitisers catch any over-read */
		unsigned char *q = malloc(len ? len : 1);

		cr_assert_not_null(q);
		memcpy(q, p, len);
		CHECK(ddsketch_read(&r, q, len) == 0, "prefix %zu accepted", len);
		assert_empty_after_failure(&r);
		ddsketch_free(&r);
		free(q);
	}
	cr_assert_eq(ddsketch_read(&r, p, n), n);
	ddsketch_free(&r);
	free(p);
}

Test(ddsketch, random_corruption_never_crashes)
{
	size_t n, k;
	unsigned char *p = sample_bytes(&n);
	uint64_t st = 4242;
	int it, f, accepted = 0, rejected = 0;

	for (it = 0; it < 20000; it++) {
		unsigned char *q = malloc(n);
		struct ddsketch r;
		int flips = 1 + (int)(rnd_next(&st) % 3);

		cr_assert_not_null(q);
		memcpy(q, p, n);
		for (f = 0; f < flips; f++) {
			/* favour the header, where most of the checks are */
			size_t at = rnd_next(&st) % 2 ? rnd_next(&st) % 48
						      : rnd_next(&st) % n;

			q[at] ^= (unsigned char)(1u << (rnd_next(&st) % 8));
		}
		k = ddsketch_read(&r, q, n);
		if (k) {
			accepted++;
			assert_consistent(&r, k, n);
		} else {
			rejected++;
			assert_empty_after_failure(&r);
		}
		ddsketch_free(&r);
		free(q);
	}
	cr_assert(accepted > 0 && rejected > 0, "%d accepted, %d rejected",
		  accepted, rejected);
	free(p);
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	int k;

	for (k = 0; k < bytes; k++)
		p[k] = (unsigned char)(v >> (8 * k));
}

static uint64_t dbl_bits(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	return u;
}

/* Applies one corruption to a copy of p and expects it to be refused. */
static void expect_refused(const unsigned char *p, size_t n, size_t at,
			   uint64_t v, int bytes, const char *what)
{
	unsigned char *q = malloc(n);
	struct ddsketch r;

	cr_assert_not_null(q);
	memcpy(q, p, n);
	put_le(q + at, v, bytes);
	cr_assert_eq(ddsketch_read(&r, q, n), 0, "%s accepted", what);
	assert_empty_after_failure(&r);
	ddsketch_free(&r);
	free(q);
}

Test(ddsketch, targeted_corruption_refused)
{
	size_t n;
	unsigned char *p = sample_bytes(&n);
	uint64_t count = 0;
	int k;

	for (k = 7; k >= 0; k--)
		count = count << 8 | p[8 + k];
	expect_refused(p, n, 0, dbl_bits(0.0), 8, "alpha 0");
	expect_refused(p, n, 0, dbl_bits(1.0), 8, "alpha 1");
	expect_refused(p, n, 0, dbl_bits(-0.01), 8, "alpha < 0");
	expect_refused(p, n, 0, dbl_bits(NAN), 8, "alpha NaN");
	expect_refused(p, n, 0, dbl_bits(1e-300), 8, "alpha too small");
	expect_refused(p, n, 0, dbl_bits(9.9e-5), 8, "alpha below 1e-4");
	expect_refused(p, n, 8, count + 1, 8, "count + 1");
	expect_refused(p, n, 8, count - 1, 8, "count - 1");
	expect_refused(p, n, 16, 0, 8, "zero cleared");
	expect_refused(p, n, 24, dbl_bits(1e300), 8, "min > max");
	expect_refused(p, n, 24, dbl_bits(NAN), 8, "min NaN");
	expect_refused(p, n, 24, dbl_bits(0.5), 8, "min > 0 with zeros");
	expect_refused(p, n, 32, dbl_bits(-1.0), 8, "max <= 0 with bins");
	expect_refused(p, n, 40, (uint32_t)INT32_MIN, 4, "lo far below");
	expect_refused(p, n, 40, (uint32_t)INT32_MAX, 4, "lo far above");
	expect_refused(p, n, 44, UINT32_MAX, 4, "nbins huge");
	expect_refused(p, n, 44, (n - 48) / 8 + 1, 4, "nbins one too many");
	expect_refused(p, n, 48, UINT64_MAX, 8, "bin overflow");
	free(p);
}

/* --- lifecycle --- */

Test(ddsketch, reset_and_free_allow_reuse)
{
	struct ddsketch s;
	uint64_t *bins;
	int round, i;

	ddsketch_init(&s, 0.01);
	for (round = 0; round < 3; round++) {
		for (i = 1; i <= 100; i++)
			ddsketch_add(&s, (double)(i * (round + 1)));
		cr_assert_eq(s.count, 100);
		cr_assert(fabs(ddsketch_quantile(&s, 0.5) - 50.0 * (round + 1)) <=
			  0.5 * (round + 1));
		bins = s.bins;
		ddsketch_reset(&s);
		cr_assert_eq(s.count, 0);
		cr_assert_eq(s.zero, 0);
		cr_assert_eq(s.nbins, 0);
		cr_assert_eq(s.bins, bins, "reset keeps the allocation");
		cr_assert(isnan(ddsketch_quantile(&s, 0.5)));
	}
	ddsketch_add(&s, 7.0);
	cr_assert_eq(ddsketch_size(&s), 56);
	cr_assert_eq(ddsketch_quantile(&s, 0.5), 7.0);
	ddsketch_free(&s);
	cr_assert_eq(s.bins, NULL);
	cr_assert_eq(s.count, 0);
	cr_assert_eq(s.alpha, 0.01);
	ddsketch_add(&s, 3.0);
	ddsketch_add(&s, 0.0);
	cr_assert_eq(s.count, 2);
	cr_assert_eq(ddsketch_quantile(&s, 1.0), 3.0);
	ddsketch_free(&s);
	ddsketch_free(&s);      /* twice is harmless */
	cr_assert_eq(s.bins, NULL);
}
