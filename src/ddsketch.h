/* ddsketch.h - DDSketch: mergeable quantile sketch with relative value
 * accuracy (Masson, Rim, Lee, VLDB 2019), logarithmic mapping, dense store. */
#ifndef LLMSTAT_DDSKETCH_H
#define LLMSTAT_DDSKETCH_H

#include <stddef.h>
#include <stdint.h>

struct ddsketch {
	double alpha;           /* relative accuracy, e.g. 0.01 */
	double gamma;           /* (1 + alpha) / (1 - alpha) */
	double inv_log_gamma;   /* 1 / ln(gamma) */
	int32_t lo;             /* bucket index of bins[0] */
	uint32_t nbins;         /* bins in use, from lo */
	uint32_t cap;           /* bins allocated */
	uint64_t *bins;         /* counts; owned, grown on demand */
	uint64_t zero;          /* values <= 0 (counted as 0) */
	uint64_t count;         /* all values added */
	double min, max;        /* exact extremes; meaningless when count == 0 */
};

/* Initialises an empty sketch. Allocates nothing until the first add. */
void ddsketch_init(struct ddsketch *s, double alpha);
/* Frees the bins; the sketch is empty again and may be reused. */
void ddsketch_free(struct ddsketch *s);
void ddsketch_reset(struct ddsketch *s);

/* Adds one value. Values <= 0 go to the zero bucket; NaN is ignored.
 * Dies on out of memory, can't fail otherwise. */
void ddsketch_add(struct ddsketch *s, double v);
/* Adds n copies of v. */
void ddsketch_add_n(struct ddsketch *s, double v, uint64_t n);

/* Adds src's counts into dst, as if dst had seen src's values too. The
 * result does not depend on merge order. Returns 0, or -1 (dst untouched)
 * when the two were made with different alpha. src is left unmodified. */
int ddsketch_merge(struct ddsketch *dst, const struct ddsketch *src);

/* The q-quantile (0 <= q <= 1) by nearest rank: the value at 1-based rank
 * max(1, ceil(q * count)) of the sorted values, within relative error alpha,
 * clamped to [min, max]. q = 0 gives min, q = 1 max. Returns NaN when empty. */
double ddsketch_quantile(const struct ddsketch *s, double q);

/* Serialises to a portable byte form (little endian, fixed layout).
 * ddsketch_size tells how many bytes ddsketch_write will write. */
size_t ddsketch_size(const struct ddsketch *s);
void ddsketch_write(const struct ddsketch *s, unsigned char *out);
/* Reads a sketch written by ddsketch_write from [p, p+n). Returns the bytes
 * consumed, or 0 if the data is truncated or corrupt (s is then empty). */
size_t ddsketch_read(struct ddsketch *s, const unsigned char *p, size_t n);

#endif
