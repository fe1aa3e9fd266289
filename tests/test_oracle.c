/* test_oracle.c - every KPI of the catalog (KPIS.md sections 4 and 6, with
 * the decisions of README "Metrics") checked against a brute-force oracle.
 *
 * A seeded generator builds ~3000 requests as plain structs; they are written
 * as generic-schema JSONL, ./llmstat (LLMSTAT_BIN) is run on them with
 * -f json, and each metric it prints is compared with the value computed here
 * directly from the struct array: sums and counts exactly (doubles to a
 * relative 1e-9), sketch quantiles within the DDSketch bracket
 * |est - exact| <= 1% exact + 1e-9 around the exact nearest-rank value,
 * per-user / per-session figures exactly.
 *
 * The oracle shares nothing with src/ but the JSON scanner used to read
 * llmstat's output. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jsonscan.h"

/* Assertions on metrics: fatal by default, as the suite's other tests;
 * -DORACLE_EXPECT lists every mismatch of a run instead of the first. */
#ifdef ORACLE_EXPECT
#define OCHECK cr_expect
#else
#define OCHECK cr_assert
#endif

/* ------------------------------------------------------------------ */
/* The records                                                          */

enum { M_A, M_B, M_MYSTERY, NMODELS };
static const char *const model_name[NMODELS] = { "test-model-a", "test-model-b", "mystery" };
static const char *const feature_name[3] = { "chat", "search", "summarize" };

struct orec {
	int id;                 /* request_id r%05d */
	int64_t t_ms;           /* start, epoch milliseconds (UTC) */
	int user;               /* u%02d, -1 absent */
	int sess;               /* s%03d, -1 absent */
	int model, feature;
	int status;             /* always written */
	const char *etype;      /* error_type, NULL absent */
	int has_lat;
	int64_t lat_us;
	int has_ttft;
	int64_t ttft_us;
	int64_t in_tok;         /* always written */
	int has_out;
	int64_t out_tok;
	int has_cached;
	int64_t cached;
	int has_cost;
	int64_t cost_nano;      /* USD * 1e9 */
	int cache_hit;          /* -1 absent, 0, 1 */
	int rkind;              /* 0 no rating, 1 stars, 2 thumbs, 3 fractional stars,
	                           4 thumbs down as a number */
	int rating;             /* 1: stars 1-5; 2: 1 true, 0 false; 3: tenths of a
	                           star (never x.5); 4: -1 or 0 */
	int success;            /* -1 absent, 0, 1 */
	int regen;              /* -1 absent, 0, 1 */
	int prompt;             /* prompt number, -1 absent */
};

struct dataset {
	struct orec *r;
	size_t n, cap;
	int logged;             /* variant A: regenerated on every line, success on some */
	int64_t base_ms;        /* 00:00 UTC of the first calendar day */
};

#define NDAYS 10
#define GAP_DAY 5               /* a calendar day without requests */
#define SPIKE_DAY 7             /* a spike only because the empty day counts $0 */
#define HEAVY_DAY 8             /* an anomaly at 2.06 population sd (2.0 sample sd) */
#define DAY_MS 86400000LL
#define NUSERS 60
#define NSESS 300

/* xorshift64 (13, 7, 17) */
struct rng {
	uint64_t s;
};

static uint64_t
rnext(struct rng *g)
{
	uint64_t x = g->s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return g->s = x;
}

static double
runif(struct rng *g)
{
	return (double)(rnext(g) >> 11) / 9007199254740992.0;
}

/* Uniform in [lo, hi]. */
static int64_t
rint_in(struct rng *g, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnext(g) % (uint64_t)(hi - lo + 1));
}

static int
skewed_user(struct rng *g)
{
	double u = runif(g);

	return (int)(NUSERS * u * u * u) % NUSERS;
}

static struct orec *
push(struct dataset *d)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 1024;
		d->r = realloc(d->r, d->cap * sizeof(*d->r));
		cr_assert(d->r != NULL);
	}
	memset(&d->r[d->n], 0, sizeof(d->r[0]));
	d->r[d->n].id = (int)d->n;
	return &d->r[d->n++];
}

/* Everything but time, user, session, prompt, success and regen. */
static void
fill_request(struct rng *g, struct orec *r)
{
	static const int bad[] = { 400, 404, 408, 429, 500, 503, 504 };
	static const int64_t rate_in[NMODELS] = { 150, 30, 0 }, rate_out[NMODELS] = { 600, 120, 0 };
	double u = runif(g);
	int err;

	r->model = u < 0.55 ? M_A : u < 0.90 ? M_B : M_MYSTERY;
	r->feature = (int)rint_in(g, 0, 2);
	r->status = runif(g) < 0.84 ? 200 : bad[rint_in(g, 0, 6)];
	err = r->status >= 400;
	switch (r->status) {
	case 408: case 504: r->etype = "timeout"; break;
	case 429: r->etype = "rate_limit"; break;
	case 500: r->etype = runif(g) < 0.3 ? "upstream_timeout" : "server_error"; break;
	case 200: r->etype = runif(g) < 0.005 ? "timeout" : NULL; break;
	default: r->etype = NULL;
	}
	if (runif(g) < 0.98) {
		r->has_lat = 1;
		r->lat_us = (err ? rint_in(g, 50, 3000) : rint_in(g, 200, 12000)) * 1000 + rint_in(g, 1, 999);
		if (runif(g) < 0.75) {
			r->has_ttft = 1;
			r->ttft_us = (int64_t)((double)r->lat_us * (0.05 + 0.45 * runif(g)));
			if (r->ttft_us < 1)
				r->ttft_us = 1;
		}
	}
	r->in_tok = rint_in(g, 20, 4000);
	if (runif(g) < 0.92) {
		r->has_out = 1;
		if (err)
			r->out_tok = runif(g) < 0.5 ? 0 : rint_in(g, 1, 20);
		else
			r->out_tok = runif(g) < 0.03 ? rint_in(g, 0, 1) : rint_in(g, 2, 1500);
	}
	if (runif(g) < 0.35) {
		r->has_cached = 1;
		r->cached = rint_in(g, 0, r->in_tok);
	}
	if (r->model == M_A || (r->model == M_B && runif(g) < 0.94)) {
		r->has_cost = 1;
		r->cost_nano = r->in_tok * rate_in[r->model] + r->out_tok * rate_out[r->model] + rint_in(g, 1, 999);
	}
	u = runif(g);
	r->cache_hit = u < 0.07 ? 1 : u < 0.37 ? 0 : -1;
	u = runif(g);
	if (u < 0.10) {
		r->rkind = 1;
		r->rating = (int)rint_in(g, 1, 5);
	} else if (u < 0.14) {
		r->rkind = 2;
		r->rating = runif(g) < 0.5;
	} else if (u < 0.17) {
		r->rkind = 3;
		r->rating = (int)rint_in(g, 10, 49);
		r->rating += r->rating % 10 == 5;       /* no ties to round */
	} else if (u < 0.18) {
		r->rkind = 4;
		r->rating = (int)rint_in(g, -1, 0);
	}
	r->success = -1;
	r->regen = -1;
	r->prompt = -1;
}

static int
pick_day(struct rng *g)
{
	int d = (int)rint_in(g, 0, NDAYS - 2);

	return d >= GAP_DAY ? d + 1 : d;
}

static int64_t
make_base(void)
{
	struct tm tm = { 0 };

	/* Saturday 2026-01-24: the 10 days touch 3 ISO weeks (Jan 19-25, Jan 26 -
	 * Feb 1, Feb 2-8), 3 Sunday weeks (from Jan 18, 25, Feb 1) and 2 months,
	 * all split at different days; the empty day is Thursday Jan 29 */
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 0;
	tm.tm_mday = 24;
	return (int64_t)timegm(&tm) * 1000;
}

static int64_t
day_index(const struct dataset *d, const struct orec *r)
{
	return (r->t_ms - d->base_ms) / DAY_MS;
}

/* Cost of each day; NAN for days without requests. */
static void
day_costs(const struct dataset *d, double *c)
{
	size_t i;

	for (i = 0; i < NDAYS; i++)
		c[i] = NAN;
	for (i = 0; i < d->n; i++) {
		int64_t k = day_index(d, &d->r[i]);

		c[k] = (isnan(c[k]) ? 0 : c[k]) + (d->r[i].has_cost ? (double)d->r[i].cost_nano : 0);
	}
}

