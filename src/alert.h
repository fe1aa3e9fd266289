/* alert.h - --alert rules for cron: "METRIC OP NUMBER[unit]" over any KPI
 * name, and the built-in rules cost-spike and latency-spike. */
#ifndef LLMSTAT_ALERT_H
#define LLMSTAT_ALERT_H

#include <stddef.h>
#include <stdio.h>

#include "kpis.h"

#define ALERT_MAX 32

struct alert {
	char text[128];         /* the rule as given, for messages */
	int builtin;            /* 0, or 1 cost-spike, 2 latency-spike */
	char metric[64];
	int op;                 /* 0 >, 1 >=, 2 <, 3 <=, 4 ==, 5 != */
	double value;           /* in the metric's own unit (ms, USD, ratio) */
};

/* Parses one --alert value. Units: % (ratio metrics), ms, s, m (durations,
 * compared in ms), $ before the number, k/M suffixes. Returns 0, or -1 with
 * err (unknown metric, bad operator or number). */
int alert_parse(struct alert *a, const char *text, char *err, size_t errlen);

/* Evaluates the rules on computed metrics; prints one line per fired rule
 * to out ("llmstat: alert: error_rate > 1% (value 3.2%)"). Returns the
 * number of rules that fired. A rule over a metric that is null does not
 * fire and says so. */
int alert_check(const struct alert *a, int n, const struct kpis *k, FILE *out);

#endif
