/* filter.c - --where conditions and the time window. */
#include "filter.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define DAY_US 86400000000LL

static int
parse_op(const char *p, int *op)
{
	static const struct { const char *s; int op; } ops[] = {
		{ "!=", FO_NE }, { "<=", FO_LE }, { ">=", FO_GE }, { "=", FO_EQ },
		{ "<", FO_LT }, { ">", FO_GT }, { "~", FO_RE },
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(p, ops[i].s, strlen(ops[i].s)) == 0) {
			*op = ops[i].op;
			return (int)strlen(ops[i].s);
		}
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && e[-1] == ' ')
		*--e = '\0';
	return s;
}

int
filter_where(struct filter *f, const char *expr, struct schema *s, char *err, size_t errlen)
{
	struct filter_cond *c = &f->c[f->n];
	char *copy = xstrdup(expr), *p = copy, *key, *val, *end;
	int oplen = 0;

	while (*p && !(oplen = parse_op(p, &c->op)))
		p++;
	if (f->n >= FILTER_MAX || !oplen || p == copy) {
		snprintf(err, errlen, "--where wants FIELD OP VALUE (OP: = != < <= > >= ~), got '%s'", expr);
		free(copy);
		return -1;
	}
	*p = '\0';
	key = trim(copy);
	val = trim(p + oplen);
	c->field = schema_field_by_name(key);
	if (c->field < 0 && (c->path = schema_extra_path(s, key)) < 0) {
		snprintf(err, errlen, "--where: bad field or path '%s'", key);
		free(copy);
		return -1;
	}
	c->text = xstrdup(val);
	errno = 0;
	c->num = strtod(val, &end);
	c->is_num = *val && !*end && !errno;
	free(copy);
	if (c->op == FO_RE && regcomp(&c->re, c->text, REG_EXTENDED | REG_NOSUB) != 0) {
		snprintf(err, errlen, "--where: bad regular expression '%s'", c->text);
		free(c->text);
		return -1;
	}
	f->n++;
	return 0;
}

void
filter_free(struct filter *f)
{
	int i;

	for (i = 0; i < f->n; i++) {
		if (f->c[i].op == FO_RE)
			regfree(&f->c[i].re);
		free(f->c[i].text);
	}
	f->n = 0;
}

/* A record value as text and, when numeric, as a number. 0 when absent. */
struct val {
	const char *p;
	size_t n;
	double num;
	int is_num;
	char buf[64];
};

static int
field_value(const struct record *r, int f, struct val *v)
{
	const struct strv *sv = NULL;
	double d = 0;
	int num = 1;

	switch (f) {
	case F_REQUEST: sv = &r->request; break;
	case F_USER: sv = &r->user; break;
	case F_SESSION: sv = &r->session; break;
	case F_MODEL: sv = &r->model; break;
	case F_PROVIDER: sv = &r->provider; break;
	case F_FEATURE: sv = &r->feature; break;
	case F_ERROR_TYPE: sv = &r->error_type; break;
	case F_STATUS: d = r->status ? r->status : r->error ? 0 : 200; num = r->status || !r->error; break;
	case F_LATENCY: d = (double)r->latency_us / 1000; num = (r->has & R_LATENCY) != 0; break;
	case F_TTFT: d = (double)r->ttft_us / 1000; num = (r->has & R_TTFT) != 0; break;
	case F_IN: d = (double)r->input_tokens; num = (r->has & R_IN) != 0; break;
	case F_OUT: d = (double)r->output_tokens; num = (r->has & R_OUT) != 0; break;
	case F_CACHED: d = (double)r->cached_tokens; num = (r->has & R_CACHED) != 0; break;
	case F_CWRITE: d = (double)r->cache_write_tokens; num = (r->has & R_CWRITE) != 0; break;
	case F_COST: d = (double)r->cost_pico / PICO_PER_USD; num = (r->has & R_COST) != 0; break;
	case F_RATING: d = r->rating; num = (r->has & R_RATING) != 0; break;
	case F_TIME: d = (double)r->time_us / 1e6; num = (r->has & R_TIME) != 0; break;
	case F_ERROR: d = r->error; break;
	case F_CACHE_HIT: d = r->cache_hit; break;
	case F_SUCCESS: d = r->success; num = (r->has & R_SUCCESS) != 0; break;
	case F_REGEN: d = r->regenerated; num = (r->has & R_REGEN) != 0; break;
	default: return 0;
	}
	if (sv) {
		v->p = sv->p;
		v->n = sv->n;
		v->is_num = 0;
		return sv->p != NULL;
	}
	if (!num)
		return 0;
	v->num = d;
	v->is_num = 1;
	if (f == F_ERROR || f == F_CACHE_HIT || f == F_SUCCESS || f == F_REGEN)
		v->n = (size_t)snprintf(v->buf, sizeof(v->buf), "%s", d ? "true" : "false");
	else
		v->n = (size_t)snprintf(v->buf, sizeof(v->buf), "%.17g", d);
	v->p = v->buf;
	return 1;
}

