/* run.c - the data path from bytes to aggregate: reading inputs into
 * recycled chunks, worker threads, formats, dedup turns, session routing,
 * merging the workers' results and reporting rejected lines. What a worker
 * does with each line is in line.c. */
#include "run.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"
#include "input.h"
#include "jsonscan.h"
#include "preset.h"
#include "state.h"
#include "util.h"
#include "worker.h"

#define CHUNK (1u << 20)        /* bytes of whole lines handed to a worker */
#define HELP_KEEP 2             /* chunks left queued for each other worker */
struct cinfo {                  /* what a chunk leaves behind: for line numbers */
	int file;
	uint32_t seq;
	uint64_t lines;
};

struct mblk {                   /* session updates bound for one worker */
	_Alignas(CACHE_LINE) struct mblk *next; /* one filled while another
	                                           is drained: no shared line */
	struct sess_upd *u;
	size_t n, cap;
};

struct rctx {
	const struct run_conf *conf;
	struct worker *w;
	int nw;
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct chunk **queue;   /* ring of pending chunks */
	size_t qcap, qhead, qlen;
	int done;
	struct cinfo *info;     /* every chunk made, in order */
	size_t ninfo, info_cap;
	char **freebuf;         /* chunk buffers ready for reuse */
	size_t *freecap, nfree, nbufs;
	pthread_cond_t freed;
	struct mblk **inbox;    /* per worker: blocks of updates handed to it */
	struct mblk *spare;     /* applied blocks, for reuse */
	const char **names;     /* file names, by index */
	size_t nnames, names_cap;
	struct agg *out;        /* state files merge straight into it */
	const struct schema **fschema;  /* each file's schema, by index */
	struct idset dset;      /* dedup keys seen */
	int64_t dnext, dcount;  /* next turn to be taken; turns given out */
	uint8_t *dfin;          /* by turn: taken (a chunk without dedup takes it at once) */
	size_t dfin_cap;
	pthread_cond_t dturn;
	pthread_cond_t known;   /* a file's format was told */
	uint8_t *nofmt;         /* by file: no known format found (warned at the end) */
	const char *pname;      /* progress: the input being read */
	long long psize, pdone; /* its size and the bytes handed out so far */
	struct timespec plast;  /* when the progress line was last drawn */
};

/* Marks turn t taken and moves the next turn past every taken one; under
 * rc->mu. */
static void
turn_taken(struct rctx *rc, int64_t t)
{
	rc->dfin[t] = 1;
	while (rc->dnext < rc->dcount && rc->dfin[rc->dnext])
		rc->dnext++;
	pthread_cond_broadcast(&rc->dturn);
}

/* Dedup: the chunk's keys are committed to the set in input order, so the
 * first copy of a record is the one counted whatever the thread count.
 * Every chunk has a turn, as its format (dedup or not) may be told only
 * by a worker; a chunk without dedup takes its turn without waiting. */
static void
mark_duplicates(struct worker *w, const struct chunk *ch)
{
	struct rctx *rc = w->rc;
	size_t i;

	w->ndkeys = 0;
	w->nlf = 0;
	w->nlv = 1;             /* offset 0 means "none" */
	line_each(w, ch, 1);
	xgrow((void **)&w->ddup, &w->dcap_dup, w->ndkeys + 1, 1);
	pthread_mutex_lock(&rc->mu);
	while (rc->dnext != ch->dseq)
		pthread_cond_wait(&rc->dturn, &rc->mu);
	for (i = 0; i < w->ndkeys; i++)
		w->ddup[i] = w->dkeys[i] && !idset_add(&rc->dset, w->dkeys[i]);
	turn_taken(rc, ch->dseq);
	pthread_mutex_unlock(&rc->mu);
	w->drec = 0;
}

/* Chunk buffers are recycled: after the first few chunks reading neither
 * allocates nor faults in new pages, and memory stays at jobs x 2 + 2
 * buffers whatever the input's size or source. */
