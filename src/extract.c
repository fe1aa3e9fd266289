/* extract.c - a line to its records, by the file's preset. */
#include "extract.h"

#include <stdlib.h>
#include <string.h>

#include "preset.h"
#include "util.h"

#define MAX_DURATION_US (86400LL * 1000000)     /* as schema.c: one day */

enum { O_ROOT, O_RES, O_SCOPE, O_KV };

void
ex_init(struct ex *x)
{
	static const char *const paths[4][2] = {
		{ "resourceSpans", NULL }, { "resource.attributes", "scopeSpans" },
		{ "spans", NULL }, { "key", "value" },
	};
	int i, j;

	memset(x, 0, sizeof(*x));
	x->views = xcalloc(JS_MAX_PATHS + 1, sizeof(*x->views));
	x->subv = xcalloc(JS_MAX_PATHS + 1, sizeof(*x->subv));
	for (i = 0; i < 4; i++) {
		x->otel[i] = js_paths_new();
		for (j = 0; j < 2 && paths[i][j]; j++)
			js_paths_add(x->otel[i], paths[i][j]);
	}
}

void
ex_free(struct ex *x)
{
	int i;

	free(x->views);
	free(x->subv);
	free(x->rbuf);
	for (i = 0; i < 4; i++)
		js_paths_free(x->otel[i]);
}

/* A field holding its JSON as a string (LiteLLM's metadata): decode it and
 * scan it for the paths below it. Not JSON: the field stays a string. */
static void
rescan(struct ex *x, const struct schema *s)
{
	const struct js_view *f = &x->views[s->rescan];
	struct js_err je;
	long n;
	int k;

	if (f->type != JS_STRING || f->n == 0 || s->nsub == 0)
		return;
	if (x->rcap < f->n) {
		x->rcap = f->n + f->n / 2 + 64;
		x->rbuf = xrealloc(x->rbuf, x->rcap);
	}
	if ((n = js_unescape(f, x->rbuf, x->rcap)) < 0 ||
	    js_scan(s->sub, x->rbuf, (size_t)n, x->subv, &je) < 0)
		return;
	for (k = 0; k < s->nsub; k++)
		if (x->subv[k].type != JS_NONE)
			x->views[s->submap[k]] = x->subv[k];
}

int
ex_begin(struct ex *x, const struct schema *s, const char *p, size_t n, struct js_err *je)
{
	x->done = 0;
	x->multi = s->preset && s->preset->multi;
	if (!x->multi) {
		if (js_scan(s->paths, p, n, x->views, je) < 0)
			return -1;
		if (s->rescan >= 0)
			rescan(x, s);
		return 0;
	}
	if (js_scan(x->otel[O_ROOT], p, n, &x->rspans, je) < 0)
		return -1;
	x->rs_pos = x->ss_pos = x->sp_pos = 0;
	x->scopes.type = x->spans.type = JS_NONE;
	return 0;
}

int
ex_resumable(const struct schema *s)
{
	return !(s->preset && s->preset->multi) && s->rescan < 0;
}

size_t
ex_nviews(const struct schema *s)
{
	return (size_t)js_paths_count(s->paths);
}

void
ex_resume(struct ex *x, const struct schema *s, const struct js_view *v)
{
	x->done = 0;
	x->multi = 0;
	memcpy(x->views, v, ex_nviews(s) * sizeof(*v));
}

/* The path of s whose text is key, or -1 (OTLP attribute keys). */
static int
path_of(const struct schema *s, const struct js_view *key)
{
	int i;

	for (i = 0; i < s->npaths; i++)
		if (strlen(s->ptext[i]) == key->n && memcmp(s->ptext[i], key->p, key->n) == 0)
			return i;
	return -1;
}

/* Sets the views of an OTLP attribute list [{key, value: {xValue: v}}]. */
static void
overlay(struct ex *x, const struct schema *s, const struct js_view *attrs)
{
	struct js_view el, kv[2], k2, val;
	struct js_err je;
	size_t pos = 0, vpos;
	int i;

	while (js_array_next(attrs, &pos, &el)) {
		if (el.type != JS_OBJECT || js_scan(x->otel[O_KV], el.p, el.n, kv, &je) < 0 ||
		    kv[0].type != JS_STRING || (i = path_of(s, &kv[0])) < 0)
			continue;
		vpos = 0;
		if (kv[1].type == JS_OBJECT && js_object_next(&kv[1], &vpos, &k2, &val))
			x->views[i] = val;
	}
}

