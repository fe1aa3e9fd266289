/* filter.h - which records a report counts: --where conditions (AND) and
 * the --since / --until window. */
#ifndef LLMSTAT_FILTER_H
#define LLMSTAT_FILTER_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonscan.h"
#include "ltime.h"
#include "record.h"
#include "schema.h"

#define FILTER_MAX 32

enum filter_op { FO_EQ, FO_NE, FO_LT, FO_LE, FO_GT, FO_GE, FO_RE };

struct filter_cond {
	int field;              /* enum field, or -1 for a JSON path */
	int path;               /* js_paths index when field < 0 */
	int op;                 /* enum filter_op */
	char *text;             /* the operand as written; owned */
	double num;             /* the operand as a number, when is_num */
	int is_num;
	regex_t re;             /* FO_RE */
};

struct filter {
	struct filter_cond c[FILTER_MAX];
	int n;
	int64_t since, until;   /* us; the window is [since, until) */
	int has_since, has_until;
	int compare;            /* --compare: [prev_since, since) is the previous period */
	int64_t prev_since;
};

/* Adds "FIELD OP VALUE" (OP one of = != < <= > >= ~). FIELD is a canonical
 * field name or a JSON path (added to s). Returns 0, or -1 with err. */
int filter_where(struct filter *f, const char *expr, struct schema *s,
                 char *err, size_t errlen);

/* Parses a --since / --until value into us: a date or date-time (in zone z
 * unless it names its own), "today", "yesterday", "now", or a relative
 * duration back from now ("7d", "24h", "30m", "2w"). now_us is the current
 * time. Returns 0, or -1. */
int filter_time(const char *s, const struct ltime_zone *z, int64_t now_us, int64_t *us);

/* 1 when the record passes every condition and the window; with compare,
 * 2 when it passes the conditions and falls in the previous period; else 0. */
int filter_match(const struct filter *f, const struct record *r,
                 const struct js_view *v);

/* Frees the conditions. */
void filter_free(struct filter *f);

#endif