static void
scale_day(struct dataset *d, int day, double f)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (day_index(d, &d->r[i]) == day && d->r[i].has_cost)
			d->r[i].cost_nano = (int64_t)llround((double)d->r[i].cost_nano * f);
}

/* z-score of day `day` among the days with requests (population sd). */
static double
zscore(const double *c, int day)
{
	double mean = 0, var = 0;
	int i, n = 0;

	for (i = 0; i < NDAYS; i++)
		if (!isnan(c[i])) {
			mean += c[i];
			n++;
		}
	mean /= n;
	for (i = 0; i < NDAYS; i++)
		if (!isnan(c[i]))
			var += (c[i] - mean) * (c[i] - mean);
	return (c[day] - mean) / sqrt(var / n);
}

/* Gives the daily costs shapes that tell definitions apart:
 * SPIKE_DAY costs 1.86x the mean of the 6 full days before it: over twice
 * the mean of its 7 calendar days (GAP_DAY: $0 or one request), under
 * twice the mean of the 6 days that have requests (logged variant).
 * HEAVY_DAY lies 2.06 population standard deviations from the mean: an
 * anomaly, but not by the sample standard deviation (2.06 / sqrt(9/8) =
 * 1.94; with 10 days 1.95). */
static void
shape_days(struct dataset *d)
{
	double c[NDAYS], before = 0, lo, hi, mid, base;
	int i, it;

	day_costs(d, c);
	for (i = 0; i < SPIKE_DAY; i++)
		before += isnan(c[i]) ? 0 : c[i];
	scale_day(d, SPIKE_DAY, 1.86 * before / 6 / c[SPIKE_DAY]);
	day_costs(d, c);
	base = c[HEAVY_DAY];
	lo = 1;
	hi = 100;
	for (it = 0; it < 100; it++) {
		mid = (lo + hi) / 2;
		c[HEAVY_DAY] = base * mid;
		if (zscore(c, HEAVY_DAY) < 2.06)
			lo = mid;
		else
			hi = mid;
	}
	scale_day(d, HEAVY_DAY, mid);
	day_costs(d, c);
	cr_assert(fabs(zscore(c, HEAVY_DAY) - 2.06) < 0.01, "generator: z = %g", zscore(c, HEAVY_DAY));
}

static void
generate(struct dataset *d, uint64_t seed, int logged)
{
	struct rng g = { seed * 0x9E3779B97F4A7C15ULL + 88172645463325252ULL };
	int s, k, i, nprompt = 0;

	memset(d, 0, sizeof(*d));
	d->logged = logged;
	d->base_ms = make_base();
	for (s = 0; s < NSESS; s++) {
		int day = pick_day(&g), turns = (int)rint_in(&g, 1, 17);
		int user = runif(&g) < 0.05 ? -1 : skewed_user(&g);
		int64_t t = d->base_ms + day * DAY_MS + rint_in(&g, 0, 18 * 3600 * 1000LL - 1);
		size_t first = d->n;
		int prev_prompt = -1;
		double u;

		for (k = 0; k < turns; k++) {
			struct orec *r = push(d);
			int64_t true_lat_ms, next;

			fill_request(&g, r);
			r->t_ms = t;
			r->user = user;
			r->sess = s;
			u = runif(&g);
			if (k > 0 && u < 0.18)
				r->prompt = prev_prompt;        /* a repeat, absent when the previous was */
			else if (u < 0.22)
				r->prompt = -1;
			else
				r->prompt = nprompt++;
			prev_prompt = r->prompt;
			if (logged)
				r->regen = runif(&g) < 0.08;
			/* the next turn: within 30 s of this end, overlapping, or later */
			true_lat_ms = r->has_lat ? r->lat_us / 1000 + 1 : rint_in(&g, 300, 5000);
			u = runif(&g);
			if (u < 0.45)
				next = t + true_lat_ms + rint_in(&g, 200, 29500);
			else if (u < 0.55)
				next = t + (true_lat_ms / 2 > 1 ? true_lat_ms / 2 : 1);
			else
				next = t + true_lat_ms + rint_in(&g, 31000, 900000);
			if (!r->has_lat && next - t == 30000)
				next++;         /* no gap exactly on the window's edge */
			t = next;
		}
		if (logged) {
			size_t last = d->n - 1, mid = first + (d->n - first) / 2;

			u = runif(&g);
			if (u < 0.70) {
				d->r[last].success = runif(&g) < 0.6;
				if (runif(&g) < 0.15 && mid != last)
					d->r[mid].success = !d->r[last].success;
			} else if (u < 0.78 && mid != last)
				d->r[mid].success = runif(&g) < 0.5;
		}
	}
	/* requests without a session (and some without a user) */
	for (i = 0; i < 420; i++) {
		int day = pick_day(&g);
		struct orec *r = push(d);

		fill_request(&g, r);
		r->t_ms = d->base_ms + day * DAY_MS + rint_in(&g, 0, DAY_MS - 1);
		r->user = runif(&g) < 0.2 ? -1 : skewed_user(&g);
		r->sess = -1;
		r->prompt = runif(&g) < 0.5 ? (int)rint_in(&g, 0, 30) : -1;
		if (logged) {
			r->regen = runif(&g) < 0.08;
			if (runif(&g) < 0.02)
				r->success = 1;         /* not a task: no session */
		}
	}
	/* a burst: the peak minute */
	for (i = 0; i < 45; i++) {
		struct orec *r = push(d);

		fill_request(&g, r);
		r->t_ms = d->base_ms + 2 * DAY_MS + (12 * 60 + 34) * 60000LL + rint_in(&g, 0, 59999);
		r->user = runif(&g) < 0.3 ? -1 : skewed_user(&g);
		r->sess = -1;
		if (logged)
			r->regen = 0;
	}
	if (!logged) {  /* 10 days with requests: an even count for the median */
		struct orec *r = push(d);

		fill_request(&g, r);
		r->t_ms = d->base_ms + GAP_DAY * DAY_MS + 43200000;
		r->user = 3;
		r->sess = -1;
	}
	shape_days(d);
}

/* ------------------------------------------------------------------ */
/* Writing JSONL                                                        */

static void
iso_ms(int64_t t_ms, char *buf, size_t cap)
{
	time_t sec = (time_t)(t_ms / 1000);
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(t_ms % 1000));
}

