/* rqspill.h - sorted runs of session requests in a temporary file, so the
 * request times that exact re-query and regeneration rates need cost a
 * bounded amount of memory however many lines there are.
 *
 * An aggregate keeps its sessions' requests in memory (rqlog) until they
 * pass a budget; then they are written out as one run, sorted by (session
 * hash, start, end, prompt), and memory is reused. At the end the runs and
 * what is still in memory are merged into one stream in that order: each
 * session's requests, by time, sessions by hash. */
#ifndef LLMSTAT_RQSPILL_H
#define LLMSTAT_RQSPILL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rqlog.h"

/* One timed request of a session, as runs (and state files) hold it;
 * ordered by session hash, then by rqlog_less. */
struct rqkey {
	uint64_t sess;          /* session hash */
	struct rqent e;
};

struct rqrun {                  /* n keys at byte off of file fd */
	int fd;
	off_t off;
	uint64_t n;
};

/* The runs of one aggregate. Zero-initialise before use. */
struct rqspill {
	struct rqrun *runs;
	size_t nruns, cap;
	int *fds;               /* descriptors owned (its own file, others taken) */
	size_t nfds, fdcap;
	int fd;                 /* its own temporary file, when have_fd */
	int have_fd;
	off_t end;              /* that file's size */
	unsigned char *wbuf;    /* the run being written */
	size_t wlen;
	uint64_t wn;
	off_t woff;
	int failed;             /* no temporary file could be made */
};

/* The memory an aggregate's request log may use before it is spilled:
 * LLMSTAT_SPILL_BYTES when set (at least 1), else 2 MiB. */
size_t rqspill_budget(void);

/* Starts a run; returns -1 (once a message, then silently) when no
 * temporary file can be made in $TMPDIR (default /var/tmp, then /tmp):
 * the caller then keeps its requests in memory. */
int rqspill_begin(struct rqspill *s);
/* Appends a key; keys must come in order. */
void rqspill_put(struct rqspill *s, const struct rqkey *k);
/* Ends the run. Past RQSPILL_MAX_RUNS runs they are merged into one. */
void rqspill_end(struct rqspill *s);

/* Gives d the runs of s (which keeps none): moving, or sharing through
 * duplicated descriptors when s must stay as it was (copy). */
void rqspill_move(struct rqspill *d, struct rqspill *s);
void rqspill_copy(struct rqspill *d, const struct rqspill *s);

/* Calls fn for every key of the runs of s[0..k) and of their memory
 * sources, merged in order. mem(mctx[i], &key) gives the in-memory keys
 * of s[i] in order, returning 0 at their end; mem NULL: runs only. */
void rqspill_merge(const struct rqspill *const *s, size_t k,
                   int (*mem)(void *, struct rqkey *), void *const *mctx,
                   void (*fn)(void *, const struct rqkey *), void *arg);

/* Keys in runs, all told. */
uint64_t rqspill_count(const struct rqspill *s);

void rqspill_free(struct rqspill *s);

#endif
