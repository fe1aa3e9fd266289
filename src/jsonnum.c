/* jsonnum.c - the values of scanned views: numbers (exactly rounded
 * doubles, 64-bit integers) and booleans. Part of the jsonscan module. */
#include "jsonscan.h"
#include "jsonnum.h"

#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline size_t skip_digits(const char *p, size_t pos, size_t n)
{
	while (pos < n && (unsigned char)(p[pos] - '0') < 10)
		pos++;
	return pos;
}

size_t js_num_scan(const char *p, size_t pos, size_t n, struct num *r)
{
	r->neg = pos < n && p[pos] == '-';
	pos += (size_t)r->neg;
	r->i0 = pos;
	if (pos < n && p[pos] == '0')
		pos++;
	else if (pos < n && p[pos] >= '1' && p[pos] <= '9')
		pos = skip_digits(p, pos + 1, n);
	else
		goto bad;
	r->i1 = r->f0 = r->f1 = pos;
	if (pos < n && p[pos] == '.') {
		r->f0 = ++pos;
		r->f1 = pos = skip_digits(p, pos, n);
		if (pos == r->f0)
			goto bad;
	}
	r->e0 = r->e1 = pos;
	if (pos < n && (p[pos] == 'e' || p[pos] == 'E')) {
		r->e0 = ++pos;
		if (pos < n && (p[pos] == '+' || p[pos] == '-'))
			pos++;
		r->e1 = skip_digits(p, pos, n);
		if (r->e1 == pos)
			goto bad;
		pos = r->e1;
	}
	if (pos < n && (unsigned char)(p[pos] - '0') < 10)
		goto bad;       /* a leading zero: "01" */
	return pos;
bad:
	r->at = pos;
	return SIZE_MAX;
}

/* ---- Numbers. ---- */

/* A number as m * 10^e10 with m's last digit non-zero; over: m would need
 * more than 19 significant digits (m and e10 are then meaningless). */
struct dec {
	uint64_t m;
	int64_t e10;
	int over;
};

static const char *num_text(const struct js_view *v, size_t *len)
{
	*len = v->n;
	if (v->type == JS_NUMBER || (v->type == JS_STRING && !v->escaped))
		return v->p;
	return NULL;
}

/* Explicit exponent value, saturating far beyond any double's range. */
static int64_t num_exp(const char *p, const struct num *r)
{
	size_t i = r->e0;
	int64_t e = 0;
	int neg = 0;

	if (i < r->e1 && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	for (; i < r->e1; i++)
		if (e < 1000000000)
			e = e * 10 + (p[i] - '0');
	return neg ? -e : e;
}

static void num_decimal(const char *p, const struct num *r, struct dec *d)
{
	uint64_t m = 0;
	int64_t nd = 0, zeros = 0;

	d->over = 0;
	for (size_t i = r->i0; i < r->f1; i++) {
		char c = p[i];

		if (c == '.')
			continue;
		if (c == '0') {
			zeros += nd > 0;
			continue;
		}
		if (nd + zeros >= 19) {
			d->over = 1;
			break;
		}
		for (nd += zeros + 1; zeros > 0; zeros--)
			m *= 10;
		m = m * 10 + (uint64_t)(c - '0');
	}
	d->m = m;
	d->e10 = num_exp(p, r) - (int64_t)(r->f1 - r->f0) + zeros;
}

/* The powers of ten that are exact doubles. */
static const double p10[23] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
	1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
	1e21, 1e22 };

/* Clinger's fast path: exact when m and 10^|e| are exact doubles and the
 * platform rounds each operation once. */
static int fast_double(const struct dec *d, double *out)
{
#if FLT_EVAL_METHOD == 0
	const uint64_t lim = (uint64_t)1 << 53;
	uint64_t m = d->m;
	int64_t e = d->e10;

	if (d->over || m > lim)
		return 0;
	while (e > 22 && m <= lim / 10) {
		m *= 10;
		e--;
	}
	if (e < -22 || e > 22)
		return 0;
	*out = e < 0 ? (double)m / p10[-e] : (double)m * p10[e];
	return 1;
#else
	(void)d;
	(void)out;
	return 0;
#endif
}