static void
buf_get(struct rctx *rc, char **p, size_t *cap)
{
	pthread_mutex_lock(&rc->mu);
	while (rc->nfree == 0 && rc->nbufs >= (size_t)rc->nw * 2 + 2)
		pthread_cond_wait(&rc->freed, &rc->mu);
	if (rc->nfree > 0) {
		rc->nfree--;
		*p = rc->freebuf[rc->nfree];
		*cap = rc->freecap[rc->nfree];
	} else {
		rc->nbufs++;
		*p = NULL;
	}
	pthread_mutex_unlock(&rc->mu);
	if (*p == NULL) {
		*p = xmalloc(*cap = CHUNK);
		xprefault(*p, CHUNK);
	}
}

static void
buf_put_locked(struct rctx *rc, char *p, size_t cap)
{
	rc->freebuf[rc->nfree] = p;
	rc->freecap[rc->nfree++] = cap;
	pthread_cond_signal(&rc->freed);
}

static void
buf_put(struct rctx *rc, char *p, size_t cap)
{
	pthread_mutex_lock(&rc->mu);
	buf_put_locked(rc, p, cap);
	pthread_mutex_unlock(&rc->mu);
}

/* A chunk is done: its line count is noted, its buffer given back. */
static void
chunk_done(struct rctx *rc, const struct chunk *ch, uint64_t lines)
{
	pthread_mutex_lock(&rc->mu);
	rc->info[ch->idx].lines = lines;
	if (ch->own)
		buf_put_locked(rc, ch->own, ch->owncap);
	pthread_mutex_unlock(&rc->mu);
}

#define DETECT_BYTES (256u << 10)       /* what auto-detection looks at */

/* The schema asked for, or NULL when each file's first lines tell it. */
static const struct schema *
fixed_schema(const struct run_conf *c)
{
	if (c->schemas == NULL)
		return c->schema;
	return c->schema_id >= 0 ? &c->schemas[c->schema_id] : NULL;
}

/* The preset the first lines of p fit, or generic (*none set). */
static const struct schema *
detect(const struct run_conf *c, const char *p, size_t n, int *none)
{
	int id = preset_detect(p, n < DETECT_BYTES ? n : DETECT_BYTES);

	*none = id < 0 && n > 0;
	return &c->schemas[id < 0 ? P_GENERIC : id];
}

/* After the run, in file order: the files no format was found for. */
static void
warn_no_format(const struct rctx *rc)
{
	for (size_t f = 0; f < rc->nnames && !rc->conf->quiet; f++)
		if (rc->nofmt[f])
			fprintf(stderr, "llmstat: %s: no known log format in the first lines; "
			    "read as generic (see --schema)\n", rc->names[f]);
}

/* A chunk's schema. Auto-detection runs in the worker that has a file's
 * first chunk (not on the reading thread, which has other files to read:
 * a directory of 10,000 session files spent half its reading time there);
 * the file's later chunks wait for it. The earliest chunk in flight never
 * waits: its file's first chunk, if not itself, is done. */
static const struct schema *
chunk_schema(struct rctx *rc, const struct chunk *ch)
{
	const struct schema *s;
	int none;

	if (ch->detect) {
		s = detect(rc->conf, ch->p, ch->len, &none);
		pthread_mutex_lock(&rc->mu);
		rc->fschema[ch->file] = s;
		rc->nofmt[ch->file] = (uint8_t)none;
		pthread_cond_broadcast(&rc->known);
		pthread_mutex_unlock(&rc->mu);
		return s;
	}
	pthread_mutex_lock(&rc->mu);
	while ((s = rc->fschema[ch->file]) == NULL)
		pthread_cond_wait(&rc->known, &rc->mu);
	pthread_mutex_unlock(&rc->mu);
	return s;
}

/* Session routing (struct agg_route): a worker queues the updates of
 * sessions another worker owns, hands them over after each chunk, and
 * applies what it was handed before its next one. */
static void
route(void *ctx, int part, const struct sess_upd *u)
{
	struct worker *w = ctx;
	struct rctx *rc = w->rc;
	struct mblk *b = w->outb[part];

	if (b == NULL) {
		pthread_mutex_lock(&rc->mu);
		if ((b = rc->spare) != NULL)
			rc->spare = b->next;
		pthread_mutex_unlock(&rc->mu);
		if (b == NULL)
			b = xcalloc_lines(1, sizeof(*b));
		b->n = 0;
		w->outb[part] = b;
	}
	xgrow_uninit((void **)&b->u, &b->cap, b->n + 1, sizeof(*b->u));
	b->u[b->n++] = *u;
}

