/* prices_table.c - the built-in list prices (USD per token), taken from the
 * LiteLLM price table snapshot of 2026-08-01. */
#include <stddef.h>

#include "prices.h"

/* Not given: the cost falls back to the input price (see price_cost_pico). */
#define NA (-1.0)

/* One built-in model. prices.c declares the same type and the two names
 * below; keep them in step. Rows without .tier leave the *_above prices
 * zero: prices_builtin() marks them not given. */
struct price_row {
	const char *name;
	struct price pr;
};

extern const struct price_row prices_table_rows[];
extern const size_t prices_table_nrows;

/* The numbers are LiteLLM's fields input_cost_per_token, output_cost_per_token,
 * cache_read_input_token_cost, cache_creation_input_token_cost and their
 * *_above_200k_tokens variants, copied as they stand. Names are LiteLLM's keys
 * (so a loaded LiteLLM file replaces them), plus a few Anthropic aliases
 * ("claude-sonnet-4", "-latest", "-4-0") that copy their dated model's row.
 * LiteLLM no longer lists gemini-1.5 chat models, so they are not here. */
const struct price_row prices_table_rows[] = {
	/* OpenAI */
	{ "gpt-4o", { .in = 2.5e-06, .out = 1e-05, .cache_read = 1.25e-06, .cache_write = NA } },
	{ "gpt-4o-2024-05-13", { .in = 5e-06, .out = 1.5e-05, .cache_read = NA, .cache_write = NA } },
	{ "gpt-4o-2024-08-06", { .in = 2.5e-06, .out = 1e-05, .cache_read = 1.25e-06, .cache_write = NA } },
	{ "gpt-4o-2024-11-20", { .in = 2.5e-06, .out = 1e-05, .cache_read = 1.25e-06, .cache_write = NA } },
	{ "chatgpt-4o-latest", { .in = 5e-06, .out = 1.5e-05, .cache_read = NA, .cache_write = NA } },
	{ "gpt-4o-mini", { .in = 1.5e-07, .out = 6e-07, .cache_read = 7.5e-08, .cache_write = NA } },
	{ "gpt-4o-mini-2024-07-18", { .in = 1.5e-07, .out = 6e-07, .cache_read = 7.5e-08, .cache_write = NA } },
	{ "gpt-4o-audio-preview", { .in = 2.5e-06, .out = 1e-05, .cache_read = NA, .cache_write = NA } },
	{ "gpt-4o-search-preview", { .in = 2.5e-06, .out = 1e-05, .cache_read = 1.25e-06, .cache_write = NA } },
	{ "gpt-4o-mini-search-preview", { .in = 1.5e-07, .out = 6e-07, .cache_read = 7.5e-08, .cache_write = NA } },
	{ "gpt-4.1", { .in = 2e-06, .out = 8e-06, .cache_read = 5e-07, .cache_write = NA } },
	{ "gpt-4.1-2025-04-14", { .in = 2e-06, .out = 8e-06, .cache_read = 5e-07, .cache_write = NA } },
	{ "gpt-4.1-mini", { .in = 4e-07, .out = 1.6e-06, .cache_read = 1e-07, .cache_write = NA } },
	{ "gpt-4.1-mini-2025-04-14", { .in = 4e-07, .out = 1.6e-06, .cache_read = 1e-07, .cache_write = NA } },
	{ "gpt-4.1-nano", { .in = 1e-07, .out = 4e-07, .cache_read = 2.5e-08, .cache_write = NA } },
	{ "gpt-4.1-nano-2025-04-14", { .in = 1e-07, .out = 4e-07, .cache_read = 2.5e-08, .cache_write = NA } },
	{ "gpt-5", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5-2025-08-07", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5-mini", { .in = 2.5e-07, .out = 2e-06, .cache_read = 2.5e-08, .cache_write = NA } },
	{ "gpt-5-mini-2025-08-07", { .in = 2.5e-07, .out = 2e-06, .cache_read = 2.5e-08, .cache_write = NA } },
	{ "gpt-5-nano", { .in = 5e-08, .out = 4e-07, .cache_read = 5e-09, .cache_write = NA } },
	{ "gpt-5-nano-2025-08-07", { .in = 5e-08, .out = 4e-07, .cache_read = 5e-09, .cache_write = NA } },
	{ "gpt-5-chat-latest", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5-codex", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5-pro", { .in = 1.5e-05, .out = 0.00012, .cache_read = NA, .cache_write = NA } },
	{ "gpt-5-pro-2025-10-06", { .in = 1.5e-05, .out = 0.00012, .cache_read = NA, .cache_write = NA } },
	{ "gpt-5.1", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5.1-2025-11-13", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5.1-chat-latest", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5.1-codex", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5.1-codex-max", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA } },
	{ "gpt-5.1-codex-mini", { .in = 2.5e-07, .out = 2e-06, .cache_read = 2.5e-08, .cache_write = NA } },
	{ "gpt-5.2", { .in = 1.75e-06, .out = 1.4e-05, .cache_read = 1.75e-07, .cache_write = NA } },
	{ "gpt-5.2-2025-12-11", { .in = 1.75e-06, .out = 1.4e-05, .cache_read = 1.75e-07, .cache_write = NA } },
	{ "gpt-5.2-chat-latest", { .in = 1.75e-06, .out = 1.4e-05, .cache_read = 1.75e-07, .cache_write = NA } },
	{ "gpt-5.2-codex", { .in = 1.75e-06, .out = 1.4e-05, .cache_read = 1.75e-07, .cache_write = NA } },
	{ "gpt-5.2-pro", { .in = 2.1e-05, .out = 0.000168, .cache_read = NA, .cache_write = NA } },
	{ "gpt-5.4", { .in = 2.5e-06, .out = 1.5e-05, .cache_read = 2.5e-07, .cache_write = NA } },
	{ "gpt-5.4-2026-03-05", { .in = 2.5e-06, .out = 1.5e-05, .cache_read = 2.5e-07, .cache_write = NA } },
	{ "gpt-5.4-mini", { .in = 7.5e-07, .out = 4.5e-06, .cache_read = 7.5e-08, .cache_write = NA } },
	{ "gpt-5.4-nano", { .in = 2e-07, .out = 1.25e-06, .cache_read = 2e-08, .cache_write = NA } },
	{ "gpt-5.4-pro", { .in = 3e-05, .out = 0.00018, .cache_read = 3e-06, .cache_write = NA } },
	{ "gpt-5.5", { .in = 5e-06, .out = 3e-05, .cache_read = 5e-07, .cache_write = NA } },
	{ "gpt-5.5-2026-04-23", { .in = 5e-06, .out = 3e-05, .cache_read = 5e-07, .cache_write = NA } },
	{ "gpt-5.5-pro", { .in = 3e-05, .out = 0.00018, .cache_read = 3e-06, .cache_write = NA } },
	{ "o1", { .in = 1.5e-05, .out = 6e-05, .cache_read = 7.5e-06, .cache_write = NA } },
	{ "o1-2024-12-17", { .in = 1.5e-05, .out = 6e-05, .cache_read = 7.5e-06, .cache_write = NA } },
	{ "o1-pro", { .in = 0.00015, .out = 0.0006, .cache_read = NA, .cache_write = NA } },
	{ "o3", { .in = 2e-06, .out = 8e-06, .cache_read = 5e-07, .cache_write = NA } },
	{ "o3-2025-04-16", { .in = 2e-06, .out = 8e-06, .cache_read = 5e-07, .cache_write = NA } },
	{ "o3-mini", { .in = 1.1e-06, .out = 4.4e-06, .cache_read = 5.5e-07, .cache_write = NA } },
	{ "o3-mini-2025-01-31", { .in = 1.1e-06, .out = 4.4e-06, .cache_read = 5.5e-07, .cache_write = NA } },
	{ "o3-pro", { .in = 2e-05, .out = 8e-05, .cache_read = NA, .cache_write = NA } },
	{ "o3-deep-research", { .in = 1e-05, .out = 4e-05, .cache_read = 2.5e-06, .cache_write = NA } },
	{ "o4-mini", { .in = 1.1e-06, .out = 4.4e-06, .cache_read = 2.75e-07, .cache_write = NA } },
	{ "o4-mini-2025-04-16", { .in = 1.1e-06, .out = 4.4e-06, .cache_read = 2.75e-07, .cache_write = NA } },
	{ "o4-mini-deep-research", { .in = 2e-06, .out = 8e-06, .cache_read = 5e-07, .cache_write = NA } },
	{ "codex-mini-latest", { .in = 1.5e-06, .out = 6e-06, .cache_read = 3.75e-07, .cache_write = NA } },
	{ "gpt-4", { .in = 3e-05, .out = 6e-05, .cache_read = NA, .cache_write = NA } },
	{ "gpt-4-0613", { .in = 3e-05, .out = 6e-05, .cache_read = NA, .cache_write = NA } },
	{ "gpt-4-turbo", { .in = 1e-05, .out = 3e-05, .cache_read = NA, .cache_write = NA } },
	{ "gpt-4-turbo-2024-04-09", { .in = 1e-05, .out = 3e-05, .cache_read = NA, .cache_write = NA } },
	{ "gpt-4-0125-preview", { .in = 1e-05, .out = 3e-05, .cache_read = NA, .cache_write = NA } },
	{ "gpt-3.5-turbo", { .in = 5e-07, .out = 1.5e-06, .cache_read = NA, .cache_write = NA } },
	{ "gpt-3.5-turbo-0125", { .in = 5e-07, .out = 1.5e-06, .cache_read = NA, .cache_write = NA } },
	{ "gpt-3.5-turbo-1106", { .in = 1e-06, .out = 2e-06, .cache_read = NA, .cache_write = NA } },
	{ "gpt-3.5-turbo-instruct", { .in = 1.5e-06, .out = 2e-06, .cache_read = NA, .cache_write = NA } },
	/* Anthropic (3.5 rows: Anthropic list prices as LiteLLM records them for Bedrock's anthropic.* ids) */
	{ "claude-3-5-sonnet-20240620", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06,
	  .tier = 200000, .in_above = 6e-06, .out_above = 3e-05, .cache_read_above = 6e-07, .cache_write_above = 7.5e-06 } },
	{ "claude-3-5-sonnet-20241022", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06,
	  .tier = 200000, .in_above = 6e-06, .out_above = 3e-05, .cache_read_above = 6e-07, .cache_write_above = 7.5e-06 } },
	{ "claude-3-5-sonnet-latest", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06,
	  .tier = 200000, .in_above = 6e-06, .out_above = 3e-05, .cache_read_above = 6e-07, .cache_write_above = 7.5e-06 } },
	{ "claude-3-5-haiku-20241022", { .in = 8e-07, .out = 4e-06, .cache_read = 8e-08, .cache_write = 1e-06 } },
	{ "claude-3-5-haiku-latest", { .in = 8e-07, .out = 4e-06, .cache_read = 8e-08, .cache_write = 1e-06 } },
	{ "claude-3-7-sonnet-20250219", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06 } },
	{ "claude-3-7-sonnet-latest", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06 } },
	{ "claude-3-haiku-20240307", { .in = 2.5e-07, .out = 1.25e-06, .cache_read = 3e-08, .cache_write = 3e-07 } },
	{ "claude-3-opus-20240229", { .in = 1.5e-05, .out = 7.5e-05, .cache_read = 1.5e-06, .cache_write = 1.875e-05 } },
	{ "claude-sonnet-4-20250514", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06,
	  .tier = 200000, .in_above = 6e-06, .out_above = 2.25e-05, .cache_read_above = 6e-07, .cache_write_above = 7.5e-06 } },
	{ "claude-sonnet-4", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06,
	  .tier = 200000, .in_above = 6e-06, .out_above = 2.25e-05, .cache_read_above = 6e-07, .cache_write_above = 7.5e-06 } },
	{ "claude-sonnet-4-0", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06,
	  .tier = 200000, .in_above = 6e-06, .out_above = 2.25e-05, .cache_read_above = 6e-07, .cache_write_above = 7.5e-06 } },
	{ "claude-opus-4-20250514", { .in = 1.5e-05, .out = 7.5e-05, .cache_read = 1.5e-06, .cache_write = 1.875e-05 } },
	{ "claude-opus-4", { .in = 1.5e-05, .out = 7.5e-05, .cache_read = 1.5e-06, .cache_write = 1.875e-05 } },
	{ "claude-opus-4-0", { .in = 1.5e-05, .out = 7.5e-05, .cache_read = 1.5e-06, .cache_write = 1.875e-05 } },
	{ "claude-opus-4-1", { .in = 1.5e-05, .out = 7.5e-05, .cache_read = 1.5e-06, .cache_write = 1.875e-05 } },
	{ "claude-opus-4-1-20250805", { .in = 1.5e-05, .out = 7.5e-05, .cache_read = 1.5e-06, .cache_write = 1.875e-05 } },
	{ "claude-sonnet-4-5", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06,
	  .tier = 200000, .in_above = 6e-06, .out_above = 2.25e-05, .cache_read_above = 6e-07, .cache_write_above = 7.5e-06 } },
	{ "claude-sonnet-4-5-20250929", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06,
	  .tier = 200000, .in_above = 6e-06, .out_above = 2.25e-05, .cache_read_above = 6e-07, .cache_write_above = 7.5e-06 } },
	{ "claude-haiku-4-5", { .in = 1e-06, .out = 5e-06, .cache_read = 1e-07, .cache_write = 1.25e-06 } },
	{ "claude-haiku-4-5-20251001", { .in = 1e-06, .out = 5e-06, .cache_read = 1e-07, .cache_write = 1.25e-06 } },
	{ "claude-opus-4-5", { .in = 5e-06, .out = 2.5e-05, .cache_read = 5e-07, .cache_write = 6.25e-06 } },
	{ "claude-opus-4-5-20251101", { .in = 5e-06, .out = 2.5e-05, .cache_read = 5e-07, .cache_write = 6.25e-06 } },
	{ "claude-sonnet-4-6", { .in = 3e-06, .out = 1.5e-05, .cache_read = 3e-07, .cache_write = 3.75e-06 } },
	{ "claude-opus-4-6", { .in = 5e-06, .out = 2.5e-05, .cache_read = 5e-07, .cache_write = 6.25e-06 } },
	{ "claude-opus-4-6-20260205", { .in = 5e-06, .out = 2.5e-05, .cache_read = 5e-07, .cache_write = 6.25e-06 } },
	{ "claude-opus-4-7", { .in = 5e-06, .out = 2.5e-05, .cache_read = 5e-07, .cache_write = 6.25e-06 } },
	{ "claude-opus-4-7-20260416", { .in = 5e-06, .out = 2.5e-05, .cache_read = 5e-07, .cache_write = 6.25e-06 } },
	/* Google Gemini (Vertex AI / AI Studio list prices) */
	{ "gemini-2.0-flash", { .in = 1e-07, .out = 4e-07, .cache_read = 2.5e-08, .cache_write = NA } },
	{ "gemini-2.0-flash-001", { .in = 1.5e-07, .out = 6e-07, .cache_read = 3.75e-08, .cache_write = NA } },
	{ "gemini-2.0-flash-lite", { .in = 7.5e-08, .out = 3e-07, .cache_read = 1.875e-08, .cache_write = NA } },
	{ "gemini-2.0-flash-lite-001", { .in = 7.5e-08, .out = 3e-07, .cache_read = 1.875e-08, .cache_write = NA } },
	{ "gemini-2.5-pro", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA,
	  .tier = 200000, .in_above = 2.5e-06, .out_above = 1.5e-05, .cache_read_above = 2.5e-07, .cache_write_above = 2.5e-07 } },
	{ "gemini-2.5-flash", { .in = 3e-07, .out = 2.5e-06, .cache_read = 3e-08, .cache_write = NA } },
	{ "gemini-2.5-flash-lite", { .in = 1e-07, .out = 4e-07, .cache_read = 1e-08, .cache_write = NA } },
	{ "gemini-2.5-flash-preview-09-2025", { .in = 3e-07, .out = 2.5e-06, .cache_read = 7.5e-08, .cache_write = NA } },
	{ "gemini-2.5-flash-lite-preview-09-2025", { .in = 1e-07, .out = 4e-07, .cache_read = 1e-08, .cache_write = NA } },
	{ "gemini-3-pro-preview", { .in = 2e-06, .out = 1.2e-05, .cache_read = 2e-07, .cache_write = NA,
	  .tier = 200000, .in_above = 4e-06, .out_above = 1.8e-05, .cache_read_above = 4e-07, .cache_write_above = 2.5e-07 } },
	{ "gemini-3-flash-preview", { .in = 5e-07, .out = 3e-06, .cache_read = 5e-08, .cache_write = NA } },
	{ "gemini-3.1-pro-preview", { .in = 2e-06, .out = 1.2e-05, .cache_read = 2e-07, .cache_write = NA,
	  .tier = 200000, .in_above = 4e-06, .out_above = 1.8e-05, .cache_read_above = 4e-07, .cache_write_above = 2.5e-07 } },
	{ "gemini-3.1-flash-lite", { .in = 2.5e-07, .out = 1.5e-06, .cache_read = 2.5e-08, .cache_write = NA } },
	{ "gemini-flash-latest", { .in = 3e-07, .out = 2.5e-06, .cache_read = 3e-08, .cache_write = NA } },
	{ "gemini-flash-lite-latest", { .in = 1e-07, .out = 4e-07, .cache_read = 1e-08, .cache_write = NA } },
	{ "gemini-pro-latest", { .in = 1.25e-06, .out = 1e-05, .cache_read = 1.25e-07, .cache_write = NA,
	  .tier = 200000, .in_above = 2.5e-06, .out_above = 1.5e-05, .cache_read_above = 2.5e-07, .cache_write_above = NA } },
	/* Mistral */
	{ "mistral/mistral-large-latest", { .in = 5e-07, .out = 1.5e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/mistral-large-2411", { .in = 2e-06, .out = 6e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/mistral-large-2512", { .in = 5e-07, .out = 1.5e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/mistral-medium-latest", { .in = 1.5e-06, .out = 7.5e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/mistral-medium-2505", { .in = 4e-07, .out = 2e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/mistral-medium-2508", { .in = 4e-07, .out = 2e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/mistral-small-latest", { .in = 6e-08, .out = 1.8e-07, .cache_read = NA, .cache_write = NA } },
	{ "mistral/mistral-small-3-2-2506", { .in = 6e-08, .out = 1.8e-07, .cache_read = NA, .cache_write = NA } },
	{ "mistral/codestral-latest", { .in = 1e-06, .out = 3e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/codestral-2508", { .in = 3e-07, .out = 9e-07, .cache_read = NA, .cache_write = NA } },
	{ "mistral/devstral-medium-latest", { .in = 4e-07, .out = 2e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/devstral-small-latest", { .in = 1e-07, .out = 3e-07, .cache_read = NA, .cache_write = NA } },
	{ "mistral/magistral-medium-latest", { .in = 2e-06, .out = 5e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/magistral-small-latest", { .in = 5e-07, .out = 1.5e-06, .cache_read = NA, .cache_write = NA } },
	{ "mistral/ministral-8b-latest", { .in = 1.5e-07, .out = 1.5e-07, .cache_read = NA, .cache_write = NA } },
	{ "mistral/open-mistral-nemo", { .in = 3e-07, .out = 3e-07, .cache_read = NA, .cache_write = NA } },
	{ "mistral/pixtral-large-latest", { .in = 2e-06, .out = 6e-06, .cache_read = NA, .cache_write = NA } },
	/* DeepSeek */
	{ "deepseek-chat", { .in = 2.8e-07, .out = 4.2e-07, .cache_read = 2.8e-08, .cache_write = NA } },
	{ "deepseek-reasoner", { .in = 2.8e-07, .out = 4.2e-07, .cache_read = 2.8e-08, .cache_write = NA } },
	{ "deepseek/deepseek-v3.2", { .in = 2.8e-07, .out = 4e-07, .cache_read = NA, .cache_write = NA } },
	{ "deepseek/deepseek-r1", { .in = 5.5e-07, .out = 2.19e-06, .cache_read = NA, .cache_write = NA } },
	/* xAI */
	{ "xai/grok-4", { .in = 3e-06, .out = 1.5e-05, .cache_read = NA, .cache_write = NA } },
	{ "xai/grok-4-0709", { .in = 3e-06, .out = 1.5e-05, .cache_read = NA, .cache_write = NA } },
	{ "xai/grok-4-latest", { .in = 3e-06, .out = 1.5e-05, .cache_read = NA, .cache_write = NA } },
	{ "xai/grok-4-fast-reasoning", { .in = 2e-07, .out = 5e-07, .cache_read = 5e-08, .cache_write = NA } },
	{ "xai/grok-4-fast-non-reasoning", { .in = 2e-07, .out = 5e-07, .cache_read = 5e-08, .cache_write = NA } },
	{ "xai/grok-4-1-fast-reasoning", { .in = 2e-07, .out = 5e-07, .cache_read = 5e-08, .cache_write = NA } },
	{ "xai/grok-4-1-fast-non-reasoning", { .in = 2e-07, .out = 5e-07, .cache_read = 5e-08, .cache_write = NA } },
	{ "xai/grok-code-fast-1", { .in = 2e-07, .out = 1.5e-06, .cache_read = 2e-08, .cache_write = NA } },
	{ "xai/grok-3", { .in = 3e-06, .out = 1.5e-05, .cache_read = 7.5e-07, .cache_write = NA } },
	{ "xai/grok-3-latest", { .in = 3e-06, .out = 1.5e-05, .cache_read = 7.5e-07, .cache_write = NA } },
	{ "xai/grok-3-mini", { .in = 3e-07, .out = 5e-07, .cache_read = 7.5e-08, .cache_write = NA } },
	{ "xai/grok-3-mini-latest", { .in = 3e-07, .out = 5e-07, .cache_read = 7.5e-08, .cache_write = NA } },
	/* Meta Llama and open-weight models on common hosts */
	{ "groq/llama-3.3-70b-versatile", { .in = 5.9e-07, .out = 7.9e-07, .cache_read = NA, .cache_write = NA } },
	{ "groq/llama-3.1-8b-instant", { .in = 5e-08, .out = 8e-08, .cache_read = NA, .cache_write = NA } },
	{ "groq/meta-llama/llama-4-maverick-17b-128e-instruct", { .in = 2e-07, .out = 6e-07, .cache_read = NA, .cache_write = NA } },
	{ "groq/meta-llama/llama-4-scout-17b-16e-instruct", { .in = 1.1e-07, .out = 3.4e-07, .cache_read = NA, .cache_write = NA } },
	{ "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", { .in = 8.8e-07, .out = 8.8e-07, .cache_read = NA, .cache_write = NA } },
	{ "together_ai/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", { .in = 1.8e-07, .out = 1.8e-07, .cache_read = NA, .cache_write = NA } },
	{ "together_ai/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo", { .in = 8.8e-07, .out = 8.8e-07, .cache_read = NA, .cache_write = NA } },
	{ "together_ai/meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo", { .in = 3.5e-06, .out = 3.5e-06, .cache_read = NA, .cache_write = NA } },
	{ "together_ai/meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", { .in = 2.7e-07, .out = 8.5e-07, .cache_read = NA, .cache_write = NA } },
	{ "together_ai/meta-llama/Llama-4-Scout-17B-16E-Instruct", { .in = 1.8e-07, .out = 5.9e-07, .cache_read = NA, .cache_write = NA } },
	{ "fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct", { .in = 9e-07, .out = 9e-07, .cache_read = NA, .cache_write = NA } },
	{ "fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct", { .in = 1e-07, .out = 1e-07, .cache_read = NA, .cache_write = NA } },
	{ "fireworks_ai/accounts/fireworks/models/llama4-maverick-instruct-basic", { .in = 2.2e-07, .out = 8.8e-07, .cache_read = NA, .cache_write = NA } },
	{ "cerebras/llama-3.3-70b", { .in = 8.5e-07, .out = 1.2e-06, .cache_read = NA, .cache_write = NA } },
	{ "cerebras/llama3.1-8b", { .in = 1e-07, .out = 1e-07, .cache_read = NA, .cache_write = NA } },
};

const size_t prices_table_nrows = sizeof(prices_table_rows) / sizeof(prices_table_rows[0]);

const char *
prices_builtin_date(void)
{
	return "2026-08-01";
}
