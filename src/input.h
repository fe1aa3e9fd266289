/* input.h - byte sources for llmstat: a file or stdin, plain, gzip or zstd,
 * told apart by their first bytes, never by their name. */
#ifndef LLMSTAT_INPUT_H
#define LLMSTAT_INPUT_H

#include <stddef.h>

/* The first bytes of an llmstat state file (see state.h). */
#define INPUT_STATE_MAGIC "\x89LLMSTAT\r\n\x1a\n"
#define INPUT_STATE_MAGIC_LEN 12

enum input_kind {
	INPUT_PLAIN,            /* JSONL text */
	INPUT_GZIP,             /* 1f 8b: one or more gzip members */
	INPUT_ZSTD,             /* 28 b5 2f fd: one or more zstd frames */
	INPUT_STATE             /* INPUT_STATE_MAGIC: a saved llmstat state */
};

struct input;

/* Opens path ("-" or NULL = standard input) and peeks at its first bytes.
 * On failure returns NULL and writes a short reason into err ("No such file
 * or directory", "Is a directory", "Permission denied"). */
struct input *input_open(const char *path, char *err, size_t errlen);

/* The name for messages: the path, or "<stdin>". */
const char *input_name(const struct input *in);
enum input_kind input_kind(const struct input *in);

/* Reads up to cap bytes of decoded data (decompressed for gzip and zstd;
 * the raw bytes, magic included, for plain and state inputs).
 * Returns the count, 0 at the end, or -1 with a reason in err: a stream cut
 * short says "truncated gzip stream" / "truncated zstd stream", bad data
 * "corrupt gzip data: ..." / "corrupt zstd data: ...", a read error its
 * strerror. Concatenated gzip members and zstd frames are read in turn. */
long input_read(struct input *in, char *buf, size_t cap, char *err, size_t errlen);

/* Size in bytes of a regular file (compressed size for .gz/.zst), or -1. */
long long input_size(const struct input *in);

/* Closes the input and frees it; NULL is a no-op. */
void input_close(struct input *in);

/* Calls fn(ctx, path) for each log file under dir (~/.claude/projects):
 * names ending in .jsonl, .ndjson or .log, also with .gz or .zst, in name
 * order, subdirectories depth first (16 levels at most), hidden entries
 * skipped. Adds the files to *found; returns the OR of fn's results, or 1
 * when a directory cannot be read (named on stderr). */
int input_walk(const char *dir, int (*fn)(void *ctx, const char *path), void *ctx, int *found);

#endif
