/* jsonscan.c - validates one JSON text in a single non-recursive pass and
 * records the wanted dot paths as zero-copy views into the caller's buffer. */
#include "jsonscan.h"
#include "jsonnum.h"
#include "jsonpaths.h"
#include "jsonlex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_WIDE
#include <immintrin.h>
#endif

#if defined(__SSE2__) && defined(__GNUC__)
/* Bit i set: p[i] is an ASCII digit, for the 16 bytes at p. */
static inline uint32_t digits16(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i ge0 = _mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1));
	__m128i le9 = _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1));

	return (uint32_t)_mm_movemask_epi8(_mm_and_si128(ge0, le9));
}

/* The digits run at q[k] (k < 16) within a 16-byte window whose non-digits
 * are the bits of nd (bits 16 up set): its length, 16 - k at most. */
static inline uint32_t run16(uint32_t nd, uint32_t k)
{
	return (uint32_t)__builtin_ctz(nd >> k);
}
#endif

/* The end of the number at pos, the same as num_scan's. A number that
 * ends inside 16 readable bytes is matched on one digit mask, without
 * byte loops; anything else (or any error) goes through num_scan. */
static ALWAYS_INLINE size_t num_end(const char *p, size_t pos, size_t n, struct num *r)
{
#if defined(__SSE2__) && defined(__GNUC__)
	if (n - pos >= 16) {
		const char *q = p + pos;
		uint32_t nd = ~digits16(q), i = q[0] == '-', k;

		if (nd >> i & 1)
			goto slow;
		i += q[i] == '0' ? 1 : run16(nd, i);
		if (i < 16 && q[i] == '.') {
			k = i + 1;
			if (k == 16 || run16(nd, k) == 0)
				goto slow;
			i = k + run16(nd, k);
		}
		if (i < 16 && (q[i] | 0x20) == 'e') {
			k = i + 1;
			if (k < 16 && (q[k] == '+' || q[k] == '-'))
				k++;
			if (k == 16 || run16(nd, k) == 0)
				goto slow;
			i = k + run16(nd, k);
		}
		/* the window ran out, or a digit follows a leading zero */
		if (i < 16 && (nd >> i & 1))
			return pos + i;
	}
slow:
#endif
	return js_num_scan(p, pos, n, r);
}

/* ---- The scanner. ---- */

struct frame {
	uint32_t start;         /* offset of the '{' or '[' */
	uint32_t idx;           /* array: index of the current element */
	int32_t node;           /* trie node whose children are wanted, or -1 */
	int32_t self;           /* path receiving this container, or -1 */
	uint8_t arr;
	char close;             /* '}' or ']' */
};

#define MAP_MAX 4096            /* texts up to MAP_MAX bytes are scanned
                                   with a map of their special bytes */

static inline int ctz64(uint64_t b)
{
#ifdef __GNUC__
	return __builtin_ctzll(b);
#else
	int i = 0;

	while (!(b >> i & 1))
		i++;
	return i;
#endif
}

struct scan {
	const char *p;
	size_t n;
	const struct js_node *nodes;    /* NULL: nothing wanted */
	const int32_t *slots;
	struct js_view *out;
	uint64_t set[2];        /* bit i: out[i] has been written */
	struct js_err *err;
	int depth;
	const uint64_t *map;    /* mapbuf when built, else NULL */
	uint64_t mapbuf[MAP_MAX / 64 + 1];
	struct frame st[JS_MAX_DEPTH];
};

/* The map of special bytes: bit i of the text set when p[i] is one of
 * find_special's bytes, and bit n, so every search stops. With it the
 * position of a string's end depends on one load and a bit scan rather
 * than on a load, four vector operations and a mask extraction: the scan
 * is a chain of such positions, each needed before the next. The map
 * itself is built in a loop whose iterations are independent. */
#ifdef HAVE_WIDE
/* map_build's loop with AVX-512: each 64 bytes give their word of the map
 * from three compares (the last bytes through a masked load, which reads
 * nothing past the text): about 6 instructions where SSE2 needs 35. */
