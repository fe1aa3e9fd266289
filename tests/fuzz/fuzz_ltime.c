/* fuzz_ltime.c - libFuzzer harness for src/ltime.c.
 *
 * The input is read three ways: as a timestamp string (ltime_parse), its
 * first 8 bytes as a double (ltime_from_epoch) and as an int64
 * (ltime_from_epoch_int). Properties checked, all promised by ltime.h:
 *   - a parsed time lies in years 1900-2300;
 *   - formatting it (ltime_fmt_iso, UTC) and parsing the text back gives
 *     the same instant truncated to the millisecond;
 *   - day numbers survive ltime_civil -> ltime_days_from_civil, weekdays
 *     are 0-6, ISO weeks 1-53, and the date text parses back to that day;
 *   - an integral double and the same int64 give the same epoch time;
 *   - a fixed "+HH:MM" zone taken from the input shifts by its offset. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltime.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_ltime: property failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

#define MIN_US (INT64_C(-2208988800) * 1000000)         /* 1900-01-01 */
#define END_US (INT64_C(10445328000) * 1000000)         /* 2301-01-01 */
#define US_DAY INT64_C(86400000000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

static void
check_day(int32_t day)
{
	int y, m, d, iy, iw;
	char date[11], week[16], month[8];
	int64_t us;

	ltime_civil(day, &y, &m, &d);
	CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	CHECK(ltime_days_from_civil(y, m, d) == day);
	CHECK(ltime_weekday(day) >= 0 && ltime_weekday(day) <= 6);
	CHECK(ltime_week_start(day) <= day && day - ltime_week_start(day) <= 6);
	CHECK(ltime_weekday(ltime_week_start(day)) == 0);
	ltime_isoweek(day, &iy, &iw);
	CHECK(iw >= 1 && iw <= 53);
	CHECK(iy >= y - 1 && iy <= y + 1);
	ltime_fmt_date(day, date);
	ltime_fmt_week(day, week);
	ltime_fmt_month(ltime_month_index(day), month);
	CHECK(strlen(date) == 10 && strlen(month) == 7 && strlen(week) >= 8);
	if (y >= 1900 && y <= 2300) {
		CHECK(ltime_parse(date, 10, &us) == 0);
		CHECK(us == (int64_t)day * US_DAY);
		CHECK(memcmp(date, month, 7) == 0);
	}
}

static void
check_time(int64_t us)
{
	char iso[32];
	int32_t zero = 0;
	int64_t back;
	size_t n;

	CHECK(us >= MIN_US && us < END_US);
	ltime_fmt_iso(us, &zero, iso);
	n = strlen(iso);
	CHECK(n == 24);                 /* 2026-10-01T13:05:00.250Z */
	CHECK(ltime_parse(iso, n, &back) == 0);
	CHECK(back == floor_div(us, 1000) * 1000);
	ltime_fmt_iso(us, NULL, iso);
	CHECK(strlen(iso) == 23);
	CHECK(ltime_parse(iso, 23, &back) == 0);       /* no zone = UTC */
	CHECK(back == floor_div(us, 1000) * 1000);
	check_day(ltime_day_of(us));
}

static void
check_zone(const uint8_t *data, size_t size, int64_t us)
{
	char name[16];
	struct ltime_zone z;
	struct ltime_cache c = { 0 };

	if (size == 0 || size >= sizeof(name) || (data[0] != '+' && data[0] != '-'))
		return;
	memcpy(name, data, size);
	name[size] = '\0';
	if (strlen(name) != size || ltime_zone_init(&z, name) < 0)
		return;
	CHECK(z.kind == 1);
	CHECK(z.fixed > -86400 && z.fixed < 86400);
	CHECK(ltime_offset(&z, &c, us) == z.fixed);
	CHECK(ltime_local(&z, &c, us) == us + (int64_t)z.fixed * 1000000);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	int64_t us, us2, iv;
	double dv;

	if (copy == NULL)
		return 0;
	if (size)
		memcpy(copy, data, size);
	if (ltime_parse(copy, size, &us) == 0)
		check_time(us);
	free(copy);

	if (size >= 8) {
		memcpy(&dv, data, 8);
		memcpy(&iv, data, 8);
		if (ltime_from_epoch(dv, &us) == 0) {
			CHECK(isfinite(dv));
			check_time(us);
			if (dv == floor(dv) && fabs(dv) < 9007199254740992.0) {
				CHECK(ltime_from_epoch_int((int64_t)dv, &us2) == 0);
				CHECK(us2 == us);
			}
		}
		if (ltime_from_epoch_int(iv, &us) == 0) {
			check_time(us);
			if (iv > -(INT64_C(1) << 53) && iv < (INT64_C(1) << 53)) {
				CHECK(ltime_from_epoch((double)iv, &us2) == 0);
				CHECK(us2 == us);
			}
		}
		/* calendar arithmetic over a wide range of day numbers */
		check_day((int32_t)(iv % 100000000));
	}
	check_zone(data, size, 1700000000000000LL);
	return 0;
}
