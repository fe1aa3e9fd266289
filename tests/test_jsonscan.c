/* test_jsonscan.c - unit tests of the on-demand JSON scanner (jsonscan.c). */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonscan.h"

/* ---- helpers ------------------------------------------------------ */

/* A heap copy of exactly n bytes, so sanitizers catch any over-read. */
static char *exact(const char *s, size_t n)
{
	char *b = malloc(n ? n : 1);

	cr_assert_not_null(b);
	memcpy(b, s, n);
	return b;
}

static int validate_n(const char *s, size_t n, struct js_err *err)
{
	struct js_paths *ps = js_paths_new();
	char *b = exact(s, n);
	struct js_err tmp;
	int rc = js_scan(ps, b, n, NULL, err ? err : &tmp);

	free(b);
	js_paths_free(ps);
	return rc;
}

static int validate(const char *s, struct js_err *err)
{
	return validate_n(s, strlen(s), err);
}

struct fx {
	struct js_paths *ps;
	char *buf;
	int rc;
	struct js_err err;
	struct js_view out[JS_MAX_PATHS];
};

/* Compiles paths (NULL-terminated), scans json; path i gets out[i]. */
static void fx_run(struct fx *f, const char *json, const char *const *paths)
{
	size_t n = strlen(json);

	f->ps = js_paths_new();
	for (int i = 0; paths[i]; i++)
		cr_assert_eq(js_paths_add(f->ps, paths[i]), i, "path %s", paths[i]);
	f->buf = exact(json, n);
	memset(f->out, 0xA5, sizeof f->out);
	f->rc = js_scan(f->ps, f->buf, n, f->out, &f->err);
}

static void fx_free(struct fx *f)
{
	free(f->buf);
	js_paths_free(f->ps);
}

#define PATHS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void expect_view(const struct js_view *v, int type, const char *text)
{
	cr_expect_eq(v->type, type, "type %d, want %d (text %s)", v->type, type, text);
	if (v->type == type && type != JS_NONE) {
		cr_expect_eq(v->n, strlen(text), "length %u for %s", v->n, text);
		cr_expect(v->n == strlen(text) && memcmp(v->p, text, v->n) == 0,
		          "got %.*s, want %s", (int)v->n, v->p, text);
	}
}

static struct js_view sview(const char *s, int type)
{
	struct js_view v;

