/* preset.c - the formats of ../shared/FORMATS.md as data (field paths and
 * units) plus one rule function each for what data cannot say. */
#include "preset.h"

#include <pthread.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static const char *const openai_cands[] = {
	"time=response.body.created", "time=created", "time=created_at",
	"request=custom_id", "request=id",
	"model=response.body.model", "model=model",
	"status=response.status_code",
	"error=error", "error=response.body.error",
	"error_type=error.code", "error_type=response.body.error.type",
	"error_type=response.body.error.code",
	"input_tokens=response.body.usage.prompt_tokens", "input_tokens=usage.prompt_tokens",
	"input_tokens=usage.input_tokens",
	"output_tokens=response.body.usage.completion_tokens",
	"output_tokens=usage.completion_tokens", "output_tokens=usage.output_tokens",
	"cached_tokens=response.body.usage.prompt_tokens_details.cached_tokens",
	"cached_tokens=usage.prompt_tokens_details.cached_tokens",
	"cached_tokens=usage.input_tokens_details.cached_tokens",
	NULL
};
static const char *const openai_aux[] = { "status", "custom_id", "object", NULL };
static const char *const openai_dedup[] = { "custom_id", "id", NULL };

static const char *const anthropic_cands[] = {
	"request=custom_id", "request=id",
	"model=result.message.model", "model=model",
	"input_tokens=result.message.usage.input_tokens", "input_tokens=usage.input_tokens",
	"output_tokens=result.message.usage.output_tokens", "output_tokens=usage.output_tokens",
	"cached_tokens=result.message.usage.cache_read_input_tokens",
	"cached_tokens=usage.cache_read_input_tokens",
	"cache_write_tokens=result.message.usage.cache_creation_input_tokens",
	"cache_write_tokens=usage.cache_creation_input_tokens",
	NULL
};
static const char *const anthropic_aux[] = { "result.type", "result.error.error.type",
	"custom_id", "type", "result", NULL };
static const char *const anthropic_dedup[] = { "custom_id", "id", NULL };

static const char *const helicone_cands[] = {
	"time=request_created_at", "request=request_id",
	"user=request_user_id", "user=helicone_user",
	"session=request_properties.Helicone-Session-Id", "session=properties.Helicone-Session-Id",
	"model=request_model", "model=model", "model=response_model", "model=model_override",
	"provider=provider",
	"feature=request_properties.Feature", "feature=request_properties.feature",
	"feature=properties.Feature", "feature=properties.feature",
	"status=response_status", "latency=delay_ms:ms", "ttft=time_to_first_token:ms",
	"input_tokens=prompt_tokens", "output_tokens=completion_tokens",
	"cached_tokens=prompt_cache_read_tokens", "cache_write_tokens=prompt_cache_write_tokens",
	"cost=cost", "cost=costUSD", "rating=feedback_rating",
	NULL
};
static const char *const helicone_aux[] = { "cache_reference_id", NULL };
static const char *const helicone_dedup[] = { "request_id", NULL };

static const char *const litellm_cands[] = {
	"time=startTime", "request=request_id", "request=id",
	"user=end_user", "user=user", "user=metadata.user_api_key_end_user_id",
	"user=metadata.user_api_key_user_id",
	"session=session_id", "session=metadata.session_id", "session=trace_id",
	"model=model", "model=model_group", "provider=custom_llm_provider",
	"feature=metadata.spend_logs_metadata.feature", "feature=metadata.requester_metadata.feature",
	"status=metadata.error_information.error_code", "status=error_information.error_code",
	"status=status",
	"error_type=metadata.error_information.error_class", "error_type=error_information.error_class",
	"latency=request_duration_ms:ms", "latency=response_time:s",
	"input_tokens=prompt_tokens", "output_tokens=completion_tokens",
	"cached_tokens=metadata.usage_object.prompt_tokens_details.cached_tokens",
	"cached_tokens=metadata.additional_usage_values.cache_read_input_tokens",
	"cache_write_tokens=metadata.additional_usage_values.cache_creation_input_tokens",
	"cost=spend", "cost=response_cost", "cache_hit=cache_hit",
	NULL
};
static const char *const litellm_aux[] = { "request_tags", "completionStartTime", "endTime", NULL };
static const char *const litellm_dedup[] = { "request_id", "id", NULL };
static const struct derive litellm_derive[] = {
	{ F_LATENCY, "endTime", "startTime", 0 },
	{ F_TTFT, "completionStartTime", "startTime", 0 },
	{ -1, NULL, NULL, 0 }
};