__attribute__((target("avx512bw")))
static void map_build_wide(const char *p, size_t n, uint64_t *m)
{
	const __m512i quote = _mm512_set1_epi8('"'), bslash = _mm512_set1_epi8('\\');
	const __m512i space = _mm512_set1_epi8(0x20);
	size_t i;
	uint64_t w = 0;

	for (i = 0; i + 64 <= n; i += 64) {
		__m512i x = _mm512_loadu_si512((const void *)(p + i));

		m[i >> 6] = _mm512_cmpeq_epi8_mask(x, quote) | _mm512_cmpeq_epi8_mask(x, bslash) |
		    _mm512_cmplt_epu8_mask(x, space);
	}
	if (i < n) {
		__mmask64 k = ~UINT64_C(0) >> (64 - (n - i));
		__m512i x = _mm512_maskz_loadu_epi8(k, (const void *)(p + i));

		w = (_mm512_cmpeq_epi8_mask(x, quote) | _mm512_cmpeq_epi8_mask(x, bslash) |
		    _mm512_cmplt_epu8_mask(x, space)) & k;
	}
	m[n >> 6] = w | (uint64_t)1 << (n & 63);
}
#endif

static void map_build(struct scan *s, int wide)
{
#if defined(__SSE2__) && defined(__GNUC__)
	const char *p = s->p;
	size_t n = s->n, i = 0;
	uint64_t *m = s->mapbuf, w;

	if (n > MAP_MAX) {
		s->map = NULL;
		return;
	}
#ifdef HAVE_WIDE
	if (wide) {
		map_build_wide(p, n, m);
		s->map = m;
		return;
	}
#endif
	if (n < 16) {   /* too short for one load: byte by byte */
		for (w = 0; i < n; i++)
			if (p[i] == '"' || p[i] == '\\' || (unsigned char)p[i] < 0x20)
				w |= (uint64_t)1 << i;
		m[0] = w | (uint64_t)1 << n;
		s->map = m;
		return;
	}
	for (; i + 64 <= n; i += 64)
		m[i >> 6] = special64(p + i);
	for (w = 0; i + 16 <= n; i += 16)
		w |= (uint64_t)special16(load16(p + i)) << (i & 63);
	if (i < n)      /* the rest: one load that ends at n (n >= 16) */
		w |= (uint64_t)(special16(load16(p + n - 16)) >> (16 - (n - i))) << (i & 63);
	m[n >> 6] = w | (uint64_t)1 << (n & 63);
	s->map = m;
#else
	(void)wide;
	s->map = NULL;
#endif
}

/* find_special for the scanner: from the map m when mapped, else by
 * loads. The scanner passes its state in arguments held in registers:
 * every store of a view could otherwise change them, as far as the
 * compiler knows, and each use would load them again. */
static ALWAYS_INLINE size_t next_sp(const char *p, size_t n, const uint64_t *m,
                                    size_t pos, const int mapped)
{
	size_t w = pos >> 6;
	uint64_t b;

	if (!mapped)
		return find_special(p, pos, n);
	for (b = m[w] >> (pos & 63); !b; b = m[w])
		pos = ++w << 6;
	return pos + (unsigned)ctz64(b);
}

static const char ERR_EOF[] = "unexpected end of input";

static size_t fail_at(struct scan *s, const char *msg, size_t pos)
{
	if (s->err) {
		s->err->msg = msg;
		s->err->pos = pos;
	}
	return SIZE_MAX;
}

static int fail(struct scan *s, const char *msg, size_t pos)
{
	fail_at(s, msg, pos);
	return -1;
}

/* Validates the escape whose backslash is at pos - 1; returns its end. */
static size_t scan_escape(struct scan *s, size_t pos)
{
	if (pos >= s->n)
		return fail_at(s, ERR_EOF, s->n);
	switch (s->p[pos]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return pos + 1;
	case 'u':
		for (size_t i = 1; i <= 4; i++) {
			if (pos + i >= s->n)
				return fail_at(s, ERR_EOF, s->n);
			if (hexval((unsigned char)s->p[pos + i]) < 0)
				return fail_at(s, "invalid escape in string", pos - 1);
		}
		return pos + 5;
	default:
		return fail_at(s, "invalid escape in string", pos - 1);
	}
}

