/* rqlog.c - per-session buffers of varint-coded requests. */
#include "rqlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * A chain is one buffer of the arena holding its entries back to back.
 * Buffer sizes are the classes 8, 16, 24, 32, 48, 64, 96, ... bytes (each
 * 1.5 or 4/3 times the one before), and a chain's buffer is the smallest
 * class that holds its used bytes, so a chain needs no more than its
 * offset and length. A full buffer moves to the next class that fits; the
 * old one goes to its class's free list (linked through its first 4
 * bytes), where a younger session will find it.
 *
 * An entry: zigzag(d / scale) << 2 | scale code as a varint, where d =
 * start - base; then (end - start) / scale << 3 | scale code << 1 |
 * has_prompt as a varint; then the 8 prompt-hash bytes when has_prompt.
 * The scale is the largest of 1, 100, 1000 and 1000000 us that divides
 * the value: logs give times in ms and latencies in ms or tenths of ms, so
 * the varints stay short. The base is 0 for the chain's first entry and
 * that entry's start for the others: sessions are short in time, so an
 * entry is typically 5 or 6 bytes (8 more with a prompt).
 */
#define ENTRY_MAX 26            /* 10 + 9 + 8 bytes, at most */

static const uint64_t scales[4] = { 1, 100, 1000, 1000000 };

/* Size of class k in bytes: 8, 16, 24, 32, 48, 64, 96, 128, ... */
static uint64_t
class_size(unsigned k)
{
	if (k == 0)
		return 8;
	return k & 1 ? (uint64_t)2 << ((k + 1) / 2 + 2) : (uint64_t)3 << (k / 2 + 2);
}

/* The smallest class holding n > 0 bytes: from 16 on, 3/4 of the power
 * of two at or above n when that holds it, else that power of two. */
static unsigned
class_of(uint64_t n)
{
	unsigned b;

	if (n <= 16)
		return n > 8;
	b = 64 - (unsigned)__builtin_clzll(n - 1);      /* 2^(b-1) < n <= 2^b */
	return n <= (uint64_t)3 << (b - 2) ? 2 * b - 8 : 2 * b - 7;
}

static inline unsigned char *
at(const struct rqlog *l, uint32_t off)
{
	return (unsigned char *)(l->units + off);
}

static void
die_full(void)
{
	fputs("llmstat: out of memory\n", stderr);
	exit(1);
}

/* A buffer of class k, from its free list or the end of the arena (which
 * may move). Returns its offset. */
static uint32_t
buf_alloc(struct rqlog *l, unsigned k)
{
	uint64_t units = class_size(k) / 8;
	uint32_t off = l->free[k];

	if (off) {
		memcpy(&l->free[k], at(l, off), 4);
		return off;
	}
	if (l->nunits == 0)
		l->nunits = 1;          /* offset 0 means "no buffer" */
	if (units > UINT32_MAX - l->nunits)
		die_full();             /* 32 GiB of requests in one aggregate */
	xtable_grow((void **)&l->units, &l->cap, (size_t)(l->nunits + units), 8);
	off = l->nunits;
	l->nunits += (uint32_t)units;
	return off;
}

