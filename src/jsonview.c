/* jsonview.c - reading the views js_scan records: decoding strings
 * (js_unescape, js_streq, escaped keys) and iterating the members of
 * already-validated arrays and objects. */
#include "jsonscan.h"
#include "jsonlex.h"

#include <string.h>

/* ---- String decoding (js_unescape, js_streq, escaped keys). ---- */

static const unsigned char *hex4(const unsigned char *q,
                                 const unsigned char *end, uint32_t *cp)
{
	uint32_t v = 0;

	if (end - q < 4)
		return NULL;
	for (int i = 0; i < 4; i++) {
		int d = hexval(q[i]);

		if (d < 0)
			return NULL;
		v = v << 4 | (uint32_t)d;
	}
	*cp = v;
	return q + 4;
}

static int put_utf8(uint32_t cp, unsigned char *o)
{
	static const unsigned char lead[5] = { 0, 0, 0xC0, 0xE0, 0xF0 };
	int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;

	if (n == 1) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	for (int i = n - 1; i > 0; i--, cp >>= 6)
		o[i] = (unsigned char)(0x80 | (cp & 0x3F));
	o[0] = (unsigned char)(lead[n] | cp);
	return n;
}

/* Decodes the escape at *pp (a backslash); a pair of \u escapes forming a
 * surrogate pair gives one character, a lone surrogate gives U+FFFD. */
static int dec_escape(const unsigned char **pp, const unsigned char *end,
                      unsigned char *o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const unsigned char *q = *pp + 1, *r;
	const char *hit;
	uint32_t cp, lo;

	if (q >= end || *q == '\0' || (*q != 'u' && !(hit = strchr(from, *q)))) {
		*pp = q;
		return put_utf8(0xFFFD, o);
	}
	if (*q != 'u') {
		*pp = q + 1;
		o[0] = (unsigned char)to[hit - from];
		return 1;
	}
	r = hex4(q + 1, end, &cp);
	if (!r) {
		*pp = q;
		return put_utf8(0xFFFD, o);
	}
	if (cp >= 0xD800 && cp < 0xDC00 && end - r >= 6 && r[0] == '\\' &&
	    r[1] == 'u' && hex4(r + 2, end, &lo) && lo >= 0xDC00 && lo < 0xE000) {
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		r += 6;
	} else if (cp >= 0xD800 && cp < 0xE000) {
		cp = 0xFFFD;
	}
	*pp = r;
	return put_utf8(cp, o);
}

/* Copies one well-formed UTF-8 sequence, or consumes its longest valid
 * prefix (at least one byte) and gives U+FFFD. */
static int dec_utf8(const unsigned char **pp, const unsigned char *end,
                    unsigned char *o)
{
	const unsigned char *q = *pp;
	unsigned b = q[0], lo = 0x80, hi = 0xBF, need = 0, i = 1;

	if (b >= 0xC2 && b <= 0xDF)
		need = 1;
	else if (b >= 0xE0 && b <= 0xEF)
		need = 2, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
	else if (b >= 0xF0 && b <= 0xF4)
		need = 3, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
	for (; i <= need && q + i < end && q[i] >= lo && q[i] <= hi; i++)
		lo = 0x80, hi = 0xBF;
	*pp = q + i;
	if (need && i == need + 1) {
		memcpy(o, q, i);
		return (int)i;
	}
	return put_utf8(0xFFFD, o);
}

/* Decodes one character of string text; fix replaces invalid UTF-8 with
 * U+FFFD, otherwise raw bytes pass through. Returns the bytes put in o. */
static int dec_char(const unsigned char **pp, const unsigned char *end,
                    unsigned char *o, int fix)
{
	unsigned char c = **pp;

	if (c == '\\')
		return dec_escape(pp, end, o);
	if (c >= 0x80 && fix)
		return dec_utf8(pp, end, o);
	o[0] = c;
	(*pp)++;
	return 1;
}

/* Whether the decoded string text [t, t+n) equals s[0..sl). */
int js_text_equal(const char *t, size_t n, const char *s, size_t sl, int fix)
{
	const unsigned char *q = (const unsigned char *)t, *end = q + n;
	unsigned char o[4];
	size_t k = 0;

	while (q < end) {
		size_t m = (size_t)dec_char(&q, end, o, fix);

		if (sl - k < m || memcmp(s + k, o, m) != 0)
			return 0;
		k += m;
	}
	return k == sl;
}