static void
day_text(int64_t day, char *buf, size_t cap)
{
	time_t sec = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, cap, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Bytes of an ignored "pad" string added to each line (0 none). */
static int pad_bytes;

static void
write_rec(FILE *f, const struct orec *r)
{
	char ts[80];

	iso_ms(r->t_ms, ts, sizeof(ts));
	fprintf(f, "{\"timestamp\":\"%s\",\"request_id\":\"r%05d\"", ts, r->id);
	if (r->user >= 0)
		fprintf(f, ",\"user_id\":\"u%02d\"", r->user);
	if (r->sess >= 0)
		fprintf(f, ",\"session_id\":\"s%03d\"", r->sess);
	fprintf(f, ",\"model\":\"%s\",\"provider\":\"test-prov\",\"feature\":\"%s\",\"status\":%d",
	    model_name[r->model], feature_name[r->feature], r->status);
	if (r->has_lat)
		fprintf(f, ",\"latency_ms\":%lld.%03lld", (long long)(r->lat_us / 1000), (long long)(r->lat_us % 1000));
	if (r->has_ttft)
		fprintf(f, ",\"ttft_ms\":%lld.%03lld", (long long)(r->ttft_us / 1000), (long long)(r->ttft_us % 1000));
	fprintf(f, ",\"usage\":{\"prompt_tokens\":%lld", (long long)r->in_tok);
	if (r->has_out)
		fprintf(f, ",\"completion_tokens\":%lld", (long long)r->out_tok);
	if (r->has_cached)
		fprintf(f, ",\"prompt_tokens_details\":{\"cached_tokens\":%lld}", (long long)r->cached);
	fputc('}', f);
	if (r->has_cost)
		fprintf(f, ",\"cost\":%lld.%09lld", (long long)(r->cost_nano / 1000000000), (long long)(r->cost_nano % 1000000000));
	if (r->cache_hit >= 0)
		fprintf(f, ",\"cache_hit\":%s", r->cache_hit ? "true" : "false");
	if (r->rkind == 1)
		fprintf(f, ",\"rating\":%d", r->rating);
	else if (r->rkind == 2)
		fprintf(f, ",\"rating\":%s", r->rating ? "true" : "false");
	else if (r->rkind == 3)
		fprintf(f, ",\"rating\":%d.%d", r->rating / 10, r->rating % 10);
	else if (r->rkind == 4)
		fprintf(f, ",\"rating\":%d", r->rating);
	if (r->success >= 0)
		fprintf(f, ",\"success\":%s", r->success ? "true" : "false");
	if (r->regen >= 0)
		fprintf(f, ",\"regenerated\":%s", r->regen ? "true" : "false");
	if (r->etype)
		fprintf(f, ",\"error_type\":\"%s\"", r->etype);
	if (r->prompt >= 0)
		fprintf(f, ",\"prompt\":\"question %d: what is in the log?\"", r->prompt);
	if (pad_bytes > 0)
		fprintf(f, ",\"pad\":\"%0*d\"", pad_bytes, r->id);
	fputs("}\n", f);
}

/* Files made by a test, removed after it even when an assertion fails. */
static char tmp_paths[16][64];
static int ntmp;

static void
remove_tmp(void)
{
	while (ntmp > 0)
		unlink(tmp_paths[--ntmp]);
}

TestSuite(oracle, .fini = remove_tmp, .timeout = 60);

/* A new file under /tmp; its name in path (64 bytes). */
static FILE *
tmp_file(char *path)
{
	int fd;
	FILE *f;

	strcpy(path, "/tmp/llmstat_oracle_XXXXXX");
	fd = mkstemp(path);
	cr_assert(ntmp < 16);
	if (fd >= 0)
		strcpy(tmp_paths[ntmp++], path);
	cr_assert(fd >= 0, "mkstemp failed");
	f = fdopen(fd, "w");
	cr_assert(f != NULL);
	return f;
}

/* Writes recs[order[lo..hi)] to a new file. */
static void
write_file(const struct dataset *d, const size_t *order, size_t lo, size_t hi, char *path)
{
	FILE *f = tmp_file(path);
	size_t i;

	for (i = lo; i < hi; i++)
		write_rec(f, &d->r[order[i]]);
	cr_assert(fclose(f) == 0);
}

static const struct dataset *sort_ds;

static int
cmp_time_order(const void *x, const void *y)
{
	const struct orec *a = &sort_ds->r[*(const size_t *)x], *b = &sort_ds->r[*(const size_t *)y];

	if (a->t_ms != b->t_ms)
		return a->t_ms < b->t_ms ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static size_t *
sorted_order(const struct dataset *d)
{
	size_t *o = malloc(d->n * sizeof(*o)), i;

	for (i = 0; i < d->n; i++)
		o[i] = i;
	sort_ds = d;
	qsort(o, d->n, sizeof(*o), cmp_time_order);
	return o;
}

static size_t *
shuffled_order(const struct dataset *d, uint64_t seed)
{
	struct rng g = { seed | 1 };
	size_t *o = malloc(d->n * sizeof(*o)), i, j, t;

	for (i = 0; i < d->n; i++)
		o[i] = i;
	for (i = d->n - 1; i > 0; i--) {
		j = (size_t)(rnext(&g) % (i + 1));
		t = o[i];
		o[i] = o[j];
		o[j] = t;
	}
	return o;
}

/* ------------------------------------------------------------------ */
/* Running llmstat                                                      */

static char *
run_llmstat(const char *args, int want_exit)
{
	const char *bin = getenv("LLMSTAT_BIN");
	char cmd[8192];
	size_t cap = 1 << 16, len = 0, k;
	char *buf = malloc(cap);
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' %s 2>/dev/null", bin ? bin : "./llmstat", args);
	p = popen(cmd, "r");
	cr_assert(p != NULL, "popen %s", cmd);
	while ((k = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += k;
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	st = pclose(p);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == want_exit,
	    "`%s` exited with %d, want %d; output:\n%s", cmd,
	    WIFEXITED(st) ? WEXITSTATUS(st) : -1, want_exit, buf);
	cr_assert(len > 0, "`%s` printed nothing", cmd);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Reading llmstat's JSON                                               */

struct jdoc {
	const char *p;
	size_t n;
	const char *prefix;     /* "metrics." or "quality." or "" */
	const char *label;      /* names the document in messages */
};

static struct js_view
jget(const struct jdoc *d, const char *name)
{
	char path[256];
	struct js_paths *ps = js_paths_new();
	struct js_view out[1];
	struct js_err e;
	int rc;

	snprintf(path, sizeof(path), "%s%s", d->prefix, name);
	cr_assert(js_paths_add(ps, path) == 0, "bad path %s", path);
	rc = js_scan(ps, d->p, d->n, out, &e);
	js_paths_free(ps);
	cr_assert(rc == 0, "%s: llmstat printed invalid JSON (%s at byte %zu)", d->label, e.msg, e.pos);
	cr_assert(out[0].type != JS_NONE, "%s: metric %s is missing from the output", d->label, name);
	return out[0];
}

static void
exp_int(const struct jdoc *d, const char *name, int64_t want)
{
	struct js_view v = jget(d, name);
	int64_t got = 0;

	OCHECK(v.type == JS_NUMBER && js_int64(&v, &got) == 0,
	    "%s: %s: expected %lld, got %.*s", d->label, name, (long long)want, (int)v.n, v.p);
	OCHECK(got == want, "%s: %s: expected %lld, got %lld", d->label, name, (long long)want, (long long)got);
}

static double
get_num(const struct jdoc *d, const char *name)
{
	struct js_view v = jget(d, name);
	double got = NAN;

	OCHECK(v.type == JS_NUMBER && js_number(&v, &got) == 0,
	    "%s: %s: expected a number, got %.*s", d->label, name, (int)v.n, v.p);
	return got;
}

/* Exact up to a relative 1e-9 (money is summed in pico-dollars). */
static void
exp_num(const struct jdoc *d, const char *name, double want)
{
	double got = get_num(d, name);

	OCHECK(fabs(got - want) <= 1e-9 * fmax(fabs(want), fabs(got)) + 1e-15,
	    "%s: %s: expected %.17g, got %.17g", d->label, name, want, got);
}

/* A sketch quantile: within 1% of the exact nearest-rank value. */
static void
exp_sketch(const struct jdoc *d, const char *name, double exact)
{
	double got = get_num(d, name);

	OCHECK(fabs(got - exact) <= 0.01 * exact + 1e-9,
	    "%s: %s: expected %.17g (exact nearest rank) within 1%%, got %.17g", d->label, name, exact, got);
}

static void
exp_null(const struct jdoc *d, const char *name)
{
	struct js_view v = jget(d, name);

	OCHECK(v.type == JS_NULL, "%s: %s: expected null, got %.*s", d->label, name, (int)v.n, v.p);
}

static void
exp_str(const struct jdoc *d, const char *name, const char *want)
{
	struct js_view v = jget(d, name);

	OCHECK(v.type == JS_STRING && js_streq(&v, want),
	    "%s: %s: expected \"%s\", got %.*s", d->label, name, want, (int)v.n, v.p);
}

/* An array of strings, in order. */
static void
exp_strs(const struct jdoc *d, const char *name, const char *const *want, size_t nwant)
{
	struct js_view v = jget(d, name), e;
	size_t pos = 0, i = 0;
	char buf[256];
	long k;

	OCHECK(v.type == JS_ARRAY, "%s: %s: expected an array, got %.*s", d->label, name, (int)v.n, v.p);
	while (js_array_next(&v, &pos, &e)) {
		OCHECK(i < nwant, "%s: %s: expected %zu entries, got %.*s", d->label, name, nwant, (int)v.n, v.p);
		k = js_unescape(&e, buf, sizeof(buf) - 1);
		OCHECK(e.type == JS_STRING && k >= 0, "%s: %s: entry %zu is not a string: %.*s",
		    d->label, name, i, (int)v.n, v.p);
		buf[k] = '\0';
		OCHECK(strcmp(buf, want[i]) == 0, "%s: %s[%zu]: expected \"%s\", got \"%s\" (whole: %.*s)",
		    d->label, name, i, want[i], buf, (int)v.n, v.p);
		i++;
	}
	OCHECK(i == nwant, "%s: %s: expected %zu entries, got %zu: %.*s", d->label, name, nwant, i, (int)v.n, v.p);
}

/* ------------------------------------------------------------------ */
/* The oracle                                                           */

static int
cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static int
cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* 0-based index of the nearest-rank pct-th percentile of n sorted values:
 * 1-based rank ceil(pct * n / 100), in integers. */
static size_t
nr_index(int pct, size_t n)
{
	size_t r = ((size_t)pct * n + 99) / 100;

	return r < 1 ? 0 : r - 1;
}

/* Exact nearest-rank quantile of v[0..n) (sorted here). */
static double
exact_q(double *v, size_t n, int pct)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return v[nr_index(pct, n)];
}

static int
is_err(const struct orec *r)
{
	return r->status >= 400;
}

static int
is_timeout(const struct orec *r)
{
	return r->status == 408 || r->status == 504 || (r->etype && strstr(r->etype, "timeout"));
}

static double
usd(int64_t nano)
{
	return (double)nano / 1e9;
}

static int64_t
day_of(int64_t t_ms)
{
	return t_ms / DAY_MS;           /* all times are after 1970 */
}

/* ISO week (Monday first) and month buckets. */
static int64_t
week_of(int64_t t_ms)
{
	return (day_of(t_ms) + 3) / 7; /* 1970-01-01 was a Thursday */
}

static int64_t
month_of(int64_t t_ms)
{
	time_t sec = (time_t)(t_ms / 1000);
	struct tm tm;

	gmtime_r(&sec, &tm);
	return (int64_t)tm.tm_year * 12 + tm.tm_mon;
}

/* The rating in stars (1-5 scale): thumbs up 5, thumbs down 1. */
static double
stars(const struct orec *r)
{
	switch (r->rkind) {
	case 1: return r->rating;
	case 2: return r->rating ? 5 : 1;
	case 3: return r->rating / 10.0;
	default: return 1;
	}
}

/* The star it counts for in feedback_1..5: rounded. */
static int
star_bin(const struct orec *r)
{
	return r->rkind == 3 ? (r->rating + 5) / 10 : (int)stars(r);
}

/* Mean distinct users per bucket over buckets having any request. */
static double
active_mean(const struct dataset *d, int64_t (*bucket)(int64_t))
{
	int64_t *keys = malloc(d->n * sizeof(*keys)), *pairs = malloc(d->n * sizeof(*pairs));
	size_t i, nk = 0, np = 0, nb = 0, nd = 0;

	for (i = 0; i < d->n; i++) {
		int64_t b = bucket(d->r[i].t_ms);

		keys[nk++] = b;
		if (d->r[i].user >= 0)
			pairs[np++] = b * 1000 + d->r[i].user;
	}
	qsort(keys, nk, sizeof(*keys), cmp_i64);
	qsort(pairs, np, sizeof(*pairs), cmp_i64);
	for (i = 0; i < nk; i++)
		nb += i == 0 || keys[i] != keys[i - 1];
	for (i = 0; i < np; i++)
		nd += i == 0 || pairs[i] != pairs[i - 1];
	free(keys);
	free(pairs);
	return (double)nd / (double)nb;
}

/* Records of each session in time order (ties: the later end last). */
static const struct dataset *sess_ds;

static int64_t
end_us(const struct orec *r)
{
	return r->t_ms * 1000 + (r->has_lat ? r->lat_us : 0);
}

static int
cmp_sess_time(const void *x, const void *y)
{
	const struct orec *a = &sess_ds->r[*(const size_t *)x], *b = &sess_ds->r[*(const size_t *)y];

	if (a->sess != b->sess)
		return a->sess < b->sess ? -1 : 1;
	if (a->t_ms != b->t_ms)
		return a->t_ms < b->t_ms ? -1 : 1;
	return (end_us(a) > end_us(b)) - (end_us(a) < end_us(b));
}

/* Indices of the records with a session, by session then time; *m of them. */
static size_t *
session_order(const struct dataset *d, size_t *m)
{
	size_t *o = malloc(d->n * sizeof(*o)), i, k = 0;

	for (i = 0; i < d->n; i++)
		if (d->r[i].sess >= 0)
			o[k++] = i;
	sess_ds = d;
	qsort(o, k, sizeof(*o), cmp_sess_time);
	*m = k;
	return o;
}

/* Tasks under README "Metrics": logged when any record carries success. */
static void
oracle_tasks(const struct dataset *d, int64_t *ntasks, int64_t *nok, int *inferred)
{
	size_t m, i, *o = session_order(d, &m);
	int any_success = 0;

	for (i = 0; i < d->n; i++)
		any_success |= d->r[i].success >= 0;
	*inferred = !any_success;
	*ntasks = *nok = 0;
	for (i = 0; i < m; i++) {
		const struct orec *r = &d->r[o[i]];
		int last_of_session = i + 1 == m || d->r[o[i + 1]].sess != r->sess;
		size_t j;

		if (!last_of_session)
			continue;
		if (*inferred) {        /* the last request by time did not fail */
			(*ntasks)++;
			*nok += !is_err(r);
			continue;
		}
		/* the latest record of the session that carries success */
		for (j = i + 1; j-- > 0 && d->r[o[j]].sess == r->sess;)
			if (d->r[o[j]].success >= 0) {
				(*ntasks)++;
				*nok += d->r[o[j]].success == 1;
				break;
			}
	}
	free(o);
}

static void
check_summary(const struct dataset *d, const char *json, const char *label)
{
	struct jdoc M = { json, strlen(json), "metrics.", label };
	struct jdoc Q = { json, strlen(json), "quality.", label };
	size_t n = d->n, i, j, k;
	double *v = malloc((n + 1) * sizeof(double));
	int64_t errors = 0, s4 = 0, s5 = 0, rl = 0, to = 0, hits = 0;
	int64_t cost = 0, priced = 0, in = 0, out = 0, cached = 0, ok_out = 0, ok_out_n = 0;
	int64_t lat_sum = 0, lat_max = 0, lat_n = 0, tmin = INT64_MAX, tmax = INT64_MIN;
	int64_t fb_n = 0, fb_hist[6] = { 0 }, regen_logged = 0, with_sess = 0;
	double fb_sum = 0;

	cr_assert(n > 0);
	for (i = 0; i < n; i++) {
		const struct orec *r = &d->r[i];

		errors += is_err(r);
		s4 += r->status >= 400 && r->status < 500;
		s5 += r->status >= 500 && r->status < 600;
		rl += r->status == 429;
		to += is_timeout(r);
		hits += r->cache_hit == 1;
		if (r->has_cost) {
			cost += r->cost_nano;
			priced++;
		}
		in += r->in_tok;
		out += r->has_out ? r->out_tok : 0;
		cached += r->has_cached ? r->cached : 0;
		if (!is_err(r) && r->has_out) {
			ok_out += r->out_tok;
			ok_out_n++;
		}
		if (r->has_lat) {
			lat_n++;
			lat_sum += r->lat_us;
			if (r->lat_us > lat_max)
				lat_max = r->lat_us;
		}
		if (r->t_ms < tmin)
			tmin = r->t_ms;
		if (r->t_ms > tmax)
			tmax = r->t_ms;
		if (r->rkind) {
			fb_n++;
			fb_sum += stars(r);
			fb_hist[star_bin(r)]++;
		}
		regen_logged += r->regen == 1;
		with_sess += r->sess >= 0;
	}

	/* Volume */
	exp_int(&M, "requests", (int64_t)n);
	exp_int(&M, "rejected_lines", 0);
	exp_int(&M, "errors", errors);
	exp_num(&M, "error_rate", (double)errors / (double)n);
	exp_int(&M, "status_4xx", s4);
	exp_int(&M, "status_5xx", s5);
	exp_int(&M, "rate_limited", rl);
	exp_int(&M, "timeouts", to);
	exp_num(&M, "timeout_share_of_errors", (double)to / (double)errors);
	exp_num(&M, "cache_hit_rate", (double)hits / (double)n);

	/* Cost */
	exp_num(&M, "total_cost", usd(cost));
	exp_int(&M, "unpriced_requests", (int64_t)n - priced);
	exp_num(&M, "cost_per_request", usd(cost) / (double)priced);
	for (i = k = 0; i < n; i++)
		if (d->r[i].has_cost)
			v[k++] = usd(d->r[i].cost_nano);
	exp_sketch(&M, "cost_per_request_p50", exact_q(v, k, 50));
	exp_sketch(&M, "cost_per_request_p95", exact_q(v, k, 95));
	exp_sketch(&M, "cost_per_request_p99", exact_q(v, k, 99));
	exp_num(&M, "cost_per_1k_tokens", usd(cost) * 1000.0 / (double)(in + out));

	/* per user: brute force over the 60 possible ids */
	{
		int64_t ucost[NUSERS] = { 0 }, ureq[NUSERS] = { 0 }, sorted[NUSERS], usum = 0, thr, topsum = 0;
		int64_t top = 0, reqsum = 0, nu = 0;
		double rq[NUSERS];

		for (i = 0; i < n; i++)
			if (d->r[i].user >= 0) {
				ureq[d->r[i].user]++;
				ucost[d->r[i].user] += d->r[i].has_cost ? d->r[i].cost_nano : 0;
			}
		for (i = 0; i < NUSERS; i++)
			if (ureq[i]) {
				rq[nu] = (double)ureq[i];
				reqsum += ureq[i];
				usum += ucost[i];
				sorted[nu++] = ucost[i];
			}
		cr_assert(nu > 30, "generator: only %lld users", (long long)nu);
		qsort(sorted, (size_t)nu, sizeof(*sorted), cmp_i64);
		thr = sorted[nr_index(95, (size_t)nu)];
		for (i = 0; i < (size_t)nu; i++)
			if (sorted[i] >= thr) {
				top++;
				topsum += sorted[i];
			}
		exp_int(&M, "active_users", nu);
		exp_num(&M, "cost_per_user", usd(usum) / (double)nu);
		exp_num(&M, "cost_per_user_p50", usd(sorted[nr_index(50, (size_t)nu)]));
		exp_num(&M, "cost_per_user_p95", usd(thr));
		exp_num(&M, "cost_per_user_p99", usd(sorted[nr_index(99, (size_t)nu)]));
		exp_num(&M, "p95_user_threshold", usd(thr));
		exp_int(&M, "p95_users", top);
		exp_num(&M, "p95_users_cost_share", (double)topsum / (double)usum);

		exp_num(&M, "requests_per_user", (double)reqsum / (double)nu);
		exp_num(&M, "requests_per_user_p50", exact_q(rq, (size_t)nu, 50));
		exp_num(&M, "requests_per_user_p95", exact_q(rq, (size_t)nu, 95));
	}

	/* per session */
	{
		int64_t scost = 0, nsess = 0, ntasks, nok, dur_sum = 0, dur_n = 0, requery = 0, regen_inf = 0;
		int inferred;
		size_t m, *o = session_order(d, &m);

		for (i = 0; i < m; i++) {
			const struct orec *r = &d->r[o[i]];
			int first = i == 0 || d->r[o[i - 1]].sess != r->sess;
			int last = i + 1 == m || d->r[o[i + 1]].sess != r->sess;

			scost += r->has_cost ? r->cost_nano : 0;
			nsess += first;
			if (last) {             /* (last start + its latency) - first start */
				for (j = i; j > 0 && d->r[o[j - 1]].sess == r->sess; j--)
					;
				dur_sum += end_us(r) - d->r[o[j]].t_ms * 1000;
				dur_n++;
			} else {
				const struct orec *nx = &d->r[o[i + 1]];
				int64_t gap = nx->t_ms * 1000 - end_us(r);

				requery += gap >= 0 && gap <= 30000000;
				regen_inf += r->prompt >= 0 && r->prompt == nx->prompt;
			}
		}
		free(o);
		oracle_tasks(d, &ntasks, &nok, &inferred);
		cr_assert(inferred == !d->logged);
		exp_num(&M, "cost_per_session", usd(scost) / (double)nsess);
		exp_num(&M, "cost_per_successful_task", usd(cost) / (double)nok);
		exp_int(&M, "sessions", nsess);
		exp_num(&M, "requests_per_session", (double)with_sess / (double)nsess);
		exp_num(&M, "session_duration_mean_ms", (double)dur_sum / 1000.0 / (double)dur_n);
		if (d->logged) {
			exp_num(&M, "regenerate_rate", (double)regen_logged / (double)n);
			exp_str(&M, "regenerate_source", "logged");
		} else {
			exp_num(&M, "regenerate_rate", (double)regen_inf / (double)n);
			exp_str(&M, "regenerate_source", "inferred");
		}
		cr_assert(regen_inf > 10 && requery > 100, "generator: %lld inferred regenerations, %lld re-queries",
		    (long long)regen_inf, (long long)requery);
		exp_num(&M, "requery_rate", (double)requery / (double)with_sess);
		exp_int(&M, "tasks", ntasks);
		exp_int(&M, "successful_tasks", nok);
		exp_num(&M, "task_success_rate", (double)nok / (double)ntasks);
		exp_str(&M, "task_outcome", inferred ? "inferred" : "logged");
	}
	/* no model is in a price table, so nothing is priceable */
	exp_num(&M, "cache_savings", 0);

	/* Tokens */
	exp_int(&M, "input_tokens", in);
	exp_int(&M, "output_tokens", out);
	exp_int(&M, "cached_tokens", cached);
	exp_int(&M, "total_tokens", in + out);
	exp_num(&M, "tokens_per_request", (double)(in + out) / (double)n);
	for (i = 0; i < n; i++)
		v[i] = (double)(d->r[i].in_tok + (d->r[i].has_out ? d->r[i].out_tok : 0));
	exp_sketch(&M, "tokens_per_request_p50", exact_q(v, n, 50));
	exp_sketch(&M, "tokens_per_request_p95", exact_q(v, n, 95));
	exp_sketch(&M, "tokens_per_request_p99", exact_q(v, n, 99));
	exp_num(&M, "output_tokens_per_success", (double)ok_out / (double)ok_out_n);

	/* Latency and throughput */
	for (i = k = 0; i < n; i++)
		if (d->r[i].has_lat)
			v[k++] = (double)d->r[i].lat_us / 1000.0;
	exp_sketch(&M, "latency_p50", exact_q(v, k, 50));
	exp_sketch(&M, "latency_p95", exact_q(v, k, 95));
	exp_sketch(&M, "latency_p99", exact_q(v, k, 99));
	exp_num(&M, "latency_mean", (double)lat_sum / 1000.0 / (double)lat_n);
	exp_num(&M, "latency_max", (double)lat_max / 1000.0);
	for (i = k = 0; i < n; i++)
		if (d->r[i].has_ttft)
			v[k++] = (double)d->r[i].ttft_us / 1000.0;
	exp_sketch(&M, "ttft_p50", exact_q(v, k, 50));
	exp_sketch(&M, "ttft_p95", exact_q(v, k, 95));
	exp_sketch(&M, "ttft_p99", exact_q(v, k, 99));
	for (i = k = 0; i < n; i++) {
		const struct orec *r = &d->r[i];

		if (!is_err(r) && r->has_lat && r->has_ttft && r->has_out && r->out_tok >= 2)
			v[k++] = (double)(r->lat_us - r->ttft_us) / 1000.0 / (double)(r->out_tok - 1);
	}
	exp_sketch(&M, "tpot_p50", exact_q(v, k, 50));
	exp_sketch(&M, "tpot_p95", exact_q(v, k, 95));
	exp_num(&M, "requests_per_second", (double)n / ((double)(tmax - tmin) / 1000.0));
	{
		int64_t *mins = malloc(n * sizeof(*mins)), best = 0, run = 0;

		for (i = 0; i < n; i++)
			mins[i] = d->r[i].t_ms / 60000;
		qsort(mins, n, sizeof(*mins), cmp_i64);
		for (i = 0; i < n; i++) {
			run = i > 0 && mins[i] == mins[i - 1] ? run + 1 : 1;
			if (run > best)
				best = run;
		}
		free(mins);
		cr_assert(best >= 45);
		exp_int(&M, "peak_requests_per_minute", best);
	}

	/* Users */
	exp_num(&M, "dau_mean", active_mean(d, day_of));
	exp_num(&M, "wau_mean", active_mean(d, week_of));
	exp_num(&M, "mau_mean", active_mean(d, month_of));

	/* Feedback */
	exp_int(&M, "feedback_count", fb_n);
	exp_num(&M, "feedback_mean", fb_sum / (double)fb_n);
	exp_int(&M, "feedback_1", fb_hist[1]);
	exp_int(&M, "feedback_2", fb_hist[2]);
	exp_int(&M, "feedback_3", fb_hist[3]);
	exp_int(&M, "feedback_4", fb_hist[4]);
	exp_int(&M, "feedback_5", fb_hist[5]);
	exp_null(&M, "nps");

	/* Daily cost */
	{
		int64_t dcost[NDAYS] = { 0 }, dreq[NDAYS] = { 0 }, d0 = day_of(d->base_ms), ndays = 0;
		int64_t dnum[NDAYS], dc[NDAYS];
		double sum = 0, mean, var = 0, sd, med, sorted[NDAYS];
		char dates[NDAYS][40];
		const char *anom[NDAYS], *spike[NDAYS];
		size_t na = 0, nspk = 0;

		for (i = 0; i < n; i++) {
			int64_t dd = day_of(d->r[i].t_ms) - d0;

			cr_assert(dd >= 0 && dd < NDAYS);
			dreq[dd]++;
			dcost[dd] += d->r[i].has_cost ? d->r[i].cost_nano : 0;
		}
		for (i = 0; i < NDAYS; i++)
			if (dreq[i]) {
				dnum[ndays] = d0 + (int64_t)i;
				dc[ndays] = dcost[i];
				sorted[ndays] = usd(dcost[i]);
				sum += usd(dcost[i]);
				day_text(dnum[ndays], dates[ndays], sizeof(dates[0]));
				ndays++;
			}
		cr_assert(ndays == (d->logged ? NDAYS - 1 : NDAYS), "generator: %lld days", (long long)ndays);
		mean = sum / (double)ndays;
		qsort(sorted, (size_t)ndays, sizeof(double), cmp_d);
		med = ndays % 2 ? sorted[ndays / 2] : (sorted[ndays / 2 - 1] + sorted[ndays / 2]) / 2;
		exp_int(&M, "days", ndays);
		exp_num(&M, "cost_daily_mean", mean);
		exp_num(&M, "cost_daily_median", med);
		exp_num(&M, "cost_daily_min", sorted[0]);
		exp_num(&M, "cost_daily_max", sorted[ndays - 1]);
		exp_num(&M, "cost_monthly_projected", mean * 30);
		for (i = 0; i < (size_t)ndays; i++)
			var += (usd(dc[i]) - mean) * (usd(dc[i]) - mean);
		sd = sqrt(var / (double)ndays);
		for (i = 0; i < (size_t)ndays; i++) {
			int64_t prior = 0;

			if (fabs(usd(dc[i]) - mean) > 2 * sd)
				anom[na++] = dates[i];
			/* spike: over twice the mean of the 7 calendar days before
			 * (empty days $0), for days with 7 days of history */
			if (dnum[i] - 7 < dnum[0])
				continue;
			for (j = 0; j < NDAYS; j++)
				if (d0 + (int64_t)j >= dnum[i] - 7 && d0 + (int64_t)j < dnum[i])
					prior += dcost[j];
			if (usd(dc[i]) > 2.0 * usd(prior) / 7.0)
				spike[nspk++] = dates[i];
		}
		{       /* the shapes of shape_days are there */
			char want_spike[40], want_anom[40];
			int has_spike = 0, has_anom = 0;

			day_text(d0 + SPIKE_DAY, want_spike, sizeof(want_spike));
			day_text(d0 + HEAVY_DAY, want_anom, sizeof(want_anom));
			for (i = 0; i < nspk; i++)
				has_spike |= strcmp(spike[i], want_spike) == 0;
			for (i = 0; i < na; i++)
				has_anom |= strcmp(anom[i], want_anom) == 0;
			cr_assert(has_spike && has_anom, "generator: %s is no spike or %s no anomaly", want_spike, want_anom);
		}
		exp_strs(&M, "cost_anomaly_days", anom, na);
		exp_strs(&M, "cost_spike_days", spike, nspk);
	}

	/* Data quality (section 6) */
	{
		const char *unknown[NMODELS];
		size_t nun = 0;
		int seen[NMODELS] = { 0 };

		for (i = 0; i < n; i++)
			if (!d->r[i].has_cost)
				seen[d->r[i].model] = 1;
		/* sorted by name: "mystery" < "test-model-a" < "test-model-b" */
		if (seen[M_MYSTERY])
			unknown[nun++] = model_name[M_MYSTERY];
		if (seen[M_A])
			unknown[nun++] = model_name[M_A];
		if (seen[M_B])
			unknown[nun++] = model_name[M_B];
		exp_int(&Q, "lines_read", (int64_t)n);
		exp_int(&Q, "blank_lines", 0);
		exp_int(&Q, "rejected_lines", 0);
		exp_int(&Q, "duplicate_records", 0);
		exp_int(&Q, "filtered_records", 0);
		exp_int(&Q, "requests", (int64_t)n);
		exp_int(&Q, "unpriced_requests", (int64_t)n - priced);
		exp_int(&Q, "invalid_values", 0);
		exp_strs(&Q, "unknown_models", unknown, nun);
	}
	free(v);
}

/* Generates a data set, writes it in time order and returns the output of
 * llmstat -f json -j1 EXTRA on it. */
static char *
summary_run(struct dataset *d, int logged, const char *extra)
{
	char path[64], args[512];
	size_t *o;

	generate(d, logged ? 11 : 12, logged);
	cr_assert(d->n > 2800 && d->n < 3400, "generator: %zu records", d->n);
	o = sorted_order(d);
	write_file(d, o, 0, d->n, path);
	free(o);
	snprintf(args, sizeof(args), "-f json -j1 %s %s", extra, path);
	return run_llmstat(args, 0);
}

Test(oracle, summary_logged)
{
	struct dataset d;
	char *out = summary_run(&d, 1, "");

	check_summary(&d, out, "summary (regenerated and success logged)");
	free(out);
	free(d.r);
}

Test(oracle, summary_inferred)
{
	struct dataset d;
	char *out = summary_run(&d, 0, "");

	check_summary(&d, out, "summary (regenerations and tasks inferred)");
	free(out);
	free(d.r);
}

/* ------------------------------------------------------------------ */
/* --by model, --by day                                                 */

typedef int (*keyfn)(const struct dataset *d, const struct orec *r, char *buf, size_t cap);

static int
key_model(const struct dataset *d, const struct orec *r, char *buf, size_t cap)
{
	(void)d;
	return snprintf(buf, cap, "%s", model_name[r->model]);
}

static int
key_day(const struct dataset *d, const struct orec *r, char *buf, size_t cap)
{
	(void)d;
	day_text(day_of(r->t_ms), buf, cap);
	return (int)strlen(buf);
}

static void
check_groups(const struct dataset *d, const char *json, const char *key, keyfn kf)
{
	struct jdoc top = { json, strlen(json), "", "--by" }, g;
	struct js_view arr = jget(&top, "groups"), e, kv;
	size_t pos = 0, ngroups = 0, i, k, nkeys = 0;
	char want_key[64], got_key[64], label[128];
	char seen_keys[32][64];
	int64_t req_total = 0, all_cost = 0;
	double *v = malloc(d->n * sizeof(double));

	for (i = 0; i < d->n; i++)
		all_cost += d->r[i].has_cost ? d->r[i].cost_nano : 0;
	cr_assert(arr.type == JS_ARRAY, "--by %s: groups is not an array", key);
	for (i = 0; i < d->n; i++) {
		kf(d, &d->r[i], want_key, sizeof(want_key));
		for (k = 0; k < nkeys && strcmp(seen_keys[k], want_key); k++)
			;
		if (k == nkeys) {
			cr_assert(nkeys < 32);
			strcpy(seen_keys[nkeys++], want_key);
		}
	}
	while (js_array_next(&arr, &pos, &e)) {
		int64_t req = 0, err = 0, cost = 0, in = 0, out = 0, unpriced = 0, to = 0, cached = 0;
		int users[NUSERS] = { 0 }, nu = 0;
		long kl;

		ngroups++;
		g = (struct jdoc){ e.p, e.n, "", "" };
		kv = jget(&g, key);
		cr_assert(kv.type == JS_STRING, "--by %s: a group's key is %.*s", key, (int)kv.n, kv.p);
		kl = js_unescape(&kv, got_key, sizeof(got_key) - 1);
		cr_assert(kl >= 0);
		got_key[kl] = '\0';
		snprintf(label, sizeof(label), "--by %s, group %s", key, got_key);
		g.label = label;
		for (i = k = 0; i < d->n; i++) {
			const struct orec *r = &d->r[i];

			kf(d, r, want_key, sizeof(want_key));
			if (strcmp(want_key, got_key) != 0)
				continue;
			req++;
			err += is_err(r);
			to += is_timeout(r);
			cost += r->has_cost ? r->cost_nano : 0;
			unpriced += !r->has_cost;
			in += r->in_tok;
			out += r->has_out ? r->out_tok : 0;
			cached += r->has_cached ? r->cached : 0;
			if (r->user >= 0 && !users[r->user]++)
				nu++;
			if (r->has_lat)
				v[k++] = (double)r->lat_us / 1000.0;
		}
		cr_assert(req > 0, "%s: no such group in the input", label);
		req_total += req;
		exp_int(&g, "requests", req);
		exp_num(&g, "requests_share", (double)req / (double)d->n);
		exp_int(&g, "errors", err);
		exp_int(&g, "timeouts", to);
		exp_num(&g, "total_cost", usd(cost));
		exp_num(&g, "cost_share", (double)cost / (double)all_cost);
		exp_int(&g, "unpriced_requests", unpriced);
		exp_int(&g, "cached_tokens", cached);
		exp_int(&g, "input_tokens", in);
		exp_int(&g, "output_tokens", out);
		exp_int(&g, "active_users", nu);
		exp_sketch(&g, "latency_p95", exact_q(v, k, 95));
	}
	cr_assert(ngroups == nkeys, "--by %s: %zu groups, expected %zu", key, ngroups, nkeys);
	cr_assert(req_total == (int64_t)d->n, "--by %s: groups add up to %lld requests, expected %zu",
	    key, (long long)req_total, d->n);
	free(v);
}

Test(oracle, by_model)
{
	struct dataset d;
	char *out = summary_run(&d, 1, "--by model");

	check_groups(&d, out, "model", key_model);
	free(out);
	free(d.r);
}

Test(oracle, by_day)
{
	struct dataset d;
	char *out = summary_run(&d, 0, "--by day");

	check_groups(&d, out, "day", key_day);
	free(out);
	free(d.r);
}

/* ------------------------------------------------------------------ */
/* Order independence                                                   */

static void
same_output(const char *what, const char *ref, const char *got)
{
	size_t i = 0;

	while (ref[i] && ref[i] == got[i])
		i++;
	cr_assert(ref[i] == got[i], "%s: output differs from the sorted -j1 run at byte %zu:\n"
	    "sorted -j1: ...%.120s\n%s: ...%.120s", what, i, ref + (i > 40 ? i - 40 : 0),
	    what, got + (i > 40 ? i - 40 : 0));
}

/* report: "" for the summary, or a report name (it comes first). */
static void
order_case_r(const char *report, int logged, const char *extra)
{
	struct dataset d;
	char sorted[64], shuffled[64], part[3][64], args[1024];
	size_t *o, *s, third;
	char *ref, *out;
	int j;
	static const char *const jobs[] = { "-j1", "-j2", "-j3" };

	generate(&d, logged ? 21 : 22, logged);
	o = sorted_order(&d);
	s = shuffled_order(&d, logged ? 77 : 78);
	write_file(&d, o, 0, d.n, sorted);
	/* over 4 MB, so that llmstat hands the one file to workers in chunks */
	pad_bytes = 1500;
	write_file(&d, s, 0, d.n, shuffled);
	pad_bytes = 0;
	third = d.n / 3;
	write_file(&d, s, 0, third, part[0]);
	write_file(&d, s, third, 2 * third + 17, part[1]);
	write_file(&d, s, 2 * third + 17, d.n, part[2]);

	snprintf(args, sizeof(args), "%s -f json -j1 %s %s", report, extra, sorted);
	ref = run_llmstat(args, 0);
	for (j = 0; j < 3; j++) {
		char what[128];

		snprintf(args, sizeof(args), "%s -f json %s %s %s", report, jobs[j], extra, shuffled);
		out = run_llmstat(args, 0);
		snprintf(what, sizeof(what), "shuffled %s %s", jobs[j], extra);
		same_output(what, ref, out);
		free(out);
		snprintf(args, sizeof(args), "%s -f json %s %s %s %s %s", report, jobs[j], extra, part[0], part[1], part[2]);
		out = run_llmstat(args, 0);
		snprintf(what, sizeof(what), "3 files %s %s", jobs[j], extra);
		same_output(what, ref, out);
		free(out);
	}
	/* the sorted file with -j2 too */
	snprintf(args, sizeof(args), "%s -f json -j2 %s %s", report, extra, sorted);
	out = run_llmstat(args, 0);
	same_output("sorted -j2", ref, out);
	free(out);
	free(ref);
	free(o);
	free(s);
	free(d.r);
}

static void
order_case(int logged, const char *extra)
{
	order_case_r("", logged, extra);
}

Test(oracle, order_independent_logged)
{
	order_case(1, "");
}

Test(oracle, order_independent_inferred)
{
	order_case(0, "");
}

Test(oracle, order_independent_by_model_day)
{
	order_case(0, "--by model,day");
}

/* ------------------------------------------------------------------ */
/* Data quality: every line counted once                                */

static const char *const dq_lines[] = {
	/* 0: fine */
	"{\"timestamp\":\"2026-03-02T10:00:00.000Z\",\"user_id\":\"a\",\"model\":\"test-model-a\",\"status\":200,\"latency_ms\":100,\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5},\"cost\":0.001}",
	"",                                                     /* blank */
	"{\"timestamp\":\"2026-03-02T10:00:01.000Z\",\"user_id\":\"b\",\"model\":\"test-model-b\",\"status\":500,\"latency_ms\":300,\"usage\":{\"prompt_tokens\":20},\"cost\":0.002}",
	"this is not json",                                     /* rejected */
	"   ",                                                  /* blank */
	"[1,2,3]",                                              /* rejected: an array */
	"[{\"timestamp\":\"2026-03-02T10:00:02Z\",\"model\":\"test-model-a\"}]", /* rejected: an array */
	/* invalid value: negative latency (dropped, request kept) */
	"{\"timestamp\":\"2026-03-02T10:00:03.000Z\",\"user_id\":\"a\",\"model\":\"test-model-a\",\"status\":200,\"latency_ms\":-5,\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":7},\"cost\":0.003}",
	"{\"timestamp\":\"2026-03-02T10:00:04.000Z\",\"model\":\"test-model-a\",\"status\":200,\"latency_ms\":200", /* rejected: truncated */
	"\t",                                                   /* blank */
	"null",                                                 /* rejected */
	"42",                                                   /* rejected */
	"\"a string\"",                                         /* rejected */
	/* rejected: an object as latency */
	"{\"timestamp\":\"2026-03-02T10:00:05.000Z\",\"model\":\"test-model-a\",\"status\":200,\"latency_ms\":{\"v\":1}}",
	/* rejected: a non-numeric string as a token count */
	"{\"timestamp\":\"2026-03-02T10:00:06.000Z\",\"model\":\"test-model-a\",\"usage\":{\"prompt_tokens\":\"many\"}}",
	"{\"timestamp\":\"2026-03-02T10:00:07.000Z\",\"user_id\":\"c\",\"model\":\"mystery\",\"status\":429,\"latency_ms\":50,\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":0}}",
	"{\"timestamp\":\"2026-03-02T10:00:08.000Z\",\"user_id\":\"c\",\"model\":\"test-model-b\",\"status\":200,\"latency_ms\":700,\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":9},\"cost\":0.004}\r",
	"\r",                                                   /* blank (CRLF) */
	"{\"timestamp\":\"2026-03-02T10:00:09.000Z\",\"user_id\":\"a\",\"model\":\"test-model-a\",\"status\":200,\"latency_ms\":900,\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":11},\"cost\":0.005}",
};

