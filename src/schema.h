/* schema.h - maps JSON paths onto the canonical record: the generic field
 * names recognised without configuration, --map overrides, units, and the
 * type and range checks that decide between a rejected line and an invalid
 * value. */
#ifndef LLMSTAT_SCHEMA_H
#define LLMSTAT_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "jsonscan.h"
#include "record.h"

enum field {
	F_TIME, F_REQUEST, F_USER, F_SESSION, F_MODEL, F_PROVIDER, F_FEATURE,
	F_STATUS, F_ERROR, F_ERROR_TYPE, F_LATENCY, F_TTFT, F_IN, F_OUT,
	F_CACHED, F_CWRITE, F_COST, F_CACHE_HIT, F_RATING, F_SUCCESS, F_REGEN,
	F_PROMPT, F_COUNT
};

enum unit {
	U_DEFAULT = 0,          /* the field's own: ms, tokens, USD, auto time */
	U_NS, U_US, U_MS, U_S,  /* durations, or epoch units for time */
	U_USD, U_NANOUSD        /* money */
};

#define SCHEMA_MAX_CAND 12      /* candidate paths per field */

struct schema_cand {
	int16_t path;           /* index in the js_paths set */
	uint8_t unit;           /* enum unit */
};

struct schema {
	struct js_paths *paths; /* every path scanned; owned */
	struct schema_cand cand[F_COUNT][SCHEMA_MAX_CAND]; /* first present wins */
	uint8_t ncand[F_COUNT];
	int nscores, nflags;    /* --score and --flag signals */
	char *score_name[SIGNALS_MAX], *flag_name[SIGNALS_MAX]; /* owned */
	int16_t score_path[SIGNALS_MAX], flag_path[SIGNALS_MAX];
};

/* The canonical name of a field ("latency"), or NULL past F_COUNT. */
const char *schema_field_name(enum field f);
/* The field called name, or -1. */
int schema_field_by_name(const char *name);

/* Initialises the generic schema (common field names of KPIS.md). */
void schema_init_generic(struct schema *s);
void schema_free(struct schema *s);

/* Applies "FIELD=PATH[:unit]": PATH becomes FIELD's only source. Returns 0,
 * or -1 with a message in err for an unknown field, bad path or unit. */
int schema_map(struct schema *s, const char *spec, char *err, size_t errlen);

/* Adds a quality signal "NAME=PATH": a numeric judge score (kind 's',
 * --score) or a boolean flag (kind 'f', --flag). NAME is letters, digits
 * and '_'. Returns 0, or -1 with err. */
int schema_signal(struct schema *s, int kind, const char *spec, char *err, size_t errlen);

/* Adds an extra path to scan (for --by and --where); returns its index, or -1. */
int schema_extra_path(struct schema *s, const char *path);

/* Fills rec from the views of one scanned line. Decoded strings that need
 * unescaping are written to scratch (cap bytes); others point into the line.
 * Returns 0, or -1 when a field has a JSON type that cannot hold it (the
 * line is then rejected; *why names the field). Values of the right type
 * but out of range (negative latency, 1e999 tokens) are dropped and counted
 * in *invalid. */
int schema_fill(const struct schema *s, const struct js_view *v,
                struct record *rec, char *scratch, size_t cap,
                const char **why, uint64_t *invalid);

/* Decodes a view as a string: a JSON string (unescaped into scratch when
 * needed), or a number's or literal's text. Returns 0, or -1 for objects,
 * arrays and absent/null views. */
int schema_string(const struct js_view *v, struct strv *out, char **scratch,
                  size_t *left);

#endif
