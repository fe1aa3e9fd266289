/* prices.h - the model price table: built-in list prices, LiteLLM's
 * model_prices_and_context_window.json or a simple CSV, and model-name
 * matching that is exact first, then through documented normalisations. */
#ifndef LLMSTAT_PRICES_H
#define LLMSTAT_PRICES_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* USD per token. A negative value means "not given" (see price_cost_pico). */
struct price {
	double in, out;                 /* input (uncached) and output */
	double cache_read, cache_write; /* prompt-cache read / write */
	int64_t tier;                   /* prompt size above which the *_above prices apply; 0 none */
	double in_above, out_above, cache_read_above, cache_write_above;
};

struct prices;

/* A table holding the built-in prices. Dies on out of memory. */
struct prices *prices_builtin(void);
/* An empty table (for --no-builtin-prices with --prices). */
struct prices *prices_new(void);
/* The date the built-in table was made, "YYYY-MM-DD". */
const char *prices_builtin_date(void);

/* Loads path into p, its entries replacing built-in ones of the same name:
 * LiteLLM's JSON (an object of model -> fields; "sample_spec" skipped;
 * entries without input_cost_per_token skipped) or a CSV with header
 * "model,input,output[,cache_read,cache_write]" in USD per million tokens.
 * Returns the number of models loaded, or -1 with a message in err. */
long prices_load(struct prices *p, const char *path, char *err, size_t errlen);

/* The price of model [name, name+n): the exact name first; then, in order,
 * the name lower-cased, without a provider prefix ("openai/", "anthropic/",
 * "bedrock/", "vertex_ai/", "azure/", "openrouter/<vendor>/", ...), without a
 * region prefix ("us.", "eu.", "apac."), without a version suffix "-vN:M" or
 * "@date"; and for each of those, the table's own keys compared after the
 * same normalisation. NULL when unknown: never guessed. Thread-safe. */
const struct price *prices_find(const struct prices *p, const char *name, size_t n);

/* Cost in pico-USD of a record at price pr: uncached input, cache reads,
 * cache writes and output, each at its rate (cache rates default to the
 * input rate when not given), the *_above rates when input_tokens > tier. */
int64_t price_cost_pico(const struct price *pr, const struct record *r);

/* For prices_load.c: adds or replaces the entry of model [name, name+n)
 * (the name is copied), and rebuilds the normalised-name index once a
 * file's entries are all in. */
void prices_add(struct prices *p, const char *name, size_t n, const struct price *pr);
void prices_reindex(struct prices *p);

/* Frees the table; NULL is a no-op. */
void prices_free(struct prices *p);

#endif
