/* worker.h - between run.c and line.c, the two files of the run module:
 * a chunk of whole lines, and the worker that turns its lines into
 * records and adds them to its own aggregate. */
#ifndef LLMSTAT_WORKER_H
#define LLMSTAT_WORKER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "extract.h"
#include "ltime.h"
#include "run.h"
#include "util.h"

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
	uint64_t views;         /* its kept views: at w->lv + views; 0 none */
};

struct mblk;
struct rctx;

struct worker {
	_Alignas(CACHE_LINE) const struct run_conf *conf;       /* workers
	                        share no cache line: each writes its own */
	struct agg agg;
	struct agg prev;        /* --compare: the previous period */
	struct ex ex;           /* line -> records */
	uint64_t *dkeys;        /* a chunk's dedup keys, by record */
	uint8_t *ddup;          /* 1: that record repeats an earlier one */
	uint8_t *dfilt;         /* 1: that record is of a kind not used (PR_FILTERED) */
	size_t ndkeys, dkcap, dcap_dup, dfcap, drec;
	struct lfate *lf;       /* the keys pass's view of each line of the chunk */
	size_t nlf, lfcap;
	struct js_view *lv;     /* the views of the chunk's lines the keys pass */
	size_t nlv, lvcap;      /* kept, so that the real pass need not scan them */
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

/* Scans the chunk's lines: the dedup keys pass (keys set: records' keys
 * into w->dkeys, what each line held into w->lf) or the real pass.
 * Returns the number of lines. */
uint64_t line_each(struct worker *w, const struct chunk *ch, int keys);

/* Whether rejected line a comes before b in the input. */
int line_err_before(const struct lerr *a, const struct lerr *b);

#endif