static const char *const posthog_cands[] = {
	"time=timestamp", "request=uuid", "user=distinct_id",
	"session=properties.$ai_session_id", "session=properties.$ai_trace_id",
	"model=properties.$ai_model", "provider=properties.$ai_provider",
	"feature=properties.feature",
	"status=properties.$ai_http_status",
	"error=properties.$ai_is_error", "error=properties.$ai_error",
	"latency=properties.$ai_latency:s", "ttft=properties.$ai_time_to_first_token:s",
	"input_tokens=properties.$ai_input_tokens", "output_tokens=properties.$ai_output_tokens",
	"cached_tokens=properties.$ai_cache_read_input_tokens",
	"cache_write_tokens=properties.$ai_cache_creation_input_tokens",
	"cost=properties.$ai_total_cost_usd", "rating=properties.$ai_metric_value",
	"prompt=properties.$ai_input",
	NULL
};
static const char *const posthog_aux[] = { "event", NULL };
static const char *const posthog_dedup[] = { "uuid", NULL };

/* OTLP: span fields are paths; attribute keys are matched by their text. */
static const char *const otel_cands[] = {
	"time=startTimeUnixNano:ns", "request=spanId",
	"user=user.id", "user=enduser.id",
	"session=gen_ai.conversation.id", "session=session.id",
	"session=langfuse.session.id", "session=traceId",
	"model=gen_ai.request.model", "model=gen_ai.response.model",
	"provider=gen_ai.provider.name", "provider=gen_ai.system",
	"feature=app.feature", "feature=feature",
	"status=http.response.status_code", "error_type=error.type",
	"ttft=gen_ai.response.time_to_first_chunk:s", "ttft=gen_ai.server.time_to_first_token:s",
	"input_tokens=gen_ai.usage.input_tokens", "input_tokens=gen_ai.usage.prompt_tokens",
	"output_tokens=gen_ai.usage.output_tokens", "output_tokens=gen_ai.usage.completion_tokens",
	"cached_tokens=gen_ai.usage.cache_read.input_tokens",
	"cached_tokens=gen_ai.usage.cache_read_input_tokens",
	"cache_write_tokens=gen_ai.usage.cache_creation.input_tokens",
	"cache_write_tokens=gen_ai.usage.cache_creation_input_tokens",
	"cost=gen_ai.usage.cost",
	NULL
};
static const char *const otel_aux[] = { "status.code", "gen_ai.operation.name", "attributes", NULL };
static const char *const otel_dedup[] = { "traceId", "spanId", NULL };
static const struct derive otel_derive[] = {
	{ F_LATENCY, "endTimeUnixNano", "startTimeUnixNano", U_NS },
	{ -1, NULL, NULL, 0 }
};

static const char *const langfuse_cands[] = {
	"time=start_time", "time=startTime", "request=id",
	"user=user_id", "user=userId", "session=session_id", "session=sessionId",
	"model=provided_model_name", "model=model",
	"feature=metadata.feature",
	"latency=latency:s", "ttft=time_to_first_token:s", "ttft=timeToFirstToken:s",
	"input_tokens=usage_details.input", "input_tokens=usageDetails.input",
	"input_tokens=usage.input", "input_tokens=promptTokens",
	"output_tokens=usage_details.output", "output_tokens=usageDetails.output",
	"output_tokens=usage.output", "output_tokens=completionTokens",
	"cached_tokens=usage_details.input_cached_tokens",
	"cached_tokens=usage_details.cache_read_input_tokens",
	"cached_tokens=usageDetails.input_cached_tokens",
	"cost=total_cost", "cost=cost_details.total", "cost=calculatedTotalCost",
	"cost=costDetails.total",
	NULL
};
static const char *const langfuse_aux[] = { "type", "level", "tags", NULL };
static const char *const langfuse_dedup[] = { "id", NULL };
static const struct derive langfuse_derive[] = {
	{ F_LATENCY, "end_time", "start_time", 0 },
	{ F_LATENCY, "endTime", "startTime", 0 },
	{ F_TTFT, "completion_start_time", "start_time", 0 },
	{ F_TTFT, "completionStartTime", "startTime", 0 },
	{ -1, NULL, NULL, 0 }
};

