/* prices.c - the model price table: built-in rows, name lookup through
 * documented normalisations, and the cost of a request. Price files are
 * read in prices_load.c. */
#include "prices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
		prices_add(p, name, strlen(name), &pr);
	}
	rebuild_norm(p);
	return p;
}

void
prices_add(struct prices *p, const char *name, size_t n, const struct price *pr)
{
	add_entry(p, strpool_add(&p->pool, name, n), n, pr);
}

void
prices_reindex(struct prices *p)
{
	rebuild_norm(p);
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
