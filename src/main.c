/* main.c - llmstat: parse options, read logs, compute KPIs, print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "bykey.h"
#include "kpis.h"
#include "ltime.h"
#include "options.h"
#include "prices.h"
#include "render.h"
#include "run.h"
#include "schema.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_ALERT = 3 };

struct app {
	struct options o;
	struct schema schema;
	struct bykey by;
	struct ltime_zone tz;
	struct prices *prices;
	struct agg_conf aconf;
	struct agg agg;
};

static int
setup(struct app *p)
{
	char err[256];
	int i;

	schema_init_generic(&p->schema);
	for (i = 0; i < p->o.nmaps; i++)
		if (schema_map(&p->schema, p->o.maps[i], err, sizeof(err)) < 0)
			goto usage;
	if (p->o.by && bykey_parse(&p->by, p->o.by, &p->schema, err, sizeof(err)) < 0)
		goto usage;
	if (ltime_zone_init(&p->tz, p->o.tz) < 0) {
		snprintf(err, sizeof(err), "unknown time zone '%s'", p->o.tz);
		goto usage;
	}
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
	p->aconf.by = p->o.by != NULL;
	agg_init(&p->agg, &p->aconf);
	return EXIT_OK;
usage:
	fprintf(stderr, "llmstat: %s\n", err);
	return EXIT_USAGE;
}

static int
output(struct app *p)
{
	struct kpis k;
	struct kpis_conf kc = { p->o.by ? p->by.names : NULL, p->by.time_keys };
	struct render_conf rc = { 0 };
	const char *cols = getenv("COLUMNS"), *nocolor = getenv("NO_COLOR");
	int rcode;

	rc.format = p->o.format >= 0 ? p->o.format : isatty(1) ? FMT_TABLE : FMT_CSV;
	rc.color = p->o.color >= 0 ? p->o.color : isatty(1) && !(nocolor && *nocolor);
	rc.width = cols && atoi(cols) > 20 ? atoi(cols) : 100;
	rc.csv_guard = p->o.csv_guard;
	kpis_compute(&k, &p->agg, &kc);
	if (p->o.by)
		rcode = render_groups(stdout, &k, p->by.names, NULL, &rc);
	else
		rcode = render_summary(stdout, &k, &rc);
	kpis_free(&k);
	if (fflush(stdout) != 0 || rcode < 0 || ferror(stdout)) {
		perror("llmstat: write error");
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

static void
teardown(struct app *p)
{
	agg_free(&p->agg);
	bykey_free(&p->by);
	schema_free(&p->schema);
	prices_free(p->prices);
}

int
main(int argc, char **argv)
{
	static struct app app;
	struct run_conf rc = { 0 };
	int code, bad;

	if ((code = options_parse(&app.o, argc, argv)) != 0)
		return code == 1 ? EXIT_OK : EXIT_USAGE;
	if ((code = setup(&app)) != EXIT_OK)
		return code;
	rc.schema = &app.schema;
	rc.agg = &app.aconf;
	rc.by = app.o.by ? &app.by : NULL;
	rc.prices = app.prices;
	rc.use_log_cost = !app.o.no_log_cost;
	rc.jobs = app.o.jobs;
	rc.max_messages = app.o.max_messages;
	rc.quiet = app.o.quiet;
	bad = run_inputs(&rc, app.o.files, &app.agg);
	code = output(&app);
	if (code == EXIT_OK && (bad || (app.o.strict && app.agg.rejected_lines)))
		code = EXIT_INPUT;
	teardown(&app);
	return code;
}
