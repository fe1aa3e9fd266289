/* test_util.c - the id maps and sets, and big tables: every key stays
 * findable through growth, reserve and a copy in slot order (the order a
 * merge reads a table in); a table keeps its contents when it moves into
 * its own mapping and grows there. Checked against plain arrays. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define N 300000

Test(util, idmap_copy_in_slot_order)
{
	struct idmap a = { 0 }, b = { 0 };
	size_t i;
	int isnew;

	for (i = 0; i < N; i++) {               /* two sets of keys, as two workers' */
		*idmap_put(&a, hash_u64(2 * i + 1), &isnew) = (uint32_t)i;
		cr_assert(isnew);
		*idmap_put(&b, hash_u64(2 * i + 2), &isnew) = (uint32_t)i;
	}
	idmap_reserve(&b, b.len + a.len);
	for (i = 0; i < a.cap; i++) {           /* a merge: a's slots in order */
		const struct idslot *s = &a.slots[i];
		uint64_t k = (uint64_t)s->khi << 32 | s->klo;

		if (k == 0)
			continue;
		*idmap_put(&b, k, &isnew) = s->val + N;
		cr_assert(isnew);
	}
	cr_assert_eq(b.len, 2 * (size_t)N);
	for (i = 0; i < N; i++) {
		cr_assert_eq(idmap_get(&b, hash_u64(2 * i + 1)), i + N);
		cr_assert_eq(idmap_get(&b, hash_u64(2 * i + 2)), i);
	}
	cr_assert_eq(idmap_get(&b, hash_u64(2 * (uint64_t)N + 7)), UINT32_MAX);
	idmap_free(&a);
	idmap_free(&b);
}

Test(util, idset_merge_in_slot_order)
{
	struct idset a = { 0 }, b = { 0 };
	size_t i;

	for (i = 0; i < N; i++) {
		cr_assert_eq(idset_add(&a, hash_u64(i + 1)), 1);
		if (i % 3 == 0)                 /* a third shared */
			idset_add(&b, hash_u64(i + 1));
		else
			idset_add(&b, hash_u64(i + 1 + N));
	}
	idset_merge(&b, &a);
	cr_assert_eq(b.len, (size_t)N + (size_t)N - (N + 2) / 3);
	for (i = 0; i < N; i++)
		cr_assert(idset_has(&b, hash_u64(i + 1)));
	idset_free(&a);
	idset_free(&b);
}

/* From 1 MiB a table has its own mapping, of whole 2 MiB huge pages on
 * a 2 MiB boundary; growth moves its pages into a larger one. Items of 24
 * bytes put the table's ends off the page boundaries. */
struct item24 {
	uint64_t a, b, c;
};

Test(util, xtable_grows_across_mappings)
{
	struct item24 *t = NULL;
	uint64_t *z;
	size_t cap = 0, i, n = (24 << 20) / sizeof(*t);

	for (i = 0; i < n; i++) {
		if (i == cap) {
			xtable_grow((void **)&t, &cap, i + 1, sizeof(*t));
			if (cap * sizeof(*t) >= (1 << 20))
				cr_assert_eq((uintptr_t)t % (2 << 20), 0, "table of %zu bytes not on a huge page",
				    cap * sizeof(*t));
		}
		t[i].a = i * 0x9e3779b97f4a7c15ULL;
		t[i].b = ~i;
		t[i].c = i;
	}
	cr_assert_geq(cap, n);
	for (i = 0; i < n; i++)
		cr_assert(t[i].a == i * 0x9e3779b97f4a7c15ULL && t[i].b == ~i && t[i].c == i,
		    "item %zu lost", i);
	xtable_free(t, cap, sizeof(*t));
	n = (3 << 20) / sizeof(*z) + 5;
	z = xtable_zalloc(n, sizeof(*z));
	cr_assert_eq((uintptr_t)z % (2 << 20), 0);
	for (i = 0; i < n; i += 511)
		cr_assert_eq(z[i], 0);
	z[n - 1] = 1;
	xtable_free(z, n, sizeof(*z));
}