static const char *const claude_cands[] = {
	"time=timestamp", "request=requestId", "session=sessionId",
	"model=message.model",
	"input_tokens=message.usage.input_tokens", "output_tokens=message.usage.output_tokens",
	"cached_tokens=message.usage.cache_read_input_tokens",
	"cache_write_tokens=message.usage.cache_creation_input_tokens",
	"cost=costUSD",
	NULL
};
static const char *const claude_aux[] = { "message.usage", "isApiErrorMessage", NULL };
static const char *const claude_dedup[] = { "message.id", "requestId", NULL };

/* ---- rule helpers ---- */

static int
is(const struct js_view *v, const char *s)
{
	return v->type == JS_STRING && js_streq(v, s);
}

static int
strv_is(const struct strv *v, const char *s)
{
	size_t n = strlen(s);

	return v->p && v->n == n && strncasecmp(v->p, s, n) == 0;
}

static void
set_const(struct strv *v, const char *s)
{
	if (v->p == NULL) {
		v->p = s;
		v->n = (uint32_t)strlen(s);
	}
}

void
preset_add_cache(struct record *r)
{
	if (!(r->has & (R_CACHED | R_CWRITE)))
		return;
	r->input_tokens += r->cached_tokens + r->cache_write_tokens;
	r->has |= R_IN;
}

/* A copy of v in lower case, in scratch (provider enums such as "OPENAI"). */
static void
lower(struct strv *v, char **scratch, size_t *left)
{
	uint32_t i;

	if (v->p == NULL || v->n > *left)
		return;
	for (i = 0; i < v->n; i++)
		(*scratch)[i] = (char)(v->p[i] >= 'A' && v->p[i] <= 'Z' ? v->p[i] + 32 : v->p[i]);
	v->p = *scratch;
	*scratch += v->n;
	*left -= v->n;
}

/* The feature from a tag list ["feature:chat", ...], given as an array or
 * as a string holding one (LiteLLM's request_tags). */
static void
feature_from_tags(const struct js_view *tags, struct record *r, char **scratch, size_t *left)
{
	struct js_view arr = *tags, el;
	struct js_err je;
	struct strv sv;
	size_t pos = 0;
	long n;

	if (r->feature.p || (arr.type != JS_ARRAY && arr.type != JS_STRING))
		return;
	if (arr.type == JS_STRING) {
		if ((n = js_unescape(tags, *scratch, *left)) < 0 ||
		    js_scan(NULL, *scratch, (size_t)n, NULL, &je) < 0 ||
		    memchr(*scratch, '[', (size_t)n) == NULL)
			return;
		arr.p = *scratch;
		arr.n = (uint32_t)n;
		arr.type = JS_ARRAY;
		while (arr.n && arr.p[0] != '[')
			arr.p++, arr.n--;
		*scratch += n;
		*left -= (size_t)n;
	}
	while (js_array_next(&arr, &pos, &el))
		if (el.type == JS_STRING && el.n > 8 && memcmp(el.p, "feature:", 8) == 0 &&
		    schema_string(&el, &sv, scratch, left) == 0) {
			r->feature.p = sv.p + 8;
			r->feature.n = sv.n - 8;
			return;
		}
}

/* ---- the rules ---- */

