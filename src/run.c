/* run.c - the data path from bytes to aggregate: chunking, worker threads,
 * per-line scan -> record -> price -> aggregate, and error reports. */
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
#include "preset.h"
#include "state.h"
#include "jsonscan.h"
#include "util.h"

#define CHUNK (1u << 20)        /* bytes of whole lines handed to a worker */
#define SCRATCH (1u << 16)      /* decoded strings of one line */
#define KEYBUF 4096             /* one --by key text */

struct chunk {
	const char *p;          /* whole lines; the last may lack its '\n' */
	size_t len;
	char *own;              /* pool buffer to give back after use, or NULL */
	size_t owncap;
	int file;               /* index into rctx.names */
	const struct schema *schema;    /* the file's format */
	int64_t dseq;           /* its turn to commit dedup keys: chunks in input order */
	int detect;             /* the first chunk of a file whose format it tells */
	uint32_t seq;           /* chunk number within its file */
	size_t idx;             /* its entry in rctx.info */
};

struct cinfo {                  /* what a chunk leaves behind: for line numbers */
	int file;
	uint32_t seq;
	uint64_t lines;
};

struct lerr {                   /* a rejected line, for the report */
	int file;
	uint32_t seq;
	uint64_t line;          /* within its chunk, 1-based */
	const char *msg;        /* static */
	size_t col;             /* 1-based byte column, 0 when none */
};

#define PCACHE 16               /* models whose price a worker remembers */

struct pcache {                 /* a model name (when it fits) and its price */
	char name[48];
	size_t n;               /* 0: empty */
	const struct price *price;      /* NULL: not in the table */
};

/* What the dedup keys pass saw of a line: the real pass need not scan a
 * line again when all its records are duplicates or unused kinds. */
struct lfate {
	uint32_t nrec;          /* its records; UINT32_MAX: not scanned to the end */
	uint32_t invalid;       /* invalid values met in them */
};

struct mblk {                   /* session updates bound for one worker */
	struct mblk *next;
	struct sess_upd *u;
	size_t n, cap;
};

