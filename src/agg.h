/* agg.h - the aggregate state of everything read: exact counters in
 * integers, DDSketches, user, session, day and group tables, and the compact
 * per-request session data. A value with a merge: threads and state files
 * combine with agg_merge, and no result depends on how the input was split
 * or ordered. */
#ifndef LLMSTAT_AGG_H
#define LLMSTAT_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "ddsketch.h"
#include "ltime.h"
#include "record.h"
#include "rqlog.h"
#include "rqspill.h"
#include "util.h"

#define FB_BINS 12
#define AGG_MAX_TABLES 12       /* breakdowns kept in one run */              /* rounded ratings -1 .. 10 */

/* Additive counts of a set of requests (the whole input, a group, a day). */
struct counts {
	uint64_t requests;      /* records accepted */
	uint64_t errors, s4xx, s5xx, rate_limited, timeouts;
	uint64_t cache_hits;
	uint64_t priced;        /* requests with a cost (log or price table) */
	uint64_t unpriced;      /* requests with no cost and no price */
	i128 cost;              /* pico-USD */
	i128 cache_savings;     /* pico-USD that cache hits would have cost */
	uint64_t in_tok, out_tok, cached_tok, cwrite_tok;
	uint64_t tok_n;         /* requests with input or output tokens */
	uint64_t lat_n;         /* requests with a latency */
	int64_t lat_sum, lat_max;       /* us */
	uint64_t ttft_n;
	int64_t ttft_sum;       /* us */
	uint64_t ok_out_n, ok_out_tok;  /* successful requests with output tokens */
	uint64_t fb_n;          /* requests with a rating */
	int64_t fb_milli;       /* sum of ratings * 1000, as given */
	uint64_t fb_hist[FB_BINS];      /* by rounded rating, index rating + 1 */
	uint64_t regen_flagged; /* records with regenerated = true */
	uint64_t has_regen;     /* records carrying the regenerated field */
	uint64_t has_success;   /* records carrying the success field */
	uint64_t with_session;  /* requests with a session id */
	uint64_t timed;         /* requests with a time */
	int64_t first_us, last_us;      /* extremes of time, when timed > 0 */
};

/* A group: counts, sketches and distinct users of one --by key or day. */
struct grp {
	uint64_t hash;          /* key hash (0 for the total) */
	const char *key;        /* key text, parts separated by '\x1f'; pooled */
	int64_t num;            /* numeric key (day number for the day table) */
	struct counts c;
	struct ddsketch lat, ttft, cost, tok, tpot; /* ms, ms, USD, tokens, ms */
	struct idset users;     /* hashes of distinct users */
};

struct gtable {
	struct idmap map;       /* key hash -> row */
	struct grp *rows;
	size_t len, cap;
};

struct user {
	uint64_t hash;
	const char *id;         /* pooled */
	uint64_t requests, errors, tokens, lat_n;
	i128a cost;             /* pico-USD */
	int64_t lat_sum;        /* us */
	int64_t first_us, last_us;      /* INT64_MAX / INT64_MIN when untimed */
};

/* A session. Sessions are the one table as big as the input (hundreds of
 * thousands in a million requests), so the record is kept to 112 bytes:
 * a session is known by the hash of its id (hash64, seed 5), the key of
 * its slot in sess_map; the id itself, which no report shows, is not kept. */
struct sess {
	uint64_t requests;      /* records carrying this session */
	i128a cost;             /* pico-USD */
	int64_t first_us;       /* earliest time; INT64_MAX when untimed */
	int64_t last_us, last_end;      /* the last request by time: its time, time + latency */
	int64_t outcome_us;     /* time of the outcome below */
	uint64_t user;          /* hash of the user of the first request (0 none) */
	int64_t user_us;        /* its time */
	uint64_t feature;       /* hash of the feature of the first request */
	const char *feature_s;  /* pooled once per feature */
	int64_t feature_us;
	uint32_t held, held_gen;        /* its timed requests in memory: the
	                                   table's held[held] when held_gen is
	                                   the table's gen (see struct sesstab) */
	int8_t last_err;        /* error state of that request; -1 none timed */
	int8_t outcome;         /* success of the last record carrying one; -1 none */
};

