/* test_input.c - unit tests of input.c: kind detection, decoding, truncation,
 * corruption, stdin pipes, mapping and error reporting. */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "input.h"

static char tmpdir[256];

struct result {
	char *data;
	size_t len;
	long rc;                /* last input_read return: 0 or -1 */
	char err[256];
};

struct writer {
	int fd;
	const unsigned char *data;
	size_t len;
	int slow;               /* dribble the first bytes one at a time */
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	chmod(path, 0700);
	return remove(path);
}

static void setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/llmstat_input_XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(input, .init = setup, .fini = teardown);

static void mkpath(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "fopen %s: %s", path, strerror(errno));
	if (len)
		cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

/* Deterministic JSONL-like text, compressible but not trivially so. */
static char *make_payload(size_t len, uint64_t seed)
{
	char *p = malloc(len);
	uint64_t x = seed | 1;
	size_t i = 0;

	cr_assert_not_null(p);
	while (i < len) {
		char line[160];
		int n;

		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		n = snprintf(line, sizeof line,
		             "{\"model\":\"m-%u\",\"latency_ms\":%u,\"tokens\":%u,\"id\":\"%016llx\"}\n",
		             (unsigned)(x % 7), (unsigned)(x >> 40) % 90000,
		             (unsigned)(x >> 20) % 4096, (unsigned long long)x);
		for (int k = 0; k < n && i < len; k++)
			p[i++] = line[k];
	}
	return p;
}

static unsigned char *gz_bytes(const void *data, size_t len, int level, size_t *outlen)
{
	z_stream z;
	unsigned char *out;
	size_t cap;

	memset(&z, 0, sizeof z);
	cr_assert_eq(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8,
	                          Z_DEFAULT_STRATEGY), Z_OK);
	cap = deflateBound(&z, len) + 64;
	out = malloc(cap);
	cr_assert_not_null(out);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static unsigned char *zst_bytes(const void *data, size_t len, int checksum, size_t *outlen)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(len);
	unsigned char *out = malloc(cap);
	size_t r;

	cr_assert(c && out);
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum);
	r = ZSTD_compress2(c, out, cap, data, len);
	cr_assert(!ZSTD_isError(r), "%s", ZSTD_getErrorName(r));
	ZSTD_freeCCtx(c);
	*outlen = r;
	return out;
}

static unsigned char *zst_simple(const void *data, size_t len, size_t *outlen)
{
	size_t cap = ZSTD_compressBound(len);
	unsigned char *out = malloc(cap);
	size_t r;

	cr_assert_not_null(out);
	r = ZSTD_compress(out, cap, data, len, 3);
	cr_assert(!ZSTD_isError(r), "%s", ZSTD_getErrorName(r));
	*outlen = r;
	return out;
}

static unsigned char *concat(const void *a, size_t alen, const void *b, size_t blen)
{
	unsigned char *p = malloc(alen + blen + 1);

	cr_assert_not_null(p);
	memcpy(p, a, alen);
	memcpy(p + alen, b, blen);
	return p;
}

/* Reads in until end or error with reads of at most cap bytes;
 * hint is the expected length, to spare the reallocations. */
static void read_all(struct input *in, size_t cap, size_t hint, struct result *r)
{
	char *buf = malloc(cap);
	size_t size = hint + 1;

	cr_assert_not_null(buf);
	memset(r, 0, sizeof *r);
	r->data = malloc(size);
	cr_assert_not_null(r->data);
	for (;;) {
		long n = input_read(in, buf, cap, r->err, sizeof r->err);

		if (n <= 0) {
			r->rc = n;
			break;
		}
		cr_assert_leq((size_t)n, cap);
		if (r->len + (size_t)n > size) {
			while (r->len + (size_t)n > size)
				size *= 2;
			r->data = realloc(r->data, size);
			cr_assert_not_null(r->data);
		}
		memcpy(r->data + r->len, buf, (size_t)n);
		r->len += (size_t)n;
	}
	free(buf);
}