static void
route_flush(struct worker *w)
{
	struct rctx *rc = w->rc;

	pthread_mutex_lock(&rc->mu);
	for (int k = 0; k < rc->nw; k++) {
		if (w->outb[k] == NULL)
			continue;
		w->outb[k]->next = rc->inbox[k];
		rc->inbox[k] = w->outb[k];
		w->outb[k] = NULL;
	}
	pthread_mutex_unlock(&rc->mu);
}

#define DRAIN_AHEAD 8           /* updates whose session slots are loaded ahead */

/* Applies the updates handed to worker w (called by w, or at the end),
 * each session's slot loaded a few updates ahead (the table is too big
 * for the cache). */
static void
route_drain(struct rctx *rc, struct worker *w)
{
	struct mblk *b, *next, *last = NULL;

	pthread_mutex_lock(&rc->mu);
	b = rc->inbox[w->id];
	rc->inbox[w->id] = NULL;
	pthread_mutex_unlock(&rc->mu);
	if (b == NULL)
		return;
	for (next = b; next; next = next->next) {
		for (size_t i = 0; i < next->n; i++) {
			if (i + DRAIN_AHEAD < next->n)
				agg_sess_prefetch(&w->agg, next->u[i + DRAIN_AHEAD].sess);
			agg_apply_sess(&w->agg, &next->u[i]);
		}
		last = next;
	}
	pthread_mutex_lock(&rc->mu);
	last->next = rc->spare;
	rc->spare = b;
	pthread_mutex_unlock(&rc->mu);
}

static void
do_chunk(struct worker *w, struct chunk *ch)
{
	uint64_t lines;

	ch->schema = chunk_schema(w->rc, ch);
	if (ch->schema->ndedup)
		mark_duplicates(w, ch);
	else {
		pthread_mutex_lock(&w->rc->mu);
		turn_taken(w->rc, ch->dseq);
		pthread_mutex_unlock(&w->rc->mu);
	}
	lines = line_each(w, ch, 0);
	if (w->outb) {
		route_flush(w);
		route_drain(w->rc, w);
	}
	chunk_done(w->rc, ch, lines);
}

/* The oldest queued chunk; the caller holds rc->mu and qlen > 0. */
static struct chunk *
dequeue_locked(struct rctx *rc)
{
	struct chunk *ch = rc->queue[rc->qhead];

	rc->qhead = (rc->qhead + 1) % rc->qcap;
	rc->qlen--;
	pthread_cond_signal(&rc->room);
	return ch;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct rctx *rc = w->rc;
	struct chunk *ch;

	for (;;) {
		pthread_mutex_lock(&rc->mu);
		while (rc->qlen == 0 && !rc->done)
			pthread_cond_wait(&rc->more, &rc->mu);
		if (rc->qlen == 0) {
			pthread_mutex_unlock(&rc->mu);
			return NULL;
		}
		ch = dequeue_locked(rc);
		pthread_mutex_unlock(&rc->mu);
		do_chunk(w, ch);
		free(ch);
	}
}

/* The reading thread is worker 0: while more chunks wait than keep, it
 * takes the oldest itself. Reading leaves keep (two per other worker)
 * queued so that no thread waits on it: with one, a directory of small
 * files (a chunk each, some 40 us of work) left the other worker waiting
 * for a chunk 2,766 times in 10,240 files while the reader worked on
 * its own; with two, 495 times. At the end it helps drain the
 * queue. So N workers are N threads, not N + 1: on two cores a third,
 * reading thread preempted the workers some 740 times a run of the bench
 * log, each time costing them their caches. Taking the oldest chunk keeps
 * the turns of dedup and of format detection safe: every earlier chunk is
 * already in a worker's hands. */