/* A --score signal: exact count and sum, and its distribution. */
struct signal {
	uint64_t n;
	i128 sum;               /* values * 1e6, rounded */
	struct ddsketch sk;
};

/* One request slower than --slow-ms, for the slow report. */
struct slow {
	int64_t latency_us, time_us;    /* time INT64_MIN when untimed */
	const char *request, *model, *user;     /* pooled, NULL when absent */
	int32_t status;
};

#define SLOW_KEEP 1000          /* the slowest requests kept */

/* What one request adds to its session: built by session_add and applied
 * by the aggregate that owns the session (see struct agg_route). */
struct sess_upd {
	uint64_t sess;          /* session hash */
	uint64_t user;          /* user hash, 0 none */
	uint64_t prompt;        /* prompt hash, 0 none */
	int64_t time_us;        /* INT64_MIN: untimed */
	int64_t end_us;         /* time + latency */
	int64_t cost_pico;      /* 0 when unpriced */
	uint64_t feature;       /* feature hash; 0 with feature_s set: not hashed yet */
	const char *feature_s;  /* NULL none; else valid until the owner applies it */
	uint32_t feature_n;
	int8_t success;         /* -1 none */
	uint8_t error;
};

/* Sessions split between workers: a session whose table (hash modulo
 * the aggregate's nst) is not table part is handed to fn(ctx, its table,
 * update) instead of being added here, so each session lives in one
 * worker's table (half the memory at -j2, and a merge without overlap).
 * fn NULL: every session is added here. */
struct agg_route {
	int part;
	void (*fn)(void *ctx, int part, const struct sess_upd *u);
	void *ctx;
};

/* A session with requests in memory: its hash and its chain. */
struct held {
	uint64_t hash;
	struct rqchain rq;
};

/* Sums over a table's sessions, kept as the sessions change (so the KPIs
 * need not walk 300K rows at the end): tasks and successes by logged
 * outcome and by inferred error state (the inferred tasks are the timed
 * sessions), the timed sessions' durations, and the sessions' cost. */
struct sess_sums {
	int64_t ltasks, lok;    /* outcome >= 0, outcome == 1 */
	int64_t itasks, iok;    /* last_err >= 0 (timed), last_err == 0 */
	int64_t dur_us;         /* last_end - first_us of the timed ones */
	i128 cost;              /* pico-USD */
};

/* One part of an aggregate's sessions: those whose hash modulo the number
 * of parts is its index. A run with N workers splits its sessions in N
 * parts, one filled by each worker, and the final aggregate takes them
 * over whole: the parts never overlap, so nothing is merged at the end.
 * Every other aggregate has one part. */
struct sesstab {
	struct idmap map;       /* session hash -> rows index */
	struct sess *rows;
	size_t n, cap;
	struct rqlog rq;        /* the sessions' timed requests, in memory */
	struct held *held;      /* the sessions with requests in rq, nheld of them */
	size_t nheld, held_cap;
	struct held *sorted;    /* a spill's scratch, kept: fresh pages fault */
	size_t sorted_cap, *bucket, bucket_cap;
	uint32_t gen;           /* bumped when rq is emptied: every row lets go
	                           (from 1; 2^32 spills of rq_budget bytes
	                           would be needed to wrap) */
	struct rqspill spill;   /* ... and those written out (past rq_budget bytes) */
	size_t rq_budget;
	uint64_t nsreqs;        /* entries in rq and spill */
	struct sess_sums sums;  /* over rows, kept up to date */
	struct idmap feat_map;  /* feature hash -> feat_names index */
	const char **feat_names;        /* in pool */
	size_t nfeat, feat_cap;
	struct strpool pool;    /* the sessions' feature names */
};

