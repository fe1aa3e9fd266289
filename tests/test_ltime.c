/* test_ltime.c - unit tests for timestamp parsing, epoch units, zones, calendar buckets and formatting (ltime.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltime.h"

#define S_US INT64_C(1000000)

/* Expected epoch seconds below were obtained with `date -u -d ... +%s`. */
#define T_2026_10_01_130500 INT64_C(1790859900)   /* 2026-10-01T13:05:00Z */
#define T_2026_10_01        INT64_C(1790812800)   /* 2026-10-01T00:00:00Z */
#define T_2025_01_24_092046 INT64_C(1737710446)   /* 2025-01-24T09:20:46Z */
#define T_2024_02_29        INT64_C(1709164800)
#define T_2025_01_01        INT64_C(1735689600)
#define T_1900_01_01        INT64_C(-2208988800)
#define T_2300_12_31_235959 INT64_C(10445327999)
#define T_1955_06_15_120000 INT64_C(-459086400)
#define T_NY_SPRING         INT64_C(1772953200)   /* 2026-03-08T07:00:00Z */
#define T_NY_FALL           INT64_C(1793512800)   /* 2026-11-01T06:00:00Z */

static int parse(const char *s, int64_t *us)
{
	return ltime_parse(s, strlen(s), us);
}

static void expect_parse(const char *s, int64_t want)
{
	int64_t us = 12345;
	cr_assert_eq(parse(s, &us), 0, "rejected \"%s\"", s);
	cr_assert_eq(us, want, "\"%s\": got %lld want %lld", s, (long long)us, (long long)want);
}

static void expect_reject(const char *s)
{
	int64_t us = 12345;
	cr_assert_eq(parse(s, &us), -1, "accepted \"%s\" as %lld", s, (long long)us);
	cr_assert_eq(us, 12345, "\"%s\": output written on failure", s);
}

/* ------------------------------------------------------------ ISO parsing */

Test(ltime, parse_iso_basic_forms)
{
	int64_t base = T_2026_10_01_130500 * S_US;
	expect_parse("2026-10-01T13:05:00Z", base);
	expect_parse("2026-10-01t13:05:00z", base);
	expect_parse("2026-10-01 13:05:00Z", base);
	expect_parse("2026-10-01T13:05:00", base);
	expect_parse("2026-10-01T13:05", base);
	expect_parse("2026-10-01T13:05Z", base);
	expect_parse("2026-10-01T13:05:00+00:00", base);
	expect_parse("2026-10-01T13:05:00-00:00", base);
	expect_parse("2026-10-01T13:05:00+0000", base);
	expect_parse("2026-10-01", T_2026_10_01 * S_US);
	expect_parse("2025-01-24 09:20:46.847371", T_2025_01_24_092046 * S_US + 847371);
}

Test(ltime, parse_iso_offsets)
{
	int64_t base = T_2026_10_01_130500 * S_US;
	/* 13:05:00.250+02:00 is 11:05:00.250Z (date: 1790852700) */
	expect_parse("2026-10-01T13:05:00.250+02:00", INT64_C(1790852700) * S_US + 250000);
	expect_parse("2026-10-01T13:05:00-0500", INT64_C(1790877900) * S_US);  /* 18:05Z */
	expect_parse("2026-10-01T13:05:00+05", INT64_C(1790841900) * S_US);    /* 08:05Z */
	expect_parse("2026-10-01T13:05:00+05:30", INT64_C(1790840100) * S_US); /* 07:35Z */
	expect_parse("2026-10-01T13:05:00-08:00", INT64_C(1790888700) * S_US); /* 21:05Z */
	expect_parse("2026-10-01T13:05+01:00", base - 3600 * S_US);
	expect_parse("2026-10-01T13:05:00.5-01", base + 3600 * S_US + 500000);
	/* an offset carrying the time across midnight */
	expect_parse("2026-10-01T01:00:00+05:00", (T_2026_10_01 - 4 * 3600) * S_US);
	expect_parse("2026-10-01T23:00:00-05:00", (T_2026_10_01 + 28 * 3600) * S_US);
}

