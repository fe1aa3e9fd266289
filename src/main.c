/* main.c - llmstat: parse options, read logs, compute KPIs, print, alert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "agg.h"
#include "alert.h"
#include "bykey.h"
#include "filter.h"
#include "kpis.h"
#include "ltime.h"
#include "options.h"
#include "prices.h"
#include "render.h"
#include "report.h"
#include "run.h"
#include "preset.h"
#include "schema.h"
#include "state.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_ALERT = 3 };

struct app {
	struct options o;
	const struct report_def *report;
	struct report_opts ropts;
	struct schema schema;   /* the paths every preset shares */
	struct schema presets[P_COUNT];
	int schema_id;          /* --schema, -1 auto */
	struct bykey keys[AGG_MAX_TABLES];
	const struct bykey *keyp[AGG_MAX_TABLES];
	int nkeys;
	struct filter filter;
	struct alert alerts[ALERT_MAX];
	int nalerts;
	struct ltime_zone tz;
	struct prices *prices;
	struct agg_conf aconf;
	struct agg agg;
	struct agg prev;        /* --compare: the previous period */
};

/* The current time: $LLMSTAT_NOW (epoch seconds, for tests) or the clock. */
static int64_t
now_us(void)
{
	const char *e = getenv("LLMSTAT_NOW");
	int64_t us;

	if (e && *e && ltime_parse(e, strlen(e), &us) == 0)
		return us;
	return (int64_t)time(NULL) * 1000000;
}

static int
setup_filter(struct app *p, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < p->o.nwheres; i++)
		if (filter_where(&p->filter, p->o.wheres[i], &p->schema, err, errlen) < 0)
			return -1;
	if (p->o.since && filter_time(p->o.since, &p->tz, now_us(), &p->filter.since) < 0) {
		snprintf(err, errlen, "bad --since '%s'", p->o.since);
		return -1;
	}
	if (p->o.until && filter_time(p->o.until, &p->tz, now_us(), &p->filter.until) < 0) {
		snprintf(err, errlen, "bad --until '%s'", p->o.until);
		return -1;
	}
	p->filter.has_since = p->o.since != NULL;
	p->filter.has_until = p->o.until != NULL;
	if (p->o.compare) {
		if (!p->o.since || strcmp(p->o.report, "summary") != 0 || p->o.by || p->o.save_state) {
			snprintf(err, errlen, "--compare works with the summary and --since (no --by, no --save-state)");
			return -1;
		}
		if (!p->o.until) {
			p->filter.until = now_us();
			p->filter.has_until = 1;
		}
		p->filter.compare = 1;
		p->filter.prev_since = p->filter.since - (p->filter.until - p->filter.since);
	}
	for (i = 0; i < p->o.nalerts && i < ALERT_MAX; i++)
		if (alert_parse(&p->alerts[p->nalerts++], p->o.alerts[i], err, errlen) < 0)
			return -1;
	return 0;
}

/* A saved state keeps the breakdowns the reports need, so that any report
 * can be printed from states later. */
static void
standard_tables(struct app *p)
{
	static const char *const std[] = { "day", "week", "month", "hour", "model",
	    "provider", "feature", "status,error_type" };
	char err[256];
	size_t i;
	int j;

	for (i = 0; i < sizeof(std) / sizeof(std[0]) && p->nkeys < AGG_MAX_TABLES; i++) {
		for (j = 0; j < p->nkeys && strcmp(p->keys[j].spec, std[i]) != 0; j++)
			;
		if (j == p->nkeys && bykey_parse(&p->keys[p->nkeys], std[i], &p->schema, err, sizeof(err)) == 0)
			p->nkeys++;
	}
}

/* One schema per preset, over the shared paths; --map, --cost-field and
 * --dedup apply to each. */
