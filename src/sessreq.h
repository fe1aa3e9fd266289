/* sessreq.h - what session.c (the tables) and sessreq.c (their requests
 * in order) share. Not for other modules. */
#ifndef LLMSTAT_SESSREQ_H
#define LLMSTAT_SESSREQ_H

#include "agg.h"

#define AHEAD 8         /* slots or chains looked ahead */

/* Writes t's requests in memory out as one sorted run and empties every
 * chain; when no temporary file can be had they stay (and grow) there. */
void sessreq_spill(struct sesstab *t);
/* Adds the requests of spilled runs s (whose sessions a holds, split
 * among its parts) to a's parts one by one. */
void sessreq_merge_runs(struct agg *a, const struct rqspill *s);

#endif