Test(ltime, parse_iso_fractions)
{
	int64_t base = T_2026_10_01_130500 * S_US;
	expect_parse("2026-10-01T13:05:00.2Z", base + 200000);
	expect_parse("2026-10-01T13:05:00.25Z", base + 250000);
	expect_parse("2026-10-01T13:05:00.250Z", base + 250000);
	expect_parse("2026-10-01T13:05:00.000001Z", base + 1);
	expect_parse("2026-10-01T13:05:00.123456Z", base + 123456);
	expect_parse("2026-10-01T13:05:00.1234564Z", base + 123456);
	expect_parse("2026-10-01T13:05:00.1234565Z", base + 123457);  /* half rounds up */
	expect_parse("2026-10-01T13:05:00.123456789Z", base + 123457);
	expect_parse("2026-10-01T13:05:00.000000499Z", base);
	expect_parse("2026-10-01T13:05:00.9999996Z", base + S_US);    /* into next second */
	expect_parse("2026-10-01T13:05:00.999999999", base + S_US);
}

Test(ltime, parse_iso_calendar_edges)
{
	expect_parse("2024-02-29", T_2024_02_29 * S_US);
	expect_parse("2024-02-29T00:00:00Z", T_2024_02_29 * S_US);
	expect_parse("2000-02-29", INT64_C(951782400) * S_US);        /* 400-year leap */
	expect_parse("2024-12-31T23:59:60Z", T_2025_01_01 * S_US);    /* leap second */
	expect_parse("1900-01-01T00:00:00Z", T_1900_01_01 * S_US);
	expect_parse("1900-01-01", T_1900_01_01 * S_US);
	expect_parse("2300-12-31T23:59:59.999999Z", T_2300_12_31_235959 * S_US + 999999);
	expect_parse("1955-06-15T12:00:00Z", T_1955_06_15_120000 * S_US);
	expect_parse("1969-12-31T23:59:59.5Z", -500000);
	expect_parse("1970-01-01T00:00:00Z", 0);
}

Test(ltime, parse_not_nul_terminated)
{
	const char buf[] = "2026-10-01T13:05:00Zjunk";
	int64_t us = 0;
	cr_assert_eq(ltime_parse(buf, 20, &us), 0);
	cr_assert_eq(us, T_2026_10_01_130500 * S_US);
	cr_assert_eq(ltime_parse(buf, 10, &us), 0);
	cr_assert_eq(us, T_2026_10_01 * S_US);
	cr_assert_eq(ltime_parse(buf, 21, &us), -1);
	const char num[] = "1733140000,\"x\"";
	cr_assert_eq(ltime_parse(num, 10, &us), 0);
	cr_assert_eq(us, INT64_C(1733140000) * S_US);
	cr_assert_eq(ltime_parse(NULL, 0, &us), -1);
}

Test(ltime, parse_rejects_bad_fields)
{
	expect_reject("2026-13-01");
	expect_reject("2026-00-01");
	expect_reject("2026-02-30");
	expect_reject("2026-02-29");
	expect_reject("1900-02-29");
	expect_reject("2026-04-31");
	expect_reject("2026-01-00");
	expect_reject("2026-01-32");
	expect_reject("2026-10-01T25:00");
	expect_reject("2026-10-01T24:00");
	expect_reject("2026-10-01T13:60");
	expect_reject("2026-10-01T13:05:61");
	expect_reject("2026-10-01T13:05:00+24:00");
	expect_reject("2026-10-01T13:05:00+05:60");
}

Test(ltime, parse_rejects_bad_shapes)
{
	expect_reject("");
	expect_reject("T");
	expect_reject("-");
	expect_reject("--");
	expect_reject("2026-10-01T13:05:00Zjunk");
	expect_reject("2026-10-01T13:05:00 ");
	expect_reject(" 2026-10-01");
	expect_reject("2026-10-01x");
	expect_reject("2026-10-01T");
	expect_reject("2026-10-01 ");
	expect_reject("2026-10-01T13");
	expect_reject("2026-10-01T13:");
	expect_reject("2026-10-01T13:5");
	expect_reject("2026-10-01T13:05:");
	expect_reject("2026-10-01T13:05:0");
	expect_reject("2026-10-01T13:05:00.");
	expect_reject("2026-10-01T13:05:00.1234567890");
	expect_reject("2026-10-01T13:05.5");
	expect_reject("2026-10-01T13:05:00,5");
	expect_reject("2026-10-01T13:05:00+5");
	expect_reject("2026-10-01T13:05:00+05:3");
	expect_reject("2026-10-01T13:05:00+053");
	expect_reject("2026-10-01T13:05:00+05300");
	expect_reject("2026-10-01T13:05:00+05:30x");
	expect_reject("2026-10-01T13:05:00ZZ");
	expect_reject("2026-10-01T13:05:00 Z");
	expect_reject("2026-10-01T13:05:00UTC");
	expect_reject("2026-10-01Z");
	expect_reject("2026/10/01");
	expect_reject("26-10-01");
	expect_reject("2026-1-01T00:00");
	expect_reject("2026-10-1T00:00:00");
	expect_reject("202a-10-01");
}

