/* fuzz_state.c - libFuzzer harness for state files: any bytes given to
 * state_read must be refused cleanly or merged, never crash; a state that
 * is merged must report without fault. Seeds: real states of the fixtures.
 * Inputs that start with the magic get their length field and checksum
 * fixed up first, so mutations reach the body parser instead of stopping
 * at the checksum. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "kpis.h"
#include "ltime.h"
#include "render.h"
#include "state.h"
#include "util.h"
#include "input.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ltime_zone tz;
static struct agg_conf aconf;
static const char *const keys[AGG_MAX_TABLES] = { 0 };
static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (ltime_zone_init(&tz, NULL) < 0)
		abort();
	aconf.alpha = 0.01;
	aconf.requery_us = 30000000;
	aconf.slow_us = 10000000;
	aconf.tz = &tz;
	devnull = fopen("/dev/null", "w");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agg a;
	struct kpis k;
	struct render_conf rc = { .format = FMT_JSON };
	char err[256];

	uint8_t *p = malloc(size ? size : 1);
	uint64_t h;
	size_t i;

	memcpy(p, data, size);
	if (size >= INPUT_STATE_MAGIC_LEN + 24 && memcmp(p, INPUT_STATE_MAGIC, INPUT_STATE_MAGIC_LEN) == 0) {
		for (i = 0; i < 8; i++)
			p[INPUT_STATE_MAGIC_LEN + i] = (uint8_t)((uint64_t)size >> (8 * i));
		h = hash64(p, size - 8, 0x57a7e);
		for (i = 0; i < 8; i++)
			p[size - 8 + i] = (uint8_t)(h >> (8 * i));
	}
	agg_init(&a, &aconf);
	if (state_read(p, size, &a, keys, INT64_MIN, INT64_MAX, err, sizeof(err)) == 0) {
		kpis_compute(&k, &a, NULL);
		render_summary(devnull, &k, &rc);
		kpis_free(&k);
	}
	agg_free(&a);
	free(p);
	return 0;
}
