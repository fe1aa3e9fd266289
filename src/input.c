/* input.c - opens a file or stdin, tells plain, gzip, zstd and state inputs
 * apart by their magic bytes, and streams their decoded bytes. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#define IBUF_SIZE (1u << 20)            /* compressed-side read buffer */
#define MAX_CHUNK (1u << 30)            /* largest single decode request */
#define PEEK_MAX INPUT_STATE_MAGIC_LEN  /* longest magic we look for */

static const unsigned char GZIP_MAGIC[] = { 0x1f, 0x8b };
static const unsigned char ZSTD_MAGIC[] = { 0x28, 0xb5, 0x2f, 0xfd };

struct magic {
	const unsigned char *bytes;
	size_t len;
	enum input_kind kind;
};

static const struct magic MAGICS[] = {
	{ GZIP_MAGIC, sizeof GZIP_MAGIC, INPUT_GZIP },
	{ ZSTD_MAGIC, sizeof ZSTD_MAGIC, INPUT_ZSTD },
	{ (const unsigned char *)INPUT_STATE_MAGIC, INPUT_STATE_MAGIC_LEN, INPUT_STATE },
};

#define NMAGICS (sizeof MAGICS / sizeof MAGICS[0])

struct input {
	int fd;
	int owns_fd;                    /* 0 for stdin: never closed */
	enum input_kind kind;
	char *name;
	int is_reg;
	long long size;                 /* regular files only, else -1 */
	long long nread;                /* bytes read from fd so far */

	unsigned char peek[PEEK_MAX];   /* plain/state: bytes read while peeking */
	size_t peek_len, peek_pos;

	unsigned char *ibuf;            /* gzip/zstd: compressed bytes */
	int eof;                        /* read() has returned 0, or a regular
	                                   file came short past its size */
	int done;                       /* the decoded stream ended cleanly */

	z_stream z;
	int z_ready;                    /* inflateInit2 succeeded */
	int member_end;                 /* a gzip member just ended */

	ZSTD_DStream *zs;
	ZSTD_inBuffer zin;
	int in_frame;                   /* a zstd frame is under way */


	char failure[160];              /* sticky error message, "" if none */
};

/* Writes a formatted message into err, tolerating a NULL or empty buffer. */
__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Thread-safe strerror: copies the text for errnum into buf. */
static const char *errtext(int errnum, char *buf, size_t len)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	return strerror_r(errnum, buf, len);
#else
	if (strerror_r(errnum, buf, len) != 0)
		snprintf(buf, len, "error %d", errnum);
	return buf;
#endif
}

/* Records a sticky failure on in; returns -1. */
__attribute__((format(printf, 2, 3)))
static int fail(struct input *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(in->failure, sizeof in->failure, fmt, ap);
	va_end(ap);
	return -1;
}

/* Records errno's text as a sticky failure; returns -1. */
static int fail_errno(struct input *in, int errnum)
{
	char buf[128];

	return fail(in, "%s", errtext(errnum, buf, sizeof buf));
}

/* Waits until a non-blocking fd becomes readable. */
static void wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
}

/* read() that retries on EINTR and waits out EAGAIN. */
static ssize_t read_retry(int fd, void *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);

		if (n >= 0)
			return n;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			wait_readable(fd);
		else if (errno != EINTR)
			return -1;
	}
}

/* Nonzero while the peeked prefix could still grow into some magic. */
static int peek_undecided(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < NMAGICS; i++) {
		const struct magic *m = &MAGICS[i];
		size_t n = len < m->len ? len : m->len;

		if (memcmp(p, m->bytes, n) != 0)
			continue;
		if (len >= m->len)
			return 0;       /* a complete match: decided */
		return 1;
	}
	return 0;
}

/* The kind named by the peeked bytes; plain when nothing matches. */
static enum input_kind classify(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < NMAGICS; i++) {
		const struct magic *m = &MAGICS[i];

