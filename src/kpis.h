/* kpis.h - turns an aggregate into the named metrics of KPIS.md: the
 * summary, the data-quality counts and --by group rows. Renderers print
 * these and never compute. */
#ifndef LLMSTAT_KPIS_H
#define LLMSTAT_KPIS_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"

enum mkind { M_NULL, M_INT, M_NUM, M_STR, M_DATES, M_STRS, M_TIME, M_BOOL };

enum munit {
	MU_COUNT, MU_USD, MU_MS, MU_RATIO, MU_TOKENS, MU_RPS, MU_SCORE,
	MU_TEXT, MU_DATE, MU_TIME
};

enum msection {
	MS_VOLUME, MS_COST, MS_TOKENS, MS_LATENCY, MS_USERS, MS_QUALITY,
	MS_DAILY, MS_DATA, MS_KEY
};

struct metric {
	const char *name;       /* the stable KPIS.md name */
	uint8_t kind;           /* enum mkind */
	uint8_t unit;           /* enum munit */
	uint8_t section;        /* enum msection */
	int64_t i;              /* M_INT, M_BOOL (0/1); M_TIME: us since the epoch, UTC */
	double d;               /* M_NUM */
	const char *s;          /* M_STR (owned by the agg or static) */
	int32_t *days;          /* M_DATES: day numbers, owned by the mlist */
	const char **strs;      /* M_STRS: owned array of borrowed strings */
	char *own;              /* an owned copy that s points to, or NULL */
	size_t n;               /* entries in days / strs */
};

struct mlist {
	struct metric *m;
	size_t len, cap;
};

/* One row of a --by breakdown: key values then metrics. */
struct grow {
	struct mlist keys;      /* M_STR or M_NULL cells named by the keys */
	struct mlist vals;
};

/* A breakdown: rows sorted (by cost, or by key for time buckets). */
struct ktable {
	const char *const *by;  /* key names, NULL-terminated (borrowed) */
	struct grow *rows;
	size_t nrows;
};

struct kpis {
	struct mlist summary;   /* every metric of KPIS.md section 4 */
	struct mlist quality;   /* data quality, section 6 */
	struct mlist inputs;    /* "read_as": each file and its format (tables only) */
	struct ktable tables[AGG_MAX_TABLES];   /* one per group table */
	int ntables;
	int32_t *daily_days;    /* days with requests, ascending (for charts) */
	double *daily_cost;     /* their cost in USD */
	double *daily_p95;      /* their latency p95 in ms, NaN without latency */
	size_t ndaily;
};

struct kpis_conf {
	int ntables;
	const char *const *by[AGG_MAX_TABLES];  /* key names of each table */
	int time_keys[AGG_MAX_TABLES];  /* table t is sorted by key, not cost */
};

/* Computes everything from a. a is sorted in place (session requests) but
 * not otherwise changed. Can't fail. Free with kpis_free. */
void kpis_compute(struct kpis *k, struct agg *a, const struct kpis_conf *conf);
void kpis_free(struct kpis *k);

/* Frees a table's rows and their metrics; the table is empty again. */
void ktable_free(struct ktable *t);

/* The metric called name in l, or NULL. */
const struct metric *mlist_find(const struct mlist *l, const char *name);

/* Appending to a metric list (used by reports too). */
void mlist_int(struct mlist *l, const char *name, int64_t v, int unit, int section);
void mlist_num(struct mlist *l, const char *name, double v, int unit, int section);
void mlist_null(struct mlist *l, const char *name, int unit, int section);
void mlist_str(struct mlist *l, const char *name, const char *s, int section);
/* An owned copy of s. */
void mlist_strdup(struct mlist *l, const char *name, const char *s, int section);
void mlist_time(struct mlist *l, const char *name, int64_t us, int section);
void mlist_bool(struct mlist *l, const char *name, int v, int section);
void mlist_free(struct mlist *l);

#endif
