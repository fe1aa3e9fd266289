/* ltime.c - parses log timestamps and epoch numbers into microseconds and does the zone and calendar arithmetic used for day, week and month buckets. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* setenv, tm_gmtoff */
#endif
#include "ltime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define US_PER_S   INT64_C(1000000)
#define US_PER_DAY INT64_C(86400000000)
#define US_PER_SLOT INT64_C(900000000)          /* 15 minutes */

/* 1900-01-01T00:00:00Z and 2301-01-01T00:00:00Z (exclusive), microseconds. */
#define MIN_US (INT64_C(-2208988800) * US_PER_S)
#define END_US (INT64_C(10445328000) * US_PER_S)

/* ---------------------------------------------------------------- arithmetic */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

static int in_range(int64_t us)
{
	return us >= MIN_US && us < END_US;
}

/* ------------------------------------------------------------------ calendar */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const unsigned char dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Years are counted from March so the leap day ends the year; a 400-year
 * era holds 146097 days; 719468 days separate 0000-03-01 from 1970-01-01. */
int32_t ltime_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                           /* 0..399 */
	int64_t mp = m > 2 ? m - 3 : m + 9;                     /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;               /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;    /* 0..146096 */
	return (int32_t)(era * 146097 + doe - 719468);
}

void ltime_civil(int32_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

int32_t ltime_day_of(int64_t local_us)
{
	return (int32_t)floor_div(local_us, US_PER_DAY);
}

int ltime_weekday(int32_t day)
{
	return (int)floor_mod((int64_t)day + 3, 7);     /* 1970-01-01 was a Thursday */
}

int32_t ltime_week_start(int32_t day)
{
	return day - ltime_weekday(day);
}

void ltime_isoweek(int32_t day, int *iso_year, int *iso_week)
{
	int32_t thursday = ltime_week_start(day) + 3;
	int y, m, d;
	ltime_civil(thursday, &y, &m, &d);
	*iso_year = y;
	*iso_week = (thursday - ltime_days_from_civil(y, 1, 1)) / 7 + 1;
}

int32_t ltime_month_index(int32_t day)
{
	int y, m, d;
	ltime_civil(day, &y, &m, &d);
	return y * 12 + (m - 1);
}

/* -------------------------------------------------------------------- epoch */

enum { UNIT_S, UNIT_MS, UNIT_US, UNIT_NS };

static int unit_of(uint64_t mag)
{
	if (mag < UINT64_C(100000000000))
		return UNIT_S;
	if (mag < UINT64_C(100000000000000))
		return UNIT_MS;
	if (mag < UINT64_C(100000000000000000))
		return UNIT_US;
	return UNIT_NS;
}

/* Microseconds per unit; nanoseconds are handled apart. */
static const uint64_t unit_us[3] = {1000000, 1000, 1};

static int finish_epoch(int neg, uint64_t mag_us, int64_t *us)
{
	if (mag_us > (uint64_t)INT64_MAX)
		return -1;
	int64_t v = neg ? -(int64_t)mag_us : (int64_t)mag_us;
	if (!in_range(v))
		return -1;
	*us = v;
	return 0;
}

/* Exact conversion of |v| = ip + n9 / 1e9 (n9 < 1e9), rounding the
 * sub-microsecond remainder half away from zero. */
static int epoch_exact(int neg, uint64_t ip, uint32_t n9, int64_t *us)
{
	int u = unit_of(ip);
	if (u == UNIT_NS)
		return finish_epoch(neg, (ip + 500) / 1000, us);
	uint64_t per = unit_us[u];
	uint64_t ns_per_us = UINT64_C(1000000000) / per;        /* of n9 */
	uint64_t frac = (n9 + ns_per_us / 2) / ns_per_us;
	return finish_epoch(neg, ip * per + frac, us);
}

int ltime_from_epoch_int(int64_t v, int64_t *us)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	return epoch_exact(v < 0, mag, 0, us);
}