struct worker {
	const struct run_conf *conf;
	struct agg agg;
	struct agg prev;        /* --compare: the previous period */
	struct ex ex;           /* line -> records */
	uint64_t *dkeys;        /* a chunk's dedup keys, by record */
	uint8_t *ddup;          /* 1: that record repeats an earlier one */
	uint8_t *dfilt;         /* 1: that record is of a kind not used (PR_FILTERED) */
	size_t ndkeys, dkcap, dcap_dup, dfcap, drec;
	struct lfate *lf;       /* the keys pass's view of each line of the chunk */
	size_t nlf, lfcap;
	char *scratch, *key[AGG_MAX_TABLES];
	size_t klen[AGG_MAX_TABLES];
	struct lerr *errs;      /* the earliest max_messages rejected lines */
	int nerr;
	struct ltime_cache tzc;
	struct pcache pc[PCACHE];       /* models priced lately, by a cheap index */
	pthread_t tid;
	struct rctx *rc;
	int id;
	struct mblk **outb;     /* per worker: updates for its sessions, or NULL */
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

static int
err_before(const struct lerr *a, const struct lerr *b)
{
	if (a->file != b->file)
		return a->file < b->file;
	if (a->seq != b->seq)
		return a->seq < b->seq;
	return a->line < b->line;
}

/* Keeps the earliest rejected lines: replaces the latest when full. */
static void
note_error(struct worker *w, const struct chunk *ch, uint64_t line, const char *msg, size_t col)
{
	struct lerr e = { ch->file, ch->seq, line, msg, col };
	int i, last = 0;

	w->agg.rejected_lines++;
	if (w->conf->max_messages <= 0)
		return;
	if (w->nerr < w->conf->max_messages) {
		w->errs[w->nerr++] = e;
		return;
	}
	for (i = 1; i < w->nerr; i++)
		if (err_before(&w->errs[last], &w->errs[i]))
			last = i;
	if (err_before(&e, &w->errs[last]))
		w->errs[last] = e;
}

static int
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* prices_find normalises the name (a few hundred instructions); logs
 * repeat a handful of models, so each worker keeps the last ones found in
 * a small table indexed by length and end bytes. */
static const struct price *
price_of(struct worker *w, const char *m, size_t n)
{
	struct pcache *c;

	if (n == 0)
		return prices_find(w->conf->prices, m, n);
	c = &w->pc[(n * 7 + (unsigned char)m[0] + (unsigned char)m[n - 1] * 3) % PCACHE];
	if (c->n == n && memcmp(c->name, m, n) == 0)
		return c->price;
	c->price = prices_find(w->conf->prices, m, n);
	c->n = n < sizeof(c->name) ? n : 0;
	memcpy(c->name, m, c->n);
	return c->price;
}

static void
price(struct worker *w, struct record *r)
{
	const struct price *pr;

	if (!w->conf->use_log_cost)
		r->has &= ~(uint32_t)R_COST;
	if (w->conf->prices == NULL || r->model.p == NULL)
		return;
	pr = price_of(w, r->model.p, r->model.n);
	if (pr == NULL)
		return;
	r->list_pico = price_cost_pico(pr, r);
	if (r->batch)
		r->list_pico /= 2;      /* batch APIs bill half the list price */
	r->has |= R_LIST;
	if (!(r->has & R_COST)) {
		r->cost_pico = r->list_pico;
		r->has |= R_COST;
	}
}

/* One accepted record: priced, filtered, aggregated. */
static void
use_record(struct worker *w, struct record *rec, int kind)
{
	const struct run_conf *c = w->conf;
	int t;

	if (kind == PR_FEEDBACK) {
		w->agg.feedback_records++;
		for (t = 0; t < c->agg->ntables; t++)
			w->klen[t] = bykey_build(c->by[t], rec, w->ex.views, c->agg->tz, &w->tzc, w->key[t], KEYBUF);
		agg_add_feedback(&w->agg, rec, w->key, w->klen);
		return;
	}
	price(w, rec);
	if (c->filter && (t = filter_match(c->filter, rec, w->ex.views)) != 1) {
		w->agg.filtered_records++;
		if (t == 2 && c->prev)
			agg_add(&w->prev, rec, NULL, NULL);
		return;
	}
	for (t = 0; t < c->agg->ntables; t++)
		w->klen[t] = bykey_build(c->by[t], rec, w->ex.views, c->agg->tz, &w->tzc, w->key[t], KEYBUF);
	agg_add(&w->agg, rec, w->key, w->klen);
}

static void
line_counts(struct worker *w, int nrec)
{
	if (nrec == 0)
		w->agg.filtered_records++;      /* an OTLP line without spans */
	else
		w->agg.extra_records += (uint64_t)nrec - 1;
}

/* Dedup phase 1 (keys only) when keys is set; else the real pass. */
static void
line_records(struct worker *w, const struct chunk *ch, uint64_t ln, int keys)
{
	const struct schema *s = ch->schema;
	struct record rec;
	const char *why = "";
	uint64_t key, junk = 0, *inv = keys ? &junk : &w->agg.invalid_values;
	int kind, nrec = 0;

	while ((kind = ex_next(&w->ex, s, &rec, w->scratch, SCRATCH, &why, inv, &key)) != EX_END) {
		nrec++;
		if (keys) {
			xgrow((void **)&w->dkeys, &w->dkcap, w->ndkeys + 1, sizeof(*w->dkeys));
			xgrow((void **)&w->dfilt, &w->dfcap, w->ndkeys + 1, 1);
			w->dfilt[w->ndkeys] = kind == PR_FILTERED;
			w->dkeys[w->ndkeys++] = kind == PR_REQUEST || kind == PR_FEEDBACK ? key : 0;
			continue;
		}
		if (s->ndedup && w->ddup[w->drec++]) {
			w->agg.duplicate_records++;
			continue;
		}
		if (kind == PR_REJECT)
			note_error(w, ch, ln, why, 0);
		else if (kind == PR_FILTERED)
			w->agg.filtered_records++;
		else
			use_record(w, &rec, kind);
	}
	if (keys) {
		w->lf[ln - 1].nrec = (uint32_t)nrec;
		w->lf[ln - 1].invalid = (uint32_t)junk;
		return;
	}
	line_counts(w, nrec);
}

static void
do_line(struct worker *w, const char *p, size_t n, const struct chunk *ch, uint64_t ln, int keys)
{
	struct js_err je;
	size_t i = 0;

	if (!keys)
		w->agg.lines_read++;
	else {
		xgrow((void **)&w->lf, &w->lfcap, ln, sizeof(*w->lf));
		w->lf[ln - 1].nrec = UINT32_MAX;
		w->nlf = ln;
	}
	if (n && p[n - 1] == '\r')
		n--;
	if (ch->seq == 0 && ln == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;         /* a UTF-8 byte order mark */
		n -= 3;
	}
	if (is_blank(p, n)) {
		w->agg.blank_lines += !keys;
		return;
	}
	while (p[i] == ' ' || p[i] == '\t')
		i++;
	if (p[i] != '{') {
		if (!keys)
			note_error(w, ch, ln, "not a JSON object", i + 1);
		return;
	}
	if (ex_begin(&w->ex, ch->schema, p, n, &je) < 0) {
		if (!keys)
			note_error(w, ch, ln, je.msg, je.pos + 1);
		return;
	}
	line_records(w, ch, ln, keys);
}

/* In the real pass after a keys pass: a line whose records are all
 * duplicates or unused kinds is counted from what the keys pass saw, not
 * scanned again (Claude Code logs: half their lines). Returns 1 if so. */
static int
line_known(struct worker *w, uint64_t ln)
{
	const struct lfate *f;
	uint32_t j;

	if (ln > w->nlf || (f = &w->lf[ln - 1])->nrec == UINT32_MAX)
		return 0;
	for (j = 0; j < f->nrec; j++)
		if (!w->ddup[w->drec + j] && !w->dfilt[w->drec + j])
			return 0;
	for (j = 0; j < f->nrec; j++) {
		if (w->ddup[w->drec + j])
			w->agg.duplicate_records++;
		else
			w->agg.filtered_records++;
	}
	w->drec += f->nrec;
	w->agg.lines_read++;
	w->agg.invalid_values += f->invalid;
	line_counts(w, (int)f->nrec);
	return 1;
}

static uint64_t
each_line(struct worker *w, const struct chunk *ch, int keys)
{
	const char *p = ch->p, *end = ch->p + ch->len, *nl;
	uint64_t ln = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!keys && ch->schema->ndedup && line_known(w, ln + 1)) {
			ln++;
			p = nl ? nl + 1 : end;
			continue;
		}
		do_line(w, p, (size_t)((nl ? nl : end) - p), ch, ++ln, keys);
		p = nl ? nl + 1 : end;
	}
	return ln;
}

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
	each_line(w, ch, 1);
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
	if (*p == NULL)
		*p = xmalloc(*cap = CHUNK);
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

