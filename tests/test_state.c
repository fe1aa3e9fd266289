/* test_state.c - state files: shards saved at random split points and
 * merged in any order give the same report as one run over everything;
 * bad states are refused without a crash. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "agg.h"
#include "kpis.h"
#include "render.h"
#include "run.h"
#include "schema.h"
#include "state.h"

static struct schema schema;
static struct ltime_zone tz;
static struct agg_conf aconf;
static struct run_conf rconf;
static const char *const keys[AGG_MAX_TABLES] = { 0 };

static void
setup(void)
{
	schema_init_generic(&schema);
	ltime_zone_init(&tz, NULL);
	aconf.alpha = 0.01;
	aconf.requery_us = 30000000;
	aconf.tz = &tz;
	rconf.schema = &schema;
	rconf.agg = &aconf;
	rconf.use_log_cost = 1;
	rconf.jobs = 1;
}

TestSuite(state, .init = setup);

static char *
fixture(const char *name, size_t *len)
{
	char path[4096];
	const char *root = getenv("LLMSTAT_ROOT");
	FILE *f;
	char *buf;

	snprintf(path, sizeof(path), "%s/fixtures/%s", root ? root : ".", name);
	f = fopen(path, "rb");
	cr_assert(f != NULL, "cannot open %s", path);
	buf = malloc(4 << 20);
	*len = fread(buf, 1, 4 << 20, f);
	fclose(f);
	return buf;
}

/* The JSON summary of an aggregate, as a malloc'd string. */
static char *
report(struct agg *a)
{
	struct kpis k;
	struct render_conf rc = { .format = FMT_JSON };
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	kpis_compute(&k, a, NULL);
	render_summary(m, &k, &rc);
	fclose(m);
	kpis_free(&k);
	return out;
}

static char *
save(struct agg *a, size_t *len)
{
	char *out = NULL;
	FILE *m = open_memstream(&out, len);

	cr_assert_eq(state_write(m, a, keys), 0);
	fclose(m);
	return out;
}

/* Splits the sample at random line boundaries, saves each shard's state,
 * merges them in a shuffled order and compares with one pass. */
Test(state, random_shards_merge_exactly)
{
	size_t len, cut[6], i, j, n = 0;
	char *buf = fixture("sample.jsonl", &len), *want, *got;
	struct agg whole, merged;
	unsigned seed = 12345;

	agg_init(&whole, &aconf);
	run_buffer(&rconf, buf, len, &whole);
	want = report(&whole);
	for (int round = 0; round < 5; round++) {
		char *states[6];
		size_t slen[6], order[6];

		cut[0] = 0;
		for (i = 1; i < 5; i++) {       /* cut just after a random newline */
			size_t at = (size_t)rand_r(&seed) % len;

			while (at < len && buf[at] != '\n')
				at++;
			cut[i] = at < len ? at + 1 : len;
		}
		cut[5] = len;
		for (i = 1; i < 5; i++)          /* sort the cuts */
			for (j = i + 1; j < 5; j++)
				if (cut[j] < cut[i]) {
					size_t t = cut[i];

					cut[i] = cut[j];
					cut[j] = t;
				}
		for (i = 0; i < 5; i++) {
			struct agg part;

			agg_init(&part, &aconf);
			run_buffer(&rconf, buf + cut[i], cut[i + 1] - cut[i], &part);
			states[i] = save(&part, &slen[i]);
			agg_free(&part);
			order[i] = i;
		}
		for (i = 4; i > 0; i--) {        /* shuffle the merge order */
			size_t k = (size_t)rand_r(&seed) % (i + 1), t = order[i];

			order[i] = order[k];
			order[k] = t;
		}
		agg_init(&merged, &aconf);
		for (i = 0; i < 5; i++) {
			char err[256];

			cr_assert_eq(state_read((unsigned char *)states[order[i]], slen[order[i]], &merged, keys,
			    INT64_MIN, INT64_MAX, err, sizeof(err)), 0, "%s", err);
		}
		got = report(&merged);
		if (strcmp(got, want) != 0) {
			FILE *dbg = fopen("/tmp/state_dbg_got", "w");

			fputs(got, dbg);
			fclose(dbg);
			dbg = fopen("/tmp/state_dbg_want", "w");
			fputs(want, dbg);
			fclose(dbg);
		}
		cr_assert_str_eq(got, want, "round %d: merged states differ from one pass", round);
		free(got);
		agg_free(&merged);
		for (i = 0; i < 5; i++)
			free(states[i]);
		n++;
	}
	cr_assert_eq(n, 5);
	free(want);
	agg_free(&whole);
	free(buf);
}

Test(state, truncated_and_corrupt_refused)
{
	size_t len, slen, i;
	char *buf = fixture("small.jsonl", &len), *st, err[256];
	struct agg a, b;

	agg_init(&a, &aconf);
	run_buffer(&rconf, buf, len, &a);
	st = save(&a, &slen);
	for (i = 0; i < slen; i++) {            /* every prefix */
		agg_init(&b, &aconf);
		cr_assert_eq(state_read((unsigned char *)st, i, &b, keys, INT64_MIN, INT64_MAX, err, sizeof(err)), -1);
		cr_assert_eq(b.total.c.requests, 0, "a refused state must leave the aggregate alone");
		agg_free(&b);
	}
	for (i = 0; i < slen; i += 7) {         /* byte flips */
		st[i] ^= 0x5a;
		agg_init(&b, &aconf);
		cr_assert_eq(state_read((unsigned char *)st, slen, &b, keys, INT64_MIN, INT64_MAX, err, sizeof(err)), -1);
		agg_free(&b);
		st[i] ^= 0x5a;
	}
	free(st);
	agg_free(&a);
	free(buf);
}

