/* cohort.h - retention by weekly cohort and user segments (power, new,
 * at risk), from the day table's sets of active users. */
#ifndef LLMSTAT_COHORT_H
#define LLMSTAT_COHORT_H

#include "agg.h"
#include "kpis.h"

#define COHORT_WEEKS 12         /* weeks after the first that are shown */

/* Rows keyed by cohort (the ISO week of users' first active day): users,
 * then week_1 .. week_12, the share of the cohort active that many weeks
 * later (null past the data). Free with ktable_free. */
void cohort_retention(struct ktable *t, const struct agg *a);

/* Rows keyed by segment: power (the top 10% of users by requests), new
 * (first active in the last 7 days of the data), at_risk (active days in
 * the second half of the data under half those of the first half), all.
 * Each with users, requests, total_cost and cost_share. */
void cohort_segments(struct ktable *t, const struct agg *a);

#endif
