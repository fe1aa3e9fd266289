/* options.c - the option table, getopt_long parsing and --help. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"
#include "report.h"

enum {
	O_BY = 256, O_MAP, O_TZ, O_REQUERY, O_STRICT, O_PRICES, O_NO_LOG_COST,
	O_NO_BUILTIN, O_MAX_MSG, O_COLOR, O_NO_CSV_GUARD, O_WHERE, O_SINCE,
	O_UNTIL, O_ALERT, O_TOP, O_SAVE_STATE, O_SCORE, O_FLAG, O_SLOW, O_COMPARE,
	O_SCHEMA, O_DEDUP, O_NO_DEDUP, O_FAIL_UNPRICED, O_COST_FIELD
};

const struct optdef options_table[] = {
	{ "format", 'f', 1, "FMT", "table|csv|json", "output format (default: table on a terminal, else csv)" },
	{ "by", O_BY, 1, "KEYS", "model|provider|user|feature|status|error_type|session|error|cache_hit|success|regenerated|hour|day|week|month|hour_of_day|weekday",
	  "break down by fields, time buckets or JSON paths, comma-separated" },
	{ "where", O_WHERE, 1, "EXPR", NULL, "keep records where FIELD OP VALUE (= != < <= > >= ~ regex; repeatable, AND)" },
	{ "since", O_SINCE, 1, "TIME", NULL, "from TIME on (inclusive): date, date-time, now, today, yesterday, or back 30m, 24h, 7d, 2w" },
	{ "compare", O_COMPARE, 0, NULL, NULL, "beside each KPI, its value over the previous period of the same length" },
	{ "until", O_UNTIL, 1, "TIME", NULL, "before TIME (exclusive), same forms as --since" },
	{ "alert", O_ALERT, 1, "RULE", "@kpi", "'METRIC OP NUMBER[%|ms|s|m|k|M]', cost-spike, latency-spike; exit 3 if any fires" },
	{ "top", O_TOP, 1, "N", NULL, "at most N rows in a report" },
	{ "slow-ms", O_SLOW, 1, "MS", NULL, "latency from which a request is slow (default 10000; the slow report)" },
	{ "save-state", O_SAVE_STATE, 1, "FILE", "@file", "also write the merged state to FILE ('-': stdout, no report)" },
	{ "schema", O_SCHEMA, 1, "NAME", "auto|generic|openai|anthropic|helicone|litellm|posthog|otel|langfuse|claude-code",
	  "log format (default auto: told from each file's first lines)" },
	{ "map", O_MAP, 1, "FIELD=PATH[:UNIT]", NULL, "read a canonical field from a JSON path (repeatable)" },
	{ "dedup", O_DEDUP, 1, "PATH[,PATH]", NULL, "count records with the same value(s) at PATH once (default: the format's id)" },
	{ "no-dedup", O_NO_DEDUP, 0, NULL, NULL, "count repeated records every time" },
	{ "score", O_SCORE, 1, "NAME=PATH", NULL, "summarize a numeric field, e.g. a judge score (count, mean, p50, p95; up to 16)" },
	{ "flag", O_FLAG, 1, "NAME=PATH", NULL, "summarize a boolean field as a rate (up to 16)" },
	{ "tz", O_TZ, 1, "ZONE", NULL, "time zone for calendar buckets (IANA name or +HH:MM; default UTC)" },
	{ "requery-window", O_REQUERY, 1, "DURATION", NULL, "gap that makes a re-query (default 30s; a number of seconds, or ms, s, m, h)" },
	{ "prices", O_PRICES, 1, "FILE", "@file", "price table: LiteLLM JSON or model,input,output CSV" },
	{ "cost-field", O_COST_FIELD, 1, "PATH[:UNIT]", NULL, "read the log's cost from PATH (usd or nanousd)" },
	{ "no-log-cost", O_NO_LOG_COST, 0, NULL, NULL, "ignore the log's cost; price every request from the table" },
	{ "fail-unpriced", O_FAIL_UNPRICED, 0, NULL, NULL, "exit 1 when a request cannot be priced" },
	{ "no-builtin-prices", O_NO_BUILTIN, 0, NULL, NULL, "do not use the built-in price table" },
	{ "jobs", 'j', 1, "N", NULL, "worker threads, 1-256 (default: the number of cores, at most 64)" },
	{ "strict", O_STRICT, 0, NULL, NULL, "exit 1 when any line is rejected" },
	{ "max-errors", O_MAX_MSG, 1, "N", NULL, "rejected lines to report on stderr (default 10)" },
	{ "color", O_COLOR, 1, "WHEN", "auto|always|never", "color in tables (default auto; NO_COLOR respected)" },
	{ "no-csv-guard", O_NO_CSV_GUARD, 0, NULL, NULL, "do not neutralise formula-like CSV cells" },
	{ "quiet", 'q', 0, NULL, NULL, "no warnings on stderr" },
	{ "help", 'h', 0, NULL, NULL, "show this help" },
	{ "version", 'V', 0, NULL, NULL, "show the version" },
	{ NULL, 0, 0, NULL, NULL, NULL }
};


void
options_help(FILE *f)
{
	const struct optdef *d;
	char lhs[64];

	fputs("usage: llmstat [REPORT] [options] [FILE ...]\n\n"
	    "Reads JSONL logs of LLM requests (files or stdin; plain, gzip or zstd)\n"
	    "and prints product KPIs: cost, tokens, latency, errors, users, sessions.\n\n"
	    "Reports:\n", f);
	for (int i = 0; report_name(i); i++)
		fprintf(f, "  %-30s %s\n", report_name(i), report_help(i));
	fputs("\nOptions:\n", f);
	for (d = options_table; d->name; d++) {
		if (d->key < 256)
			snprintf(lhs, sizeof(lhs), "-%c, --%s%s%s", d->key, d->name,
			    d->arg ? " " : "", d->arg ? d->arg : "");
		else
			snprintf(lhs, sizeof(lhs), "    --%s%s%s", d->name, d->arg ? " " : "",
			    d->arg ? d->arg : "");
		fprintf(f, "  %-30s %s\n", lhs, d->help);
	}
	fputs("\nExamples:\n"
	    "  llmstat app.jsonl                      summary table\n"
	    "  zcat logs/*.gz | llmstat -f json       summary as JSON from a pipe\n"
	    "  llmstat --by model -f csv app.jsonl    per-model rows for a spreadsheet\n"
	    "  llmstat daily --since 7d app.jsonl     the last seven days, day by day\n"
	    "  llmstat --alert 'error_rate > 2%' app.jsonl   exit 3 when the rule fires\n"
	    "\nExit status: 0 ok, 1 input error, 2 usage error, 3 an alert fired.\n", f);
}

static int
usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "llmstat: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	fputs("Try 'llmstat --help' for more information.\n", stderr);
	return 2;
}

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* "30", "30s", "1500ms", "2m" -> seconds. */
static int
parse_duration(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v >= 0))
		return -1;
	if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (strcmp(end, "m") == 0)
		v *= 60;
	else if (strcmp(end, "h") == 0)
		v *= 3600;
	else if (*end && strcmp(end, "s") != 0)
		return -1;
	*out = v;
	return 0;
}