/* Memory in whole cache lines of its own, zeroed, for any n and size. */
Test(util, xcalloc_lines_aligned_and_zeroed)
{
	static const size_t sizes[][2] = { { 1, 1 }, { 3, 10 }, { 2, 64 }, { 5, 100 }, { 0, 8 } };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k][0] * sizes[k][1];
		unsigned char *p = xcalloc_lines(sizes[k][0], sizes[k][1]);

		cr_assert_eq((uintptr_t)p % CACHE_LINE, 0, "%zu x %zu", sizes[k][0], sizes[k][1]);
		for (size_t i = 0; i < (n + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE; i++)
			cr_assert_eq(p[i], 0);
		free(p);
	}
}

static int
cmp_u64_t(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

/* nth_u64 / nth_i128 against a sort, on shapes that break naive
 * quickselects: random, few distinct values, sorted, reversed, all equal,
 * organ pipe; every k of small arrays, three ks of larger ones. */
Test(util, nth_element_agrees_with_sorting)
{
	static const size_t sizes[] = { 1, 2, 3, 5, 17, 64, 1000, 25000 };
	uint64_t seed = 12345;

	for (int shape = 0; shape < 6; shape++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			size_t n = sizes[z], ks[3] = { n / 2, n * 95 / 100, n - 1 };
			uint64_t *v = malloc(n * sizeof(*v)), *s = malloc(n * sizeof(*s)), *w = malloc(n * sizeof(*w));
			i128 *q = malloc(n * sizeof(*q));

			for (size_t i = 0; i < n; i++) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				v[i] = shape == 0 ? seed >> 11 : shape == 1 ? (seed >> 33) % 3 : shape == 2 ? i :
				    shape == 3 ? n - i : shape == 4 ? 7 : (i < n / 2 ? i : n - i);
			}
			memcpy(s, v, n * sizeof(*v));
			qsort(s, n, sizeof(*s), cmp_u64_t);
			for (size_t t = 0; t < (n <= 64 ? n : 3); t++) {
				size_t k = n <= 64 ? t : ks[t];

				memcpy(w, v, n * sizeof(*v));
				nth_u64(w, n, k);
				cr_assert_eq(w[k], s[k], "shape %d n %zu k %zu", shape, n, k);
				for (size_t i = 0; i < n; i++)
					cr_assert(i < k ? w[i] <= w[k] : i > k ? w[i] >= w[k] : 1);
				for (size_t i = 0; i < n; i++)
					q[i] = (i128)v[i] - (i128)(n / 2) * ((i128)1 << 70);
				nth_i128(q, n, k);
				cr_assert(q[k] == (i128)s[k] - (i128)(n / 2) * ((i128)1 << 70), "i128 shape %d n %zu k %zu",
				    shape, n, k);
			}
			free(v);
			free(s);
			free(w);
			free(q);
		}
	}
}

Test(util, hash64_spreads_and_never_zero)
{
	char buf[64];
	size_t n;

	memset(buf, 0, sizeof(buf));
	for (n = 0; n <= sizeof(buf); n++) {   /* every length and tail */
		uint64_t h = hash64(buf, n, 5);

		cr_assert_neq(h, 0);
		cr_assert_neq(h, hash64(buf, n, 6), "the seed counts");
		if (n)
			cr_assert_neq(h, hash64(buf, n - 1, 5), "the length counts");
	}
	memcpy(buf, "0123456789abcdefghijklmnopqrstuvwxyz", 36);
	cr_assert_neq(hash64(buf, 36, 1), hash64("0123456789abcdefghijklmnopqrstuvwxyZ", 36, 1));
	cr_assert_neq(hash64(buf, 36, 1), hash64("1023456789abcdefghijklmnopqrstuvwxyz", 36, 1));
}