int ltime_from_epoch(double v, int64_t *us)
{
	if (!isfinite(v))
		return -1;
	double a = fabs(v);
	if (a >= 9223372036854775808.0)            /* 2^63 */
		return -1;
	double ip = floor(a);
	double fp = a - ip;                                     /* exact */
	uint64_t mag = (uint64_t)ip;
	int u = unit_of(mag);
	if (u == UNIT_NS)
		return finish_epoch(v < 0, (mag + 500) / 1000, us);
	double frac_d = floor(fp * (double)unit_us[u] + 0.5);
	uint64_t frac = (uint64_t)frac_d;
	return finish_epoch(v < 0, mag * unit_us[u] + frac, us);
}

/* Reads "-?digits(.digits)?" over the whole of s[0..n). */
static int parse_epoch_str(const char *s, size_t n, int64_t *us)
{
	size_t i = 0;
	int neg = n > 0 && s[0] == '-';
	i += (size_t)neg;
	size_t start = i;
	uint64_t ip = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (ip > (UINT64_MAX - 9) / 10)
			return -1;
		ip = ip * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == start || ip > (uint64_t)INT64_MAX)
		return -1;                              /* the integer part is an int64 */
	uint32_t n9 = 0;
	if (i < n && s[i] == '.') {
		size_t fs = ++i;
		uint32_t scale = 100000000;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
			n9 += (uint32_t)(s[i] - '0') * scale;   /* scale 0 past 9 digits */
		if (i == fs)
			return -1;
	}
	if (i != n)
		return -1;
	return epoch_exact(neg, ip, n9, us);
}