static int
format_by_name(const char *s)
{
	if (strcmp(s, "table") == 0)
		return FMT_TABLE;
	if (strcmp(s, "csv") == 0)
		return FMT_CSV;
	if (strcmp(s, "json") == 0)
		return FMT_JSON;
	return -1;
}

static int
apply(struct options *o, int key, const char *arg)
{
	switch (key) {
	case 'f':
		if ((o->format = format_by_name(arg)) < 0)
			return usage_error("unknown format (table, csv, json)", arg);
		return 0;
	case 'j':
		return parse_int(arg, 1, 256, &o->jobs) ? usage_error("--jobs wants 1 to 256", arg) : 0;
	case O_BY: o->by = arg; return 0;
	case O_MAP:
		if (o->nmaps >= OPT_MAX_LIST)
			return usage_error("too many --map options", NULL);
		o->maps[o->nmaps++] = arg;
		return 0;
	case O_TZ: o->tz = arg; return 0;
	case O_REQUERY:
		return parse_duration(arg, &o->requery_s) ? usage_error("bad --requery-window", arg) : 0;
	case O_STRICT: o->strict = 1; return 0;
	case O_PRICES: o->prices = arg; return 0;
	case O_NO_LOG_COST: o->no_log_cost = 1; return 0;
	case O_NO_BUILTIN: o->no_builtin_prices = 1; return 0;
	case O_SCHEMA: o->schema = arg; return 0;
	case O_DEDUP: o->dedup = arg; o->no_dedup = 0; return 0;
	case O_NO_DEDUP: o->no_dedup = 1; o->dedup = NULL; return 0;
	case O_FAIL_UNPRICED: o->fail_unpriced = 1; return 0;
	case O_COST_FIELD: o->cost_field = arg; return 0;
	case O_MAX_MSG:
		return parse_int(arg, 0, 1000000, &o->max_messages) ? usage_error("bad --max-errors", arg) : 0;
	case O_COLOR:
		if (strcmp(arg, "auto") == 0)
			o->color = -1;
		else if (strcmp(arg, "always") == 0)
			o->color = 1;
		else if (strcmp(arg, "never") == 0)
			o->color = 0;
		else
			return usage_error("--color wants auto, always or never", arg);
		return 0;
	case O_NO_CSV_GUARD: o->csv_guard = 0; return 0;
	case 'q': o->quiet = 1; return 0;
	case O_WHERE:
		if (o->nwheres >= OPT_MAX_LIST)
			return usage_error("too many --where options", NULL);
		o->wheres[o->nwheres++] = arg;
		return 0;
	case O_SINCE: o->since = arg; return 0;
	case O_SAVE_STATE: o->save_state = arg; return 0;
	case O_COMPARE: o->compare = 1; return 0;
	case O_SLOW: {
		char *end;

		errno = 0;
		o->slow_ms = strtod(arg, &end);
		if (errno || end == arg || *end || !(o->slow_ms > 0) || o->slow_ms > 86400000)
			return usage_error("--slow-ms wants a positive number of milliseconds", arg);
		return 0;
	}
	case O_SCORE:
	case O_FLAG:
		if ((key == O_SCORE ? o->nscores : o->nflags) >= OPT_MAX_LIST)
			return usage_error("too many --score or --flag options", NULL);
		if (key == O_SCORE)
			o->scores[o->nscores++] = arg;
		else
			o->flags[o->nflags++] = arg;
		return 0;
	case O_UNTIL: o->until = arg; return 0;
	case O_ALERT:
		if (o->nalerts >= OPT_MAX_LIST)
			return usage_error("too many --alert options", NULL);
		o->alerts[o->nalerts++] = arg;
		return 0;
	case O_TOP: {
		int n;

		if (parse_int(arg, 1, 100000000, &n))
			return usage_error("--top wants a positive number", arg);
		o->top = n;
		return 0;
	}
	default: return 2;
	}
}

