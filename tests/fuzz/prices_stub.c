/* prices_stub.c - a stand-in for src/prices.c, linked into the fuzz
 * harnesses only while src/prices.c does not exist: an empty price table
 * that knows no model, so run.c links and every request is unpriced.
 * Every definition is weak: a real one (src/prices_table.c defines
 * prices_builtin_date) wins at link time. */
#include <stdio.h>
#include <stdlib.h>

#include "prices.h"

struct prices {
	int unused;
};

__attribute__((weak)) struct prices *
prices_new(void)
{
	struct prices *p = calloc(1, sizeof(*p));

	if (p == NULL)
		abort();
	return p;
}

__attribute__((weak)) struct prices *
prices_builtin(void)
{
	return prices_new();
}

__attribute__((weak)) const char *
prices_builtin_date(void)
{
	return "0000-00-00";
}

__attribute__((weak)) long
prices_load(struct prices *p, const char *path, char *err, size_t errlen)
{
	(void)p;
	snprintf(err, errlen, "%s: price tables are not built in (stub)", path);
	return -1;
}

__attribute__((weak)) const struct price *
prices_find(const struct prices *p, const char *name, size_t n)
{
	(void)p;
	(void)name;
	(void)n;
	return NULL;
}

__attribute__((weak)) int64_t
price_cost_pico(const struct price *pr, const struct record *r)
{
	(void)pr;
	(void)r;
	return 0;
}

__attribute__((weak)) void
prices_free(struct prices *p)
{
	free(p);
}