static void
help(struct rctx *rc, size_t keep)
{
	struct chunk *ch;

	for (;;) {
		pthread_mutex_lock(&rc->mu);
		if (rc->qlen <= keep) {
			pthread_mutex_unlock(&rc->mu);
			return;
		}
		ch = dequeue_locked(rc);
		pthread_mutex_unlock(&rc->mu);
		do_chunk(&rc->w[0], ch);
		free(ch);
	}
}

#define PROGRESS_MIN (100LL << 20)     /* inputs smaller than this show none */

/* Redraws "llmstat: FILE 42% (230 MB)" on stderr at most 4 times a second. */
static void
progress(struct rctx *rc, size_t len)
{
	struct timespec now;

	rc->pdone += (long long)len;
	if (!rc->conf->progress || rc->psize < PROGRESS_MIN)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - rc->plast.tv_sec) * 1000 + (now.tv_nsec - rc->plast.tv_nsec) / 1000000 < 250)
		return;
	rc->plast = now;
	fprintf(stderr, "\rllmstat: %s %3lld%% (%lld MB)\033[K", rc->pname,
	    rc->pdone * 100 / rc->psize, rc->pdone >> 20);
}

static void
submit(struct rctx *rc, char *own, size_t len, size_t cap, int file, uint32_t seq)
{
	struct chunk *ch = xcalloc(1, sizeof(*ch));

	progress(rc, len);
	ch->p = own;
	ch->len = len;
	ch->own = own;
	ch->owncap = cap;
	ch->file = file;
	ch->seq = seq;
	pthread_mutex_lock(&rc->mu);    /* workers read fschema, dfin, info */
	if (seq == 0 && (rc->fschema[file] = fixed_schema(rc->conf)) == NULL)
		ch->detect = 1;
	xgrow((void **)&rc->dfin, &rc->dfin_cap, (size_t)rc->dcount + 1, 1);
	ch->dseq = rc->dcount++;
	xgrow((void **)&rc->info, &rc->info_cap, rc->ninfo + 1, sizeof(*rc->info));
	ch->idx = rc->ninfo++;
	rc->info[ch->idx].file = file;
	rc->info[ch->idx].seq = seq;
	pthread_mutex_unlock(&rc->mu);
	if (rc->nw == 1) {
		do_chunk(&rc->w[0], ch);
		free(ch);
		return;
	}
	pthread_mutex_lock(&rc->mu);
	while (rc->qlen == rc->qcap)
		pthread_cond_wait(&rc->room, &rc->mu);
	rc->queue[(rc->qhead + rc->qlen) % rc->qcap] = ch;
	rc->qlen++;
	pthread_cond_signal(&rc->more);
	pthread_mutex_unlock(&rc->mu);
	help(rc, HELP_KEEP * ((size_t)rc->nw - 1));
}

/* Any input: read into recycled buffers, hand over whole lines, carry the
 * rest. Regular files are read too, not mapped: on a virtual machine a
 * page fault per mapped page cost more than the copy (0.34 s against
 * 0.10 s to find the newlines of a 540 MB file). */
static int
feed_stream(struct rctx *rc, struct input *in, int file)
{
	size_t cap, len = 0, keep, ncap;
	char *buf, *next, err[256];
	uint32_t seq = 0;
	long r = 1;
	const char *nl;

	buf_get(rc, &buf, &cap);
	while (r > 0) {
		while (len < cap && (r = input_read(in, buf + len, cap - len, err, sizeof(err))) > 0)
			len += (size_t)r;
		nl = len ? memrchr(buf, '\n', len) : NULL;
		if (r > 0 && nl == NULL) {
			buf = xrealloc(buf, cap *= 2);  /* a line longer than a chunk */
			continue;
		}
		if (r <= 0 && len) {
			submit(rc, buf, len, cap, file, seq++);
			buf = NULL;
			break;
		}
		if (len == 0)
			break;
		keep = len - (size_t)(nl + 1 - buf);
		buf_get(rc, &next, &ncap);
		if (ncap < keep * 2) {
			free(next);
			next = xmalloc(ncap = keep * 2);
		}
		memcpy(next, nl + 1, keep);
		submit(rc, buf, len - keep, cap, file, seq++);
		buf = next;
		cap = ncap;
		len = keep;
	}
	if (buf)
		buf_put(rc, buf, cap);
	if (r < 0) {
		fprintf(stderr, "llmstat: %s: %s\n", input_name(in), err);
		return 1;
	}
	return 0;
}

