/* loggen: writes a realistic, seed-deterministic synthetic JSONL log of LLM API requests,
 * in llmstat's generic schema or in the export format of another LLM tool. */
/*
 * Usage: loggen [-n REQUESTS] [-u USERS] [-s SESSIONS] [--seed N] [--days D]
 *               [--start YYYY-MM-DD] [--no-regen-flag] [--no-success] [--shuffle]
 *               [--format NAME] [--models real] [--split-dir DIR]
 * Defaults: -n 1000000 -u 25000 -s 300000 --seed 1 --days 30 --start 2026-10-01.
 * Lines are sorted by request completion time (timestamp + latency), so the file
 * is roughly time-sorted like a real log; --shuffle emits them in random order.
 * --format writes the same events as helicone, litellm, litellm-slp, posthog, otel,
 * langfuse, openai, anthropic or claude-code records (see ../shared/FORMATS.md);
 * --models real uses dated model ids priced in LiteLLM's table; --split-dir DIR
 * (claude-code only) writes DIR/projects/<project>/<session>.jsonl like Claude Code.
 * Build: gcc -std=c11 -D_GNU_SOURCE -O2 -o loggen tests/loggen.c -lm
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define POOL 8192
#define OUTBUF (4u << 20)
#define EVMAX 65536 /* upper bound of the bytes one event writes, in any format */

struct format;

struct opts {
	size_t n;
	uint32_t users, sessions, days;
	uint64_t seed;
	long start_day;
	int no_regen, no_success, shuffle, real_models;
	const struct format *fmt;
	const char *split_dir;
};

/* One compact event; all other fields are re-derived from seed on output. */
struct ev {
	uint64_t ts;      /* start, ms since epoch */
	uint64_t seed;
	uint32_t lat10;   /* latency in 0.1 ms */
	uint32_t user, session;
	uint16_t prompt;
	uint8_t model, feature, status, depth, flags;
};
enum { F_LAST = 1, F_REGEN = 2 };

struct model {
	const char *name, *real, *provider; /* real: dated id (--models real) */
	double in, cached, out; /* USD per 1M tokens; in < 0: unpriced */
	double ttft, tpot, weight;
};
static const struct model MODELS[] = {
	{ "gpt-4o", "gpt-4o-2024-08-06", "openai", 2.50, 1.25, 10.00, 450, 7.0, 0.17 },
	{ "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "openai", 0.15, 0.075, 0.60, 350, 4.0, 0.35 },
	{ "claude-sonnet-4", "claude-sonnet-4-20250514", "anthropic", 3.00, 0.30, 15.00, 700, 9.0, 0.15 },
	{ "claude-haiku", "claude-3-5-haiku-20241022", "anthropic", 0.80, 0.08, 4.00, 400, 4.5, 0.12 },
	{ "gemini-2.5-flash", "gemini-2.5-flash", "google", 0.30, 0.075, 2.50, 300, 3.0, 0.19 },
	{ "custom-model-x", "custom-model-x", "selfhosted", -1, -1, -1, 600, 11.0, 0.02 },
};
#define NMODELS 6

struct feat {
	const char *name;
	double weight, pmul, cmul, stream, think;
};
static const struct feat FEATS[] = {
	{ "chat", 0.55, 0.8, 1.0, 0.95, 20000 },
	{ "search", 0.20, 1.2, 0.8, 0.60, 15000 },
	{ "summarize", 0.15, 2.5, 1.3, 0.45, 30000 },
	{ "agent", 0.10, 2.0, 1.2, 0.35, 2000 },
};
#define NFEATS 4

enum { S200, S400, S408, S429, S500, S503, S504, NSTATUS };
static const int CODES[NSTATUS] = { 200, 400, 408, 429, 500, 503, 504 };
static const char *const ETYPES[NSTATUS] = {
	"", "invalid_request", "timeout", "rate_limit", "server_error",
	"service_unavailable", "timeout"
};
/* How each error status reads in the other tools' exports (no quotes or backslashes in these). */
struct err {
	const char *cls;         /* LiteLLM exception class */
	const char *msg;         /* error message */
	const char *oa_type, *oa_code; /* OpenAI error body */
	const char *resp_code;   /* OpenAI Responses error.code */
	const char *ant_type;    /* Anthropic batch error type; NULL: the request expired */
};
static const struct err ERRS[NSTATUS] = {
	{ 0 },
	{ "BadRequestError", "Invalid request: messages[0].content must not be empty",
	  "invalid_request_error", "invalid_value", "invalid_prompt", "invalid_request_error" },
	{ "Timeout", "Request timed out after 30 seconds", "server_error", "timeout", "server_error", NULL },
	{ "RateLimitError", "Rate limit reached for requests per minute, retry after 20s",
	  "requests", "rate_limit_exceeded", "rate_limit_exceeded", "rate_limit_error" },
	{ "InternalServerError", "The server had an error while processing your request",
	  "server_error", "server_error", "server_error", "api_error" },
	{ "ServiceUnavailableError", "The engine is currently overloaded, please try again later",
	  "server_error", "service_unavailable", "server_error", "overloaded_error" },
	{ "Timeout", "Gateway timeout: no response from the model within 60 seconds",
	  "server_error", "timeout", "server_error", NULL },
};
/* baseline error probabilities (cumulative order 400, 408, 429, 500, 503, 504) */
static const double ERATE[NSTATUS] = { 0, 0.006, 0.0015, 0.004, 0.005, 0.003, 0.0025 };

static const char *const VERSIONS[] = { "1.4.2", "1.4.2", "1.4.1", "1.5.0", "1.3.9", "2.0.0-beta.1" };
static const char *const REGIONS[] = { "us-east-1", "us-east-1", "us-west-2", "eu-west-1",
	"eu-central-1", "ap-southeast-1", "ap-northeast-1" };

/* Prompt fragments, already JSON-escaped. */
static const char *const OPENERS[] = { "Can you explain", "Summarize the following:",
	"Write a short email about", "What is the difference between", "Translate to French:",
	"Fix this bug related to", "Give me 3 ideas for", "Draft a reply to the customer asking about",
	"Explain like I'm five:", "Find recent articles on", "Plan the next steps for",
	"Rewrite this to be clearer:", "Compare the pros and cons of", "Generate SQL that reports on",
	"Help me debug", "Make a checklist for" };
static const char *const SUBJECTS[] = { "the quarterly revenue report", "Kubernetes pod eviction",
	"the caf\\u00e9 opening hours", "\\\"zero-downtime\\\" deployments", "our refund policy",
	"a Python list comprehension", "TCP vs UDP", "the onboarding flow for new hires",
	"GDPR data retention", "a birthday party for a 7-year-old", "the \\\"Q3 roadmap\\\" doc",
	"rust lifetimes", "invoice #4821 that was charged twice", "our Postgres slow queries",
	"a React useEffect loop", "the na\\u00efve Bayes classifier", "marketing copy for a running shoe",
	"the travel budget", "login failures on Android", "a recipe with leftover rice",
	"unit tests for the parser", "the contract renewal terms", "S3 lifecycle rules",
	"a cover letter for a r\\u00e9sum\\u00e9", "the weekly team sync notes", "LLM evaluation metrics",
	"a shell script that rotates logs", "supplier delays in the EU",
	"the \\\"dark mode\\\" feature request", "vector databases", "customer churn last month",
	"the Paris office move" };
static const char *const TAILS[] = { "", ".", "?", " please.", "\\nKeep it under 100 words.",
	" in bullet points.", "\\nContext: customer is on the \\\"pro\\\" plan.",
	" for a non-technical audience.", "\\n\\nThanks!", " \\u2014 be concise.", "?\\nAlso list sources.",
	" step by step.", " in a friendly tone.", "\\nFormat: markdown table.", " (urgent)", "!!" };
static const char *const EXTRAS[] = {
	"\\nHere is the text: \\\"Revenue grew 12% QoQ while churn stayed flat at 3.1%; the board asked for a breakdown by region.\\\"",
	"\\nError log:\\nTypeError: cannot read properties of undefined (reading 'map') at App.jsx:42",
	"\\nPrevious answer was too long and missed the point about pricing tiers, try again.",
	"\\nThe user wrote: \\\"je voudrais r\\u00e9server une table pour deux\\\" \\u2014 keep the tone polite.",
};

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* splitmix64 step */
static uint64_t rnd(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15ULL;
	return mix(*s);
}

/* uniform in (0, 1] */
static double unif(uint64_t *s)
{
	return ((rnd(s) >> 11) + 1) * (1.0 / 9007199254740992.0);
}

static double lognorm(uint64_t *s, double median, double sigma)
{
	double u1 = unif(s), u2 = unif(s);
	double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
	return median * exp(sigma * z);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "loggen: out of memory\n");
		exit(1);
	}
	return p;
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Index of the first cdf entry >= u (cdf is increasing, last entry 1). */
static size_t pick(const double *cdf, size_t n, double u)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void normalize(double *cdf, size_t n)
{
	for (size_t i = 1; i < n; i++)
		cdf[i] += cdf[i - 1];
	for (size_t i = 0; i < n; i++)
		cdf[i] /= cdf[n - 1];
}