/* scan_string's slow path, from the first special byte at pos. */
static size_t scan_string_rest(struct scan *s, size_t pos)
{
	for (;;) {
		pos = next_sp(s->p, s->n, s->map, pos, s->map != NULL);
		if (pos >= s->n)
			return fail_at(s, ERR_EOF, s->n);
		if (s->p[pos] == '"')
			return pos;
		if (s->p[pos] != '\\')
			return fail_at(s, "control character in string", pos);
		pos = scan_escape(s, pos + 1);
		if (pos == SIZE_MAX)
			return pos;
	}
}

/* Scans a string body from pos (after the opening quote); returns the
 * offset of the closing quote. Sets *esc if it holds a backslash: past the
 * fast path, a string that ends well had a backslash as its first special
 * byte, so the slow path needs not report it. */
static ALWAYS_INLINE size_t scan_string(struct scan *s, const char *p, size_t n,
                                        const uint64_t *m, size_t pos, int *esc,
                                        const int mapped)
{
	pos = next_sp(p, n, m, pos, mapped);
	if (pos < n && p[pos] == '"')
		return pos;
	*esc = 1;
	return scan_string_rest(s, pos);
}

static ALWAYS_INLINE size_t scan_literal(struct scan *s, size_t pos, uint8_t *type)
{
	static const char *const lit[3] = { "true", "false", "null" };
	static const uint8_t types[3] = { JS_TRUE, JS_FALSE, JS_NULL };
	int i = s->p[pos] == 't' ? 0 : s->p[pos] == 'f' ? 1 : 2;
	size_t len = i == 1 ? 5 : 4, have = s->n - pos;

	*type = types[i];
	/* The first byte chose lit[i]; a memcmp of constant length is inlined. */
	if (have >= len && memcmp(s->p + pos + 1, lit[i] + 1, 3) == 0 &&
	    (len == 4 || s->p[pos + 4] == 'e'))
		return pos + len;
	if (have < len && memcmp(s->p + pos, lit[i], have) == 0)
		return fail_at(s, ERR_EOF, s->n);
	return fail_at(s, "invalid literal", pos);
}

static const char *value_error(char c)
{
	if (c == '+' || c == '.')
		return "invalid number";
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return "invalid literal";
	return "expected a value";
}

static ALWAYS_INLINE void record(struct scan *s, const struct js_node *nodes,
                                  struct js_view *out, const char *p,
                                  int32_t node, uint8_t type, size_t a,
                                  size_t b, int esc)
{
	int32_t pidx = nodes[node].pidx;

	if (pidx >= 0) {
		s->set[pidx >> 6] |= (uint64_t)1 << (pidx & 63);
		out[pidx].p = p + a;
		out[pidx].n = (uint32_t)(b - a);
		out[pidx].type = type;
		out[pidx].escaped = (uint8_t)esc;
	}
}

/* Duplicate keys: when a wanted key occurs, every view recorded for the
 * paths at or below it is reset to JS_NONE first, so the last occurrence
 * wins even when it no longer holds a sub-path the earlier one had. Only
 * views written so far need it (none, the first time a key occurs). */
static ALWAYS_INLINE void reset_below(struct scan *s, const uint64_t *below)
{
	if (((below[0] & s->set[0]) | (below[1] & s->set[1])) == 0)
		return;
	for (int w = 0; w < 2; w++) {
		for (uint64_t b = below[w] & s->set[w]; b; b &= b - 1)
			memset(&s->out[w * 64 + ctz64(b)], 0, sizeof *s->out);
		s->set[w] &= ~below[w];
	}
}

