/* jsonpaths.h - the compiled path set of the JSON scanner, between
 * jsonpaths.c (which builds it) and jsonscan.c (which walks it). Not for
 * other modules: they see struct js_paths through jsonscan.h only. */
#ifndef LLMSTAT_JSONPATHS_H
#define LLMSTAT_JSONPATHS_H

#include <stdint.h>
#include <string.h>

#include "jsonscan.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_WIDE 1             /* an AVX-512 map builder, chosen at run time */
#endif

#define NO_INDEX UINT32_MAX

struct js_node {
	unsigned char k16[16];  /* the key's first 16 bytes, zero padded */
	char *key;              /* decoded segment bytes (owned) */
	uint32_t klen;
	uint32_t index;         /* array index the segment denotes, or NO_INDEX */
	int32_t child;          /* first child node, or -1 */
	int32_t next;           /* next sibling, or -1 */
	int32_t pidx;           /* index of the path ending here, or -1 */
	uint64_t below[2];      /* bit i set: path i ends here or below */
	uint32_t hoff;          /* this node's children's hash table: */
	uint32_t hmask;         /* slots[hoff .. hoff+hmask] */
};

struct js_paths {
	struct js_node *nodes;  /* nodes[0] is the root (the whole text) */
	int32_t *slots;         /* open-addressing tables of child nodes, -1: empty */
	int nnodes, cap, npaths;
	int wide;               /* build maps with AVX-512 (see map_build) */
};

/* The hash of a key from its length and its first 8 bytes (zero padded,
 * read as a little-endian word on every platform's build and lookup alike). */
static inline uint32_t key_hash(uint64_t lo8, size_t klen)
{
	return (uint32_t)(((lo8 + klen) * UINT64_C(0x9E3779B97F4A7C15)) >> 40);
}

static inline uint64_t key_lo8(const unsigned char *k16)
{
	uint64_t w;

	memcpy(&w, k16, sizeof w);
	return w;
}

#endif