/* Opens path, checks its kind, reads it all with the given cap. */
static void read_path(const char *path, enum input_kind kind, size_t cap, size_t hint,
                      struct result *r)
{
	char err[256] = "";
	struct input *in = input_open(path, err, sizeof err);

	cr_assert_not_null(in, "open %s: %s", path, err);
	cr_assert_eq(input_kind(in), kind, "kind %d, want %d", input_kind(in), kind);
	read_all(in, cap, hint, r);
	input_close(in);
}

/* Reads path with cap and expects exactly want/wlen and a clean end. */
static void expect_content(const char *path, enum input_kind kind, size_t cap,
                           const void *want, size_t wlen)
{
	struct result r;

	read_path(path, kind, cap, wlen, &r);
	cr_assert_eq(r.rc, 0, "cap %zu: rc %ld (%s)", cap, r.rc, r.err);
	cr_assert_eq(r.len, wlen, "cap %zu: got %zu bytes, want %zu", cap, r.len, wlen);
	cr_assert(wlen == 0 || memcmp(r.data, want, wlen) == 0, "cap %zu: content differs", cap);
	free(r.data);
}

/* Several caps, including tiny ones that exercise buffering. */
static void expect_content_caps(const char *path, enum input_kind kind,
                                const void *want, size_t wlen)
{
	static const size_t caps[] = { 1, 7, 4096, 1 << 20 };

	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		if (caps[i] < 64 && wlen > (1 << 16))
			continue;       /* keep the one-byte reads quick */
		expect_content(path, kind, caps[i], want, wlen);
	}
}

/* Reads path and expects an error starting with msg after a prefix of want. */
static size_t expect_error(const char *path, enum input_kind kind, size_t cap,
                           const char *msg, const void *want, size_t wlen)
{
	struct result r;
	size_t got;

	read_path(path, kind, cap, wlen, &r);
	cr_assert_eq(r.rc, -1, "expected '%s', got rc %ld after %zu bytes", msg, r.rc, r.len);
	cr_assert_eq(strncmp(r.err, msg, strlen(msg)), 0, "err '%s', want '%s'", r.err, msg);
	cr_assert_leq(r.len, wlen);
	cr_assert(r.len == 0 || memcmp(r.data, want, r.len) == 0, "delivered bytes are not a prefix");
	got = r.len;
	free(r.data);
	return got;
}

static void expect_open_error(const char *path, const char *msg)
{
	char err[256] = "";
	struct input *in = input_open(path, err, sizeof err);

	cr_assert_null(in, "open %s should fail", path);
	cr_assert_str_eq(err, msg);
}

/* ---- plain files ---- */

Test(input, plain_file)
{
	const char *text = "{\"a\":1}\n{\"b\":2}\nlast line without newline";
	char path[512], err[256];
	struct input *in;

	mkpath(path, sizeof path, "plain.jsonl");
	write_file(path, text, strlen(text));
	expect_content_caps(path, INPUT_PLAIN, text, strlen(text));

	in = input_open(path, err, sizeof err);
	cr_assert_not_null(in);
	cr_assert_str_eq(input_name(in), path);
	cr_assert_eq(input_size(in), (long long)strlen(text));
	input_close(in);
}

/* A regular file stops at a short read once past the size it had when
 * opened: what was appended after the open and before the reads is
 * still read, and so is a file read in pieces of exactly its size. */
Test(input, plain_file_grown_after_open)
{
	const char *text = "{\"a\":1}\n", *more = "{\"b\":2}\n{\"c\":3}\n";
	char path[512], err[256], both[64];
	struct input *in;
	struct result r;
	FILE *f;

	mkpath(path, sizeof path, "grown.jsonl");
	write_file(path, text, strlen(text));
	in = input_open(path, err, sizeof err);
	cr_assert_not_null(in, "%s", err);
	f = fopen(path, "ab");
	cr_assert_not_null(f);
	fputs(more, f);
	fclose(f);
	read_all(in, 1 << 20, 64, &r);
	input_close(in);
	snprintf(both, sizeof both, "%s%s", text, more);
	cr_assert_eq(r.rc, 0);
	cr_assert_eq(r.len, strlen(both));
	cr_assert(memcmp(r.data, both, r.len) == 0);
	free(r.data);
	expect_content(path, INPUT_PLAIN, strlen(both), both, strlen(both));
	expect_content(path, INPUT_PLAIN, strlen(both) - 8, both, strlen(both));
}