#define DQ_LINES (sizeof(dq_lines) / sizeof(dq_lines[0]))
#define DQ_BLANK 4
#define DQ_REJECTED 9
#define DQ_REQUESTS 6           /* 2 of them test-model-b, 1 mystery */

static void
dq_case(const char *extra, int64_t filtered)
{
	char path[64], args[512];
	FILE *f = tmp_file(path);
	size_t i;
	char *out;
	struct jdoc Q, M;
	int64_t lines;

	for (i = 0; i < DQ_LINES; i++)  /* no newline after the last line */
		fprintf(f, "%s%s", dq_lines[i], i + 1 < DQ_LINES ? "\n" : "");
	cr_assert(fclose(f) == 0);
	snprintf(args, sizeof(args), "-f json -j1 %s %s", extra, path);
	out = run_llmstat(args, 0);
	Q = (struct jdoc){ out, strlen(out), "quality.", "data quality" };
	M = (struct jdoc){ out, strlen(out), "metrics.", "data quality" };
	exp_int(&Q, "lines_read", (int64_t)DQ_LINES);
	exp_int(&Q, "blank_lines", DQ_BLANK);
	exp_int(&Q, "rejected_lines", DQ_REJECTED);
	exp_int(&Q, "duplicate_records", 0);
	exp_int(&Q, "filtered_records", filtered);
	exp_int(&Q, "requests", DQ_REQUESTS - filtered);
	exp_int(&Q, "invalid_values", 1);
	lines = (int64_t)get_num(&Q, "blank_lines") + (int64_t)get_num(&Q, "rejected_lines") +
	    (int64_t)get_num(&Q, "duplicate_records") + (int64_t)get_num(&Q, "filtered_records") +
	    (int64_t)get_num(&Q, "requests");
	cr_assert(lines == (int64_t)get_num(&Q, "lines_read"),
	    "data quality: blank + rejected + duplicate + filtered + requests = %lld, lines_read = %.0f",
	    (long long)lines, get_num(&Q, "lines_read"));
	exp_int(&M, "rejected_lines", DQ_REJECTED);
	if (filtered == 0) {
		static const char *const unknown[] = { "mystery" };

		exp_int(&Q, "unpriced_requests", 1);
		exp_strs(&Q, "unknown_models", unknown, 1);
		exp_int(&M, "errors", 2);
		/* the negative latency is dropped: 5 latencies */
		exp_num(&M, "latency_mean", (100.0 + 300 + 50 + 700 + 900) / 5.0);
		exp_num(&M, "latency_max", 900);
		exp_int(&M, "input_tokens", 10 + 20 + 30 + 40 + 50 + 60);
		exp_int(&M, "output_tokens", 5 + 7 + 0 + 9 + 11);
		exp_num(&M, "total_cost", 0.015);
		exp_int(&M, "active_users", 3);
	} else {
		exp_int(&Q, "unpriced_requests", 0);
		exp_int(&M, "input_tokens", 20 + 50);
	}
	free(out);
}