		if (len >= m->len && memcmp(p, m->bytes, m->len) == 0)
			return m->kind;
	}
	return INPUT_PLAIN;
}

/* Reads the first bytes, stopping as soon as the kind is certain. */
static int peek_input(struct input *in)
{
	while (in->peek_len < PEEK_MAX && peek_undecided(in->peek, in->peek_len)) {
		ssize_t n = read_retry(in->fd, in->peek + in->peek_len,
		                       PEEK_MAX - in->peek_len);

		if (n < 0)
			return -1;
		if (n == 0) {
			in->eof = 1;
			break;
		}
		in->peek_len += (size_t)n;
		in->nread += n;
	}
	in->kind = classify(in->peek, in->peek_len);
	return 0;
}

/* Moves the peeked bytes into the compressed-side buffer. */
static int setup_ibuf(struct input *in)
{
	in->ibuf = malloc(IBUF_SIZE);
	if (!in->ibuf)
		return -1;
	memcpy(in->ibuf, in->peek, in->peek_len);
	in->peek_pos = in->peek_len;
	return 0;
}

/* Prepares the zlib or zstd decoder for a compressed input. */
static int setup_decoder(struct input *in)
{
	if (in->kind != INPUT_GZIP && in->kind != INPUT_ZSTD)
		return 0;
	if (setup_ibuf(in) < 0)
		return -1;
	if (in->kind == INPUT_GZIP) {
		in->z.next_in = in->ibuf;
		in->z.avail_in = (uInt)in->peek_len;
		if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
			return -1;
		in->z_ready = 1;
		return 0;
	}
	in->zs = ZSTD_createDStream();
	if (!in->zs || ZSTD_isError(ZSTD_initDStream(in->zs)))
		return -1;
	in->zin.src = in->ibuf;
	in->zin.size = in->peek_len;
	in->zin.pos = 0;
	return 0;
}

/* Opens the descriptor for path, or adopts stdin. */
static int open_fd(struct input *in, const char *path)
{
	int stdin_path = !path || strcmp(path, "-") == 0;

	in->name = strdup(stdin_path ? "<stdin>" : path);
	if (!in->name) {
		errno = ENOMEM;
		return -1;
	}
	if (stdin_path) {
		in->fd = STDIN_FILENO;
		return 0;
	}
	in->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0)
		return -1;
	in->owns_fd = 1;
	return 0;
}

