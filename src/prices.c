/* prices.c - the model price table: LiteLLM JSON and CSV loading, name
 * lookup through documented normalisations, and the cost of a request. */
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

/* The built-in rows, defined in prices_table.c (same declaration there). */
struct price_row {
	const char *name;
	struct price pr;
};

extern const struct price_row prices_table_rows[];
extern const size_t prices_table_nrows;

#define SEED_EXACT 0x70726963655f6578ULL
#define SEED_NORM  0x70726963655f6e6fULL
#define NAME_MAX_NORM 256       /* longer names are matched exactly only */
#define TIER_200K 200000
#define MAX_USD 9.2e6           /* usd_to_pico stays inside int64 below this */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct entry {
	const char *name;       /* in the pool */
	const char *norm;       /* normalised name, in the pool; NULL if too long */
	uint32_t nlen, normlen;
	uint32_t rank;          /* normalisation steps that changed the name */
	struct price pr;
};

struct prices {
	struct entry *e;
	size_t len, cap;
	struct idmap exact;     /* hash64(name) -> index into e */
	struct idmap norm;      /* hash64(norm) -> index, best-ranked key first */
	struct strpool pool;
};

/* ------------------------------------------------------------------ */
/* Name normalisation.
 *
 * A name that is not a key as it stands goes through these steps, in order;
 * after each step that changes it, the result is looked up as a key again:
 *   1. lower-case (ASCII);
 *   2. drop every leading "segment/": a provider prefix such as "openai/",
 *      "azure/", "bedrock/", "vertex_ai/", "gemini/" and the vendor or
 *      region segment after it ("openrouter/openai/gpt-4o" -> "gpt-4o",
 *      "together_ai/meta-llama/Llama-3.3-70B..." -> "llama-3.3-70b...");
 *   3. drop one cross-region prefix: "us.", "eu.", "apac.", "global.",
 *      "au.", "jp.", "us-gov." (Bedrock inference profiles);
 *   4. drop a Bedrock version suffix "-vN:M" or else ":M";
 *   5. a Vertex "@YYYYMMDD" suffix becomes "-YYYYMMDD" (the dated id); any
 *      other "@tag" ("@default", "@001") is dropped; if nothing matched with
 *      the dashed form, the whole lookup is retried with the date dropped;
 *   6. drop one Bedrock vendor prefix: "anthropic.", "meta.", "mistral.",
 *      "amazon.", "cohere.", "ai21.", "deepseek.", "openai.", "qwen.",
 *      "google.", "xai.".
 * Finally the fully normalised name is looked up among the table's keys
 * normalised the same way. Where several keys share a normalised form, the
 * one changed by the fewest steps wins (dropping the model maker's own
 * provider prefix, e.g. "mistral/", is not counted), then the first in byte
 * order: so "gpt-4o" beats "azure/gpt-4o", "mistral/mistral-large-latest"
 * beats "azure_ai/mistral-large-latest", and results never depend on the
 * order of loading.
 * Nothing else: no prefix matching, no edit distance. */

enum { ST_LOWER, ST_PATH, ST_REGION, ST_VERSION, ST_AT, ST_VENDOR, ST_COUNT };

static const char *const region_prefix[] = {
	"us.", "eu.", "apac.", "global.", "au.", "jp.", "us-gov."
};
static const char *const vendor_prefix[] = {
	"anthropic.", "meta.", "mistral.", "amazon.", "cohere.", "ai21.",
	"deepseek.", "openai.", "qwen.", "google.", "xai."
};

/* A model maker's own API: "mistral/x" ranks with "x" (see rank below). */
static const char *const native_prefix[] = {
	"openai/", "anthropic/", "gemini/", "mistral/", "deepseek/",
	"xai/", "cohere/", "cohere_chat/", "moonshot/", "dashscope/", "zai/",
	"minimax/", "perplexity/"
};

#define is_digit(c) ((c) >= '0' && (c) <= '9')

