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

struct preset;

struct schema {
	struct js_paths *paths; /* every path scanned; owned */
	char *ptext[JS_MAX_PATHS];      /* each path's text, by index; owned */
	int npaths;
	const struct preset *preset;    /* the format's rules (preset.h) */
	int16_t aux[16];        /* paths the preset's own rules read */
	int16_t dedup[4];       /* the dedup key: these paths' values, joined */
	int ndedup;
	int dedup_all;          /* no key unless every part is present */
	int16_t rescan;         /* a path that may hold JSON in a string, or -1 */
	struct js_paths *sub;   /* the paths under it, relative; owned */
	int16_t submap[JS_MAX_PATHS];   /* sub path i -> index in paths */
	int nsub;
	struct { int16_t end, start; uint8_t field, unit; } derive[4];
	int nderive;
	struct schema_cand cand[F_COUNT][SCHEMA_MAX_CAND]; /* first present wins */
	uint8_t ncand[F_COUNT];
	int derived;            /* made by schema_derive: signal names are base's */
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
/* Initialises a schema with no candidates: only paths added later
 * (--score, --flag, --by, --where) and shared by every preset. */
void schema_init_base(struct schema *s);
/* Makes dst a copy of base's paths (same indices) and signals, with no
 * candidates: a preset adds its own. dst owns its copy; the signal names
 * stay base's. */
void schema_derive(struct schema *dst, const struct schema *base);
/* Appends a candidate path for field f, tried after the others. */
void schema_add(struct schema *s, int f, const char *path, int unit);
/* Adds a path to scan; returns its index, or -1 when the set is full. */
int schema_path(struct schema *s, const char *path);
/* Frees what s owns (signal names only when it is not derived). */
void schema_free(struct schema *s);

/* Applies "FIELD=PATH[:unit]": PATH becomes FIELD's only source. Returns 0,
 * or -1 with a message in err for an unknown field, bad path or unit. */
int schema_map(struct schema *s, const char *spec, char *err, size_t errlen);

/* Same, but PATH is added after FIELD's other candidates. */
int schema_map_add(struct schema *s, const char *spec, char *err, size_t errlen);
/* Adds the generic candidates to s. */
void schema_add_generic(struct schema *s);

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

/* A value that counts as given: not absent, not null, not "". */
static inline int
schema_present(const struct js_view *x)
{
	return x->type != JS_NONE && x->type != JS_NULL && !(x->type == JS_STRING && x->n == 0);
}

/* Reads a time: a string (ISO 8601, or digits in unit when unit is set) or
 * an epoch number (unit, or told apart by magnitude). Returns 0 with *us,
 * -1 for an unreadable value, -2 for a JSON kind that cannot be a time. */
int schema_time(const struct js_view *x, int unit, int64_t *us);

/* Decodes a view as a string: a JSON string (unescaped into scratch when
 * needed), or a number's or literal's text. Returns 0, or -1 for objects,
 * arrays and absent/null views. */
int schema_string(const struct js_view *v, struct strv *out, char **scratch,
                  size_t *left);

#endif