Test(oracle, data_quality)
{
	dq_case("", 0);
}

Test(oracle, data_quality_where)
{
	dq_case("--where model=test-model-b", DQ_REQUESTS - 2);
}

/* Sessions live in the table of one worker each (-j2, -j3): the reports
 * built from sessions and users must not see the split. */
Test(oracle, order_independent_sessions_users)
{
	order_case_r("sessions", 0, "");
	order_case_r("users", 1, "");
}

/* The bytes of a file, NUL-terminated; *len set. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert(f != NULL, "open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert(fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* A saved state is output too: the same bytes whatever the thread count
 * or the order of the lines (tables are written in key order). */
static void
state_case(void)
{
	struct dataset d;
	char sorted[64], shuffled[64], st[4][64], args[1024];
	static const char *const jobs[] = { "-j1", "-j2", "-j3" };
	size_t *o, *s, len0, len;
	char *ref, *got;
	int j;

	generate(&d, 31, 0);
	o = sorted_order(&d);
	s = shuffled_order(&d, 79);
	write_file(&d, o, 0, d.n, sorted);
	pad_bytes = 1500;       /* several chunks */
	write_file(&d, s, 0, d.n, shuffled);
	pad_bytes = 0;
	for (j = 0; j < 4; j++)
		fclose(tmp_file(st[j]));
	snprintf(args, sizeof(args), "-q -j1 --slow-ms 2000 --by model,day --save-state %s %s", st[0], sorted);
	free(run_llmstat(args, 0));
	ref = slurp(st[0], &len0);
	cr_assert(len0 > 1000);
	for (j = 0; j < 3; j++) {
		snprintf(args, sizeof(args), "-q %s --slow-ms 2000 --by model,day --save-state %s %s",
		    jobs[j], st[j + 1], shuffled);
		free(run_llmstat(args, 0));
		got = slurp(st[j + 1], &len);
		cr_assert(len == len0 && memcmp(ref, got, len) == 0,
		    "state of the shuffled lines with %s differs from the sorted -j1 one", jobs[j]);
		free(got);
	}
	free(ref);
	free(o);
	free(s);
	free(d.r);
}

