/* state.h - the aggregate state as a file: a versioned, portable binary
 * form (little endian, magic, version, settings, checksum) that merges
 * exactly, so states of shards or days combine into one report. */
#ifndef LLMSTAT_STATE_H
#define LLMSTAT_STATE_H

#include <stddef.h>
#include <stdio.h>

#include "agg.h"

#define STATE_VERSION 3        /* 2: sessions without id text; 3: feedback and extra records */

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
