/* extract.h - one input line to its records: scans the line with the
 * file's schema, re-reads fields that hold JSON in a string, walks OTLP's
 * many spans a line, works out durations from pairs of times, applies the
 * preset's rules and gives each record its dedup key. Allocates nothing
 * per line (buffers grow to the largest line seen). */
#ifndef LLMSTAT_EXTRACT_H
#define LLMSTAT_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "jsonscan.h"
#include "record.h"
#include "schema.h"

#define EX_END (-1)

struct ex {
	struct js_view *views;  /* JS_MAX_PATHS: the current record's fields */
	struct js_view *subv;   /* the rescanned field's paths */
	char *rbuf;             /* the rescanned field, unescaped */
	size_t rcap;
	struct js_paths *otel[4];       /* OTLP levels: root, resource, scope, key/value */
	struct js_view rspans, scopes, spans, rattrs;
	size_t rs_pos, ss_pos, sp_pos;
	int done;               /* single-record line: its record was given */
	int multi;
};

void ex_init(struct ex *x);
void ex_free(struct ex *x);

/* Starts a line. Returns 0, or -1 when it is not valid JSON (je says where). */
int ex_begin(struct ex *x, const struct schema *s, const char *p, size_t n, struct js_err *je);

/* Whether a line's views can be kept after ex_begin and given back by
 * ex_resume: schemas of one record a line whose fields are all read by the
 * one scan (no OTLP spans, no field rescanned from a string). */
int ex_resumable(const struct schema *s);
/* How many views (x->views) a line of schema s has. */
size_t ex_nviews(const struct schema *s);
/* Starts a line again from views kept after its ex_begin: the same
 * records follow, without scanning the line a second time. */
void ex_resume(struct ex *x, const struct schema *s, const struct js_view *v);

/* The line's next record: fills rec (strings may point into the line or
 * scratch) and *key (its dedup key, 0 for none). Returns a PR_* kind of
 * preset.h (PR_REJECT with *why), or EX_END. */
int ex_next(struct ex *x, const struct schema *s, struct record *rec, char *scratch,
            size_t cap, const char **why, uint64_t *invalid, uint64_t *key);

#endif