static void
buf_free(struct rqlog *l, uint32_t off, unsigned k)
{
	memcpy(at(l, off), &l->free[k], 4);
	l->free[k] = off;
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

/* v divided by the largest scale dividing it, and that scale's code. The
 * divisors are constants so that the compiler makes multiplications of
 * them: this runs for every request. */
static int64_t
scaled(int64_t v, unsigned *k)
{
	if (v % 1000000 == 0) {
		*k = 3;
		return v / 1000000;
	}
	if (v % 1000 == 0) {
		*k = 2;
		return v / 1000;
	}
	if (v % 100 == 0) {
		*k = 1;
		return v / 100;
	}
	*k = 0;
	return v;
}

/* A start delta's varint value, and back. */
static uint64_t
time_code(uint64_t d)
{
	unsigned k;

	d = (uint64_t)scaled((int64_t)d, &k);
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
	const unsigned char *p = at(l, c->off);
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
	unsigned char buf[ENTRY_MAX];
	unsigned ls, k = c->used ? class_of(c->used) : 0;
	uint64_t lat = (uint64_t)scaled(e->end_us - e->time_us, &ls);
	size_t n, i;

	n = put_varint(buf, time_code((uint64_t)e->time_us - (c->used ? chain_base(l, c) : 0)));
	n += put_varint(buf + n, lat << 3 | ls << 1 | (e->prompt != 0));
	if (e->prompt) {
		for (i = 0; i < 8; i++)
			buf[n + i] = (unsigned char)(e->prompt >> (8 * i));
		n += 8;
	}
	if (n > UINT32_MAX - c->used)
		die_full();
	if (c->used == 0 || c->used + n > class_size(k)) {
		uint32_t off = buf_alloc(l, class_of(c->used + n));

		if (c->used) {
			memcpy(at(l, off), at(l, c->off), c->used);
			buf_free(l, c->off, k);
		}
		c->off = off;
	}
	memcpy(at(l, c->off) + c->used, buf, n);
	c->used += (uint32_t)n;
}

void
rqlog_copy(struct rqlog *l, struct rqchain *dc, const struct rqlog *src,
           const struct rqchain *sc)
{
	if (sc->used == 0)
		return;
	dc->off = buf_alloc(l, class_of(sc->used));
	dc->used = sc->used;
	memcpy(at(l, dc->off), at(src, sc->off), sc->used);
}

static uint64_t
get_varint(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint64_t v = 0, b;
	unsigned s = 0;

	do {
		b = *p++;
		v |= (b & 0x7f) << s;
		s += 7;
	} while ((b & 0x80) && s < 64);
	*pp = p;
	return v;
}

/* One entry at *pp, undecoded: its time word, its duration word (bit 0:
 * a prompt follows), and where that prompt's 8 bytes are; *pp moves past
 * it. The one reader of the entry layout rqlog_append writes. */
static const unsigned char *
entry_next(const unsigned char **pp, uint64_t *tw, uint64_t *dw)
{
	const unsigned char *prompt;

	*tw = get_varint(pp);
	*dw = get_varint(pp);
	prompt = *pp;
	*pp += *dw & 1 ? 8 : 0;
	return prompt;
}

size_t
rqlog_read(const struct rqlog *l, const struct rqchain *c, struct rqent **buf, size_t *cap)
{
	const unsigned char *p, *end, *q;
	uint64_t base = 0, t, tw, x;
	size_t n = 0;
	int k;

	if (c->used == 0)
		return 0;
	p = at(l, c->off);
	end = p + c->used;
	while (p < end) {
		struct rqent *e;

		if (n == *cap)
			xgrow_uninit((void **)buf, cap, n + 1, sizeof(**buf));
		e = &(*buf)[n++];
		q = entry_next(&p, &tw, &x);
		t = base + time_decode(tw);
		if (n == 1)
			base = t;
		e->time_us = (int64_t)t;
		e->end_us = (int64_t)(t + (x >> 3) * scales[x >> 1 & 3]);
		e->prompt = 0;
		for (k = 0; (x & 1) && k < 8; k++)
			e->prompt |= (uint64_t)q[k] << (8 * k);
	}
	return n;
}

size_t
rqlog_count(const struct rqlog *l, const struct rqchain *c)
{
	const unsigned char *p, *end;
	uint64_t tw, dw;
	size_t n = 0;

	if (c->used == 0)
		return 0;
	for (p = at(l, c->off), end = p + c->used; p < end; n++)
		entry_next(&p, &tw, &dw);
	return n;
}

int
rqlog_less(const struct rqent *a, const struct rqent *b)
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

	return rqlog_less(b, a) - rqlog_less(a, b);
}

void
rqlog_sort(struct rqent *e, size_t n)
{
	size_t i, j;

	for (i = 1; i < n && !rqlog_less(&e[i], &e[i - 1]); i++)
		;
	if (i >= n)
		return;                 /* already in order: the usual case */
	if (n > 32) {
		qsort(e, n, sizeof(*e), cmp_ent);
		return;
	}
	for (; i < n; i++) {
		struct rqent t = e[i];

		for (j = i; j > 0 && rqlog_less(&t, &e[j - 1]); j--)
			e[j] = e[j - 1];
		e[j] = t;
	}
}

size_t
rqlog_bytes(const struct rqlog *l)
{
	return (size_t)l->nunits * 8;
}

void
rqlog_reset(struct rqlog *l)
{
	l->nunits = 0;
	memset(l->free, 0, sizeof(l->free));
}

void
rqlog_free(struct rqlog *l)
{
	xtable_free(l->units, l->cap, 8);
	memset(l, 0, sizeof(*l));
}