/* A state file: read whole, merged into the result. */
static int
feed_state(struct rctx *rc, struct input *in)
{
	const struct filter *f = rc->conf->filter;
	size_t cap = 1 << 20, len = 0;
	unsigned char *buf = xmalloc(cap);
	char err[256];
	long r;
	int bad = 0;

	while ((r = input_read(in, (char *)buf + len, cap - len, err, sizeof(err))) > 0)
		if ((len += (size_t)r) == cap)
			buf = xrealloc(buf, cap *= 2);
	if (r < 0 || state_read(buf, len, rc->out, rc->conf->keys,
	    f && f->has_since ? f->since : INT64_MIN, f && f->has_until ? f->until : INT64_MAX,
	    err, sizeof(err)) < 0) {
		fprintf(stderr, "llmstat: %s: %s\n", input_name(in), err);
		bad = 1;
	}
	free(buf);
	return bad;
}

static int feed_path(struct rctx *rc, const char *path);

static int
feed_one(void *rc, const char *path)
{
	return feed_path(rc, path);
}

static int
feed_path(struct rctx *rc, const char *path)
{
	struct stat dst;
	char err[256];
	struct input *in = input_open(path, err, sizeof(err));
	int file, bad = 0;

	if (in == NULL && stat(path, &dst) == 0 && S_ISDIR(dst.st_mode)) {
		int found = 0;

		bad = input_walk(path, feed_one, rc, &found);
		if (found == 0)         /* most likely the wrong directory */
			fprintf(stderr, "llmstat: %s: a directory with no log file "
			    "(*.jsonl, *.ndjson, *.log, also .gz or .zst)\n", path);
		return bad || found == 0;
	}
	if (in == NULL) {
		fprintf(stderr, "llmstat: %s: %s\n", path, err);
		return 1;
	}
	if (input_kind(in) == INPUT_STATE) {
		bad = feed_state(rc, in);
		input_close(in);
		return bad;
	}
	pthread_mutex_lock(&rc->mu);    /* workers read fschema and nofmt */
	xgrow((void **)&rc->names, &rc->names_cap, rc->nnames + 1, sizeof(char *));
	rc->fschema = xrealloc(rc->fschema, rc->names_cap * sizeof(*rc->fschema));
	rc->nofmt = xrealloc(rc->nofmt, rc->names_cap);
	file = (int)rc->nnames;
	rc->fschema[file] = NULL;       /* set by the first chunk; none when empty */
	rc->nofmt[file] = 0;
	rc->names[rc->nnames++] = xstrdup(input_name(in));
	pthread_mutex_unlock(&rc->mu);
	rc->pname = rc->names[file];
	rc->psize = input_kind(in) == INPUT_PLAIN ? input_size(in) : -1;
	rc->pdone = 0;
	bad = feed_stream(rc, in, file);
	input_close(in);
	return bad;
}

static void
worker_init(struct worker *w, struct rctx *rc)
{
	const struct run_conf *c = rc->conf;

	memset(w, 0, sizeof(*w));
	w->id = (int)(w - rc->w);
	w->conf = c;
	w->rc = rc;
	agg_init(&w->agg, c->agg);
	agg_init(&w->prev, c->agg);
	ex_init(&w->ex);
	w->scratch = xmalloc(SCRATCH);
	for (int t = 0; t < AGG_MAX_TABLES; t++)
		w->key[t] = xmalloc(KEYBUF);
	w->errs = xcalloc((size_t)(c->max_messages > 0 ? c->max_messages : 1), sizeof(*w->errs));
	if (rc->nw > 1) {
		w->outb = xcalloc_lines((size_t)rc->nw, sizeof(*w->outb));
		agg_partition(&w->agg, (unsigned)rc->nw, (unsigned)w->id, route, w);
	}
}

