/* schema_fill.c - a line's views turned into a record by a schema: each
 * field from its first present candidate, converted to its unit, checked
 * against the limits below (an absurd value is dropped and counted). */
#include "schema.h"

#include <math.h>
#include <string.h>

#include "ltime.h"
#include "util.h"

/* Limits beyond which a value is absurd: dropped, counted as invalid. */
#define MAX_DURATION_US (86400LL * 1000000)     /* one day */
#define MAX_TOKENS 1000000000LL                 /* a billion */
#define MAX_COST_USD 100000.0                   /* per request */

/* The first candidate of field f that is present and not null. */
static const struct js_view *
pick(const struct schema *s, const struct js_view *v, int f, int *unit)
{
	int i;

	for (i = 0; i < s->ncand[f]; i++) {
		const struct js_view *x = &v[s->cand[f][i].path];

		if (schema_present(x)) {
			*unit = s->cand[f][i].unit;
			return x;
		}
	}
	return NULL;
}

int
schema_string(const struct js_view *v, struct strv *out, char **scratch,
              size_t *left)
{
	long n;

	if (v == NULL || v->type == JS_NONE || v->type == JS_NULL ||
	    v->type == JS_OBJECT || v->type == JS_ARRAY)
		return -1;
	if (v->type != JS_STRING || !v->escaped) {
		out->p = v->p;
		out->n = v->n;
		return 0;
	}
	n = js_unescape(v, *scratch, *left);
	if (n < 0) {            /* too long for the scratch: keep the raw text */
		out->p = v->p;
		out->n = v->n;
		return 0;
	}
	out->p = *scratch;
	out->n = (uint32_t)n;
	*scratch += n;
	*left -= (size_t)n;
	return 0;
}

struct fillctx {
	const struct schema *s;
	const struct js_view *v;
	struct record *rec;
	char *scratch;
	size_t left;
	const char **why;
	uint64_t *invalid;
};

/* Type failure: the line is rejected, naming the field. */
static int
reject(struct fillctx *c, int f)
{
	static const char *const msgs[F_COUNT] = {
		[F_TIME] = "field 'time' has the wrong type",
		[F_REQUEST] = "field 'request' has the wrong type",
		[F_USER] = "field 'user' has the wrong type",
		[F_SESSION] = "field 'session' has the wrong type",
		[F_MODEL] = "field 'model' has the wrong type",
		[F_PROVIDER] = "field 'provider' has the wrong type",
		[F_FEATURE] = "field 'feature' has the wrong type",
		[F_STATUS] = "field 'status' is not a number",
		[F_ERROR] = "field 'error' has the wrong type",
		[F_ERROR_TYPE] = "field 'error_type' has the wrong type",
		[F_LATENCY] = "field 'latency' is not a number",
		[F_TTFT] = "field 'ttft' is not a number",
		[F_IN] = "field 'input_tokens' is not a number",
		[F_OUT] = "field 'output_tokens' is not a number",
		[F_CACHED] = "field 'cached_tokens' is not a number",
		[F_CWRITE] = "field 'cache_write_tokens' is not a number",
		[F_COST] = "field 'cost' is not a number",
		[F_CACHE_HIT] = "field 'cache_hit' is not a boolean",
		[F_RATING] = "field 'rating' is not a rating",
		[F_SUCCESS] = "field 'success' is not a boolean",
		[F_REGEN] = "field 'regenerated' is not a boolean",
		[F_PROMPT] = "field 'prompt' has the wrong type",
	};

	*c->why = msgs[f];
	return -1;
}

static int
fill_string(struct fillctx *c, int f, struct strv *out)
{
	int unit;
	const struct js_view *x = pick(c->s, c->v, f, &unit);

	out->p = NULL;
	out->n = 0;
	if (x == NULL)
		return 0;
	if (schema_string(x, out, &c->scratch, &c->left) < 0)
		return reject(c, f);
	if (out->n == 0)
		out->p = NULL;  /* "" is the same as absent */
	return 0;
}

