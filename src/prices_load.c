/* prices_load.c - price files loaded into the table: LiteLLM's
 * model_prices_and_context_window.json or a CSV. Files are read whole,
 * parsed into a staging list, and only committed to the table when the
 * whole file is good. */
#include "prices.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonscan.h"
#include "util.h"

#define TIER_200K 200000

struct staged {
	const char *name;       /* in the table's pool */
	size_t n;
	struct price pr;
};

struct stage {
	struct staged *v;
	size_t len, cap;
	struct strpool pool;    /* the names until committed */
};

static void
stage_add(struct stage *sg, const char *name, size_t n, const struct price *pr)
{
	xgrow((void **)&sg->v, &sg->cap, sg->len + 1, sizeof(*sg->v));
	sg->v[sg->len].name = strpool_add(&sg->pool, name, n);
	sg->v[sg->len].n = n;
	sg->v[sg->len].pr = *pr;
	sg->len++;
}

static void
stage_commit(struct prices *p, const struct stage *sg)
{
	size_t i;

	for (i = 0; i < sg->len; i++)
		prices_add(p, sg->v[i].name, sg->v[i].n, &sg->v[i].pr);
	prices_reindex(p);
}

static void
stage_free(struct stage *sg)
{
	free(sg->v);
	strpool_free(&sg->pool);
}