/* Removes the first k bytes of s[0..*n). */
static void
cut_front(char *s, size_t *n, size_t k)
{
	memmove(s, s + k, *n - k);
	*n -= k;
}

/* The length of the first of prefixes that s starts with (leaving
 * something after it), or 0. */
static size_t
prefix_len(const char *s, size_t n, const char *const *prefixes, size_t np)
{
	size_t i, k;

	for (i = 0; i < np; i++) {
		k = strlen(prefixes[i]);
		if (n > k && memcmp(s, prefixes[i], k) == 0)
			return k;
	}
	return 0;
}

static int
strip_prefix(char *s, size_t *n, const char *const *prefixes, size_t np)
{
	size_t k = prefix_len(s, *n, prefixes, np);

	cut_front(s, n, k);
	return k > 0;
}

static int
step_lower(char *s, size_t n)
{
	int changed = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z') {
			s[i] = (char)(s[i] + ('a' - 'A'));
			changed = 1;
		}
	}
	return changed;
}

static int
step_path(char *s, size_t *n)
{
	size_t i = *n;

	while (i > 0 && s[i - 1] != '/')
		i--;
	if (i == 0 || i == *n)
		return 0;
	cut_front(s, n, i);
	return 1;
}

/* "-v2:0" or ":0" at the end. */
static int
step_version(char *s, size_t *n)
{
	size_t i = *n, colon;

	while (i > 0 && is_digit(s[i - 1]))
		i--;
	if (i == *n || i < 2 || s[i - 1] != ':')
		return 0;
	colon = i - 1;
	i = colon;
	while (i > 0 && is_digit(s[i - 1]))
		i--;
	if (i < colon && i >= 3 && s[i - 1] == 'v' && s[i - 2] == '-')
		colon = i - 2;
	*n = colon;
	return 1;
}

static int
step_at(char *s, size_t *n, int drop_date)
{
	const char *at = memchr(s, '@', *n);
	size_t i, k, digits = 0;

	if (at == NULL || at == s)
		return 0;
	i = (size_t)(at - s);
	for (k = i + 1; k < *n && is_digit(s[k]); k++)
		digits++;
	if (!drop_date && digits == 8 && k == *n)
		s[i] = '-';
	else
		*n = i;
	return 1;
}

/* Applies step st to s[0..*n); returns 1 if it changed s. */
static int
norm_step(int st, char *s, size_t *n, int drop_date)
{
	switch (st) {
	case ST_LOWER:
		return step_lower(s, *n);
	case ST_PATH:
		return step_path(s, n);
	case ST_REGION:
		return strip_prefix(s, n, region_prefix, NELEM(region_prefix));
	case ST_VERSION:
		return step_version(s, n);
	case ST_AT:
		return step_at(s, n, drop_date);
	default:
		return strip_prefix(s, n, vendor_prefix, NELEM(vendor_prefix));
	}
}

/* ------------------------------------------------------------------ */
/* The table. */

struct prices *
prices_new(void)
{
	return xcalloc(1, sizeof(struct prices));
}

/* The entry whose name (norm 0) or normalised name (norm 1) is s[0..n). */
static const struct entry *
get(const struct prices *p, int norm, const char *s, size_t n)
{
	const struct idmap *m = norm ? &p->norm : &p->exact;
	uint32_t i = idmap_get(m, hash64(s, n, norm ? SEED_NORM : SEED_EXACT));
	const struct entry *e;

	if (i == UINT32_MAX)
		return NULL;
	e = &p->e[i];
	if (norm)
		return e->normlen == n && memcmp(e->norm, s, n) == 0 ? e : NULL;
	return e->nlen == n && memcmp(e->name, s, n) == 0 ? e : NULL;
}

/* s is "<native provider>/<name>" with no further '/'. */
static int
is_native(const char *s, size_t n)
{
	size_t k = prefix_len(s, n, native_prefix, NELEM(native_prefix));

	return k > 0 && memchr(s + k, '/', n - k) == NULL;
}

