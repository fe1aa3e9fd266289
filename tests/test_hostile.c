/* test_hostile.c - llmstat against hostile input and hostile surroundings.
 *
 * Each test writes its input into a private temporary directory, runs the
 * binary ($LLMSTAT_BIN, default ./llmstat) with fork/exec and a time limit,
 * and checks the exit status, stdout and stderr. After a run with -f json
 * the "quality" object is read back (with src/jsonscan.h) and the README's
 * rule is checked:
 *   lines_read = blank_lines + rejected_lines + duplicate_records
 *                + filtered_records + requests
 * together with the exact counts the input calls for. Every JSON output is
 * also checked to be valid RFC 8259 JSON (so no NaN or Infinity) and valid
 * UTF-8. Large inputs are made at run time, never stored. */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "jsonscan.h"

/* ------------------------------------------------------------------ */
/* The scratch directory of one test.                                  */

static char hs_dir[256];
static int hs_seq;

static void
hs_init(void)
{
	snprintf(hs_dir, sizeof(hs_dir), "/tmp/llmstat-hostile-XXXXXX");
	cr_assert(mkdtemp(hs_dir) != NULL, "mkdtemp: %s", strerror(errno));
}

static int
hs_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);
	remove(path);
	return 0;
}

static void
hs_fini(void)
{
	if (hs_dir[0] && strncmp(hs_dir, "/tmp/llmstat-hostile-", 21) == 0)
		nftw(hs_dir, hs_rm, 16, FTW_DEPTH | FTW_PHYS);
	hs_dir[0] = '\0';
}

TestSuite(hostile, .init = hs_init, .fini = hs_fini, .timeout = 120);

/* dst := the scratch directory / name */
static char *
hs_path(char *dst, size_t cap, const char *name)
{
	snprintf(dst, cap, "%s/%s", hs_dir, name);
	return dst;
}

/* ------------------------------------------------------------------ */
/* Byte buffers and files.                                             */

struct hbuf {
	char *p;
	size_t n, cap;
};