__attribute__((format(printf, 3, 4)))
static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Reads the whole file into a NUL-terminated buffer. */
static char *
read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *buf;

	if (f == NULL) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	if (ferror(f)) {
		seterr(err, errlen, "%s: read error: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- LiteLLM JSON ---- */

enum {
	F_IN, F_OUT, F_CREAD, F_CWRITE,
	F_IN_A, F_OUT_A, F_CREAD_A, F_CWRITE_A, F_COUNT
};

static const char *const json_field[F_COUNT] = {
	"input_cost_per_token", "output_cost_per_token",
	"cache_read_input_token_cost", "cache_creation_input_token_cost",
	"input_cost_per_token_above_200k_tokens",
	"output_cost_per_token_above_200k_tokens",
	"cache_read_input_token_cost_above_200k_tokens",
	"cache_creation_input_token_cost_above_200k_tokens",
};

/* A price field: the number, or -1 when absent, null, negative or not finite. */
static double
json_price(const struct js_view *v)
{
	double d;

	if (v->type != JS_NUMBER && v->type != JS_STRING)
		return -1;
	if (js_number(v, &d) != 0 || !isfinite(d) || d < 0)
		return -1;
	return d;
}

/* Fills pr from one model's object; returns 0, or -1 to skip the model. */
static int
json_model(const struct js_paths *ps, const struct js_view *val, struct price *pr)
{
	struct js_view out[F_COUNT];
	struct js_err je;
	double f[F_COUNT];
	int i;

	if (js_scan(ps, val->p, val->n, out, &je) != 0)
		return -1;
	for (i = 0; i < F_COUNT; i++)
		f[i] = json_price(&out[i]);
	if (f[F_IN] < 0)
		return -1;
	pr->in = f[F_IN];
	pr->out = f[F_OUT] < 0 ? 0 : f[F_OUT];
	pr->cache_read = f[F_CREAD];
	pr->cache_write = f[F_CWRITE];
	pr->in_above = f[F_IN_A];
	pr->out_above = f[F_OUT_A];
	pr->cache_read_above = f[F_CREAD_A];
	pr->cache_write_above = f[F_CWRITE_A];
	pr->tier = 0;
	for (i = F_IN_A; i < F_COUNT; i++)
		if (f[i] >= 0)
			pr->tier = TIER_200K;
	return 0;
}

static void
json_error(const char *path, const char *buf, const struct js_err *je,
           char *err, size_t errlen)
{
	size_t i, line = 1, col = 1;

	for (i = 0; i < je->pos && buf[i] != '\0'; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	seterr(err, errlen, "%s:%zu:%zu: invalid JSON: %s", path, line, col, je->msg);
}

/* Stages every priced model of the top-level object top. */
static void
json_members(const struct js_view *top, struct stage *sg)
{
	struct js_paths *ps = js_paths_new();
	struct js_view key, val;
	struct price pr;
	size_t pos = 0, cap = 0;
	char *name = NULL;
	long n;
	int i;

	for (i = 0; i < F_COUNT; i++)
		js_paths_add(ps, json_field[i]);
	while (js_object_next(top, &pos, &key, &val)) {
		if (val.type != JS_OBJECT || js_streq(&key, "sample_spec"))
			continue;
		xgrow((void **)&name, &cap, (size_t)key.n * 3 + 1, 1);
		n = js_unescape(&key, name, cap);
		if (n <= 0 || json_model(ps, &val, &pr) != 0)
			continue;
		stage_add(sg, name, (size_t)n, &pr);
	}
	free(name);
	js_paths_free(ps);
}

static long
load_json(struct prices *p, const char *path, const char *buf, size_t len,
          char *err, size_t errlen)
{
	struct js_paths *none = js_paths_new();
	struct js_view dummy, top;
	struct js_err je;
	struct stage sg = { 0 };
	size_t i = 0;
	int rc;

	rc = js_scan(none, buf, len, &dummy, &je);
	js_paths_free(none);
	if (rc != 0) {
		json_error(path, buf, &je, err, errlen);
		return -1;
	}
	while (i < len && is_space(buf[i]))
		i++;
	while (len > i && is_space(buf[len - 1]))
		len--;
	if (i >= len || buf[i] != '{') {
		seterr(err, errlen, "%s: not a LiteLLM price table (expected a JSON object)", path);
		return -1;
	}
	top.p = buf + i;
	top.n = (uint32_t)(len - i);
	top.type = JS_OBJECT;
	top.escaped = 0;
	json_members(&top, &sg);
	stage_commit(p, &sg);
	stage_free(&sg);
	return (long)sg.len;
}

/* ---- CSV ---- */

#define CSV_MAXCOL 5

struct field {
	const char *p;
	size_t n;
};

static const char *const csv_header[CSV_MAXCOL] = {
	"model", "input", "output", "cache_read", "cache_write"
};

/* Trims blanks and one pair of surrounding double quotes. */
static void
field_trim(struct field *f)
{
	while (f->n > 0 && (f->p[0] == ' ' || f->p[0] == '\t')) {
		f->p++;
		f->n--;
	}
	while (f->n > 0 && (f->p[f->n - 1] == ' ' || f->p[f->n - 1] == '\t'))
		f->n--;
	if (f->n >= 2 && f->p[0] == '"' && f->p[f->n - 1] == '"') {
		f->p++;
		f->n -= 2;
	}
}

/* Splits a line at commas into at most max + 1 fields; returns the count
 * (max + 1 means "too many"). */
static int
csv_split(const char *p, size_t n, struct field *f, int max)
{
	int k = 0;
	const char *comma;

	for (;;) {
		comma = memchr(p, ',', n);
		f[k].p = p;
		f[k].n = comma ? (size_t)(comma - p) : n;
		field_trim(&f[k]);
		k++;
		if (comma == NULL || k > max)
			return k;
		n -= (size_t)(comma - p) + 1;
		p = comma + 1;
	}
}

static int
csv_is_header(const struct field *f, int k)
{
	int i;

	if (k < 3 || k > CSV_MAXCOL)
		return 0;
	for (i = 0; i < k; i++)
		if (f[i].n != strlen(csv_header[i]) || strncasecmp(f[i].p, csv_header[i], f[i].n) != 0)
			return 0;
	return 1;
}

/* USD per million tokens -> USD per token; empty gives -1 ("not given").
 * Returns 0, or -1 when the field is not a non-negative finite number. */
static int
csv_price(const struct field *f, double *out)
{
	char tmp[64];
	char *end;
	double d;

	*out = -1;
	if (f->n == 0)
		return 0;
	if (f->n >= sizeof(tmp))
		return -1;
	memcpy(tmp, f->p, f->n);
	tmp[f->n] = '\0';
	d = strtod(tmp, &end);
	if (end != tmp + f->n || !isfinite(d) || d < 0)
		return -1;
	*out = d / 1e6;
	return 0;
}

/* One data row; returns 0 or -1 with err set. */
static int
csv_row(struct stage *sg, const struct field *f, int k, int hdrcols,
        const char *where, char *err, size_t errlen)
{
	struct price pr = { .tier = 0, .in_above = -1, .out_above = -1,
	                    .cache_read_above = -1, .cache_write_above = -1 };
	double v[CSV_MAXCOL] = { -1, -1, -1, -1, -1 };
	int i;

	if (k < 3 || k > hdrcols) {
		if (hdrcols == 3)
			seterr(err, errlen, "%s: expected 3 columns", where);
		else
			seterr(err, errlen, "%s: expected 3 to %d columns", where, hdrcols);
		return -1;
	}
	if (f[0].n == 0) {
		seterr(err, errlen, "%s: empty model name", where);
		return -1;
	}
	for (i = 1; i < k; i++) {
		if (csv_price(&f[i], &v[i]) != 0 || (i <= 2 && v[i] < 0)) {
			seterr(err, errlen, "%s: invalid %s price \"%.*s\"", where,
			       csv_header[i], (int)(f[i].n > 40 ? 40 : f[i].n), f[i].p);
			return -1;
		}
	}
	pr.in = v[1];
	pr.out = v[2];
	pr.cache_read = v[3];
	pr.cache_write = v[4];
	stage_add(sg, f[0].p, f[0].n, &pr);
	return 0;
}

/* A blank or '#' comment line. */
static int
csv_skip(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && is_space(p[i]))
		i++;
	return i == n || p[i] == '#';
}

static long
load_csv(struct prices *p, const char *path, const char *buf, size_t len,
         char *err, size_t errlen)
{
	struct field f[CSV_MAXCOL + 1];
	struct stage sg = { 0 };
	const char *line = buf, *end = buf + len, *nl;
	char where[512];
	unsigned long lineno = 0;
	int hdrcols = 0, k;

	for (; line < end; line = nl + 1) {
		size_t n;

		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - line);
		lineno++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (csv_skip(line, n))
			continue;
		snprintf(where, sizeof(where), "%s:%lu", path, lineno);
		k = csv_split(line, n, f, CSV_MAXCOL);
		if (hdrcols == 0) {
			if (!csv_is_header(f, k)) {
				seterr(err, errlen, "%s: expected the header \"model,input,output"
				       "[,cache_read,cache_write]\" (USD per million tokens)", where);
				goto fail;
			}
			hdrcols = k;
		} else if (csv_row(&sg, f, k, hdrcols, where, err, errlen) != 0) {
			goto fail;
		}
	}
	if (hdrcols == 0) {
		seterr(err, errlen, "%s: empty price file: expected a LiteLLM JSON object "
		       "or a CSV header \"model,input,output\"", path);
		goto fail;
	}
	stage_commit(p, &sg);
	stage_free(&sg);
	return (long)sg.len;
fail:
	stage_free(&sg);
	return -1;
}

long
prices_load(struct prices *p, const char *path, char *err, size_t errlen)
{
	size_t len = 0, i = 0, bom = 0;
	char *buf;
	long rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	buf = read_file(path, &len, err, errlen);
	if (buf == NULL)
		return -1;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = bom = 3;               /* a UTF-8 byte order mark */
	while (i < len && is_space(buf[i]))
		i++;
	if (i < len && (buf[i] == '{' || buf[i] == '['))
		rc = load_json(p, path, buf + bom, len - bom, err, errlen);
	else
		rc = load_csv(p, path, buf + bom, len - bom, err, errlen);
	free(buf);
	return rc;
}