Test(oracle, state_bytes_order_independent)
{
	state_case();
}

/* Session request times past a memory budget go to sorted runs in a
 * temporary file (rqspill). With a budget of a few bytes every request is
 * its own run (and past 64 runs they are merged into one), yet the figures
 * must still be the oracle's and the output the same bytes as in memory. */
static void
spill_case(const char *budget)
{
	struct dataset d;
	char *mem, *out;

	unsetenv("LLMSTAT_SPILL_BYTES");
	mem = summary_run(&d, 0, "");
	free(d.r);
	setenv("LLMSTAT_SPILL_BYTES", budget, 1);
	out = summary_run(&d, 0, "");
	check_summary(&d, out, "summary, request times spilled");
	same_output("spilled", mem, out);
	free(out);
	free(mem);
	free(d.r);
	order_case(0, "");
	unsetenv("LLMSTAT_SPILL_BYTES");
}

Test(oracle, spilled_request_times)
{
	spill_case("1");
	spill_case("3000");
}

/* No temporary file to be had: a warning, and the times stay in memory. */
Test(oracle, spill_without_tmpdir)
{
	struct dataset d;
	char *mem, *out;

	mem = summary_run(&d, 0, "");
	free(d.r);
	setenv("LLMSTAT_SPILL_BYTES", "1", 1);
	setenv("TMPDIR", "/nonexistent/llmstat", 1);
	out = summary_run(&d, 0, "");
	unsetenv("TMPDIR");
	unsetenv("LLMSTAT_SPILL_BYTES");
	check_summary(&d, out, "summary, no temporary directory");
	same_output("no tmpdir", mem, out);
	free(out);
	free(mem);
	free(d.r);
}

