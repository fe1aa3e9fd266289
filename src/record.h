/* record.h - the canonical request record of KPIS.md section 1: what one log
 * line says about one LLM request, whatever the input format. */
#ifndef LLMSTAT_RECORD_H
#define LLMSTAT_RECORD_H

#include <stdint.h>

#define SIGNALS_MAX 16          /* --score and --flag fields each */

/* A string field: decoded UTF-8 bytes in the line's scratch buffer. */
struct strv {
	const char *p;          /* NULL when absent */
	uint32_t n;
};

/* Which fields a record carries (bits of record.has). */
enum {
	R_TIME = 1u << 0, R_STATUS = 1u << 1, R_ERROR = 1u << 2,
	R_LATENCY = 1u << 3, R_TTFT = 1u << 4, R_IN = 1u << 5,
	R_OUT = 1u << 6, R_CACHED = 1u << 7, R_CWRITE = 1u << 8,
	R_COST = 1u << 9, R_CACHE_HIT = 1u << 10, R_RATING = 1u << 11,
	R_SUCCESS = 1u << 12, R_REGEN = 1u << 13, R_PROMPT = 1u << 14,
	R_LIST = 1u << 15
};

struct record {
	uint32_t has;           /* R_* bits of the fields present and valid */
	int64_t time_us;        /* request start, us since the epoch (UTC) */
	struct strv request;    /* request id */
	struct strv user;       /* end-user id */
	struct strv session;    /* session / conversation / trace id */
	struct strv model, provider, feature;
	struct strv error_type; /* e.g. "timeout", "rate_limit" */
	int32_t status;         /* HTTP status; 0 when absent */
	uint8_t error;          /* 1 when the error field is truthy */
	uint8_t cache_hit;      /* served from a response cache */
	uint8_t success;        /* task outcome, when R_SUCCESS */
	uint8_t regenerated;    /* when R_REGEN */
	uint8_t batch;          /* a batch API result: billed at half the list price */
	int64_t latency_us;     /* end-to-end duration, microseconds */
	int64_t ttft_us;        /* time to first token, microseconds */
	int64_t input_tokens;   /* every prompt token, cached or not */
	int64_t output_tokens;
	int64_t cached_tokens;  /* read from the prompt cache; part of input */
	int64_t cache_write_tokens; /* written to the prompt cache; part of input */
	int64_t cost_pico;      /* USD * 1e12, from the log or the price table */
	int64_t list_pico;      /* cost at list price, when R_LIST (cache savings) */
	double rating;          /* 1-5 stars (or 0-10 NPS scale) */
	struct strv prompt;     /* prompt text as logged (hashed only if needed) */
	uint16_t has_score;     /* bit i: score[i] present */
	uint16_t has_flag;      /* bit i: flag[i] present */
	uint16_t flag;          /* bit i: flag i is true */
	double score[SIGNALS_MAX];      /* --score values as logged */
};

#endif
