/* bykey.h - --by keys: canonical fields, calendar buckets or JSON paths,
 * turned into one group key text per record. */
#ifndef LLMSTAT_BYKEY_H
#define LLMSTAT_BYKEY_H

#include <stddef.h>

#include "jsonscan.h"
#include "ltime.h"
#include "record.h"
#include "schema.h"

#define BYKEY_MAX 8
#define BYKEY_SEP '\x1f'        /* between parts of a key text */
#define BYKEY_NULL '\x1e'       /* a part with no value */

enum bykey_kind { BK_FIELD, BK_TIME, BK_PATH };
enum bykey_time { BT_HOUR, BT_DAY, BT_WEEK, BT_MONTH, BT_HOUR_OF_DAY, BT_WEEKDAY };

struct bykey {
	int n;                          /* keys in use */
	int time_keys;                  /* any key is a calendar bucket */
	const char *names[BYKEY_MAX + 1];       /* NULL-terminated; owned */
	char *spec;                     /* the keys as given, "model,day"; owned */
	struct {
		int kind;               /* enum bykey_kind */
		int what;               /* enum field, enum bykey_time, or path index */
	} k[BYKEY_MAX];
};

/* Parses "model,day,properties.env". Canonical field names and bucket names
 * win; anything else is a JSON path added to s. Returns 0, or -1 with err. */
int bykey_parse(struct bykey *b, const char *spec, struct schema *s,
                char *err, size_t errlen);
void bykey_free(struct bykey *b);

/* Writes rec's key text into out (cap bytes); returns its length. Parts
 * longer than fit are cut. Can't fail. */
size_t bykey_build(const struct bykey *b, const struct record *r,
                   const struct js_view *v, const struct ltime_zone *tz,
                   struct ltime_cache *c, char *out, size_t cap);

#endif
