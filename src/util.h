/* util.h - the small things every module needs: allocation that dies in one
 * place, a 64-bit hash, an interning string pool, a u64 -> index map and
 * 128-bit fixed-point sums. */
#ifndef LLMSTAT_UTIL_H
#define LLMSTAT_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Signed 128-bit integer for order-free money sums (GCC and clang). */
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;
/* The same aligned like an int64, so that it packs into big tables without
 * padding (x86-64 and arm64 load it unaligned at no cost). */
__extension__ typedef __int128 i128a __attribute__((aligned(8)));

/* Allocation: on failure these print "llmstat: out of memory" and exit 1.
 * They never return NULL. Free with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
/* xcalloc in whole cache lines of its own (free() releases it), for what
 * one thread writes while another reads next to it. */
#define CACHE_LINE 64
void *xcalloc_lines(size_t n, size_t size);
/* Maps the pages of [p, p+n) in one call, where first writes would take
 * a page fault each (on a virtual machine several microseconds apiece);
 * a no-op where the kernel cannot. */
void xprefault(void *p, size_t n);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of elem-byte items holding *cap) to hold at least
 * need items, doubling; new items are zeroed. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);
/* The same, but new items are left uninitialised: for big tables whose
 * entries are set up one by one, so the unused half of a doubling is never
 * written (nor made resident). */
void xgrow_uninit(void **p, size_t *cap, size_t need, size_t elem);
/* Big tables (the session table, the slots of id maps): like
 * xgrow_uninit, but past 1 MiB the array lives in its own mapping,
 * moved by mremap as it doubles (nothing copied) and backed by huge pages
 * (a few dozen page faults instead of thousands). Free with xtable_free,
 * given the capacity. */
void xtable_grow(void **p, size_t *cap, size_t need, size_t elem);
/* A zeroed table of n items, for xtable_grow and xtable_free. */
void *xtable_zalloc(size_t n, size_t elem);
void xtable_free(void *p, size_t cap, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A 64-bit hash of n bytes; never returns 0 (0 marks empty slots). */
uint64_t hash64(const void *p, size_t n, uint64_t seed);
/* Mixes a 64-bit value into a well-spread non-zero hash. */
uint64_t hash_u64(uint64_t x);

/* An arena of NUL-terminated strings that live until strpool_free. */
struct strpool {
	struct strblk *head;    /* current block; owned */
};
/* Copies [s, s+n) and a NUL into the pool; returns the copy. Can't fail. */
const char *strpool_add(struct strpool *sp, const char *s, size_t n);
void strpool_free(struct strpool *sp);

/* Open addressing map from a non-zero u64 key to a u32 value (an index into
 * the caller's dense array). Zero-initialise before use. A slot holds its
 * key and value side by side, so a lookup touches one cache line. */
struct idslot {
	uint32_t klo, khi;      /* the key's halves; both 0 = empty slot */
	uint32_t val;
};
struct idmap {
	struct idslot *slots;
	size_t cap;             /* slots, a power of two (0 before first add) */
	size_t len;             /* keys stored */
};
/* Returns the value for key, or UINT32_MAX when absent. */
uint32_t idmap_get(const struct idmap *m, uint64_t key);
/* Returns a pointer to key's value slot; when the key is new it is added
 * with value UINT32_MAX and *isnew set to 1 (caller stores the value). */
uint32_t *idmap_put(struct idmap *m, uint64_t key, int *isnew);
void idmap_free(struct idmap *m);
/* Makes room for n keys in all, so that adding up to that many never
 * rehashes. Call it before adding another table's keys in its slot order:
 * those come sorted by slot, and a table too small for them would fill
 * up one region long before it grows. */
void idmap_reserve(struct idmap *m, size_t n);
/* Starts loading the slot where key's search begins, so that a lookup
 * done a little later does not wait for memory. Only a hint. */
static inline void
idmap_prefetch(const struct idmap *m, uint64_t key)
{
	if (m->cap)
		__builtin_prefetch(&m->slots[key >> (__builtin_clzll((unsigned long long)m->cap) + 1)]);
}

/* A set of non-zero u64 keys (exact distinct counting). */
struct idset {
	uint64_t *keys;
	size_t cap, len;
};
/* Adds key; returns 1 if it was new, 0 if present. */
int idset_add(struct idset *s, uint64_t key);
int idset_has(const struct idset *s, uint64_t key);
/* As idmap_reserve. */
void idset_reserve(struct idset *s, size_t n);
void idset_merge(struct idset *dst, const struct idset *src);
void idset_free(struct idset *s);
/* Empties s, keeping its room. */
void idset_clear(struct idset *s);

/* Money: USD as integer pico-dollars (1e-12), so sums are exact and do not
 * depend on the order of addition. */
#define PICO_PER_USD 1000000000000.0
int64_t usd_to_pico(double usd);
double pico_to_usd(i128 pico);

/* Moves the k-th smallest of v[0..n) (k < n, from 0) to v[k], the ones
 * before it no larger and the ones after no smaller (quickselect: linear
 * on average, where a sort is n log n). */
void nth_i128(i128 *v, size_t n, size_t k);
void nth_u64(uint64_t *v, size_t n, size_t k);

/* Compares two C strings for qsort-style sorting with NULL first. */
int strcmp_null(const char *a, const char *b);

#endif