Test(ltime, parse_rejects_out_of_range_years)
{
	expect_reject("1899-12-31T23:59:59Z");
	expect_reject("1900-01-01T00:30:00+01:00");   /* 1899-12-31T23:30Z */
	expect_reject("2301-01-01");
	expect_reject("2300-12-31T23:30:00-01:00");   /* 2301-01-01T00:30Z */
	expect_reject("0001-01-01T00:00:00Z");
	expect_reject("9999-12-31");
}

/* ------------------------------------------------------------ epoch numbers */

static void expect_int(int64_t v, int64_t want)
{
	int64_t us = 12345;
	cr_assert_eq(ltime_from_epoch_int(v, &us), 0, "rejected %lld", (long long)v);
	cr_assert_eq(us, want, "%lld: got %lld want %lld", (long long)v, (long long)us,
		     (long long)want);
}

static void expect_int_reject(int64_t v)
{
	int64_t us = 12345;
	cr_assert_eq(ltime_from_epoch_int(v, &us), -1, "accepted %lld", (long long)v);
	cr_assert_eq(us, 12345);
}

static void expect_dbl(double v, int64_t want)
{
	int64_t us = 12345;
	cr_assert_eq(ltime_from_epoch(v, &us), 0, "rejected %.17g", v);
	cr_assert_eq(us, want, "%.17g: got %lld want %lld", v, (long long)us, (long long)want);
}

static void expect_dbl_reject(double v)
{
	int64_t us = 12345;
	cr_assert_eq(ltime_from_epoch(v, &us), -1, "accepted %.17g", v);
	cr_assert_eq(us, 12345);
}

Test(ltime, epoch_int_units)
{
	/* 1733140000 s is 2024-12-02T11:46:40Z (date -u -d @1733140000) */
	expect_int(INT64_C(1733140000), INT64_C(1733140000000000));
	expect_int(INT64_C(1733140000123), INT64_C(1733140000123000));
	expect_int(INT64_C(1733140000123456), INT64_C(1733140000123456));
	expect_int(INT64_C(1733140000123456789), INT64_C(1733140000123457));
	expect_int(INT64_C(1733140000000000000), INT64_C(1733140000000000));
	expect_int(INT64_C(1733140000123456499), INT64_C(1733140000123456));
	expect_int(INT64_C(1733140000123456500), INT64_C(1733140000123457));
	expect_int(0, 0);
	expect_int(-1, -S_US);
	expect_int(T_1955_06_15_120000, T_1955_06_15_120000 * S_US);
	expect_int(T_1955_06_15_120000 * 1000, T_1955_06_15_120000 * S_US);         /* ms */
	expect_int(T_1955_06_15_120000 * S_US, T_1955_06_15_120000 * S_US);         /* us */
	expect_int(INT64_C(-100000000000000500), INT64_C(-100000000000001));        /* ns, half away */
	expect_int(INT64_C(-100000000000000499), INT64_C(-100000000000000));
}

Test(ltime, epoch_int_magnitude_boundaries)
{
	/* each threshold starts the next unit: 1e11 ms = 1e14 us = 1e17 ns */
	expect_int(INT64_C(100000000000), INT64_C(100000000000000));
	expect_int(INT64_C(100000000000000), INT64_C(100000000000000));
	expect_int(INT64_C(100000000000000000), INT64_C(100000000000000));
	expect_int(-INT64_C(100000000000), -INT64_C(100000000000000));
	expect_int_reject(INT64_C(99999999999));              /* seconds: year 5138 */
	expect_int_reject(INT64_C(99999999999999));           /* ms: year 5138 */
	expect_int(T_1900_01_01, T_1900_01_01 * S_US);
	expect_int_reject(T_1900_01_01 - 1);
	expect_int(T_2300_12_31_235959, T_2300_12_31_235959 * S_US);
	expect_int_reject(T_2300_12_31_235959 + 1);
	expect_int(INT64_MAX, INT64_C(9223372036854776));   /* ns: 2262-04-11 */
	expect_int_reject(INT64_MIN);                       /* ns: 1677 */
}

