/* rqlog.h - the timed requests of each session (start, end, prompt hash),
 * kept for the order-dependent metrics: varint-coded, in arrival order, in
 * one small buffer per session that grows through size classes, so a
 * session costs a few bytes a request and nothing is sorted until the end,
 * one session at a time. */
#ifndef LLMSTAT_RQLOG_H
#define LLMSTAT_RQLOG_H

#include <stddef.h>
#include <stdint.h>

/* One request as stored: what re-queries and inferred regenerations need. */
struct rqent {
	int64_t time_us;        /* start */
	int64_t end_us;         /* start + latency, >= time_us */
	uint64_t prompt;        /* prompt hash, 0 none (or not kept) */
};

/* A session's requests; all zero when empty. Lives in struct sess. */
struct rqchain {
	uint32_t off;           /* its buffer, in 8-byte units of the arena */
	uint32_t used;          /* bytes used; the buffer's size follows from it */
};

#define RQ_CLASSES 64

/* The buffers of every chain of one aggregate, in one arena that grows by
 * realloc (not a huge-page table: it fills from one end, so huge pages
 * would only round its resident size up). Zero-initialise before use. */
struct rqlog {
	uint64_t *units;        /* owned */
	size_t cap;             /* units allocated */
	uint32_t nunits;        /* units handed out; unit 0 is never used */
	uint32_t free[RQ_CLASSES];      /* per size class: a free buffer, 0 none */
};

/* Appends one request to chain c. time_us must lie within +-2^60 and
 * end_us - time_us in [0, 2^60). Can't fail (dies on out of memory). */
void rqlog_append(struct rqlog *l, struct rqchain *c, const struct rqent *e);

/* Copies the entries of chain sc of src to the empty chain dc of l, as
 * they are (the coding is relative to the chain's own first entry). */
void rqlog_copy(struct rqlog *l, struct rqchain *dc, const struct rqlog *src,
                const struct rqchain *sc);

/* Decodes chain c into *buf (grown as needed, *cap entries; the caller
 * frees it), in the order appended. Returns the number of entries. */
size_t rqlog_read(const struct rqlog *l, const struct rqchain *c,
                  struct rqent **buf, size_t *cap);

/* Starts loading chain c's first bytes (before a read of many chains). */
static inline void
rqlog_prefetch(const struct rqlog *l, const struct rqchain *c)
{
	__builtin_prefetch(l->units + c->off);
}

/* The number of entries of chain c. */
size_t rqlog_count(const struct rqlog *l, const struct rqchain *c);

/* Whether a comes before b by (start, end, prompt): the order of a
 * session's requests "by time" that every report uses, whatever the
 * input order. */
int rqlog_less(const struct rqent *a, const struct rqent *b);

/* Sorts n entries in rqlog_less's order. */
void rqlog_sort(struct rqent *e, size_t n);

/* Bytes the chains take (what the budget of rqspill is measured in). */
size_t rqlog_bytes(const struct rqlog *l);

/* Forgets every chain (their owners must zero their struct rqchain) and
 * keeps the arena for reuse. */
void rqlog_reset(struct rqlog *l);

void rqlog_free(struct rqlog *l);

#endif
