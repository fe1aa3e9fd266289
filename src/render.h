/* render.h - prints computed metrics as a terminal table, CSV (RFC 4180)
 * or JSON. Renderers format; they never compute. */
#ifndef LLMSTAT_RENDER_H
#define LLMSTAT_RENDER_H

#include <stdio.h>

#include "kpis.h"
#include "ltime.h"

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

struct render_conf {
	int format;             /* enum format */
	int color;              /* ANSI colour in tables */
	int width;              /* terminal columns for tables */
	int csv_guard;          /* prefix formula-like CSV cells with ' */
	const char *title;      /* table heading, e.g. "llmstat summary" */
	const char *const *files;       /* input names for the table footer, or NULL */
	const struct ltime_zone *tz;    /* zone for times (NULL: UTC) */
	const struct kpis *prev;        /* --compare: the previous period, or NULL */
};

/* Prints the summary and data quality. Returns 0, or -1 on a write error. */
int render_summary(FILE *f, const struct kpis *k, const struct render_conf *rc);

/* Prints --by rows: the key columns, then the metrics named in cols
 * (NULL-terminated; NULL for every metric of the rows). by is the key list
 * for JSON's "by". Returns 0, or -1 on a write error. */
int render_groups(FILE *f, const struct kpis *k, const struct ktable *t,
                  const char *const *cols, const struct render_conf *rc);

/* One table of a report: rows, the metric columns to show (NULL: all in
 * CSV and JSON, a default set in tables), and a heading. */
struct rview {
	const struct ktable *t;
	const char *const *cols;
	const char *title;
	int chart;              /* draw cost and request sparklines (tables) */
};

/* Prints a report made of n tables. One table prints as the --by contract
 * ({"llmstat":1,"by":...,"groups":...,"quality":...}); several print as
 * {"llmstat":1,"report":NAME,"tables":[{"title","by","groups"}...],"quality"}
 * in JSON, and as CSV blocks separated by an empty line.
 * Returns 0, or -1 on a write error. */
int render_report(FILE *f, const struct kpis *k, const char *name,
                  const struct rview *v, int n, const struct render_conf *rc);

/* Draws a sparkline of n values after a label (UTF-8 block characters). */
void render_spark(FILE *f, const char *label, const double *v, size_t n, int width);

/* Writes s (n bytes) as a JSON string with quotes; invalid UTF-8 becomes
 * U+FFFD, control characters are escaped. */
void render_json_str(FILE *f, const char *s, size_t n);
/* Writes a double in the shortest form that reads back the same. */
void render_num(FILE *f, double d);
/* Writes s for a terminal: control characters and escapes shown as \xNN. */
void render_safe(FILE *f, const char *s);

#endif
