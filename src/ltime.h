/* ltime.h - timestamps: parse the forms LLM logs use, and calendar buckets
 * (day, ISO week, month) in a time zone. Times are int64 microseconds since
 * 1970-01-01T00:00:00Z; days are int32 day numbers since 1970-01-01. */
#ifndef LLMSTAT_LTIME_H
#define LLMSTAT_LTIME_H

#include <stddef.h>
#include <stdint.h>

/* Parses a timestamp string of n bytes (not NUL-terminated):
 *   RFC 3339 / ISO 8601: 2026-10-01T13:05:00Z, ...00.250+02:00, ...00-0500,
 *   with a space instead of T ("2025-01-24 09:20:46.847371"), no zone (= UTC),
 *   date only ("2026-10-01" = midnight UTC), 1 to 9 fraction digits;
 *   or a string holding an epoch number ("1733140000000000000", "1733140000.5"),
 *   read as ltime_from_epoch does.
 * Fields are range-checked (month 1-12, day valid for the month, hour 0-23,
 * minute 0-59, second 0-60). Returns 0 and sets *us, or -1. */
int ltime_parse(const char *s, size_t n, int64_t *us);

/* Epoch number to microseconds, its unit told apart by magnitude:
 * |v| < 1e11 seconds, < 1e14 milliseconds, < 1e17 microseconds, else
 * nanoseconds. Returns 0, or -1 for NaN/inf or a result outside years
 * 1900-2300. */
int ltime_from_epoch(double v, int64_t *us);
/* Same for an integer (no precision lost on nanosecond values). */
int ltime_from_epoch_int(int64_t v, int64_t *us);

/* A time zone: UTC, a fixed offset ("+05:30", "-08:00", "UTC+2" not
 * accepted), or an IANA name ("Europe/Paris") read from the system's
 * zoneinfo. */
struct ltime_zone {
	int kind;               /* 0 UTC, 1 fixed offset, 2 IANA (via libc TZ) */
	int32_t fixed;          /* seconds east of UTC, kind 1 */
	char name[64];          /* as given, for messages and state files */
};

/* Sets *z from name; NULL, "" , "UTC", "Z" and "Etc/UTC" give UTC. An IANA
 * name must exist under /usr/share/zoneinfo (or $TZDIR); it is then made
 * the process's TZ (setenv + tzset), so only one IANA zone is used per run.
 * Returns 0, or -1 for an unknown zone. */
int ltime_zone_init(struct ltime_zone *z, const char *name);

/* A per-thread cache for ltime_offset: an offset holds for a whole 15-minute
 * UTC slot. Zero-initialise before first use. */
struct ltime_cache {
	int64_t slot;           /* us / 900e6 of the cached slot, or INT64_MIN */
	int32_t off;            /* seconds east of UTC in that slot */
	int valid;
};

/* Seconds east of UTC in zone z at instant us. Thread-safe. */
int32_t ltime_offset(const struct ltime_zone *z, struct ltime_cache *c, int64_t us);
/* Local time in microseconds (us + offset): buckets are taken from it. */
int64_t ltime_local(const struct ltime_zone *z, struct ltime_cache *c, int64_t us);

/* Calendar arithmetic on local microseconds / day numbers (proleptic
 * Gregorian, floor division for times before 1970). */
int32_t ltime_day_of(int64_t local_us);                 /* day number */
int32_t ltime_days_from_civil(int y, int m, int d);     /* m 1-12, d 1-31 */
void ltime_civil(int32_t day, int *y, int *m, int *d);
int ltime_weekday(int32_t day);                         /* 0 Monday .. 6 Sunday */
int32_t ltime_week_start(int32_t day);                  /* the Monday of day's ISO week */
void ltime_isoweek(int32_t day, int *iso_year, int *iso_week);
int32_t ltime_month_index(int32_t day);                 /* y * 12 + (m - 1) */

/* Writes "2026-10-01" (11 bytes with NUL). */
void ltime_fmt_date(int32_t day, char out[11]);
/* Writes "2026-W40" for the ISO week holding day (at least 9 bytes + NUL). */
void ltime_fmt_week(int32_t day, char out[16]);
/* Writes "2026-10" for a month index (8 bytes with NUL). */
void ltime_fmt_month(int32_t month_index, char out[8]);
/* Writes an ISO 8601 local time with milliseconds, "2026-10-01T13:05:00.250",
 * followed, when off_s is not NULL, by the zone: "Z" for 0 else "+02:00".
 * out needs 32 bytes. local_us is a local time (ltime_local). */
void ltime_fmt_iso(int64_t local_us, const int32_t *off_s, char out[32]);

#endif
