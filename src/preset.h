/* preset.h - the log formats llmstat reads without configuration: each
 * preset maps one format onto the canonical record (field paths, units,
 * which records are requests, the dedup key, the format's quirks), and
 * preset_detect tells them apart from a file's first lines. */
#ifndef LLMSTAT_PRESET_H
#define LLMSTAT_PRESET_H

#include <stddef.h>

#include "jsonscan.h"
#include "record.h"
#include "schema.h"

enum preset_id {
	P_GENERIC, P_OPENAI, P_ANTHROPIC, P_HELICONE, P_LITELLM, P_POSTHOG,
	P_OTEL, P_LANGFUSE, P_CLAUDE_CODE, P_COUNT
};

/* What a record is, after the preset's rules. */
enum {
	PR_REQUEST,             /* an LLM request */
	PR_FILTERED,            /* another kind of event: counted, not used */
	PR_FEEDBACK,            /* a rating to join to its request (PostHog) */
	PR_REJECT               /* malformed for this format: *why says why */
};

/* A duration worked out from two times of the record (LiteLLM, Langfuse,
 * OTLP): used first; the field's own candidates are the fallback. */
struct derive {
	int field;              /* F_LATENCY or F_TTFT */
	const char *end, *start;
	int unit;               /* of numeric-string times; U_DEFAULT: auto */
};

struct preset {
	const char *name;
	const char *about;      /* one line for --help and the man page */
	const char *const *cands;       /* "field=path[:unit]", in order; NULL: generic */
	const char *const *aux;         /* paths the rules read (schema.aux) */
	const char *const *dedup;       /* key paths, joined */
	int dedup_all;          /* 1: no key unless every part is present */
	const char *rescan;     /* a field that may hold JSON in a string */
	const struct derive *derive;    /* terminated by field -1; may be NULL */
	int multi;              /* many records a line (OTLP spans) */
	/* The format's rules, run after the fields are read: may change rec
	 * (scratch holds new strings) and say what the record is. */
	int (*rule)(const struct schema *s, const struct js_view *v,
	            struct record *rec, char **scratch, size_t *left,
	            const char **why);
};

extern const struct preset preset_table[P_COUNT];

/* The preset called name, or -1. */
int preset_by_name(const char *name);

/* Builds the schema of preset id over base (its shared paths), then applies
 * --map specs and --dedup. Returns 0, or -1 with err. */
int preset_schema(struct schema *dst, const struct schema *base, int id,
                  char *const *maps, int nmaps, const char *dedup,
                  char *err, size_t errlen);

/* Tells the format of a file from its first bytes (whole lines of
 * [p, p+n)). Returns a preset id, or -1 when no format fits. */
int preset_detect(const char *p, size_t n);

/* Adds prompt-cache reads and writes to input tokens (sources that count
 * them apart, as Anthropic does). */
void preset_add_cache(struct record *r);

#endif
