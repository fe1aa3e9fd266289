/* options.h - the command line: one option table drives getopt_long,
 * --help, and the tests that check the man page and completions. */
#ifndef LLMSTAT_OPTIONS_H
#define LLMSTAT_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#define LLMSTAT_VERSION "0.1.0"
#define OPT_MAX_LIST 64

/* One row of the option table. */
struct optdef {
	const char *name;       /* long name, without "--" */
	int key;                /* short option character, or a code >= 256 */
	int has_arg;            /* 0 none, 1 required */
	const char *arg;        /* argument name in help, e.g. "FMT" */
	const char *values;     /* completion values separated by '|', or NULL;
	                           "@file" for file names, "@kpi" for KPI names */
	const char *help;       /* one line */
};

extern const struct optdef options_table[];     /* ends with a NULL name */

struct options {
	const char *report;     /* "summary", ... */
	int format;             /* enum format; -1 until set */
	int jobs;
	const char *by;         /* --by spec */
	const char *maps[OPT_MAX_LIST]; /* --map specs */
	int nmaps;
	const char *tz;
	double requery_s;       /* --requery-window, seconds */
	int strict;
	const char *prices;     /* --prices FILE */
	int no_log_cost;
	int fail_unpriced;      /* --fail-unpriced */
	const char *cost_field; /* --cost-field PATH[:UNIT] */
	const char *schema;     /* --schema NAME, NULL: auto */
	const char *dedup;      /* --dedup PATH[,PATH] */
	int no_dedup;
	int no_builtin_prices;
	int max_messages;
	int quiet;
	int color;              /* -1 auto, 0 never, 1 always */
	int csv_guard;
	const char *wheres[OPT_MAX_LIST];       /* --where expressions */
	int nwheres;
	const char *since, *until;
	const char *alerts[OPT_MAX_LIST];
	int nalerts;
	long top;
	const char *save_state; /* --save-state FILE, "-" for stdout */
	double slow_ms;         /* --slow-ms */
	int compare;            /* --compare */
	const char *scores[OPT_MAX_LIST], *flags[OPT_MAX_LIST]; /* --score, --flag */
	int nscores, nflags;
	char **files;           /* NULL-terminated, may be empty */
};

/* Parses argv into o. Returns 0 to run, 1 when --help or --version printed
 * (exit 0), or 2 on a usage error (message printed to stderr). */
int options_parse(struct options *o, int argc, char **argv);

/* Writes the usage summary ("usage: llmstat ...") and option list. */
void options_help(FILE *f);

#endif
