/* run.h - reads the inputs and aggregates them: files or stdin are cut into
 * chunks of whole lines, scanned by worker threads into private aggregates,
 * and merged; every line is counted once, bad lines are reported by file
 * and line. */
#ifndef LLMSTAT_RUN_H
#define LLMSTAT_RUN_H

#include <stdint.h>

#include "agg.h"
#include "bykey.h"
#include "prices.h"
#include "filter.h"
#include "schema.h"

struct run_conf {
	const struct schema *schema;    /* every input's schema, when schemas is NULL */
	const struct schema *schemas;   /* one per preset (P_COUNT), or NULL */
	int schema_id;                  /* with schemas: the preset asked for, -1 auto */
	const struct agg_conf *agg;
	const struct bykey *const *by;  /* agg->ntables key specs, one per group table */
	const struct prices *prices;    /* NULL: no price table */
	const struct filter *filter;    /* NULL: keep every record */
	struct agg *prev;               /* --compare: the previous period's result, or NULL */
	int use_log_cost;               /* 0: ignore the log's cost (--no-log-cost) */
	int jobs;                       /* worker threads, >= 1 */
	int max_messages;               /* rejected lines reported on stderr */
	int quiet;                      /* -q: no warnings */
	int progress;                   /* a progress line on stderr for big inputs */
	const char *keys[AGG_MAX_TABLES];       /* table key specs, for state files */
};

/* Reads every path (NULL-terminated list; "-" is stdin; an empty list reads
 * stdin) into out, which must be initialised. Messages go to stderr as
 * "llmstat: FILE:LINE: reason". Returns 0, or 1 when an input could not be
 * opened or read (the others are still read). */
int run_inputs(const struct run_conf *c, char *const *paths, struct agg *out);

/* Processes one in-memory buffer of lines into out on the calling thread,
 * without messages (for tests and fuzzing). Returns 0. */
int run_buffer(const struct run_conf *c, const char *buf, size_t len, struct agg *out);

#endif