Test(state, settings_must_match)
{
	size_t len, slen;
	char *buf = fixture("small.jsonl", &len), *st, err[256];
	struct agg a, b;
	struct agg_conf other = aconf;

	agg_init(&a, &aconf);
	run_buffer(&rconf, buf, len, &a);
	st = save(&a, &slen);
	other.requery_us = 10000000;
	agg_init(&b, &other);
	cr_assert_eq(state_read((unsigned char *)st, slen, &b, keys, INT64_MIN, INT64_MAX, err, sizeof(err)), -1);
	cr_assert(strstr(err, "--requery-window") != NULL, "message names the setting: %s", err);
	agg_free(&b);
	free(st);
	agg_free(&a);
	free(buf);
}

static int
sh(const char *cmd)
{
	char full[8192];
	const char *root = getenv("LLMSTAT_ROOT"), *bin = getenv("LLMSTAT_BIN");
	int st;

	snprintf(full, sizeof(full), "cd '%s' && L='%s' && %s", root ? root : ".", bin ? bin : "./llmstat", cmd);
	st = system(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The README's GNU parallel recipes give the report of one plain run. */
Test(state, gnu_parallel_recipes)
{
	if (sh("command -v parallel >/dev/null") != 0)
		cr_skip_test("GNU parallel is not installed (make deps-test installs it)");
	cr_assert_eq(sh("d=$(mktemp -d) && \"$L\" -f json fixtures/sample.jsonl > $d/want && "
	    "parallel --pipepart -a fixtures/sample.jsonl --block 200k \"$L\" --save-state - -q | "
	    "\"$L\" -f json - > $d/got && cmp $d/want $d/got && rm -r $d"), 0);
	cr_assert_eq(sh("d=$(mktemp -d) && split -l 700 fixtures/sample.jsonl $d/part. && "
	    "\"$L\" -f json $d/part.* > $d/want && "
	    "parallel \"$L\" --save-state {}.st -q {} '>' /dev/null ::: $d/part.* && "
	    "\"$L\" -f json $d/part.*.st > $d/got && cmp $d/want $d/got && rm -r $d"), 0);
}

/* States saved by the command line keep the breakdowns every report needs:
 * any report over the merged states equals the report over the logs. */
Test(state, any_report_from_states)
{
	cr_assert_eq(sh("d=$(mktemp -d) && split -l 911 fixtures/sample.jsonl $d/p. && "
	    "for f in $d/p.*; do \"$L\" --save-state $f.st -q $f > /dev/null || exit 9; done && "
	    "for r in summary daily weekly hourly models providers features errors users top-users "
	    "feedback sessions retention slow anomalies; do "
	    "\"$L\" $r -f json fixtures/sample.jsonl > $d/want && "
	    "\"$L\" $r -f json $(ls -r $d/*.st) > $d/got && cmp -s $d/want $d/got || { echo \"$r differs\"; exit 1; }; "
	    "done; rm -r $d"), 0);
	cr_assert_eq(sh("d=$(mktemp -d) && \"$L\" --save-state $d/s.st -q fixtures/small.jsonl > /dev/null && "
	    "\"$L\" --by user -q $d/s.st > /dev/null 2>&1; rc=$?; rm -r $d; exit $rc"), 1,
	    "a breakdown the state does not carry is refused");
}

static void
last_sreq(void *arg, const struct rqkey *q)
{
	*(uint64_t *)arg = q->sess;
}

/* A session request that names no session of its state is corruption,
 * even under a valid checksum. */
Test(state, orphan_session_request_refused)
{
	size_t len, slen, i, at = 0;
	char *buf = fixture("sample.jsonl", &len), *st, err[256];
	unsigned char h8[8];
	uint64_t h = 0, sum;
	struct agg a, b;

	agg_init(&a, &aconf);
	run_buffer(&rconf, buf, len, &a);
	agg_each_sreq(&a, last_sreq, &h);
	cr_assert_neq(h, 0, "the fixture has timed sessions");
	st = save(&a, &slen);
	for (i = 0; i < 8; i++)
		h8[i] = (unsigned char)(h >> (8 * i));
	for (i = 0; i + 8 <= slen - 8; i++)     /* the last copy of the hash: a request's */
		if (memcmp(st + i, h8, 8) == 0)
			at = i;
	cr_assert_gt(at, 0);
	st[at] ^= 1;
	sum = hash64(st, slen - 8, 0x57a7e);
	for (i = 0; i < 8; i++)
		st[slen - 8 + i] = (char)(sum >> (8 * i));
	agg_init(&b, &aconf);
	cr_assert_eq(state_read((unsigned char *)st, slen, &b, keys, INT64_MIN, INT64_MAX, err, sizeof(err)), -1);
	cr_assert(strstr(err, "corrupt") != NULL, "%s", err);
	agg_free(&b);
	st[at] ^= 1;                            /* and the same bytes, intact, are read */
	sum = hash64(st, slen - 8, 0x57a7e);
	for (i = 0; i < 8; i++)
		st[slen - 8 + i] = (char)(sum >> (8 * i));
	agg_init(&b, &aconf);
	cr_assert_eq(state_read((unsigned char *)st, slen, &b, keys, INT64_MIN, INT64_MAX, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(agg_nsreqs(&b), agg_nsreqs(&a));
	agg_free(&b);
	free(st);
	agg_free(&a);
	free(buf);
}
