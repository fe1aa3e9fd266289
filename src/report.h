/* report.h - the reports: each is a row in a table that names the group
 * tables it needs, the columns it shows and how its rows are chosen. */
#ifndef LLMSTAT_REPORT_H
#define LLMSTAT_REPORT_H

#include <stdio.h>

#include "agg.h"
#include "bykey.h"
#include "kpis.h"
#include "render.h"
#include "schema.h"

struct report_def;

struct report_opts {
	long top;               /* --top N rows (0: all) */
	const char *user_by;    /* --by, for summary and breakdown reports */
	int ntables;            /* the report's own group tables (the first ones) */
};

/* The report called name, or NULL. */
const struct report_def *report_find(const char *name);
/* Report names and one-line descriptions, for help and completions. */
const char *report_name(int i);         /* NULL past the end */
const char *report_help(int i);

/* Parses the group keys the report needs into keys[] (*n of them). Returns
 * 0, or -1 with err (a bad --by). */
int report_keys(const struct report_def *r, const struct report_opts *o,
                struct bykey keys[AGG_MAX_TABLES], int *n, struct schema *s,
                char *err, size_t errlen);

/* Prints the report from computed metrics and the aggregate. Returns 0, or
 * -1 on a write error. */
int report_print(FILE *f, const struct report_def *r, const struct report_opts *o,
                 const struct kpis *k, struct agg *a, const struct render_conf *rc);

#endif