#if defined(__SSE2__) && defined(__x86_64__)
/* Whether the bytes after the first 16 of two keys of klen > 16 bytes
 * agree: up to 32 bytes with two overlapping loads, memcmp beyond. */
static inline int tail_equal(const char *a, const char *b, size_t klen)
{
	if (klen > 32)
		return memcmp(a + 16, b + 16, klen - 16) == 0;
	return _mm_movemask_epi8(_mm_cmpeq_epi8(
	    _mm_loadu_si128((const __m128i *)(const void *)(a + klen - 16)),
	    _mm_loadu_si128((const __m128i *)(const void *)(b + klen - 16)))) == 0xFFFF;
}
#endif

/* Looks up the raw (unescaped) key [k, k+klen) among node's children by
 * its hash; keys end at least one byte (the quote) before the text's end. */
static inline int32_t find_child(const struct scan *s, const struct js_node *nd,
                                 const char *k, size_t klen)
{
	const struct js_node *nodes = s->nodes;
	const int32_t *slots = s->slots + nd->hoff;
	uint32_t h, mask = nd->hmask;
	size_t head = klen < 16 ? klen : 16;
#if defined(__SSE2__) && defined(__x86_64__)
	static const unsigned char ones[32] = {
		255, 255, 255, 255, 255, 255, 255, 255,
		255, 255, 255, 255, 255, 255, 255, 255
	};
	__m128i v;

	if ((size_t)(s->p + s->n - k) >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)k);
	} else {
		unsigned char tmp[16] = { 0 };

		memcpy(tmp, k, head);
		v = _mm_loadu_si128((const __m128i *)(const void *)tmp);
	}
	v = _mm_and_si128(v, _mm_loadu_si128((const __m128i *)(const void *)
	                                      (ones + 16 - head)));
	h = key_hash((uint64_t)_mm_cvtsi128_si64(v), klen);
	for (;; h++) {
		int32_t c = slots[h & mask];

		if (c < 0)
			return -1;
		if (nodes[c].klen == klen &&
		    _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_loadu_si128(
		        (const __m128i *)(const void *)nodes[c].k16))) == 0xFFFF &&
		    (klen <= 16 || tail_equal(nodes[c].key, k, klen)))
			return c;
	}
#else
	unsigned char tmp[16] = { 0 };

	memcpy(tmp, k, head);
	h = key_hash(key_lo8(tmp), klen);
	for (;; h++) {
		int32_t c = slots[h & mask];

		if (c < 0)
			return -1;
		if (nodes[c].klen == klen && memcmp(nodes[c].key, k, klen) == 0)
			return c;
	}
#endif
}

/* The child of node named by the key text [k, k+klen), or -1. Keys with
 * escapes are compared after decoding (raw bytes are compared as is). */
static int32_t match_key(struct scan *s, int32_t node, const char *k,
                         size_t klen, int esc)
{
	const struct js_node *nodes = s->nodes;
	int32_t c;

	if (!esc) {
		c = find_child(s, &nodes[node], k, klen);
	} else {
		for (c = nodes[node].child; c >= 0; c = nodes[c].next)
			if (js_text_equal(k, klen, nodes[c].key, nodes[c].klen, 0))
				break;
	}
	if (c >= 0)
		reset_below(s, nodes[c].below);
	return c;
}

#if defined(__SSE2__) && defined(__x86_64__)
/* match_key for a key of klen < 16 bytes without escapes, given the 16
 * bytes x that start it: the bytes past the key are cleared, which makes x
 * the node's zero-padded k16 itself, so one compare of all 16 bytes
 * decides. Lengths need no compare: neither the key (no byte below 0x20)
 * nor a node's key (from a C string) holds a zero byte, so equal k16s
 * mean equal lengths, and a node key of 16 bytes or more has none in
 * k16 where x has one. */
