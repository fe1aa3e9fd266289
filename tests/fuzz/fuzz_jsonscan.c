/* fuzz_jsonscan.c - libFuzzer harness for src/jsonscan.c.
 *
 * The input is one JSON text. It is scanned with a fixed set of paths, then
 * every view found goes through js_unescape, js_streq, js_number, js_int64
 * and js_bool, and every object or array view is walked with
 * js_object_next / js_array_next. Properties checked (each one follows from
 * jsonscan.h, so a failure is a bug):
 *   - validity does not depend on the paths asked for;
 *   - a decoded string is valid UTF-8 and at most 3 bytes per input byte;
 *     js_unescape fails exactly when cap is too small; js_streq agrees;
 *   - js_number is correctly rounded (equals strtod on the same token);
 *     js_int64, when it succeeds, gives the same value;
 *   - every element or member of a valid container is valid JSON and lies
 *     inside the container. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonscan.h"

static const char *const fuzz_paths[] = {
	"model", "user", "timestamp", "latency_ms", "cost", "prompt",
	"usage.prompt_tokens", "usage.completion_tokens", "metadata.user_id",
	"error.type", "a", "a.b", "a.b.c", "a.0", "a.1.b", "0", "items.2.x",
	"choices.0.message.content", "x\\.y", "deep.a.b.c.d.e.f", "k\\\\",
	"\xc3\xa9t\xc3\xa9", "a.b.c.d",
};
#define NPATHS (sizeof(fuzz_paths) / sizeof(fuzz_paths[0]))

static struct js_paths *ps, *none;
static int idx[NPATHS];

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_jsonscan: property failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	ps = js_paths_new();
	none = js_paths_new();
	for (i = 0; i < NPATHS; i++) {
		idx[i] = js_paths_add(ps, fuzz_paths[i]);
		CHECK(idx[i] >= 0);
		CHECK(js_paths_add(ps, fuzz_paths[i]) == idx[i]);   /* same path, same index */
	}
	/* malformed paths are refused */
	CHECK(js_paths_add(ps, "") < 0);
	CHECK(js_paths_add(ps, "a..b") < 0);
	CHECK(js_paths_add(ps, ".a") < 0);
	CHECK(js_paths_add(ps, "a\\q") < 0);
	CHECK(js_paths_count(none) == 0);
	return 0;
}

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing past U+10FFFF. */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			if (c == 0xF4)
				hi = 0x8F;
		} else
			return 0;
		if (n - i <= need)
			return 0;
		for (size_t k = 1; k <= need; k++) {
			unsigned d = s[i + k];

			if (d < lo || d > hi)
				return 0;
			lo = 0x80;
			hi = 0xBF;
		}
		i += need + 1;
	}
	return 1;
}

/* The whole JSON text of a view (strings get their quotes back). */
static void
view_text(const struct js_view *v, const char **p, size_t *n)
{
	if (v->type == JS_STRING) {
		*p = v->p - 1;
		*n = (size_t)v->n + 2;
	} else {
		*p = v->p;
		*n = v->n;
	}
}

static void check_value(const struct js_view *v, int depth);

static void
check_string(const struct js_view *v)
{
	size_t cap = (size_t)v->n * 3 + 4;
	char *buf = malloc(cap + 1), *small;
	long k, k2;

	CHECK(buf != NULL);
	k = js_unescape(v, buf, cap);
	CHECK(k >= 0);
	CHECK((size_t)k <= (size_t)v->n * 3);
	CHECK(utf8_ok((const unsigned char *)buf, (size_t)k));
	buf[k] = '\0';
	if (memchr(buf, '\0', (size_t)k) == NULL)
		CHECK(js_streq(v, buf) == 1);
	/* exactly k bytes fit; one fewer does not */
	small = malloc((size_t)k + 1);
	CHECK(small != NULL);
	k2 = js_unescape(v, small, (size_t)k);
	CHECK(k2 == k && memcmp(small, buf, (size_t)k) == 0);
	if (k > 0)
		CHECK(js_unescape(v, small, (size_t)k - 1) == -1);
	free(small);
	free(buf);
}

