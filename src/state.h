/* state.h - the aggregate state as a file: a versioned, portable binary
 * form (little endian, magic, version, settings, checksum) that merges
 * exactly, so states of shards or days combine into one report. */
#ifndef LLMSTAT_STATE_H
#define LLMSTAT_STATE_H

#include <stddef.h>
#include <stdio.h>

#include "agg.h"

#define STATE_VERSION 3        /* 2: sessions without id text; 3: feedback and extra records */

/* Between the writer (statewrite.c) and the reader (state.c): the seed of
 * the closing checksum, and the fields of struct counts in file order. */
#define STATE_SUM_SEED 0x57a7e
#define COUNTS_U64(X) X(requests) X(errors) X(s4xx) X(s5xx) X(rate_limited) \
	X(timeouts) X(cache_hits) X(priced) X(unpriced) X(in_tok) X(out_tok) \
	X(cached_tok) X(cwrite_tok) X(tok_n) X(lat_n) X(ttft_n) X(ok_out_n) \
	X(ok_out_tok) X(fb_n) X(regen_flagged) X(has_regen) X(has_success) \
	X(with_session) X(timed)
#define COUNTS_I64(X) X(lat_sum) X(lat_max) X(ttft_sum) X(fb_milli) \
	X(first_us) X(last_us)

/* Writes a's state to f. keys[t] names table t's --by keys (for the
 * settings check). Returns 0, or -1 on a write error. */
int state_write(FILE *f, const struct agg *a, const char *const keys[AGG_MAX_TABLES]);

/* Reads the states in n bytes (one, or several written one after another)
 * and merges them into a. The state's settings
 * (sketch accuracy, --requery-window, --tz, report tables) must equal a's;
 * otherwise, or when the data is truncated or corrupt, returns -1 with a
 * message in err naming what differs, and a is unchanged. A state is taken
 * whole: when its time span lies outside [lo, hi) it is skipped (returns 1);
 * when it crosses lo or hi it is refused (-1). Returns 0 when merged. */
int state_read(const unsigned char *p, size_t n, struct agg *a,
               const char *const keys[AGG_MAX_TABLES], int64_t lo, int64_t hi,
               char *err, size_t errlen);

#endif
