/* fuzz_line.c - libFuzzer harness for the whole data path: the input is a
 * JSONL buffer, read with run_buffer() into an aggregate set up as
 * src/main.c does (every preset, auto-detected; UTC; --by model,day,metadata.env), then
 * kpis_compute and every renderer (summary and groups; table, CSV, JSON).
 *
 * Properties checked (promised by README.md):
 *   - every line is counted once: lines_read + extra_records = blank_lines +
 *     rejected_lines + duplicate_records + filtered_records + feedback_records
 *     + requests (inputs of any format, told apart by preset_detect), and lines_read is
 *     the number of '\n'-separated lines of the input;
 *   - the JSON output is valid RFC 8259 JSON (so no NaN or Infinity) and
 *     valid UTF-8;
 *   - the table output (no colour) holds no control character but '\n',
 *     no DEL and no C1 control: nothing from the input reaches the
 *     terminal raw. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "bykey.h"
#include "jsonscan.h"
#include "kpis.h"
#include "ltime.h"
#include "preset.h"
#include "prices.h"
#include "render.h"
#include "run.h"
#include "schema.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_line: property failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct schema schema, presets[P_COUNT];
static struct ltime_zone tz;
static struct agg_conf aconf;
static struct bykey keys;
static const struct bykey *keyp[AGG_MAX_TABLES];
static struct run_conf rconf;
static struct prices *prices;
static struct js_paths *nopaths;
static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	schema_init_base(&schema);
	if (ltime_zone_init(&tz, NULL) < 0)
		abort();
	aconf.alpha = 0.01;
	aconf.requery_us = 30000000;
	aconf.tz = &tz;
	aconf.ntables = 1;
	if (bykey_parse(&keys, "model,day,metadata.env", &schema, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_line: %s\n", err);
		abort();
	}
	keyp[0] = &keys;
	for (int i = 0; i < P_COUNT; i++)       /* every format, told apart per input */
		if (preset_schema(&presets[i], &schema, i, NULL, 0, NULL, err, sizeof(err)) < 0)
			abort();
	prices = prices_builtin();
	rconf.schemas = presets;
	rconf.schema_id = -1;
	rconf.agg = &aconf;
	rconf.by = keyp;
	rconf.prices = prices;
	rconf.filter = NULL;
	rconf.use_log_cost = 1;
	rconf.jobs = 1;
	rconf.max_messages = 10;
	rconf.quiet = 1;
	rconf.keys[0] = keys.spec;
	nopaths = js_paths_new();
	devnull = fopen("/dev/null", "w");
	if (devnull == NULL)
		abort();
	return 0;
}

static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], lo = 0x80, hi = 0xBF;
		size_t need;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			lo = c == 0xE0 ? 0xA0 : 0x80;
			hi = c == 0xED ? 0x9F : 0xBF;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF;
		} else
			return 0;
		if (n - i <= need)
			return 0;
		for (size_t k = 1; k <= need; k++) {
			if (s[i + k] < lo || s[i + k] > hi)
				return 0;
			lo = 0x80;
			hi = 0xBF;
		}
		i += need + 1;
	}
	return 1;
}

static void
check_json(const char *buf, size_t len)
{
	struct js_err e;

	CHECK(len > 0 && buf[len - 1] == '\n');
	if (js_scan(nopaths, buf, len, NULL, &e) != 0) {
		fprintf(stderr, "fuzz_line: invalid JSON output at byte %zu (%s):\n%.*s\n",
		    e.pos, e.msg, (int)len, buf);
		abort();
	}
	CHECK(utf8_ok((const unsigned char *)buf, len));
}

static void
check_table(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;

	for (size_t i = 0; i < len; i++) {
		if ((s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f ||
		    (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] < 0xa0)) {
			fprintf(stderr, "fuzz_line: raw control byte 0x%02x at %zu of the table:\n%.*s\n",
			    s[i], i, (int)len, buf);
			abort();
		}
	}
}

static uint64_t
count_lines(const uint8_t *p, size_t n)
{
	uint64_t lines = 0;

	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines + (n > 0 && p[n - 1] != '\n');
}

/* Renders the summary (groups = 0) or the group table into memory and
 * checks the text. */
static void
render_checked(struct kpis *k, const struct render_conf *rc, int groups)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	CHECK(m != NULL);
	if (groups)
		CHECK(render_groups(m, k, &k->tables[0], NULL, rc) == 0);
	else
		CHECK(render_summary(m, k, rc) == 0);
	CHECK(fclose(m) == 0);
	if (rc->format == FMT_JSON)
		check_json(buf, len);
	else if (rc->format == FMT_TABLE)
		check_table(buf, len);
	free(buf);
}

/* Every format; the summary table costs a memstream per cell, so it is
 * drawn for one input in four (and the coloured narrow variant for
 * another), which keeps the harness fast without losing that code. */
static void
render_all(struct kpis *k, int format, size_t size)
{
	struct render_conf rc = { 0 };

	rc.format = format;
	rc.color = 0;
	rc.width = 100;
	rc.csv_guard = 1;
	rc.tz = &tz;
	if (format != FMT_TABLE || size % 4 == 0)
		render_checked(k, &rc, 0);
	render_checked(k, &rc, 1);
	if (format == FMT_TABLE && size % 4 != 1)
		return;
	/* colour on, a narrow terminal, no CSV guard: to /dev/null */
	rc.color = 1;
	rc.width = 30;
	rc.csv_guard = 0;
	CHECK(render_summary(devnull, k, &rc) == 0);
	CHECK(render_groups(devnull, k, &k->tables[0], NULL, &rc) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agg a;
	struct kpis k;
	struct kpis_conf kc = { 0 };
	char *copy = malloc(size ? size : 1);

	if (copy == NULL)
		return 0;
	if (size)
		memcpy(copy, data, size);
	agg_init(&a, &aconf);
	CHECK(run_buffer(&rconf, copy, size, &a) == 0);
	CHECK(a.lines_read + a.extra_records == a.blank_lines + a.rejected_lines +
	    a.duplicate_records + a.filtered_records + a.feedback_records + a.total.c.requests);
	CHECK(a.lines_read == count_lines(data, size));
	kc.ntables = 1;
	kc.by[0] = keys.names;
	kc.time_keys[0] = keys.time_keys;
	kpis_compute(&k, &a, &kc);
	render_all(&k, FMT_JSON, size);
	render_all(&k, FMT_CSV, size);
	render_all(&k, FMT_TABLE, size);
	kpis_free(&k);
	agg_free(&a);
	free(copy);
	return 0;
}