	v.p = s;
	v.n = (uint32_t)strlen(s);
	v.type = (uint8_t)type;
	v.escaped = strchr(s, '\\') != NULL;
	return v;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- validation --------------------------------------------------- */

static const char *const valid_docs[] = {
	"{}", "[]", "0", "-0", "1", "-1", "1E+2", "1e-2", "0.1e-3", "1e999",
	"-1e999", "123.456", "1.0", "0e0", "0E-0", "1e007", "-0.0e+00",
	"12345678901234567890123456789", "1.5E308", "\"\"", "\"abc\"", "true",
	"false", "null", " \t\r\n{} \t\r\n", "[1,2,3]", "[ 1 , 2 ]",
	"{\"a\":1}", "{ \"a\" : 1 , \"b\" : [ true , false , null ] }",
	"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u0000\"", "\"\\uD83D\\uDE00\"",
	"\"\\uD800\"", "\"\\uDC00x\"", "\"\\u00e9\\u00E9\\uABcd\"", "[[[[]]]]",
	"{\"\":\"\"}", "{\"a\":{\"b\":{\"c\":[{}]}}}", "\"\x7f\"",
	"\"\xff\xfe\xc0\"", "[\"a\",{\"b\":[1,{\"c\":null}]}]",
	"{\"a\":1,\"a\":2}", "[0,-0,0.5,-0.5,1e1,1E1,1e+1,1e-1]",
	"\"\xc3\xa9\xe6\x97\xa5\"", "{\"x\":\"}\"}", "{\"x\":\"]\",\"y\":\"{[\"}",
	"[{},[],\"\",0,true]", "\n\n\"s\"\n", "{\"a\\u0062c\":[]}",
	"-123456789012345678901234567890.123456789e-12345",
};

static const char *const invalid_docs[] = {
	"", " ", "\n\t", "{", "}", "[", "]", "[1,]", "[,1]", "{\"a\":1,}",
	"{,}", "{\"a\"}", "{\"a\" 1}", "{\"a\":}", "{1:2}", "{'a':1}", "[1 2]",
	"{\"a\":1 \"b\":2}", "01", "-01", "1.", ".5", "+1", "-", "1e", "1e+",
	"1.e3", "0x10", "NaN", "Infinity", "-Infinity", "tru", "nul", "True",
	"\"abc", "\"\\x\"", "\"\\u12G4\"", "\"\\u123\"", "\"a\x01" "b\"",
	"\"a\tb\"", "\"a\nb\"", "[1]x", "{} {}", "1 2", "\f1", "\v[]",
	"\xef\xbb\xbf{}", "[\"a\"\"b\"]", "{\"a\":1}}", "[1]]", "[}", "{]",
	"\"\\uD800\\u\"", "[1,,2]", "-a", "1.5.5", "--1", "[01]", "[1.]",
	"{\"a\":[1,2}", "[\"\\\"]", "nulll", "falsey", "[true false]",
	"\"\\U0041\"", "{\"a\":1:2}", "[-]", "[1e]", "[.1]", "{\"a\"::1}",
	"\"\x1f\"", "1e1.5", "[1,2,]",
};

Test(jsonscan, valid_documents)
{
	size_t nv = sizeof valid_docs / sizeof *valid_docs;

	cr_assert_geq(nv, 40);
	for (size_t i = 0; i < nv; i++) {
		struct js_err e = { NULL, 0 };

		cr_expect_eq(validate(valid_docs[i], &e), 0, "rejected [%s]: %s at %zu",
		             valid_docs[i], e.msg ? e.msg : "?", e.pos);
	}
}

Test(jsonscan, invalid_documents)
{
	size_t ni = sizeof invalid_docs / sizeof *invalid_docs;

	cr_assert_geq(ni, 40);
	for (size_t i = 0; i < ni; i++) {
		struct js_err e = { NULL, 12345 };
		size_t n = strlen(invalid_docs[i]);

		cr_expect_eq(validate(invalid_docs[i], &e), -1, "accepted [%s]", invalid_docs[i]);
		cr_expect_not_null(e.msg, "no message for [%s]", invalid_docs[i]);
		cr_expect_leq(e.pos, n, "position %zu past end for [%s]", e.pos, invalid_docs[i]);
	}
}

Test(jsonscan, embedded_nul_is_rejected)
{
	cr_expect_eq(validate_n("[1]\0", 4, NULL), -1);
	cr_expect_eq(validate_n("\"a\0b\"", 5, NULL), -1);
	cr_expect_eq(validate_n("[1,\0]", 5, NULL), -1);
}

static void expect_error(const char *doc, const char *msg, size_t pos)
{
	struct js_err e = { NULL, 0 };

	cr_expect_eq(validate(doc, &e), -1, "accepted [%s]", doc);
	cr_expect(e.msg && strcmp(e.msg, msg) == 0, "[%s]: got \"%s\", want \"%s\"",
	          doc, e.msg ? e.msg : "(null)", msg);
	cr_expect_eq(e.pos, pos, "[%s]: position %zu, want %zu", doc, e.pos, pos);
}

Test(jsonscan, error_messages_and_positions)
{
	expect_error("", "unexpected end of input", 0);
	expect_error("{\"a\":1", "unexpected end of input", 6);
	expect_error("{\"a\" 1}", "expected ':' after object key", 5);
	expect_error("{\"a\":1 \"b\":2}", "expected ',' or '}' in object", 7);
	expect_error("[1 2]", "expected ',' or ']' in array", 3);
	expect_error("\"\\x\"", "invalid escape in string", 1);
	expect_error("\"ab\x01\"", "control character in string", 3);
	expect_error("[01]", "invalid number", 2);
	expect_error("1.", "invalid number", 2);
	expect_error("[1] x", "trailing characters after JSON value", 4);
	expect_error("nul", "unexpected end of input", 3);
	expect_error("nulx", "invalid literal", 0);
	expect_error("NaN", "invalid literal", 0);
	expect_error("{\"a\":1,}", "expected string key in object", 7);
	expect_error("[1,]", "expected a value", 3);
	expect_error("+1", "invalid number", 0);
}

Test(jsonscan, every_truncation_fails)
{
	static const char *const docs[] = {
		"{\"timestamp\":\"2026-10-01T13:05:00.250Z\",\"usage\":{\"prompt_tokens\":812,"
		"\"completion_tokens\":96},\"cost\":-0.000184e+1,\"ok\":true,\"x\":null,"
		"\"f\":false,\"s\":\"a\\\"b\\u00e9\\uD83D\\uDE00\",\"arr\":[1,[2,{}],[]]}",
		"[\"\\n\", 0, -1.5E-3, {\"\": [ ]} ]",
		"{ \"a\" : [ 1 , 2 ] , \"b\" : { } }",
	};

	for (size_t d = 0; d < sizeof docs / sizeof *docs; d++) {
		size_t n = strlen(docs[d]);

		cr_assert_eq(validate_n(docs[d], n, NULL), 0, "full doc %zu", d);
		for (size_t k = 0; k < n; k++)
			cr_expect_eq(validate_n(docs[d], k, NULL), -1,
			             "prefix %zu of doc %zu accepted", k, d);
	}
}

Test(jsonscan, whitespace_only_four_kinds)
{
	cr_expect_eq(validate(" \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n", NULL), 0);
	cr_expect_eq(validate("[1,\f2]", NULL), -1);
	cr_expect_eq(validate("[1,\xa0" "2]", NULL), -1);
}

/* ---- nesting ------------------------------------------------------ */

static char *nested(size_t depth, char open, char close)
{
	char *s = malloc(2 * depth + 1);

	cr_assert_not_null(s);
	memset(s, open, depth);
	memset(s + depth, close, depth);
	s[2 * depth] = '\0';
	return s;
}

Test(jsonscan, very_deep_nesting_rejected)
{
	size_t depth = 200000;
	char *s = nested(depth, '[', ']');
	struct js_err e = { NULL, 0 };

	cr_expect_eq(validate_n(s, depth, &e), -1);
	cr_expect_str_eq(e.msg, "nesting too deep");
	cr_expect_eq(e.pos, JS_MAX_DEPTH);
	cr_expect_eq(validate(s, &e), -1);
	cr_expect_str_eq(e.msg, "nesting too deep");
	free(s);
}

Test(jsonscan, depth_limit_exact)
{
	char *s;

	s = nested(JS_MAX_DEPTH - 1, '[', ']');
	cr_expect_eq(validate(s, NULL), 0);
	free(s);
	s = nested(JS_MAX_DEPTH, '[', ']');
	cr_expect_eq(validate(s, NULL), 0);
	free(s);
	s = nested(JS_MAX_DEPTH + 1, '[', ']');
	cr_expect_eq(validate(s, NULL), -1);
	free(s);
}

Test(jsonscan, deep_objects)
{
	size_t depth = JS_MAX_DEPTH - 1, k = 0;
	char *s = malloc(depth * 7 + 8);

	for (size_t i = 0; i < depth; i++) {
		memcpy(s + k, "{\"a\":", 5);
		k += 5;
	}
	s[k++] = '1';
	memset(s + k, '}', depth);
	s[k + depth] = '\0';
	cr_expect_eq(validate(s, NULL), 0);
	free(s);
}

/* ---- path sets ---------------------------------------------------- */

Test(jsonscan, paths_add_rules)
{
	struct js_paths *ps = js_paths_new();
	char name[16];

	cr_expect_eq(js_paths_count(ps), 0);
	cr_expect_eq(js_paths_add(ps, "usage.prompt_tokens"), 0);
	cr_expect_eq(js_paths_add(ps, "usage"), 1);
	cr_expect_eq(js_paths_add(ps, "usage.prompt_tokens"), 0);
	cr_expect_eq(js_paths_add(ps, "a\\.b"), 2);
	cr_expect_eq(js_paths_add(ps, "a\\\\b"), 3);
	cr_expect_eq(js_paths_add(ps, ""), -1);
	cr_expect_eq(js_paths_add(ps, "a..b"), -1);
	cr_expect_eq(js_paths_add(ps, ".a"), -1);
	cr_expect_eq(js_paths_add(ps, "a."), -1);
	cr_expect_eq(js_paths_add(ps, "a\\x"), -1);
	cr_expect_eq(js_paths_add(ps, "a\\"), -1);
	cr_expect_eq(js_paths_add(ps, "usage.x..y"), -1);
	cr_expect_eq(js_paths_count(ps), 4);
	for (int i = 4; i < JS_MAX_PATHS; i++) {
		snprintf(name, sizeof name, "p%d.q", i);
		cr_expect_eq(js_paths_add(ps, name), i);
	}
	cr_expect_eq(js_paths_add(ps, "one.more"), -1);
	cr_expect_eq(js_paths_add(ps, "usage"), 1);
	cr_expect_eq(js_paths_count(ps), JS_MAX_PATHS);
	js_paths_free(ps);
}

Test(jsonscan, all_128_paths_extracted)
{
	struct js_paths *ps = js_paths_new();
	struct js_view out[JS_MAX_PATHS];
	struct js_err e;
	char json[8192], name[16];
	size_t k = 0;

	json[k++] = '{';
	for (int i = 0; i < JS_MAX_PATHS; i++) {
		snprintf(name, sizeof name, "k%d", i);
		cr_assert_eq(js_paths_add(ps, name), i);
		k += (size_t)snprintf(json + k, sizeof json - k, "%s\"k%d\":%d", i ? "," : "", i, i);
	}
	json[k++] = '}';
	cr_assert_eq(js_scan(ps, json, k, out, &e), 0);
	for (int i = 0; i < JS_MAX_PATHS; i++) {
		int64_t v = -1;

		cr_expect_eq(out[i].type, JS_NUMBER);
		cr_expect_eq(js_int64(&out[i], &v), 0);
		cr_expect_eq(v, i);
	}
	js_paths_free(ps);
}

/* ---- extraction --------------------------------------------------- */

Test(jsonscan, extract_log_line)
{
	struct fx f;

	fx_run(&f,
	       "{\"timestamp\":\"2026-10-01T13:05:00.250Z\",\"user_id\":\"user_123\","
	       "\"model\":\"gpt-4o-mini\",\"status\":200,\"latency_ms\":1234.5,"
	       "\"usage\":{\"prompt_tokens\":812,\"completion_tokens\":96},"
	       "\"cost\":0.000184,\"stream\":false,\"err\":null,\"ok\":true,"
	       "\"metadata\":{\"user_id\":\"u-9\",\"tags\":[\"a\",\"b\"]},"
	       "\"properties\":{\"$ai_latency\":0.5},"
	       "\"prompt\":\"say \\\"hi\\\"\"}",
	       PATHS("timestamp", "user_id", "status", "latency_ms",
	             "usage.prompt_tokens", "usage.completion_tokens", "cost",
	             "stream", "err", "ok", "metadata.user_id", "metadata.tags",
	             "properties.$ai_latency", "prompt", "missing", "usage.missing",
	             "metadata.tags.1", "metadata.tags.2"));
	cr_assert_eq(f.rc, 0, "%s", f.err.msg);
	expect_view(&f.out[0], JS_STRING, "2026-10-01T13:05:00.250Z");
	expect_view(&f.out[1], JS_STRING, "user_123");
	expect_view(&f.out[2], JS_NUMBER, "200");
	expect_view(&f.out[3], JS_NUMBER, "1234.5");
	expect_view(&f.out[4], JS_NUMBER, "812");
	expect_view(&f.out[5], JS_NUMBER, "96");
	expect_view(&f.out[6], JS_NUMBER, "0.000184");
	expect_view(&f.out[7], JS_FALSE, "false");
	expect_view(&f.out[8], JS_NULL, "null");
	expect_view(&f.out[9], JS_TRUE, "true");
	expect_view(&f.out[10], JS_STRING, "u-9");
	expect_view(&f.out[11], JS_ARRAY, "[\"a\",\"b\"]");
	expect_view(&f.out[12], JS_NUMBER, "0.5");
	expect_view(&f.out[13], JS_STRING, "say \\\"hi\\\"");
	cr_expect_eq(f.out[13].escaped, 1);
	cr_expect_eq(f.out[0].escaped, 0);
	expect_view(&f.out[14], JS_NONE, "");
	expect_view(&f.out[15], JS_NONE, "");
	expect_view(&f.out[16], JS_STRING, "b");
	expect_view(&f.out[17], JS_NONE, "");
	fx_free(&f);
}

Test(jsonscan, prefix_and_subpath_both_wanted)
{
	struct fx f;

	fx_run(&f, " { \"usage\" : { \"a\" : { \"b\" : [ 1 , 2 ] } } } ",
	       PATHS("usage", "usage.a", "usage.a.b", "usage.a.b.0", "usage.a.b.1"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_OBJECT, "{ \"a\" : { \"b\" : [ 1 , 2 ] } }");
	expect_view(&f.out[1], JS_OBJECT, "{ \"b\" : [ 1 , 2 ] }");
	expect_view(&f.out[2], JS_ARRAY, "[ 1 , 2 ]");
	expect_view(&f.out[3], JS_NUMBER, "1");
	expect_view(&f.out[4], JS_NUMBER, "2");
	fx_free(&f);
}

Test(jsonscan, array_index_paths)
{
	struct fx f;

	fx_run(&f, "{\"choices\":[{\"message\":{\"content\":\"x\"}},{\"message\":{\"content\":\"y\"}}],"
	       "\"m\":[[10,11],[20,21,22]]}",
	       PATHS("choices.0.message.content", "choices.1.message", "choices.2",
	             "m.1.2", "m.0.0", "m.1.3", "choices.01"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_STRING, "x");
	expect_view(&f.out[1], JS_OBJECT, "{\"content\":\"y\"}");
	expect_view(&f.out[2], JS_NONE, "");
	expect_view(&f.out[3], JS_NUMBER, "22");
	expect_view(&f.out[4], JS_NUMBER, "10");
	expect_view(&f.out[5], JS_NONE, "");
	expect_view(&f.out[6], JS_NONE, "");
	fx_free(&f);
}

Test(jsonscan, top_level_array_index)
{
	struct fx f;

	fx_run(&f, "[{\"a\":1},{\"a\":2}]", PATHS("1.a", "0", "a"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NUMBER, "2");
	expect_view(&f.out[1], JS_OBJECT, "{\"a\":1}");
	expect_view(&f.out[2], JS_NONE, "");
	fx_free(&f);
}

Test(jsonscan, array_of_objects_needs_index)
{
	struct fx f;

	fx_run(&f, "{\"choices\":[{\"message\":\"m\"}]}",
	       PATHS("choices.message", "choices.0.message"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NONE, "");
	expect_view(&f.out[1], JS_STRING, "m");
	fx_free(&f);
}

Test(jsonscan, digit_segment_matches_object_key)
{
	struct fx f;

	fx_run(&f, "{\"a\":{\"0\":\"zero\",\"01\":\"lead\"}}", PATHS("a.0", "a.01"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_STRING, "zero");
	expect_view(&f.out[1], JS_STRING, "lead");
	fx_free(&f);
}

Test(jsonscan, escaped_keys_match_decoded)
{
	struct fx f;

	fx_run(&f, "{\"a\\u0062c\":1,\"x\\\"y\":2,\"d.e\":3,\"q\\/r\":{\"\\u00e9\":4},"
	       "\"\\ud83d\\ude00\":5,\"abcd\":6}",
	       PATHS("abc", "x\"y", "d\\.e", "q/r.\xc3\xa9", "\xf0\x9f\x98\x80", "d", "ab"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NUMBER, "1");
	expect_view(&f.out[1], JS_NUMBER, "2");
	expect_view(&f.out[2], JS_NUMBER, "3");
	expect_view(&f.out[3], JS_NUMBER, "4");
	expect_view(&f.out[4], JS_NUMBER, "5");
	expect_view(&f.out[5], JS_NONE, "");
	expect_view(&f.out[6], JS_NONE, "");
	fx_free(&f);
}

Test(jsonscan, duplicate_keys_last_wins)
{
	struct fx f;

	fx_run(&f, "{\"a\":1,\"b\":{\"c\":1},\"a\":2,\"b\":{\"c\":2}}", PATHS("a", "b.c", "b"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NUMBER, "2");
	expect_view(&f.out[1], JS_NUMBER, "2");
	expect_view(&f.out[2], JS_OBJECT, "{\"c\":2}");
	fx_free(&f);

	/* a later duplicate without the sub-path removes it */
	fx_run(&f, "{\"u\":{\"p\":5,\"q\":1},\"u\":{\"q\":7}}", PATHS("u.p", "u.q"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NONE, "");
	expect_view(&f.out[1], JS_NUMBER, "7");
	fx_free(&f);

	/* object then scalar, scalar then object */
	fx_run(&f, "{\"u\":{\"p\":5},\"u\":null,\"v\":3,\"v\":{\"w\":4}}", PATHS("u.p", "u", "v", "v.w"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NONE, "");
	expect_view(&f.out[1], JS_NULL, "null");
	expect_view(&f.out[2], JS_OBJECT, "{\"w\":4}");
	expect_view(&f.out[3], JS_NUMBER, "4");
	fx_free(&f);

	/* duplicates inside a nested object, and an escaped duplicate */
	fx_run(&f, "{\"m\":{\"k\":\"x\",\"z\":0,\"\\u006b\":\"y\"}}", PATHS("m.k"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_STRING, "y");
	fx_free(&f);
}

Test(jsonscan, unwanted_values_still_validated)
{
	struct fx f;

	fx_run(&f, "{\"a\":1,\"junk\":{\"x\":[1,2,{\"y\":01}]}}", PATHS("a"));
	cr_expect_eq(f.rc, -1);
	cr_expect_str_eq(f.err.msg, "invalid number");
	fx_free(&f);
	fx_run(&f, "{\"a\":1,\"junk\":\"bad\\q\"}", PATHS("a"));
	cr_expect_eq(f.rc, -1);
	cr_expect_str_eq(f.err.msg, "invalid escape in string");
	fx_free(&f);
}

Test(jsonscan, scalar_and_mismatched_types)
{
	struct fx f;

	fx_run(&f, "{\"usage\":5,\"s\":\"str\",\"arr\":{\"0\":1}}",
	       PATHS("usage.prompt_tokens", "s.x", "arr.0"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NONE, "");
	expect_view(&f.out[1], JS_NONE, "");
	expect_view(&f.out[2], JS_NUMBER, "1");
	fx_free(&f);
	fx_run(&f, "42", PATHS("a"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NONE, "");
	fx_free(&f);
}

Test(jsonscan, empty_path_set)
{
	struct js_paths *ps = js_paths_new();
	struct js_err e;

	cr_expect_eq(js_scan(ps, "{\"a\":[1,2]}", 11, NULL, &e), 0);
	js_paths_free(ps);
}

Test(jsonscan, strings_across_simd_blocks)
{
	char body[128], doc[256];
	struct js_paths *ps = js_paths_new();
	struct js_view out[2];
	struct js_err e;

	cr_assert_eq(js_paths_add(ps, "k"), 0);
	cr_assert_eq(js_paths_add(ps, "z"), 1);
	for (size_t len = 0; len < 70; len++) {
		for (size_t at = 0; at <= len; at++) {
			int n;
			char *b;

			memset(body, 'a', len);
			body[len] = '\0';
			if (at < len)
				body[at] = 'b';
			n = snprintf(doc, sizeof doc, "{\"k\":\"%.*s\\\"%s\",\"z\":1}",
			             (int)at, body, body + at);
			b = exact(doc, (size_t)n);
			cr_assert_eq(js_scan(ps, b, (size_t)n, out, &e), 0, "len %zu at %zu", len, at);
			cr_expect_eq(out[0].n, len + 2);
			cr_expect_eq(out[0].escaped, 1);
			cr_expect_eq(out[1].type, JS_NUMBER);
			/* a raw control character at the same spot */
			b[6 + at] = '\x1f';
			cr_expect_eq(js_scan(ps, b, (size_t)n, out, &e), -1);
			cr_expect_str_eq(e.msg, "control character in string");
			cr_expect_eq(e.pos, 6 + at);
			free(b);
		}
	}
	js_paths_free(ps);
}

/* ---- numbers ------------------------------------------------------ */

static double num_of(const char *s, int type, int *rc)
{
	struct js_view v = sview(s, type);
	double d = -12345.0;

	*rc = js_number(&v, &d);
	return d;
}

static void expect_num(const char *s, double want)
{
	int rc;
	double d = num_of(s, JS_NUMBER, &rc);

	cr_expect_eq(rc, 0, "js_number(%s) failed", s);
	cr_expect(same_double(d, want), "js_number(%s) = %.17g, want %.17g", s, d, want);
	d = num_of(s, JS_STRING, &rc);
	cr_expect_eq(rc, 0, "js_number(\"%s\") failed", s);
	cr_expect(same_double(d, want), "js_number(\"%s\") = %.17g, want %.17g", s, d, want);
}

Test(jsonscan, number_forms)
{
	int rc;

	expect_num("0", 0.0);
	expect_num("-0", -0.0);
	expect_num("-0.0e5", -0.0);
	expect_num("1E+2", 100.0);
	expect_num("0.1e-3", 0.0001);
	expect_num("1234.5", 1234.5);
	expect_num("0.000184", 0.000184);
	expect_num("-3e2", -300.0);
	expect_num("1e23", 1e23);
	expect_num("9007199254740993", 9007199254740992.0);
	expect_num("9007199254740992", 9007199254740992.0);
	expect_num("123456789012345678901234567890", 123456789012345678901234567890.0);
	expect_num("1e999", HUGE_VAL);
	expect_num("-1e999", -HUGE_VAL);
	expect_num("1e-999", 0.0);
	expect_num("4.9406564584124654e-324", 4.9406564584124654e-324);
	expect_num("2.2250738585072014e-308", 2.2250738585072014e-308);
	expect_num("1.7976931348623157e308", 1.7976931348623157e308);
	expect_num("1e0000000000000000000000000001", 10.0);
	expect_num("1e-99999999999999999999", 0.0);
	expect_num("0e99999999999", 0.0);
	expect_num("100000000000000000000000e-20", 1000.0);
	expect_num("0.00000000000000000000000000001e29", 1.0);
	num_of("01", JS_NUMBER, &rc);
	cr_expect_eq(rc, -1);
	num_of("1.", JS_NUMBER, &rc);
	cr_expect_eq(rc, -1);
	num_of("", JS_NUMBER, &rc);
	cr_expect_eq(rc, -1);
	num_of("true", JS_TRUE, &rc);
	cr_expect_eq(rc, -1);
}

Test(jsonscan, number_as_string)
{
	static const char *const bad[] = { " 1", "1 ", "abc", "", "01", "+1", "1e",
	                                   ".5", "0x1", "NaN", "Infinity", "1,5" };
	int rc;
	double d;

	d = num_of("812", JS_STRING, &rc);
	cr_expect(rc == 0 && d == 812.0);
	d = num_of("0.5", JS_STRING, &rc);
	cr_expect(rc == 0 && d == 0.5);
	d = num_of("-3e2", JS_STRING, &rc);
	cr_expect(rc == 0 && d == -300.0);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		num_of(bad[i], JS_STRING, &rc);
		cr_expect_eq(rc, -1, "accepted \"%s\"", bad[i]);
	}
	num_of("\\u0031", JS_STRING, &rc);
	cr_expect_eq(rc, -1);
}

static size_t gen_number(char *b)
{
	size_t k = 0;
	int nint = (int)(rnd() % 22), nfrac = (int)(rnd() % 3 ? rnd() % 22 : 0);

	if (rnd() & 1)
		b[k++] = '-';
	if (nint == 0 || rnd() % 5 == 0) {
		b[k++] = '0';
	} else {
		b[k++] = (char)('1' + rnd() % 9);
		for (int i = 1; i < nint; i++)
			b[k++] = (char)('0' + rnd() % 10);
	}
	if (nfrac) {
		b[k++] = '.';
		for (int i = 0; i < nfrac; i++)
			b[k++] = (char)('0' + (rnd() % 4 ? rnd() % 10 : 0));
	}
	if (rnd() % 3) {
		int e = (int)(rnd() % 2 ? rnd() % 30 : rnd() % 700) - (rnd() % 2 ? 0 : 350);

		b[k++] = rnd() & 1 ? 'e' : 'E';
		if (e < 0)
			b[k++] = '-';
		else if (rnd() & 1)
			b[k++] = '+';
		k += (size_t)snprintf(b + k, 16, "%d", e < 0 ? -e : e);
	}
	b[k] = '\0';
	return k;
}

Test(jsonscan, number_matches_strtod_random)
{
	char b[96];
	int mismatches = 0;

	for (int i = 0; i < 100000; i++) {
		struct js_view v;
		double got = 0, want;

		gen_number(b);
		v = sview(b, i & 1 ? JS_STRING : JS_NUMBER);
		want = strtod(b, NULL);
		cr_assert_eq(js_number(&v, &got), 0, "rejected %s", b);
		if (!same_double(got, want) && mismatches++ < 10)
			cr_expect_fail("%s: got %.17g, strtod %.17g", b, got, want);
	}
	cr_expect_eq(mismatches, 0);
}

Test(jsonscan, number_matches_strtod_halfway)
{
	char b[64];

	/* integers near 2^53..2^64 and decimals at rounding ties */
	for (int i = 0; i < 20000; i++) {
		uint64_t m = (rnd() >> (rnd() % 12)) | ((uint64_t)1 << 53);
		int e = (int)(rnd() % 50) - 25;
		struct js_view v;
		double got;

		snprintf(b, sizeof b, "%llue%d", (unsigned long long)m, e);
		v = sview(b, JS_NUMBER);
		cr_assert_eq(js_number(&v, &got), 0);
		cr_expect(same_double(got, strtod(b, NULL)), "%s", b);
	}
}

/* Decimal digits of 5^1075: 2^-1075 = 5^1075 * 10^-1075 is the midpoint
 * between 0 and the smallest subnormal. */
static size_t pow5_1075(char *out)
{
	unsigned char d[800] = { 1 };
	size_t nd = 1, k = 0;

	for (int i = 0; i < 1075; i++) {
		unsigned carry = 0;

		for (size_t j = 0; j < nd; j++) {
			unsigned x = d[j] * 5u + carry;

			d[j] = (unsigned char)(x % 10);
			carry = x / 10;
		}
		if (carry)
			d[nd++] = (unsigned char)carry;
	}
	while (nd)
		out[k++] = (char)('0' + d[--nd]);
	out[k] = '\0';
	return k;
}

static void expect_long(const char *s, double want)
{
	struct js_view v = sview(s, JS_NUMBER);
	double got = -1;

	cr_expect_eq(js_number(&v, &got), 0);
	cr_expect(same_double(got, want), "%.40s...: got %.17g want %.17g", s, got, want);
	cr_expect(same_double(got, strtod(s, NULL)), "%.40s... disagrees with strtod", s);
}

Test(jsonscan, number_long_mantissas)
{
	static char b[4096];
	char d[800];
	size_t nd = pow5_1075(d), k;
	double tiny = 4.9406564584124654e-324;

	snprintf(b, sizeof b, "%se-1075", d);
	expect_long(b, 0.0);            /* exact tie rounds to even: 0 */
	snprintf(b, sizeof b, "%s%0300de-1375", d, 0);
	expect_long(b, 0.0);            /* still the tie, 1052 digits */
	snprintf(b, sizeof b, "%s%0200d1e-1276", d, 0);
	expect_long(b, tiny);           /* just above the tie */
	memcpy(b, d, nd);
	b[nd - 1] = '4';
	memset(b + nd, '9', 300);
	snprintf(b + nd + 300, 32, "e-%d", 1075 + 300);
	expect_long(b, 0.0);            /* just below the tie */
	k = 0;
	b[k++] = '1';
	memset(b + k, '0', 1000);
	k += 1000;
	snprintf(b + k, 16, "e-1000");
	expect_long(b, 1.0);
	b[0] = '0';
	b[1] = '.';
	memset(b + 2, '0', 2000);
	snprintf(b + 2002, 16, "1e2001");
	expect_long(b, 1.0);
	memset(b, '9', 1200);
	b[1200] = '\0';
	expect_long(b, HUGE_VAL);
}

Test(jsonscan, int64_boundaries)
{
	static const struct { const char *s; int rc; int64_t v; } cases[] = {
		{ "9223372036854775807", 0, INT64_MAX },
		{ "-9223372036854775808", 0, INT64_MIN },
		{ "9223372036854775808", -1, 0 },
		{ "-9223372036854775809", -1, 0 },
		{ "123456789012345678901234567890", -1, 0 },
		{ "18446744073709551616", -1, 0 },
		{ "1e3", 0, 1000 },
		{ "12.0", 0, 12 },
		{ "1.5", -1, 0 },
		{ "1e-1", -1, 0 },
		{ "100e-2", 0, 1 },
		{ "-0", 0, 0 },
		{ "0.000e99", 0, 0 },
		{ "9.223372036854775807e18", 0, INT64_MAX },
		{ "9.223372036854775808e18", -1, 0 },
		{ "1e18", 0, 1000000000000000000LL },
		{ "1e19", -1, 0 },
		{ "1e999999999999", -1, 0 },
		{ "10000000000000000000000e-21", 0, 10 },
		{ "1.00000000000000000000000000001", -1, 0 },
		{ "812", 0, 812 },
		{ "-42", 0, -42 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		for (int t = 0; t < 2; t++) {
			struct js_view v = sview(cases[i].s, t ? JS_STRING : JS_NUMBER);
			int64_t got = 77;
			int rc = js_int64(&v, &got);

			cr_expect_eq(rc, cases[i].rc, "js_int64(%s) rc %d", cases[i].s, rc);
			if (rc == 0 && cases[i].rc == 0)
				cr_expect_eq(got, cases[i].v, "js_int64(%s) = %lld", cases[i].s, (long long)got);
		}
	}
	{
		struct js_view v = sview("x", JS_STRING);
		int64_t got;

		cr_expect_eq(js_int64(&v, &got), -1);
		v = sview("null", JS_NULL);
		cr_expect_eq(js_int64(&v, &got), -1);
	}
}

/* ---- booleans ----------------------------------------------------- */

Test(jsonscan, bool_values)
{
	static const struct { const char *s; int type; int want; } cases[] = {
		{ "true", JS_TRUE, 1 }, { "false", JS_FALSE, 0 }, { "null", JS_NULL, 0 },
		{ "1", JS_NUMBER, 1 }, { "-2.5", JS_NUMBER, 1 }, { "0", JS_NUMBER, 0 },
		{ "-0.0e9", JS_NUMBER, 0 }, { "1e-999", JS_NUMBER, 1 },
		{ "true", JS_STRING, 1 }, { "TRUE", JS_STRING, 1 }, { "Yes", JS_STRING, 1 },
		{ "1", JS_STRING, 1 }, { "y", JS_STRING, 1 }, { "Y", JS_STRING, 1 },
		{ "false", JS_STRING, 0 }, { "False", JS_STRING, 0 }, { "no", JS_STRING, 0 },
		{ "0", JS_STRING, 0 }, { "none", JS_STRING, 0 }, { "NONE", JS_STRING, 0 },
		{ "n", JS_STRING, 0 }, { "", JS_STRING, 0 }, { "\\u0074rue", JS_STRING, 1 },
		{ "maybe", JS_STRING, -1 }, { "2", JS_STRING, -1 }, { "truely", JS_STRING, -1 },
		{ "yes please", JS_STRING, -1 }, { "{}", JS_OBJECT, -1 }, { "[]", JS_ARRAY, -1 },
		{ "", JS_NONE, -1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct js_view v = sview(cases[i].s, cases[i].type);

		cr_expect_eq(js_bool(&v), cases[i].want, "js_bool(%s, type %d)",
		             cases[i].s, cases[i].type);
	}
}

/* ---- unescape and compare ----------------------------------------- */

static void expect_unescape(const char *in, const char *want, size_t wantlen)
{
	struct js_view v = sview(in, JS_STRING);
	char buf[256];
	long n = js_unescape(&v, buf, sizeof buf);

	cr_expect_eq(n, (long)wantlen, "js_unescape(%s) length %ld, want %zu", in, n, wantlen);
	if (n == (long)wantlen)
		cr_expect(memcmp(buf, want, wantlen) == 0, "js_unescape(%s) content", in);
	if (wantlen > 0)
		cr_expect_eq(js_unescape(&v, buf, wantlen - 1), -1, "fits short: %s", in);
	cr_expect_eq(js_unescape(&v, buf, wantlen), (long)wantlen);
}

#define UNESC(in, want) expect_unescape(in, want, sizeof(want) - 1)

Test(jsonscan, unescape)
{
	UNESC("", "");
	UNESC("plain", "plain");
	UNESC("\\\"\\\\\\/\\b\\f\\n\\r\\t", "\"\\/\b\f\n\r\t");
	UNESC("a\\u0000b", "a\0b");
	UNESC("\\u00e9\\u00C9", "\xc3\xa9\xc3\x89");
	UNESC("\\u20AC", "\xe2\x82\xac");
	UNESC("\\uD83D\\uDE00", "\xf0\x9f\x98\x80");
	UNESC("\\ud83d\\ude00x", "\xf0\x9f\x98\x80x");
	UNESC("\\uD83D", "\xef\xbf\xbd");
	UNESC("\\uD83Dx", "\xef\xbf\xbdx");
	UNESC("\\uDE00\\uD83D", "\xef\xbf\xbd\xef\xbf\xbd");
	UNESC("\\uD83D\\u0041", "\xef\xbf\xbd" "A");
	UNESC("\\uD83D\\uD83D\\uDE00", "\xef\xbf\xbd\xf0\x9f\x98\x80");
	UNESC("\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80", "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80");
	UNESC("a\xff" "b", "a\xef\xbf\xbd" "b");
	UNESC("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	UNESC("\xe6\x97", "\xef\xbf\xbd");
	UNESC("\xe6\x97x", "\xef\xbf\xbdx");
	UNESC("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	UNESC("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	UNESC("\xf0\x9f\x98", "\xef\xbf\xbd");
	UNESC("\x80", "\xef\xbf\xbd");
}

Test(jsonscan, unescape_non_string_copies_raw)
{
	struct js_view v = sview("{\"a\": 1}", JS_OBJECT);
	char buf[16];

	cr_expect_eq(js_unescape(&v, buf, sizeof buf), 8);
	cr_expect(memcmp(buf, "{\"a\": 1}", 8) == 0);
	cr_expect_eq(js_unescape(&v, buf, 7), -1);
	v = sview("12.5", JS_NUMBER);
	cr_expect_eq(js_unescape(&v, buf, sizeof buf), 4);
}

Test(jsonscan, streq)
{
	struct js_view v = sview("a\\u0062c", JS_STRING);

	cr_expect_eq(js_streq(&v, "abc"), 1);
	cr_expect_eq(js_streq(&v, "ab"), 0);
	cr_expect_eq(js_streq(&v, "abcd"), 0);
	v = sview("error", JS_STRING);
	cr_expect_eq(js_streq(&v, "error"), 1);
	cr_expect_eq(js_streq(&v, "Error"), 0);
	v = sview("", JS_STRING);
	cr_expect_eq(js_streq(&v, ""), 1);
	v = sview("\\uD83D\\uDE00", JS_STRING);
	cr_expect_eq(js_streq(&v, "\xf0\x9f\x98\x80"), 1);
	v = sview("x\xff", JS_STRING);
	cr_expect_eq(js_streq(&v, "x\xef\xbf\xbd"), 1);
	v = sview("true", JS_TRUE);
	cr_expect_eq(js_streq(&v, "true"), 0);
}

/* ---- iteration ---------------------------------------------------- */

Test(jsonscan, array_iteration)
{
	struct fx f;
	struct js_view e;
	size_t pos = 0;
	int n = 0;
	static const int types[] = { JS_NUMBER, JS_STRING, JS_OBJECT, JS_ARRAY,
	                             JS_TRUE, JS_FALSE, JS_NULL, JS_STRING };
	static const char *const texts[] = { "-1.5e3", "a,]\\\"b", "{\"k\":[1,\"]\"]}",
	                                     "[ ]", "true", "false", "null", "" };

	fx_run(&f, "{\"a\":[ -1.5e3 ,\"a,]\\\"b\",{\"k\":[1,\"]\"]},[ ],true ,false,null\n,\"\" ],"
	       "\"e\":[ ],\"o\":{}}", PATHS("a", "e", "o"));
	cr_assert_eq(f.rc, 0);
	while (js_array_next(&f.out[0], &pos, &e)) {
		cr_assert_lt(n, 8);
		expect_view(&e, types[n], texts[n]);
		n++;
	}
	cr_expect_eq(n, 8);
	cr_expect_eq(js_array_next(&f.out[0], &pos, &e), 0);
	pos = 0;
	cr_expect_eq(js_array_next(&f.out[1], &pos, &e), 0);
	pos = 0;
	cr_expect_eq(js_array_next(&f.out[2], &pos, &e), 0);
	fx_free(&f);
}

Test(jsonscan, object_iteration)
{
	struct fx f;
	struct js_view k, v;
	size_t pos = 0;
	int n = 0;

	fx_run(&f, "{\"o\":{ \"a\" : 1 , \"b\\\"c\":\"x}\" ,\"n\":{\"d\":[]} ,\"e\":[1]},\"z\":{ }}",
	       PATHS("o", "z"));
	cr_assert_eq(f.rc, 0);
	cr_assert(js_object_next(&f.out[0], &pos, &k, &v));
	expect_view(&k, JS_STRING, "a");
	expect_view(&v, JS_NUMBER, "1");
	cr_assert(js_object_next(&f.out[0], &pos, &k, &v));
	expect_view(&k, JS_STRING, "b\\\"c");
	cr_expect_eq(k.escaped, 1);
	cr_expect(js_streq(&k, "b\"c"));
	expect_view(&v, JS_STRING, "x}");
	cr_assert(js_object_next(&f.out[0], &pos, &k, &v));
	expect_view(&v, JS_OBJECT, "{\"d\":[]}");
	cr_assert(js_object_next(&f.out[0], &pos, &k, &v));
	expect_view(&k, JS_STRING, "e");
	expect_view(&v, JS_ARRAY, "[1]");
	cr_expect_eq(js_object_next(&f.out[0], &pos, &k, &v), 0);
	pos = 0;
	while (js_object_next(&f.out[1], &pos, &k, &v))
		n++;
	cr_expect_eq(n, 0);
	pos = 0;
	cr_expect_eq(js_object_next(&f.out[0], &pos, &k, &v), 1);
	pos = 0;
	cr_expect_eq(js_array_next(&f.out[0], &pos, &v), 0);
	fx_free(&f);
}

Test(jsonscan, key_lookup_edge_cases)
{
	struct fx f;

	/* long keys that share their first 16 bytes, and prefixes of them */
	fx_run(&f, "{\"abcdefghijklmnopX\":1,\"abcdefghijklmnop\":2,"
	           "\"abcdefghijklmnopY\":3,\"abcdefghijklmno\":4,"
	           "\"abcdefghijklmnopXY\":5,\"abcdefghijklmnopq\":6}",
	       PATHS("abcdefghijklmnopY", "abcdefghijklmnop", "abcdefghijklmnopXZ",
	             "abcdefghijklmnopq"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NUMBER, "3");
	expect_view(&f.out[1], JS_NUMBER, "2");
	expect_view(&f.out[2], JS_NONE, "");
	expect_view(&f.out[3], JS_NUMBER, "6");
	fx_free(&f);

	/* keys ending right at the end of the (exactly sized) buffer */
	fx_run(&f, "{\"a\":{\"b\":{\"longer_key_here_x\":{\"cd\":7}}}}",
	       PATHS("a.b.longer_key_here_x.cd", "a.b.c"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NUMBER, "7");
	expect_view(&f.out[1], JS_NONE, "");
	fx_free(&f);

	/* non-ASCII keys, an empty key, keys that differ only in length */
	fx_run(&f, "{\"\":0,\"\xc3\xa9t\xc3\xa9\":1,\"ts\":2,\"tsx\":3,\"t\":4}",
	       PATHS("\xc3\xa9t\xc3\xa9", "t", "tsx", "tsxy"));
	cr_assert_eq(f.rc, 0);
	expect_view(&f.out[0], JS_NUMBER, "1");
	expect_view(&f.out[1], JS_NUMBER, "4");
	expect_view(&f.out[2], JS_NUMBER, "3");
	expect_view(&f.out[3], JS_NONE, "");
	fx_free(&f);
}

Test(jsonscan, many_paths_one_object)
{
	struct js_paths *ps = js_paths_new();
	struct js_view out[JS_MAX_PATHS];
	struct js_err err;
	char json[8192], key[32];
	size_t n = 0;

	for (int i = 0; i < JS_MAX_PATHS; i++) {
		snprintf(key, sizeof key, "key_%d", i);
		cr_assert_eq(js_paths_add(ps, key), i);
	}
	cr_assert_eq(js_paths_add(ps, "one_too_many"), -1);
	json[n++] = '{';
	/* every other wanted key, plus unwanted near-misses */
	for (int i = 0; i < 2 * JS_MAX_PATHS; i++)
		n += (size_t)snprintf(json + n, sizeof json - n, "\"key_%d%s\":%d,",
		                      i, i % 2 ? "_" : "", i);
	json[n - 1] = '}';
	cr_assert_eq(js_scan(ps, json, n, out, &err), 0);
	for (int i = 0; i < JS_MAX_PATHS; i++) {
		if (i % 2) {
			cr_expect_eq(out[i].type, JS_NONE, "key_%d", i);
		} else {
			snprintf(key, sizeof key, "%d", i);
			expect_view(&out[i], JS_NUMBER, key);
		}
	}
	js_paths_free(ps);
}

/* ---- fast paths at their edges ------------------------------------ */

/* Numbers are matched within a 16-byte window when one is readable: each
 * token here sits at every offset before the end of an exactly sized
 * buffer, so it ends inside, at and past the window. */
Test(jsonscan, numbers_at_window_edges)
{
	static const char *const ok[] = {
		"0", "-0", "7", "-12", "1017.2", "0.5", "-0.000184", "7.02e-05",
		"1E+2", "1e7", "123456789012345", "1234567890123456",
		"12345678901234567890", "-1.2345678901234e-300", "0e0", "9.5E12",
	};
	/* token, the offset of the fault within it */
	static const struct { const char *s; size_t at; } bad[] = {
		{ "01", 1 }, { "-01", 2 }, { "1.", 2 }, { "1.e5", 2 }, { "1e", 2 },
		{ "1e+", 3 }, { "-", 1 }, { "-x", 1 }, { "0.5e-", 5 }, { "00", 1 },
		{ "123456789012345.", 16 }, { "12345678901234e", 15 },
	};
	struct js_paths *ps = js_paths_new();
	struct js_view out[1];
	struct js_err e;
	char doc[64];

	cr_assert_eq(js_paths_add(ps, "k"), 0);
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		for (int pad = 0; pad < 20; pad++) {
			int n = snprintf(doc, sizeof doc, "{\"k\":%s%*s}", ok[i], pad, "");
			char *b = exact(doc, (size_t)n);

			cr_assert_eq(js_scan(ps, b, (size_t)n, out, &e), 0, "%s pad %d", ok[i], pad);
			expect_view(&out[0], JS_NUMBER, ok[i]);
			/* the same token as the whole text */
			cr_expect_eq(validate_n(b + 5, strlen(ok[i]), NULL), 0, "%s alone", ok[i]);
			free(b);
		}
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		for (int pad = 0; pad < 20; pad++) {
			int n = snprintf(doc, sizeof doc, "[%s%*s]", bad[i].s, pad, "");
			char *b = exact(doc, (size_t)n);

			cr_assert_eq(js_scan(ps, b, (size_t)n, out, &e), -1, "%s pad %d", bad[i].s, pad);
			cr_expect_str_eq(e.msg, "invalid number", "%s pad %d", bad[i].s, pad);
			cr_expect_eq(e.pos, 1 + bad[i].at, "%s pad %d: pos %zu", bad[i].s, pad, e.pos);
			free(b);
		}
	}
	js_paths_free(ps);
}

/* The last bytes of a text are searched with one load that ends at the
 * text's end: a string that is the whole text, of every length, with a
 * special byte at every spot. */
Test(jsonscan, strings_at_end_of_text)
{
	char doc[48];
	struct js_err e;

	for (size_t len = 0; len < 40; len++) {
		doc[0] = '"';
		memset(doc + 1, 'x', len);
		doc[len + 1] = '"';
		cr_expect_eq(validate_n(doc, len + 2, NULL), 0, "len %zu", len);
		cr_expect_eq(validate_n(doc, len + 1, &e), -1, "unterminated, len %zu", len);
		cr_expect_str_eq(e.msg, "unexpected end of input");
		for (size_t at = 0; at < len; at++) {
			doc[1 + at] = '\x01';
			cr_expect_eq(validate_n(doc, len + 2, &e), -1, "len %zu at %zu", len, at);
			cr_expect_str_eq(e.msg, "control character in string");
			cr_expect_eq(e.pos, 1 + at);
			doc[1 + at] = '"';      /* the string ends early */
			cr_expect_eq(validate_n(doc, len + 2, &e), -1);
			cr_expect_str_eq(e.msg, "trailing characters after JSON value");
			cr_expect_eq(e.pos, 2 + at, "len %zu at %zu: pos %zu", len, at, e.pos);
			doc[1 + at] = 'x';
		}
	}
}

/* Short keys are looked up from the bytes that found their end: keys of
 * every length up to past 16, wanted or near misses, near the text's end. */
Test(jsonscan, short_keys_every_length)
{
	struct js_paths *ps = js_paths_new();
	struct js_view out[24];
	struct js_err e;
	char key[32], doc[1024];
	size_t n = 0;

	/* wanted: "k", "kk", ... of lengths 1..20, every other one */
	for (int len = 1, i = 0; len <= 20; len += 2, i++) {
		memset(key, 'k', (size_t)len);
		key[len] = '\0';
		cr_assert_eq(js_paths_add(ps, key), i);
	}
	doc[n++] = '{';
	for (int len = 0; len <= 21; len++)
		n += (size_t)snprintf(doc + n, sizeof doc - n, "\"%.*s\":%d,", len,
		                      "kkkkkkkkkkkkkkkkkkkkkkkk", len);
	doc[n - 1] = '}';
	{
		char *b = exact(doc, n);

		cr_assert_eq(js_scan(ps, b, n, out, &e), 0);
		for (int len = 1, i = 0; len <= 20; len += 2, i++) {
			snprintf(key, sizeof key, "%d", len);
			expect_view(&out[i], JS_NUMBER, key);
		}
		free(b);
	}
	/* an escaped key matches decoded; near misses of "kkk" do not */
	n = (size_t)snprintf(doc, sizeof doc, "{\"kkx\":1,\"kk\\u006b\":2,\"kkkx\":3,\"kk\":4}");
	{
		char *b = exact(doc, n);

		cr_assert_eq(js_scan(ps, b, n, out, &e), 0);
		expect_view(&out[1], JS_NUMBER, "2");
		free(b);
	}
	js_paths_free(ps);
}

/* js_number's and js_int64's one-pass paths hand over to the general ones
 * at 15 digits and |exponent| 22, and at 18 digits: the same results. */
Test(jsonscan, number_fast_path_bounds)
{
	static const char *const nums[] = {
		"999999999999999", "9999999999999999", "123456789012345e22",
		"123456789012345e23", "1e-22", "1e-23", "3e22", "3e23",
		"0.123456789012345", "0.1234567890123456", "-0.0000000000000001e-7",
		"8.98846567431158e307", "1e-0000022", "4.35e-05",
	};
	static const struct { const char *s; int rc; int64_t v; } ints[] = {
		{ "999999999999999999", 0, 999999999999999999LL },
		{ "-999999999999999999", 0, -999999999999999999LL },
		{ "1000000000000000000", 0, 1000000000000000000LL },
		{ "0", 0, 0 }, { "-0", 0, 0 }, { "00", -1, 0 }, { "-", -1, 0 },
		{ "200", 0, 200 }, { "2x", -1, 0 }, { "", -1, 0 },
	};

	for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
		expect_num(nums[i], strtod(nums[i], NULL));
	for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
		struct js_view v = sview(ints[i].s, JS_NUMBER);
		int64_t got = 77;
		int rc = js_int64(&v, &got);

		cr_expect_eq(rc, ints[i].rc, "js_int64(%s) rc %d", ints[i].s, rc);
		if (rc == 0)
			cr_expect_eq(got, ints[i].v, "js_int64(%s) = %lld", ints[i].s, (long long)got);
	}
}

/* Texts of 64 to 4096 bytes are scanned with a map of their special bytes,
 * one bit per byte: strings as whole texts on both sides of those sizes and
 * of 64-bit word boundaries, with a control byte or an early quote at each
 * spot. */
Test(jsonscan, special_byte_map_edges)
{
	static const size_t sizes[] = { 62, 63, 64, 65, 66, 79, 80, 127, 128, 129,
	                                191, 192, 193, 4094, 4095, 4096, 4097, 4098 };
	char *doc = malloc(4100);
	struct js_err e;

	cr_assert_not_null(doc);
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		size_t n = sizes[i];

		doc[0] = '"';
		memset(doc + 1, 'x', n - 2);
		doc[n - 1] = '"';
		cr_expect_eq(validate_n(doc, n, NULL), 0, "n %zu", n);
		cr_expect_eq(validate_n(doc, n - 1, &e), -1, "n %zu cut", n);
		cr_expect_eq(e.pos, n - 1);
		for (size_t at = 1; at < n - 1; at += at < 200 || at > n - 200 ? 1 : 61) {
			doc[at] = '\x1f';
			cr_expect_eq(validate_n(doc, n, &e), -1, "n %zu at %zu", n, at);
			cr_expect_str_eq(e.msg, "control character in string");
			cr_expect_eq(e.pos, at, "n %zu at %zu: pos %zu", n, at, e.pos);
			doc[at] = '"';
			cr_expect_eq(validate_n(doc, n, &e), -1);
			cr_expect_eq(e.pos, at + 1, "n %zu quote at %zu: pos %zu", n, at, e.pos);
			doc[at] = 'x';
		}
	}
	free(doc);
}

/* Texts of every length around the map's block sizes (16 and 64 bytes):
 * the same document shifted by leading spaces gives the same views and
 * the same errors, at shifted positions. */
Test(jsonscan, texts_of_every_short_length)
{
	static const struct { const char *doc, *msg; size_t pos; } bad[] = {
		{ "\"ab\x01\"", "control character in string", 3 },
		{ "{\"k\":\"x\\q\"}", "invalid escape in string", 7 },
		{ "{\"k\":\"abc", "unexpected end of input", 9 },
		{ "{\"k\":1 \"j\":2}", "expected ',' or '}' in object", 7 },
		{ "{\"k\"\t:\t1 x", "expected ',' or '}' in object", 9 },
		{ "{\"k\":\x7f}", "expected a value", 5 },
	};
	char doc[160], msg[64];

	for (size_t pad = 0; pad <= 80; pad++) {
		struct fx f;
		size_t n;

		memset(doc, ' ', pad);
		n = pad + (size_t)snprintf(doc + pad, sizeof doc - pad,
		                           "{\"k\":\"v\\n\",\"kk\" : [1,{\"x\":true}],\"q\":-2.5e1}");
		fx_run(&f, doc, PATHS("k", "kk.1.x", "q", "kk"));
		cr_assert_eq(f.rc, 0, "pad %zu", pad);
		expect_view(&f.out[0], JS_STRING, "v\\n");
		cr_expect_eq(f.out[0].escaped, 1);
		expect_view(&f.out[1], JS_TRUE, "true");
		expect_view(&f.out[2], JS_NUMBER, "-2.5e1");
		expect_view(&f.out[3], JS_ARRAY, "[1,{\"x\":true}]");
		fx_free(&f);
		cr_assert_lt(n, sizeof doc);
		for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
			struct js_err e = { NULL, 0 };

			snprintf(doc + pad, sizeof doc - pad, "%s", bad[i].doc);
			cr_expect_eq(validate(doc, &e), -1);
			snprintf(msg, sizeof msg, "%s", e.msg ? e.msg : "(null)");
			cr_expect_str_eq(msg, bad[i].msg, "pad %zu doc %zu", pad, i);
			cr_expect_eq(e.pos, pad + bad[i].pos, "pad %zu doc %zu", pad, i);
		}
	}
}

/* The map of special bytes is built with AVX-512 where the CPU has it
 * (LLMSTAT_NO_AVX512 turns that off): both builders must give the same
 * scan, result, views and error alike, on texts of every length across
 * the 64-byte blocks, dense in the bytes the map marks. */
Test(jsonscan, wide_and_narrow_maps_agree)
{
	static const char bytes[] = "{}[]\":,\\\\\"\"aaab01-e.E+ \t\n\x01\x1f\x7f\xc3\xa9u{}";
	static const char *const paths[] = { "a", "b.c", "k", "aa", NULL };
	static const char *const seeds[] = {
		"{\"a\":\"x\",\"b\":{\"c\":[1,2,{\"k\":\"\\u00e9\"}]},\"k\":-1.5e3,\"aa\":true}",
		"{\"k\":\"a\\\"b\\\\c\",\"a\":null,\"b\":{\"c\":\"\"}}",
	};
	struct js_paths *wide, *narrow;
	struct js_view ow[8], on[8];
	struct js_err ew, en;
	char buf[400];

	unsetenv("LLMSTAT_NO_AVX512");
	wide = js_paths_new();
	setenv("LLMSTAT_NO_AVX512", "1", 1);
	narrow = js_paths_new();
	unsetenv("LLMSTAT_NO_AVX512");
	for (int i = 0; paths[i]; i++) {
		js_paths_add(wide, paths[i]);
		js_paths_add(narrow, paths[i]);
	}
	for (int t = 0; t < 60000; t++) {
		size_t n = (size_t)(rnd() % 300), k;
		const char *seed = seeds[t & 1];
		int rw, rn;
		char *b;

		/* a valid line padded with a long string, then mutated */
		if (t % 3 == 0) {
			size_t pad = n > 80 ? n - 80 : 0;

			k = (size_t)snprintf(buf, sizeof buf, "{\"p\":\"%*s\",", (int)pad, "");
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%s", seed + 1);
			n = k;
			for (int m = (int)(rnd() % 3); m-- > 0;)
				buf[rnd() % n] = bytes[rnd() % (sizeof bytes - 1)];
		} else {
			for (k = 0; k < n; k++)
				buf[k] = bytes[rnd() % (sizeof bytes - 1)];
		}
		b = exact(buf, n);
		rw = js_scan(wide, b, n, ow, &ew);
		rn = js_scan(narrow, b, n, on, &en);
		cr_assert_eq(rw, rn, "text %d (%zu bytes): %d vs %d", t, n, rw, rn);
		if (rw < 0) {
			cr_assert_str_eq(ew.msg, en.msg, "text %d", t);
			cr_assert_eq(ew.pos, en.pos, "text %d", t);
		} else {
			for (int i = 0; paths[i]; i++) {
				cr_assert_eq(ow[i].type, on[i].type, "text %d path %d", t, i);
				cr_assert(ow[i].p == on[i].p && ow[i].n == on[i].n &&
				          ow[i].escaped == on[i].escaped, "text %d path %d", t, i);
			}
		}
		free(b);
	}
	js_paths_free(wide);
	js_paths_free(narrow);
}