Test(input, empty_file)
{
	char path[512], err[256], buf[16];
	struct input *in;

	mkpath(path, sizeof path, "empty");
	write_file(path, "", 0);
	in = input_open(path, err, sizeof err);
	cr_assert_not_null(in);
	cr_assert_eq(input_kind(in), INPUT_PLAIN);
	cr_assert_eq(input_size(in), 0);
	cr_assert_eq(input_read(in, buf, sizeof buf, err, sizeof err), 0);
	cr_assert_eq(input_read(in, buf, sizeof buf, err, sizeof err), 0);
	input_close(in);
}

Test(input, shorter_than_magic)
{
	static const struct { const char *bytes; size_t len; } cases[] = {
		{ "\x1f", 1 }, { "\x28", 1 }, { "x", 1 },
		{ "\x28\xb5\x2f", 3 }, { "abc", 3 },
		{ "\x89LLMSTAT", 8 }, { "\x89LLMSTAT\r\n\x1a", 11 },
	};
	char path[512];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mkpath(path, sizeof path, "short");
		write_file(path, cases[i].bytes, cases[i].len);
		expect_content(path, INPUT_PLAIN, 1, cases[i].bytes, cases[i].len);
		expect_content(path, INPUT_PLAIN, 4096, cases[i].bytes, cases[i].len);
	}
}

Test(input, state_magic)
{
	const char body[] = INPUT_STATE_MAGIC "\x01\x00 rest of a state file";
	size_t blen = sizeof body - 1;
	char path[512], err[256];
	struct input *in;

	mkpath(path, sizeof path, "saved.state");
	write_file(path, body, blen);
	expect_content_caps(path, INPUT_STATE, body, blen);
	in = input_open(path, err, sizeof err);
	cr_assert_not_null(in);
	cr_assert_eq(input_size(in), (long long)blen);
	input_close(in);

	/* the magic alone is still a state input */
	write_file(path, body, INPUT_STATE_MAGIC_LEN);
	expect_content(path, INPUT_STATE, 5, body, INPUT_STATE_MAGIC_LEN);
}

Test(input, plain_lookalike)
{
	/* a near miss on each magic is plain */
	const char *cases[] = { "\x1f\x8c hello", "\x28\xb5\x2f\xfe hello",
	                        "\x89LLMSTAT\r\n\x1a\x0b hello" };
	char path[512];

	for (size_t i = 0; i < 3; i++) {
		mkpath(path, sizeof path, "near");
		write_file(path, cases[i], strlen(cases[i]));
		expect_content(path, INPUT_PLAIN, 3, cases[i], strlen(cases[i]));
	}
}

/* ---- open errors ---- */

Test(input, open_errors)
{
	char path[512];

	expect_open_error(tmpdir, "Is a directory");
	mkpath(path, sizeof path, "does-not-exist.jsonl");
	expect_open_error(path, "No such file or directory");
	expect_open_error("", "No such file or directory");
}

Test(input, unreadable_file)
{
	char path[512];

	if (geteuid() == 0) {
		teardown();     /* a skipped test never reaches .fini */
		cr_skip_test("root can read a mode-000 file");
	}
	mkpath(path, sizeof path, "secret.jsonl");
	write_file(path, "{}\n", 3);
	cr_assert_eq(chmod(path, 0), 0);
	expect_open_error(path, "Permission denied");
}

Test(input, close_null)
{
	input_close(NULL);
}

/* ---- gzip ---- */

static void write_gzopen(const char *path, const char *mode, const void *data, size_t len)
{
	gzFile g = gzopen(path, mode);

	cr_assert_not_null(g);
	if (len)
		cr_assert_eq(gzwrite(g, data, (unsigned)len), (int)len);
	cr_assert_eq(gzclose(g), Z_OK);
}

