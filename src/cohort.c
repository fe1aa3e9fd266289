/* cohort.c - weekly retention cohorts and user segments. */
#include "cohort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct uday {                   /* what the day table says of one user */
	int32_t first;          /* first active day */
	uint32_t early, late;   /* active days in the first / second half */
};

/* Per user (indexed like a->users): first day and active days per half.
 * *d0 and *d1 receive the first and last day with requests. */
static struct uday *
user_days(const struct agg *a, int32_t *d0, int32_t *d1)
{
	struct uday *u = xcalloc(a->nusers + 1, sizeof(*u));
	size_t i, j;
	int32_t mid;

	*d0 = INT32_MAX;
	*d1 = INT32_MIN;
	for (i = 0; i < a->nusers; i++)
		u[i].first = INT32_MAX;
	for (i = 0; i < a->days.len; i++) {
		int32_t d = (int32_t)a->days.rows[i].num;

		*d0 = d < *d0 ? d : *d0;
		*d1 = d > *d1 ? d : *d1;
	}
	mid = *d0 + (*d1 - *d0 + 1) / 2;
	for (i = 0; i < a->days.len; i++) {
		const struct grp *g = &a->days.rows[i];
		int32_t d = (int32_t)g->num;

		for (j = 0; j < g->users.cap; j++) {
			uint32_t k = g->users.keys[j] ? idmap_get(&a->user_map, g->users.keys[j]) : UINT32_MAX;

			if (k == UINT32_MAX)
				continue;
			u[k].first = d < u[k].first ? d : u[k].first;
			if (d < mid)
				u[k].early++;
			else
				u[k].late++;
		}
	}
	return u;
}

static const char *const cohort_key[] = { "cohort", NULL };
static const char *const week_names[COHORT_WEEKS + 1] = {
	"users", "week_1", "week_2", "week_3", "week_4", "week_5", "week_6",
	"week_7", "week_8", "week_9", "week_10", "week_11", "week_12"
};

void
cohort_retention(struct ktable *t, const struct agg *a)
{
	int32_t d0, d1, w0, nweeks, c, k;
	struct uday *u = user_days(a, &d0, &d1);
	uint64_t *cnt;
	struct idset seen = { 0 };
	size_t i, j;

	t->by = cohort_key;
	t->rows = NULL;
	t->nrows = 0;
	if (a->days.len == 0 || a->nusers == 0) {
		free(u);
		t->rows = xcalloc(1, sizeof(*t->rows));
		return;
	}
	w0 = ltime_week_start(d0);
	nweeks = (ltime_week_start(d1) - w0) / 7 + 1;
	cnt = xcalloc((size_t)nweeks * (size_t)nweeks, sizeof(*cnt));  /* [cohort][offset] */
	for (i = 0; i < a->days.len; i++) {
		const struct grp *g = &a->days.rows[i];
		int32_t wk = (ltime_week_start((int32_t)g->num) - w0) / 7;

		for (j = 0; j < g->users.cap; j++) {
			uint32_t x = g->users.keys[j] ? idmap_get(&a->user_map, g->users.keys[j]) : UINT32_MAX;

			if (x == UINT32_MAX)
				continue;
			c = (ltime_week_start(u[x].first) - w0) / 7;
			if (idset_add(&seen, hash_u64(g->users.keys[j] ^ (uint64_t)wk * 0x9e3779b97f4a7c15ULL)))
				cnt[c * nweeks + (wk - c)]++;
		}
	}
	t->rows = xcalloc((size_t)nweeks + 1, sizeof(*t->rows));
	for (c = 0; c < nweeks; c++) {
		struct grow *g = &t->rows[t->nrows];
		char wk[16];

		if (cnt[c * nweeks] == 0)
			continue;
		ltime_fmt_week(w0 + 7 * c, wk);
		mlist_strdup(&g->keys, "cohort", wk, MS_KEY);
		mlist_int(&g->vals, week_names[0], (int64_t)cnt[c * nweeks], MU_COUNT, MS_USERS);
		for (k = 1; k <= COHORT_WEEKS; k++)
			mlist_num(&g->vals, week_names[k], c + k < nweeks ?
			    (double)cnt[c * nweeks + k] / (double)cnt[c * nweeks] : NAN, MU_RATIO, MS_USERS);
		t->nrows++;
	}
	idset_free(&seen);
	free(cnt);
	free(u);
}

static const struct agg *sort_a;

static int
cmp_requests(const void *x, const void *y)
{
	const struct user *a = &sort_a->users[*(const size_t *)x], *b = &sort_a->users[*(const size_t *)y];

	if (a->requests != b->requests)
		return a->requests > b->requests ? -1 : 1;
	return strcmp(a->id, b->id);
}

struct seg {
	const char *name;
	uint64_t users, requests;
	i128 cost;
};

static void
seg_add(struct seg *s, const struct user *u)
{
	s->users++;
	s->requests += u->requests;
	s->cost += u->cost;
}

static const char *const segment_key[] = { "segment", NULL };

void
cohort_segments(struct ktable *t, const struct agg *a)
{
	struct seg s[4] = { { "power", 0, 0, 0 }, { "new", 0, 0, 0 }, { "at_risk", 0, 0, 0 }, { "all", 0, 0, 0 } };
	size_t n = a->nusers, i, npower = (size_t)ceil(0.1 * (double)n - 1e-9);
	size_t *idx = xmalloc((n + 1) * sizeof(*idx));
	int32_t d0, d1;
	struct uday *u = user_days(a, &d0, &d1);

	for (i = 0; i < n; i++)
		idx[i] = i;
	sort_a = a;
	qsort(idx, n, sizeof(*idx), cmp_requests);
	for (i = 0; i < n; i++) {
		const struct user *x = &a->users[idx[i]];
		const struct uday *ud = &u[idx[i]];

		if (i < npower)
			seg_add(&s[0], x);
		if (ud->first != INT32_MAX && ud->first > d1 - 7)
			seg_add(&s[1], x);
		if (ud->early > 0 && 2 * ud->late < ud->early)
			seg_add(&s[2], x);
		seg_add(&s[3], x);
	}
	t->by = segment_key;
	t->rows = xcalloc(5, sizeof(*t->rows));
	t->nrows = 4;
	for (i = 0; i < 4; i++) {
		struct grow *g = &t->rows[i];

		mlist_str(&g->keys, "segment", s[i].name, MS_KEY);
		mlist_int(&g->vals, "users", (int64_t)s[i].users, MU_COUNT, MS_USERS);
		mlist_int(&g->vals, "requests", (int64_t)s[i].requests, MU_COUNT, MS_USERS);
		mlist_num(&g->vals, "total_cost", pico_to_usd(s[i].cost), MU_USD, MS_COST);
		mlist_num(&g->vals, "cost_share", s[3].cost ? (double)s[i].cost / (double)s[3].cost : NAN, MU_RATIO, MS_COST);
	}
	free(idx);
	free(u);
}