struct agg_conf {
	double alpha;           /* sketch accuracy, 0.01 */
	int64_t requery_us;     /* --requery-window */
	const struct ltime_zone *tz;
	int ntables;            /* group tables kept (--by and reports) */
	int64_t slow_us;        /* --slow-ms threshold, us */
	int nscores, nflags;    /* --score and --flag signals */
	char *const *score_names, *const *flag_names;
};

struct agg {
	const struct agg_conf *conf;
	struct grp total;
	struct gtable days;     /* keyed by local day number */
	struct gtable groups[AGG_MAX_TABLES];   /* one per breakdown */
	struct idmap user_map;  /* hash -> users index */
	struct user *users;
	size_t nusers, users_cap;
	struct sesstab *st;     /* nst parts: session h lives in st[h % nst] */
	unsigned nst;
	struct idmap minute_map;        /* local minute -> minute_counts index */
	uint64_t *minute_counts;
	int64_t *minute_keys;
	size_t nminutes, minutes_cap;
	int64_t last_day, last_minute;  /* the last looked up (logs come in time order) */
	size_t last_day_row, last_minute_idx;   /* their rows; valid when the key is not INT64_MIN */
	struct idmap unpriced_map;      /* model hash -> unpriced_models index */
	const char **unpriced_names;    /* pooled */
	uint64_t *unpriced_counts;
	size_t nunpriced, unpriced_cap;
	/* data quality: every line lands in exactly one of these counts */
	uint64_t lines_read, blank_lines, rejected_lines, duplicate_records,
	         filtered_records;
	uint64_t feedback_records;      /* ratings joined to their request (PostHog) */
	uint64_t extra_records;         /* records beyond the first of a line (OTLP) */
	struct { const char *file, *schema, *label; } *inputs;  /* pooled; not in states */
	size_t ninputs, inputs_cap;
	uint64_t invalid_values;
	struct slow *slow;      /* requests over conf->slow_us, at most 2 * SLOW_KEEP */
	size_t nslow, slow_cap;
	struct signal score[SIGNALS_MAX];
	uint64_t flag_n[SIGNALS_MAX], flag_true[SIGNALS_MAX];
	struct strpool pool;
	struct ltime_cache tzc;
	struct agg_route route;        /* zero: no routing */
};

/* Adds a rating given apart from its request (PostHog's $ai_metric): it
 * counts in the feedback figures of the total and of the groups its own
 * fields put it in. */
void agg_add_feedback(struct agg *a, const struct record *r, char *const *keys, const size_t *keylen);
/* Records that file was read with the named schema (for the summary). */
void agg_note_input(struct agg *a, const char *file, const char *schema);

/* Initialises an empty aggregate; conf must outlive it. Can't fail. */
void agg_init(struct agg *a, const struct agg_conf *conf);
/* Frees everything the aggregate owns; NULL is a no-op. */
void agg_free(struct agg *a);

/* Adds one accepted record. keys[t] (keylen[t] bytes) is its key text in
 * group table t, for t < conf->ntables (parts separated by '\x1f').
 * Can't fail (dies on out of memory). */
void agg_add(struct agg *a, const struct record *r, char *const *keys, const size_t *keylen);

/* Adds src into dst. Returns 0, or -1 when their settings differ (alpha,
 * requery window, zone). src is left unmodified. */
int agg_merge(struct agg *dst, const struct agg *src);
/* As agg_merge, but src's sessions are moved, not copied: a table of src
 * that a has empty (the workers' aggregates at the end of a run: each
 * filled its own) changes hands whole; any other is merged and freed.
 * src keeps no session, and dst routes no more. */
int agg_fold(struct agg *dst, struct agg *src);

/* Merging single entries (used when loading a state file): each adds its
 * entry to a's table as agg_merge would. table is a group table index, or
 * -1 for the day table. */
