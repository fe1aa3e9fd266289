/* rqlog.c - per-session chains of varint-coded requests in 32-byte blocks. */
#include "rqlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * A block is a 4-byte header and 28 bytes of entry bytes. The header of a
 * block that has a successor holds the successor's index; the header of a
 * chain's tail holds how many of its 28 bytes are used (a chain knows its
 * tail, so the two never mix). An entry may run across blocks.
 *
 * An entry: zigzag(d / scale) << 2 | scale code as a varint, where d =
 * start - base; then (end - start) / scale << 3 | scale code << 1 |
 * has_prompt as a varint; then the 8 prompt-hash bytes when has_prompt.
 * The scale is the largest of 1, 100, 1000 and 1000000 us that divides
 * the value: logs give times in ms and latencies in ms or tenths of ms, so
 * the varints stay short. The base is 0 for the chain's first entry, which
 * therefore begins the head block, and that entry's start for the others:
 * sessions are short in time, so an entry is typically 5 or 6 bytes (8
 * more with a prompt), and a chain needs no state beyond its two block
 * numbers.
 */
#define BLOCK 32u
#define PAYLOAD (BLOCK - 4u)
#define ENTRY_MAX 26            /* 10 + 9 + 8 bytes, at most */

static const uint64_t scales[4] = { 1, 100, 1000, 1000000 };

static inline unsigned char *
block(const struct rqlog *l, uint32_t i)
{
	return l->blocks + (size_t)i * BLOCK;
}