/* The next span of an OTLP line, scanned into x->views; 0 at the end, -1
 * for a span that is not an object. */
static int
next_span(struct ex *x, const struct schema *s)
{
	struct js_view el, two[2];
	struct js_err je;

	for (;;) {
		if (x->spans.type == JS_ARRAY && js_array_next(&x->spans, &x->sp_pos, &el)) {
			if (el.type != JS_OBJECT || js_scan(s->paths, el.p, el.n, x->views, &je) < 0)
				return -1;      /* counted as a rejected record */
			if (x->rattrs.type == JS_ARRAY)
				overlay(x, s, &x->rattrs);
			if (x->views[s->aux[2]].type == JS_ARRAY)
				overlay(x, s, &x->views[s->aux[2]]);
			return 1;
		}
		if (x->scopes.type == JS_ARRAY && js_array_next(&x->scopes, &x->ss_pos, &el)) {
			x->spans.type = JS_NONE;
			x->sp_pos = 0;
			if (el.type == JS_OBJECT)
				js_scan(x->otel[O_SCOPE], el.p, el.n, &x->spans, &je);
			continue;
		}
		if (!js_array_next(&x->rspans, &x->rs_pos, &el))
			return 0;
		x->scopes.type = x->spans.type = x->rattrs.type = JS_NONE;
		x->ss_pos = 0;
		if (el.type == JS_OBJECT && js_scan(x->otel[O_RES], el.p, el.n, two, &je) == 0) {
			x->rattrs = two[0];
			x->scopes = two[1];
		}
	}
}

/* Durations from two times: preferred to the field's own candidates. */
static void
derive(const struct schema *s, const struct js_view *v, struct record *r, uint64_t *invalid)
{
	uint32_t done = 0, bit;
	int64_t a, b;
	int i;

	for (i = 0; i < s->nderive; i++) {
		bit = s->derive[i].field == F_LATENCY ? R_LATENCY : R_TTFT;
		if ((done & bit) || v[s->derive[i].end].type == JS_NONE ||
		    v[s->derive[i].start].type == JS_NONE ||
		    schema_time(&v[s->derive[i].end], s->derive[i].unit, &a) < 0 ||
		    schema_time(&v[s->derive[i].start], s->derive[i].unit, &b) < 0)
			continue;
		done |= bit;
		if (a < b || a - b > MAX_DURATION_US) {
			(*invalid)++;
			r->has &= ~bit;
			continue;
		}
		r->has |= bit;
		*(bit == R_LATENCY ? &r->latency_us : &r->ttft_us) = a - b;
	}
}

/* The dedup key: a hash of the key parts' raw text, 0 when there is none. */
static uint64_t
dedup_key(const struct schema *s, const struct js_view *v)
{
	uint64_t h = 0x6465647570ULL;
	int i, any = 0;

	for (i = 0; i < s->ndedup; i++) {
		const struct js_view *x = &v[s->dedup[i]];

		if (!schema_present(x)) {
			if (s->dedup_all)
				return 0;
			continue;
		}
		h = hash64(x->p, x->n, h ^ (uint64_t)(i + 1));
		any = 1;
	}
	return any ? (h ? h : 1) : 0;
}

int
ex_next(struct ex *x, const struct schema *s, struct record *rec, char *scratch,
        size_t cap, const char **why, uint64_t *invalid, uint64_t *key)
{
	const struct preset *p = s->preset;
	char *rs = scratch + cap / 2;
	size_t rleft = cap - cap / 2;
	int kind = PR_REQUEST;

	*key = 0;
	if (x->multi) {
		int r = next_span(x, s);

		if (r == 0)
			return EX_END;
		if (r < 0) {
			*why = "otel: a span that is not an object";
			return PR_REJECT;
		}
	} else if (x->done)
		return EX_END;
	x->done = 1;
	if (schema_fill(s, x->views, rec, scratch, cap / 2, why, invalid) < 0)
		return PR_REJECT;
	if (s->nderive)
		derive(s, x->views, rec, invalid);
	if (p && p->rule)
		kind = p->rule(s, x->views, rec, &rs, &rleft, why);
	if (rec->status >= 400)
		rec->error = 1;
	if (kind == PR_REQUEST || kind == PR_FEEDBACK)
		*key = dedup_key(s, x->views);
	return kind;
}
