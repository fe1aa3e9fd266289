/* ddsketch.c - DDSketch quantile sketch with relative accuracy alpha: logarithmic bucket mapping, dense count store, order-independent merge, portable serialisation. */
#include "ddsketch.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Bucket i covers (gamma^(i-1), gamma^i] and stands for 2 gamma^i / (gamma+1).
 *
 * No collapsing: every positive finite double has |ln v| < 745, so at
 * alpha = 0.01 (ln gamma ~ 0.02) all indices lie within about +-37,300 and
 * the dense store never exceeds ~75k bins (600 KB); in practice it spans
 * only the dynamic range of the data. To keep that bound meaningful alpha
 * must be at least MIN_ALPHA (worst case then ~7.3M bins, 58 MB, even for
 * adversarial input). Indices are also clamped to [IDX_MIN, IDX_MAX] so
 * that index arithmetic and nbins (uint32) can never overflow.
 *
 * Invariant: bins[0 .. nbins) hold the counts of indices lo .. lo+nbins-1;
 * bins below the smallest index seen may be zero (slack left when growing
 * downwards). Everything observable (quantiles, serialised bytes) depends
 * only on the per-index counts, never on this layout.
 */
#define IDX_MIN (-(INT32_C(1) << 30))
#define IDX_MAX (INT32_C(1) << 30)
#define MIN_CAP 64u
#define MIN_ALPHA 1e-4

/* Serialised header: alpha, count, zero, min, max (8 bytes each), lo, nbins. */
#define HDR_SIZE 48u

static void die(const char *msg)
{
	fputs(msg, stderr);
	exit(1);
}

static int alpha_ok(double alpha)
{
	double g;

	if (!(alpha >= MIN_ALPHA && alpha < 1.0))
		return 0;
	g = (1.0 + alpha) / (1.0 - alpha);
	return g > 1.0 && isfinite(g);
}

void ddsketch_init(struct ddsketch *s, double alpha)
{
	if (!alpha_ok(alpha))
		die("llmstat: ddsketch: alpha must be in [0.0001, 1)\n");
	s->alpha = alpha;
	s->gamma = (1.0 + alpha) / (1.0 - alpha);
	s->inv_log_gamma = 1.0 / log(s->gamma);
	s->bins = NULL;
	s->cap = 0;
	ddsketch_reset(s);
}

/* Empties the sketch but keeps its allocation for reuse. */
void ddsketch_reset(struct ddsketch *s)
{
	s->lo = 0;
	s->nbins = 0;
	s->zero = 0;
	s->count = 0;
	s->min = INFINITY;
	s->max = -INFINITY;
}

void ddsketch_free(struct ddsketch *s)
{
	free(s->bins);
	s->bins = NULL;
	s->cap = 0;
	ddsketch_reset(s);
}

/* ceil(ln(v) / ln(gamma)), clamped; +inf is treated as DBL_MAX. */
static int32_t index_of(const struct ddsketch *s, double v)
{
	double x = log(v < DBL_MAX ? v : DBL_MAX) * s->inv_log_gamma;
	int32_t i;

	if (x <= (double)IDX_MIN)
		return IDX_MIN;
	if (x >= (double)IDX_MAX)
		return IDX_MAX;
	i = (int32_t)x;                 /* truncation: ceil for x <= 0 */
	return i + ((double)i < x);
}

static double rep_of(const struct ddsketch *s, int32_t i)
{
	return 2.0 * pow(s->gamma, (double)i) / (s->gamma + 1.0);
}

static void grow_cap(struct ddsketch *s, uint64_t need)
{
	uint64_t cap = (uint64_t)s->cap * 2;
	uint64_t *b;

	if (cap < MIN_CAP)
		cap = MIN_CAP;
	if (cap < need || cap > UINT32_MAX)
		cap = need;
	if (cap > SIZE_MAX / sizeof *b)
		die("llmstat: out of memory\n");
	b = realloc(s->bins, (size_t)cap * sizeof *b);
	if (!b)
		die("llmstat: out of memory\n");
	s->bins = b;
	s->cap = (uint32_t)cap;
}

/* Makes the store cover indices [ilo, ihi] (ilo <= ihi); new bins are zero.
 * Growing down leaves slack of half the new range below, so a run of ever
 * smaller values costs amortised O(1) moves per bin. */