/* Correctly rounded conversion through strtod of "DIGITSeEXP" (no decimal
 * point, so no locale dependence). Digits beyond SLOW_DIGITS are replaced
 * by one sticky '1' when any is non-zero: a double's rounding boundaries
 * have at most 767 significant digits, so the result is unchanged. */
#define SLOW_DIGITS 800
static double slow_double(const char *p, const struct num *r)
{
	char buf[SLOW_DIGITS + 32];
	size_t k = 0;
	int64_t dropped = 0, e;
	int sticky = 0, started = 0, saved = errno;
	double x;

	for (size_t i = r->i0; i < r->f1; i++) {
		char c = p[i];

		if (c == '.' || (c == '0' && !started))
			continue;
		started = 1;
		if (k < SLOW_DIGITS) {
			buf[k++] = c;
		} else {
			dropped++;
			sticky |= c != '0';
		}
	}
	if (sticky) {
		buf[k++] = '1';
		dropped--;
	}
	e = num_exp(p, r) - (int64_t)(r->f1 - r->f0) + dropped;
	e = e > 99999999 ? 99999999 : e < -99999999 ? -99999999 : e;
	snprintf(buf + k, sizeof buf - k, "e%lld", (long long)e);
	x = strtod(buf, NULL);
	errno = saved;
	return x;
}

/* The usual number in one pass: an optional '-', at most 19 digits with
 * an optional fraction, no exponent. Sets d (and *neg) as num_scan and
 * num_decimal would: m is the digits without their trailing zeros, which
 * go into e10. Returns 0, or -1 when the text needs the general path
 * (longer, an exponent, or not a number at all). */
static int num_quick(const char *p, size_t n, struct dec *d, int *neg)
{
	uint64_t m = 0;
	size_t i = 0, nd = 0, f0;
	int64_t e = 0;

	*neg = n > 0 && p[0] == '-';
	i = (size_t)*neg;
	if (i >= n || (unsigned char)(p[i] - '0') > 9 ||
	    (p[i] == '0' && i + 1 < n && (unsigned char)(p[i + 1] - '0') <= 9))
		return -1;
	for (; i < n && (unsigned char)(p[i] - '0') <= 9; i++, nd++)
		m = m * 10 + (uint64_t)(p[i] - '0');
	if (i < n && p[i] == '.') {
		f0 = ++i;
		for (; i < n && (unsigned char)(p[i] - '0') <= 9; i++, nd++)
			m = m * 10 + (uint64_t)(p[i] - '0');
		if (i == f0)
			return -1;
		e = -(int64_t)(i - f0);
	}
	if (i != n || nd > 19)
		return -1;
	while (m != 0 && m % 10 == 0) {
		m /= 10;
		e++;
	}
	d->m = m;
	d->e10 = e;
	d->over = 0;
	return 0;
}

static inline int is_digit(char c)
{
	return (unsigned char)(c - '0') <= 9;
}

/* Accumulates the digits at *pp (before end) into *m, moving *pp past
 * them; returns their count. */
static inline size_t digits_in(const char **pp, const char *end, uint64_t *m)
{
	const char *q = *pp, *q0 = q;

	for (; q < end && is_digit(*q); q++)
		*m = *m * 10 + (uint64_t)(*q - '0');
	*pp = q;
	return (size_t)(q - q0);
}

/* js_number's one-pass path for the usual number: the whole text is a
 * JSON number of at most 15 digits whose value is m * 10^e with |e| <= 22,
 * so one correctly rounded operation on exact doubles gives it (Clinger),
 * the same double as the general path. Returns -1 for anything else,
 * invalid text included, and leaves it to the general path. */
static int num_fast(const char *p, size_t n, double *out)
{
#if FLT_EVAL_METHOD == 0
	const char *end = p + n;
	uint64_t m = 0, x = 0;
	size_t nd, fd = 0;
	int neg = n > 0 && *p == '-', eneg = 0;
	int64_t e;
	double r;

	p += neg;
	if (p == end || !is_digit(*p) || (*p == '0' && p + 1 < end && is_digit(p[1])))
		return -1;
	nd = digits_in(&p, end, &m);
	if (p < end && *p == '.') {
		p++;
		fd = digits_in(&p, end, &m);
		if (fd == 0)
			return -1;
	}
	e = -(int64_t)fd;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p == end || !is_digit(*p))
			return -1;
		for (; p < end && is_digit(*p); p++)
			if (x < 1000)
				x = x * 10 + (uint64_t)(*p - '0');
		e += eneg ? -(int64_t)x : (int64_t)x;
	}
	if (p != end || nd + fd > 15)
		return -1;
	if (m == 0) {
		*out = neg ? -0.0 : 0.0;
		return 0;
	}
	if (e < -22 || e > 22)
		return -1;
	r = e < 0 ? (double)m / p10[-e] : (double)m * p10[e];
	*out = neg ? -r : r;
	return 0;