Test(input, gzip_file)
{
	char *text = make_payload(200000, 3);
	char path[512], err[256];
	struct input *in;
	struct stat st;

	mkpath(path, sizeof path, "log.jsonl");     /* no .gz: magic decides */
	write_gzopen(path, "wb", text, 200000);
	expect_content_caps(path, INPUT_GZIP, text, 200000);
	expect_content(path, INPUT_GZIP, 7, text, 200000);

	in = input_open(path, err, sizeof err);
	cr_assert_not_null(in);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(input_size(in), (long long)st.st_size);
	input_close(in);
	free(text);
}

Test(input, gzip_concatenated)
{
	const char *a = "{\"member\":1}\n", *b = "{\"member\":2}\n";
	char path[512], want[64];
	size_t l1, l2, l3;
	unsigned char *g1, *g2, *g3, *ab, *abc;

	mkpath(path, sizeof path, "two.gz");
	write_gzopen(path, "wb", a, strlen(a));
	write_gzopen(path, "ab", b, strlen(b));     /* appends a second member */
	snprintf(want, sizeof want, "%s%s", a, b);
	expect_content_caps(path, INPUT_GZIP, want, strlen(want));

	/* three members, the middle one empty */
	g1 = gz_bytes(a, strlen(a), 6, &l1);
	g2 = gz_bytes("", 0, 6, &l2);
	g3 = gz_bytes(b, strlen(b), 1, &l3);
	ab = concat(g1, l1, g2, l2);
	abc = concat(ab, l1 + l2, g3, l3);
	write_file(path, abc, l1 + l2 + l3);
	expect_content_caps(path, INPUT_GZIP, want, strlen(want));

	/* a lone empty member */
	write_file(path, g2, l2);
	expect_content(path, INPUT_GZIP, 7, "", 0);
	free(g1); free(g2); free(g3); free(ab); free(abc);
}

Test(input, gzip_truncated)
{
	size_t plen = 200000, glen;
	char *text = make_payload(plen, 11);
	unsigned char *g = gz_bytes(text, plen, 6, &glen);
	size_t cuts[] = { 2, 3, 5, 10, glen / 4, glen / 2, glen - 9, glen - 8, glen - 4, glen - 1 };
	char path[512];

	mkpath(path, sizeof path, "cut.gz");
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		size_t got;

		write_file(path, g, cuts[i]);
		got = expect_error(path, INPUT_GZIP, 4096, "truncated gzip stream", text, plen);
		if (cuts[i] >= glen / 2)
			cr_assert_gt(got, 0, "cut at %zu delivered nothing", cuts[i]);
		if (cuts[i] >= glen - 8)
			cr_assert_eq(got, plen, "cut in the trailer must deliver everything");
		expect_error(path, INPUT_GZIP, 7, "truncated gzip stream", text, plen);
	}
	free(text);
	free(g);
}

Test(input, gzip_truncated_second_member)
{
	const char *a = "first member\n";
	size_t l1, l2;
	unsigned char *g1 = gz_bytes(a, strlen(a), 6, &l1);
	unsigned char *g2 = gz_bytes("second member\n", 14, 6, &l2);
	unsigned char *both = concat(g1, l1, g2, l2);
	char path[512], want[64];
	size_t got;

	snprintf(want, sizeof want, "%ssecond member\n", a);
	mkpath(path, sizeof path, "cut2.gz");
	write_file(path, both, l1 + l2 - 3);
	got = expect_error(path, INPUT_GZIP, 4096, "truncated gzip stream", want, strlen(want));
	cr_assert_geq(got, strlen(a));
	write_file(path, both, l1 + 1);             /* one byte of the second */
	got = expect_error(path, INPUT_GZIP, 1, "truncated gzip stream", want, strlen(want));
	cr_assert_eq(got, strlen(a));
	free(g1); free(g2); free(both);
}

