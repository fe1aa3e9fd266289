/* jsonpaths.c - the scanner's wanted paths compiled into a trie of
 * decoded key segments, each node with a hash table of its children. */
#include "jsonpaths.h"

#include <stdio.h>
#include <stdlib.h>

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("llmstat: out of memory\n", stderr);
		exit(EXIT_FAILURE);
	}
	return q;
}

/* A segment of digits without a leading zero also names an array index. */
static uint32_t seg_index(const char *s, uint32_t n)
{
	uint32_t v = 0;

	if (n == 0 || n > 9 || (s[0] == '0' && n > 1))
		return NO_INDEX;
	for (uint32_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NO_INDEX;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	return v;
}

static int32_t node_new(struct js_paths *ps, const char *key, uint32_t klen)
{
	struct js_node *nd;

	if (ps->nnodes == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		ps->nodes = xrealloc(ps->nodes, (size_t)ps->cap * sizeof *ps->nodes);
	}
	nd = &ps->nodes[ps->nnodes];
	nd->key = xrealloc(NULL, klen);
	if (klen)
		memcpy(nd->key, key, klen);
	memset(nd->k16, 0, sizeof nd->k16);
	memcpy(nd->k16, key, klen < 16 ? klen : 16);
	nd->klen = klen;
	nd->hoff = nd->hmask = 0;
	nd->index = seg_index(key, klen);
	nd->child = nd->next = nd->pidx = -1;
	nd->below[0] = nd->below[1] = 0;
	return ps->nnodes++;
}

struct js_paths *js_paths_new(void)
{
	struct js_paths *ps = xrealloc(NULL, sizeof *ps);

	ps->nodes = NULL;
	ps->slots = NULL;
	ps->nnodes = ps->cap = ps->npaths = 0;
	ps->wide = 0;
#ifdef HAVE_WIDE
	ps->wide = __builtin_cpu_supports("avx512bw") && getenv("LLMSTAT_NO_AVX512") == NULL;
#endif
	node_new(ps, "", 0);
	return ps;
}

/* Decodes one segment of a dot path into buf ("\." is a dot, "\\" a
 * backslash). Returns a pointer to the '.' or NUL ending it, or NULL if
 * the segment is empty or holds another backslash sequence. */
static const char *seg_next(const char *s, char *buf, uint32_t *len)
{
	uint32_t k = 0;

	for (; *s && *s != '.'; s++) {
		if (*s == '\\') {
			s++;
			if (*s != '.' && *s != '\\')
				return NULL;
		}
		buf[k++] = *s;
	}
	*len = k;
	return k ? s : NULL;
}

static int32_t child_find(const struct js_paths *ps, int32_t node,
                          const char *key, uint32_t klen)
{
	for (int32_t c = ps->nodes[node].child; c >= 0; c = ps->nodes[c].next)
		if (ps->nodes[c].klen == klen && memcmp(ps->nodes[c].key, key, klen) == 0)
			return c;
	return -1;
}

static int32_t child_add(struct js_paths *ps, int32_t node,
                         const char *key, uint32_t klen)
{
	int32_t c = node_new(ps, key, klen), *link = &ps->nodes[node].child;

	while (*link >= 0)
		link = &ps->nodes[*link].next;
	*link = c;
	return c;
}

/* Walks the path's segments down the trie. With bit < 0 only looks up:
 * returns the final node, -1 if absent, -2 if the path is malformed. With
 * bit >= 0 creates missing nodes and marks the path's bit along the way. */
static int32_t path_walk(struct js_paths *ps, const char *s, char *buf, int bit)
{
	int32_t node = 0;
	uint32_t klen;

	for (;;) {
		s = seg_next(s, buf, &klen);
		if (!s)
			return -2;
		if (node >= 0) {
			int32_t c = child_find(ps, node, buf, klen);

			if (c < 0 && bit >= 0)
				c = child_add(ps, node, buf, klen);
			node = c;
			if (node >= 0 && bit >= 0)
				ps->nodes[node].below[bit >> 6] |= (uint64_t)1 << (bit & 63);
		}
		if (*s == '\0')
			return node;
		s++;
	}
}

/* Rebuilds every node's table of children: a power of two at least twice
 * the number of children, linear probing. */
static void tables_build(struct js_paths *ps)
{
	size_t total = 0;

	for (int i = 0; i < ps->nnodes; i++) {
		struct js_node *nd = &ps->nodes[i];
		uint32_t nch = 0, size = 4;

		for (int32_t c = nd->child; c >= 0; c = ps->nodes[c].next)
			nch++;
		while (size < 2 * nch)
			size *= 2;
		nd->hoff = (uint32_t)total;
		nd->hmask = size - 1;
		total += size;
	}
	ps->slots = xrealloc(ps->slots, total * sizeof *ps->slots);
	for (size_t i = 0; i < total; i++)
		ps->slots[i] = -1;
	for (int i = 0; i < ps->nnodes; i++) {
		const struct js_node *nd = &ps->nodes[i];

		for (int32_t c = nd->child; c >= 0; c = ps->nodes[c].next) {
			const struct js_node *ch = &ps->nodes[c];
			uint32_t h = key_hash(key_lo8(ch->k16), ch->klen) & nd->hmask;

			while (ps->slots[nd->hoff + h] >= 0)
				h = (h + 1) & nd->hmask;
			ps->slots[nd->hoff + h] = c;
		}
	}
}

int js_paths_add(struct js_paths *ps, const char *dotpath)
{
	size_t len = strlen(dotpath);
	char *buf;
	int32_t nd;
	int r = -1;

	if (len == 0 || len > UINT32_MAX)
		return -1;
	buf = xrealloc(NULL, len);
	nd = path_walk(ps, dotpath, buf, -1);
	if (nd >= 0 && ps->nodes[nd].pidx >= 0) {
		r = ps->nodes[nd].pidx;
	} else if (nd != -2 && ps->npaths < JS_MAX_PATHS) {
		nd = path_walk(ps, dotpath, buf, ps->npaths);
		r = ps->nodes[nd].pidx = ps->npaths++;
		tables_build(ps);
	}
	free(buf);
	return r;
}

int js_paths_count(const struct js_paths *ps)
{
	return ps ? ps->npaths : 0;
}

void js_paths_free(struct js_paths *ps)
{
	if (!ps)
		return;
	for (int i = 0; i < ps->nnodes; i++)
		free(ps->nodes[i].key);
	free(ps->nodes);
	free(ps->slots);
	free(ps);
}
