/* schema.c - schemas: the generic field paths, --map, --score/--flag
 * signals and extra paths. Turning a line's views into a record by a
 * schema is in schema_fill.c. */
#include "schema.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ltime.h"
#include "util.h"

static const char *const field_names[F_COUNT] = {
	"time", "request", "user", "session", "model", "provider", "feature",
	"status", "error", "error_type", "latency", "ttft", "input_tokens",
	"output_tokens", "cached_tokens", "cache_write_tokens", "cost",
	"cache_hit", "rating", "success", "regenerated", "prompt"
};

/* The generic schema: common names, tried in order; the first present wins. */
static const char *const generic_paths[F_COUNT][SCHEMA_MAX_CAND] = {
	[F_TIME] = { "timestamp", "created_at", "time", "start_time",
	             "startTime", "request_created_at", "ts", "@timestamp", "date", "created" },
	[F_REQUEST] = { "request_id", "requestId", "id" },
	[F_USER] = { "user_id", "user", "userId", "end_user", "distinct_id",
	             "metadata.user_id" },
	[F_SESSION] = { "session_id", "sessionId", "conversation_id",
	                "thread_id", "metadata.session_id" },
	[F_MODEL] = { "model", "model_name", "response_model" },
	[F_PROVIDER] = { "provider", "custom_llm_provider" },
	[F_FEATURE] = { "feature", "endpoint", "metadata.feature",
	                "properties.feature" },
	[F_STATUS] = { "status", "status_code", "http_status", "response_status" },
	[F_ERROR] = { "error", "is_error" },
	[F_ERROR_TYPE] = { "error_type", "error.type", "error.code" },
	[F_LATENCY] = { "latency_ms", "duration_ms", "response_time_ms",
	                "delay_ms", "latency" },
	[F_TTFT] = { "ttft_ms", "time_to_first_token_ms", "ttft",
	             "time_to_first_token" },
	[F_IN] = { "usage.prompt_tokens", "usage.input_tokens", "prompt_tokens",
	           "input_tokens" },
	[F_OUT] = { "usage.completion_tokens", "usage.output_tokens",
	            "completion_tokens", "output_tokens" },
	[F_CACHED] = { "usage.prompt_tokens_details.cached_tokens",
	               "usage.input_tokens_details.cached_tokens",
	               "cached_tokens" },
	[F_CWRITE] = { "cache_write_tokens", "usage.cache_write_tokens" },
	[F_COST] = { "cost", "cost_usd", "total_cost", "spend" },
	[F_CACHE_HIT] = { "cache_hit", "cached" },
	[F_RATING] = { "rating", "feedback.rating", "user_rating" },
	[F_SUCCESS] = { "success", "task_success" },
	[F_REGEN] = { "regenerated", "is_regeneration", "regenerate" },
	[F_PROMPT] = { "prompt", "input" },
};

const char *
schema_field_name(enum field f)
{
	return (unsigned)f < F_COUNT ? field_names[f] : NULL;
}

int
schema_field_by_name(const char *name)
{
	int f;

	for (f = 0; f < F_COUNT; f++)
		if (strcmp(field_names[f], name) == 0)
			return f;
	return -1;
}

int
schema_path(struct schema *s, const char *path)
{
	int idx = js_paths_add(s->paths, path);

	if (idx >= s->npaths && idx < JS_MAX_PATHS) {
		s->ptext[idx] = xstrdup(path);
		s->npaths = idx + 1;
	}
	return idx;
}

static void
add_cand(struct schema *s, int f, const char *path, int unit)
{
	int idx = schema_path(s, path);

	if (idx < 0 || s->ncand[f] >= SCHEMA_MAX_CAND)
		return;
	s->cand[f][s->ncand[f]].path = (int16_t)idx;
	s->cand[f][s->ncand[f]].unit = (uint8_t)unit;
	s->ncand[f]++;
}

void
schema_init_base(struct schema *s)
{
	memset(s, 0, sizeof(*s));
	s->paths = js_paths_new();
	s->rescan = -1;
}

void
schema_init_generic(struct schema *s)
{
	schema_init_base(s);
	schema_add_generic(s);
}

void
schema_add_generic(struct schema *s)
{
	int f, i;

	for (f = 0; f < F_COUNT; f++)
		for (i = 0; i < SCHEMA_MAX_CAND && generic_paths[f][i]; i++)
			add_cand(s, f, generic_paths[f][i], U_DEFAULT);
}

