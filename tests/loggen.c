/* loggen: writes a realistic, seed-deterministic synthetic JSONL log of LLM API requests in llmstat's generic schema. */
/*
 * Usage: loggen [-n REQUESTS] [-u USERS] [-s SESSIONS] [--seed N] [--days D]
 *               [--start YYYY-MM-DD] [--no-regen-flag] [--no-success] [--shuffle]
 * Defaults: -n 1000000 -u 25000 -s 300000 --seed 1 --days 30 --start 2026-10-01.
 * Lines are sorted by request completion time (timestamp + latency), so the file
 * is roughly time-sorted like a real log; --shuffle emits them in random order.
 * Build: gcc -std=c11 -D_GNU_SOURCE -O2 -o loggen tests/loggen.c -lm
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL 8192
#define OUTBUF (4u << 20)

struct opts {
	size_t n;
	uint32_t users, sessions, days;
	uint64_t seed;
	long start_day;
	int no_regen, no_success, shuffle;
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
	const char *name, *provider;
	double in, cached, out; /* USD per 1M tokens; in < 0: unpriced */
	double ttft, tpot, weight;
};
static const struct model MODELS[] = {
	{ "gpt-4o", "openai", 2.50, 1.25, 10.00, 450, 7.0, 0.17 },
	{ "gpt-4o-mini", "openai", 0.15, 0.075, 0.60, 350, 4.0, 0.35 },
	{ "claude-sonnet-4", "anthropic", 3.00, 0.30, 15.00, 700, 9.0, 0.15 },
	{ "claude-haiku", "anthropic", 0.80, 0.08, 4.00, 400, 4.5, 0.12 },
	{ "gemini-2.5-flash", "google", 0.30, 0.075, 2.50, 300, 3.0, 0.19 },
	{ "custom-model-x", "selfhosted", -1, -1, -1, 600, 11.0, 0.02 },
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

static char *put_ts(char *p, uint64_t ts)
{
	static long cday = -1;
	static char date[40];
	long day = (long)(ts / 86400000);
	if (day != cday) {
		int y;
		unsigned m, d;
		civil_from_days(day, &y, &m, &d);
		snprintf(date, sizeof date, "%04d-%02u-%02uT", y, m, d);
		cday = day;
	}
	static const unsigned DIV[4] = { 3600000, 60000, 1000, 1 }, MOD[4] = { 24, 60, 60, 1000 };
	uint64_t ms = ts % 86400000;
	p = put(p, date);
	for (int i = 0; i < 4; i++) {
		p = putu(p, ms / DIV[i] % MOD[i], i < 3 ? 2 : 3);
		*p++ = "::.Z"[i];
	}
	*p++ = '"';
	return p;
}

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

static char *format_line(const struct world *w, char *p, const struct ev *e, uint64_t reqid)
{
	struct det d;
	details(w, e, &d);
	p = put_ts(put(p, "{\"timestamp\":\""), e->ts);
	p = putu(put(p, ",\"request_id\":\"req-"), reqid, 9);
	p = putu(put(p, "\",\"user_id\":\"u-"), e->user, 5);
	p = putu(put(p, "\",\"session_id\":\"s-"), e->session, 7);
	p = put2(p, "\",\"model\":\"", MODELS[e->model].name);
	p = put2(p, "\",\"provider\":\"", MODELS[e->model].provider);
	p = put2(p, "\",\"feature\":\"", FEATS[e->feature].name);
	p = putu(put(p, "\",\"status\":"), (uint64_t)CODES[e->status], 1);
	p = putfix1(put(p, ",\"latency_ms\":"), e->lat10);
	if (d.ttft >= 0) {
		uint64_t t10 = (uint64_t)(d.ttft * 10 + 0.5);
		p = putfix1(put(p, ",\"ttft_ms\":"), t10 < e->lat10 ? t10 : e->lat10);
	}
	p = put_usage(p, &d);
	return put_tail(w, p, e, &d);
}

static void emit(const struct world *w, const struct ev *evs, const uint32_t *perm)
{
	char *buf = xmalloc(OUTBUF), *p = buf;
	for (size_t i = 0; i < w->o->n; i++) {
		size_t k = perm ? perm[i] : i;
		p = format_line(w, p, &evs[k], k + 1);
		if ((size_t)(p - buf) > OUTBUF - 4096) {
			fwrite(buf, 1, (size_t)(p - buf), stdout);
			p = buf;
		}
	}
	fwrite(buf, 1, (size_t)(p - buf), stdout);
	free(buf);
}

static void usage(void)
{
	fprintf(stderr, "usage: loggen [-n REQUESTS] [-u USERS] [-s SESSIONS] [--seed N] [--days D]\n"
	                "              [--start YYYY-MM-DD] [--no-regen-flag] [--no-success] [--shuffle]\n");
	exit(2);
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
	*o = (struct opts){ 1000000, 25000, 300000, 30, 1, 0, 0, 0, 0 };
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
		else if (!strcmp(a, "--start") && i + 1 < argc &&
		         sscanf(argv[++i], "%d-%u-%u", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
			o->start_day = days_from_civil(y, m, d);
		else
			usage();
	}
	if (!o->users || !o->sessions || !o->days || o->n > 0xffffffffu)
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
	emit(&w, evs, perm);
	free(perm);
	free(evs);
	free_world(&w);
	return fflush(stdout) ? 1 : 0;
}