static int
setup_presets(struct app *p, char *err, size_t errlen)
{
	char *maps[OPT_MAX_LIST + 1], cost[512];
	const char *dedup = p->o.no_dedup ? "" : p->o.dedup;
	int i, n = 0;

	p->schema_id = -1;
	if (p->o.schema && strcmp(p->o.schema, "auto") != 0 &&
	    (p->schema_id = preset_by_name(p->o.schema)) < 0) {
		snprintf(err, errlen, "unknown --schema '%s' (see --help)", p->o.schema);
		return -1;
	}
	for (i = 0; i < p->o.nmaps; i++)
		maps[n++] = (char *)p->o.maps[i];
	if (p->o.cost_field) {
		snprintf(cost, sizeof(cost), "cost=%s", p->o.cost_field);
		maps[n++] = cost;
	}
	for (i = 0; i < P_COUNT; i++)
		if (preset_schema(&p->presets[i], &p->schema, i, maps, n, dedup, err, errlen) < 0)
			return -1;
	return 0;
}

static int
setup(struct app *p)
{
	char err[256];
	int i;

	schema_init_base(&p->schema);
	for (i = 0; i < p->o.nscores; i++)
		if (schema_signal(&p->schema, 's', p->o.scores[i], err, sizeof(err)) < 0)
			goto usage;
	for (i = 0; i < p->o.nflags; i++)
		if (schema_signal(&p->schema, 'f', p->o.flags[i], err, sizeof(err)) < 0)
			goto usage;
	if (ltime_zone_init(&p->tz, p->o.tz) < 0) {
		snprintf(err, sizeof(err), "unknown time zone '%s'", p->o.tz);
		goto usage;
	}
	p->report = report_find(p->o.report);
	p->ropts.top = p->o.top;
	p->ropts.user_by = p->o.by;
	if (report_keys(p->report, &p->ropts, p->keys, &p->nkeys, &p->schema, err, sizeof(err)) < 0)
		goto usage;
	p->ropts.ntables = p->nkeys;
	if (p->o.save_state)
		standard_tables(p);
	for (i = 0; i < p->nkeys; i++)
		p->keyp[i] = &p->keys[i];
	if (setup_filter(p, err, sizeof(err)) < 0 || setup_presets(p, err, sizeof(err)) < 0)
		goto usage;
	p->prices = p->o.no_builtin_prices ? NULL : prices_builtin();
	if (p->o.prices) {
		if (p->prices == NULL)
			p->prices = prices_new();
		if (prices_load(p->prices, p->o.prices, err, sizeof(err)) < 0) {
			fprintf(stderr, "llmstat: %s\n", err);
			return EXIT_INPUT;
		}
	}
	p->aconf.alpha = 0.01;
	p->aconf.requery_us = (int64_t)(p->o.requery_s * 1e6 + 0.5);
	p->aconf.tz = &p->tz;
	p->aconf.ntables = p->nkeys;
	p->aconf.slow_us = (int64_t)(p->o.slow_ms * 1000 + 0.5);
	p->aconf.nscores = p->schema.nscores;
	p->aconf.nflags = p->schema.nflags;
	p->aconf.score_names = p->schema.score_name;
	p->aconf.flag_names = p->schema.flag_name;
	agg_init(&p->agg, &p->aconf);
	agg_init(&p->prev, &p->aconf);
	return EXIT_OK;
usage:
	fprintf(stderr, "llmstat: %s\n", err);
	return EXIT_USAGE;
}

/* $COLUMNS, else the terminal's width, else 100. */
static int
term_width(const char *cols)
{
	struct winsize ws;
	char *end;
	long v;

	if (cols && *cols) {
		v = strtol(cols, &end, 10);
		if (*end == '\0' && v > 20 && v < 10000)
			return (int)v;
	}
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 100;
}