static void
defaults(struct options *o)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	o->report = "summary";
	o->format = -1;
	o->jobs = n > 0 ? (int)(n > 64 ? 64 : n) : 1;
	o->requery_s = 30;
	o->slow_ms = 10000;
	o->max_messages = 10;
	o->color = -1;
	o->csv_guard = 1;
}

/* Builds getopt_long's tables from options_table. */
static void
build_getopt(struct option *lo, char *so)
{
	const struct optdef *d;
	int i = 0, k = 0;

	for (d = options_table; d->name; d++, i++) {
		lo[i].name = d->name;
		lo[i].has_arg = d->has_arg ? required_argument : no_argument;
		lo[i].flag = NULL;
		lo[i].val = d->key;
		if (d->key < 256) {
			so[k++] = (char)d->key;
			if (d->has_arg)
				so[k++] = ':';
		}
	}
	memset(&lo[i], 0, sizeof(lo[i]));
	so[k] = '\0';
}

static int
is_report(const char *s)
{
	return report_find(s) != NULL;
}

int
options_parse(struct options *o, int argc, char **argv)
{
	struct option lo[64];
	char so[128];
	int c, rc;

	defaults(o);
	build_getopt(lo, so);
	if (argc > 1 && is_report(argv[1]) && access(argv[1], F_OK) != 0) {
		o->report = argv[1];
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, so + 0, lo, NULL)) != -1) {
		if (c == 'h') {
			options_help(stdout);
			return 1;
		}
		if (c == 'V') {
			printf("llmstat %s\n", LLMSTAT_VERSION);
			return 1;
		}
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				fprintf(stderr, "llmstat: %s option: -%c\n",
				    c == ':' ? "missing argument for" : "unknown", optopt);
			else
				fprintf(stderr, "llmstat: unknown option or missing argument: %s\n", argv[optind - 1]);
			fputs("Try 'llmstat --help' for more information.\n", stderr);
			return 2;
		}
		if ((rc = apply(o, c, optarg)) != 0)
			return rc;
	}
	o->files = argv + optind;
	return 0;
}