static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

struct world {
	const struct opts *o;
	uint64_t salt;
	double *zipf, *slots, model_cdf[NMODELS], feat_cdf[NFEATS];
	uint32_t *user_of_rank;
	char *prompts[POOL];
	double p_regen;
};

/* A random permutation of 0..n-1 (inside-out Fisher-Yates). */
static uint32_t *random_perm(size_t n, uint64_t s)
{
	uint32_t *perm = xmalloc(n * sizeof *perm);
	for (size_t i = 0; i < n; i++) {
		size_t j = rnd(&s) % (i + 1);
		perm[i] = perm[j];
		perm[j] = (uint32_t)i;
	}
	return perm;
}

static void build_prompts(struct world *w)
{
	for (unsigned i = 0; i < POOL; i++) {
		uint64_t h = mix(i * 0x632be59bd9b4e019ULL + 17);
		const char *ex = h % 10 < 3 ? EXTRAS[(h >> 8) % 4] : "";
		char buf[512];
		for (int pass = 0; pass < 2; pass++, ex = "") /* keep prompts <= 200 bytes */
			if (snprintf(buf, sizeof buf, "%s %s%s%s", OPENERS[i % 16], SUBJECTS[(i / 16) % 32],
			             TAILS[(i / 512) % 16], ex) <= 200)
				break;
		size_t len = strlen(buf) + 1;
		w->prompts[i] = memcpy(xmalloc(len), buf, len);
	}
}

static void build_users(struct world *w)
{
	uint32_t u = w->o->users;
	w->zipf = xmalloc(u * sizeof *w->zipf);
	for (uint32_t i = 0; i < u; i++)
		w->zipf[i] = pow(i + 21.0, -1.1); /* Zipf-Mandelbrot, s = 1.1 */
	normalize(w->zipf, u);
	w->user_of_rank = random_perm(u, w->salt ^ 0x55);
}

/* Hourly traffic weights over the whole range: diurnal curve times weekday factor. */
static void build_slots(struct world *w)
{
	static const double HOUR[24] = { 0.30, 0.25, 0.22, 0.20, 0.22, 0.28, 0.40, 0.55,
		0.70, 0.82, 0.90, 0.95, 1.00, 1.05, 1.10, 1.12, 1.10, 1.00, 0.90, 0.80,
		0.70, 0.60, 0.48, 0.38 };
	static const double WDAY[7] = { 0.50, 1.0, 1.0, 1.0, 1.0, 0.92, 0.55 }; /* Sun..Sat */
	size_t n = (size_t)w->o->days * 24;
	w->slots = xmalloc(n * sizeof *w->slots);
	for (size_t i = 0; i < n; i++) {
		long day = w->o->start_day + (long)(i / 24);
		w->slots[i] = HOUR[i % 24] * WDAY[((day % 7) + 11) % 7];
	}
	normalize(w->slots, n);
}

static void build_world(struct world *w, const struct opts *o)
{
	w->o = o;
	w->salt = mix(o->seed ^ 0x6c6c6d73746174ULL);
	build_prompts(w);
	build_users(w);
	build_slots(w);
	for (int i = 0; i < NMODELS; i++)
		w->model_cdf[i] = MODELS[i].weight;
	for (int i = 0; i < NFEATS; i++)
		w->feat_cdf[i] = FEATS[i].weight;
	normalize(w->model_cdf, NMODELS);
	normalize(w->feat_cdf, NFEATS);
	size_t first = o->sessions < o->n ? o->sessions : o->n;
	double later = 1.0 - (double)first / (double)o->n;
	w->p_regen = later > 0 ? clampd(0.04 / later - 0.01, 0.01, 0.5) : 0;
}

static void free_world(struct world *w)
{
	for (int i = 0; i < POOL; i++)
		free(w->prompts[i]);
	free(w->zipf);
	free(w->slots);
	free(w->user_of_rank);
}

/* Status depends on time: 429 burst minutes, per-provider 503 outages, baseline noise. */
static uint8_t pick_status(const struct world *w, uint64_t *rs, uint64_t ts, int model)
{
	uint64_t minute = ts / 60000, block = ts / 300000;
	int prov = (int)(MODELS[model].provider[0]);
	double u = unif(rs);
	if (mix(w->salt ^ (minute * 0x9e37ULL)) % 1000 < 12 && u < 0.5)
		return S429;
	if (mix(w->salt ^ (block * 131 + (uint64_t)prov) ^ 0xabcULL) % 1000 < 5 && u < 0.6)
		return S503;
	u = unif(rs);
	for (int s = 1; s < NSTATUS; s++) {
		if (u < ERATE[s])
			return (uint8_t)s;
		u -= ERATE[s];
	}
	return S200;
}

struct det {
	long prompt_tok, compl_tok, cached; /* cached < 0: absent */
	double latency, ttft, cost;         /* ttft < 0 / cost < 0: absent */
	int cache_hit, rating, success;     /* rating 0: absent */
};

static double error_latency(uint64_t *r, int st)
{
	switch (st) {
	case S400: return lognorm(r, 120, 0.5);
	case S429: return lognorm(r, 60, 0.6);
	case S408: return 30000 + 2000 * unif(r);
	case S504: return 60000 + 1500 * unif(r);
	case S500: return lognorm(r, 900, 1.0);
	default: return lognorm(r, 300, 0.8);
	}
}

static void tokens(const struct world *w, const struct ev *e, uint64_t *r, struct det *d)
{
	const struct feat *f = &FEATS[e->feature];
	/* prompt size depends only on (session, prompt, depth): a regeneration matches */
	uint64_t pr = mix(w->salt ^ (e->session * 0x2545f4914f6cdd1dULL) ^ ((uint64_t)e->prompt << 40) ^ e->depth);
	d->prompt_tok = (long)clampd(lognorm(&pr, 800 * f->pmul * (0.7 + 0.12 * e->depth), 1.2), 8, 128000);
	double pc = e->depth == 0 ? 0.06 : (e->flags & F_REGEN) ? 0.9 : 0.4;
	double frac = 0.2 + 0.75 * unif(r);
	d->cached = unif(r) < pc ? ((long)(d->prompt_tok * frac) & ~63L) : -1;
	d->compl_tok = (long)clampd(lognorm(r, 150 * f->cmul, 0.9), 1, 16384);
}

static double price(const struct model *m, const struct det *d)
{
	if (m->in < 0)
		return -1;
	if (d->cache_hit)
		return 0; /* served from the gateway's semantic cache */
	long c = d->cached > 0 ? d->cached : 0;
	return ((d->prompt_tok - c) * m->in + c * m->cached + d->compl_tok * m->out) / 1e6;
}

static void feedback(uint64_t *r, int ok, struct det *d)
{
	static const double RCDF[5] = { 0.07, 0.13, 0.25, 0.55, 1.0 };
	double ru = unif(r), rr = unif(r), su = unif(r);
	d->rating = ru < 0.05 ? 1 + (int)pick(RCDF, 5, rr) : 0;
	if (d->rating && !ok)
		d->rating = d->rating > 2 ? d->rating - 2 : 1;
	d->success = su < (ok ? 0.8 : 0.3);
}