static int
output(struct app *p, int *fired)
{
	struct kpis k, kprev;
	struct kpis_conf kc = { 0 };
	struct render_conf rc = { 0 };
	const char *cols = getenv("COLUMNS"), *nocolor = getenv("NO_COLOR");
	int rcode, i;

	kc.ntables = p->nkeys;
	for (i = 0; i < p->nkeys; i++) {
		kc.by[i] = p->keys[i].names;
		kc.time_keys[i] = p->keys[i].time_keys;
	}
	rc.format = p->o.format >= 0 ? p->o.format : isatty(1) ? FMT_TABLE : FMT_CSV;
	rc.color = p->o.color >= 0 ? p->o.color : isatty(1) && !(nocolor && *nocolor);
	rc.width = term_width(cols);
	rc.csv_guard = p->o.csv_guard;
	rc.tz = &p->tz;
	kpis_compute(&k, &p->agg, &kc);
	if (p->o.compare) {
		kpis_compute(&kprev, &p->prev, &kc);
		rc.prev = &kprev;
	}
	rcode = report_print(stdout, p->report, &p->ropts, &k, &p->agg, &rc);
	if (p->o.compare)
		kpis_free(&kprev);
	*fired = alert_check(p->alerts, p->nalerts, &k, stderr);
	kpis_free(&k);
	if (fflush(stdout) != 0 || rcode < 0 || ferror(stdout)) {
		perror("llmstat: write error");
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

static int
save_state(struct app *p)
{
	const char *keys[AGG_MAX_TABLES] = { 0 };
	FILE *f;
	int i, rc;

	for (i = 0; i < p->nkeys; i++)
		keys[i] = p->keys[i].spec;
	f = strcmp(p->o.save_state, "-") == 0 ? stdout : fopen(p->o.save_state, "wb");
	if (f == NULL) {
		fprintf(stderr, "llmstat: %s: ", p->o.save_state);
		perror(NULL);
		return EXIT_INPUT;
	}
	rc = state_write(f, p->agg.conf ? &p->agg : NULL, keys);
	if ((f == stdout ? fflush(f) : fclose(f)) != 0 || rc < 0) {
		fprintf(stderr, "llmstat: %s: write error\n", p->o.save_state);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

static void
teardown(struct app *p)
{
	int i;

	agg_free(&p->agg);
	agg_free(&p->prev);
	for (i = 0; i < AGG_MAX_TABLES; i++)
		bykey_free(&p->keys[i]);
	filter_free(&p->filter);
	for (i = 0; i < P_COUNT; i++)
		schema_free(&p->presets[i]);
	schema_free(&p->schema);
	prices_free(p->prices);
}

int
main(int argc, char **argv)
{
	static struct app app;
	struct run_conf rc = { 0 };
	int code, bad, fired = 0;

	if ((code = options_parse(&app.o, argc, argv)) != 0)
		return code == 1 ? EXIT_OK : EXIT_USAGE;
	if ((code = setup(&app)) != EXIT_OK)
		return code;
	rc.schemas = app.presets;
	rc.schema_id = app.schema_id;
	rc.agg = &app.aconf;
	rc.by = app.keyp;
	rc.prices = app.prices;
	rc.filter = app.filter.n || app.filter.has_since || app.filter.has_until ? &app.filter : NULL;
	rc.use_log_cost = !app.o.no_log_cost;
	rc.prev = app.o.compare ? &app.prev : NULL;
	rc.jobs = app.o.jobs;
	rc.max_messages = app.o.max_messages;
	rc.quiet = app.o.quiet;
	rc.progress = !app.o.quiet && isatty(2);
	for (int i = 0; i < app.nkeys; i++)
		rc.keys[i] = app.keys[i].spec;
	bad = run_inputs(&rc, app.o.files, &app.agg);
	code = app.o.save_state ? save_state(&app) : EXIT_OK;
	if (code == EXIT_OK && !(app.o.save_state && strcmp(app.o.save_state, "-") == 0))
		code = output(&app, &fired);
	if (code == EXIT_OK && app.o.fail_unpriced && app.agg.total.c.unpriced) {
		fprintf(stderr, "llmstat: %llu requests could not be priced (--fail-unpriced); "
		    "their models are under unknown_models\n", (unsigned long long)app.agg.total.c.unpriced);
		code = EXIT_INPUT;
	}
	if (code == EXIT_OK && (bad || (app.o.strict && app.agg.rejected_lines)))
		code = EXIT_INPUT;
	else if (code == EXIT_OK && fired)
		code = EXIT_ALERT;
	teardown(&app);
	return code;
}
