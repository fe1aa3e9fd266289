/* jsonnum.h - between the two files of the jsonscan module: the number
 * grammar, which the scanner validates with and jsonnum.c converts with. */
#ifndef LLMSTAT_JSONNUM_H
#define LLMSTAT_JSONNUM_H

#include <stddef.h>

/* A number's parts: integer digits [i0,i1), fraction digits [f0,f1),
 * exponent sign and digits [e0,e1); at: where the grammar failed. */
struct num {
	size_t i0, i1, f0, f1, e0, e1, at;
	int neg;
};

/* Matches the RFC 8259 number grammar at p[pos..n). Returns the end of the
 * number, or SIZE_MAX with r->at set. */
size_t js_num_scan(const char *p, size_t pos, size_t n, struct num *r);

#endif