static int
path_value(const struct js_view *x, struct val *v)
{
	long n;

	if (x->type == JS_NONE || x->type == JS_NULL)
		return 0;
	v->is_num = js_number(x, &v->num) == 0;
	if (x->type == JS_STRING && x->escaped && (n = js_unescape(x, v->buf, sizeof(v->buf) - 1)) >= 0) {
		v->p = v->buf;
		v->n = (size_t)n;
	} else {
		v->p = x->p;
		v->n = x->n;
	}
	return 1;
}

static int
compare(const struct filter_cond *c, const struct val *v)
{
	int cmp;

	if (c->op == FO_RE) {
		char *s = xstrndup(v->p, v->n);
		int m = regexec(&c->re, s, 0, NULL, 0) == 0;

		free(s);
		return m;
	}
	if (c->is_num && v->is_num)
		cmp = (v->num > c->num) - (v->num < c->num);
	else {
		size_t tl = strlen(c->text), m = v->n < tl ? v->n : tl;

		cmp = memcmp(v->p, c->text, m);
		if (cmp == 0)
			cmp = (v->n > tl) - (v->n < tl);
	}
	switch (c->op) {
	case FO_EQ: return cmp == 0;
	case FO_NE: return cmp != 0;
	case FO_LT: return cmp < 0;
	case FO_LE: return cmp <= 0;
	case FO_GT: return cmp > 0;
	default: return cmp >= 0;
	}
}

int
filter_match(const struct filter *f, const struct record *r, const struct js_view *v)
{
	int i, present;
	struct val x;

	int in = 1;

	if ((f->has_since || f->has_until) && !(r->has & R_TIME))
		return 0;
	if (f->compare && r->time_us >= f->prev_since && r->time_us < f->since)
		in = 2;
	else if ((f->has_since && r->time_us < f->since) || (f->has_until && r->time_us >= f->until))
		return 0;
	for (i = 0; i < f->n; i++) {
		const struct filter_cond *c = &f->c[i];

		present = c->field >= 0 ? field_value(r, c->field, &x) : path_value(&v[c->path], &x);
		if (!present) {
			if (c->op != FO_NE)
				return 0;
			continue;
		}
		if (!compare(c, &x))
			return 0;
	}
	return in;
}

/* Local midnight of the day holding utc instant t, as an instant. */
static int64_t
local_midnight(const struct ltime_zone *z, int64_t t, int32_t days_back)
{
	struct ltime_cache c = { 0 };
	int64_t local = ltime_local(z, &c, t);
	int64_t mid = ((int64_t)ltime_day_of(local) - days_back) * DAY_US;

	return mid - ltime_offset(z, &c, mid - ltime_offset(z, &c, mid) * 1000000LL) * 1000000LL;
}

static int
relative(const char *s, int64_t now, int64_t *us)
{
	char *end;
	double v;
	int64_t unit;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (*end) {
	case 'w': unit = 7 * DAY_US; break;
	case 'd': unit = DAY_US; break;
	case 'h': unit = 3600000000LL; break;
	case 'm': unit = 60000000LL; break;
	case 's': unit = 1000000LL; break;
	default: return -1;
	}
	*us = now - (int64_t)llround(v * (double)unit);
	return 0;
}

/* True when a date-time text names its own zone (Z or an offset). */
static int
has_zone(const char *s)
{
	size_t n = strlen(s);

	return n > 10 && (s[n - 1] == 'Z' || s[n - 1] == 'z' || strchr(s + 10, '+') ||
	    strchr(s + 10, '-'));
}

int
filter_time(const char *s, const struct ltime_zone *z, int64_t now, int64_t *us)
{
	struct ltime_cache c = { 0 };
	int64_t t;

	if (strcmp(s, "now") == 0) {
		*us = now;
		return 0;
	}
	if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		*us = local_midnight(z, now, s[0] == 'y');
		return 0;
	}
	if (relative(s, now, us) == 0)
		return 0;
	if (strlen(s) < 10 || ltime_parse(s, strlen(s), &t) < 0)
		return -1;
	if (!has_zone(s))       /* a local date or time in zone z */
		t -= (int64_t)ltime_offset(z, &c, t - (int64_t)ltime_offset(z, &c, t) * 1000000LL) * 1000000LL;
	*us = t;
	return 0;
}