static void store_cover(struct ddsketch *s, int32_t ilo, int32_t ihi)
{
	int64_t lo = ilo, hi = ihi, shift = 0;
	uint64_t need;

	if (s->nbins > 0) {
		int64_t cur_hi = (int64_t)s->lo + s->nbins - 1;

		if (ilo >= s->lo && ihi <= cur_hi)
			return;
		if (cur_hi > hi)
			hi = cur_hi;
		if (s->lo < lo)
			lo = s->lo;
		else if (lo < s->lo)
			lo -= (hi - lo + 1) / 2;
		if (lo < IDX_MIN)
			lo = IDX_MIN;
		shift = s->lo - lo;
	}
	need = (uint64_t)(hi - lo + 1);
	if (need > s->cap)
		grow_cap(s, need);
	if (shift > 0) {
		memmove(s->bins + shift, s->bins, s->nbins * sizeof *s->bins);
		memset(s->bins, 0, (size_t)shift * sizeof *s->bins);
	}
	memset(s->bins + shift + s->nbins, 0,
	       (size_t)(need - (uint64_t)shift - s->nbins) * sizeof *s->bins);
	s->lo = (int32_t)lo;
	s->nbins = (uint32_t)need;
}

static void note_extremes(struct ddsketch *s, double lo, double hi)
{
	if (lo < s->min)
		s->min = lo;
	if (hi > s->max)
		s->max = hi;
}

void ddsketch_add_n(struct ddsketch *s, double v, uint64_t n)
{
	if (n == 0 || isnan(v))
		return;
	if (v <= 0.0) {
		if (v == 0.0)
			v = 0.0;        /* -0 and +0 alike, so merges commute */
		s->zero += n;
	} else {
		int32_t i = index_of(s, v);

		if ((uint64_t)((int64_t)i - s->lo) >= s->nbins)
			store_cover(s, i, i);
		s->bins[i - s->lo] += n;
	}
	s->count += n;
	note_extremes(s, v, v);
}

void ddsketch_add(struct ddsketch *s, double v)
{
	ddsketch_add_n(s, v, 1);
}

/* The bins that hold non-zero counts: [*first, *first + *len). */
static void trimmed(const struct ddsketch *s, uint32_t *first, uint32_t *len)
{
	uint32_t a = 0, b = s->nbins;

	while (a < b && s->bins[a] == 0)
		a++;
	while (b > a && s->bins[b - 1] == 0)
		b--;
	*first = a;
	*len = b - a;
}

int ddsketch_merge(struct ddsketch *dst, const struct ddsketch *src)
{
	uint32_t first, len, j;

	if (src->alpha != dst->alpha)
		return -1;
	if (src->count == 0)
		return 0;
	trimmed(src, &first, &len);
	if (len > 0) {
		int32_t ilo = (int32_t)((int64_t)src->lo + first);
		uint64_t *d;
		const uint64_t *p;

		store_cover(dst, ilo, (int32_t)((int64_t)ilo + len - 1));
		d = dst->bins + ((int64_t)ilo - dst->lo);
		p = src->bins + first;  /* after store_cover: src may be dst */
		for (j = 0; j < len; j++)
			d[j] += p[j];
	}
	dst->zero += src->zero;
	dst->count += src->count;
	note_extremes(dst, src->min, src->max);
	return 0;
}

/* max(1, ceil(q * n)), where a product within 1e-12 (relative) of an integer
 * counts as that integer: 0.95 * 100 gives 95 and 0.07 * 100 gives 7. */
static uint64_t nearest_rank(double q, uint64_t n)
{
	double x = q * (double)n, r = round(x);

	if (fabs(x - r) > x * 1e-12)
		r = ceil(x);
	if (r < 1.0)
		return 1;
	if (r >= (double)n)
		return n;
	return (uint64_t)r;
}

static double clamp(const struct ddsketch *s, double v)
{
	if (v < s->min)
		return s->min;
	if (v > s->max)
		return s->max;
	return v;
}

double ddsketch_quantile(const struct ddsketch *s, double q)
{
	uint64_t rank, cum;
	uint32_t j;

	if (s->count == 0 || isnan(q))
		return NAN;
	if (q <= 0.0)
		return s->min;
	if (q >= 1.0)
		return s->max;
	rank = nearest_rank(q, s->count);
	cum = s->zero;
	if (cum >= rank)
		return clamp(s, 0.0);
	for (j = 0; j < s->nbins; j++) {
		cum += s->bins[j];
		if (cum >= rank)
			return clamp(s, rep_of(s, (int32_t)((int64_t)s->lo + j)));
	}
	return s->max;
}