#else
	(void)p;
	(void)n;
	(void)out;
	return -1;
#endif
}

int js_number(const struct js_view *v, double *out)
{
	struct num r;
	struct dec d;
	size_t len;
	const char *t = num_text(v, &len);
	double x;
	int neg;

	if (!t)
		return -1;
	if (num_fast(t, len, out) == 0)
		return 0;
	if (num_quick(t, len, &d, &neg) == 0 && (d.m == 0 || fast_double(&d, &x))) {
		*out = d.m == 0 ? (neg ? -0.0 : 0.0) : neg ? -x : x;
		return 0;
	}
	if (js_num_scan(t, 0, len, &r) != len)
		return -1;
	num_decimal(t, &r, &d);
	if (!d.over && d.m == 0)
		x = 0.0;
	else if (!fast_double(&d, &x))
		x = slow_double(t, &r);
	*out = r.neg ? -x : x;
	return 0;
}

/* js_int64's path for a plain integer of at most 18 digits (no fraction,
 * no exponent, so no rounding): returns 0 with *out set, or -1. */
static int int_fast(const char *p, size_t n, int64_t *out)
{
	const char *end = p + n;
	uint64_t m = 0;
	int neg = n > 0 && *p == '-';

	p += neg;
	if (p == end || (*p == '0' && p + 1 < end))
		return -1;      /* "0" alone passes; "0.5", "01" go the long way */
	n = digits_in(&p, end, &m);
	if (p != end || n == 0 || n > 18)
		return -1;
	*out = neg ? -(int64_t)m : (int64_t)m;
	return 0;
}

int js_int64(const struct js_view *v, int64_t *out)
{
	struct num r;
	struct dec d;
	size_t len;
	const char *t = num_text(v, &len);
	uint64_t x;

	if (!t)
		return -1;
	if (int_fast(t, len, out) == 0)
		return 0;
	if (num_quick(t, len, &d, &r.neg) < 0) {
		if (js_num_scan(t, 0, len, &r) != len)
			return -1;
		num_decimal(t, &r, &d);
	}
	if (d.over)
		return -1;      /* 20+ significant digits: fractional or >= 1e19 */
	if (d.m == 0) {
		*out = 0;
		return 0;
	}
	if (d.e10 < 0 || d.e10 > 18)
		return -1;
	x = d.m;
	for (int64_t e = 0; e < d.e10; e++) {
		if (x > UINT64_MAX / 10)
			return -1;
		x *= 10;
	}
	if (x > (uint64_t)INT64_MAX + (uint64_t)r.neg)
		return -1;
	if (!r.neg)
		*out = (int64_t)x;
	else
		*out = x > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)x;
	return 0;
}

static int str_bool(const struct js_view *v)
{
	static const char *const words[] = {
		"true", "yes", "1", "y", "false", "no", "0", "none", "n", ""
	};
	char b[8];
	long k = js_unescape(v, b, sizeof b);

	if (k < 0)
		return -1;
	for (long i = 0; i < k; i++)
		if (b[i] >= 'A' && b[i] <= 'Z')
			b[i] = (char)(b[i] + ('a' - 'A'));
	for (int w = 0; w < 10; w++)
		if (strlen(words[w]) == (size_t)k && memcmp(words[w], b, (size_t)k) == 0)
			return w < 4;
	return -1;
}

int js_bool(const struct js_view *v)
{
	struct num r;
	struct dec d;

	switch (v->type) {
	case JS_TRUE:
		return 1;
	case JS_FALSE: case JS_NULL:
		return 0;
	case JS_NUMBER:
		if (js_num_scan(v->p, 0, v->n, &r) != v->n)
			return -1;
		num_decimal(v->p, &r, &d);
		return d.over || d.m != 0;
	case JS_STRING:
		return str_bool(v);
	default:
		return -1;
	}
}