/* Derive every per-line detail from the event's seed (same result each call). */
static void details(const struct world *w, const struct ev *e, struct det *d)
{
	const struct model *m = &MODELS[e->model];
	uint64_t r = e->seed;
	tokens(w, e, &r, d);
	int ok = e->status == S200;
	int streamed = unif(&r) < FEATS[e->feature].stream;
	d->cache_hit = ok && unif(&r) < 0.031;
	d->ttft = lognorm(&r, m->ttft, 0.5);
	double gen = d->compl_tok * m->tpot * lognorm(&r, 1.0, 0.3);
	double elat = error_latency(&r, e->status), small = unif(&r);
	if (ok && !d->cache_hit)
		d->latency = d->ttft + gen;
	else if (ok)
		d->latency = 5 + 40 * small;
	else {
		d->latency = elat;
		d->compl_tok = e->status == S500 && small < 0.3 ? 1 + (long)(small * 130) : 0;
	}
	if (!ok || d->cache_hit || !streamed)
		d->ttft = -1;
	feedback(&r, ok, d);
	d->cost = price(m, d);
}

static unsigned draw_turns(uint64_t *rs, double mean, size_t left)
{
	unsigned t = 1;
	if (mean > 1.0) {
		double p = 1.0 / mean;
		t += (unsigned)floor(log(unif(rs)) / log(1.0 - p));
	}
	if (t > 30)
		t = 30;
	return t > left ? (unsigned)left : t;
}

static void gen_session(const struct world *w, uint64_t *rs, uint32_t sid, unsigned turns, struct ev *out)
{
	const struct opts *o = w->o;
	uint32_t rank = (uint32_t)pick(w->zipf, o->users, unif(rs));
	uint32_t user = w->user_of_rank[rank];
	uint8_t feature = (uint8_t)pick(w->feat_cdf, NFEATS, unif(rs));
	uint8_t model = (uint8_t)pick(w->model_cdf, NMODELS, unif(rs));
	if (unif(rs) < 0.7) /* users stick to a favourite model */
		model = (uint8_t)pick(w->model_cdf, NMODELS, (mix(user ^ w->salt) >> 11) * (1.0 / 9007199254740992.0));
	size_t slot = pick(w->slots, (size_t)o->days * 24, unif(rs));
	uint64_t t = (uint64_t)(o->start_day + (long)(slot / 24)) * 86400000ULL +
	             (slot % 24) * 3600000ULL + rnd(rs) % 3600000ULL;
	for (unsigned k = 0; k < turns; k++) {
		struct ev *e = &out[k];
		int regen = 0;
		if (k > 0) {
			regen = unif(rs) < (out[k - 1].status != S200 ? 0.35 : w->p_regen);
			double med = regen ? 4000 : FEATS[feature].think;
			t += (uint64_t)(out[k - 1].lat10 / 10) + (uint64_t)lognorm(rs, med, regen ? 0.6 : 1.1);
		}
		*e = (struct ev){ .ts = t, .user = user, .session = sid, .model = model, .feature = feature };
		e->seed = rnd(rs);
		uint16_t p = (uint16_t)(rnd(rs) % POOL);
		if (k > 0 && p == out[k - 1].prompt)
			p = (uint16_t)((p + 1) % POOL);
		e->prompt = regen ? out[k - 1].prompt : p;
		e->depth = k == 0 ? 0 : regen ? out[k - 1].depth : (uint8_t)(out[k - 1].depth + 1);
		e->flags = (uint8_t)((regen ? F_REGEN : 0) | (k + 1 == turns ? F_LAST : 0));
		e->status = pick_status(w, rs, t, model);
		struct det d;
		details(w, e, &d);
		e->lat10 = (uint32_t)(d.latency * 10 + 0.5);
	}
}

static void gen_events(const struct world *w, struct ev *evs)
{
	const struct opts *o = w->o;
	uint64_t rs = w->salt ^ 0x5e55;
	size_t i = 0;
	uint32_t sid = 0;
	while (i < o->n) {
		size_t left_sess = o->sessions > sid ? o->sessions - sid : 1;
		unsigned turns = draw_turns(&rs, (double)(o->n - i) / (double)left_sess, o->n - i);
		gen_session(w, &rs, sid, turns, evs + i);
		i += turns;
		sid++;
	}
}

static int cmp_end(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	uint64_t ex = x->ts * 10 + x->lat10, ey = y->ts * 10 + y->lat10;
	if (ex != ey)
		return ex < ey ? -1 : 1;
	return x->seed < y->seed ? -1 : x->seed > y->seed;
}