Test(input, gzip_error_is_sticky)
{
	size_t glen;
	unsigned char *g = gz_bytes("hello world\n", 12, 6, &glen);
	char path[512], err[256], buf[64];
	struct input *in;
	struct result r;

	mkpath(path, sizeof path, "sticky.gz");
	write_file(path, g, glen - 3);
	in = input_open(path, err, sizeof err);
	cr_assert_not_null(in);
	read_all(in, 64, 64, &r);
	cr_assert_eq(r.rc, -1);
	err[0] = 0;
	cr_assert_eq(input_read(in, buf, sizeof buf, err, sizeof err), -1);
	cr_assert_str_eq(err, "truncated gzip stream");
	cr_assert_eq(input_read(in, buf, sizeof buf, NULL, 0), -1);
	input_close(in);
	free(r.data);
	free(g);
}

Test(input, gzip_corrupt)
{
	size_t plen = 50000, glen;
	char *text = make_payload(plen, 5);
	unsigned char *g = gz_bytes(text, plen, 6, &glen);
	unsigned char *bad = malloc(glen + 16);
	char path[512];
	size_t got;

	mkpath(path, sizeof path, "bad.gz");

	memcpy(bad, g, glen);
	bad[2] = 7;                                 /* unknown method */
	write_file(path, bad, glen);
	expect_error(path, INPUT_GZIP, 4096, "corrupt gzip data: unknown compression method",
	             text, plen);

	memcpy(bad, g, glen);
	bad[glen - 6] ^= 0x55;                      /* CRC-32 */
	write_file(path, bad, glen);
	got = expect_error(path, INPUT_GZIP, 4096, "corrupt gzip data: incorrect data check",
	                   text, plen);
	cr_assert_eq(got, plen);

	memcpy(bad, g, glen);
	bad[glen - 2] ^= 0x01;                      /* ISIZE */
	write_file(path, bad, glen);
	expect_error(path, INPUT_GZIP, 4096, "corrupt gzip data: incorrect length check",
	             text, plen);

	memcpy(bad, g, glen);
	memcpy(bad + glen, "garbage after!!", 16);  /* not another member */
	write_file(path, bad, glen + 16);
	got = expect_error(path, INPUT_GZIP, 4096, "corrupt gzip data: ", text, plen);
	cr_assert_eq(got, plen);

	free(text); free(g); free(bad);
}

/* ---- zstd ---- */

Test(input, zstd_file)
{
	size_t plen = 300000, zlen;
	char *text = make_payload(plen, 13);
	unsigned char *z = zst_simple(text, plen, &zlen);
	char path[512], err[256];
	struct input *in;

	mkpath(path, sizeof path, "log.gz");        /* misleading name on purpose */
	write_file(path, z, zlen);
	expect_content_caps(path, INPUT_ZSTD, text, plen);
	expect_content(path, INPUT_ZSTD, 7, text, plen);
	in = input_open(path, err, sizeof err);
	cr_assert_not_null(in);
	cr_assert_eq(input_size(in), (long long)zlen);
	input_close(in);
	free(text); free(z);
}

Test(input, zstd_two_frames)
{
	const char *a = "{\"frame\":1}\n", *b = "{\"frame\":2}\n";
	size_t l1, l2, l3;
	unsigned char *z1 = zst_simple(a, strlen(a), &l1);
	unsigned char *z2 = zst_bytes(b, strlen(b), 1, &l2);
	unsigned char *z3 = zst_simple("", 0, &l3);
	unsigned char *both = concat(z1, l1, z2, l2);
	unsigned char *all = concat(both, l1 + l2, z3, l3);
	char path[512], want[64];

	snprintf(want, sizeof want, "%s%s", a, b);
	mkpath(path, sizeof path, "two.zst");
	write_file(path, both, l1 + l2);
	expect_content_caps(path, INPUT_ZSTD, want, strlen(want));
	write_file(path, all, l1 + l2 + l3);
	expect_content_caps(path, INPUT_ZSTD, want, strlen(want));
	free(z1); free(z2); free(z3); free(both); free(all);
}