/* Sets e's normalised name and rank. */
static void
entry_normalise(struct prices *p, struct entry *e)
{
	char buf[NAME_MAX_NORM];
	size_t n = e->nlen;
	int st;

	e->norm = NULL;
	e->normlen = 0;
	e->rank = 0;
	if (n >= sizeof(buf))
		return;
	memcpy(buf, e->name, n);
	for (st = 0; st < ST_COUNT; st++) {
		int native = st == ST_PATH && is_native(buf, n);

		if (norm_step(st, buf, &n, 0) && !native)
			e->rank++;
	}
	e->norm = strpool_add(&p->pool, buf, n);
	e->normlen = (uint32_t)n;
}

/* Adds or replaces the entry for name (a pool string of n bytes). */
static void
add_entry(struct prices *p, const char *name, size_t n, const struct price *pr)
{
	uint32_t *slot;
	struct entry *e;
	int isnew;

	slot = idmap_put(&p->exact, hash64(name, n, SEED_EXACT), &isnew);
	if (!isnew) {
		e = &p->e[*slot];
		/* A 64-bit hash collision between two names keeps the first. */
		if (e->nlen == n && memcmp(e->name, name, n) == 0)
			e->pr = *pr;
		return;
	}
	xgrow((void **)&p->e, &p->cap, p->len + 1, sizeof(*p->e));
	*slot = (uint32_t)p->len;
	e = &p->e[p->len++];
	e->name = name;
	e->nlen = (uint32_t)n;
	e->pr = *pr;
	entry_normalise(p, e);
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;
	size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
	int c;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	c = memcmp(x->name, y->name, n);
	if (c != 0)
		return c;
	return (x->nlen > y->nlen) - (x->nlen < y->nlen);
}

/* Rebuilds the normalised-name map: best rank, then byte order, first. */
static void
rebuild_norm(struct prices *p)
{
	const struct entry **v = xmalloc((p->len ? p->len : 1) * sizeof(*v));
	uint32_t *slot;
	size_t i;
	int isnew;

	idmap_free(&p->norm);
	for (i = 0; i < p->len; i++)
		v[i] = &p->e[i];
	qsort(v, p->len, sizeof(*v), entry_cmp);
	for (i = 0; i < p->len; i++) {
		if (v[i]->norm == NULL)
			continue;
		slot = idmap_put(&p->norm, hash64(v[i]->norm, v[i]->normlen, SEED_NORM), &isnew);
		if (isnew)
			*slot = (uint32_t)(v[i] - p->e);
	}
	free(v);
}

struct prices *
prices_builtin(void)
{
	struct prices *p = prices_new();
	struct price pr;
	size_t i;

	for (i = 0; i < prices_table_nrows; i++) {
		const char *name = prices_table_rows[i].name;

		pr = prices_table_rows[i].pr;
		if (pr.tier <= 0) {
			pr.tier = 0;
			pr.in_above = pr.out_above = -1;
			pr.cache_read_above = pr.cache_write_above = -1;
		}
		add_entry(p, strpool_add(&p->pool, name, strlen(name)), strlen(name), &pr);
	}
	rebuild_norm(p);
	return p;
}

void
prices_free(struct prices *p)
{
	if (p == NULL)
		return;
	free(p->e);
	idmap_free(&p->exact);
	idmap_free(&p->norm);
	strpool_free(&p->pool);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Lookup. */

/* Walks the normalisation steps over a copy of the name; see above. */
static const struct entry *
find_normalised(const struct prices *p, const char *name, size_t n, int drop_date)
{
	char buf[NAME_MAX_NORM];
	const struct entry *e;
	int st;

	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, name, n);
	for (st = 0; st < ST_COUNT; st++) {
		if (norm_step(st, buf, &n, drop_date) && (e = get(p, 0, buf, n)) != NULL)
			return e;
	}
	return get(p, 1, buf, n);
}