void
schema_derive(struct schema *dst, const struct schema *base)
{
	int i;

	schema_init_base(dst);
	for (i = 0; i < base->npaths; i++)
		schema_path(dst, base->ptext[i]);
	dst->derived = 1;
	dst->nscores = base->nscores;
	dst->nflags = base->nflags;
	memcpy(dst->score_name, base->score_name, sizeof(dst->score_name));
	memcpy(dst->flag_name, base->flag_name, sizeof(dst->flag_name));
	memcpy(dst->score_path, base->score_path, sizeof(dst->score_path));
	memcpy(dst->flag_path, base->flag_path, sizeof(dst->flag_path));
}

void
schema_add(struct schema *s, int f, const char *path, int unit)
{
	add_cand(s, f, path, unit);
}

void
schema_free(struct schema *s)
{
	int i;

	for (i = 0; !s->derived && i < s->nscores; i++)
		free(s->score_name[i]);
	for (i = 0; !s->derived && i < s->nflags; i++)
		free(s->flag_name[i]);
	for (i = 0; i < s->npaths; i++)
		free(s->ptext[i]);
	js_paths_free(s->paths);
	js_paths_free(s->sub);
	s->paths = NULL;
	s->sub = NULL;
}

int
schema_signal(struct schema *s, int kind, const char *spec, char *err, size_t errlen)
{
	const char *eq = strchr(spec, '='), *opt = kind == 's' ? "--score" : "--flag";
	int *n = kind == 's' ? &s->nscores : &s->nflags, path;
	size_t i;

	if (eq == NULL || eq == spec || eq[1] == '\0') {
		snprintf(err, errlen, "%s wants NAME=PATH, got '%s'", opt, spec);
		return -1;
	}
	for (i = 0; spec + i < eq; i++)
		if (!(isalnum((unsigned char)spec[i]) || spec[i] == '_')) {
			snprintf(err, errlen, "%s: a name is letters, digits and '_': '%s'", opt, spec);
			return -1;
		}
	if (*n >= SIGNALS_MAX || (path = schema_path(s, eq + 1)) < 0) {
		snprintf(err, errlen, "%s: too many signals or a bad path in '%s'", opt, spec);
		return -1;
	}
	if (kind == 's') {
		s->score_name[*n] = xstrndup(spec, (size_t)(eq - spec));
		s->score_path[*n] = (int16_t)path;
	} else {
		s->flag_name[*n] = xstrndup(spec, (size_t)(eq - spec));
		s->flag_path[*n] = (int16_t)path;
	}
	(*n)++;
	return 0;
}

static int
parse_unit(const char *u)
{
	static const struct { const char *name; int unit; } units[] = {
		{ "ns", U_NS }, { "us", U_US }, { "ms", U_MS }, { "s", U_S },
		{ "usd", U_USD }, { "nanousd", U_NANOUSD },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(units[i].name, u) == 0)
			return units[i].unit;
	return -1;
}

static int
map_spec(struct schema *s, const char *spec, int replace, char *err, size_t errlen)
{
	char buf[512], *eq, *colon;
	int f, unit = U_DEFAULT;

	if (strlen(spec) >= sizeof(buf) || (eq = strchr(spec, '=')) == NULL) {
		snprintf(err, errlen, "--map wants FIELD=PATH[:unit], got '%s'", spec);
		return -1;
	}
	memcpy(buf, spec, strlen(spec) + 1);
	eq = buf + (eq - spec);
	*eq = '\0';
	if ((f = schema_field_by_name(buf)) < 0) {
		snprintf(err, errlen, "--map: unknown field '%s'", buf);
		return -1;
	}
	if ((colon = strrchr(eq + 1, ':')) != NULL) {
		*colon = '\0';
		if ((unit = parse_unit(colon + 1)) < 0) {
			snprintf(err, errlen, "--map: unknown unit '%s' (ns, us, ms, s, usd, nanousd)", colon + 1);
			return -1;
		}
	}
	if (schema_path(s, eq + 1) < 0) {
		snprintf(err, errlen, "--map: bad path '%s'", eq + 1);
		return -1;
	}
	if (replace)
		s->ncand[f] = 0;
	add_cand(s, f, eq + 1, unit);
	return 0;
}

int
schema_map(struct schema *s, const char *spec, char *err, size_t errlen)
{
	return map_spec(s, spec, 1, err, errlen);
}

int
schema_map_add(struct schema *s, const char *spec, char *err, size_t errlen)
{
	return map_spec(s, spec, 0, err, errlen);
}

int
schema_extra_path(struct schema *s, const char *path)
{
	return schema_path(s, path);
}