/* Checks the descriptor's type and records its size. */
static int stat_fd(struct input *in)
{
	struct stat st;
	off_t pos;

	if (fstat(in->fd, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	in->size = -1;
	if (!S_ISREG(st.st_mode))
		return 0;
	in->is_reg = 1;
	pos = in->owns_fd ? 0 : lseek(in->fd, 0, SEEK_CUR);     /* stdin may start further on */
	if (pos < 0)
		pos = 0;
	in->size = (long long)st.st_size - (long long)pos;
	if (in->size < 0)
		in->size = 0;
	if (in->size >= (1 << 20))      /* worth a syscall on big files only */
		posix_fadvise(in->fd, pos, 0, POSIX_FADV_SEQUENTIAL);
	return 0;
}

struct input *input_open(const char *path, char *err, size_t errlen)
{
	struct input *in = calloc(1, sizeof *in);
	char buf[128];
	int e;

	if (!in) {
		set_err(err, errlen, "%s", errtext(ENOMEM, buf, sizeof buf));
		return NULL;
	}
	in->fd = -1;
	if (open_fd(in, path) == 0 && stat_fd(in) == 0 && peek_input(in) == 0) {
		errno = ENOMEM;         /* decoder setup fails only for memory */
		if (setup_decoder(in) == 0)
			return in;
	}
	e = errno;
	set_err(err, errlen, "%s", errtext(e, buf, sizeof buf));
	input_close(in);
	return NULL;
}

const char *input_name(const struct input *in)
{
	return in->name;
}

enum input_kind input_kind(const struct input *in)
{
	return in->kind;
}

/* Refills the compressed buffer; returns bytes read, 0 at EOF, -1 on error. */
static ssize_t fill(struct input *in)
{
	ssize_t n;

	if (in->eof)
		return 0;
	n = read_retry(in->fd, in->ibuf, IBUF_SIZE);
	if (n == 0)
		in->eof = 1;
	return n;
}

/* Hands over what a failing call decoded; the failure is reported next. */
static long deliver(struct input *in, size_t produced, char *err, size_t errlen)
{
	if (produced > 0 || !in->failure[0])
		return (long)produced;
	set_err(err, errlen, "%s", in->failure);
	return -1;
}

/* Plain and state inputs: peeked bytes first, then straight reads. */
static long raw_read(struct input *in, char *buf, size_t cap, char *err, size_t errlen)
{
	ssize_t n;

	if (in->peek_pos < in->peek_len) {
		size_t k = in->peek_len - in->peek_pos;

		if (k > cap)
			k = cap;
		memcpy(buf, in->peek + in->peek_pos, k);
		in->peek_pos += k;
		return (long)k;
	}
	if (in->eof)
		return 0;
	n = read_retry(in->fd, buf, cap);
	if (n < 0) {
		fail_errno(in, errno);
		return deliver(in, 0, err, errlen);
	}
	in->nread += n;
	/* A regular file read past the size it had when opened, and coming
	 * short, is at its end: one read() a file fewer, which shows on a
	 * directory of 10,000 small session files. Short of that size, or
	 * with none (/proc files say 0), only a read of 0 says so. */
	if (n == 0 || (in->is_reg && in->size > 0 && in->nread >= in->size && (size_t)n < cap))
		in->eof = 1;
	return (long)n;
}

/* Starts the next gzip member if more input follows the one that ended;
 * marks the stream done when none does. Returns -1 on a read error. */
static int gz_next_member(struct input *in)
{
	if (in->z.avail_in == 0) {
		ssize_t n = fill(in);

		if (n < 0)
			return fail_errno(in, errno);
		in->z.next_in = in->ibuf;
		in->z.avail_in = (uInt)n;
	}
	if (in->z.avail_in == 0) {
		in->done = 1;
		return 0;
	}
	inflateReset(&in->z);
	in->member_end = 0;
	return 0;
}

/* One inflate step; returns 0 to go on, -1 after recording a failure. */
static int gz_step(struct input *in)
{
	z_stream *z = &in->z;
	int ret;

	if (z->avail_in == 0) {
		ssize_t n = fill(in);

		if (n < 0)
			return fail_errno(in, errno);
		z->next_in = in->ibuf;
		z->avail_in = (uInt)n;
	}
	ret = inflate(z, Z_NO_FLUSH);
	if (ret == Z_STREAM_END)
		in->member_end = 1;
	else if (ret == Z_BUF_ERROR && in->eof && z->avail_in == 0)
		return fail(in, "truncated gzip stream");
	else if (ret == Z_MEM_ERROR)
		return fail_errno(in, ENOMEM);
	else if (ret != Z_OK && ret != Z_BUF_ERROR)
		return fail(in, "corrupt gzip data: %s",
		            z->msg ? z->msg : "invalid stream");
	return 0;
}

/* Gzip: inflates into buf until some output appears or the stream ends. */
static long gz_read(struct input *in, char *buf, size_t cap, char *err, size_t errlen)
{
	z_stream *z = &in->z;
	uInt want = (uInt)cap;

	z->next_out = (Bytef *)buf;
	z->avail_out = want;
	while (z->avail_out == want) {
		if (in->member_end && gz_next_member(in) < 0)
			break;
		if (in->done || gz_step(in) < 0)
			break;
	}
	return deliver(in, want - z->avail_out, err, errlen);
}

/* One zstd step; returns 0 to go on, 1 at a clean end, -1 on failure. */
static int zst_step(struct input *in, ZSTD_outBuffer *out)
{
	size_t r;

	if (in->zin.pos == in->zin.size) {
		ssize_t n = fill(in);

		if (n < 0)
			return fail_errno(in, errno);
		in->zin.size = (size_t)n;
		in->zin.pos = 0;
	}
	if (in->zin.size == 0 && !in->in_frame)
		return 1;
	r = ZSTD_decompressStream(in->zs, out, &in->zin);
	if (ZSTD_isError(r))
		return fail(in, "corrupt zstd data: %s", ZSTD_getErrorName(r));
	in->in_frame = r != 0;
	if (out->pos == 0 && in->eof && in->zin.pos == in->zin.size) {
		if (in->in_frame)
			return fail(in, "truncated zstd stream");
		return 1;
	}
	return 0;
}

/* Zstd: decodes into buf until some output appears or the input ends. */
static long zst_read(struct input *in, char *buf, size_t cap, char *err, size_t errlen)
{
	ZSTD_outBuffer out = { buf, cap, 0 };
	int st = 0;

	while (out.pos == 0 && st == 0)
		st = zst_step(in, &out);
	if (st == 1)
		in->done = 1;
	return deliver(in, out.pos, err, errlen);
}

long input_read(struct input *in, char *buf, size_t cap, char *err, size_t errlen)
{
	if (in->failure[0])
		return deliver(in, 0, err, errlen);
	if (cap > MAX_CHUNK)
		cap = MAX_CHUNK;
	if (cap == 0 || in->done)
		return 0;
	switch (in->kind) {
	case INPUT_GZIP:
		return gz_read(in, buf, cap, err, errlen);
	case INPUT_ZSTD:
		return zst_read(in, buf, cap, err, errlen);
	case INPUT_PLAIN:
	case INPUT_STATE:
	default:
		return raw_read(in, buf, cap, err, errlen);
	}
}

long long input_size(const struct input *in)
{
	return in->is_reg ? in->size : -1;
}

void input_close(struct input *in)
{
	if (!in)
		return;
	if (in->z_ready)
		inflateEnd(&in->z);
	ZSTD_freeDStream(in->zs);
	free(in->ibuf);
	if (in->owns_fd && in->fd >= 0)
		close(in->fd);
	free(in->name);
	free(in);
}

#define DIR_DEPTH 16            /* directories below an input directory */

static int
name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* A log file in a directory: .jsonl, .ndjson or .log, maybe .gz or .zst. */
static int
is_log_name(const char *name)
{
	static const char *const ext[] = { ".jsonl", ".ndjson", ".log" };
	static const char *const comp[] = { "", ".gz", ".zst" };
	size_t n = strlen(name), i, j, k;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++) {
			k = strlen(ext[i]) + strlen(comp[j]);
			if (n > k && strncmp(name + n - k, ext[i], strlen(ext[i])) == 0 &&
			    strcmp(name + n - strlen(comp[j]), comp[j]) == 0)
				return 1;
		}
	return 0;
}

static int
walk(const char *dir, int depth, int (*fn)(void *, const char *), void *ctx, int *found)
{
	struct dirent **list;
	struct stat st;
	char path[4096];
	int n, i, bad = 0;

	if ((n = scandir(dir, &list, NULL, name_cmp)) < 0) {
		fprintf(stderr, "llmstat: %s: cannot read the directory\n", dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		unsigned char t = list[i]->d_type;

		if (name[0] != '.' && (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) < sizeof(path)) {
			if (t == DT_UNKNOWN || t == DT_LNK)     /* only then is a stat needed */
				t = stat(path, &st) < 0 ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR :
				    S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
			if (t == DT_DIR && depth < DIR_DEPTH)
				bad |= walk(path, depth + 1, fn, ctx, found);
			else if (t == DT_REG && is_log_name(name)) {
				bad |= fn(ctx, path);
				(*found)++;
			}
		}
		free(list[i]);
	}
	free(list);
	return bad;
}

int
input_walk(const char *dir, int (*fn)(void *ctx, const char *path), void *ctx, int *found)
{
	return walk(dir, 0, fn, ctx, found);
}