/* ---------------------------------------------------------------- ISO 8601 */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Two digits at p, or -1. */
static int dig2(const char *p)
{
	if (!is_digit(p[0]) || !is_digit(p[1]))
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

static int dig4(const char *p)
{
	int a = dig2(p), b = dig2(p + 2);
	return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/* The last valid date each thread parsed: logs run in time order, so
 * most timestamps repeat the date before them (a third of a timestamp's
 * parsing cost). */
static _Thread_local struct { uint64_t lo; uint16_t hi; int32_t day; } last_date;

/* "YYYY-MM-DD" at s (n >= 10 checked by caller); sets *day. */
static int parse_date(const char *s, int32_t *day)
{
	uint64_t lo;
	uint16_t hi;
	int y, m, d;

	memcpy(&lo, s, 8);
	memcpy(&hi, s + 8, 2);
	if (lo == last_date.lo && hi == last_date.hi && lo != 0) {
		*day = last_date.day;
		return 0;
	}
	y = dig4(s);
	m = dig2(s + 5);
	d = dig2(s + 8);
	if (y < 0 || s[4] != '-' || s[7] != '-' || m < 1 || m > 12)
		return -1;
	if (d < 1 || d > days_in_month(y, m))
		return -1;
	*day = ltime_days_from_civil(y, m, d);
	last_date.lo = lo;
	last_date.hi = hi;
	last_date.day = *day;
	return 0;
}

/* ".F" with 1 to 9 digits at s[*i]; adds the rounded microseconds. */
static int parse_frac(const char *s, size_t n, size_t *i, int64_t *frac_us)
{
	size_t p = *i + 1, start = p;
	uint32_t ns = 0, scale = 100000000;
	for (; p < n && is_digit(s[p]); p++, scale /= 10) {
		if (p - start == 9)
			return -1;
		ns += (uint32_t)(s[p] - '0') * scale;
	}
	if (p == start)
		return -1;
	*frac_us = (ns + 500) / 1000;
	*i = p;
	return 0;
}

/* "HH:MM[:SS[.F]]" at s[*i]; sets *sec (of day) and *frac_us. */
static int parse_clock(const char *s, size_t n, size_t *i, int32_t *sec, int64_t *frac_us)
{
	size_t p = *i;
	if (n - p < 5 || s[p + 2] != ':')
		return -1;
	int h = dig2(s + p), mi = dig2(s + p + 3), sc = 0;
	if (h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	p += 5;
	*frac_us = 0;
	if (p < n && s[p] == ':') {
		if (n - p < 3 || (sc = dig2(s + p + 1)) < 0 || sc > 60)
			return -1;
		p += 3;
		if (p < n && s[p] == '.' && parse_frac(s, n, &p, frac_us) < 0)
			return -1;
	}
	*sec = h * 3600 + mi * 60 + sc;
	*i = p;
	return 0;
}

/* "Z", "+HH:MM", "+HHMM" or "+HH" filling exactly s[i..n); seconds east. */
static int parse_offset(const char *s, size_t n, int32_t *off)
{
	if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*off = 0;
		return 0;
	}
	if (n < 3 || (s[0] != '+' && s[0] != '-'))
		return -1;
	int h = dig2(s + 1), mi = 0;
	if (n == 6 && s[3] == ':')
		mi = dig2(s + 4);
	else if (n == 5)
		mi = dig2(s + 3);
	else if (n != 3)
		return -1;
	if (h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	*off = (h * 3600 + mi * 60) * (s[0] == '-' ? -1 : 1);
	return 0;
}

static int parse_iso(const char *s, size_t n, int64_t *us)
{
	int32_t day, sec = 0, off = 0;
	int64_t frac_us = 0;
	if (parse_date(s, &day) < 0)
		return -1;
	size_t i = 10;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return -1;
		i++;
		if (parse_clock(s, n, &i, &sec, &frac_us) < 0)
			return -1;
		if (i < n && parse_offset(s + i, n - i, &off) < 0)
			return -1;
	}
	int64_t v = ((int64_t)day * 86400 + sec - off) * US_PER_S + frac_us;
	if (!in_range(v))
		return -1;
	*us = v;
	return 0;
}

int ltime_parse(const char *s, size_t n, int64_t *us)
{
	if (s == NULL || n == 0)
		return -1;
	if (n >= 10 && s[4] == '-')
		return parse_iso(s, n, us);
	return parse_epoch_str(s, n, us);
}

/* -------------------------------------------------------------------- zones */

static void set_name(struct ltime_zone *z, const char *name)
{
	size_t len = strlen(name);
	if (len >= sizeof z->name)
		len = sizeof z->name - 1;
	memcpy(z->name, name, len);
	z->name[len] = '\0';
}

/* "+HH:MM", "+HHMM" or "+HH" (or '-'); no "Z" here. */
static int parse_fixed_zone(const char *name, int32_t *off)
{
	if (name[0] != '+' && name[0] != '-')
		return -1;
	return parse_offset(name, strlen(name), off);
}

static int iana_name_ok(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= sizeof ((struct ltime_zone *)0)->name || name[0] == '/')
		return 0;
	if (strstr(name, "..") != NULL)
		return 0;
	for (const char *p = name; *p; p++) {
		char c = *p;
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) ||
			 c == '/' || c == '_' || c == '+' || c == '-';
		if (!ok)
			return 0;
	}
	return 1;
}

/* True when dir/name is a regular file starting with the TZif magic. */
static int is_tzif_file(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	struct stat st;
	char magic[4];
	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	int w = snprintf(path, sizeof path, "%s/%s", dir, name);
	if (w < 0 || (size_t)w >= sizeof path)
		return 0;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	size_t got = fread(magic, 1, sizeof magic, f);
	fclose(f);
	return got == sizeof magic && memcmp(magic, "TZif", 4) == 0;
}

static int is_utc_name(const char *name)
{
	return name == NULL || name[0] == '\0' || strcmp(name, "UTC") == 0 ||
	       strcmp(name, "Z") == 0 || strcmp(name, "Etc/UTC") == 0;
}

