/* jsonlex.h - what the scanner (jsonscan.c) and the functions over its
 * views (jsonview.c) share: inlining control, whitespace and the search
 * for special bytes, and comparing a string's decoded text. Not for other
 * modules. */
#ifndef LLMSTAT_JSONLEX_H
#define LLMSTAT_JSONLEX_H

#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The scanner is compiled twice, with and without the map (always_inline
 * with a constant flag), so that no string's search tests which it has;
 * its helpers are inlined into both copies, which GCC would otherwise not
 * all do. */
#ifdef __GNUC__
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#else
#define ALWAYS_INLINE inline
#define NOINLINE
#endif

/* The value of a hex digit, or -1. */
static inline int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Whether the decoded string text [t, t+n) equals s[0..sl); fix: invalid
 * UTF-8 compares as U+FFFD (as js_unescape gives it). */
int js_text_equal(const char *t, size_t n, const char *s, size_t sl, int fix);

static ALWAYS_INLINE size_t skip_ws(const char *p, size_t pos, size_t n)
{
	if (pos < n && (unsigned char)p[pos] > ' ')
		return pos;     /* compact JSON: no whitespace at all */
	while (pos < n) {
		char c = p[pos];

		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			break;
		pos++;
	}
	return pos;
}

#if defined(__SSE2__) && defined(__GNUC__)
/* Bit i set: x's byte i is '"', '\\' or below 0x20. */
static inline unsigned special16(__m128i x)
{
	/* Flipping bit 1 keeps the bytes below 0x20 below it and makes '"'
	 * (0x22) 0x20, the only other byte that ends up at or below 0x20:
	 * one unsigned compare finds both. */
	__m128i y = _mm_xor_si128(x, _mm_set1_epi8(0x02));
	__m128i m = _mm_cmpeq_epi8(_mm_min_epu8(y, _mm_set1_epi8(0x20)), y);

	m = _mm_or_si128(m, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
	return (unsigned)_mm_movemask_epi8(m);
}

static inline __m128i load16(const char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* special16 of the 64 bytes at p. */
static inline uint64_t special64(const char *p)
{
	return (uint64_t)special16(load16(p)) |
	       (uint64_t)special16(load16(p + 16)) << 16 |
	       (uint64_t)special16(load16(p + 32)) << 32 |
	       (uint64_t)special16(load16(p + 48)) << 48;
}
#endif

/* Position of the first '"', '\\' or byte < 0x20 at or after pos (n if none). */
static inline size_t find_special(const char *p, size_t pos, size_t n)
{
#if defined(__SSE2__) && defined(__GNUC__)
	while (pos + 16 <= n) {
		unsigned bits = special16(_mm_loadu_si128((const __m128i *)(const void *)(p + pos)));

		if (bits)
			return pos + (size_t)__builtin_ctz(bits);
		pos += 16;
	}
	if (pos < n && n >= 16) {
		/* The last bytes: one load that ends at n, the bytes before
		 * pos shifted out. */
		unsigned bits = special16(_mm_loadu_si128((const __m128i *)(const void *)
		                          (p + n - 16))) >> (16 - (n - pos));

		return bits ? pos + (size_t)__builtin_ctz(bits) : n;
	}
#endif
	for (; pos < n; pos++) {
		unsigned char c = (unsigned char)p[pos];

		if (c == '"' || c == '\\' || c < 0x20)
			break;
	}
	return pos;
}

#endif