static void
worker_free(struct worker *w)
{
	agg_free(&w->agg);
	agg_free(&w->prev);
	ex_free(&w->ex);
	free(w->dkeys);
	free(w->ddup);
	free(w->dfilt);
	free(w->lf);
	free(w->lv);
	free(w->scratch);
	for (int t = 0; t < AGG_MAX_TABLES; t++)
		free(w->key[t]);
	free(w->errs);
	free(w->outb);
}

static int
cmp_err(const void *x, const void *y)
{
	const struct lerr *a = x, *b = y;

	return line_err_before(a, b) ? -1 : line_err_before(b, a);
}

/* Prints the earliest rejected lines with absolute line numbers. */
static void
report_errors(struct rctx *rc, uint64_t rejected)
{
	size_t n = 0, i, j;
	struct lerr *all;
	int k, max = rc->conf->max_messages;

	if (rc->conf->quiet || rejected == 0 || max <= 0)
		return;
	all = xcalloc((size_t)rc->nw * (size_t)max + 1, sizeof(*all));
	for (k = 0; k < rc->nw; k++)
		for (j = 0; j < (size_t)rc->w[k].nerr; j++)
			all[n++] = rc->w[k].errs[j];
	qsort(all, n, sizeof(*all), cmp_err);
	for (i = 0; i < n && i < (size_t)max; i++) {
		uint64_t base = 0;

		for (j = 0; j < rc->ninfo; j++)
			if (rc->info[j].file == all[i].file && rc->info[j].seq < all[i].seq)
				base += rc->info[j].lines;
		if (all[i].col)
			fprintf(stderr, "llmstat: %s:%llu: %s (column %zu)\n", rc->names[all[i].file],
			    (unsigned long long)(base + all[i].line), all[i].msg, all[i].col);
		else
			fprintf(stderr, "llmstat: %s:%llu: %s\n", rc->names[all[i].file],
			    (unsigned long long)(base + all[i].line), all[i].msg);
	}
	if (rejected > (uint64_t)i)
		fprintf(stderr, "llmstat: %llu rejected lines in all (the first %zu shown)\n",
		    (unsigned long long)rejected, i);
	free(all);
}

static void
rctx_free(struct rctx *rc)
{
	size_t i;

	for (i = 0; i < rc->nfree; i++)
		free(rc->freebuf[i]);
	while (rc->spare) {
		struct mblk *b = rc->spare;

		rc->spare = b->next;
		free(b->u);
		free(b);
	}
	free(rc->inbox);
	for (i = 0; i < rc->nnames; i++)
		free((char *)rc->names[i]);
	free(rc->info);
	free(rc->freebuf);
	free(rc->freecap);
	free(rc->names);
	free(rc->fschema);
	free(rc->nofmt);
	free(rc->dfin);
	idset_free(&rc->dset);
	free(rc->queue);
	pthread_mutex_destroy(&rc->mu);
	pthread_cond_destroy(&rc->more);
	pthread_cond_destroy(&rc->room);
	pthread_cond_destroy(&rc->dturn);
	pthread_cond_destroy(&rc->known);
	pthread_cond_destroy(&rc->freed);
}

static void
rctx_init(struct rctx *rc, const struct run_conf *c, int nw)
{
	memset(rc, 0, sizeof(*rc));
	rc->conf = c;
	rc->nw = nw;
	rc->w = xcalloc_lines((size_t)nw, sizeof(*rc->w));
	rc->qcap = HELP_KEEP * (size_t)nw;     /* help's keep and HELP_KEEP more */
	rc->queue = xcalloc(rc->qcap, sizeof(*rc->queue));
	pthread_mutex_init(&rc->mu, NULL);
	pthread_cond_init(&rc->more, NULL);
	pthread_cond_init(&rc->room, NULL);
	pthread_cond_init(&rc->dturn, NULL);
	pthread_cond_init(&rc->known, NULL);
	pthread_cond_init(&rc->freed, NULL);
	rc->freebuf = xcalloc((size_t)nw * 2 + 2, sizeof(*rc->freebuf));
	rc->freecap = xcalloc((size_t)nw * 2 + 2, sizeof(*rc->freecap));
	rc->inbox = xcalloc((size_t)nw, sizeof(*rc->inbox));
}