static void
hb_add(struct hbuf *b, const void *data, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->n + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		cr_assert(b->p != NULL, "out of memory");
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, data, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
hb_str(struct hbuf *b, const char *s)
{
	hb_add(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
static void
hb_printf(struct hbuf *b, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	cr_assert(n >= 0 && (size_t)n < sizeof(tmp));
	hb_add(b, tmp, (size_t)n);
}

static void
hb_free(struct hbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static void
write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	cr_assert(f != NULL, "%s: %s", path, strerror(errno));
	cr_assert(n == 0 || fwrite(data, 1, n, f) == n, "%s: short write", path);
	cr_assert(fclose(f) == 0, "%s: %s", path, strerror(errno));
}

/* The whole file, NUL-terminated; NULL when it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct hbuf b = { 0 };
	char tmp[65536];
	size_t n;

	*len = 0;
	if (f == NULL)
		return NULL;
	hb_add(&b, "", 0);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		hb_add(&b, tmp, n);
	fclose(f);
	*len = b.n;
	return b.p;
}

/* ------------------------------------------------------------------ */
/* Running the binary.                                                 */

struct hres {
	int code;               /* exit status, or -1 when killed */
	int sig;                /* the killing signal, or 0 */
	int timed_out;
	char *out, *err;        /* NUL-terminated captures */
	size_t outlen, errlen;
};

static const char *
hs_bin(void)
{
	const char *b = getenv("LLMSTAT_BIN");

	return b && *b ? b : "./llmstat";
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with stdin from in (NULL: /dev/null), stdout into outfile (NULL:
 * captured), stderr captured, SIGPIPE at its default, within timeout s. */
static void
run_argv(struct hres *r, char *const argv[], const char *in, const char *outfile, double timeout)
{
	char op[512], ep[512];
	double start = now_s();
	pid_t pid;
	int st = 0;

	memset(r, 0, sizeof(*r));
	snprintf(op, sizeof(op), "%s/.out.%d", hs_dir, hs_seq);
	snprintf(ep, sizeof(ep), "%s/.err.%d", hs_dir, hs_seq++);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int fi = open(in ? in : "/dev/null", O_RDONLY);
		int fo = open(outfile ? outfile : op, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(ep, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fi < 0 || fo < 0 || fe < 0)
			_exit(126);
		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		close(fi);
		close(fo);
		close(fe);
		signal(SIGPIPE, SIG_DFL);
		setenv("NO_COLOR", "1", 1);
		setenv("COLUMNS", "100", 1);
		unsetenv("TZ");
		execv(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		struct timespec ts = { 0, 2000000 };

		if (w == pid)
			break;
		cr_assert(w == 0, "waitpid: %s", strerror(errno));
		if (now_s() - start > timeout) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			r->timed_out = 1;
			break;
		}
		nanosleep(&ts, NULL);
	}
	r->code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	r->out = outfile ? calloc(1, 1) : slurp(op, &r->outlen);
	r->err = slurp(ep, &r->errlen);
	unlink(op);
	unlink(ep);
	cr_assert(r->out != NULL && r->err != NULL);
	cr_assert(!r->timed_out, "%s did not finish within %.0f s", argv[0], timeout);
	cr_assert(r->code != 127 && r->code != 126, "cannot run %s", argv[0]);
}

/* Runs llmstat with the NULL-terminated arguments, stdin from in. */
static void
run_ll(struct hres *r, const char *in, const char *outfile, double timeout, ...)
{
	char *argv[64];
	va_list ap;
	int n = 0;
	const char *a;

	argv[n++] = (char *)hs_bin();
	va_start(ap, timeout);
	while ((a = va_arg(ap, const char *)) != NULL && n < 63)
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	run_argv(r, argv, in, outfile, timeout);
}

static void
hres_free(struct hres *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------------ */
/* Checking output.                                                    */

/* Strict UTF-8: no overlongs, surrogates, or code points past U+10FFFF.
 * Returns the offset of the first bad byte, or n. */
static size_t
utf8_bad_at(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], lo = 0x80, hi = 0xBF;
		size_t need, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			lo = c == 0xE0 ? 0xA0 : 0x80;
			hi = c == 0xED ? 0x9F : 0xBF;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF;
		} else
			return i;
		if (n - i <= need)
			return i;
		for (k = 1; k <= need; k++) {
			if (s[i + k] < lo || s[i + k] > hi)
				return i;
			lo = 0x80;
			hi = 0xBF;
		}
		i += need + 1;
	}
	return n;
}

/* The output is one valid JSON text (RFC 8259: no NaN, no Infinity) in
 * valid UTF-8, ending with a newline. */
static void
check_json(const struct hres *r)
{
	struct js_paths *none = js_paths_new();
	struct js_err e = { 0 };
	size_t bad;
	int ok;

	cr_assert(r->outlen > 0, "no output; stderr: %s", r->err);
	cr_assert(r->out[r->outlen - 1] == '\n', "JSON output does not end with a newline");
	ok = js_scan(none, r->out, r->outlen, NULL, &e) == 0;
	js_paths_free(none);
	cr_assert(ok, "output is not valid JSON at byte %zu (%s): %.*s", e.pos, e.msg,
	    (int)(r->outlen < 2000 ? r->outlen : 2000), r->out);
	bad = utf8_bad_at((const unsigned char *)r->out, r->outlen);
	cr_assert(bad == r->outlen, "output is not valid UTF-8 at byte %zu: ...%.*s", bad,
	    40, r->out + (bad > 20 ? bad - 20 : 0));
}

/* Reads the number at path in the JSON output: 0 and *d set, 1 for null,
 * -1 when absent or not a number. */
static int
json_num(const struct hres *r, const char *path, double *d)
{
	struct js_paths *ps = js_paths_new();
	struct js_view v[2];
	struct js_err e;
	int idx = js_paths_add(ps, path), rc = -1;

	cr_assert(idx >= 0);
	if (js_scan(ps, r->out, r->outlen, v, &e) == 0) {
		if (v[idx].type == JS_NULL)
			rc = 1;
		else if (v[idx].type == JS_NUMBER && js_number(&v[idx], d) == 0)
			rc = 0;
	}
	js_paths_free(ps);
	return rc;
}

static double
json_must_num(const struct hres *r, const char *path)
{
	double d = 0;

	cr_assert(json_num(r, path, &d) == 0, "%s is not a number in: %.*s", path,
	    (int)(r->outlen < 3000 ? r->outlen : 3000), r->out);
	return d;
}

struct hq {
	long long lines, blank, rejected, dup, filtered, requests, invalid;
};

/* Validates the JSON output and reads its quality object; checks that
 * every line is counted once. */
static void
get_quality(const struct hres *r, struct hq *q)
{
	check_json(r);
	q->lines = (long long)json_must_num(r, "quality.lines_read");
	q->blank = (long long)json_must_num(r, "quality.blank_lines");
	q->rejected = (long long)json_must_num(r, "quality.rejected_lines");
	q->dup = (long long)json_must_num(r, "quality.duplicate_records");
	q->filtered = (long long)json_must_num(r, "quality.filtered_records");
	q->requests = (long long)json_must_num(r, "quality.requests");
	q->invalid = (long long)json_must_num(r, "quality.invalid_values");
	cr_assert_eq(q->lines, q->blank + q->rejected + q->dup + q->filtered + q->requests,
	    "lines_read %lld != blank %lld + rejected %lld + duplicate %lld + filtered %lld + requests %lld",
	    q->lines, q->blank, q->rejected, q->dup, q->filtered, q->requests);
}

/* Exact counts; -1 skips one. duplicate and filtered must be 0. */
static void
expect_q(const struct hq *q, long long lines, long long blank, long long rejected,
         long long requests, long long invalid)
{
	cr_expect(lines < 0 || q->lines == lines, "lines_read %lld, want %lld", q->lines, lines);
	cr_expect(blank < 0 || q->blank == blank, "blank_lines %lld, want %lld", q->blank, blank);
	cr_expect(rejected < 0 || q->rejected == rejected, "rejected_lines %lld, want %lld", q->rejected, rejected);
	cr_expect(requests < 0 || q->requests == requests, "requests %lld, want %lld", q->requests, requests);
	cr_expect(invalid < 0 || q->invalid == invalid, "invalid_values %lld, want %lld", q->invalid, invalid);
	cr_expect(q->dup == 0, "duplicate_records %lld, want 0", q->dup);
	cr_expect(q->filtered == 0, "filtered_records %lld, want 0", q->filtered);
}

/* Writes content to NAME in the scratch dir, runs -f json on it with the
 * extra arguments, expects exit 0, returns the quality counts. */
static void
json_run(struct hres *r, struct hq *q, const char *name, const void *content, size_t n,
         const char *extra1, const char *extra2)
{
	char p[512];

	hs_path(p, sizeof(p), name);
	write_file(p, content, n);
	if (extra1 && extra2)
		run_ll(r, NULL, NULL, 60, "-f", "json", extra1, extra2, p, NULL);
	else if (extra1)
		run_ll(r, NULL, NULL, 60, "-f", "json", extra1, p, NULL);
	else
		run_ll(r, NULL, NULL, 60, "-f", "json", p, NULL);
	cr_assert_eq(r->code, 0, "exit %d (signal %d); stderr: %s", r->code, r->sig, r->err);
	get_quality(r, q);
}

/* A deterministic generator for test data. */
static uint64_t
hs_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ------------------------------------------------------------------ */
/* Framing: empty input, final newline, CRLF, BOM.                      */

Test(hostile, empty_file)
{
	struct hres r;
	struct hq q;

	json_run(&r, &q, "empty.jsonl", "", 0, NULL, NULL);
	expect_q(&q, 0, 0, 0, 0, 0);
	cr_expect(r.errlen == 0, "stderr: %s", r.err);
	hres_free(&r);
}

Test(hostile, no_final_newline)
{
	static const char in[] =
	    "{\"model\":\"a\",\"cost\":1}\n"
	    "{\"model\":\"b\",\"cost\":2}\n"
	    "{\"model\":\"c\",\"cost\":4}";
	struct hres r;
	struct hq q;

	json_run(&r, &q, "nonl.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 3, 0, 0, 3, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 7.0, "the last line's cost is lost");
	hres_free(&r);
}

Test(hostile, crlf_lines)
{
	static const char in[] =
	    "{\"model\":\"a\",\"cost\":1,\"latency_ms\":100}\r\n"
	    "\r\n"
	    "{\"model\":\"b\",\"cost\":2,\"latency_ms\":300}\r\n"
	    "  \t\r\n"
	    "{\"model\":\"c\",\"cost\":4,\"user\":\"u\"}\r\n";
	struct hres r;
	struct hq q;

	json_run(&r, &q, "crlf.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 5, 2, 0, 3, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 7.0);
	cr_expect(json_must_num(&r, "metrics.latency_max") == 300.0);
	hres_free(&r);
	/* the user id of the last line must not keep the CR */
	json_run(&r, &q, "crlf2.jsonl", in, sizeof(in) - 1, "--by", "user");
	expect_q(&q, 5, 2, 0, 3, 0);
	cr_expect(strstr(r.out, "\\r") == NULL, "a CR leaked into a value: %s", r.out);
	hres_free(&r);
}

Test(hostile, bom_on_line_one)
{
	static const char in[] =
	    "\xef\xbb\xbf{\"model\":\"a\",\"cost\":1}\n"
	    "{\"model\":\"b\",\"cost\":2}\n";
	char p[512];
	struct hres r;
	struct hq q;

	json_run(&r, &q, "bom.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 2, 0, 0, 2, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 3.0);
	hres_free(&r);
	/* from standard input too */
	run_ll(&r, hs_path(p, sizeof(p), "bom.jsonl"), NULL, 30, "-f", "json", NULL);
	cr_assert_eq(r.code, 0, "stderr: %s", r.err);
	get_quality(&r, &q);
	expect_q(&q, 2, 0, 0, 2, 0);
	hres_free(&r);
}

/* ------------------------------------------------------------------ */
/* Size and depth.                                                     */

/* One line holding a 50 MB string, between two small lines. */
static void
make_huge(struct hbuf *b)
{
	const size_t big = 50u << 20;
	size_t start;

	hb_str(b, "{\"model\":\"small\",\"cost\":0.25}\n");
	hb_str(b, "{\"timestamp\":\"2026-10-01T00:00:00Z\",\"model\":\"big\",\"user\":\"u1\",\"prompt\":\"");
	static const char mix[] = "\\n\\\"\\\\\\u00e9\xc3\xa9";  /* escapes and UTF-8 */

	start = b->n;
	while (b->n - start < big) {
		char chunk[4096];

		memset(chunk, 'a', sizeof(chunk));
		memcpy(chunk + 100, mix, sizeof(mix) - 1);
		hb_add(b, chunk, sizeof(chunk));
	}
	hb_str(b, "\",\"cost\":0.5,\"latency_ms\":1200}\n");
	hb_str(b, "{\"model\":\"small\",\"cost\":0.25}\n");
}

Test(hostile, line_of_50mb)
{
	struct hbuf b = { 0 };
	struct hres r;
	struct hq q;

	make_huge(&b);
	json_run(&r, &q, "huge.jsonl", b.p, b.n, NULL, NULL);
	hb_free(&b);
	expect_q(&q, 3, 0, 0, 3, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 1.0);
	cr_expect(json_must_num(&r, "metrics.latency_max") == 1200.0);
	hres_free(&r);
}

/* The same line through gzip: a line longer than a read chunk. */
Test(hostile, line_of_50mb_gzip)
{
	struct hbuf b = { 0 };
	z_stream z;
	unsigned char *gz;
	size_t cap;
	char p[512];
	struct hres r;
	struct hq q;

	make_huge(&b);
	memset(&z, 0, sizeof(z));
	cr_assert(deflateInit2(&z, 1, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	cap = deflateBound(&z, b.n);
	gz = malloc(cap);
	cr_assert(gz != NULL);
	z.next_in = (unsigned char *)b.p;
	z.avail_in = (uInt)b.n;
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	cr_assert(deflate(&z, Z_FINISH) == Z_STREAM_END);
	write_file(hs_path(p, sizeof(p), "huge.jsonl.gz"), gz, cap - z.avail_out);
	deflateEnd(&z);
	free(gz);
	hb_free(&b);
	run_ll(&r, NULL, NULL, 120, "-f", "json", p, NULL);
	cr_assert_eq(r.code, 0, "exit %d; stderr: %s", r.code, r.err);
	get_quality(&r, &q);
	expect_q(&q, 3, 0, 0, 3, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 1.0);
	hres_free(&r);
}

Test(hostile, nesting_200000_levels)
{
	struct hbuf b = { 0 };
	char p[512], want[600];
	struct hres r;
	struct hq q;
	int i;

	hb_str(&b, "{\"model\":\"a\",\"cost\":1}\n");
	hb_str(&b, "{\"model\":\"deep\",\"a\":");                /* line 2: arrays */
	for (i = 0; i < 200000; i++)
		hb_add(&b, "[", 1);
	for (i = 0; i < 200000; i++)
		hb_add(&b, "]", 1);
	hb_str(&b, "}\n");
	hb_str(&b, "{\"model\":\"b\",\"cost\":2}\n");
	for (i = 0; i < 200000; i++)                            /* line 4: objects */
		hb_add(&b, "{\"a\":", 5);
	hb_add(&b, "1", 1);
	for (i = 0; i < 200000; i++)
		hb_add(&b, "}", 1);
	hb_add(&b, "\n", 1);
	for (i = 0; i < 200000; i++)                            /* line 5: never closed */
		hb_add(&b, "{\"x\":[", 6);
	hb_add(&b, "\n", 1);
	json_run(&r, &q, "deep.jsonl", b.p, b.n, NULL, NULL);
	hb_free(&b);
	expect_q(&q, 5, 0, 3, 2, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 3.0);
	hs_path(p, sizeof(p), "deep.jsonl");
	snprintf(want, sizeof(want), "llmstat: %s:2: ", p);
	cr_expect(strstr(r.err, want) != NULL, "stderr does not name %s:2: %s", p, r.err);
	snprintf(want, sizeof(want), "llmstat: %s:4: ", p);
	cr_expect(strstr(r.err, want) != NULL, "stderr does not name %s:4: %s", p, r.err);
	cr_expect(strstr(r.err, "deep") != NULL, "stderr does not say why: %s", r.err);
	hres_free(&r);
}

/* ------------------------------------------------------------------ */
/* Bytes JSON does not allow, and bytes it allows but UTF-8 does not.   */

Test(hostile, nul_bytes_in_lines)
{
	static const char in[] =
	    "{\"model\":\"a\0b\",\"cost\":1}\n"         /* in a string */
	    "{\"model\":\"a\",\"cost\":1}\0\n"          /* after the object */
	    "\0{\"model\":\"a\",\"cost\":1}\n"          /* before it */
	    "{\"model\":\"a\",\0\"cost\":1}\n"          /* between members */
	    "\0\n"                                      /* alone */
	    "{\"model\":\"ok\",\"cost\":2}\n";
	struct hres r;
	struct hq q;

	json_run(&r, &q, "nul.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 6, 0, 5, 1, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 2.0);
	hres_free(&r);
}

static const char *const bad_utf8[] = {
	"\xff", "\xfe\xfe", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
	"\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xe2\x82",
	"ok\xe2\x82", "\x80", "caf\xc3\xa9\xc3", "\xf0\x9f\x98",
};
#define NBAD (sizeof(bad_utf8) / sizeof(bad_utf8[0]))

Test(hostile, invalid_utf8_in_strings)
{
	struct hbuf b = { 0 };
	char p[512];
	struct hres r;
	struct hq q;
	size_t i;

	for (i = 0; i < NBAD; i++) {
		/* raw in plain strings, and next to escapes (decoded strings) */
		hb_printf(&b, "{\"user\":\"u%zu%s\",\"model\":\"m%s\",\"feature\":\"f\\n%s\","
		    "\"session_id\":\"s%s\",\"timestamp\":\"2026-10-01T00:00:%02zuZ\",\"cost\":0.5}\n",
		    i, bad_utf8[i], bad_utf8[i], bad_utf8[i], bad_utf8[i], i);
		hb_printf(&b, "{\"user\":\"v\\t%s%zu\",\"model\":\"\\u00e9%s\",\"error_type\":\"%s\",\"status\":500}\n",
		    bad_utf8[i], i, bad_utf8[i], bad_utf8[i]);
	}
	json_run(&r, &q, "utf8.jsonl", b.p, b.n, NULL, NULL);
	expect_q(&q, 2 * (long long)NBAD, 0, 0, 2 * (long long)NBAD, 0);
	hres_free(&r);
	hs_path(p, sizeof(p), "utf8.jsonl");
	{
		static const char *const bys[] = { "user", "model", "feature,error_type", "session", "user,model,day" };

		for (i = 0; i < sizeof(bys) / sizeof(bys[0]); i++) {
			run_ll(&r, NULL, NULL, 30, "-f", "json", "--by", bys[i], p, NULL);
			cr_assert_eq(r.code, 0, "--by %s: exit %d: %s", bys[i], r.code, r.err);
			get_quality(&r, &q);    /* checks UTF-8 of every output byte */
			expect_q(&q, 2 * (long long)NBAD, 0, 0, 2 * (long long)NBAD, 0);
			hres_free(&r);
		}
	}
	{
		static const char *const reports[] = { "users", "models", "errors", "sessions", "features" };

		for (i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
			run_ll(&r, NULL, NULL, 30, reports[i], "-f", "json", p, NULL);
			cr_assert_eq(r.code, 0, "%s: exit %d: %s", reports[i], r.code, r.err);
			get_quality(&r, &q);
			expect_q(&q, 2 * (long long)NBAD, 0, 0, 2 * (long long)NBAD, 0);
			hres_free(&r);
		}
	}
	hb_free(&b);
}

/* ------------------------------------------------------------------ */
/* Numbers.                                                            */

Test(hostile, overflowing_numbers)
{
	static const char in[] =
	    "{\"model\":\"a\",\"latency_ms\":1e999}\n"
	    "{\"model\":\"a\",\"latency_ms\":-1e999}\n"
	    "{\"model\":\"a\",\"latency_ms\":\"1e999\"}\n"
	    "{\"model\":\"a\",\"ttft_ms\":1E+400}\n"
	    "{\"model\":\"a\",\"usage\":{\"prompt_tokens\":123456789012345678901234567890}}\n"
	    "{\"model\":\"a\",\"usage\":{\"completion_tokens\":-123456789012345678901234567890}}\n"
	    "{\"model\":\"a\",\"usage\":{\"completion_tokens\":\"123456789012345678901234567890\"}}\n"
	    "{\"model\":\"a\",\"cost\":1e999}\n"
	    "{\"model\":\"a\",\"cost\":123456789012345678901234567890}\n"
	    "{\"model\":\"a\",\"timestamp\":1e999}\n"
	    "{\"model\":\"a\",\"timestamp\":123456789012345678901234567890}\n"
	    "{\"model\":\"a\",\"timestamp\":\"123456789012345678901234567890\"}\n"
	    "{\"model\":\"a\",\"rating\":1e999}\n"
	    "{\"model\":\"a\",\"latency_ms\":1e-999,\"cost\":4.9e-400}\n"; /* underflow: 0, valid */
	struct hres r;
	struct hq q;

	json_run(&r, &q, "overflow.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 14, 0, 0, 14, 13);
	cr_expect(json_must_num(&r, "metrics.input_tokens") == 0);
	cr_expect(json_must_num(&r, "metrics.output_tokens") == 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 0);
	cr_expect(json_must_num(&r, "metrics.latency_max") == 0, "only the underflowing latency is valid");
	hres_free(&r);
}

/* An HTTP status outside 100-599 is an invalid value (README), whatever
 * its magnitude: a 30-digit or overflowing status must not reject the line. */
Test(hostile, overflowing_status)
{
	static const char in[] =
	    "{\"model\":\"a\",\"status\":700}\n"
	    "{\"model\":\"a\",\"status\":123456789012345678901234567890}\n"
	    "{\"model\":\"a\",\"status\":1e999}\n"
	    "{\"model\":\"a\",\"status\":\"123456789012345678901234567890\"}\n";
	struct hres r;
	struct hq q;

	json_run(&r, &q, "status.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 4, 0, 0, 4, 4);
	hres_free(&r);
}

Test(hostile, nan_and_infinity_tokens)
{
	static const char in[] =
	    "{\"model\":\"a\",\"latency_ms\":NaN}\n"
	    "{\"model\":\"a\",\"latency_ms\":nan}\n"
	    "{\"model\":\"a\",\"cost\":Infinity}\n"
	    "{\"model\":\"a\",\"cost\":-Infinity}\n"
	    "{\"model\":\"a\",\"cost\":inf}\n"
	    "{\"model\":\"a\",\"usage\":{\"prompt_tokens\":+1}}\n"
	    "{\"model\":\"a\",\"usage\":{\"prompt_tokens\":.5}}\n"
	    "{\"model\":\"a\",\"latency_ms\":\"NaN\"}\n"
	    "{\"model\":\"a\",\"cost\":\"Infinity\"}\n"
	    "{\"model\":\"a\",\"unused\":NaN}\n"
	    "{\"model\":\"ok\",\"cost\":1,\"latency_ms\":5}\n";
	struct hres r;
	struct hq q;

	json_run(&r, &q, "nan.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 11, 0, 10, 1, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 1.0);
	cr_expect(json_must_num(&r, "metrics.latency_max") == 5.0);
	hres_free(&r);
}

Test(hostile, raw_control_characters)
{
	static const char in[] =
	    "{\"model\":\"a\x01\"}\n"
	    "{\"model\":\"a\x1f\"}\n"
	    "{\"model\":\"tab\there\"}\n"
	    "{\"model\":\"cr\rhere\"}\n"
	    "{\"model\":\"\x1b[31mred\"}\n"
	    "{\"user\":\"x\",\"prompt\":\"bell\x07\"}\n"
	    "{\"model\":\"del\x7f is allowed\",\"cost\":1}\n"    /* JSON allows DEL */
	    "{\"model\":\"ok\",\"cost\":2}\n";
	struct hres r;
	struct hq q;

	json_run(&r, &q, "ctl.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 8, 0, 6, 2, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 3.0);
	hres_free(&r);
}

Test(hostile, duplicate_keys_last_wins)
{
	static const char in[] =
	    "{\"cost\":1.0,\"model\":\"a\",\"cost\":2.5}\n"
	    "{\"usage\":{\"prompt_tokens\":5},\"usage\":{\"completion_tokens\":7},\"model\":\"a\"}\n"
	    "{\"user\":\"x\",\"model\":\"first\",\"model\":\"second\",\"user\":null,\"latency_ms\":3,\"latency_ms\":9}\n";
	struct hres r;
	struct hq q;

	json_run(&r, &q, "dup.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 3, 0, 0, 3, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 2.5, "the first cost won");
	cr_expect(json_must_num(&r, "metrics.input_tokens") == 0, "a sub-path of the first 'usage' survived");
	cr_expect(json_must_num(&r, "metrics.output_tokens") == 7);
	cr_expect(json_must_num(&r, "metrics.active_users") == 0, "user:null did not replace the user");
	cr_expect(json_must_num(&r, "metrics.latency_max") == 9);
	hres_free(&r);
	json_run(&r, &q, "dup2.jsonl", in, sizeof(in) - 1, "--by", "model");
	expect_q(&q, 3, 0, 0, 3, 0);
	cr_expect(strstr(r.out, "\"second\"") != NULL && strstr(r.out, "\"first\"") == NULL,
	    "the last model does not win: %s", r.out);
	hres_free(&r);
}

Test(hostile, json_that_is_not_an_object)
{
	static const char in[] =
	    "[1]\n"
	    "42\n"
	    "null\n"
	    "\"a string\"\n"
	    "true\n"
	    "[]\n"
	    "  [ {\"model\":\"a\"} ]\n"
	    "-1\n"
	    "{\"model\":\"ok\",\"cost\":1}\n";
	struct hres r;
	struct hq q;

	json_run(&r, &q, "notobj.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 9, 0, 8, 1, 0);
	cr_expect(strstr(r.err, "notobj.jsonl:1:") != NULL, "stderr: %s", r.err);
	cr_expect(strstr(r.err, "notobj.jsonl:8:") != NULL, "stderr: %s", r.err);
	hres_free(&r);
}

Test(hostile, absurd_values_are_invalid_not_rejected)
{
	static const char in[] =
	    "{\"model\":\"a\",\"latency_ms\":-5}\n"
	    "{\"model\":\"a\",\"latency_ms\":86400001}\n"             /* over a day */
	    "{\"model\":\"a\",\"ttft_ms\":-0.001}\n"
	    "{\"model\":\"a\",\"usage\":{\"prompt_tokens\":-1}}\n"
	    "{\"model\":\"a\",\"usage\":{\"prompt_tokens\":1.5}}\n"
	    "{\"model\":\"a\",\"usage\":{\"completion_tokens\":2000000000}}\n"
	    "{\"model\":\"a\",\"cost\":-0.01}\n"
	    "{\"model\":\"a\",\"cost\":1000000}\n"
	    "{\"model\":\"a\",\"status\":99}\n"
	    "{\"model\":\"a\",\"status\":600}\n"
	    "{\"model\":\"a\",\"rating\":11}\n"
	    "{\"model\":\"a\",\"rating\":-2}\n"
	    "{\"model\":\"a\",\"timestamp\":\"2026-13-45T00:00:00Z\"}\n"
	    "{\"model\":\"a\",\"timestamp\":\"1800-01-01T00:00:00Z\"}\n"
	    "{\"model\":\"a\",\"timestamp\":\"2026-02-30\"}\n"
	    "{\"model\":\"a\",\"timestamp\":-99999999999999999}\n"
	    "{\"model\":\"a\",\"cost\":\"-3\",\"latency_ms\":\"-1\"}\n"; /* two in one */
	struct hres r;
	struct hq q;

	json_run(&r, &q, "absurd.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 17, 0, 0, 17, 18);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 0);
	cr_expect(json_must_num(&r, "metrics.input_tokens") == 0);
	cr_expect(json_must_num(&r, "metrics.output_tokens") == 0);
	cr_expect(json_num(&r, "metrics.latency_max", &(double){ 0 }) == 1, "a bad latency was kept");
	cr_expect(json_must_num(&r, "metrics.status_5xx") == 0);
	cr_expect(json_must_num(&r, "metrics.feedback_count") == 0);
	cr_expect(json_must_num(&r, "metrics.days") == 0, "a bad timestamp was kept");
	hres_free(&r);
}

/* ------------------------------------------------------------------ */
/* Truncated compressed streams.                                       */

#define TLINES 4000

/* TLINES lines of one fixed length (returned), varied enough not to
 * compress to nothing. */
static size_t
fixed_lines(struct hbuf *b)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	size_t len = 0, before;
	int i;

	for (i = 0; i < TLINES; i++) {
		before = b->n;
		hb_printf(b, "{\"request_id\":\"r%06d\",\"timestamp\":\"2026-10-01T%02d:%02d:%02dZ\","
		    "\"model\":\"m%d\",\"user\":\"u%03d\",\"usage\":{\"prompt_tokens\":%06d,"
		    "\"completion_tokens\":%05d},\"latency_ms\":%06d,\"note\":\"%016llx\"}\n",
		    i, i / 3600 % 24, i / 60 % 60, i % 60, (int)(hs_rand(&s) % 7),
		    100 + (int)(hs_rand(&s) % 900), 100000 + (int)(hs_rand(&s) % 900000),
		    10000 + (int)(hs_rand(&s) % 90000), 100000 + (int)(hs_rand(&s) % 900000),
		    (unsigned long long)hs_rand(&s));
		if (len == 0)
			len = b->n - before;
		cr_assert_eq(b->n - before, len);
	}
	return len;
}

/* What a reader gets from the cut stream: complete lines plus the piece of
 * the line the cut fell in. */
static void
expect_cut(const struct hq *q, const char *dec, size_t n, size_t linelen, long long extra_good)
{
	const char *last = n ? memrchr(dec, '\n', n) : NULL;
	long long nl = 0, tail = last ? (long long)(dec + n - (last + 1)) : (long long)n;
	size_t i;

	for (i = 0; i < n; i++)
		nl += dec[i] == '\n';
	cr_assert(nl > 0 && nl < TLINES, "the cut left %lld whole lines; pick another cut", nl);
	expect_q(q, nl + (tail > 0) + extra_good, 0,
	    tail > 0 && (size_t)tail != linelen - 1, nl + ((size_t)tail == linelen - 1) + extra_good, 0);
}

static void
check_truncated(const char *name, const void *data, size_t cut, const char *dec, size_t declen,
                size_t linelen)
{
	static const char good[] = "{\"model\":\"after\",\"cost\":1}\n{\"model\":\"after\",\"cost\":1}\n";
	char p[512], g[512];
	struct hres r;
	struct hq q;

	write_file(hs_path(p, sizeof(p), name), data, cut);
	write_file(hs_path(g, sizeof(g), "good.jsonl"), good, sizeof(good) - 1);
	run_ll(&r, NULL, NULL, 60, "-f", "json", p, g, NULL);
	cr_expect_eq(r.code, 1, "a truncated stream must exit 1, got %d", r.code);
	cr_expect(strstr(r.err, p) != NULL && strstr(r.err, "truncated") != NULL,
	    "stderr does not name %s as truncated: %s", p, r.err);
	get_quality(&r, &q);
	expect_cut(&q, dec, declen, linelen, 2);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 2.0, "the file after the cut was not read");
	hres_free(&r);
}

Test(hostile, truncated_gzip)
{
	struct hbuf b = { 0 }, dec = { 0 };
	size_t linelen = fixed_lines(&b), cap, clen, cut;
	unsigned char *gz, out[65536];
	z_stream z;
	int ret;

	memset(&z, 0, sizeof(z));
	cr_assert(deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	cap = deflateBound(&z, b.n);
	gz = malloc(cap);
	z.next_in = (unsigned char *)b.p;
	z.avail_in = (uInt)b.n;
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	cr_assert(deflate(&z, Z_FINISH) == Z_STREAM_END);
	clen = cap - z.avail_out;
	deflateEnd(&z);
	/* cut in the middle of the deflate data */
	cut = clen * 6 / 10;
	memset(&z, 0, sizeof(z));
	cr_assert(inflateInit2(&z, 16 + 15) == Z_OK);
	z.next_in = gz;
	z.avail_in = (uInt)cut;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		ret = inflate(&z, Z_NO_FLUSH);
		hb_add(&dec, out, sizeof(out) - z.avail_out);
	} while (ret == Z_OK && z.avail_out == 0);
	inflateEnd(&z);
	check_truncated("cut.jsonl.gz", gz, cut, dec.p, dec.n, linelen);
	/* cut inside the 8-byte trailer: every line is there */
	{
		char p[512];
		struct hres r;
		struct hq q;

		write_file(hs_path(p, sizeof(p), "trailer.jsonl.gz"), gz, clen - 3);
		run_ll(&r, NULL, NULL, 60, "-f", "json", p, NULL);
		cr_expect_eq(r.code, 1, "a stream cut in its trailer must exit 1, got %d", r.code);
		cr_expect(strstr(r.err, "truncated") != NULL, "stderr: %s", r.err);
		get_quality(&r, &q);
		expect_q(&q, TLINES, 0, 0, TLINES, 0);
		hres_free(&r);
	}
	free(gz);
	hb_free(&b);
	hb_free(&dec);
}

Test(hostile, truncated_zstd)
{
	struct hbuf b = { 0 }, dec = { 0 };
	size_t linelen = fixed_lines(&b), cap, clen, cut, rc;
	unsigned char *zs, out[65536];
	ZSTD_DStream *ds;
	ZSTD_inBuffer in;

	cap = ZSTD_compressBound(b.n);
	zs = malloc(cap);
	clen = ZSTD_compress(zs, cap, b.p, b.n, 3);
	cr_assert(!ZSTD_isError(clen));
	cut = clen * 6 / 10;
	ds = ZSTD_createDStream();
	ZSTD_initDStream(ds);
	in.src = zs;
	in.size = cut;
	in.pos = 0;
	for (;;) {
		ZSTD_outBuffer o = { out, sizeof(out), 0 };

		rc = ZSTD_decompressStream(ds, &o, &in);
		cr_assert(!ZSTD_isError(rc));
		hb_add(&dec, out, o.pos);
		if (o.pos < o.size && in.pos == in.size)
			break;
	}
	ZSTD_freeDStream(ds);
	check_truncated("cut.jsonl.zst", zs, cut, dec.p, dec.n, linelen);
	free(zs);
	hb_free(&b);
	hb_free(&dec);
}

/* ------------------------------------------------------------------ */
/* Files that cannot be read among files that can.                      */

Test(hostile, missing_file_and_directory_among_good_ones)
{
	static const char good[] = "{\"model\":\"a\",\"cost\":1}\n";
	char g1[512], g2[512], miss[512], dir[512];
	struct hres r;
	struct hq q;

	write_file(hs_path(g1, sizeof(g1), "good1.jsonl"), good, sizeof(good) - 1);
	write_file(hs_path(g2, sizeof(g2), "good2.jsonl"), good, sizeof(good) - 1);
	hs_path(miss, sizeof(miss), "no-such-file.jsonl");
	hs_path(dir, sizeof(dir), "a-directory");
	cr_assert(mkdir(dir, 0700) == 0);
	run_ll(&r, NULL, NULL, 30, "-f", "json", g1, miss, dir, g2, NULL);
	cr_expect_eq(r.code, 1, "exit %d, want 1", r.code);
	cr_expect(strstr(r.err, miss) != NULL, "the missing file is not named: %s", r.err);
	cr_expect(strstr(r.err, dir) != NULL, "the directory is not named: %s", r.err);
	get_quality(&r, &q);
	expect_q(&q, 2, 0, 0, 2, 0);
	cr_expect(json_must_num(&r, "metrics.total_cost") == 2.0);
	hres_free(&r);
}

Test(hostile, unreadable_file_among_good_ones)
{
	static const char good[] = "{\"model\":\"a\",\"cost\":1}\n";
	char g1[512], g2[512], bad[512];
	struct hres r;
	struct hq q;

	if (geteuid() == 0) {
		hs_fini();      /* a skipped test gets no .fini */
		cr_skip_test("running as root: every file is readable");
	}
	write_file(hs_path(g1, sizeof(g1), "good1.jsonl"), good, sizeof(good) - 1);
	write_file(hs_path(g2, sizeof(g2), "good2.jsonl"), good, sizeof(good) - 1);
	write_file(hs_path(bad, sizeof(bad), "secret.jsonl"), good, sizeof(good) - 1);
	cr_assert(chmod(bad, 0) == 0);
	run_ll(&r, NULL, NULL, 30, "-f", "json", g1, bad, g2, NULL);
	cr_expect_eq(r.code, 1, "exit %d, want 1", r.code);
	cr_expect(strstr(r.err, bad) != NULL, "the unreadable file is not named: %s", r.err);
	get_quality(&r, &q);
	expect_q(&q, 2, 0, 0, 2, 0);
	hres_free(&r);
}

/* ------------------------------------------------------------------ */
/* Hostile stdout.                                                     */

Test(hostile, output_to_a_closed_pipe)
{
	struct hbuf b = { 0 };
	char in[512], ep[512], sp[512], script[2048], *st;
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", script, NULL };
	size_t n;
	struct hres r;
	int i, code;

	/* 20,000 users: several MB of CSV, far more than a pipe holds */
	for (i = 0; i < 20000; i++)
		hb_printf(&b, "{\"user\":\"user-%05d\",\"model\":\"m\",\"cost\":0.%04d,\"latency_ms\":%d}\n",
		    i, i % 10000, i % 977);
	write_file(hs_path(in, sizeof(in), "big.jsonl"), b.p, b.n);
	hb_free(&b);
	hs_path(ep, sizeof(ep), "llmstat.err");
	hs_path(sp, sizeof(sp), "llmstat.status");
	snprintf(script, sizeof(script), "{ '%s' --by user -f csv '%s' 2>'%s'; echo $? >'%s'; } | head -1",
	    hs_bin(), in, ep, sp);
	run_argv(&r, argv, NULL, NULL, 60);
	cr_expect_eq(r.code, 0, "sh exit %d: %s", r.code, r.err);
	cr_expect(strncmp(r.out, "user,", 5) == 0, "head saw: %s", r.out);
	hres_free(&r);
	st = slurp(sp, &n);
	cr_assert(st != NULL);
	code = atoi(st);
	free(st);
	cr_expect(code == 0 || code == 128 + SIGPIPE, "llmstat exit status %d: neither 0 nor SIGPIPE", code);
	st = slurp(ep, &n);
	cr_assert(st != NULL);
	cr_expect(n == 0, "llmstat wrote to stderr: %s", st);
	free(st);
}

Test(hostile, output_to_dev_full)
{
	static const char good[] = "{\"model\":\"a\",\"cost\":1}\n";
	char p[512];
	struct hres r;
	static const char *const fmts[] = { "json", "csv", "table" };
	size_t i;

	if (access("/dev/full", W_OK) != 0) {
		hs_fini();
		cr_skip_test("no /dev/full");
	}
	write_file(hs_path(p, sizeof(p), "good.jsonl"), good, sizeof(good) - 1);
	for (i = 0; i < 3; i++) {
		run_ll(&r, NULL, "/dev/full", 30, "-f", fmts[i], p, NULL);
		cr_expect_eq(r.code, 1, "-f %s > /dev/full: exit %d (signal %d), want 1", fmts[i], r.code, r.sig);
		cr_expect(strstr(r.err, "llmstat") != NULL && r.errlen > 10,
		    "-f %s > /dev/full: no error message: '%s'", fmts[i], r.err);
		hres_free(&r);
	}
	run_ll(&r, NULL, "/dev/full", 30, "--by", "model", "-f", "csv", p, NULL);
	cr_expect_eq(r.code, 1, "--by model > /dev/full: exit %d, want 1", r.code);
	cr_expect(r.errlen > 0, "--by model > /dev/full: no error message");
	hres_free(&r);
}

/* ------------------------------------------------------------------ */
/* Nothing injected: terminals and spreadsheets.                        */

/* Users and models whose decoded text holds terminal controls. */
static const char inject_lines[] =
    "{\"user\":\"\\u001b[31mEVIL\\u001b[0m\",\"model\":\"\\u001b]0;title\\u0007m1\",\"cost\":3}\n"
    "{\"user\":\"bell\\u0007\\b\\b\\bx\",\"model\":\"m\\r\\u001b[2Km2\",\"cost\":2}\n"
    "{\"user\":\"csi\\u009b31m\",\"model\":\"del\\u007fm3\",\"cost\":1}\n"
    "{\"user\":\"nul\\u0000after\",\"model\":\"tab\\tnl\\nm4\",\"cost\":0.5}\n"
    "{\"user\":\"\\u001bc\",\"model\":\"\\u009d8;;http://x\\u009c\",\"cost\":0.25}\n";

/* No control byte but '\n', no DEL, no C1 control (U+0080-U+009F). */
static void
check_terminal_safe(const struct hres *r, const char *what)
{
	const unsigned char *s = (const unsigned char *)r->out;
	size_t i;

	for (i = 0; i < r->outlen; i++) {
		int bad = (s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f ||
		    (s[i] == 0xc2 && i + 1 < r->outlen && s[i + 1] >= 0x80 && s[i + 1] < 0xa0);

		cr_assert(!bad, "%s: raw control byte 0x%02x at %zu: ...%.*s", what, s[i], i,
		    60, r->out + (i > 30 ? i - 30 : 0));
	}
}

Test(hostile, no_terminal_injection_in_tables)
{
	static const char *const runs[][4] = {
		{ "-f", "table", NULL, NULL },
		{ "-f", "table", "--by", "user" },
		{ "-f", "table", "--by", "model" },
		{ "-f", "table", "--by", "user,model" },
		{ "users", "-f", "table", NULL },
		{ "models", "-f", "table", NULL },
	};
	char p[512];
	struct hres r;
	struct hq q;
	size_t i;

	json_run(&r, &q, "inject.jsonl", inject_lines, sizeof(inject_lines) - 1, NULL, NULL);
	expect_q(&q, 5, 0, 0, 5, 0);
	hres_free(&r);
	hs_path(p, sizeof(p), "inject.jsonl");
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		char what[128];

		snprintf(what, sizeof(what), "%s %s %s %s", runs[i][0], runs[i][1],
		    runs[i][2] ? runs[i][2] : "", runs[i][3] ? runs[i][3] : "");
		if (runs[i][2] && runs[i][3])
			run_ll(&r, NULL, NULL, 30, runs[i][0], runs[i][1], runs[i][2], runs[i][3], "--color=never", p, NULL);
		else
			run_ll(&r, NULL, NULL, 30, runs[i][0], runs[i][1], runs[i][2] ? runs[i][2] : "--color=never",
			    "--color=never", p, NULL);
		cr_assert_eq(r.code, 0, "%s: exit %d: %s", what, r.code, r.err);
		check_terminal_safe(&r, what);
		cr_expect(strstr(r.out, "\nm4") == NULL, "%s: a newline from a model name reached the output:\n%s",
		    what, r.out);
		if (i == 1 || i == 3)
			cr_expect(strstr(r.out, "\\x1b") != NULL, "%s: ESC is not shown as \\x1b:\n%s", what, r.out);
		hres_free(&r);
	}
}

/* An escaped cell is shown whole: the column is as wide as the escaped
 * text, so two users that differ after a control character stay apart. */
Test(hostile, escaped_table_cells_are_not_cut)
{
	static const char in[] =
	    "{\"user\":\"\\u001b[31mEVIL\\u001b[0m\",\"cost\":2}\n"
	    "{\"user\":\"\\u001b[31mEVIL\\u001b[1m\",\"cost\":1}\n";
	char p[512];
	struct hres r;

	write_file(hs_path(p, sizeof(p), "cells.jsonl"), in, sizeof(in) - 1);
	run_ll(&r, NULL, NULL, 30, "-f", "table", "--by", "user", "--color=never", p, NULL);
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	check_terminal_safe(&r, "--by user");
	cr_expect(strstr(r.out, "\\x1b[31mEVIL\\x1b[0m") != NULL && strstr(r.out, "\\x1b[31mEVIL\\x1b[1m") != NULL,
	    "the escaped user ids are cut:\n%s", r.out);
	hres_free(&r);
}

/* A long key cut to fit the column must still be whole characters: the
 * table stays valid UTF-8 (here the 40-byte cut falls inside an e-acute). */
Test(hostile, table_cells_cut_on_character_boundaries)
{
	struct hbuf b = { 0 };
	char p[512];
	struct hres r;
	size_t bad;
	int i;

	hb_str(&b, "{\"user\":\"a");
	for (i = 0; i < 30; i++)
		hb_str(&b, "\xc3\xa9");
	hb_str(&b, "\",\"model\":\"b");
	for (i = 0; i < 30; i++)
		hb_str(&b, "\xe2\x82\xac");
	hb_str(&b, "\",\"cost\":1}\n");
	write_file(hs_path(p, sizeof(p), "cut.jsonl"), b.p, b.n);
	hb_free(&b);
	run_ll(&r, NULL, NULL, 30, "-f", "table", "--by", "user,model", "--color=never", p, NULL);
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	check_terminal_safe(&r, "--by user,model");
	bad = utf8_bad_at((const unsigned char *)r.out, r.outlen);
	cr_expect(bad == r.outlen, "the table is not valid UTF-8 at byte %zu:\n%s", bad, r.out);
	hres_free(&r);
}

/* bykey.h: "Parts longer than fit are cut." A user id longer than the key
 * room (4096 / 8 - 1 bytes) must be cut, not turned into the null key:
 * two different long users are two groups, and no request loses its user. */
Test(hostile, long_group_keys_are_cut_not_dropped)
{
	struct hbuf b = { 0 };
	struct hres r;
	struct hq q;
	char *at;
	int i, groups = 0;

	hb_str(&b, "{\"user\":\"");
	for (i = 0; i < 600; i++)
		hb_str(&b, "A");
	hb_str(&b, "\",\"cost\":1}\n{\"user\":\"");
	for (i = 0; i < 600; i++)
		hb_str(&b, "B");
	hb_str(&b, "\",\"cost\":2}\n{\"user\":\"short\",\"cost\":3}\n");
	json_run(&r, &q, "longkeys.jsonl", b.p, b.n, "--by", "user");
	hb_free(&b);
	expect_q(&q, 3, 0, 0, 3, 0);
	for (at = r.out; (at = strstr(at, "{\"user\":")) != NULL; at++)
		groups++;
	cr_expect(strstr(r.out, "\"user\":null") == NULL, "a long user id became the null key");
	cr_expect_eq(groups, 3, "%d user groups, want 3", groups);
	cr_expect(strstr(r.out, "\"AAAAAAAAAAAAAAAAAAAA") != NULL && strstr(r.out, "\"BBBBBBBBBBBBBBBBBBBB") != NULL,
	    "the long user ids do not appear, even cut");
	hres_free(&r);
}

/* A minimal RFC 4180 reader: the cells of column col (0-based) of every
 * row after the header, into cells[] (at most max). Returns the count. */
static int
csv_column(const char *s, size_t n, int col, char cells[][128], int max)
{
	size_t i = 0;
	int row = 0, c = 0, k = 0;
	char cell[128];
	size_t cl = 0;

	while (i <= n) {
		int end_cell = 0, end_row = 0;

		if (i == n) {
			if (cl == 0 && c == 0)
				break;
			end_cell = end_row = 1;
		} else if (s[i] == '"' && cl == 0) {
			for (i++; i < n; i++) {
				if (s[i] == '"') {
					if (i + 1 < n && s[i + 1] == '"')
						i++;
					else
						break;
				}
				if (cl < sizeof(cell) - 1)
					cell[cl++] = s[i];
			}
			i++;
			continue;
		} else if (s[i] == ',')
			end_cell = 1;
		else if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
			end_cell = end_row = 1;
			i++;
		} else if (s[i] == '\n')
			end_cell = end_row = 1;
		else if (cl < sizeof(cell) - 1)
			cell[cl++] = s[i];
		if (end_cell) {
			cell[cl] = '\0';
			if (row > 0 && c == col && k < max)
				snprintf(cells[k++], 128, "%s", cell);
			cl = 0;
			c++;
		}
		if (end_row) {
			row++;
			c = 0;
		}
		i++;
	}
	return k;
}

static const char *const formula_users[] = {
	"=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR",
	"plain", "a=b", "'quoted",
};
#define NFORMULA (sizeof(formula_users) / sizeof(formula_users[0]))

static void
csv_guard_run(int guard)
{
	struct hbuf b = { 0 };
	char p[512], cells[32][128];
	struct hres r;
	size_t i, j;
	int n;

	for (i = 0; i < NFORMULA; i++) {
		hb_str(&b, "{\"model\":\"m\",\"cost\":1,\"user\":\"");
		for (j = 0; formula_users[i][j]; j++) {
			char c = formula_users[i][j];

			if (c == '"')
				hb_str(&b, "\\\"");
			else if (c == '\t')
				hb_str(&b, "\\t");
			else if (c == '\r')
				hb_str(&b, "\\r");
			else
				hb_add(&b, &c, 1);
		}
		hb_str(&b, "\"}\n");
	}
	write_file(hs_path(p, sizeof(p), "formula.jsonl"), b.p, b.n);
	hb_free(&b);
	if (guard)
		run_ll(&r, NULL, NULL, 30, "--by", "user", "-f", "csv", p, NULL);
	else
		run_ll(&r, NULL, NULL, 30, "--by", "user", "-f", "csv", "--no-csv-guard", p, NULL);
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	cr_assert(strncmp(r.out, "user,", 5) == 0, "the first column is not user: %s", r.out);
	n = csv_column(r.out, r.outlen, 0, cells, 32);
	cr_assert_eq(n, (int)NFORMULA, "%d rows, want %zu:\n%s", n, NFORMULA, r.out);
	for (i = 0; i < NFORMULA; i++) {
		const char *u = formula_users[i];
		int risky = strchr("=+-@\t\r", u[0]) != NULL;
		char want[160];
		int found = 0;

		snprintf(want, sizeof(want), "%s%s", guard && risky ? "'" : "", u);
		for (j = 0; j < (size_t)n; j++)
			found |= strcmp(cells[j], want) == 0;
		cr_expect(found, "user %zu (%s) does not appear as [%s] in:\n%s", i,
		    guard ? "guarded" : "unguarded", want, r.out);
	}
	hres_free(&r);
}

Test(hostile, csv_formula_guard)
{
	csv_guard_run(1);
}

Test(hostile, csv_formula_guard_off)
{
	csv_guard_run(0);
}

/* Values at the edges of every range, so ratios and sums get extreme:
 * none of it may print NaN or Infinity. */
Test(hostile, json_never_holds_nan_or_infinity)
{
	static const char in[] =
	    "{\"timestamp\":\"1900-01-01T00:00:00Z\",\"user\":\"a\",\"session_id\":\"s\",\"cost\":100000,"
	    "\"latency_ms\":86400000,\"ttft_ms\":86400000,\"usage\":{\"prompt_tokens\":1000000000,"
	    "\"completion_tokens\":1000000000},\"rating\":10,\"success\":true}\n"
	    "{\"timestamp\":\"2300-12-31T23:59:59.999999Z\",\"user\":\"a\",\"session_id\":\"s\",\"cost\":0,"
	    "\"latency_ms\":0,\"ttft_ms\":86400000,\"usage\":{\"completion_tokens\":2},\"rating\":-1,\"success\":false}\n"
	    "{\"timestamp\":\"2300-12-31T23:59:59.999999Z\",\"user\":\"b\",\"cost\":1e-300,\"latency_ms\":1e-300,"
	    "\"rating\":0,\"status\":429}\n"
	    "{\"model\":\"x\",\"cost\":0,\"rating\":5,\"error\":true}\n";
	static const char *const reports[] = {
		"summary", "daily", "weekly", "monthly", "hourly", "users", "top-users", "models",
		"providers", "features", "errors", "sessions", "feedback", "anomalies",
	};
	static const char one[] = "{\"timestamp\":\"2026-10-01T00:00:00Z\",\"model\":\"only\"}\n";
	char p[512];
	struct hres r;
	struct hq q;
	size_t i;

	json_run(&r, &q, "edges.jsonl", in, sizeof(in) - 1, NULL, NULL);
	expect_q(&q, 4, 0, 0, 4, 0);
	hres_free(&r);
	hs_path(p, sizeof(p), "edges.jsonl");
	for (i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		run_ll(&r, NULL, NULL, 30, reports[i], "-f", "json", p, NULL);
		cr_assert_eq(r.code, 0, "%s: exit %d: %s", reports[i], r.code, r.err);
		get_quality(&r, &q);
		expect_q(&q, 4, 0, 0, 4, 0);
		hres_free(&r);
	}
	run_ll(&r, NULL, NULL, 30, "-f", "json", "--by", "user,session,hour,weekday", p, NULL);
	cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
	get_quality(&r, &q);
	expect_q(&q, 4, 0, 0, 4, 0);
	hres_free(&r);
	/* a single request: zero time span, one day, one of everything */
	json_run(&r, &q, "one.jsonl", one, sizeof(one) - 1, NULL, NULL);
	expect_q(&q, 1, 0, 0, 1, 0);
	hres_free(&r);
}

/* ------------------------------------------------------------------ */
/* Determinism: order and threads never change the answer.              */

Test(hostile, shuffled_input_and_threads_give_identical_json)
{
	enum { N = 2000 };
	static const char *const models[] = { "gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "local-llm", "x" };
	static const char *const prompts[] = { "hello", "again", "why?", "\\u00e9t\\u00e9" };
	char *lines[N], pad[2400], pa[512], pb[512];
	struct hbuf b = { 0 };
	uint64_t s = 12345;
	struct hres base, r;
	struct hq q;
	int i, k;

	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (i = 0; i < N; i++) {
		struct hbuf l = { 0 };
		int sess = (int)(hs_rand(&s) % 120), day = (int)(hs_rand(&s) % 12);
		int sec = (int)(hs_rand(&s) % 86400) / 7 * 7;   /* ties in time */

		if (i % 97 == 0) {
			hb_str(&l, i % 2 ? "{\"model\": broken\n" : "   \n");
		} else {
			hb_printf(&l, "{\"request_id\":\"req-%05d\",\"timestamp\":\"2026-09-%02dT%02d:%02d:%02d.%03dZ\","
			    "\"user\":\"user%03d\",\"session_id\":\"sess%03d\",\"model\":\"%s\",\"feature\":\"f%d\","
			    "\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d},\"latency_ms\":%d.%03d,"
			    "\"ttft_ms\":%d,\"cost\":0.%09llu,\"prompt\":\"%s\"",
			    i, 10 + day, sec / 3600, sec / 60 % 60, sec % 60, (int)(hs_rand(&s) % 4) * 250,
			    sess % 90, sess, models[hs_rand(&s) % 5], sess % 4,
			    (int)(hs_rand(&s) % 5000), (int)(hs_rand(&s) % 800), (int)(hs_rand(&s) % 20000),
			    (int)(hs_rand(&s) % 1000), (int)(hs_rand(&s) % 900), (unsigned long long)(hs_rand(&s) % 1000000000),
			    prompts[hs_rand(&s) % 4]);
			if (hs_rand(&s) % 5 == 0)
				hb_printf(&l, ",\"status\":%d", (int)(hs_rand(&s) % 2) ? 429 : 503);
			if (hs_rand(&s) % 4 == 0)
				hb_printf(&l, ",\"rating\":%d", (int)(hs_rand(&s) % 5) + 1);
			if (hs_rand(&s) % 6 == 0)
				hb_printf(&l, ",\"success\":%s", hs_rand(&s) % 2 ? "true" : "false");
			if (hs_rand(&s) % 9 == 0)
				hb_str(&l, ",\"latency_ms\":-1");       /* an invalid value, last wins */
			hb_printf(&l, ",\"pad\":\"%.*s\"}\n", 2000 + (int)(hs_rand(&s) % 300), pad);
		}
		lines[i] = l.p;
	}
	for (i = 0; i < N; i++)
		hb_str(&b, lines[i]);
	cr_assert(b.n > (4u << 20) + (256u << 10), "the input must be over 4 MiB so that -j2 splits it");
	write_file(hs_path(pa, sizeof(pa), "ordered.jsonl"), b.p, b.n);
	hb_free(&b);
	for (i = N - 1; i > 0; i--) {
		char *t;

		k = (int)(hs_rand(&s) % (uint64_t)(i + 1));
		t = lines[i];
		lines[i] = lines[k];
		lines[k] = t;
	}
	for (i = 0; i < N; i++) {
		hb_str(&b, lines[i]);
		free(lines[i]);
	}
	write_file(hs_path(pb, sizeof(pb), "shuffled.jsonl"), b.p, b.n);
	hb_free(&b);

	{
		static const char *const bys[] = { NULL, "model,day", "user" };
		size_t v;

		for (v = 0; v < sizeof(bys) / sizeof(bys[0]); v++) {
			if (bys[v])
				run_ll(&base, NULL, NULL, 60, "-f", "json", "-j1", "--by", bys[v], pa, NULL);
			else
				run_ll(&base, NULL, NULL, 60, "-f", "json", "-j1", pa, NULL);
			cr_assert_eq(base.code, 0, "exit %d: %s", base.code, base.err);
			get_quality(&base, &q);
			expect_q(&q, N, -1, -1, -1, -1);
			cr_assert(q.rejected > 0 && q.blank > 0 && q.invalid > 0 && q.requests > N * 9 / 10);
			for (k = 0; k < 3; k++) {
				const char *file = k == 0 ? pa : pb, *jobs = k == 1 ? "-j1" : "-j2";
				size_t d = 0;

				if (bys[v])
					run_ll(&r, NULL, NULL, 60, "-f", "json", jobs, "--by", bys[v], file, NULL);
				else
					run_ll(&r, NULL, NULL, 60, "-f", "json", jobs, file, NULL);
				cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
				while (d < r.outlen && d < base.outlen && r.out[d] == base.out[d])
					d++;
				cr_expect(r.outlen == base.outlen && d == r.outlen,
				    "--by %s: %s %s differs from the ordered -j1 run at byte %zu:\n"
				    "  ordered -j1: ...%.120s\n  this run:    ...%.120s",
				    bys[v] ? bys[v] : "(none)", k == 0 ? "ordered" : "shuffled", jobs, d,
				    base.out + (d > 60 ? d - 60 : 0), r.out + (d > 60 ? d - 60 : 0));
				hres_free(&r);
			}
			hres_free(&base);
		}
	}
}