Test(oracle, state_bytes_spilled)
{
	setenv("LLMSTAT_SPILL_BYTES", "2000", 1);
	state_case();
	unsetenv("LLMSTAT_SPILL_BYTES");
}

/* A state read beside lines at -j2 and -j3 is merged into the workers'
 * split session tables (request times it spilled are added back one by
 * one): the report is the one pass's over the same lines. */
static void
state_merge_case(void)
{
	struct dataset d;
	char sorted[64], head[64], rest[64], st[64], args[1024];
	static const char *const jobs[] = { "-j1", "-j2", "-j3" };
	size_t *o, *s, half;
	char *ref, *out;
	int j;

	generate(&d, 33, 0);
	o = sorted_order(&d);
	s = shuffled_order(&d, 81);
	write_file(&d, o, 0, d.n, sorted);
	half = d.n / 2;
	write_file(&d, s, 0, half, head);
	pad_bytes = 1500;       /* several chunks */
	write_file(&d, s, half, d.n, rest);
	pad_bytes = 0;
	fclose(tmp_file(st));
	snprintf(args, sizeof(args), "-f json -j1 %s", sorted);
	ref = run_llmstat(args, 0);
	snprintf(args, sizeof(args), "-q -j1 --save-state %s %s", st, head);
	free(run_llmstat(args, 0));
	for (j = 0; j < 3; j++) {
		char what[64];

		snprintf(args, sizeof(args), "-f json %s %s %s", jobs[j], st, rest);
		out = run_llmstat(args, 0);
		snprintf(what, sizeof(what), "state and lines %s", jobs[j]);
		same_output(what, ref, out);
		free(out);
	}
	free(ref);
	free(o);
	free(s);
	free(d.r);
}

Test(oracle, state_merged_into_split_sessions)
{
	state_merge_case();
	setenv("LLMSTAT_SPILL_BYTES", "1", 1);
	state_merge_case();
	unsetenv("LLMSTAT_SPILL_BYTES");
}
