/* jsonscan.h - an on-demand JSON scanner: validates one JSON text and
 * extracts only the wanted paths, as zero-copy views into the caller's buffer. */
#ifndef LLMSTAT_JSONSCAN_H
#define LLMSTAT_JSONSCAN_H

#include <stddef.h>
#include <stdint.h>

#define JS_MAX_PATHS 128        /* paths one js_paths set may hold */
#define JS_MAX_DEPTH 512        /* deeper nesting is rejected, never recursed */

enum js_type {
	JS_NONE = 0,            /* the path is absent */
	JS_NULL, JS_FALSE, JS_TRUE, JS_NUMBER, JS_STRING, JS_OBJECT, JS_ARRAY
};

struct js_view {
	const char *p;          /* string: bytes between the quotes, still escaped;
	                           number/true/false/null: the token;
	                           object/array: the whole text, brackets included */
	uint32_t n;             /* length of p in bytes */
	uint8_t type;           /* enum js_type */
	uint8_t escaped;        /* string holds at least one backslash */
};

struct js_err {
	const char *msg;        /* static text, e.g. "expected ':' after object key" */
	size_t pos;             /* byte offset of the fault in the text */
};

/* A compiled set of dot paths ("usage.prompt_tokens"). A segment made of
 * digits also matches that index of an array ("choices.0.message").
 * A key holding a dot is written with a backslash ("a\.b"). */
struct js_paths;

/* Returns a new empty set; dies on out of memory. */
struct js_paths *js_paths_new(void);
/* Adds a path; returns its index (an existing equal path returns its old
 * index), or -1 if the path is empty, malformed or the set is full. */
int js_paths_add(struct js_paths *ps, const char *dotpath);
/* Number of paths in the set. */
int js_paths_count(const struct js_paths *ps);
void js_paths_free(struct js_paths *ps);

/* Scans the JSON text [p, p+n) (surrounding whitespace allowed), validating
 * it against RFC 8259: structure, string escapes, no raw control characters
 * in strings, number grammar, no trailing bytes. NaN and Infinity are
 * invalid. Nesting deeper than JS_MAX_DEPTH is an error. UTF-8 inside strings
 * is not checked here (see js_unescape). out must hold js_paths_count(ps)
 * views: out[i] receives path i's value, or type JS_NONE when absent; when a
 * key repeats, the last occurrence wins.
 * Returns 0 on success, -1 on invalid JSON with *err filled. Can't fail otherwise;
 * allocates nothing. */
int js_scan(const struct js_paths *ps, const char *p, size_t n,
            struct js_view *out, struct js_err *err);

/* Decodes a JS_STRING view into buf (at most cap bytes, no NUL added):
 * escapes, \uXXXX and surrogate pairs become UTF-8; invalid UTF-8 bytes and
 * lone surrogates become U+FFFD. For a non-string view, copies its raw text.
 * Returns the decoded length, or -1 if it does not fit in cap. */
long js_unescape(const struct js_view *v, char *buf, size_t cap);

/* Reads a number from a JS_NUMBER view, or from a JS_STRING view whose whole
 * content is a JSON number ("812", " 1.5e3" not allowed: no spaces).
 * Returns 0 and sets *out; -1 if the view holds no number. A value that
 * overflows a double gives +-HUGE_VAL and returns 0 (callers range-check). */
int js_number(const struct js_view *v, double *out);

/* Reads an integer: a JS_NUMBER or numeric JS_STRING that is integral and
 * fits in int64 (1e3 and 12.0 count as integral). Returns 0 or -1. */
int js_int64(const struct js_view *v, int64_t *out);

/* Truthiness for flags: true, non-zero numbers, and the strings "true",
 * "yes", "1", "y" (any case) are 1; false, null, 0, "", "false", "no", "0",
 * "none", "n" are 0. Returns 1, 0, or -1 when the view is absent or not a
 * recognisable boolean (objects and other strings: -1). */
int js_bool(const struct js_view *v);

/* Iterates the elements of a JS_ARRAY view that js_scan produced (so
 * already valid). *pos starts at 0. Returns 1 with *elem set, 0 at the end. */
int js_array_next(const struct js_view *arr, size_t *pos, struct js_view *elem);

/* Iterates the members of a JS_OBJECT view: key (a JS_STRING view) and value.
 * *pos starts at 0. Returns 1 per member, 0 at the end. */
int js_object_next(const struct js_view *obj, size_t *pos,
                   struct js_view *key, struct js_view *val);

/* Compares a JS_STRING view's decoded content with s. Returns 1 if equal. */
int js_streq(const struct js_view *v, const char *s);

#endif