static ALWAYS_INLINE int32_t match_short(struct scan *s,
                                         const struct js_node *nodes,
                                         const int32_t *slots, int32_t node,
                                         __m128i x, uint32_t klen)
{
	static const unsigned char keep[32] = {
		255, 255, 255, 255, 255, 255, 255, 255,
		255, 255, 255, 255, 255, 255, 255, 255
	};
	const struct js_node *nd = &nodes[node];
	uint32_t h;

	x = _mm_and_si128(x, _mm_loadu_si128((const __m128i *)(const void *)
	                                     (keep + 16 - klen)));
	slots += nd->hoff;
	for (h = key_hash((uint64_t)_mm_cvtsi128_si64(x), klen);; h++) {
		int32_t c = slots[h & nd->hmask];

		if (c < 0)
			return -1;
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_loadu_si128(
		    (const __m128i *)(const void *)nodes[c].k16))) == 0xFFFF) {
			reset_below(s, nodes[c].below);
			return c;
		}
	}
}
#endif

static int32_t match_index(const struct js_node *nodes, const struct frame *f)
{
	if (f->node < 0)
		return -1;
	for (int32_t c = nodes[f->node].child; c >= 0; c = nodes[c].next)
		if (nodes[c].index == f->idx)
			return c;
	return -1;
}

static ALWAYS_INLINE struct frame *push(struct scan *s, const struct js_node *nodes,
                                        size_t pos, int32_t target, int arr)
{
	struct frame *f = &s->st[s->depth++];

	f->start = (uint32_t)pos;
	f->idx = 0;
	f->arr = (uint8_t)arr;
	f->close = arr ? ']' : '}';
	f->node = f->self = -1;
	if (target >= 0) {
		f->self = nodes[target].pidx;
		if (nodes[target].child >= 0)
			f->node = target;
	}
	return f;
}

/* Each state handles the byte it expects first: compact JSON (no
 * whitespace between tokens, as in log lines) goes straight through, and
 * whitespace takes a detour back into the same state. */
