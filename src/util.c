/* util.c - allocation, hashing, string pool, id maps and sets. */
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void
oom(void)
{
	fputs("llmstat: out of memory\n", stderr);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc_lines(size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (size && n > (SIZE_MAX - CACHE_LINE) / size)
		oom();
	bytes = (n * size + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
	if (posix_memalign(&p, CACHE_LINE, bytes ? bytes : CACHE_LINE) != 0)
		oom();
	return memset(p, 0, bytes);
}

/* Quickselect (Wirth's FIND) with a median-of-three pivot; a range still
 * unsettled after 2 log2(n) + 8 rounds is sorted instead, so no input
 * makes it quadratic. v[k] comes out the same whatever the pivots. */
#define DEFINE_NTH(name, type) \
static int \
name##_cmp(const void *x, const void *y) \
{ \
	type a = *(const type *)x, b = *(const type *)y; \
 \
	return (a > b) - (a < b); \
} \
 \
void \
name(type *v, size_t n, size_t k) \
{ \
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, i, j, want = (ptrdiff_t)k; \
	unsigned rounds = 8; \
 \
	for (size_t m = n; m > 1; m >>= 1) \
		rounds += 2; \
	while (lo < hi) { \
		type a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi], t; \
		type x = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b); \
 \
		if (rounds-- == 0) { \
			qsort(v + lo, (size_t)(hi - lo + 1), sizeof(type), name##_cmp); \
			return; \
		} \
		i = lo; \
		j = hi; \
		do {    /* x is in the range: both scans stop inside it */ \
			while (v[i] < x) \
				i++; \
			while (x < v[j]) \
				j--; \
			if (i <= j) { \
				t = v[i]; \
				v[i++] = v[j]; \
				v[j--] = t; \
			} \
		} while (i <= j); \
		if (want <= j)          /* v[lo..j] <= x <= v[i..hi] */ \
			hi = j; \
		else if (want >= i) \
			lo = i; \
		else \
			return;         /* v[j+1..i-1] are all x */ \
	} \
}

DEFINE_NTH(nth_i128, i128)
DEFINE_NTH(nth_u64, uint64_t)

void
xprefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1), b = ((uintptr_t)p + n) & ~(page - 1);

	if (b > a)
		madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

/* The capacity that holds need items: cap (16 when 0) doubled until it
 * does; dies when that many items of elem bytes overflow. */
static size_t
grown_cap(size_t cap, size_t need, size_t elem)
{
	size_t ncap = cap ? cap : 16;

	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / elem)
		oom();
	return ncap;
}

void
xgrow_uninit(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	*cap = grown_cap(*cap, need, elem);
	*p = xrealloc(*p, *cap * elem);
}

void
xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t old = *cap;

	if (need <= *cap)
		return;
	xgrow_uninit(p, cap, need, elem);
	memset((char *)*p + old * elem, 0, (*cap - old) * elem);
}

#define TABLE_BIG ((size_t)1 << 20)     /* from here on a table has its own mapping */

#define HUGE_PAGE ((size_t)2 << 20)

/* A table's mapping is of whole huge pages, at a 2 MiB boundary: each
 * takes one page fault where small pages take one a page (several
 * microseconds each on a virtual machine), and one TLB entry. The last
 * one may hold up to 2 MiB the table does not use yet. */