static void
check_number(const struct js_view *v)
{
	double d, ref;
	int64_t i;
	int rn = js_number(v, &d), ri = js_int64(v, &i);
	char *tok;

	if (v->type == JS_NUMBER) {
		CHECK(rn == 0);         /* a token js_scan accepted is a number */
		tok = malloc((size_t)v->n + 1);
		CHECK(tok != NULL);
		memcpy(tok, v->p, v->n);
		tok[v->n] = '\0';
		ref = strtod(tok, NULL);
		if (!(d == ref || (d != d && ref != ref))) {
			fprintf(stderr, "js_number(%s) = %.17g, strtod says %.17g\n", tok, d, ref);
			abort();
		}
		free(tok);
	}
	if (ri == 0) {
		CHECK(rn == 0);
		CHECK(d == (double)i);
	}
	(void)js_bool(v);
}

static void
check_container(const struct js_view *v, int depth)
{
	struct js_view a, b;
	struct js_err e;
	size_t pos = 0, last = 0;
	int count = 0;
	const char *tp;
	size_t tn;

	if (v->type == JS_ARRAY) {
		while (count < 4096 && js_array_next(v, &pos, &a)) {
			CHECK(pos > last && pos <= v->n);
			last = pos;
			view_text(&a, &tp, &tn);
			CHECK(tp >= v->p && tp + tn <= v->p + v->n);
			CHECK(js_scan(none, tp, tn, NULL, &e) == 0);
			check_value(&a, depth + 1);
			count++;
		}
	} else {
		while (count < 4096 && js_object_next(v, &pos, &a, &b)) {
			CHECK(pos > last && pos <= v->n);
			last = pos;
			CHECK(a.type == JS_STRING);
			view_text(&a, &tp, &tn);
			CHECK(tp >= v->p && tp + tn <= v->p + v->n);
			CHECK(js_scan(none, tp, tn, NULL, &e) == 0);
			view_text(&b, &tp, &tn);
			CHECK(tp >= v->p && tp + tn <= v->p + v->n);
			CHECK(js_scan(none, tp, tn, NULL, &e) == 0);
			check_string(&a);
			check_value(&b, depth + 1);
			count++;
		}
	}
}

static void
check_value(const struct js_view *v, int depth)
{
	switch (v->type) {
	case JS_STRING:
		check_string(v);
		check_number(v);
		break;
	case JS_NUMBER:
		check_number(v);
		/* fallthrough */
	case JS_TRUE: case JS_FALSE: case JS_NULL: {
		char b[64];

		(void)js_unescape(v, b, sizeof(b));
		(void)js_bool(v);
		break;
	}
	case JS_OBJECT: case JS_ARRAY:
		CHECK(js_bool(v) == -1 || js_bool(v) >= 0);
		if (depth < 3)
			check_container(v, depth);
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct js_view out[JS_MAX_PATHS];
	struct js_err e1, e2;
	char *copy;
	int r1, r2;
	size_t i;

	/* an exact-size copy so ASan sees any read past the end */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	if (size)
		memcpy(copy, data, size);
	r1 = js_scan(ps, copy, size, out, &e1);
	r2 = js_scan(none, copy, size, NULL, &e2);
	CHECK(r1 == r2);
	if (r1 < 0) {
		CHECK(e1.msg != NULL && e1.pos <= size);
		CHECK(e2.msg != NULL && e2.pos <= size);
		free(copy);
		return 0;
	}
	for (i = 0; i < NPATHS; i++) {
		const struct js_view *v = &out[idx[i]];

		if (v->type == JS_NONE)
			continue;
		CHECK(v->type <= JS_ARRAY);
		CHECK(v->p >= copy && v->p + v->n <= copy + size);
		check_value(v, 0);
	}
	/* the root itself, as a view */
	{
		struct js_view root;
		size_t a = 0, b = size;

		while (a < b && strchr(" \t\r\n", copy[a]) && copy[a])
			a++;
		while (b > a && strchr(" \t\r\n", copy[b - 1]) && copy[b - 1])
			b--;
		root.p = copy + a;
		root.n = (uint32_t)(b - a);
		root.escaped = 0;
		root.type = copy[a] == '{' ? JS_OBJECT : copy[a] == '[' ? JS_ARRAY : JS_NONE;
		if (root.type != JS_NONE)
			check_container(&root, 0);
	}
	free(copy);
	return 0;
}
