/* test_cli.c - end-to-end runs of ./llmstat on fixtures/, compared byte for
 * byte with reviewed outputs in fixtures/cli/NAME.out. `make golden` rewrites
 * them (LLMSTAT_GOLDEN=1) after a reviewed change. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct clicase {
	const char *name;       /* fixtures/cli/NAME.out */
	const char *args;       /* after the binary, run from the project root */
	int exit;               /* expected exit status */
};


static char *
read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	size_t n;

	*len = 0;
	while ((n = fread(buf + *len, 1, cap - *len, f)) > 0) {
		*len += n;
		if (*len == cap)
			buf = realloc(buf, cap *= 2);
	}
	return buf;
}

static void
run_case(const struct clicase *c)
{
	const char *bin = getenv("LLMSTAT_BIN"), *root = getenv("LLMSTAT_ROOT");
	char cmd[4096], path[1024];
	FILE *p, *f;
	size_t len, wlen;
	char *out, *want;
	int st;

	snprintf(cmd, sizeof(cmd), "cd '%s' && env -u TZ COLUMNS=100 NO_COLOR=1 LLMSTAT_NOW=2026-10-03T00:00:00Z '%s' %s",
	    root ? root : ".", bin ? bin : "./llmstat", c->args);
	p = popen(cmd, "r");
	cr_assert(p != NULL);
	out = read_all(p, &len);
	st = pclose(p);
	cr_assert(WIFEXITED(st), "%s: did not exit", c->name);
	cr_assert_eq(WEXITSTATUS(st), c->exit, "%s: exit %d, want %d", c->name, WEXITSTATUS(st), c->exit);
	snprintf(path, sizeof(path), "%s/fixtures/cli/%s.out", root ? root : ".", c->name);
	if (getenv("LLMSTAT_GOLDEN")) {
		f = fopen(path, "wb");
		cr_assert(f != NULL);
		fwrite(out, 1, len, f);
		fclose(f);
		free(out);
		return;
	}
	f = fopen(path, "rb");
	cr_assert(f != NULL, "%s: no expected output %s (make golden)", c->name, path);
	want = read_all(f, &wlen);
	fclose(f);
	cr_assert(wlen == len && memcmp(out, want, len) == 0,
	    "%s: output differs from %s:\n--- got\n%.*s", c->name, path, (int)len, out);
	free(out);
	free(want);
}

#define CLI(name, args, code) \
	Test(cli, name) \
	{ \
		static const struct clicase c = { #name, args, code }; \
		run_case(&c); \
	}

CLI(summary_json, "-f json fixtures/small.jsonl", 0)
CLI(summary_csv, "-f csv fixtures/small.jsonl", 0)
CLI(summary_table, "-f table --color=never fixtures/small.jsonl", 0)
CLI(summary_stdin, "-f json < fixtures/small.jsonl", 0)
CLI(by_model_csv, "--by model -f csv fixtures/small.jsonl", 0)
CLI(by_model_day_json, "--by model,day -f json fixtures/small.jsonl", 0)
CLI(daily_csv, "daily -f csv fixtures/small.jsonl", 0)
CLI(users_csv, "users -f csv fixtures/small.jsonl", 0)
CLI(top_users_json, "top-users -f json fixtures/small.jsonl", 0)
CLI(errors_json, "errors -f json fixtures/small.jsonl", 0)
CLI(sessions_csv, "sessions -f csv fixtures/small.jsonl", 0)
CLI(feedback_csv, "feedback -f csv fixtures/small.jsonl", 0)
CLI(anomalies_csv, "anomalies -f csv fixtures/small.jsonl", 0)
CLI(slow_csv, "slow --slow-ms 2500 -f csv fixtures/small.jsonl", 0)
CLI(retention_json, "retention -f json fixtures/small.jsonl", 0)
CLI(users_top1_json, "users --top 1 -f json fixtures/small.jsonl", 0)
CLI(compare_json, "--compare --since 2026-10-02 --until 2026-10-03 -f json fixtures/small.jsonl", 0)
CLI(compare_needs_since, "--compare fixtures/small.jsonl 2>&1", 2)
CLI(where_model, "--where model=m2 -f json fixtures/small.jsonl", 0)
CLI(where_regex_status, "--where 'model~^m[12]$' --where 'status>=500' -f csv fixtures/small.jsonl", 0)
CLI(since_until, "--since 2026-10-01T10:30:00Z --until 2026-10-02 -f csv fixtures/small.jsonl", 0)
CLI(tz_daily, "daily --tz +14:00 -f csv fixtures/small.jsonl", 0)
CLI(tz_hourly_ny, "hourly --tz America/New_York -f csv fixtures/small.jsonl", 0)
CLI(alert_fires, "--alert 'error_rate > 30%' -f csv fixtures/small.jsonl 2>&1 >/dev/null", 3)
CLI(alert_quiet, "--alert 'error_rate > 40%' -f csv fixtures/small.jsonl 2>&1 >/dev/null", 0)
CLI(alert_latency, "--alert 'latency_p95 > 29s' -f csv fixtures/small.jsonl 2>&1 >/dev/null", 3)
CLI(strict, "--strict -q -f csv fixtures/small.jsonl >/dev/null", 1)
CLI(rejected_messages, "-f csv fixtures/small.jsonl 2>&1 >/dev/null", 0)
CLI(missing_file, "-f csv fixtures/small.jsonl no/such.jsonl 2>&1 >/dev/null | grep -c 'no/such.jsonl: No such file'", 0)
CLI(missing_exit, "-q -f csv fixtures/small.jsonl no/such.jsonl >/dev/null 2>&1", 1)
CLI(bad_option, "--frobnicate 2>&1", 2)
CLI(bad_format, "-f xml fixtures/small.jsonl 2>&1", 2)
CLI(bad_tz, "--tz Mars/Olympus fixtures/small.jsonl 2>&1", 2)
CLI(map_user, "--map user=model -f csv fixtures/small.jsonl 2>/dev/null | grep -E '^(active_users|p95_users),'", 0)

Test(cli, help_and_version)
{
	const char *bin = getenv("LLMSTAT_BIN");
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' --help | grep -q '^usage: llmstat'", bin ? bin : "./llmstat");
	st = system(cmd);
	cr_assert_eq(WEXITSTATUS(st), 0);
	snprintf(cmd, sizeof(cmd), "'%s' --version | grep -q '^llmstat [0-9]'", bin ? bin : "./llmstat");
	st = system(cmd);
	cr_assert_eq(WEXITSTATUS(st), 0);
}