int ltime_zone_init(struct ltime_zone *z, const char *name)
{
	int32_t off;
	memset(z, 0, sizeof *z);
	if (is_utc_name(name)) {
		set_name(z, "UTC");
		return 0;
	}
	if (name[0] == '+' || name[0] == '-') {
		if (parse_fixed_zone(name, &off) < 0)
			return -1;
		z->kind = 1;
		z->fixed = off;
		set_name(z, name);
		return 0;
	}
	if (!iana_name_ok(name) || !is_tzif_file(name))
		return -1;
	if (setenv("TZ", name, 1) != 0)
		return -1;
	tzset();
	z->kind = 2;
	set_name(z, name);
	return 0;
}

/* Offset of the libc local zone at the start of a 15-minute slot. */
static int32_t slot_offset(int64_t slot)
{
	time_t t = (time_t)(slot * 900);
	struct tm tm;
	if (localtime_r(&t, &tm) == NULL)
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

int32_t ltime_offset(const struct ltime_zone *z, struct ltime_cache *c, int64_t us)
{
	if (z->kind == 0)
		return 0;
	if (z->kind == 1)
		return z->fixed;
	int64_t slot = floor_div(us, US_PER_SLOT);
	if (c != NULL && c->valid && c->slot == slot)
		return c->off;
	int32_t off = slot_offset(slot);
	if (c != NULL) {
		c->slot = slot;
		c->off = off;
		c->valid = 1;
	}
	return off;
}

int64_t ltime_local(const struct ltime_zone *z, struct ltime_cache *c, int64_t us)
{
	return us + (int64_t)ltime_offset(z, c, us) * US_PER_S;
}

/* ----------------------------------------------------------------- format */

/* Field values as printed: years clamped to 0000-9999, other fields
 * reduced modulo their width so the output always fits its buffer. */
static unsigned year4(int y)
{
	return y < 0 ? 0u : y > 9999 ? 9999u : (unsigned)y;
}

static unsigned two(int64_t v)
{
	return (unsigned)(v < 0 ? 0 : v % 100);
}

void ltime_fmt_date(int32_t day, char out[11])
{
	int y, m, d;
	ltime_civil(day, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", year4(y) % 10000u, two(m), two(d));
}

void ltime_fmt_week(int32_t day, char out[16])
{
	int y, w;
	ltime_isoweek(day, &y, &w);
	snprintf(out, 16, "%04u-W%02u", year4(y) % 10000u, two(w));
}

void ltime_fmt_month(int32_t month_index, char out[8])
{
	int m0 = (int)(month_index % 12);
	if (m0 < 0)
		m0 += 12;
	int y = (int)((month_index - m0) / 12);
	snprintf(out, 8, "%04u-%02u", year4(y) % 10000u, two(m0 + 1));
}

/* "Z", or "+HH:MM" / "-HH:MM" from whole minutes of the offset (under a day). */
static void fmt_zone(int32_t off, char out[8])
{
	if (off == 0) {
		snprintf(out, 8, "Z");
		return;
	}
	int64_t a = off < 0 ? -(int64_t)off : off;
	snprintf(out, 8, "%c%02u:%02u", off < 0 ? '-' : '+', two(a / 3600), two(a / 60 % 60));
}

void ltime_fmt_iso(int64_t local_us, const int32_t *off_s, char out[32])
{
	int64_t day = floor_div(local_us, US_PER_DAY);
	int64_t rem = local_us - day * US_PER_DAY;              /* 0..day */
	int64_t ms = rem / 1000, s = ms / 1000;
	int y, m, d;
	char zone[8] = "";
	ltime_civil((int32_t)day, &y, &m, &d);
	if (off_s != NULL)
		fmt_zone(*off_s, zone);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%03u%.7s", year4(y) % 10000u,
		 two(m), two(d), two(s / 3600), two(s / 60 % 60), two(s % 60),
		 (unsigned)(ms % 1000) % 1000u, zone);
}