void agg_merge_grp(struct agg *a, int table, const struct grp *g);
void agg_merge_user(struct agg *a, const struct user *u);
void agg_merge_sess(struct agg *a, uint64_t hash, const struct sess *s);
/* Calls fn for every session with its hash, by hash. */
void agg_each_sess(const struct agg *a, void (*fn)(void *, uint64_t, const struct sess *), void *arg);
/* Adds a request to its session, which must be in a already: returns 0,
 * or -1 (nothing done) when it is not. */
int agg_merge_sreq(struct agg *a, const struct rqkey *q);
/* Calls fn for every stored session request: sessions by hash, each
 * session's requests by (start, end, prompt). */
void agg_each_sreq(const struct agg *a, void (*fn)(void *, const struct rqkey *), void *arg);
/* What the KPIs take from every session, over every table: re-queries
 * and inferred regenerations (pairs of consecutive requests of a session,
 * by time, within the re-query window / with the same prompt: each
 * table's stream read in a thread of its own), and from the tables' sums,
 * tasks and successes (agg_task_outcome's rule), timed sessions and the
 * sum of their durations, and the sessions' cost. */
struct sess_totals {
	uint64_t requery, regen;
	uint64_t tasks, ok;
	uint64_t timed;
	int64_t dur_us;
	i128 cost;              /* pico-USD */
};
void agg_session_totals(const struct agg *a, struct sess_totals *t);
/* A session's task outcome under the rules of KPIS.md: 1 succeeded,
 * 0 failed, -1 not a task (the logged success when any record carries
 * one, else inferred from the last request's error state). */
int agg_task_outcome(const struct agg *a, const struct sess *s);
void agg_merge_minute(struct agg *a, int64_t minute, uint64_t count);
void agg_merge_unpriced(struct agg *a, const char *model, uint64_t count);
void agg_merge_signals(struct agg *a, const struct agg *s);
void agg_merge_slow(struct agg *a, const struct slow *s);
/* The order of slow requests (struct slow): slowest first, ties broken by
 * every other field, so the SLOW_KEEP kept never depend on input order. */
int agg_slow_cmp(const void *x, const void *y);
/* Sorts the slow requests, slowest first, and keeps SLOW_KEEP of them. */
void agg_slow_sort(struct agg *a);

/* Between agg.c and session.c, the two files of this module: the session
 * tables made and freed, adding a record with a session, merging src's
 * sessions into a, folding them (taken over, not copied). */
void sessions_init(struct agg *a, unsigned nparts);
void sessions_free(struct agg *a);
void session_add(struct agg *a, uint64_t sess, const struct record *r, uint64_t user);
void sessions_merge(struct agg *a, const struct agg *src);
void sessions_fold(struct agg *a, struct agg *src);
void agg_sess_prefetch(const struct agg *a, uint64_t hash);

/* Splits a's (empty) sessions in nparts tables, of which a fills table
 * part and hands what the others' sessions get to fn(ctx, part, update). */
void agg_partition(struct agg *a, unsigned nparts, unsigned part,
                   void (*fn)(void *, int, const struct sess_upd *), void *ctx);
/* Sessions, and their timed requests, in every table of a. */
size_t agg_nsess(const struct agg *a);
uint64_t agg_nsreqs(const struct agg *a);
/* Walks every session of a in no set order, for order-free sums: start
 * with *p = *i = 0; returns NULL past the last. */
const struct sess *agg_sess_next(const struct agg *a, unsigned *p, size_t *i);
/* Makes room for n more sessions (spread over the tables). */
void agg_reserve_sess(struct agg *a, size_t n);

/* Applies an update made by session_add (of this aggregate or another
 * one's, routed here). Can't fail. */
void agg_apply_sess(struct agg *a, const struct sess_upd *u);

/* Counts helpers used by kpis. */
void counts_merge(struct counts *dst, const struct counts *src);
void grp_init(struct grp *g, double alpha);
void grp_free(struct grp *g);
void grp_merge(struct grp *dst, const struct grp *src);

#endif
