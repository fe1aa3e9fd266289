/* fuzz_prices.c - libFuzzer harness for src/prices_load.c and prices.c.
 *
 * The input is a price file (LiteLLM JSON or CSV): it is written to a
 * memfd and loaded with prices_load through /proc/self/fd/N, into an empty
 * table or, for one input in four, into the built-in table. Then lookups
 * with names taken from the input and price_cost_pico on a record made
 * from its bytes. Properties: prices_load returns -1 with a message, or a
 * count >= 0; a cost is never negative. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "prices.h"
#include "record.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_prices: property failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"gpt-4o", "gpt-4o-mini", "openai/gpt-4o", "claude-3-5-sonnet-20241022",
	"anthropic/claude-3-5-sonnet-20241022", "us.anthropic.claude-3-haiku-20240307-v1:0",
	"vertex_ai/gemini-1.5-pro@001", "openrouter/openai/gpt-4o", "GPT-4O", "", "a",
	"azure/", "bedrock/eu.", "-v1:0", "@", "/",
};

static void
cost_of(const struct price *pr, const uint8_t *data, size_t size)
{
	struct record r;
	int64_t c;
	uint64_t x = 0;

	memset(&r, 0, sizeof(r));
	if (size >= 8)
		memcpy(&x, data, 8);
	r.has = R_IN | R_OUT | R_CACHED | R_CWRITE;
	r.input_tokens = (int64_t)(x % 1000000001ULL);
	r.output_tokens = (int64_t)((x >> 16) % 1000000001ULL);
	r.cached_tokens = r.input_tokens / 3;
	r.cache_write_tokens = r.input_tokens / 5;
	c = price_cost_pico(pr, &r);
	CHECK(c >= 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	struct prices *p;
	const struct price *pr;
	long n;
	size_t i, off;
	int fd = memfd_create("fuzz_prices", 0);

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	p = size % 4 == 0 ? prices_builtin() : prices_new();
	err[0] = '\0';
	n = prices_load(p, path, err, sizeof(err));
	close(fd);
	CHECK(n >= -1);
	if (n < 0)
		CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((pr = prices_find(p, names[i], strlen(names[i]))) != NULL)
			cost_of(pr, data, size);
	/* names cut from the input: each line's first field */
	for (off = 0; off < size;) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (data + off)) : size - off;
		const uint8_t *comma = memchr(data + off, ',', len);
		size_t k = comma ? (size_t)(comma - (data + off)) : len;
		char *name = malloc(k ? k : 1);

		if (name == NULL)
			break;
		if (k)
			memcpy(name, data + off, k);
		if ((pr = prices_find(p, name, k)) != NULL)
			cost_of(pr, data, size);
		free(name);
		off += len + 1;
	}
	{
		char *whole = malloc(size ? size : 1);

		if (whole != NULL) {
			if (size)
				memcpy(whole, data, size);
			if ((pr = prices_find(p, whole, size)) != NULL)
				cost_of(pr, data, size);
			free(whole);
		}
	}
	prices_free(p);
	return 0;
}