static size_t
map_len(size_t bytes)
{
	return (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

static void *
table_map(size_t bytes)
{
	size_t len = map_len(bytes);
	char *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		oom();
	a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	munmap((char *)a + len, (uintptr_t)p + HUGE_PAGE - a);
#ifdef MADV_HUGEPAGE
	madvise((void *)a, len, MADV_HUGEPAGE);
#endif
	return (void *)a;
}

/* Table p of old bytes grown to bytes: its pages move to the start of a
 * new mapping (none is copied). */
static void *
table_remap(void *p, size_t old, size_t bytes)
{
	void *q;

	if (map_len(bytes) == map_len(old))
		return p;
	q = table_map(bytes);
	if (mremap(p, map_len(old), map_len(old), MREMAP_MAYMOVE | MREMAP_FIXED, q) == MAP_FAILED)
		oom();
	return q;
}

void
xtable_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap, old = *cap * elem;
	void *q;

	if (need <= *cap)
		return;
	ncap = grown_cap(*cap, need, elem);
	if (ncap * elem < TABLE_BIG)
		q = xrealloc(*p, ncap * elem);
	else if (old < TABLE_BIG) {
		q = table_map(ncap * elem);
		if (old)
			memcpy(q, *p, old);
		free(*p);
	} else
		q = table_remap(*p, old, ncap * elem);
	*p = q;
	*cap = ncap;
}

void *
xtable_zalloc(size_t n, size_t elem)
{
	if (n > SIZE_MAX / elem)
		oom();
	if (n * elem < TABLE_BIG)
		return xcalloc(n, elem);
	return table_map(n * elem);     /* fresh mappings read as zeros */
}

void
xtable_free(void *p, size_t cap, size_t elem)
{
	if (p != NULL && cap * elem >= TABLE_BIG)
		munmap(p, map_len(cap * elem));
	else
		free(p);
}

char *
xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

static inline uint64_t
rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t
mix(uint64_t h, uint64_t w)
{
	h ^= w * 0xff51afd7ed558ccdULL;
	h = (h << 31 | h >> 33) * 0x9e3779b97f4a7c15ULL;
	return h;
}

uint64_t
hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x ? x : 1;
}

/* Two independent lanes take alternate words, so the multiply chains of
 * a long string (a prompt) run side by side; they are folded together at
 * the end. */
uint64_t
hash64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (n * 0xc2b2ae3d27d4eb4fULL), g = ~h, w;
	size_t i;

	for (i = 0; i + 16 <= n; i += 16) {
		h = mix(h, rd64(p + i));
		g = mix(g, rd64(p + i + 8));
	}
	if (i + 8 <= n) {
		h = mix(h, rd64(p + i));
		i += 8;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, p + i, n - i);
		g = mix(g, w ^ 0x9fb21c651e98df25ULL);
	}
	return hash_u64(h ^ (g * 0x9e3779b97f4a7c15ULL));
}

struct strblk {
	struct strblk *next;
	size_t used, cap;
	char data[];
};

const char *
strpool_add(struct strpool *sp, const char *s, size_t n)
{
	struct strblk *b = sp->head;
	char *d;

	if (b == NULL || b->cap - b->used < n + 1) {
		size_t cap = n + 1 > 65536 ? n + 1 : 65536;

		b = xmalloc(sizeof(*b) + cap);
		b->next = sp->head;
		b->used = 0;
		b->cap = cap;
		sp->head = b;
	}
	d = b->data + b->used;
	memcpy(d, s, n);
	d[n] = '\0';
	b->used += n + 1;
	return d;
}