/* A picked number view: 1 with *d set, -1 (line rejected) wrong type. */
static int
number_of(struct fillctx *c, int f, const struct js_view *x, double *d)
{
	if ((x->type != JS_NUMBER && x->type != JS_STRING) || js_number(x, d) < 0)
		return reject(c, f);
	return 1;
}

/* The common case without floating point: a JSON number without a sign,
 * with at most 15 digits, read as m * 10^e10 (|e10| <= 22). Callers scale
 * it by integer multiplication only while the result stays under 2^51,
 * where it equals what rounding the double gives. Returns 0, or -1 for
 * anything else (the general path then decides). */
static int
plain_number(const struct js_view *x, uint64_t *m, int *e10)
{
	const unsigned char *p = (const unsigned char *)x->p, *end = p + x->n, *f;
	uint64_t v = 0;
	int ndig, nfrac = 0, e = 0, eneg;

	if (x->type != JS_NUMBER || x->n > 24)
		return -1;
	for (; p < end && (unsigned)(*p - '0') < 10; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	ndig = (int)(p - (const unsigned char *)x->p);
	if (p < end && *p == '.') {
		for (f = ++p; p < end && (unsigned)(*p - '0') < 10; p++)
			v = v * 10 + (uint64_t)(*p - '0');
		nfrac = (int)(p - f);
	}
	if (ndig == 0 || ndig + nfrac > 15)
		return -1;      /* a sign, or too many digits */
	if (p < end) {          /* an exponent (the scanner checked its grammar) */
		if (*p != 'e' && *p != 'E')
			return -1;
		eneg = *++p == '-';
		p += *p == '-' || *p == '+';
		for (; p < end && e < 100; p++)
			e = e * 10 + (*p - '0');
		e = eneg ? -e : e;
	}
	e -= nfrac;
	if (e < -22 || e > 22)
		return -1;
	*m = v;
	*e10 = e;
	return 0;
}

/* m * 10^k for 0 <= k, or -1 when that reaches limit (< 2^51). */
static int64_t
scale_up(uint64_t m, int k, int64_t limit)
{
	while (k-- > 0) {
		if (m > (uint64_t)limit / 10)
			return -1;
		m *= 10;
	}
	return m < (uint64_t)limit ? (int64_t)m : -1;
}

static double
to_us(double v, int unit)
{
	switch (unit) {
	case U_NS: return v / 1000.0;
	case U_US: return v;
	case U_S: return v * 1e6;
	default: return v * 1000.0;     /* milliseconds */
	}
}

/* A duration in whole us from plain_number, when the unit allows it
 * exactly (ms, s, us; not ns, which divides). The limit itself and
 * beyond take the general path. */
static int
plain_duration(const struct js_view *x, int unit, int64_t *us)
{
	uint64_t m;
	int e10, shift;
	int64_t v;

	if (plain_number(x, &m, &e10) < 0)
		return -1;
	shift = unit == U_S ? 6 : unit == U_US ? 0 : unit == U_NS ? -100 : 3;
	if (shift + e10 < 0 || (v = scale_up(m, shift + e10, MAX_DURATION_US)) < 0)
		return -1;
	*us = v;
	return 0;
}

static int
fill_duration(struct fillctx *c, int f, uint32_t bit, int64_t *out)
{
	double d, us;
	int unit, r;
	const struct js_view *x = pick(c->s, c->v, f, &unit);

	if (x == NULL)
		return 0;
	if (plain_duration(x, unit, out) == 0) {
		c->rec->has |= bit;
		return 0;
	}
	if ((r = number_of(c, f, x, &d)) <= 0)
		return r;
	us = to_us(d, unit);
	if (!(us >= 0) || us > (double)MAX_DURATION_US) {
		(*c->invalid)++;
		return 0;
	}
	*out = llround(us);
	c->rec->has |= bit;
	return 0;
}

static int
fill_tokens(struct fillctx *c, int f, uint32_t bit, int64_t *out)
{
	double d;
	int unit, r, k;
	uint64_t m;
	int64_t v;
	const struct js_view *x = pick(c->s, c->v, f, &unit);

	if (x == NULL)
		return 0;
	if (plain_number(x, &m, &k) == 0 && k >= 0 && (v = scale_up(m, k, MAX_TOKENS + 1)) >= 0) {
		*out = v;
		c->rec->has |= bit;
		return 0;
	}
	if ((r = number_of(c, f, x, &d)) <= 0)
		return r;
	if (!(d >= 0) || d > (double)MAX_TOKENS || d != floor(d)) {
		(*c->invalid)++;
		return 0;
	}
	*out = (int64_t)d;
	c->rec->has |= bit;
	return 0;
}

static int
fill_cost(struct fillctx *c)
{
	double d;
	uint64_t m;
	int unit, r, e10;
	int64_t v;
	const struct js_view *x = pick(c->s, c->v, F_COST, &unit);

	if (x == NULL)
		return 0;
	/* pico-USD by integer scaling up to $1,125 (2^50 pico), where it
	 * equals llround(usd * 1e12) */
	if (unit != U_NANOUSD && plain_number(x, &m, &e10) == 0 && e10 >= -12 &&
	    (v = scale_up(m, 12 + e10, (int64_t)1 << 50)) >= 0) {
		c->rec->cost_pico = v;
		c->rec->has |= R_COST;
		return 0;
	}
	if ((r = number_of(c, F_COST, x, &d)) <= 0)
		return r;
	if (unit == U_NANOUSD)
		d /= 1e9;
	if (!(d >= 0) || d > MAX_COST_USD) {
		(*c->invalid)++;
		return 0;
	}
	c->rec->cost_pico = usd_to_pico(d);
	c->rec->has |= R_COST;
	return 0;
}

/* A number of epoch units forced by --map time=PATH:unit; integers are
 * converted exactly (nanosecond strings of OTLP). */
static int
epoch_in_unit(const struct js_view *x, int unit, int64_t *us)
{
	static const int64_t per_us[] = { [U_NS] = -1000, [U_US] = 1, [U_MS] = 1000, [U_S] = 1000000 };
	double d, v;
	int64_t i, k = unit < U_USD ? per_us[unit] : 1000;

	if (js_int64(x, &i) == 0) {
		if (k < 0)
			i /= -k;
		else if (i > INT64_MAX / k || i < INT64_MIN / k)
			return -1;
		else
			i *= k;
		if (!(i > -2200000000000000LL && i < 11000000000000000LL))
			return -1;      /* years 1900 to 2300 */
		*us = i;
		return 0;
	}
	if (js_number(x, &d) < 0)
		return -1;
	v = to_us(d, unit);
	if (!(v > -2.2e15 && v < 1.1e16))
		return -1;
	*us = llround(v);
	return 0;
}

int
schema_time(const struct js_view *x, int unit, int64_t *us)
{
	double d;
	int64_t i;

	if (x->type == JS_STRING && unit != U_DEFAULT && js_int64(x, &i) == 0)
		return epoch_in_unit(x, unit, us);
	if (x->type == JS_STRING)
		return ltime_parse(x->p, x->n, us);
	if (x->type != JS_NUMBER)
		return -2;
	if (unit != U_DEFAULT)
		return epoch_in_unit(x, unit, us);
	if (js_int64(x, &i) == 0)
		return ltime_from_epoch_int(i, us);
	if (js_number(x, &d) == 0)
		return ltime_from_epoch(d, us);
	return -1;
}

static int
fill_time(struct fillctx *c)
{
	int unit, ok;
	const struct js_view *x = pick(c->s, c->v, F_TIME, &unit);

	if (x == NULL)
		return 0;
	if ((ok = schema_time(x, unit, &c->rec->time_us)) == -2)
		return reject(c, F_TIME);
	if (ok < 0) {
		(*c->invalid)++;
		return 0;
	}
	c->rec->has |= R_TIME;
	return 0;
}

/* One status candidate: 1 when it settled the status, 0 when it only told
 * success or failure (a word), -1 when it said nothing usable. */
static int
status_one(struct fillctx *c, const struct js_view *x)
{
	int64_t code;

	if (js_int64(x, &code) == 0) {
		if (code < 100 || code > 599)
			return -1;
		c->rec->status = (int32_t)code;
		c->rec->has |= R_STATUS;
		return 1;
	}
	if (x->type != JS_STRING)
		return -1;
	if (js_streq(x, "failure") || js_streq(x, "error") || js_streq(x, "failed")) {
		c->rec->error = 1;
		return 0;
	}
	return js_streq(x, "success") || js_streq(x, "ok") ? 0 : -1;
}

/* Status: an HTTP code, or a word such as "success" / "failure". Every
 * present candidate is read until one gives a code (LiteLLM carries both
 * an error code and a status word). */
static int
fill_status(struct fillctx *c)
{
	const struct schema *s = c->s;
	int i, r, told = 0, bad = 0;

	for (i = 0; i < s->ncand[F_STATUS]; i++) {
		const struct js_view *x = &c->v[s->cand[F_STATUS][i].path];

		if (!schema_present(x))
			continue;
		if (x->type == JS_OBJECT || x->type == JS_ARRAY || x->type == JS_TRUE || x->type == JS_FALSE)
			return reject(c, F_STATUS);
		if ((r = status_one(c, x)) == 1)
			return 0;
		told |= r == 0;
		bad |= r < 0;
	}
	if (bad && !told)
		(*c->invalid)++;
	return 0;
}

static int
fill_error(struct fillctx *c)
{
	int unit;
	const struct js_view *x = pick(c->s, c->v, F_ERROR, &unit);

	if (x == NULL)
		return 0;
	switch (x->type) {
	case JS_FALSE: return 0;
	case JS_TRUE: c->rec->error = 1; return 0;
	case JS_STRING: c->rec->error |= js_bool(x) != 0 && x->n > 0; return 0;
	case JS_NUMBER: c->rec->error |= js_bool(x) == 1; return 0;
	default: c->rec->error |= x->n > 2; return 0;   /* {} and [] are no error */
	}
}

static int
fill_bool(struct fillctx *c, int f, uint32_t bit, uint8_t *out)
{
	int unit, b;
	const struct js_view *x = pick(c->s, c->v, f, &unit);

	if (x == NULL)
		return 0;
	if (x->type == JS_OBJECT || x->type == JS_ARRAY)
		return reject(c, f);
	if ((b = js_bool(x)) < 0) {
		if (x->type == JS_STRING && (js_streq(x, "success") || js_streq(x, "succeeded")))
			b = 1;
		else if (x->type == JS_STRING && (js_streq(x, "failure") || js_streq(x, "failed")))
			b = 0;
		else {
			(*c->invalid)++;
			return 0;
		}
	}
	*out = (uint8_t)b;
	c->rec->has |= bit;
	return 0;
}

/* Ratings: numbers are stars (or 0-10); thumbs map to 5 and 1. */
static int
fill_rating(struct fillctx *c)
{
	static const char *const up[] = { "up", "thumbs_up", "positive", "good", "like", "true", "yes" };
	static const char *const down[] = { "down", "thumbs_down", "negative", "bad", "dislike", "false", "no" };
	int unit;
	const struct js_view *x = pick(c->s, c->v, F_RATING, &unit);
	double d = -2;
	size_t i;

	if (x == NULL)
		return 0;
	if (x->type == JS_TRUE || x->type == JS_FALSE)
		d = x->type == JS_TRUE ? 5 : 1;
	else if (x->type == JS_NUMBER || x->type == JS_STRING) {
		if (js_number(x, &d) < 0) {
			for (i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
				if (js_streq(x, up[i]))
					d = 5;
				if (js_streq(x, down[i]))
					d = 1;
			}
		}
	} else
		return reject(c, F_RATING);
	if (!(d >= -1 && d <= 10)) {
		(*c->invalid)++;
		return 0;
	}
	c->rec->rating = d;
	c->rec->has |= R_RATING;
	return 0;
}

static int
fill_prompt(struct fillctx *c)
{
	int unit;
	const struct js_view *x = pick(c->s, c->v, F_PROMPT, &unit);

	if (x == NULL)
		return 0;
	c->rec->prompt.p = x->p;
	c->rec->prompt.n = x->n;
	c->rec->has |= R_PROMPT;
	return 0;
}

static int
fill_strings(struct fillctx *c)
{
	struct record *r = c->rec;

	return fill_string(c, F_REQUEST, &r->request) | fill_string(c, F_USER, &r->user) |
	    fill_string(c, F_SESSION, &r->session) | fill_string(c, F_MODEL, &r->model) |
	    fill_string(c, F_PROVIDER, &r->provider) | fill_string(c, F_FEATURE, &r->feature) |
	    fill_string(c, F_ERROR_TYPE, &r->error_type);
}

static int
fill_numbers(struct fillctx *c)
{
	struct record *r = c->rec;

	return fill_duration(c, F_LATENCY, R_LATENCY, &r->latency_us) |
	    fill_duration(c, F_TTFT, R_TTFT, &r->ttft_us) |
	    fill_tokens(c, F_IN, R_IN, &r->input_tokens) |
	    fill_tokens(c, F_OUT, R_OUT, &r->output_tokens) |
	    fill_tokens(c, F_CACHED, R_CACHED, &r->cached_tokens) |
	    fill_tokens(c, F_CWRITE, R_CWRITE, &r->cache_write_tokens) |
	    fill_cost(c) | fill_time(c) | fill_status(c);
}

static int
fill_flags(struct fillctx *c)
{
	struct record *r = c->rec;

	return fill_error(c) | fill_bool(c, F_CACHE_HIT, R_CACHE_HIT, &r->cache_hit) |
	    fill_bool(c, F_SUCCESS, R_SUCCESS, &r->success) |
	    fill_bool(c, F_REGEN, R_REGEN, &r->regenerated) |
	    fill_rating(c) | fill_prompt(c);
}

/* --score values (finite numbers) and --flag values (booleans). */
static int
fill_signals(struct fillctx *c)
{
	const struct schema *s = c->s;
	double d;
	int i, b;

	for (i = 0; i < s->nscores; i++) {
		const struct js_view *x = &c->v[s->score_path[i]];

		if (x->type == JS_NONE || x->type == JS_NULL)
			continue;
		if (js_number(x, &d) < 0 || !isfinite(d) || fabs(d) > 1e9) {
			(*c->invalid)++;
			continue;
		}
		c->rec->score[i] = d;
		c->rec->has_score |= (uint16_t)(1u << i);
	}
	for (i = 0; i < s->nflags; i++) {
		const struct js_view *x = &c->v[s->flag_path[i]];

		if (!schema_present(x))
			continue;
		if ((b = js_bool(x)) < 0) {
			(*c->invalid)++;
			continue;
		}
		c->rec->has_flag |= (uint16_t)(1u << i);
		c->rec->flag |= (uint16_t)(b << i);
	}
	return 0;
}

int
schema_fill(const struct schema *s, const struct js_view *v,
            struct record *rec, char *scratch, size_t cap,
            const char **why, uint64_t *invalid)
{
	struct fillctx c = { s, v, rec, scratch, cap, why, invalid };

	memset(rec, 0, sizeof(*rec));
	if (fill_strings(&c) | fill_numbers(&c) | fill_flags(&c) | fill_signals(&c))
		return -1;
	if (rec->status >= 400)
		rec->error = 1;
	return 0;
}