static int
openai_rule(const struct schema *s, const struct js_view *v, struct record *r,
            char **scratch, size_t *left, const char **why)
{
	(void)scratch, (void)left, (void)why;
	if (is(&v[s->aux[0]], "failed"))        /* a Responses object */
		r->error = 1;
	r->batch = v[s->aux[1]].type == JS_STRING;
	set_const(&r->provider, "openai");
	return PR_REQUEST;
}

/* Message Batches error types, with the HTTP status the API gives them. */
static int
anthropic_status(const struct js_view *t)
{
	static const struct { const char *type; int status; } map[] = {
		{ "invalid_request_error", 400 }, { "authentication_error", 401 },
		{ "billing_error", 402 }, { "permission_error", 403 },
		{ "not_found_error", 404 }, { "request_too_large", 413 },
		{ "rate_limit_error", 429 }, { "api_error", 500 },
		{ "timeout_error", 504 }, { "overloaded_error", 529 },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (is(t, map[i].type))
			return map[i].status;
	return 0;
}

static int
anthropic_rule(const struct schema *s, const struct js_view *v, struct record *r,
               char **scratch, size_t *left, const char **why)
{
	const struct js_view *rt = &v[s->aux[0]], *et = &v[s->aux[1]];

	(void)why;
	if (v[s->aux[4]].type == JS_NONE && !is(&v[s->aux[3]], "message"))
		return PR_FILTERED;     /* neither a batch result nor a message */
	if (rt->type != JS_NONE && !is(rt, "succeeded")) {
		r->error = 1;
		if ((r->status = anthropic_status(et)) != 0)
			r->has |= R_STATUS;
		if (schema_string(is(rt, "errored") ? et : rt, &r->error_type, scratch, left) < 0)
			r->error_type.p = NULL;
	}
	r->batch = v[s->aux[2]].type == JS_STRING;
	set_const(&r->provider, "anthropic");
	preset_add_cache(r);
	return PR_REQUEST;
}

static int
helicone_rule(const struct schema *s, const struct js_view *v, struct record *r,
              char **scratch, size_t *left, const char **why)
{
	const struct js_view *ref = &v[s->aux[0]];

	(void)why;
	if (ref->type == JS_STRING && ref->n > 0 &&
	    !js_streq(ref, "00000000-0000-0000-0000-000000000000")) {
		r->cache_hit = 1;
		r->has |= R_CACHE_HIT;
	}
	lower(&r->provider, scratch, left);
	preset_add_cache(r);
	return PR_REQUEST;
}

static int
litellm_rule(const struct schema *s, const struct js_view *v, struct record *r,
             char **scratch, size_t *left, const char **why)
{
	const struct js_view *first = &v[s->aux[1]], *end = &v[s->aux[2]];

	(void)why;
	feature_from_tags(&v[s->aux[0]], r, scratch, left);
	/* not streamed: completionStartTime is the end time, no first token */
	if (first->type != JS_NONE && first->type == end->type && first->n == end->n &&
	    memcmp(first->p, end->p, first->n) == 0)
		r->has &= ~(uint32_t)R_TTFT;
	return PR_REQUEST;
}

static int
posthog_rule(const struct schema *s, const struct js_view *v, struct record *r,
             char **scratch, size_t *left, const char **why)
{
	const struct js_view *ev = &v[s->aux[0]];

	(void)scratch, (void)left, (void)why;
	if (is(ev, "$ai_feedback") || is(ev, "$ai_metric"))
		return (r->has & R_RATING) ? PR_FEEDBACK : PR_FILTERED;
	if (!is(ev, "$ai_generation"))
		return PR_FILTERED;
	r->has &= ~(uint32_t)R_RATING;
	if (strv_is(&r->provider, "anthropic"))
		preset_add_cache(r);
	return PR_REQUEST;
}

static int
otel_rule(const struct schema *s, const struct js_view *v, struct record *r,
          char **scratch, size_t *left, const char **why)
{
	int64_t code;

	(void)scratch, (void)left, (void)why;
	if (r->model.p == NULL && r->provider.p == NULL && v[s->aux[1]].type == JS_NONE &&
	    !(r->has & (R_IN | R_OUT)))
		return PR_FILTERED;     /* not a GenAI span */
	if (js_int64(&v[s->aux[0]], &code) == 0 && code == 2)
		r->error = 1;
	return PR_REQUEST;
}

static int
langfuse_rule(const struct schema *s, const struct js_view *v, struct record *r,
              char **scratch, size_t *left, const char **why)
{
	(void)why;
	if (!is(&v[s->aux[0]], "GENERATION") && !is(&v[s->aux[0]], "generation"))
		return PR_FILTERED;
	if (is(&v[s->aux[1]], "ERROR"))
		r->error = 1;
	feature_from_tags(&v[s->aux[2]], r, scratch, left);
	return PR_REQUEST;
}

static int
claude_rule(const struct schema *s, const struct js_view *v, struct record *r,
            char **scratch, size_t *left, const char **why)
{
	int synthetic = strv_is(&r->model, "<synthetic>");

	(void)scratch, (void)left;
	if (v[s->aux[0]].type != JS_OBJECT)
		return PR_FILTERED;     /* user, summary and tool lines */
	if (!(r->has & R_TIME)) {
		*why = "claude-code: a message with usage but no valid timestamp";
		return PR_REJECT;
	}
	if (js_bool(&v[s->aux[1]]) == 1) {
		r->error = 1;           /* an API error Claude Code wrote: no charge */
		r->cost_pico = 0;
		r->has |= R_COST;
	} else if (synthetic)
		return PR_FILTERED;     /* Claude Code's own placeholder messages */
	if (synthetic)
		r->model.p = NULL, r->model.n = 0;
	set_const(&r->provider, "anthropic");
	preset_add_cache(r);
	return PR_REQUEST;
}

const struct preset preset_table[P_COUNT] = {
	[P_GENERIC] = { "generic", "flat objects with common field names (KPIS.md)",
	    NULL, NULL, NULL, 0, NULL, NULL, 0, NULL },
	[P_OPENAI] = { "openai", "OpenAI Chat Completions / Responses objects, Batch output lines",
	    openai_cands, openai_aux, openai_dedup, 0, NULL, NULL, 0, openai_rule },
	[P_ANTHROPIC] = { "anthropic", "Anthropic Messages objects, Message Batches result lines",
	    anthropic_cands, anthropic_aux, anthropic_dedup, 0, NULL, NULL, 0, anthropic_rule },
	[P_HELICONE] = { "helicone", "Helicone request export (JSONL)",
	    helicone_cands, helicone_aux, helicone_dedup, 0, NULL, NULL, 0, helicone_rule },
	[P_LITELLM] = { "litellm", "LiteLLM SpendLogs rows and StandardLoggingPayload",
	    litellm_cands, litellm_aux, litellm_dedup, 0, "metadata", litellm_derive, 0, litellm_rule },
	[P_POSTHOG] = { "posthog", "PostHog $ai_generation events (+ $ai_metric ratings)",
	    posthog_cands, posthog_aux, posthog_dedup, 0, "properties", NULL, 0, posthog_rule },
	[P_OTEL] = { "otel", "OpenTelemetry OTLP JSON lines, gen_ai.* spans",
	    otel_cands, otel_aux, otel_dedup, 1, NULL, otel_derive, 1, otel_rule },
	[P_LANGFUSE] = { "langfuse", "Langfuse observations export, GENERATION rows",
	    langfuse_cands, langfuse_aux, langfuse_dedup, 0, NULL, langfuse_derive, 0, langfuse_rule },
	[P_CLAUDE_CODE] = { "claude-code", "Claude Code session files (~/.claude/projects)",
	    claude_cands, claude_aux, claude_dedup, 1, NULL, NULL, 0, claude_rule },
};

int
preset_by_name(const char *name)
{
	int i;

	for (i = 0; i < P_COUNT; i++)
		if (strcmp(preset_table[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- building a preset's schema ---- */

static int
add_list(struct schema *s, const char *const *specs, char *err, size_t errlen)
{
	for (; specs && *specs; specs++)
		if (schema_map_add(s, *specs, err, errlen) < 0)
			return -1;
	return 0;
}

/* --dedup PATH[,PATH...] ("" turns dedup off). */
static int
set_dedup(struct schema *s, const struct preset *p, const char *spec, char *err, size_t errlen)
{
	char buf[512], *tok, *save;
	int i;

	s->ndedup = 0;
	if (spec == NULL) {
		for (i = 0; p->dedup && p->dedup[i] && i < 4; i++)
			s->dedup[s->ndedup++] = (int16_t)schema_path(s, p->dedup[i]);
		s->dedup_all = p->dedup_all;
		return 0;
	}
	if (strlen(spec) >= sizeof(buf))
		goto bad;
	memcpy(buf, spec, strlen(spec) + 1);
	s->dedup_all = 1;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (s->ndedup == 4 || (i = schema_path(s, tok)) < 0)
			goto bad;
		s->dedup[s->ndedup++] = (int16_t)i;
	}
	return 0;
bad:
	snprintf(err, errlen, "--dedup wants PATH[,PATH] (at most 4), got '%s'", spec);
	return -1;
}

/* The paths under the rescanned field, relative to it, for a second scan
 * when the field holds its JSON as a string. */
static void
set_rescan(struct schema *s, const char *field)
{
	size_t n = strlen(field);
	int i, k;

	s->rescan = (int16_t)schema_path(s, field);
	s->sub = js_paths_new();
	for (i = 0; i < s->npaths; i++)
		if (strncmp(s->ptext[i], field, n) == 0 && s->ptext[i][n] == '.' &&
		    (k = js_paths_add(s->sub, s->ptext[i] + n + 1)) >= 0) {
			s->submap[k] = (int16_t)i;
			s->nsub = k + 1;
		}
}

int
preset_schema(struct schema *dst, const struct schema *base, int id,
              char *const *maps, int nmaps, const char *dedup, char *err, size_t errlen)
{
	const struct preset *p = &preset_table[id];
	const struct derive *d;
	int i;

	schema_derive(dst, base);
	dst->preset = p;
	if (p->cands == NULL)
		schema_add_generic(dst);
	else if (add_list(dst, p->cands, err, errlen) < 0)
		return -1;
	for (i = 0; p->aux && p->aux[i]; i++)
		dst->aux[i] = (int16_t)schema_path(dst, p->aux[i]);
	for (d = p->derive; d && d->field >= 0 && dst->nderive < 4; d++, dst->nderive++) {
		dst->derive[dst->nderive].field = (uint8_t)d->field;
		dst->derive[dst->nderive].unit = (uint8_t)d->unit;
		dst->derive[dst->nderive].end = (int16_t)schema_path(dst, d->end);
		dst->derive[dst->nderive].start = (int16_t)schema_path(dst, d->start);
	}
	for (i = 0; i < nmaps; i++)
		if (schema_map(dst, maps[i], err, errlen) < 0)
			return -1;
	if (set_dedup(dst, p, dedup, err, errlen) < 0)
		return -1;
	if (p->rescan)
		set_rescan(dst, p->rescan);
	return 0;
}

/* ---- detection ---- */

enum {
	D_RSPANS, D_EVENT, D_DISTINCT, D_CUSTOM, D_RESPONSE, D_RESULT, D_OBJECT,
	D_TYPE, D_SESSIONID, D_LEAF, D_HREQ, D_DELAY, D_RSTATUS, D_START,
	D_SPEND, D_RCOST, D_CALLTYPE, D_UDETAILS, D_PMODEL, D_STARTT, D_TRACE,
	D_MUSAGE, D_USAGE, D_TIME, D_MODEL, D_PTOK, D_COUNT
};

static const char *const detect_paths[D_COUNT] = {
	"resourceSpans", "event", "distinct_id", "custom_id", "response", "result",
	"object", "type", "sessionId", "leafUuid", "request_created_at", "delay_ms",
	"response_status", "startTime", "spend", "response_cost", "call_type",
	"usage_details", "provided_model_name", "start_time", "trace_id",
	"message.usage", "usage", "timestamp", "model", "prompt_tokens",
};

#define HAS(i) (v[i].type != JS_NONE)

/* The format one line looks like, or -1. */
static int
detect_line(const struct js_view *v)
{
	if (HAS(D_RSPANS))
		return P_OTEL;
	if (HAS(D_EVENT) && HAS(D_DISTINCT))
		return P_POSTHOG;
	if (HAS(D_CUSTOM) && HAS(D_RESPONSE))
		return P_OPENAI;
	if (HAS(D_CUSTOM) && HAS(D_RESULT))
		return P_ANTHROPIC;
	if (is(&v[D_OBJECT], "chat.completion") || is(&v[D_OBJECT], "response") ||
	    is(&v[D_OBJECT], "text_completion"))
		return P_OPENAI;
	if (is(&v[D_TYPE], "message") && HAS(D_USAGE))
		return P_ANTHROPIC;
	if (HAS(D_LEAF) || (HAS(D_SESSIONID) && (is(&v[D_TYPE], "user") ||
	    is(&v[D_TYPE], "assistant") || is(&v[D_TYPE], "system") || HAS(D_MUSAGE))))
		return P_CLAUDE_CODE;
	if (HAS(D_HREQ) || (HAS(D_RSTATUS) && HAS(D_DELAY)))
		return P_HELICONE;
	if (HAS(D_START) && (HAS(D_SPEND) || HAS(D_RCOST) || HAS(D_CALLTYPE)))
		return P_LITELLM;
	if (HAS(D_UDETAILS) || HAS(D_PMODEL) || (HAS(D_TRACE) && HAS(D_STARTT) && HAS(D_TYPE)) ||
	    is(&v[D_TYPE], "GENERATION") || is(&v[D_TYPE], "SPAN") || is(&v[D_TYPE], "EVENT"))
		return P_LANGFUSE;       /* blob export, or the public API's camelCase */
	if (HAS(D_TIME) || HAS(D_MODEL) || HAS(D_USAGE) || HAS(D_PTOK))
		return P_GENERIC;
	return -1;
}

#define DETECT_LINES 50
#define DETECT_SURE 10  /* lines that all carry one format's marks settle it */

/* Whether one preset leads every other by more than the votes still to
 * come (left): the lines after could not change the choice, so they are
 * not read (a directory of small session files was detected line by line
 * over most of each file, 8% of the run). */
static int
decided(const int *votes, int left)
{
	int i, top = 0, second = 0;

	for (i = 0; i < P_COUNT; i++) {
		if (votes[i] > top) {
			second = top;
			top = votes[i];
		} else if (votes[i] > second)
			second = votes[i];
	}
	return top > second + left;
}

static struct js_paths *detect_ps;     /* built once, read by every worker */
static pthread_once_t detect_once = PTHREAD_ONCE_INIT;

static void
detect_init(void)
{
	detect_ps = js_paths_new();
	for (int i = 0; i < D_COUNT; i++)
		js_paths_add(detect_ps, detect_paths[i]);
}

int
preset_detect(const char *p, size_t n)
{
	struct js_view v[D_COUNT];
	struct js_err je;
	int votes[P_COUNT] = { 0 }, i, k, best = -1, lines = 0;
	const char *end = p + n, *nl;

	pthread_once(&detect_once, detect_init);        /* workers detect at once */
	while (p < end && lines < DETECT_LINES) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (js_scan(detect_ps, p, (size_t)(nl - p), v, &je) == 0 && (k = detect_line(v)) >= 0) {
			votes[k] += k == P_GENERIC ? 1 : 2;     /* a preset's marks beat common names */
			lines++;
			if (decided(votes, 2 * (DETECT_LINES - lines)) ||
			    (lines == DETECT_SURE && k != P_GENERIC && votes[k] == 2 * lines))
				break;
		}
		p = nl + 1;
	}
	for (i = 0; i < P_COUNT; i++)
		if (votes[i] > 0 && (best < 0 || votes[i] > votes[best]))
			best = i;
	return best;
}
