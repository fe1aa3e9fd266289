/* bykey.c - parsing --by and building group key texts. */
#include "bykey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const bucket_names[] = {
	"hour", "day", "week", "month", "hour_of_day", "weekday"
};

static int
parse_one(struct bykey *b, const char *name, struct schema *s, char *err, size_t errlen)
{
	int i, f = schema_field_by_name(name);

	b->names[b->n] = xstrdup(name);
	for (i = 0; i < (int)(sizeof(bucket_names) / sizeof(bucket_names[0])); i++) {
		if (strcmp(bucket_names[i], name) == 0) {
			b->k[b->n].kind = BK_TIME;
			b->k[b->n].what = i;
			b->time_keys = 1;
			return 0;
		}
	}
	if (f == F_TIME || f == F_PROMPT) {
		snprintf(err, errlen, "--by %s: %s", name, f == F_TIME ?
		    "use hour, day, week, month, hour_of_day or weekday" : "prompts are only hashed, never grouped");
		return -1;
	}
	if (f >= 0) {
		b->k[b->n].kind = BK_FIELD;
		b->k[b->n].what = f;
		return 0;
	}
	if ((i = schema_extra_path(s, name)) < 0) {
		snprintf(err, errlen, "--by: bad key '%s'", name);
		return -1;
	}
	b->k[b->n].kind = BK_PATH;
	b->k[b->n].what = i;
	return 0;
}

int
bykey_parse(struct bykey *b, const char *spec, struct schema *s, char *err, size_t errlen)
{
	char *copy = xstrdup(spec), *p = copy, *comma;
	int rc = 0;

	while (rc == 0 && p) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma = '\0';
		if (*p == '\0' || b->n >= BYKEY_MAX) {
			snprintf(err, errlen, "--by: %s", *p ? "at most 8 keys" : "empty key");
			rc = -1;
		} else if ((rc = parse_one(b, p, s, err, errlen)) == 0)
			b->n++;
		p = comma ? comma + 1 : NULL;
	}
	free(copy);
	b->names[b->n] = NULL;
	b->spec = xstrdup(spec);
	return rc;
}

void
bykey_free(struct bykey *b)
{
	int i;

	for (i = 0; i <= b->n && i < BYKEY_MAX + 1; i++)
		free((char *)b->names[i]);
	free(b->spec);
	memset(b, 0, sizeof(*b));
}

static const struct strv *
field_strv(const struct record *r, int f)
{
	switch (f) {
	case F_REQUEST: return &r->request;
	case F_USER: return &r->user;
	case F_SESSION: return &r->session;
	case F_MODEL: return &r->model;
	case F_PROVIDER: return &r->provider;
	case F_FEATURE: return &r->feature;
	case F_ERROR_TYPE: return &r->error_type;
	default: return NULL;
	}
}

/* Text of a non-string canonical field; 0 when absent. */
static int
field_text(const struct record *r, int f, char *buf, size_t cap)
{
	switch (f) {
	case F_STATUS:
		if (r->status)
			return snprintf(buf, cap, "%d", (int)r->status);
		return r->error ? 0 : snprintf(buf, cap, "200");
	case F_ERROR: return snprintf(buf, cap, "%s", r->error ? "true" : "false");
	case F_CACHE_HIT: return snprintf(buf, cap, "%s", r->cache_hit ? "true" : "false");
	case F_SUCCESS: return (r->has & R_SUCCESS) ? snprintf(buf, cap, "%s", r->success ? "true" : "false") : 0;
	case F_REGEN: return (r->has & R_REGEN) ? snprintf(buf, cap, "%s", r->regenerated ? "true" : "false") : 0;
	default: return 0;
	}
}

static int
time_text(int what, const struct record *r, const struct ltime_zone *tz,
          struct ltime_cache *c, char *buf, size_t cap)
{
	static const char *const wd[] = { "1 Mon", "2 Tue", "3 Wed", "4 Thu", "5 Fri", "6 Sat", "7 Sun" };
	int64_t local;
	int32_t day;
	int hour;
	char d[16];

	if (!(r->has & R_TIME))
		return 0;
	local = ltime_local(tz, c, r->time_us);
	day = ltime_day_of(local);
	hour = (int)(((local % 86400000000LL) + 86400000000LL) % 86400000000LL / 3600000000LL);
	switch (what) {
	case BT_HOUR:
		ltime_fmt_date(day, d);
		return snprintf(buf, cap, "%sT%02d:00", d, hour);
	case BT_DAY: ltime_fmt_date(day, d); break;
	case BT_WEEK: ltime_fmt_week(day, d); break;
	case BT_MONTH: ltime_fmt_month(ltime_month_index(day), d); break;
	case BT_HOUR_OF_DAY: return snprintf(buf, cap, "%02d", hour);
	default: return snprintf(buf, cap, "%s", wd[ltime_weekday(day)]);
	}
	return snprintf(buf, cap, "%s", d);
}

static size_t
part(const struct bykey *b, int i, const struct record *r, const struct js_view *v,
     const struct ltime_zone *tz, struct ltime_cache *c, char *out, size_t cap)
{
	const struct strv *sv;
	long n = 0;

	if (b->k[i].kind == BK_TIME)
		n = time_text(b->k[i].what, r, tz, c, out, cap);
	else if (b->k[i].kind == BK_PATH) {
		const struct js_view *x = &v[b->k[i].what];

		if (x->type != JS_NONE && x->type != JS_NULL &&
		    (n = js_unescape(x, out, cap)) < 0) {       /* too long: its raw text, cut */
			n = (long)(x->n < cap ? x->n : cap);
			memcpy(out, x->p, (size_t)n);
		}
	} else if ((sv = field_strv(r, b->k[i].what)) != NULL) {
		n = sv->p ? (long)(sv->n < cap ? sv->n : cap) : 0;
		if (n)
			memcpy(out, sv->p, (size_t)n);
	} else
		n = field_text(r, b->k[i].what, out, cap);
	if (n > 0 && (size_t)n >= cap) {        /* cut long values on a character boundary */
		n = (long)cap - 1;
		while (n > 0 && ((unsigned char)out[n] & 0xc0) == 0x80)
			n--;
	}
	if (n <= 0) {
		out[0] = BYKEY_NULL;
		return 1;
	}
	return (size_t)n;
}

size_t
bykey_build(const struct bykey *b, const struct record *r, const struct js_view *v,
            const struct ltime_zone *tz, struct ltime_cache *c, char *out, size_t cap)
{
	size_t len = 0, room = cap / BYKEY_MAX, n, j;
	int i;

	for (i = 0; i < b->n; i++) {
		if (i)
			out[len++] = BYKEY_SEP;
		n = part(b, i, r, v, tz, c, out + len, room - 1);
		for (j = 0; j < n && !(n == 1 && out[len] == BYKEY_NULL); j++)
			if (out[len + j] == BYKEY_SEP || out[len + j] == BYKEY_NULL || out[len + j] == '\0')
				out[len + j] = '?';     /* keep values from splitting the key */
		len += n;
	}
	return len;
}