long js_unescape(const struct js_view *v, char *buf, size_t cap)
{
	const unsigned char *q = (const unsigned char *)v->p, *end = q + v->n;
	unsigned char o[4];
	size_t k = 0;

	if (v->type != JS_STRING) {
		if (v->n > cap)
			return -1;
		if (v->n)
			memcpy(buf, v->p, v->n);
		return (long)v->n;
	}
	while (q < end) {
		size_t m;

		if (*q < 0x80 && *q != '\\') {
			if (k == cap)
				return -1;
			buf[k++] = (char)*q++;
			continue;
		}
		m = (size_t)dec_char(&q, end, o, 1);
		if (cap - k < m)
			return -1;
		memcpy(buf + k, o, m);
		k += m;
	}
	return (long)k;
}

int js_streq(const struct js_view *v, const char *s)
{
	if (v->type != JS_STRING)
		return 0;
	return js_text_equal(v->p, v->n, s, strlen(s), 1);
}

/* ---- Iterating already-validated containers. ---- */

/* End of the valid JSON value starting at pos. */
static size_t skip_value(const char *p, size_t pos, size_t n)
{
	size_t depth = 0;

	if (pos < n && p[pos] != '"' && p[pos] != '{' && p[pos] != '[') {
		while (pos < n && !strchr(",]} \t\r\n", p[pos]))
			pos++;
		return pos;
	}
	while (pos < n) {
		char c = p[pos];

		if (c == '"') {
			for (pos = find_special(p, pos + 1, n);
			     pos < n && p[pos] != '"';
			     pos = find_special(p, pos, n))
				pos += p[pos] == '\\' ? 2 : 1;
			pos = pos < n ? pos + 1 : n;
		} else {
			depth += c == '{' || c == '[';
			depth -= (c == '}' || c == ']') && depth > 0;
			pos++;
		}
		if (depth == 0)
			break;
	}
	return pos;
}

static void make_view(const char *p, size_t a, size_t b, struct js_view *v)
{
	v->p = p + a;
	v->n = (uint32_t)(b - a);
	v->escaped = 0;
	switch (p[a]) {
	case '"':
		v->type = JS_STRING;
		v->p++;
		v->n = b - a >= 2 ? (uint32_t)(b - a - 2) : 0;
		v->escaped = memchr(v->p, '\\', v->n) != NULL;
		break;
	case '{': v->type = JS_OBJECT; break;
	case '[': v->type = JS_ARRAY; break;
	case 't': v->type = JS_TRUE; break;
	case 'f': v->type = JS_FALSE; break;
	case 'n': v->type = JS_NULL; break;
	default: v->type = JS_NUMBER; break;
	}
}

/* Moves past the opening bracket or the separating comma; returns the
 * start of the next member, or SIZE_MAX at the end. */
static size_t iter_step(const struct js_view *v, size_t i, char open, char close)
{
	const char *p = v->p;
	size_t n = v->n;

	if (i == 0) {
		if (n == 0 || p[0] != open)
			return SIZE_MAX;
		i = 1;
	} else {
		i = skip_ws(p, i, n);
		if (i < n && p[i] == ',')
			i++;
	}
	i = skip_ws(p, i, n);
	return i >= n || p[i] == close ? SIZE_MAX : i;
}

int js_array_next(const struct js_view *arr, size_t *pos, struct js_view *elem)
{
	size_t i, e;

	if (arr->type != JS_ARRAY)
		return 0;
	i = iter_step(arr, *pos, '[', ']');
	if (i == SIZE_MAX)
		return 0;
	e = skip_value(arr->p, i, arr->n);
	make_view(arr->p, i, e, elem);
	*pos = e;
	return 1;
}

int js_object_next(const struct js_view *obj, size_t *pos,
                   struct js_view *key, struct js_view *val)
{
	const char *p = obj->p;
	size_t n = obj->n, i, e;

	if (obj->type != JS_OBJECT)
		return 0;
	i = iter_step(obj, *pos, '{', '}');
	if (i == SIZE_MAX || p[i] != '"')
		return 0;
	e = skip_value(p, i, n);
	make_view(p, i, e, key);
	i = skip_ws(p, e, n);
	if (i >= n || p[i] != ':')
		return 0;
	i = skip_ws(p, i + 1, n);
	e = skip_value(p, i, n);
	make_view(p, i, e, val);
	*pos = e;
	return 1;
}
