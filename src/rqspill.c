/* rqspill.c - sorted runs of session requests in a temporary file. */
#include "rqspill.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define RQSPILL_MAX_RUNS 64     /* more are merged into one */
#define WBUF_KEYS 2048          /* keys buffered before a write (64 KiB) */
#define RBUF_KEYS 1024          /* keys read at a time from each run */

size_t
rqspill_budget(void)
{
	const char *e = getenv("LLMSTAT_SPILL_BYTES");
	char *end;
	unsigned long long v;

	if (e && *e) {
		v = strtoull(e, &end, 10);
		if (*end == '\0' && v > 0)
			return (size_t)v;
	}
	return (size_t)2 << 20;
}

static void
die_io(const char *what)
{
	fprintf(stderr, "llmstat: temporary file: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
own_fd(struct rqspill *s, int fd)
{
	xgrow((void **)&s->fds, &s->fdcap, s->nfds + 1, sizeof(*s->fds));
	s->fds[s->nfds++] = fd;
}

static int
temp_in(const char *dir)
{
	char path[4096];
	int fd;

	if (snprintf(path, sizeof(path), "%s/llmstat-XXXXXX", dir) >= (int)sizeof(path))
		return -1;
	if ((fd = mkstemp(path)) >= 0)
		unlink(path);
	return fd;
}

/* An unnamed file in $TMPDIR, else /var/tmp (on disk, where /tmp may be a
 * tmpfs, which is memory), else /tmp; -1 when none can be made. */
static int
temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir && *dir)
		return temp_in(dir);
	if ((fd = temp_in("/var/tmp")) >= 0)
		return fd;
	return temp_in("/tmp");
}

int
rqspill_begin(struct rqspill *s)
{
	if (s->failed)
		return -1;
	if (!s->have_fd) {
		if ((s->fd = temp_file()) < 0) {
			s->failed = 1;
			fprintf(stderr, "llmstat: no temporary file in %s (%s): session request "
			    "times stay in memory\n", getenv("TMPDIR") && *getenv("TMPDIR") ?
			    getenv("TMPDIR") : "/var/tmp or /tmp", strerror(errno));
			return -1;
		}
		own_fd(s, s->fd);
		s->have_fd = 1;
	}
	if (s->wbuf == NULL)
		s->wbuf = xmalloc(WBUF_KEYS * sizeof(struct rqkey));
	s->wlen = 0;
	s->wn = 0;
	s->woff = s->end;
	return 0;
}