Test(ltime, epoch_double_units)
{
	expect_dbl(1733140000.0, INT64_C(1733140000000000));
	expect_dbl(1733140000.5, INT64_C(1733140000500000));
	expect_dbl(1733140000.25, INT64_C(1733140000250000));
	expect_dbl(1733140000123.0, INT64_C(1733140000123000));
	expect_dbl(1733140000123.5, INT64_C(1733140000123500));
	expect_dbl(1733140000123456.0, INT64_C(1733140000123456));
	expect_dbl(1733140000123456.5, INT64_C(1733140000123457));
	/* exactly representable as a double (a multiple of 256) */
	expect_dbl(1733140000123456000.0, INT64_C(1733140000123456));
	expect_dbl(1.7331400001234568e18, INT64_C(1733140000123457));
	expect_dbl(-1.5, -1500000);
	expect_dbl(-0.25, -250000);
	expect_dbl(0.0, 0);
	expect_dbl(-459086400.0, T_1955_06_15_120000 * S_US);
	expect_dbl(1e11, INT64_C(100000000000000));
	expect_dbl(1e14, INT64_C(100000000000000));
	expect_dbl(1e17, INT64_C(100000000000000));
}

Test(ltime, epoch_double_rejects)
{
	expect_dbl_reject(NAN);
	expect_dbl_reject(INFINITY);
	expect_dbl_reject(-INFINITY);
	expect_dbl_reject(99999999999.0);
	expect_dbl_reject(-2208988800.5);
	expect_dbl_reject(10445328000.0);
	expect_dbl_reject(1e19);
	expect_dbl(9.2e18, INT64_C(9200000000000000));      /* ns: 2261 */
	expect_dbl_reject(-1e300);
}

Test(ltime, epoch_strings)
{
	expect_parse("1733140000", INT64_C(1733140000000000));
	expect_parse("1733140000.5", INT64_C(1733140000500000));
	expect_parse("1733140000.1234567", INT64_C(1733140000123457));
	expect_parse("1733140000.1234564", INT64_C(1733140000123456));
	expect_parse("1733140000.0000005", INT64_C(1733140000000001));
	expect_parse("1733140000.123456789123", INT64_C(1733140000123457));
	expect_parse("1733140000123", INT64_C(1733140000123000));
	expect_parse("1733140000123.4565", INT64_C(1733140000123457));
	expect_parse("1733140000123.4564", INT64_C(1733140000123456));
	expect_parse("1733140000123456", INT64_C(1733140000123456));
	expect_parse("1733140000123456.5", INT64_C(1733140000123457));
	expect_parse("1733140000123456.4999", INT64_C(1733140000123456));
	expect_parse("0", 0);
	expect_parse("-0", 0);
	expect_parse("-1", -S_US);
	expect_parse("-1.5", -1500000);
	expect_parse("-0.0000005", -1);                      /* half away from zero */
	expect_parse("-459086400", T_1955_06_15_120000 * S_US);
	expect_parse("-459086400000", T_1955_06_15_120000 * S_US);
	expect_parse("0001733140000", INT64_C(1733140000000000));  /* leading zeros */
}

Test(ltime, epoch_nanosecond_strings_exact)
{
	/* 1733140000000000001 is not a double; the int path must keep it */
	expect_parse("1733140000000000000", INT64_C(1733140000000000));
	expect_parse("1733140000000000499", INT64_C(1733140000000000));
	expect_parse("1733140000000000500", INT64_C(1733140000000001));
	expect_parse("1733140000123456789", INT64_C(1733140000123457));
	expect_parse("1733140000999999999", INT64_C(1733140001000000));
	expect_parse("1733140000123456789.9", INT64_C(1733140000123457));
	expect_parse("-100000000000000500", INT64_C(-100000000000001));
	expect_parse("9000000000000000000", INT64_C(9000000000000000));  /* 2255 */
}

Test(ltime, epoch_string_rejects)
{
	expect_reject("1.");
	expect_reject(".5");
	expect_reject("-.5");
	expect_reject("1.2.3");
	expect_reject("12a");
	expect_reject("+123");
	expect_reject("1e9");
	expect_reject(" 1733140000");
	expect_reject("1733140000 ");
	expect_reject("1733140000-");
	expect_reject("--1");
	expect_reject("-1-");
	expect_reject("99999999999");
	expect_reject("10445328000");
	expect_reject("-2208988801");
	expect_parse("9223372036854775807", INT64_C(9223372036854776));
	expect_reject("9223372036854775808");       /* beyond int64 */
	expect_reject("-9223372036854775808");
	expect_reject("99999999999999999999");
	expect_reject("1733140000000000000000000");
}