void
strpool_free(struct strpool *sp)
{
	struct strblk *b, *next;

	for (b = sp->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	sp->head = NULL;
}

/* The slot where a key's search starts: the top bits of the key (a hash),
 * not the bottom ones. Then a table read in slot order and added to
 * another, whatever the two sizes, gives keys in the order of their slots
 * there too; with bottom bits, a big table's slot order wraps around a
 * smaller one several times and piles keys into long runs that every
 * later probe walks (a merge of two session tables took seconds). */
static inline size_t
home(uint64_t key, size_t cap)
{
	return (size_t)(key >> (__builtin_clzll((unsigned long long)cap) + 1));
}

static inline int
slot_is(const struct idslot *s, uint64_t key)
{
	return s->klo == (uint32_t)key && s->khi == (uint32_t)(key >> 32);
}

static inline int
slot_empty(const struct idslot *s)
{
	return (s->klo | s->khi) == 0;
}

static void
idmap_rehash(struct idmap *m, size_t ncap)
{
	size_t i, j;
	struct idslot *slots = xtable_zalloc(ncap, sizeof(*slots));

	for (i = 0; i < m->cap; i++) {
		const struct idslot *s = &m->slots[i];

		if (slot_empty(s))
			continue;
		for (j = home((uint64_t)s->khi << 32 | s->klo, ncap); !slot_empty(&slots[j]);
		     j = (j + 1) & (ncap - 1))
			;
		slots[j] = *s;
	}
	xtable_free(m->slots, m->cap, sizeof(*m->slots));
	m->slots = slots;
	m->cap = ncap;
}

uint32_t
idmap_get(const struct idmap *m, uint64_t key)
{
	size_t j;

	if (m->cap == 0)
		return UINT32_MAX;
	for (j = home(key, m->cap); !slot_empty(&m->slots[j]); j = (j + 1) & (m->cap - 1))
		if (slot_is(&m->slots[j], key))
			return m->slots[j].val;
	return UINT32_MAX;
}

uint32_t *
idmap_put(struct idmap *m, uint64_t key, int *isnew)
{
	struct idslot *s;
	size_t j;

	if ((m->len + 1) * 4 > m->cap * 3)
		idmap_rehash(m, m->cap ? m->cap * 2 : 64);
	for (j = home(key, m->cap); !slot_empty(s = &m->slots[j]); j = (j + 1) & (m->cap - 1)) {
		if (slot_is(s, key)) {
			*isnew = 0;
			return &s->val;
		}
	}
	s->klo = (uint32_t)key;
	s->khi = (uint32_t)(key >> 32);
	s->val = UINT32_MAX;
	m->len++;
	*isnew = 1;
	return &s->val;
}

/* The capacity that holds n keys under the 3/4 load limit, at least cap. */
static size_t
cap_for(size_t n, size_t cap, size_t min)
{
	size_t c = cap ? cap : min;

	while (n * 4 > c * 3)
		c *= 2;
	return c;
}

void
idmap_reserve(struct idmap *m, size_t n)
{
	size_t c = cap_for(n, m->cap, 64);

	if (c != m->cap)
		idmap_rehash(m, c);
}

void
idmap_free(struct idmap *m)
{
	xtable_free(m->slots, m->cap, sizeof(*m->slots));
	memset(m, 0, sizeof(*m));
}

static void
idset_rehash(struct idset *s, size_t ncap)
{
	size_t i, j;
	uint64_t *keys = xtable_zalloc(ncap, sizeof(*keys));

	for (i = 0; i < s->cap; i++) {
		if (s->keys[i] == 0)
			continue;
		for (j = home(s->keys[i], ncap); keys[j]; j = (j + 1) & (ncap - 1))
			;
		keys[j] = s->keys[i];
	}
	xtable_free(s->keys, s->cap, sizeof(*s->keys));
	s->keys = keys;
	s->cap = ncap;
}

int
idset_has(const struct idset *s, uint64_t key)
{
	size_t j;

	if (s->cap == 0)
		return 0;
	for (j = home(key, s->cap); s->keys[j]; j = (j + 1) & (s->cap - 1))
		if (s->keys[j] == key)
			return 1;
	return 0;
}

int
idset_add(struct idset *s, uint64_t key)
{
	size_t j;

	if ((s->len + 1) * 4 > s->cap * 3)
		idset_rehash(s, s->cap ? s->cap * 2 : 16);
	for (j = home(key, s->cap); s->keys[j]; j = (j + 1) & (s->cap - 1))
		if (s->keys[j] == key)
			return 0;
	s->keys[j] = key;
	s->len++;
	return 1;
}

void
idset_reserve(struct idset *s, size_t n)
{
	size_t c = cap_for(n, s->cap, 16);

	if (c != s->cap)
		idset_rehash(s, c);
}

void
idset_merge(struct idset *dst, const struct idset *src)
{
	size_t i;

	idset_reserve(dst, dst->len + src->len);
	for (i = 0; i < src->cap; i++)
		if (src->keys[i])
			idset_add(dst, src->keys[i]);
}

void
idset_clear(struct idset *s)
{
	if (s->cap)
		memset(s->keys, 0, s->cap * sizeof(*s->keys));
	s->len = 0;
}

void
idset_free(struct idset *s)
{
	xtable_free(s->keys, s->cap, sizeof(*s->keys));
	memset(s, 0, sizeof(*s));
}

int64_t
usd_to_pico(double usd)
{
	return (int64_t)llround(usd * PICO_PER_USD);
}

double
pico_to_usd(i128 pico)
{
	return (double)pico / PICO_PER_USD;
}

int
strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}