const struct price *
prices_find(const struct prices *p, const char *name, size_t n)
{
	const struct entry *e;

	if (p == NULL || name == NULL || n == 0)
		return NULL;
	e = get(p, 0, name, n);
	if (e == NULL)
		e = find_normalised(p, name, n, 0);
	if (e == NULL && memchr(name, '@', n) != NULL)
		e = find_normalised(p, name, n, 1);
	return e ? &e->pr : NULL;
}

/* ------------------------------------------------------------------ */
/* Cost. */

static double
count(int64_t v)
{
	return v > 0 ? (double)v : 0.0;
}

/* The tier price when given, else the base one. */
static double
pick(int above, double tiered, double base)
{
	return above && tiered >= 0 ? tiered : base;
}

int64_t
price_cost_pico(const struct price *pr, const struct record *r)
{
	double in = count(r->input_tokens), cr = count(r->cached_tokens);
	double cw = count(r->cache_write_tokens), out = count(r->output_tokens);
	double pin, pout, pcr, pcw, usd;
	int above;

	if (pr == NULL)
		return 0;
	above = pr->tier > 0 && r->input_tokens > pr->tier;
	pin = fmax(pick(above, pr->in_above, pr->in), 0);
	pout = fmax(pick(above, pr->out_above, pr->out), 0);
	pcr = pick(above, pr->cache_read_above, pr->cache_read);
	pcw = pick(above, pr->cache_write_above, pr->cache_write);
	/* Cache prices not given: the (tier's) input price. */
	usd = fmax(in - cr - cw, 0) * pin + cr * (pcr >= 0 ? pcr : pin)
	      + cw * (pcw >= 0 ? pcw : pin) + out * pout;
	if (!(usd > 0))
		return 0;
	if (usd >= MAX_USD)
		return INT64_MAX;
	return usd_to_pico(usd);
}

/* ------------------------------------------------------------------ */
/* Loading: files are read whole, parsed into a staging list, and only
 * committed to the table when the whole file is good. */

struct staged {
	const char *name;       /* in the table's pool */
	size_t n;
	struct price pr;
};

struct stage {
	struct staged *v;
	size_t len, cap;
};

static void
stage_add(struct prices *p, struct stage *sg, const char *name, size_t n,
          const struct price *pr)
{
	xgrow((void **)&sg->v, &sg->cap, sg->len + 1, sizeof(*sg->v));
	sg->v[sg->len].name = strpool_add(&p->pool, name, n);
	sg->v[sg->len].n = n;
	sg->v[sg->len].pr = *pr;
	sg->len++;
}

static void
stage_commit(struct prices *p, const struct stage *sg)
{
	size_t i;

	for (i = 0; i < sg->len; i++)
		add_entry(p, sg->v[i].name, sg->v[i].n, &sg->v[i].pr);
	rebuild_norm(p);
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
json_members(struct prices *p, const struct js_view *top, struct stage *sg)
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
		stage_add(p, sg, name, (size_t)n, &pr);
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
	struct stage sg = { NULL, 0, 0 };
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
	json_members(p, &top, &sg);
	stage_commit(p, &sg);
	free(sg.v);
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
csv_row(struct prices *p, struct stage *sg, const struct field *f, int k, int hdrcols,
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
	stage_add(p, sg, f[0].p, f[0].n, &pr);
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
	struct stage sg = { NULL, 0, 0 };
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
		} else if (csv_row(p, &sg, f, k, hdrcols, where, err, errlen) != 0) {
			goto fail;
		}
	}
	if (hdrcols == 0) {
		seterr(err, errlen, "%s: empty price file: expected a LiteLLM JSON object "
		       "or a CSV header \"model,input,output\"", path);
		goto fail;
	}
	stage_commit(p, &sg);
	free(sg.v);
	return (long)sg.len;
fail:
	free(sg.v);
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