static inline uint32_t
get_hdr(const unsigned char *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

static inline void
set_hdr(unsigned char *b, uint32_t v)
{
	memcpy(b, &v, 4);
}

/* A fresh empty block (header 0: nothing used). The table may move. */
static uint32_t
block_new(struct rqlog *l)
{
	uint32_t i;

	if (l->nblocks == 0)
		l->nblocks = 1;         /* 0 means "no block" in a chain */
	if (l->nblocks == UINT32_MAX) {         /* 128 GiB of blocks */
		fputs("llmstat: out of memory\n", stderr);
		exit(1);
	}
	xtable_grow((void **)&l->blocks, &l->cap, (size_t)l->nblocks + 1, BLOCK);
	i = l->nblocks++;
	set_hdr(block(l, i), 0);
	return i;
}

static size_t
put_varint(unsigned char *p, uint64_t v)
{
	size_t k = 0;

	while (v >= 0x80) {
		p[k++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[k++] = (unsigned char)v;
	return k;
}

/* The code of the largest scale dividing v (a two's complement value). */
static unsigned
scale_of(uint64_t v)
{
	unsigned k;

	for (k = 3; k > 0; k--)
		if ((int64_t)v % (int64_t)scales[k] == 0)
			return k;
	return 0;
}

/* A start delta's varint value, and back. */
static uint64_t
time_code(uint64_t d)
{
	unsigned k = scale_of(d);

	d = (uint64_t)((int64_t)d / (int64_t)scales[k]);
	return (d << 1 ^ (0 - (d >> 63))) << 2 | k;
}

static uint64_t
time_decode(uint64_t v)
{
	uint64_t z = v >> 2;

	return ((z >> 1) ^ (0 - (z & 1))) * scales[v & 3];
}

/* The start of the chain's first entry, the base of the others. */
static uint64_t
chain_base(const struct rqlog *l, const struct rqchain *c)
{
	const unsigned char *p = block(l, c->head) + 4;
	uint64_t z = 0;
	unsigned s = 0;

	do
		z |= (uint64_t)(*p & 0x7f) << s;
	while ((*p++ & 0x80) && (s += 7) < 64);
	return time_decode(z);
}

void
rqlog_append(struct rqlog *l, struct rqchain *c, const struct rqent *e)
{
	unsigned char buf[ENTRY_MAX], *b;
	uint64_t lat = (uint64_t)(e->end_us - e->time_us);
	unsigned ls = scale_of(lat);
	size_t n, k, fill;

	n = put_varint(buf, time_code((uint64_t)e->time_us - (c->tail ? chain_base(l, c) : 0)));
	n += put_varint(buf + n, lat / scales[ls] << 3 | ls << 1 | (e->prompt != 0));
	if (e->prompt) {
		for (k = 0; k < 8; k++)
			buf[n + k] = (unsigned char)(e->prompt >> (8 * k));
		n += 8;
	}
	if (c->tail == 0)
		c->head = c->tail = block_new(l);
	b = block(l, c->tail);
	fill = get_hdr(b);
	for (k = 0; k < n; ) {
		size_t m = n - k < PAYLOAD - fill ? n - k : PAYLOAD - fill;

		if (m == 0) {           /* the tail is full: link a new one */
			uint32_t nb = block_new(l);

			set_hdr(block(l, c->tail), nb);
			c->tail = nb;
			b = block(l, nb);
			fill = 0;
			continue;
		}
		memcpy(b + 4 + fill, buf + k, m);
		fill += m;
		k += m;
	}
	set_hdr(b, (uint32_t)fill);
}

/* Reads a chain's bytes in order, block by block. */
struct reader {
	const struct rqlog *l;
	uint32_t blk, tail;
	const unsigned char *p, *end;
};

static void
reader_at(struct reader *r, uint32_t i)
{
	const unsigned char *b = block(r->l, i);

	r->blk = i;
	r->p = b + 4;
	r->end = b + 4 + (i == r->tail ? get_hdr(b) : PAYLOAD);
}

static unsigned
next_byte(struct reader *r)
{
	if (r->p == r->end)
		reader_at(r, get_hdr(block(r->l, r->blk)));
	return *r->p++;
}

static int
more(const struct reader *r)
{
	return r->p < r->end || r->blk != r->tail;
}

static uint64_t
get_varint(struct reader *r)
{
	uint64_t v = 0, b;
	unsigned s = 0;

	do {
		b = next_byte(r);
		v |= (b & 0x7f) << s;
		s += 7;
	} while ((b & 0x80) && s < 64);
	return v;
}

size_t
rqlog_read(const struct rqlog *l, const struct rqchain *c, struct rqent **buf, size_t *cap)
{
	struct reader r = { l, 0, c->tail, NULL, NULL };
	uint64_t base = 0, t, z, x;
	size_t n = 0;
	int k;

	if (c->head == 0)
		return 0;
	reader_at(&r, c->head);
	while (more(&r)) {
		struct rqent *e;

		xgrow_uninit((void **)buf, cap, n + 1, sizeof(**buf));
		e = &(*buf)[n++];
		z = get_varint(&r);
		t = base + time_decode(z);
		if (n == 1)
			base = t;
		e->time_us = (int64_t)t;
		x = get_varint(&r);
		e->end_us = (int64_t)(t + (x >> 3) * scales[x >> 1 & 3]);
		e->prompt = 0;
		for (k = 0; (x & 1) && k < 8; k++)
			e->prompt |= (uint64_t)next_byte(&r) << (8 * k);
	}
	return n;
}

static int
ent_less(const struct rqent *a, const struct rqent *b)
{
	if (a->time_us != b->time_us)
		return a->time_us < b->time_us;
	if (a->end_us != b->end_us)
		return a->end_us < b->end_us;
	return a->prompt < b->prompt;
}

static int
cmp_ent(const void *x, const void *y)
{
	const struct rqent *a = x, *b = y;

	return ent_less(b, a) - ent_less(a, b);
}

void
rqlog_sort(struct rqent *e, size_t n)
{
	size_t i, j;

	for (i = 1; i < n && !ent_less(&e[i], &e[i - 1]); i++)
		;
	if (i >= n)
		return;                 /* already in order: the usual case */
	if (n > 32) {
		qsort(e, n, sizeof(*e), cmp_ent);
		return;
	}
	for (; i < n; i++) {
		struct rqent t = e[i];

		for (j = i; j > 0 && ent_less(&t, &e[j - 1]); j--)
			e[j] = e[j - 1];
		e[j] = t;
	}
}

void
rqlog_free(struct rqlog *l)
{
	xtable_free(l->blocks, l->cap, BLOCK);
	memset(l, 0, sizeof(*l));
}