/* --------------------------------------------------------------- calendar */

static int naive_month_len(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : len[m - 1];
}

Test(ltime, civil_round_trip_1900_2300)
{
	int32_t day = ltime_days_from_civil(1900, 1, 1);
	cr_assert_eq(day, -25567);               /* -2208988800 / 86400 */
	int y = 1900, m = 1, d = 1, wd = 0;      /* 1900-01-01 was a Monday */
	int iso_y = 1900, iso_w = 1;             /* and opened 1900-W01 */
	long n = 0;
	while (y <= 2300) {
		int cy, cm, cd, gy, gw;
		cr_assert_eq(ltime_days_from_civil(y, m, d), day, "%d-%d-%d", y, m, d);
		ltime_civil(day, &cy, &cm, &cd);
		cr_assert(cy == y && cm == m && cd == d, "civil(%d) = %d-%d-%d, want %d-%d-%d",
			  day, cy, cm, cd, y, m, d);
		cr_assert_eq(ltime_weekday(day), wd, "weekday of %d-%d-%d", y, m, d);
		cr_assert_eq(ltime_week_start(day), day - wd);
		cr_assert_eq(ltime_month_index(day), y * 12 + m - 1);
		cr_assert_eq(ltime_day_of((int64_t)day * 86400 * S_US), day);
		cr_assert_eq(ltime_day_of(((int64_t)day + 1) * 86400 * S_US - 1), day);
		ltime_isoweek(day, &gy, &gw);
		cr_assert(gy == iso_y && gw == iso_w, "%d-%d-%d: %d-W%d, want %d-W%d", y, m, d,
			  gy, gw, iso_y, iso_w);
		/* step one day */
		day++;
		n++;
		wd = (wd + 1) % 7;
		if (++d > naive_month_len(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
		if (wd == 0) {
			/* a Monday: week 1 when its Thursday (3 days on) is in January 1-7 */
			int ty = y, tm = m, td = d + 3;
			if (td > naive_month_len(ty, tm)) {
				td -= naive_month_len(ty, tm);
				if (++tm > 12) {
					tm = 1;
					ty++;
				}
			}
			if (tm == 1 && td <= 7) {
				iso_y = ty;
				iso_w = 1;
			} else {
				iso_w++;
			}
		}
	}
	cr_assert_eq(n, 146097 + 365);           /* 401 years = one era + 2300 */
	cr_assert_eq(day, 120895);               /* 2301-01-01: 10445328000 / 86400 */
}

Test(ltime, civil_far_and_negative_days)
{
	int y, m, d;
	ltime_civil(-1, &y, &m, &d);
	cr_assert(y == 1969 && m == 12 && d == 31);
	ltime_civil(0, &y, &m, &d);
	cr_assert(y == 1970 && m == 1 && d == 1);
	ltime_civil(ltime_days_from_civil(-4, 2, 29), &y, &m, &d);
	cr_assert(y == -4 && m == 2 && d == 29);
	ltime_civil(ltime_days_from_civil(9999, 12, 31), &y, &m, &d);
	cr_assert(y == 9999 && m == 12 && d == 31);
	cr_assert_eq(ltime_days_from_civil(2026, 10, 1), 20727);   /* 1790812800 / 86400 */
	cr_assert_eq(ltime_day_of(-1), -1);
	cr_assert_eq(ltime_day_of(-86400 * S_US), -1);
	cr_assert_eq(ltime_day_of(-86400 * S_US - 1), -2);
}

Test(ltime, weekday_known_dates)
{
	cr_assert_eq(ltime_weekday(0), 3);                                   /* Thu */
	cr_assert_eq(ltime_weekday(-1), 2);                                  /* Wed */
	cr_assert_eq(ltime_weekday(ltime_days_from_civil(2026, 10, 1)), 3);  /* Thu */
	cr_assert_eq(ltime_weekday(ltime_days_from_civil(2024, 12, 30)), 0); /* Mon */
	cr_assert_eq(ltime_weekday(ltime_days_from_civil(2021, 1, 3)), 6);   /* Sun */
	cr_assert_eq(ltime_weekday(ltime_days_from_civil(2026, 3, 7)), 5);   /* Sat */
	cr_assert_eq(ltime_week_start(ltime_days_from_civil(2021, 1, 3)),
		     ltime_days_from_civil(2020, 12, 28));
	cr_assert_eq(ltime_week_start(-1), -3);                              /* 1969-12-29 */
}

static void expect_week(int y, int m, int d, int wy, int ww)
{
	int gy, gw;
	ltime_isoweek(ltime_days_from_civil(y, m, d), &gy, &gw);
	cr_assert(gy == wy && gw == ww, "%04d-%02d-%02d: %d-W%02d, want %d-W%02d", y, m, d, gy,
		  gw, wy, ww);
}

Test(ltime, iso_weeks_known_dates)
{
	/* checked with date -u -d ... +%G-W%V */
	expect_week(2024, 12, 30, 2025, 1);
	expect_week(2021, 1, 3, 2020, 53);
	expect_week(2026, 10, 1, 2026, 40);
	expect_week(2020, 12, 31, 2020, 53);
	expect_week(2021, 1, 4, 2021, 1);
	expect_week(2008, 12, 29, 2009, 1);
	expect_week(2010, 1, 3, 2009, 53);
	expect_week(1900, 1, 1, 1900, 1);
	expect_week(2300, 12, 31, 2301, 1);
	expect_week(2015, 12, 31, 2015, 53);
	expect_week(2016, 1, 3, 2015, 53);
	expect_week(2026, 3, 7, 2026, 10);
	expect_week(1969, 12, 31, 1970, 1);
}

Test(ltime, month_index)
{
	cr_assert_eq(ltime_month_index(ltime_days_from_civil(2026, 10, 1)), 2026 * 12 + 9);
	cr_assert_eq(ltime_month_index(ltime_days_from_civil(2026, 10, 31)), 2026 * 12 + 9);
	cr_assert_eq(ltime_month_index(ltime_days_from_civil(2026, 11, 1)), 2026 * 12 + 10);
	cr_assert_eq(ltime_month_index(-1), 1969 * 12 + 11);
	cr_assert_eq(ltime_month_index(0), 1970 * 12);
}

/* ------------------------------------------------------------------ zones */

Test(ltime, zone_utc_names)
{
	const char *names[] = {NULL, "", "UTC", "Z", "Etc/UTC"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct ltime_zone z;
		struct ltime_cache c = {0};
		cr_assert_eq(ltime_zone_init(&z, names[i]), 0, "%s", names[i] ? names[i] : "NULL");
		cr_assert_eq(z.kind, 0);
		cr_assert_eq(ltime_offset(&z, &c, T_NY_SPRING * S_US), 0);
		cr_assert_eq(ltime_local(&z, &c, 42), 42);
	}
}

static void expect_fixed(const char *name, int32_t off)
{
	struct ltime_zone z;
	struct ltime_cache c = {0};
	cr_assert_eq(ltime_zone_init(&z, name), 0, "%s", name);
	cr_assert_eq(z.kind, 1, "%s", name);
	cr_assert_eq(z.fixed, off, "%s: %d", name, z.fixed);
	cr_assert_str_eq(z.name, name);
	cr_assert_eq(ltime_offset(&z, &c, 0), off);
	cr_assert_eq(ltime_offset(&z, NULL, -5), off);
	cr_assert_eq(ltime_local(&z, &c, 1000), 1000 + (int64_t)off * S_US);
}

Test(ltime, zone_fixed_offsets)
{
	expect_fixed("+05:30", 19800);
	expect_fixed("-0800", -28800);
	expect_fixed("+05", 18000);
	expect_fixed("-08:00", -28800);
	expect_fixed("+00:00", 0);
	expect_fixed("-03:30", -12600);
	expect_fixed("+1345", 49500);
}

Test(ltime, zone_rejects)
{
	const char *bad[] = {"UTC+2", "+5", "+24:00", "+05:60", "+05:3", "+05:30x", "-", "+",
			     "Nowhere/City", "../etc/passwd", "Europe/../UTC", "/usr/share/zoneinfo/UTC",
			     "Europe", "zone.tab", "Europe/Paris ", "Europe/Paris,M3", "utc"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct ltime_zone z;
		cr_assert_eq(ltime_zone_init(&z, bad[i]), -1, "accepted \"%s\"", bad[i]);
	}
	char longname[100];
	memset(longname, 'A', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	struct ltime_zone z;
	cr_assert_eq(ltime_zone_init(&z, longname), -1);
}

Test(ltime, zone_iana_new_york_dst)
{
	struct ltime_zone z;
	struct ltime_cache c = {0};
	cr_assert_eq(ltime_zone_init(&z, "America/New_York"), 0, "is tzdata installed?");
	cr_assert_eq(z.kind, 2);
	cr_assert_str_eq(z.name, "America/New_York");
	/* spring forward at 2026-03-08T07:00Z: EST before, EDT from then on */
	cr_assert_eq(ltime_offset(&z, &c, T_NY_SPRING * S_US - 1), -18000);
	cr_assert_eq(ltime_offset(&z, &c, T_NY_SPRING * S_US), -14400);
	cr_assert_eq(ltime_offset(&z, &c, (T_NY_SPRING - 15 * 60) * S_US), -18000);
	cr_assert_eq(ltime_offset(&z, &c, (T_NY_SPRING + 15 * 60 - 1) * S_US), -14400);
	/* fall back at 2026-11-01T06:00Z */
	cr_assert_eq(ltime_offset(&z, &c, T_NY_FALL * S_US - 1), -14400);
	cr_assert_eq(ltime_offset(&z, &c, T_NY_FALL * S_US), -18000);
	/* 2026-03-08T04:30Z is 23:30 on March 7 in New York */
	int64_t us = (T_NY_SPRING - 150 * 60) * S_US;
	int64_t local = ltime_local(&z, &c, us);
	cr_assert_eq(local, us - 18000 * S_US);
	cr_assert_eq(ltime_day_of(local), ltime_days_from_civil(2026, 3, 7));
	/* 1955 had summer time in New York (TZ=America/New_York date) */
	cr_assert_eq(ltime_offset(&z, &c, T_1955_06_15_120000 * S_US), -14400);
	cr_assert_eq(ltime_offset(&z, NULL, T_NY_SPRING * S_US), -14400);
}

Test(ltime, zone_cache_slots)
{
	struct ltime_zone z;
	struct ltime_cache c = {0};
	cr_assert_eq(ltime_zone_init(&z, "America/New_York"), 0);
	ltime_offset(&z, &c, T_NY_SPRING * S_US + 5);
	cr_assert(c.valid);
	cr_assert_eq(c.slot, T_NY_SPRING / 900);
	cr_assert_eq(c.off, -14400);
	ltime_offset(&z, &c, -1);                       /* floor: slot -1, not 0 */
	cr_assert_eq(c.slot, -1);
	cr_assert_eq(c.off, -18000);
	ltime_offset(&z, &c, -900 * S_US);
	cr_assert_eq(c.slot, -1);
	ltime_offset(&z, &c, -900 * S_US - 1);
	cr_assert_eq(c.slot, -2);
	/* a poisoned cache entry for the same slot is returned as is */
	c.off = 123;
	cr_assert_eq(ltime_offset(&z, &c, -900 * S_US - 2), 123);
}

Test(ltime, zone_other_iana)
{
	struct ltime_zone z;
	cr_assert_eq(ltime_zone_init(&z, "Asia/Kolkata"), 0);
	cr_assert_eq(ltime_offset(&z, NULL, T_2026_10_01 * S_US), 19800);
	cr_assert_eq(ltime_zone_init(&z, "Europe/Paris"), 0);
	cr_assert_eq(ltime_offset(&z, NULL, T_2026_10_01 * S_US), 7200);
	cr_assert_eq(ltime_offset(&z, NULL, T_2025_01_01 * S_US), 3600);
	cr_assert_str_eq(getenv("TZ"), "Europe/Paris");
}

Test(ltime, zone_missing_zoneinfo)
{
	setenv("TZDIR", "/nonexistent-zoneinfo-dir", 1);
	struct ltime_zone z;
	cr_assert_eq(ltime_zone_init(&z, "America/New_York"), -1);
	cr_assert_eq(ltime_zone_init(&z, "UTC"), 0);
	cr_assert_eq(ltime_zone_init(&z, "+05:30"), 0);
	cr_assert_eq(z.fixed, 19800);
	setenv("TZDIR", "/usr/share/zoneinfo", 1);
	cr_assert_eq(ltime_zone_init(&z, "America/New_York"), 0);
}

/* ------------------------------------------------------------- formatting */

Test(ltime, fmt_date_week_month)
{
	char d[11], w[16], m[8];
	ltime_fmt_date(20727, d);
	cr_assert_str_eq(d, "2026-10-01");
	ltime_fmt_date(-25567, d);
	cr_assert_str_eq(d, "1900-01-01");
	ltime_fmt_date(-1, d);
	cr_assert_str_eq(d, "1969-12-31");
	ltime_fmt_week(20727, w);
	cr_assert_str_eq(w, "2026-W40");
	ltime_fmt_week(ltime_days_from_civil(2024, 12, 30), w);
	cr_assert_str_eq(w, "2025-W01");
	ltime_fmt_week(ltime_days_from_civil(2021, 1, 3), w);
	cr_assert_str_eq(w, "2020-W53");
	ltime_fmt_month(2026 * 12 + 9, m);
	cr_assert_str_eq(m, "2026-10");
	ltime_fmt_month(ltime_month_index(-1), m);
	cr_assert_str_eq(m, "1969-12");
	ltime_fmt_month(1900 * 12, m);
	cr_assert_str_eq(m, "1900-01");
}

static void expect_iso(int64_t local_us, const int32_t *off, const char *want)
{
	char out[32];
	memset(out, 'x', sizeof out);
	ltime_fmt_iso(local_us, off, out);
	cr_assert_str_eq(out, want);
}

Test(ltime, fmt_iso)
{
	int64_t t = T_2026_10_01_130500 * S_US + 250000;
	int32_t zero = 0, plus2 = 7200, minus530 = -19800, minus8 = -28800;
	expect_iso(t, &zero, "2026-10-01T13:05:00.250Z");
	expect_iso(t, &plus2, "2026-10-01T13:05:00.250+02:00");
	expect_iso(t, &minus530, "2026-10-01T13:05:00.250-05:30");
	expect_iso(t, &minus8, "2026-10-01T13:05:00.250-08:00");
	expect_iso(t, NULL, "2026-10-01T13:05:00.250");
	expect_iso(t + 999, NULL, "2026-10-01T13:05:00.250");       /* truncated */
	expect_iso(0, &zero, "1970-01-01T00:00:00.000Z");
	expect_iso(-1, NULL, "1969-12-31T23:59:59.999");            /* toward -inf */
	expect_iso(-1500, NULL, "1969-12-31T23:59:59.998");
	expect_iso(T_2300_12_31_235959 * S_US + 999999, &zero, "2300-12-31T23:59:59.999Z");
	expect_iso(T_1900_01_01 * S_US, &zero, "1900-01-01T00:00:00.000Z");
}

Test(ltime, fmt_iso_parse_round_trip)
{
	const char *zones[] = {"UTC", "+05:30", "-0800", "America/New_York"};
	const int64_t times[] = {T_2026_10_01_130500 * S_US + 250000, T_NY_SPRING * S_US - 1000,
				 T_NY_SPRING * S_US, T_1955_06_15_120000 * S_US + 7000, -1000};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		struct ltime_zone z;
		struct ltime_cache c = {0};
		cr_assert_eq(ltime_zone_init(&z, zones[i]), 0);
		for (size_t j = 0; j < sizeof times / sizeof times[0]; j++) {
			int32_t off = ltime_offset(&z, &c, times[j]);
			char out[32];
			int64_t back;
			ltime_fmt_iso(ltime_local(&z, &c, times[j]), &off, out);
			cr_assert_eq(parse(out, &back), 0, "%s", out);
			cr_assert_eq(back, times[j], "%s in %s", out, zones[i]);
		}
	}
}

/* Each thread keeps the last date it parsed: a repeated date reuses it,
 * yet everything after the date is still checked, a new date is parsed
 * afresh, and an invalid date is never kept. */
Test(ltime, parse_repeated_dates)
{
	int64_t us = 0;

	expect_parse("2026-10-01T00:00:00Z", INT64_C(1790812800) * S_US);
	expect_parse("2026-10-01T23:59:59Z", (INT64_C(1790812800) + 86399) * S_US);
	expect_parse("2026-10-01", INT64_C(1790812800) * S_US);
	expect_parse("2026-10-02T00:00:00Z", (INT64_C(1790812800) + 86400) * S_US);
	expect_parse("2026-10-01T00:00:00Z", INT64_C(1790812800) * S_US);
	cr_assert_eq(ltime_parse("2026-10-01X00:00:00Z", 20, &us), -1);
	cr_assert_eq(ltime_parse("2026-10-01T24:00:00Z", 20, &us), -1);
	cr_assert_eq(ltime_parse("2026-02-30T00:00:00Z", 20, &us), -1);
	cr_assert_eq(ltime_parse("2026-02-30T00:00:00Z", 20, &us), -1);
	expect_parse("2024-02-29T00:00:00Z", INT64_C(1709164800) * S_US);
	expect_parse("2026-10-01T00:00:01+01:00", (INT64_C(1790812800) - 3599) * S_US);
	expect_parse("2024-02-29T00:00:00.5Z", INT64_C(1709164800) * S_US + 500000);
}