Test(input, zstd_truncated)
{
	size_t plen = 1 << 20, zlen;
	char *text = make_payload(plen, 17);
	unsigned char *z = zst_simple(text, plen, &zlen);
	size_t cuts[] = { 4, 5, 9, zlen / 2, zlen * 3 / 4, zlen - 1 };
	char path[512];

	mkpath(path, sizeof path, "cut.zst");
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		size_t got;

		write_file(path, z, cuts[i]);
		got = expect_error(path, INPUT_ZSTD, 65536, "truncated zstd stream", text, plen);
		if (cuts[i] >= zlen / 2)
			cr_assert_gt(got, 0, "cut at %zu of %zu delivered nothing", cuts[i], zlen);
	}
	write_file(path, z, zlen * 3 / 4);
	expect_error(path, INPUT_ZSTD, 7, "truncated zstd stream", text, plen);
	free(text); free(z);
}

Test(input, zstd_truncated_second_frame)
{
	const char *a = "first frame\n";
	size_t l1, l2, got;
	unsigned char *z1 = zst_simple(a, strlen(a), &l1);
	unsigned char *z2 = zst_simple("second frame\n", 13, &l2);
	unsigned char *both = concat(z1, l1, z2, l2);
	char path[512], want[64];

	snprintf(want, sizeof want, "%ssecond frame\n", a);
	mkpath(path, sizeof path, "cut2.zst");
	for (size_t cut = l1 + 1; cut < l1 + l2; cut += 3) {
		write_file(path, both, cut);
		got = expect_error(path, INPUT_ZSTD, 4096, "truncated zstd stream", want, strlen(want));
		cr_assert_geq(got, strlen(a), "cut %zu", cut);
	}
	free(z1); free(z2); free(both);
}

Test(input, zstd_corrupt)
{
	size_t plen = 50000, zlen;
	char *text = make_payload(plen, 19);
	unsigned char *z = zst_bytes(text, plen, 1, &zlen);
	unsigned char *bad = malloc(zlen + 16);
	char path[512];
	size_t got;

	mkpath(path, sizeof path, "bad.zst");

	memcpy(bad, z, zlen);
	bad[zlen - 1] ^= 0x5a;                      /* content checksum */
	write_file(path, bad, zlen);
	expect_error(path, INPUT_ZSTD, 4096, "corrupt zstd data: ", text, plen);
	expect_error(path, INPUT_ZSTD, 4096, "corrupt zstd data: Restored data doesn't match checksum",
	             text, plen);

	memcpy(bad, z, zlen);
	memcpy(bad + zlen, "garbage after!!", 16);
	write_file(path, bad, zlen + 16);
	got = expect_error(path, INPUT_ZSTD, 4096, "corrupt zstd data: Unknown frame descriptor",
	                   text, plen);
	cr_assert_eq(got, plen);

	memcpy(bad, z, zlen);
	bad[4] |= 0x08;                             /* reserved header bit */
	write_file(path, bad, zlen);
	expect_error(path, INPUT_ZSTD, 4096, "corrupt zstd data: ", text, plen);

	free(text); free(z); free(bad);
}

/* ---- big round trip ---- */

Test(input, big_round_trip, .timeout = 30)
{
	size_t plen = 20u << 20, glen, zlen;
	char *text = make_payload(plen, 23);
	unsigned char *g = gz_bytes(text, plen, 1, &glen);
	unsigned char *z = zst_simple(text, plen, &zlen);
	char path[512];

	mkpath(path, sizeof path, "big.gz");
	write_file(path, g, glen);
	free(g);
	expect_content(path, INPUT_GZIP, 1 << 20, text, plen);
	expect_content(path, INPUT_GZIP, 65521, text, plen);
	mkpath(path, sizeof path, "big.zst");
	write_file(path, z, zlen);
	free(z);
	expect_content(path, INPUT_ZSTD, 1 << 20, text, plen);
	expect_content(path, INPUT_ZSTD, 65521, text, plen);
	free(text);
}