/* Tells the aggregate which format each input was read as. */
static void
note_inputs(struct rctx *rc, struct agg *out)
{
	const struct run_conf *c = rc->conf;
	size_t i;

	for (i = 0; c->schemas && i < rc->nnames; i++)
		if (rc->fschema[i])
			agg_note_input(out, rc->names[i], rc->fschema[i]->preset->name);
}

static void
start_workers(struct rctx *rc)
{
	int i;

	for (i = 0; i < rc->nw; i++)
		worker_init(&rc->w[i], rc);
	for (i = 1; i < rc->nw; i++)            /* worker 0 is this thread */
		if (pthread_create(&rc->w[i].tid, NULL, worker_main, &rc->w[i]) != 0) {
			fputs("llmstat: cannot start a thread\n", stderr);
			exit(1);
		}
}

static void
stop_workers(struct rctx *rc)
{
	int i;

	if (rc->nw == 1)
		return;
	help(rc, 0);
	pthread_mutex_lock(&rc->mu);
	rc->done = 1;
	pthread_cond_broadcast(&rc->more);
	pthread_mutex_unlock(&rc->mu);
	for (i = 1; i < rc->nw; i++)
		pthread_join(rc->w[i].tid, NULL);
}

int
run_inputs(const struct run_conf *c, char *const *paths, struct agg *out)
{
	static char dash[] = "-";
	static char *const stdin_only[] = { dash, NULL };
	struct rctx rc;
	int bad = 0, i;
	uint64_t rejected = 0;

	rctx_init(&rc, c, c->jobs > 0 ? c->jobs : 1);
	rc.out = out;
	start_workers(&rc);
	if (paths == NULL || paths[0] == NULL)
		paths = stdin_only;
	for (i = 0; paths[i]; i++)
		bad |= feed_path(&rc, paths[i]);
	stop_workers(&rc);
	warn_no_format(&rc);
	for (i = 0; rc.nw > 1 && i < rc.nw; i++)       /* the last hand-overs */
		route_drain(&rc, &rc.w[i]);
	if (c->progress && rc.plast.tv_sec)
		fputs("\r\033[K", stderr);    /* clear the progress line */
	for (i = 0; i < rc.nw; i++)
		rejected += rc.w[i].agg.rejected_lines;
	for (i = 1; i < rc.nw; i++)             /* fold the workers into the first */
		agg_fold(&rc.w[0].agg, &rc.w[i].agg);
	for (i = 0; c->prev && i < rc.nw; i++)
		agg_merge(c->prev, &rc.w[i].prev);
	agg_merge(&rc.w[0].agg, out);           /* states read so far, if any */
	{                                       /* and hand it over whole */
		struct agg t = *out;

		*out = rc.w[0].agg;
		rc.w[0].agg = t;
	}
	note_inputs(&rc, out);
	report_errors(&rc, rejected);
	for (i = 0; i < rc.nw; i++)
		worker_free(&rc.w[i]);
	free(rc.w);
	rctx_free(&rc);
	return bad;
}

int
run_buffer(const struct run_conf *c, const char *buf, size_t len, struct agg *out)
{
	static const char name[] = "(buffer)";
	struct rctx rc;
	struct chunk ch = { .p = buf, .len = len };

	rctx_init(&rc, c, 1);
	rc.names = xcalloc(1, sizeof(*rc.names));
	rc.names[0] = xstrdup(name);
	rc.nnames = 1;
	rc.fschema = xcalloc(1, sizeof(*rc.fschema));
	rc.nofmt = xcalloc(1, 1);
	rc.conf = c;
	worker_init(&rc.w[0], &rc);
	ch.detect = (rc.fschema[0] = fixed_schema(c)) == NULL;
	ch.dseq = 0;
	rc.dcount = 1;
	rc.dfin = xcalloc(1, 1);
	rc.info = xcalloc(1, sizeof(*rc.info));
	rc.ninfo = 1;
	do_chunk(&rc.w[0], &ch);
	warn_no_format(&rc);
	agg_merge(out, &rc.w[0].agg);
	note_inputs(&rc, out);
	worker_free(&rc.w[0]);
	free(rc.w);
	rctx_free(&rc);
	return 0;
}