/* All n bytes at offset off, written (wr) or read; dies on failure. */
static void
full_io(int wr, int fd, void *buf, size_t n, off_t off)
{
	size_t done = 0;
	ssize_t k;

	while (done < n) {
		k = wr ? pwrite(fd, (char *)buf + done, n - done, off + (off_t)done) :
		    pread(fd, (char *)buf + done, n - done, off + (off_t)done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			die_io(wr ? "write" : "read");
		done += (size_t)k;
	}
}

static void
flush(struct rqspill *s)
{
	full_io(1, s->fd, s->wbuf, s->wlen, s->end);
	s->end += (off_t)s->wlen;
	s->wlen = 0;
}

void
rqspill_put(struct rqspill *s, const struct rqkey *k)
{
	if (s->wlen + sizeof(*k) > WBUF_KEYS * sizeof(*k))
		flush(s);
	memcpy(s->wbuf + s->wlen, k, sizeof(*k));
	s->wlen += sizeof(*k);
	s->wn++;
}

static void
add_run(struct rqspill *s, int fd, off_t off, uint64_t n)
{
	xgrow((void **)&s->runs, &s->cap, s->nruns + 1, sizeof(*s->runs));
	s->runs[s->nruns].fd = fd;
	s->runs[s->nruns].off = off;
	s->runs[s->nruns++].n = n;
}

/* ---- Merging: a binary heap of sources, each a run or memory. ---- */

struct src {
	const struct rqrun *run;        /* NULL: a memory source */
	void *mctx;                     /* its context */
	uint64_t left;                  /* keys not yet read from the run */
	off_t pos;
	struct rqkey *buf;
	size_t i, n;
	struct rqkey cur;
};

static int
key_less(const struct rqkey *a, const struct rqkey *b)
{
	if (a->sess != b->sess)
		return a->sess < b->sess;
	return rqlog_less(&a->e, &b->e);
}

static void
fill(struct src *r)
{
	size_t want = r->left < RBUF_KEYS ? (size_t)r->left : RBUF_KEYS;

	full_io(0, r->run->fd, r->buf, want * sizeof(struct rqkey), r->pos);
	r->pos += (off_t)(want * sizeof(struct rqkey));
	r->left -= want;
	r->i = 0;
	r->n = want;
}

/* The source's next key into cur; 0 when it has none. */
static int
advance(struct src *r, int (*mem)(void *, struct rqkey *))
{
	if (r->run == NULL)
		return mem(r->mctx, &r->cur);
	if (r->i == r->n) {
		if (r->left == 0)
			return 0;
		fill(r);
	}
	r->cur = r->buf[r->i++];
	return 1;
}

static void
sift_down(struct src **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct src *t;

		if (l < n && key_less(&h[l]->cur, &h[m]->cur))
			m = l;
		if (l + 1 < n && key_less(&h[l + 1]->cur, &h[m]->cur))
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

void
rqspill_merge(const struct rqspill *const *s, size_t k,
              int (*mem)(void *, struct rqkey *), void *const *mctx,
              void (*fn)(void *, const struct rqkey *), void *arg)
{
	size_t nsrc = k, n = 0, i, j;
	struct src *src, **heap, *r;

	for (i = 0; i < k; i++)
		nsrc += s[i]->nruns;
	src = xcalloc(nsrc, sizeof(*src));
	heap = xcalloc(nsrc, sizeof(*heap));
	for (r = src, i = 0; i < k; i++) {
		if (mem) {
			r->mctx = mctx[i];
			if (advance(r, mem))
				heap[n++] = r;
		}
		r++;
		for (j = 0; j < s[i]->nruns; j++, r++) {
			r->run = &s[i]->runs[j];
			r->left = r->run->n;
			r->pos = r->run->off;
			r->buf = xmalloc(RBUF_KEYS * sizeof(*r->buf));
			if (advance(r, mem))
				heap[n++] = r;
		}
	}
	for (i = n; i-- > 0;)
		sift_down(heap, n, i);
	while (n > 0) {
		fn(arg, &heap[0]->cur);
		if (!advance(heap[0], mem))
			heap[0] = heap[--n];
		sift_down(heap, n, 0);
	}
	for (i = 0; i < nsrc; i++)
		free(src[i].buf);
	free(src);
	free(heap);
}

static void
put_key(void *arg, const struct rqkey *k)
{
	rqspill_put(arg, k);
}

/* Merges every run into one new run of s's own file. */
static void
compact(struct rqspill *s)
{
	struct rqspill old = *s;
	const struct rqspill *o = &old;

	s->runs = NULL;
	s->nruns = s->cap = 0;
	if (rqspill_begin(s) < 0)
		die_io("open");
	rqspill_merge(&o, 1, NULL, NULL, put_key, s);
	flush(s);
	add_run(s, s->fd, s->woff, s->wn);
	free(old.runs);
}

void
rqspill_end(struct rqspill *s)
{
	flush(s);
	if (s->wn)
		add_run(s, s->fd, s->woff, s->wn);
	s->wn = 0;
	if (s->nruns > RQSPILL_MAX_RUNS)
		compact(s);
}

void
rqspill_move(struct rqspill *d, struct rqspill *s)
{
	size_t i;

	for (i = 0; i < s->nruns; i++)
		add_run(d, s->runs[i].fd, s->runs[i].off, s->runs[i].n);
	for (i = 0; i < s->nfds; i++)
		own_fd(d, s->fds[i]);
	free(s->runs);
	free(s->fds);
	free(s->wbuf);
	memset(s, 0, sizeof(*s));
	if (d->nruns > RQSPILL_MAX_RUNS)
		compact(d);
}

void
rqspill_copy(struct rqspill *d, const struct rqspill *s)
{
	size_t i, j;
	int *dup_of = xmalloc(s->nfds * sizeof(*dup_of) + 1);

	for (j = 0; j < s->nfds; j++) {
		if ((dup_of[j] = dup(s->fds[j])) < 0)
			die_io("dup");
		own_fd(d, dup_of[j]);
	}
	for (i = 0; i < s->nruns; i++)
		for (j = 0; j < s->nfds; j++)
			if (s->fds[j] == s->runs[i].fd)
				add_run(d, dup_of[j], s->runs[i].off, s->runs[i].n);
	free(dup_of);
	if (d->nruns > RQSPILL_MAX_RUNS)
		compact(d);
}

uint64_t
rqspill_count(const struct rqspill *s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->nruns; i++)
		n += s->runs[i].n;
	return n;
}

void
rqspill_free(struct rqspill *s)
{
	for (size_t i = 0; i < s->nfds; i++)
		close(s->fds[i]);
	free(s->fds);
	free(s->runs);
	free(s->wbuf);
	memset(s, 0, sizeof(*s));
}