static void put64(unsigned char *p, uint64_t v)
{
	int k;

	for (k = 0; k < 8; k++)
		p[k] = (unsigned char)(v >> (8 * k));
}

static void put32(unsigned char *p, uint32_t v)
{
	int k;

	for (k = 0; k < 4; k++)
		p[k] = (unsigned char)(v >> (8 * k));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int k;

	for (k = 7; k >= 0; k--)
		v = v << 8 | p[k];
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t dbits(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	return u;
}

static double bitsd(uint64_t u)
{
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

size_t ddsketch_size(const struct ddsketch *s)
{
	uint32_t first, len;

	trimmed(s, &first, &len);
	return HDR_SIZE + (size_t)len * 8;
}

/* Layout: alpha, count, zero, min, max (u64 / IEEE bits, LE), lo (i32 LE),
 * nbins (u32 LE), nbins counts (u64 LE). Only non-zero-edged bins are
 * written, and min = max = 0 when empty, so equal sketches give equal bytes. */
void ddsketch_write(const struct ddsketch *s, unsigned char *out)
{
	uint32_t first, len, j;
	int32_t lo;

	trimmed(s, &first, &len);
	lo = len ? (int32_t)((int64_t)s->lo + first) : 0;
	put64(out, dbits(s->alpha));
	put64(out + 8, s->count);
	put64(out + 16, s->zero);
	put64(out + 24, dbits(s->count ? s->min : 0.0));
	put64(out + 32, dbits(s->count ? s->max : 0.0));
	put32(out + 40, (uint32_t)lo);
	put32(out + 44, len);
	for (j = 0; j < len; j++)
		put64(out + HDR_SIZE + (size_t)j * 8, s->bins[first + j]);
}

/* Sum of nb counts at p, or 0 with *ok cleared on overflow. */
static uint64_t sum_counts(const unsigned char *p, uint32_t nb, int *ok)
{
	uint64_t sum = 0, c;
	uint32_t j;

	for (j = 0; j < nb; j++) {
		c = get64(p + (size_t)j * 8);
		if (sum + c < sum) {
			*ok = 0;
			return 0;
		}
		sum += c;
	}
	return sum;
}

/* Whether a header plus nb counts at p describe a consistent sketch with
 * the alpha of s. Bins must lie within the indices that doubles can reach,
 * so a corrupt lo can never make a later add allocate an absurd range. */
static int valid(const struct ddsketch *s, const unsigned char *p, size_t n,
		 uint32_t nb)
{
	uint64_t count = get64(p + 8), zero = get64(p + 16), sum;
	double min = bitsd(get64(p + 24)), max = bitsd(get64(p + 32));
	int64_t lo = (int32_t)get32(p + 40);
	int ok = 1;

	if (nb > (n - HDR_SIZE) / 8)
		return 0;
	if (nb > 0 && (lo < index_of(s, DBL_TRUE_MIN) ||
		       lo + nb - 1 > index_of(s, DBL_MAX)))
		return 0;
	sum = sum_counts(p + HDR_SIZE, nb, &ok);
	if (!ok || zero + sum < zero || zero + sum != count)
		return 0;
	if (count == 0)
		return 1;
	/* min <= max (rejects NaN); min <= 0 iff there are zeros; max > 0 iff
	 * there are positive values. */
	return min <= max && (zero > 0) == (min <= 0.0) &&
	       (sum > 0) == (max > 0.0);
}

/* s is treated as uninitialised: its previous contents are not freed. */
size_t ddsketch_read(struct ddsketch *s, const unsigned char *p, size_t n)
{
	double alpha;
	uint32_t nb, j;

	if (n < HDR_SIZE || !alpha_ok(alpha = bitsd(get64(p)))) {
		ddsketch_init(s, 0.01);
		return 0;
	}
	ddsketch_init(s, alpha);
	nb = get32(p + 44);
	if (!valid(s, p, n, nb))
		return 0;
	s->count = get64(p + 8);
	s->zero = get64(p + 16);
	if (s->count > 0) {
		s->min = bitsd(get64(p + 24));
		s->max = bitsd(get64(p + 32));
	}
	if (nb > 0) {
		grow_cap(s, nb);
		s->lo = (int32_t)get32(p + 40);
		s->nbins = nb;
		for (j = 0; j < nb; j++)
			s->bins[j] = get64(p + HDR_SIZE + (size_t)j * 8);
	}
	return HDR_SIZE + (size_t)nb * 8;
}