static ALWAYS_INLINE int scan_body(struct scan *s, const int mapped)
{
	const char *const p = s->p;
	const size_t n = s->n;
	const uint64_t *const map = s->map;
	const struct js_node *const nodes = s->nodes;
	struct js_view *const out = s->out;
#if defined(__SSE2__) && defined(__x86_64__)
	const int32_t *const slots = s->slots;
	const ptrdiff_t last16 = (ptrdiff_t)n - 16;     /* n < 2^32: no overflow */
#endif
	size_t pos = 0, a, b;
	int32_t target = nodes ? 0 : -1;
	struct frame *f = NULL; /* the innermost container; NULL at the top */
	struct num num;
	uint8_t type;
	int esc;

value:
	if (pos >= n)
		return fail(s, ERR_EOF, n);
value_in:       /* pos < n */
	a = pos;
	esc = 0;
	if (p[pos] == '"') {    /* the most frequent value first */
		b = scan_string(s, p, n, map, pos + 1, &esc, mapped);
		if (b == SIZE_MAX)
			return -1;
		a++;
		pos = b + 1;
		type = JS_STRING;
		goto got;
	}
	if ((unsigned char)(p[pos] - '0') < 10 || p[pos] == '-') { /* then numbers */
		pos = b = num_end(p, pos, n, &num);
		if (pos == SIZE_MAX)
			return fail(s, "invalid number", num.at);
		type = JS_NUMBER;
		goto got;
	}
	switch (p[pos]) {
	case ' ': case '\t': case '\n': case '\r':
		pos = skip_ws(p, pos, n);
		goto value;
	case '{': case '[':
		if (s->depth == JS_MAX_DEPTH)
			return fail(s, "nesting too deep", pos);
		f = push(s, nodes, pos, target, p[pos] == '[');
		pos = skip_ws(p, pos + 1, n);
		if (pos < n && p[pos] == f->close) {
			pos++;
			goto close;
		}
		if (!f->arr)
			goto key;
		target = match_index(nodes, f);
		goto value;
	case 't': case 'f': case 'n':
		pos = b = scan_literal(s, pos, &type);
		if (pos == SIZE_MAX)
			return -1;
		break;
	default:
		return fail(s, value_error(p[pos]), pos);
	}
got:
	if (target >= 0)
		record(s, nodes, out, p, target, type, a, b, esc);
	goto next;
close:
	f = &s->st[--s->depth];
	if (f->self >= 0) {
		struct js_view *v = &out[f->self];

		s->set[f->self >> 6] |= (uint64_t)1 << (f->self & 63);
		v->p = p + f->start;
		v->n = (uint32_t)(pos - f->start);
		v->type = f->arr ? JS_ARRAY : JS_OBJECT;
		v->escaped = 0;
	}
	f = s->depth > 0 ? f - 1 : NULL;
next:
	if (!f) {
		pos = skip_ws(p, pos, n);
		return pos == n ? 0 :
		       fail(s, "trailing characters after JSON value", pos);
	}
	if (pos >= n)
		return fail(s, ERR_EOF, n);
	if (p[pos] == ',') {
		pos++;
		if (!f->arr)
			goto key;
		f->idx++;
		target = match_index(nodes, f);
		goto value;
	}
	if (p[pos] == f->close) {
		pos++;
		goto close;
	}
	if ((unsigned char)p[pos] <= ' ') {
		/* skip_ws moves iff p[pos] is whitespace */
		size_t q = skip_ws(p, pos, n);

		if (q != pos) {
			pos = q;
			goto next;
		}
	}
	return fail(s, f->arr ? "expected ',' or ']' in array" :
	                        "expected ',' or '}' in object", pos);
key:
	if (pos >= n || p[pos] != '"') {
		pos = skip_ws(p, pos, n);
		if (pos >= n)
			return fail(s, ERR_EOF, n);
		if (p[pos] != '"')
			return fail(s, "expected string key in object", pos);
	}
	a = pos + 1;
#if defined(__SSE2__) && defined(__x86_64__)
	/* A short plain key is looked up from one 16-byte load. */
	pos = next_sp(p, n, map, a, mapped);
	if (pos - a < 16 && (ptrdiff_t)a <= last16 && p[pos] == '"') {
		target = f->node >= 0 ? match_short(s, nodes, slots, f->node, _mm_loadu_si128(
		         (const __m128i *)(const void *)(p + a)), (uint32_t)(pos - a)) : -1;
		goto colon;
	}
#endif
	esc = 0;
	pos = scan_string(s, p, n, map, a, &esc, mapped);
	if (pos == SIZE_MAX)
		return -1;
	target = f->node >= 0 ? match_key(s, f->node, p + a, pos - a, esc) : -1;
colon:
	pos++;
	if (pos + 1 < n && p[pos] == ':') {     /* and a value byte follows */
		pos++;
		goto value_in;
	}
	if (pos >= n || p[pos] != ':') {
		pos = skip_ws(p, pos, n);
		if (pos >= n)
			return fail(s, ERR_EOF, n);
		if (p[pos] != ':')
			return fail(s, "expected ':' after object key", pos);
	}
	pos++;
	goto value;
}

static NOINLINE int scan_mapped(struct scan *s)
{
	return scan_body(s, 1);
}

static NOINLINE int scan_unmapped(struct scan *s)
{
	return scan_body(s, 0);
}

int js_scan(const struct js_paths *ps, const char *p, size_t n,
            struct js_view *out, struct js_err *err)
{
	struct scan s;
	int cnt = js_paths_count(ps);

	if (cnt > 0)
		memset(out, 0, (size_t)cnt * sizeof *out);
	s.p = p;
	s.n = n;
	s.nodes = cnt > 0 ? ps->nodes : NULL;
	s.slots = cnt > 0 ? ps->slots : NULL;
	s.out = out;
	s.set[0] = s.set[1] = 0;
	s.err = err;
	s.depth = 0;
	if (n > UINT32_MAX)     /* views hold 32-bit lengths */
		return fail(&s, "input too large", 0);
	map_build(&s, ps != NULL && ps->wide);        /* NULL: only validate */
	return s.map ? scan_mapped(&s) : scan_unmapped(&s);
}