static char *put(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *put2(char *p, const char *a, const char *b)
{
	return put(put(p, a), b);
}

/* Unsigned decimal, zero-padded to at least width digits. */
static char *putu(char *p, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *putfix1(char *p, uint64_t tenths)
{
	p = putu(p, tenths / 10, 1);
	p[0] = '.', p[1] = (char)('0' + tenths % 10);
	return p + 2;
}

/* s with '"' and '\' escaped: JSON text becomes the content of a JSON string. */
static char *put_esc(char *p, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	return p;
}

/* "YYYY-MM-DD" sep "HH:MM:SS." and the fraction of t10 (a time in 0.1 ms):
 * digits 3 (ms, truncated) or 6 (us, exact). */
static char *put_clock(char *p, uint64_t t10, char sep, int digits)
{
	static long cday = -1;
	static char date[40];
	long day = (long)(t10 / 864000000);
	if (day != cday) {
		int y;
		unsigned m, d;
		civil_from_days(day, &y, &m, &d);
		snprintf(date, sizeof date, "%04d-%02u-%02u", y, m, d);
		cday = day;
	}
	uint64_t s = t10 / 10000 % 86400, f = t10 % 10000;
	p = put(p, date);
	*p++ = sep;
	p = putu(p, s / 3600, 2);
	*p++ = ':';
	p = putu(p, s / 60 % 60, 2);
	*p++ = ':';
	p = putu(p, s % 60, 2);
	*p++ = '.';
	return digits == 3 ? putu(p, f / 10, 3) : putu(p, f * 100, 6);
}

/* generic: the ms timestamp ts, its closing quote included */
static char *put_ts(char *p, uint64_t ts)
{
	return put(put_clock(p, ts * 10, 'T', 3), "Z\"");
}

/* "2026-10-01T12:00:00.123Z" (zone "Z" or "+00:00") */
static char *put_iso(char *p, uint64_t t10, const char *zone)
{
	*p++ = '"';
	return put2(put_clock(p, t10, 'T', 3), zone, "\"");
}

/* "2026-10-01 12:00:00.123450": UTC without a zone, exact */
static char *put_sql(char *p, uint64_t t10)
{
	*p++ = '"';
	p = put_clock(p, t10, ' ', 6);
	*p++ = '"';
	return p;
}

/* seconds with 4 decimals: exact for a time in 0.1 ms */
static char *put_secs(char *p, uint64_t t10)
{
	p = putu(p, t10 / 10000, 1);
	*p++ = '.';
	return putu(p, t10 % 10000, 4);
}

/* epoch seconds with 6 decimals */
static char *put_epoch(char *p, uint64_t t10)
{
	return put(put_secs(p, t10), "00");
}

static char *put_cost(char *p, double cost, const char *absent)
{
	return cost < 0 ? put(p, absent) : p + sprintf(p, "%.9g", cost);
}

/* A random-looking v4 UUID; distinct keys give distinct UUIDs. */
#define UKEY(n, kind) ((uint64_t)(n) << 4 | (kind))
static char *put_uuid(char *p, const struct world *w, uint64_t key)
{
	uint64_t a = mix(w->salt ^ key), b = mix(a ^ 0x75756964ULL);
	return p + sprintf(p, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
	                   a >> 32, a >> 16 & 0xffff, a & 0xfff, 0x8000 | (b >> 48 & 0x3fff),
	                   b & (uint64_t)0xffffffffffff);
}

/* One event as every format sees it; times in 0.1 ms. */
struct rec {
	const struct ev *e;
	const struct model *m;
	const struct err *err;  /* NULL when the status is 200 */
	const char *model, *feature;
	struct det d;
	uint64_t n, t0, t1;     /* request number; start, end */
	long ttft;              /* < 0: absent */
	long P, C, W, O;        /* prompt (all of it), its cache-read and cache-write parts, completion */
	int status;             /* HTTP code */
	char rid[16], user[16], sess[16];
};

/* Emitter state that outlives one event. */
struct cx {
	uint64_t lines;         /* otel: lines written */
	struct rec pend[4];     /* otel: the events of the line being filled */
	unsigned npend, want;
	uint64_t *last;         /* claude-code: per session, UKEY of its last line + 1 (0: none) */
};

typedef char *emit_fn(const struct world *w, char *p, const struct rec *r, struct cx *cx);

static long ttft10(const struct ev *e, const struct det *d)
{
	if (d->ttft < 0)
		return -1;
	uint64_t t10 = (uint64_t)(d->ttft * 10 + 0.5);
	return (long)(t10 < e->lat10 ? t10 : e->lat10);
}

static void idstr(char *dst, const char *prefix, uint64_t v, int width)
{
	*putu(put(dst, prefix), v, width) = 0;
}

static void make_rec(const struct world *w, const struct ev *e, uint64_t n, int cache_write, struct rec *r)
{
	struct det *d = &r->d;
	details(w, e, d);
	r->e = e;
	r->m = &MODELS[e->model];
	r->err = e->status == S200 ? NULL : &ERRS[e->status];
	r->model = w->o->real_models ? r->m->real : r->m->name;
	r->feature = FEATS[e->feature].name;
	r->n = n;
	r->t0 = e->ts * 10;
	r->t1 = r->t0 + e->lat10;
	r->ttft = ttft10(e, d);
	r->P = d->prompt_tok;
	r->C = d->cached > 0 ? d->cached : 0;
	r->O = d->compl_tok;
	r->W = cache_write && d->cached < 0 && e->depth == 0 && !strcmp(r->m->provider, "anthropic")
	       ? (r->P / 2) & ~63L : 0;
	r->status = CODES[e->status];
	idstr(r->rid, "req-", n, 9);
	idstr(r->user, "u-", e->user, 5);
	idstr(r->sess, "s-", e->session, 7);
}

/* start + ttft, or the end when nothing was streamed */
static uint64_t first_token(const struct rec *r)
{
	return r->ttft < 0 ? r->t1 : r->t0 + (uint64_t)r->ttft;
}

/* ---- generic (llmstat's own schema) ---- */

static char *put_usage(char *p, const struct det *d)
{
	p = putu(put(p, ",\"usage\":{\"prompt_tokens\":"), (uint64_t)d->prompt_tok, 1);
	p = putu(put(p, ",\"completion_tokens\":"), (uint64_t)d->compl_tok, 1);
	if (d->cached >= 0) {
		p = putu(put(p, ",\"prompt_tokens_details\":{\"cached_tokens\":"), (uint64_t)d->cached, 1);
		*p++ = '}';
	}
	*p++ = '}';
	if (d->cost >= 0)
		p += sprintf(p, ",\"cost\":%.9g", d->cost);
	return p;
}

static char *put_tail(const struct world *w, char *p, const struct ev *e, const struct det *d)
{
	p = put(p, d->cache_hit ? ",\"cache_hit\":true" : ",\"cache_hit\":false");
	if (d->rating) {
		p = put(p, ",\"rating\":");
		*p++ = (char)('0' + d->rating);
	}
	if ((e->flags & F_LAST) && !w->o->no_success)
		p = put(p, d->success ? ",\"success\":true" : ",\"success\":false");
	if (!w->o->no_regen)
		p = put(p, (e->flags & F_REGEN) ? ",\"regenerated\":true" : ",\"regenerated\":false");
	if (e->status != S200) {
		p = put2(p, ",\"error_type\":\"", ETYPES[e->status]);
		*p++ = '"';
	}
	p = put2(p, ",\"prompt\":\"", w->prompts[e->prompt]);
	uint64_t hs = mix(e->session ^ w->salt), hu = mix(e->user + w->salt);
	p = put(p, hs % 100 < 3 ? "\",\"metadata\":{\"environment\":\"staging\",\"app_version\":\""
	                        : "\",\"metadata\":{\"environment\":\"production\",\"app_version\":\"");
	p = put(p, VERSIONS[hu % 6]);
	p = put2(p, "\",\"region\":\"", REGIONS[(hu >> 20) % 7]);
	return put(p, "\"}}\n");
}

static char *emit_generic(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	const struct ev *e = r->e;
	(void)cx;
	p = put_ts(put(p, "{\"timestamp\":\""), e->ts);
	p = putu(put(p, ",\"request_id\":\"req-"), r->n, 9);
	p = putu(put(p, "\",\"user_id\":\"u-"), e->user, 5);
	p = putu(put(p, "\",\"session_id\":\"s-"), e->session, 7);
	p = put2(p, "\",\"model\":\"", r->model);
	p = put2(p, "\",\"provider\":\"", r->m->provider);
	p = put2(p, "\",\"feature\":\"", r->feature);
	p = putu(put(p, "\",\"status\":"), (uint64_t)r->status, 1);
	p = putfix1(put(p, ",\"latency_ms\":"), e->lat10);
	if (r->ttft >= 0)
		p = putfix1(put(p, ",\"ttft_ms\":"), (uint64_t)r->ttft);
	p = put_usage(p, &r->d);
	return put_tail(w, p, e, &r->d);
}

/* ---- helicone: flat HeliconeRequest rows; cache reads/writes counted apart from prompt_tokens ---- */

static const char *helicone_rating(int rating)
{
	return rating >= 4 ? "true" : rating && rating <= 2 ? "false" : "null";
}

static char *emit_helicone(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	uint64_t delay = (r->e->lat10 + 5) / 10;
	long prompt = r->P - r->C - r->W;
	int enabled = r->d.cache_hit || mix(w->salt ^ r->e->session ^ 0xcac4e) % 3 == 0;
	(void)cx;
	p = put(put2(p, "{\"request_id\":\"", r->rid), "\",\"request_created_at\":");
	p = put_iso(p, r->t0, "Z");
	p = put_iso(put(p, ",\"response_created_at\":"), r->t0 + delay * 10, "Z");
	p += sprintf(p, ",\"response_status\":%d,\"request_user_id\":\"%s\",\"request_properties\":"
	             "{\"Helicone-Session-Id\":\"%s\",\"Feature\":\"%s\"},\"provider\":\"",
	             r->status, r->user, r->sess, r->feature);
	for (const char *s = r->m->provider; *s; s++)
		*p++ = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
	p += sprintf(p, "\",\"request_model\":\"%s\",\"model\":\"%s\",\"delay_ms\":%" PRIu64
	             ",\"time_to_first_token\":", r->model, r->model, delay);
	p = r->ttft < 0 ? put(p, "null") : putu(p, (uint64_t)(r->ttft + 5) / 10, 1);
	p += sprintf(p, ",\"prompt_tokens\":%ld,\"completion_tokens\":%ld,\"total_tokens\":%ld,"
	             "\"prompt_cache_read_tokens\":%ld,\"prompt_cache_write_tokens\":%ld,\"cost\":",
	             prompt, r->O, prompt + r->O, r->C, r->W);
	p = put_cost(p, r->d.cost, "null");
	p = put2(p, ",\"cache_enabled\":", enabled ? "true" : "false");
	p = put(p, ",\"cache_reference_id\":\"");
	p = r->d.cache_hit ? put_uuid(p, w, UKEY(r->n, 15)) : put(p, "00000000-0000-0000-0000-000000000000");
	p = put2(p, "\",\"feedback_rating\":", helicone_rating(r->d.rating));
	return put(p, ",\"scores\":{}}\n");
}

/* ---- litellm: SpendLogs rows (metadata a JSON string for even N) and StandardLoggingPayload ---- */

static char *litellm_usage(char *p, const struct rec *r)
{
	return p + sprintf(p, "\"usage_object\":{\"prompt_tokens\":%ld,\"completion_tokens\":%ld,"
	                   "\"total_tokens\":%ld,\"prompt_tokens_details\":{\"cached_tokens\":%ld}}",
	                   r->P, r->O, r->P + r->O, r->C);
}

static char *litellm_error(char *p, const struct rec *r)
{
	if (!r->err)
		return put(p, "null");
	return p + sprintf(p, "{\"error_code\":\"%d\",\"error_class\":\"%s\",\"llm_provider\":\"%s\","
	                   "\"error_message\":\"litellm.%s: %s\"}",
	                   r->status, r->err->cls, r->m->provider, r->err->cls, r->err->msg);
}

static char *emit_litellm(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	char meta[1024], *m = meta;
	(void)w, (void)cx;
	p += sprintf(p, "{\"request_id\":\"%s\",\"call_type\":\"acompletion\",\"startTime\":", r->rid);
	p = put_sql(p, r->t0);
	p = put_sql(put(p, ",\"endTime\":"), r->t1);
	p = put_sql(put(p, ",\"completionStartTime\":"), first_token(r));
	p += sprintf(p, ",\"model\":\"%s\",\"model_group\":\"%s\",\"custom_llm_provider\":\"%s\",\"user\":\"\","
	             "\"end_user\":\"%s\",\"session_id\":\"%s\",\"spend\":",
	             r->model, r->model, r->m->provider, r->user, r->sess);
	p = put_cost(p, r->d.cost, "0.0");
	p += sprintf(p, ",\"prompt_tokens\":%ld,\"completion_tokens\":%ld,\"total_tokens\":%ld,\"cache_hit\":\"%s\","
	             "\"request_tags\":\"[\\\"feature:%s\\\",\\\"env:prod\\\"]\",\"status\":\"%s\",\"metadata\":",
	             r->P, r->O, r->P + r->O, r->d.cache_hit ? "True" : "False", r->feature,
	             r->err ? "failure" : "success");
	m = litellm_usage(put(m, "{\"user_api_key_user_id\":\"key-owner-1\","), r);
	m = put(litellm_error(put(m, ",\"error_information\":"), r), "}");
	*m = 0;
	if (r->n & 1)
		return put2(p, meta, "}\n");
	*p++ = '"';
	return put(put_esc(p, meta), "\"}\n");
}

static char *emit_litellm_slp(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	(void)w, (void)cx;
	p += sprintf(p, "{\"id\":\"%s\",\"trace_id\":\"%s\",\"call_type\":\"acompletion\",\"stream\":%s,"
	             "\"response_cost\":", r->rid, r->sess, r->ttft >= 0 ? "true" : "false");
	p = put_cost(p, r->d.cost, "0.0");
	p += sprintf(p, ",\"status\":\"%s\",\"custom_llm_provider\":\"%s\",\"prompt_tokens\":%ld,"
	             "\"completion_tokens\":%ld,\"total_tokens\":%ld,\"startTime\":",
	             r->err ? "failure" : "success", r->m->provider, r->P, r->O, r->P + r->O);
	p = put_epoch(p, r->t0);
	p = put_epoch(put(p, ",\"endTime\":"), r->t1);
	p = put_epoch(put(p, ",\"completionStartTime\":"), first_token(r));
	p = put_secs(put(p, ",\"response_time\":"), r->e->lat10);
	p += sprintf(p, ",\"model\":\"%s\",\"model_group\":\"%s\",\"end_user\":\"%s\",\"metadata\":"
	             "{\"user_api_key_end_user_id\":\"%s\",\"user_api_key_user_id\":\"key-owner-1\",",
	             r->model, r->model, r->user, r->user);
	p = litellm_usage(p, r);
	p += sprintf(p, "},\"cache_hit\":%s,\"request_tags\":[\"feature:%s\"],\"error_information\":",
	             r->d.cache_hit ? "true" : "false", r->feature);
	p = litellm_error(p, r);
	if (!r->err)
		return put(p, ",\"error_str\":null}\n");
	return p + sprintf(p, ",\"error_str\":\"litellm.%s: %s\"}\n", r->err->cls, r->err->msg);
}

/* ---- posthog: $ai_generation events, with $ai_metric / $ai_feedback / $ai_trace / $pageview around ---- */

enum { PH_GEN, PH_PAGEVIEW, PH_METRIC, PH_FEEDBACK, PH_TRACE };

/* {"uuid",...,"properties":{ of one event about r, and its trace id unless a $pageview */
static char *ph_head(const struct world *w, char *p, const struct rec *r, unsigned kind,
                     const char *event, uint64_t t10)
{
	p = put_uuid(put(p, "{\"uuid\":\""), w, UKEY(r->n, kind));
	p += sprintf(p, "\",\"event\":\"%s\",\"distinct_id\":\"%s\",\"timestamp\":", event, r->user);
	p = put(put_iso(p, t10, "+00:00"), ",\"properties\":{");
	if (kind == PH_PAGEVIEW)
		return p;
	return p + sprintf(p, "\"$ai_trace_id\":\"tr-%" PRIu64 "\"", r->n);
}

static char *ph_generation(const struct world *w, char *p, const struct rec *r)
{
	int anthropic = !strcmp(r->m->provider, "anthropic");
	p = ph_head(w, p, r, PH_GEN, "$ai_generation", r->t0);
	p += sprintf(p, ",\"$ai_session_id\":\"%s\",\"$ai_model\":\"%s\",\"$ai_provider\":\"%s\","
	             "\"$ai_http_status\":%d,\"$ai_is_error\":%s",
	             r->sess, r->model, r->m->provider, r->status, r->err ? "true" : "false");
	if (r->err)
		p += sprintf(p, ",\"$ai_error\":\"%s: %s\"", r->err->cls, r->err->msg);
	p = put_secs(put(p, ",\"$ai_latency\":"), r->e->lat10);
	if (r->ttft >= 0)
		p = put_secs(put(p, ",\"$ai_time_to_first_token\":"), (uint64_t)r->ttft);
	p += sprintf(p, ",\"$ai_input_tokens\":%ld,\"$ai_output_tokens\":%ld",
	             anthropic ? r->P - r->C - r->W : r->P, r->O);
	if (r->C > 0)
		p += sprintf(p, ",\"$ai_cache_read_input_tokens\":%ld", r->C);
	if (r->W > 0)
		p += sprintf(p, ",\"$ai_cache_creation_input_tokens\":%ld", r->W);
	if (r->d.cost >= 0)
		p = put_cost(put(p, ",\"$ai_total_cost_usd\":"), r->d.cost, "");
	return p + sprintf(p, ",\"feature\":\"%s\",\"environment\":\"prod\"}}\n", r->feature);
}

static char *emit_posthog(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	(void)cx;
	if (r->n % 7 == 0) {
		p = ph_head(w, p, r, PH_PAGEVIEW, "$pageview", r->t0 - 10000);
		p = put(p, "\"$current_url\":\"https://app.example.com/\"}}\n");
	}
	p = ph_generation(w, p, r);
	if (r->d.rating) {
		p = ph_head(w, p, r, PH_METRIC, "$ai_metric", r->t0 + 10000);
		p += sprintf(p, ",\"$ai_session_id\":\"%s\",\"$ai_metric_name\":\"rating\",\"$ai_metric_value\":%d}}\n",
		             r->sess, r->d.rating);
	}
	if (r->d.rating && r->d.rating <= 2 && r->n % 10 == 0) {
		p = ph_head(w, p, r, PH_FEEDBACK, "$ai_feedback", r->t0 + 20000);
		p = put(p, ",\"$ai_feedback_text\":\"wrong answer\"}}\n");
	}
	if (r->n % 9 == 0)
		p = put(ph_head(w, p, r, PH_TRACE, "$ai_trace", r->t0), ",\"$ai_span_name\":\"chat\"}}\n");
	return p;
}

/* ---- otel: OTLP JSON TracesData, 1-4 GenAI spans a line; user.id on the resource for odd N ---- */

/* Attribute list items, each followed by a comma that close_list() replaces. */
static char *attr_s(char *p, const char *key, const char *v)
{
	return p + sprintf(p, "{\"key\":\"%s\",\"value\":{\"stringValue\":\"%s\"}},", key, v);
}

static char *attr_i(char *p, const char *key, long v) /* int64 as a string (protobuf JSON) */
{
	return p + sprintf(p, "{\"key\":\"%s\",\"value\":{\"intValue\":\"%ld\"}},", key, v);
}

static char *attr_n(char *p, const char *key, long v) /* int64 as a number */
{
	return p + sprintf(p, "{\"key\":\"%s\",\"value\":{\"intValue\":%ld}},", key, v);
}

static char *attr_secs(char *p, const char *key, uint64_t t10)
{
	p += sprintf(p, "{\"key\":\"%s\",\"value\":{\"doubleValue\":", key);
	return put(put_secs(p, t10), "}},");
}

static char *attr_d(char *p, const char *key, double v)
{
	return p + sprintf(p, "{\"key\":\"%s\",\"value\":{\"doubleValue\":%.9g}},", key, v);
}

static char *close_list(char *p)
{
	if (p[-1] == ',')
		p--;
	*p++ = ']';
	return p;
}

/* {"resource":...,"scopeSpans":[{...,"spans":[ */
static char *otel_resource(char *p, const char *user)
{
	p = put(p, "{\"resource\":{\"attributes\":[");
	p = attr_s(p, "service.name", "chat-api");
	p = attr_s(p, "deployment.environment.name", "prod");
	if (user)
		p = attr_s(p, "user.id", user);
	return put(close_list(p), "},\"scopeSpans\":[{\"scope\":{\"name\":\"llm-instr\"},\"spans\":[");
}

static char *otel_span_head(char *p, uint64_t trace, uint64_t span, const char *name, int kind,
                            uint64_t t0, uint64_t t1)
{
	return p + sprintf(p, "{\"traceId\":\"%016" PRIx64 "%016" PRIx64 "\",\"spanId\":\"%016" PRIx64 "\","
	                   "\"name\":\"%s\",\"kind\":%d,\"startTimeUnixNano\":\"%" PRIu64 "\","
	                   "\"endTimeUnixNano\":\"%" PRIu64 "\",\"attributes\":[",
	                   trace, mix(trace), span, name, kind, t0 * 100000, t1 * 100000);
}

static char *otel_span(const struct world *w, char *p, const struct rec *r)
{
	char name[64];
	snprintf(name, sizeof name, "chat %s", r->model);
	p = otel_span_head(p, mix(w->salt ^ r->e->session ^ 0x07e1ULL), mix(w->salt ^ r->n), name, 3, r->t0, r->t1);
	p = attr_s(p, "gen_ai.operation.name", "chat");
	p = attr_s(p, "gen_ai.provider.name", r->m->provider);
	p = attr_s(p, "gen_ai.request.model", r->model);
	p = attr_i(p, "gen_ai.usage.input_tokens", r->P);
	p = attr_i(p, "gen_ai.usage.output_tokens", r->O);
	if (r->C > 0)
		p = attr_i(p, "gen_ai.usage.cache_read.input_tokens", r->C);
	if (r->W > 0)
		p = attr_i(p, "gen_ai.usage.cache_creation.input_tokens", r->W);
	p = attr_s(p, "gen_ai.conversation.id", r->sess);
	if (!(r->n & 1))
		p = attr_s(p, "user.id", r->user);
	p = attr_s(p, "app.feature", r->feature);
	if (r->ttft >= 0)
		p = attr_secs(p, "gen_ai.response.time_to_first_chunk", (uint64_t)r->ttft);
	if (r->d.cost >= 0)
		p = attr_d(p, "gen_ai.usage.cost", r->d.cost);
	if (r->err) {
		p = attr_n(p, "http.response.status_code", r->status);
		p = attr_s(p, "error.type", ETYPES[r->e->status]);
	}
	p = close_list(p);
	if (!r->err)
		return put(p, ",\"status\":{\"code\":0}},");
	return p + sprintf(p, ",\"status\":{\"code\":2,\"message\":\"%s\"}},", r->err->msg);
}

/* the non-GenAI span of every 5th line */
static char *otel_http_span(const struct world *w, char *p, uint64_t line, uint64_t t0)
{
	uint64_t id = mix(w->salt ^ ~line);
	p = otel_span_head(p, id, mix(id ^ 1), "GET /api/chat", 2, t0, t0 + 300);
	p = attr_s(p, "http.request.method", "GET");
	p = attr_s(p, "http.route", "/api/chat");
	p = attr_n(p, "http.response.status_code", 200);
	return put(close_list(p), ",\"status\":{\"code\":0}},");
}

static char *otel_line(const struct world *w, char *p, struct cx *cx)
{
	int http = cx->lines % 5 == 4, shared = http;
	for (unsigned i = 0; i < cx->npend; i++)
		shared |= !(cx->pend[i].n & 1);
	p = put(p, "{\"resourceSpans\":[");
	if (shared) {
		p = otel_resource(p, NULL);
		for (unsigned i = 0; i < cx->npend; i++)
			if (!(cx->pend[i].n & 1))
				p = otel_span(w, p, &cx->pend[i]);
		if (http)
			p = otel_http_span(w, p, cx->lines, cx->pend[0].t0);
		p = put(close_list(p), "}]},");
	}
	for (unsigned i = 0; i < cx->npend; i++)
		if (cx->pend[i].n & 1)
			p = put(close_list(otel_span(w, otel_resource(p, cx->pend[i].user), &cx->pend[i])), "}]},");
	cx->lines++;
	cx->npend = 0;
	return put(close_list(p), "}\n");
}

static char *emit_otel(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	if (!cx->npend)
		cx->want = 1 + (unsigned)(mix(w->salt ^ (cx->lines + 1) * 0x9e3779b97f4a7c15ULL) % 4);
	cx->pend[cx->npend++] = *r;
	return cx->npend == cx->want ? otel_line(w, p, cx) : p;
}

static char *flush_otel(const struct world *w, char *p, struct cx *cx)
{
	return cx->npend ? otel_line(w, p, cx) : p;
}

/* ---- langfuse: observations export; a SPAN row before every 4th event, an EVENT row every 6th ---- */

static char *lf_head(char *p, const struct rec *r, const char *id, const char *type, const char *name)
{
	p += sprintf(p, "{\"id\":\"%s-%" PRIu64 "\",\"trace_id\":\"tr-%" PRIu64 "\",\"type\":\"%s\","
	             "\"name\":\"%s\",\"start_time\":", id, r->n, r->n, type, name);
	p = put_sql(p, r->t0);
	return put_sql(put(p, ",\"end_time\":"), r->t1);
}

static char *lf_context(char *p, const struct rec *r, const char *level, const char *msg)
{
	return p + sprintf(p, ",\"level\":\"%s\",\"status_message\":\"%s\",\"user_id\":\"%s\",\"session_id\":\"%s\","
	                   "\"tags\":[\"feature:%s\"],\"environment\":\"production\",\"metadata\":{\"feature\":\"%s\"}",
	                   level, msg, r->user, r->sess, r->feature, r->feature);
}

static char *lf_row(char *p, const struct rec *r, const char *id, const char *type, const char *name)
{
	return put(lf_context(lf_head(p, r, id, type, name), r, "DEFAULT", ""), "}\n");
}

static char *lf_generation(const struct world *w, char *p, const struct rec *r)
{
	p = put(lf_head(p, r, "obs", "GENERATION", "llm-call"), ",\"completion_start_time\":");
	p = r->ttft < 0 ? put(p, "null") : put_sql(p, first_token(r));
	p += sprintf(p, ",\"provided_model_name\":\"%s\",\"usage_details\":{\"input\":%ld,\"output\":%ld,\"total\":%ld",
	             r->model, r->P, r->O, r->P + r->O);
	if (r->C > 0)
		p += sprintf(p, ",\"input_cached_tokens\":%ld", r->C);
	*p++ = '}';
	if (r->d.cost >= 0) {
		p = put_cost(put(p, ",\"cost_details\":{\"total\":"), r->d.cost, "");
		p = put_cost(put(p, "},\"total_cost\":"), r->d.cost, "");
	}
	p = put_secs(put(p, ",\"latency\":"), r->e->lat10);
	p = put(p, ",\"time_to_first_token\":");
	p = r->ttft < 0 ? put(p, "null") : put_secs(p, (uint64_t)r->ttft);
	p = lf_context(p, r, r->err ? "ERROR" : "DEFAULT", r->err ? ETYPES[r->e->status] : "");
	p = put(p, ",\"input\":\"[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"");
	p = put(put_esc(p, w->prompts[r->e->prompt]), "\\\"}]\",\"output\":\"");
	return put(p, r->err ? "\"}\n" : "Here is what I found.\"}\n");
}

static char *emit_langfuse(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	(void)cx;
	if (r->n % 4 == 0)
		p = lf_row(p, r, "span", "SPAN", "handle-request");
	if (r->n % 6 == 0)
		p = lf_row(p, r, "evt", "EVENT", "retrieval");
	return lf_generation(w, p, r);
}

/* ---- openai: by N % 3 a Batch output line, a Chat Completions object or a Responses object ---- */

static char *oa_chat(char *p, const struct rec *r)
{
	return p + sprintf(p, "{\"id\":\"chatcmpl-%" PRIu64 "\",\"object\":\"chat.completion\",\"created\":%" PRIu64
	                   ",\"model\":\"%s\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
	                   "\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":%ld,"
	                   "\"completion_tokens\":%ld,\"total_tokens\":%ld,\"prompt_tokens_details\":{\"cached_tokens\":%ld,"
	                   "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}",
	                   r->n, r->e->ts / 1000, r->model, r->P, r->O, r->P + r->O, r->C);
}

static char *oa_batch(const struct world *w, char *p, const struct rec *r)
{
	p += sprintf(p, "{\"id\":\"batch_req_%" PRIu64 "\",\"custom_id\":\"%s\",\"response\":", r->n, r->rid);
	if (r->e->status == S504)
		return put(p, "null,\"error\":{\"code\":\"batch_expired\",\"message\":\"This request could not be "
		              "executed before the completion window expired.\"}}\n");
	p += sprintf(p, "{\"status_code\":%d,\"request_id\":\"req_%016" PRIx64 "\",\"body\":",
	             r->status, mix(w->salt ^ r->n ^ 0x0a1ULL));
	if (r->err)
		p += sprintf(p, "{\"error\":{\"message\":\"%s\",\"type\":\"%s\",\"code\":\"%s\"}}",
		             r->err->msg, r->err->oa_type, r->err->oa_code);
	else
		p = oa_chat(p, r);
	return put(p, "},\"error\":null}\n");
}

static char *oa_response(char *p, const struct rec *r)
{
	p += sprintf(p, "{\"id\":\"resp_%" PRIu64 "\",\"object\":\"response\",\"created_at\":%" PRIu64 ",\"status\":",
	             r->n, r->e->ts / 1000);
	if (r->err)
		return p + sprintf(p, "\"failed\",\"error\":{\"code\":\"%s\",\"message\":\"%s\"},\"model\":\"%s\","
		                   "\"output\":[],\"usage\":null}\n", r->err->resp_code, r->err->msg, r->model);
	return p + sprintf(p, "\"completed\",\"error\":null,\"model\":\"%s\",\"output\":[{\"type\":\"message\","
	                   "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"ok\"}]}],"
	                   "\"usage\":{\"input_tokens\":%ld,\"input_tokens_details\":{\"cached_tokens\":%ld},"
	                   "\"output_tokens\":%ld,\"output_tokens_details\":{\"reasoning_tokens\":0},"
	                   "\"total_tokens\":%ld}}\n", r->model, r->P, r->C, r->O, r->P + r->O);
}

static char *emit_openai(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	(void)cx;
	if (r->n % 3 == 1 && !r->err)
		return put(oa_chat(p, r), "\n");
	if (r->n % 3 == 2)
		return oa_response(p, r);
	return oa_batch(w, p, r);
}

/* ---- anthropic: by N % 2 a Message Batches result line or a Message object ---- */

static char *an_message(char *p, const struct rec *r, const char *text)
{
	return p + sprintf(p, "{\"id\":\"msg_%" PRIu64 "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"%s\","
	                   "\"content\":[{\"type\":\"text\",\"text\":\"%s\"}],\"stop_reason\":\"end_turn\","
	                   "\"usage\":{\"input_tokens\":%ld,\"cache_creation_input_tokens\":%ld,"
	                   "\"cache_read_input_tokens\":%ld,\"output_tokens\":%ld}}",
	                   r->n, r->model, text, r->P - r->C - r->W, r->W, r->C, r->O);
}

static char *an_result(char *p, const struct rec *r)
{
	p += sprintf(p, "{\"custom_id\":\"%s\",\"result\":", r->rid);
	if (!r->err)
		p = an_message(put(p, "{\"type\":\"succeeded\",\"message\":"), r, "ok");
	else if (!r->err->ant_type)
		p = put(p, "{\"type\":\"expired\"");
	else
		p += sprintf(p, "{\"type\":\"errored\",\"error\":{\"type\":\"error\",\"error\":{\"type\":\"%s\","
		             "\"message\":\"%s\"}}", r->err->ant_type, r->err->msg);
	return put(p, "}}\n");
}

static char *emit_anthropic(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	(void)w, (void)cx;
	if (r->n % 2 && !r->err)
		return put(an_message(p, r, "ok"), "\n");
	return an_result(p, r);
}

/* ---- claude-code: session files (user line, assistant line(s), summaries) as ccusage reads them ---- */

/* parent: UKEY + 1 of the parent line, 0 for none */
static char *cc_head(const struct world *w, char *p, const struct rec *r, const char *type,
                     uint64_t key, uint64_t parent)
{
	p += sprintf(p, "{\"type\":\"%s\",\"sessionId\":\"%s\",\"uuid\":\"", type, r->sess);
	p = put(put_uuid(p, w, key), "\",\"parentUuid\":");
	if (parent)
		p = put(put_uuid(put(p, "\""), w, parent - 1), "\"");
	else
		p = put(p, "null");
	p = put(p, ",\"cwd\":\"/home/me/app\",\"version\":\"1.0.51\",\"timestamp\":");
	return put_iso(p, r->t0, "Z");
}

static char *cc_assistant(char *p, const struct rec *r)
{
	if (!r->err) {
		p += sprintf(p, ",\"requestId\":\"req_%08" PRIx64 "\",\"message\":", r->n);
		return put(an_message(p, r, "Done."), "}\n");
	}
	return p + sprintf(p, ",\"isApiErrorMessage\":true,\"requestId\":\"req_%08" PRIx64 "\",\"message\":{\"id\":"
	                   "\"msg_%" PRIu64 "\",\"model\":\"<synthetic>\",\"role\":\"assistant\",\"content\":"
	                   "[{\"type\":\"text\",\"text\":\"API Error: %d %s\"}],\"usage\":{\"input_tokens\":0,"
	                   "\"output_tokens\":0,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}\n",
	                   r->n, r->n, r->status, r->err->msg);
}

static char *emit_claude(const struct world *w, char *p, const struct rec *r, struct cx *cx)
{
	uint64_t *last = &cx->last[r->e->session], parent = UKEY(r->n, 0) + 1;
	int copies = r->err || r->n % 5 ? 1 : 2 + (int)(mix(w->salt ^ r->n) & 1); /* streamed repeats */
	p = cc_head(w, p, r, "user", UKEY(r->n, 0), *last);
	p = put2(p, ",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"",
	         w->prompts[r->e->prompt]);
	p = put(p, "\"}]}}\n");
	for (int i = 1; i <= copies; i++) {
		p = cc_assistant(cc_head(w, p, r, "assistant", UKEY(r->n, i), parent), r);
		parent = UKEY(r->n, i) + 1;
	}
	*last = parent;
	if (r->n % 50 == 0) {
		p += sprintf(p, "{\"type\":\"summary\",\"summary\":\"Working on the %s feature\",\"leafUuid\":\"", r->feature);
		p = put(put_uuid(p, w, parent - 1), "\"}\n");
	}
	return p;
}

/* ---- formats, output ---- */

struct format {
	const char *name, *help;
	emit_fn *emit;
	char *(*flush)(const struct world *w, char *p, struct cx *cx); /* writes what emit held back */
	int cache_write;   /* first Anthropic turns write the cache (W > 0) */
	int per_session;   /* tracks sessions; may --split-dir */
};
static const struct format FORMATS[] = {
	{ "generic", "llmstat's own schema (default)", emit_generic, NULL, 0, 0 },
	{ "helicone", "Helicone export rows (HeliconeRequest)", emit_helicone, NULL, 0, 0 },
	{ "litellm", "LiteLLM proxy LiteLLM_SpendLogs rows", emit_litellm, NULL, 0, 0 },
	{ "litellm-slp", "LiteLLM StandardLoggingPayload objects", emit_litellm_slp, NULL, 0, 0 },
	{ "posthog", "PostHog $ai_generation events (+ $ai_metric, $ai_feedback, $ai_trace, $pageview)",
	  emit_posthog, NULL, 0, 0 },
	{ "otel", "OTLP JSON TracesData lines with GenAI spans", emit_otel, flush_otel, 0, 0 },
	{ "langfuse", "Langfuse observations export (GENERATION, SPAN, EVENT rows)", emit_langfuse, NULL, 0, 0 },
	{ "openai", "OpenAI Batch output lines, Chat Completions and Responses objects", emit_openai, NULL, 0, 0 },
	{ "anthropic", "Anthropic Message Batches results and Message objects", emit_anthropic, NULL, 1, 0 },
	{ "claude-code", "Claude Code session files as ccusage reads them", emit_claude, NULL, 1, 1 },
};
#define NFORMATS (sizeof FORMATS / sizeof FORMATS[0])

static void die(const char *what, const char *path)
{
	fprintf(stderr, "loggen: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void mkdir_ok(const char *path)
{
	if (mkdir(path, 0777) && errno != EEXIST)
		die("cannot create", path);
}

/* Claude Code's layout: DIR/projects/<project>/<session>.jsonl, the project from the user */
static FILE *open_session(const char *dir, const struct rec *r)
{
	char path[4096];
	mkdir_ok(dir);
	snprintf(path, sizeof path, "%s/projects", dir);
	mkdir_ok(path);
	snprintf(path, sizeof path, "%s/projects/-home-me-app-%s", dir, r->user);
	mkdir_ok(path);
	snprintf(path, sizeof path, "%s/projects/-home-me-app-%s/%s.jsonl", dir, r->user, r->sess);
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write", path);
	return f;
}

/* Event indexes in output order, grouped by session (for --split-dir). */
static uint32_t *by_session(const struct ev *evs, const uint32_t *perm, size_t n)
{
	uint32_t nsess = 0;
	for (size_t i = 0; i < n; i++)
		if (evs[i].session >= nsess)
			nsess = evs[i].session + 1;
	size_t *at = calloc((size_t)nsess + 1, sizeof *at);
	uint32_t *order = xmalloc(n * sizeof *order);
	if (!at) {
		fprintf(stderr, "loggen: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		at[evs[i].session + 1]++;
	for (uint32_t s = 0; s < nsess; s++)
		at[s + 1] += at[s];
	for (size_t i = 0; i < n; i++) {
		size_t k = perm ? perm[i] : i;
		order[at[evs[k].session]++] = (uint32_t)k;
	}
	free(at);
	return order;
}

static char *drain(char *buf, char *p, FILE *f)
{
	fwrite(buf, 1, (size_t)(p - buf), f);
	return buf;
}

static void close_session(FILE *f, const char *dir)
{
	if (f != stdout && fclose(f))
		die("cannot write in", dir);
}

/* Writes the events in order (event indexes; NULL: as sorted), to stdout or one file a session. */
static void emit(const struct world *w, const struct ev *evs, const uint32_t *order)
{
	const struct format *fmt = w->o->fmt;
	const char *dir = w->o->split_dir;
	struct cx cx = { 0 };
	struct rec r;
	char *buf = xmalloc(OUTBUF), *p = buf;
	FILE *f = stdout;
	if (fmt->per_session)
		cx.last = calloc(w->o->n, sizeof *cx.last);
	for (size_t i = 0; i < w->o->n; i++) {
		size_t k = order ? order[i] : i;
		make_rec(w, &evs[k], k + 1, fmt->cache_write, &r);
		if (dir && (i == 0 || evs[k].session != evs[order[i - 1]].session)) {
			p = drain(buf, p, f);
			close_session(f, dir);
			f = open_session(dir, &r);
		}
		p = fmt->emit(w, p, &r, &cx);
		if ((size_t)(p - buf) > OUTBUF - EVMAX)
			p = drain(buf, p, f);
	}
	if (fmt->flush)
		p = fmt->flush(w, p, &cx);
	drain(buf, p, f);
	close_session(f, dir);
	free(cx.last);
	free(buf);
}

static void usage(void)
{
	fprintf(stderr, "usage: loggen [-n REQUESTS] [-u USERS] [-s SESSIONS] [--seed N] [--days D]\n"
	                "              [--start YYYY-MM-DD] [--no-regen-flag] [--no-success] [--shuffle]\n"
	                "              [--format NAME] [--models real] [--split-dir DIR]\n"
	                "  --models real    dated model ids, as priced in LiteLLM's table\n"
	                "  --split-dir DIR  claude-code: write DIR/projects/<project>/<session>.jsonl\n"
	                "  --format NAME    one of:\n");
	for (size_t i = 0; i < NFORMATS; i++)
		fprintf(stderr, "    %-12s %s\n", FORMATS[i].name, FORMATS[i].help);
	exit(2);
}

static const struct format *find_format(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (!strcmp(name, FORMATS[i].name))
			return &FORMATS[i];
	return NULL;
}

static unsigned long long num_arg(int argc, char **argv, int *i)
{
	char *end;
	if (*i + 1 >= argc)
		usage();
	unsigned long long v = strtoull(argv[++*i], &end, 10);
	if (*end || end == argv[*i])
		usage();
	return v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .n = 1000000, .users = 25000, .sessions = 300000, .days = 30, .seed = 1,
	                    .fmt = &FORMATS[0] };
	o->start_day = days_from_civil(2026, 10, 1);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int y;
		unsigned m, d;
		if (!strcmp(a, "-n")) o->n = (size_t)num_arg(argc, argv, &i);
		else if (!strcmp(a, "-u")) o->users = (uint32_t)num_arg(argc, argv, &i);
		else if (!strcmp(a, "-s")) o->sessions = (uint32_t)num_arg(argc, argv, &i);
		else if (!strcmp(a, "--seed")) o->seed = num_arg(argc, argv, &i);
		else if (!strcmp(a, "--days")) o->days = (uint32_t)num_arg(argc, argv, &i);
		else if (!strcmp(a, "--no-regen-flag")) o->no_regen = 1;
		else if (!strcmp(a, "--no-success")) o->no_success = 1;
		else if (!strcmp(a, "--shuffle")) o->shuffle = 1;
		else if (!strcmp(a, "--format") && i + 1 < argc && (o->fmt = find_format(argv[++i])))
			;
		else if (!strcmp(a, "--models") && i + 1 < argc && !strcmp(argv[++i], "real"))
			o->real_models = 1;
		else if (!strcmp(a, "--split-dir") && i + 1 < argc)
			o->split_dir = argv[++i];
		else if (!strcmp(a, "--start") && i + 1 < argc &&
		         sscanf(argv[++i], "%d-%u-%u", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
			o->start_day = days_from_civil(y, m, d);
		else
			usage();
	}
	if (!o->users || !o->sessions || !o->days || o->n > 0xffffffffu || (o->split_dir && !o->fmt->per_session))
		usage();
}

int main(int argc, char **argv)
{
	struct opts o;
	struct world w;
	parse(argc, argv, &o);
	if (!o.n)
		return 0;
	build_world(&w, &o);
	struct ev *evs = xmalloc(o.n * sizeof *evs);
	gen_events(&w, evs);
	qsort(evs, o.n, sizeof *evs, cmp_end);
	uint32_t *perm = o.shuffle ? random_perm(o.n, w.salt ^ 0x5f5fULL) : NULL;
	uint32_t *order = o.split_dir ? by_session(evs, perm, o.n) : perm;
	emit(&w, evs, order);
	if (order != perm)
		free(order);
	free(perm);
	free(evs);
	free_world(&w);
	return fflush(stdout) ? 1 : 0;
}