static void
warn_no_format(const struct rctx *rc, int file)
{
	if (!rc->conf->quiet)
		fprintf(stderr, "llmstat: %s: no known log format in the first lines; "
		    "read as generic (see --schema)\n", rc->names[file]);
}

/* The file's schema, for run_buffer (one thread, one chunk). */
static void
choose_schema(struct rctx *rc, int file, const char *p, size_t n)
{
	int none = 0;

	rc->fschema[file] = fixed_schema(rc->conf);
	if (rc->fschema[file] == NULL)
		rc->fschema[file] = detect(rc->conf, p, n, &none);
	if (none)
		warn_no_format(rc, file);
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
			b = xcalloc(1, sizeof(*b));
		b->n = 0;
		w->outb[part] = b;
	}
	xgrow((void **)&b->u, &b->cap, b->n + 1, sizeof(*b->u));
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

/* Applies the updates handed to worker w (called by w, or at the end). */
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
		for (size_t i = 0; i < next->n; i++)
			agg_apply_sess(&w->agg, &next->u[i]);
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
	lines = each_line(w, ch, 0);
	if (w->outb) {
		route_flush(w);
		route_drain(w->rc, w);
	}
	chunk_done(w->rc, ch, lines);
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
		ch = rc->queue[rc->qhead];
		rc->qhead = (rc->qhead + 1) % rc->qcap;
		rc->qlen--;
		pthread_cond_signal(&rc->room);
		pthread_mutex_unlock(&rc->mu);
		do_chunk(w, ch);
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
		w->outb = xcalloc((size_t)rc->nw, sizeof(*w->outb));
		w->agg.route.part = w->id;
		w->agg.route.nparts = rc->nw;
		w->agg.route.fn = route;
		w->agg.route.ctx = w;
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

	return err_before(a, b) ? -1 : err_before(b, a);
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
	rc->w = xcalloc((size_t)nw, sizeof(*rc->w));
	rc->qcap = (size_t)nw;
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
	if (rc->nw == 1)
		return;
	for (i = 0; i < rc->nw; i++)
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
	pthread_mutex_lock(&rc->mu);
	rc->done = 1;
	pthread_cond_broadcast(&rc->more);
	pthread_mutex_unlock(&rc->mu);
	for (i = 0; i < rc->nw; i++)
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
	for (size_t f = 0; f < rc.nnames; f++)
		if (rc.nofmt[f])
			warn_no_format(&rc, (int)f);
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
	rc.conf = c;
	worker_init(&rc.w[0], &rc);
	choose_schema(&rc, 0, buf, len);
	ch.dseq = 0;
	rc.dcount = 1;
	rc.dfin = xcalloc(1, 1);
	rc.info = xcalloc(1, sizeof(*rc.info));
	rc.ninfo = 1;
	do_chunk(&rc.w[0], &ch);
	agg_merge(out, &rc.w[0].agg);
	note_inputs(&rc, out);
	worker_free(&rc.w[0]);
	free(rc.w);
	rctx_free(&rc);
	return 0;
}