/* ---- standard input ---- */

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	size_t off = 0;

	if (w->slow) {
		for (; off < w->len && off < 6; off++) {
			if (write(w->fd, w->data + off, 1) != 1)
				break;
			usleep(2000);
		}
	}
	while (off < w->len) {
		size_t chunk = w->len - off < 7777 ? w->len - off : 7777;
		ssize_t n = write(w->fd, w->data + off, chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(w->fd);
	return NULL;
}

/* Puts a pipe on fd 0 fed by a thread; returns the saved stdin. */
static int pipe_stdin(struct writer *w, pthread_t *t, const void *data, size_t len, int slow)
{
	int p[2], saved = dup(0);

	cr_assert_geq(saved, 0);
	signal(SIGPIPE, SIG_IGN);
	cr_assert_eq(pipe(p), 0);
	cr_assert_geq(dup2(p[0], 0), 0);
	close(p[0]);
	w->fd = p[1];
	w->data = data;
	w->len = len;
	w->slow = slow;
	cr_assert_eq(pthread_create(t, NULL, writer_main, w), 0);
	return saved;
}

static void restore_stdin(pthread_t t, int saved)
{
	pthread_join(t, NULL);
	dup2(saved, 0);
	close(saved);
}

/* Sends data through a stdin pipe and expects it decoded as want. */
static void expect_stdin(const char *name, const void *data, size_t len, int slow,
                         enum input_kind kind, size_t cap, const void *want, size_t wlen)
{
	struct writer w;
	pthread_t t;
	int saved = pipe_stdin(&w, &t, data, len, slow);
	char err[256] = "";
	struct input *in = input_open(name, err, sizeof err);
	struct result r;

	cr_assert_not_null(in, "%s", err);
	cr_assert_str_eq(input_name(in), "<stdin>");
	cr_assert_eq(input_kind(in), kind);
	cr_assert_eq(input_size(in), -1);
	read_all(in, cap, wlen, &r);
	input_close(in);
	restore_stdin(t, saved);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_eq(r.len, wlen);
	cr_assert(wlen == 0 || memcmp(r.data, want, wlen) == 0);
	free(r.data);
}

Test(input, stdin_plain_pipe)
{
	size_t plen = 1 << 20;
	char *text = make_payload(plen, 29);

	expect_stdin("-", text, plen, 0, INPUT_PLAIN, 65536, text, plen);
	expect_stdin(NULL, text, 5000, 1, INPUT_PLAIN, 7, text, 5000);
	expect_stdin("-", "", 0, 0, INPUT_PLAIN, 64, "", 0);
	expect_stdin("-", "\x1f", 1, 0, INPUT_PLAIN, 64, "\x1f", 1);
	free(text);
}

Test(input, stdin_compressed_pipe)
{
	size_t plen = 1 << 20, glen, zlen;
	char *text = make_payload(plen, 31);
	unsigned char *g = gz_bytes(text, plen, 6, &glen);
	unsigned char *z = zst_simple(text, plen, &zlen);
	const char st[] = INPUT_STATE_MAGIC "state";

	expect_stdin("-", g, glen, 0, INPUT_GZIP, 65536, text, plen);
	expect_stdin("-", g, glen, 1, INPUT_GZIP, 4093, text, plen);   /* magic dribbles in */
	expect_stdin("-", z, zlen, 1, INPUT_ZSTD, 65536, text, plen);
	expect_stdin("-", st, sizeof st - 1, 1, INPUT_STATE, 3, st, sizeof st - 1);
	free(text); free(g); free(z);
}

Test(input, stdin_regular_file)
{
	const char *text = "{\"from\":\"a redirected file\"}\n";
	char path[512], err[256];
	int saved = dup(0), fd;
	struct input *in;
	struct result r;

	mkpath(path, sizeof path, "redirect.jsonl");
	write_file(path, text, strlen(text));
	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_geq(dup2(fd, 0), 0);
	close(fd);
	in = input_open("-", err, sizeof err);
	cr_assert_not_null(in);
	cr_assert_eq(input_size(in), (long long)strlen(text));
	read_all(in, 7, strlen(text), &r);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_eq(r.len, strlen(text));
	cr_assert_eq(memcmp(r.data, text, r.len), 0);
	free(r.data);
	input_close(in);
	cr_assert_eq(fcntl(0, F_GETFD), 0, "stdin must stay open");
	dup2(saved, 0);
	close(saved);
}
