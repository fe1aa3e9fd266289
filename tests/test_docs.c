/* test_docs.c - the documentation follows the code.
 *
 * The option table (src/options.c), the report table (src/report.c) and
 * the keys of the JSON output are the sources of truth; this checks that
 * the man page (man/llmstat.1), --help and the bash, zsh and fish
 * completions (completions/) name all of them, that the completions work
 * when loaded by their shell, that the man page renders without warnings,
 * that every command of its EXAMPLES runs, and that `make install` and
 * `make uninstall` (tests/install.mk) put and remove exactly the files.
 *
 * Runs from $LLMSTAT_ROOT (default .) with the binary $LLMSTAT_BIN (default
 * ./llmstat).  The shells and manual tools come from `make docs-deps`, which
 * `make test` runs; a check whose shell or tool is missing is skipped. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alert.h"
#include "options.h"
#include "report.h"

#define MAXWORDS 512

/* ------------------------------------------------------------ helpers */

struct buf {
	char *s;
	size_t n;
};

static const char *
root_dir(void)
{
	static char path[PATH_MAX];
	const char *r = getenv("LLMSTAT_ROOT");

	if (path[0] == '\0' && realpath(r && *r ? r : ".", path) == NULL)
		snprintf(path, sizeof(path), "%s", r && *r ? r : ".");
	return path;
}

/* The binary, as an absolute path. */
static const char *
bin_path(void)
{
	static char path[PATH_MAX * 2];
	const char *b = getenv("LLMSTAT_BIN");
	char tmp[PATH_MAX * 2];

	if (path[0])
		return path;
	if (b == NULL || *b == '\0')
		b = "./llmstat";
	if (b[0] == '/')
		snprintf(tmp, sizeof(tmp), "%s", b);
	else
		snprintf(tmp, sizeof(tmp), "%s/%s", root_dir(), b);
	if (realpath(tmp, path) == NULL)
		snprintf(path, sizeof(path), "%s", tmp);
	return path;
}

static void
slurp(FILE *f, struct buf *b)
{
	size_t cap = 1 << 14, n;

	b->s = malloc(cap);
	b->n = 0;
	cr_assert(b->s != NULL);
	while ((n = fread(b->s + b->n, 1, cap - b->n - 1, f)) > 0) {
		b->n += n;
		if (b->n + 1 == cap) {
			b->s = realloc(b->s, cap *= 2);
			cr_assert(b->s != NULL);
		}
	}
	b->s[b->n] = '\0';
}

/* Runs a shell command from the project root; its stdout in *out (may be
 * NULL), its exit status returned (-1 when it did not exit). */
static int
run(struct buf *out, const char *fmt, ...)
{
	char cmd[16384];
	struct buf tmp;
	va_list ap;
	FILE *p;
	int n, st;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", root_dir());
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	cr_assert(p != NULL, "popen %s", cmd);
	slurp(p, out ? out : &tmp);
	if (out == NULL)
		free(tmp.s);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
have(const char *prog)
{
	return run(NULL, "command -v %s >/dev/null 2>&1", prog) == 0;
}

static void
read_file(const char *rel, struct buf *b)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root_dir(), rel);
	f = fopen(path, "rb");
	cr_assert(f != NULL, "cannot open %s", path);
	slurp(f, b);
	fclose(f);
}

static int
is_word_char(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* True when word occurs in text with no word character (nor '-') right
 * before or after it: "--by" is not found in "--bytes", "-f" not in
 * "--format". */
static int
has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word)) != NULL) {
		int before = p > text ? p[-1] : ' ';
		int after = p[n];

		if (!is_word_char(before) && before != '-' && !is_word_char(after) &&
		    (after != '-' || word[n - 1] == '-'))
			return 1;
		p++;
	}
	return 0;
}

/* Lines of text as a list (text is modified). */
static int
split_lines(char *text, char **lines, int max)
{
	int n = 0;
	char *save = NULL, *l;

	for (l = strtok_r(text, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	return n;
}

static int
in_list(char **list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* The man page as plain text (groff, ASCII, no hyphenation, wide lines). */
static void
man_text(struct buf *b)
{
	int st;

	cr_assert(have("groff"), "groff is not installed (make docs-deps)");
	st = run(b, "groff -man -Tascii -rLL=200n -P-cbou man/llmstat.1 2>/dev/null");
	cr_assert_eq(st, 0, "groff could not render man/llmstat.1");
	cr_assert(b->n > 1000, "man/llmstat.1 renders almost empty");
}

/* The keys of every object of a JSON text, deduplicated, in words[]
 * (strings owned by the caller's buffer, which is modified). */
static int
json_keys(char *s, char **words, int max)
{
	int n = 0;

	while (*s) {
		char *start, *w;

		if (*s != '"') {
			s++;
			continue;
		}
		start = ++s;
		while (*s && *s != '"')
			s += *s == '\\' && s[1] ? 2 : 1;
		if (*s == '\0')
			break;
		*s++ = '\0';
		w = s;
		while (*w == ' ' || *w == '\n')
			w++;
		if (*w == ':' && n < max && !in_list(words, n, start))
			words[n++] = start;
	}
	return n;
}

/* Options as users type them: "--format", and "-f" when there is one. */
static int
option_forms(char forms[][40], int max)
{
	int n = 0;

	for (const struct optdef *d = options_table; d->name && n + 2 <= max; d++) {
		snprintf(forms[n++], 40, "--%s", d->name);
		if (d->key < 256)
			snprintf(forms[n++], 40, "-%c", d->key);
	}
	return n;
}

/* Undoes the roff escapes allowed in example lines and tags, font changes
 * included; 0 on another escape. */
static int
unroff(const char *in, char *out, size_t cap)
{
	static const struct { const char *esc, *text; } map[] = {
		{ "\\e", "\\" }, { "\\-", "-" }, { "\\(aq", "'" }, { "\\(dq", "\"" },
		{ "\\(ti", "~" }, { "\\(ha", "^" }, { "\\(ga", "`" }, { "\\&", "" },
		{ "\\fB", "" }, { "\\fI", "" }, { "\\fR", "" }, { "\\fP", "" },
	};
	size_t k = 0, i;

	while (*in && k + 2 < cap) {
		if (*in != '\\') {
			out[k++] = *in++;
			continue;
		}
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strncmp(in, map[i].esc, strlen(map[i].esc)) == 0)
				break;
		if (i == sizeof(map) / sizeof(map[0]))
			return 0;
		for (const char *t = map[i].text; *t && k + 2 < cap; t++)
			out[k++] = *t;
		in += strlen(map[i].esc);
	}
	out[k] = '\0';
	return 1;
}

/* The text of a font macro line: ".B a b" is "a b"; the arguments of an
 * alternating one (".BR a , b", ".BI score_ NAME _count") are joined. */
static char *
macro_text(const char *line, char *out, size_t cap)
{
	const char *p = line + 1;
	size_t k = 0, mlen = strcspn(p, " ");
	int alt = mlen == 2 && strchr("BIR", p[0]) && strchr("BIR", p[1]), first = 1;

	p += mlen;
	while (*p && k + 1 < cap) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (!alt && !first)
			out[k++] = ' ';
		first = 0;
		if (*p == '"') {
			for (p++; *p && *p != '"' && k + 1 < cap; p++)
				out[k++] = *p;
			if (*p == '"')
				p++;
		} else {
			for (; *p && *p != ' ' && k + 1 < cap; p++)
				out[k++] = *p;
		}
	}
	out[k] = '\0';
	return out;
}

/* The words of the tags of the .TP entries of man page section sec (its
 * .SH line without ".SH "): "\fB\-f\fR, \fB\-\-format\fR \fIFMT\fR" gives
 * -f, --format and FMT; ".BR a ", " b" gives a and b.  Returns the count;
 * the words are strdup'ed into words[]. */
static int
tp_tags(const char *sec, char **words, int max)
{
	struct buf src;
	char *lines[8192], head[64];
	int n, k = 0, in = 0;

	read_file("man/llmstat.1", &src);
	n = split_lines(src.s, lines, 8192);
	snprintf(head, sizeof(head), ".SH %s", sec);
	for (int i = 0; i < n; i++) {
		char text[1024], joined[1024], *save = NULL, *w, *l;

		if (strncmp(lines[i], ".SH ", 4) == 0) {
			in = strcmp(lines[i], head) == 0;
			continue;
		}
		if (!in || strcmp(lines[i], ".TP") != 0 || i + 1 >= n)
			continue;
		l = lines[++i];
		if (l[0] == '.')
			l = macro_text(l, joined, sizeof(joined));
		cr_assert(unroff(l, text, sizeof(text)), "man page: unknown escape in tag %s", lines[i]);
		for (w = strtok_r(text, " ,", &save); w && k < max; w = strtok_r(NULL, " ,", &save))
			words[k++] = strdup(w);
	}
	free(src.s);
	return k;
}

static void
free_words(char **words, int n)
{
	for (int i = 0; i < n; i++)
		free(words[i]);
}

static const char *const completion_files[] = {
	"completions/llmstat.bash", "completions/_llmstat", "completions/llmstat.fish"
};

/* -------------------------------------------- the man page and --help */

Test(docs, man_page_names_every_option_and_report)
{
	struct buf man;
	char forms[128][40];
	int n = option_forms(forms, 128);

	man_text(&man);
	for (int i = 0; i < n; i++)
		cr_expect(has_word(man.s, forms[i]), "man page: option %s is not documented", forms[i]);
	for (const struct optdef *d = options_table; d->name; d++) {
		char both[128];

		/* the option with its argument, as in the OPTIONS list */
		if (d->has_arg) {
			snprintf(both, sizeof(both), "--%s %s", d->name, d->arg);
			cr_expect(strstr(man.s, both) != NULL, "man page: no entry \"%s\"", both);
		}
	}
	for (int i = 0; report_name(i); i++)
		cr_expect(has_word(man.s, report_name(i)), "man page: report %s is not documented",
		    report_name(i));
	free(man.s);

	/* each one has its own entry */
	{
		char *tags[MAXWORDS];
		int nt = tp_tags("OPTIONS", tags, MAXWORDS);

		for (int i = 0; i < n; i++)
			cr_expect(in_list(tags, nt, forms[i]), "man page: OPTIONS has no entry for %s", forms[i]);
		free_words(tags, nt);
		nt = tp_tags("REPORTS", tags, MAXWORDS);
		for (int i = 0; report_name(i); i++)
			cr_expect(in_list(tags, nt, report_name(i)), "man page: REPORTS has no entry for %s",
			    report_name(i));
		free_words(tags, nt);
	}
}

Test(docs, man_page_sections)
{
	static const char *const sections[] = {
		"NAME", "SYNOPSIS", "DESCRIPTION", "REPORTS", "OPTIONS", "KPIS",
		"INPUT FORMATS", "OUTPUT", "EXIT STATUS", "ENVIRONMENT", "FILES",
		"EXAMPLES", "SEE ALSO"
	};
	static const char *const words[] = {
		"NO_COLOR", "TZ", "TZDIR", "COLUMNS", "LLMSTAT_NOW", "jq", "cost-spike",
		"latency-spike", "hour_of_day", "weekday", "nanousd", "gzip", "zstd",
		"rejected_lines", "invalid_values", "filtered_records"
	};
	struct buf src, man;
	char th[128];
	const char *p = NULL;

	read_file("man/llmstat.1", &src);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		char plain[64], quoted[64];
		const char *q;

		snprintf(plain, sizeof(plain), "\n.SH %s\n", sections[i]);
		snprintf(quoted, sizeof(quoted), "\n.SH \"%s\"\n", sections[i]);
		q = strstr(src.s, plain);
		if (q == NULL)
			q = strstr(src.s, quoted);
		cr_expect(q != NULL, "man page: no section %s", sections[i]);
		cr_expect(q == NULL || p == NULL || q > p, "man page: section %s out of order", sections[i]);
		if (q)
			p = q;
	}
	/* the version in .TH is the program's */
	snprintf(th, sizeof(th), "\"llmstat %s\"", LLMSTAT_VERSION);
	cr_expect(strstr(src.s, th) != NULL, "man page: .TH does not say %s", th);
	man_text(&man);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		cr_expect(has_word(man.s, words[i]), "man page: %s is not mentioned", words[i]);
	free(src.s);
	free(man.s);
}

/* SYNOPSIS, as rendered, is --help's usage line. */
Test(docs, synopsis_is_the_usage_line)
{
	struct buf man, help;
	char *syn, *usage, *eol;
	char a[256], b[256];
	size_t k;

	man_text(&man);
	cr_assert_eq(run(&help, "'%s' --help", bin_path()), 0, "llmstat --help did not exit 0");
	usage = strstr(help.s, "usage: ");
	cr_assert(usage != NULL, "--help has no \"usage: \" line");
	usage += strlen("usage: ");
	eol = strchr(usage, '\n');
	snprintf(a, sizeof(a), "%.*s", (int)(eol ? eol - usage : (long)strlen(usage)), usage);
	syn = strstr(man.s, "\nSYNOPSIS\n");
	cr_assert(syn != NULL, "man page: no SYNOPSIS");
	syn += strlen("\nSYNOPSIS\n");
	while (*syn == ' ')
		syn++;
	/* collapse runs of spaces (adjustment) */
	for (k = 0; *syn && *syn != '\n' && k + 1 < sizeof(b); syn++)
		if (*syn != ' ' || (k > 0 && b[k - 1] != ' '))
			b[k++] = *syn;
	while (k > 0 && b[k - 1] == ' ')
		k--;
	b[k] = '\0';
	cr_expect_str_eq(b, a, "SYNOPSIS \"%s\" is not --help's usage \"%s\"", b, a);
	free(man.s);
	free(help.s);
}

Test(docs, help_names_every_option_and_report)
{
	struct buf help;
	char forms[128][40];
	int n = option_forms(forms, 128);

	cr_assert_eq(run(&help, "'%s' --help", bin_path()), 0, "llmstat --help did not exit 0");
	for (int i = 0; i < n; i++)
		cr_expect(has_word(help.s, forms[i]), "--help: option %s is missing", forms[i]);
	for (int i = 0; report_name(i); i++)
		cr_expect(has_word(help.s, report_name(i)), "--help: report %s is missing", report_name(i));
	free(help.s);
}

/* Every key that the JSON output of any report can hold is documented. */
Test(docs, man_page_names_every_output_key)
{
	struct buf man, out;
	char *words[MAXWORDS];

	man_text(&man);
	for (int i = -1; report_name(i < 0 ? 0 : i); i++) {
		int st, n;

		if (i < 0)      /* the summary broken down, for requests_share... */
			st = run(&out, "'%s' --by model -q -f json fixtures/small.jsonl", bin_path());
		else
			st = run(&out, "'%s' %s -q -f json fixtures/small.jsonl", bin_path(), report_name(i));
		cr_assert_eq(st, 0, "llmstat %s -f json exited %d", i < 0 ? "--by model" : report_name(i), st);
		n = json_keys(out.s, words, MAXWORDS);
		cr_assert(n > 5, "llmstat %s -f json: no keys", i < 0 ? "--by model" : report_name(i));
		for (int j = 0; j < n; j++)
			cr_expect(has_word(man.s, words[j]), "man page: output key %s (of %s) is not documented",
			    words[j], i < 0 ? "--by model" : report_name(i));
		free(out.s);
	}
	free(man.s);
}

/* Every KPI of the summary (keys of "metrics" and "quality") has an entry
 * in KPIS, those of --score and --flag included. */
Test(docs, man_page_defines_every_kpi)
{
	struct buf out;
	char *words[MAXWORDS], *tags[MAXWORDS], extra[128] = "";
	int n, nt = tp_tags("KPIS", tags, MAXWORDS);

	/* with a score and a flag named NAME, as the man page writes them */
	for (const struct optdef *d = options_table; d->name; d++)
		if (strcmp(d->name, "score") == 0 || strcmp(d->name, "flag") == 0)
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " --%s NAME=rating", d->name);
	cr_assert_eq(run(&out, "'%s'%s -q -f json fixtures/small.jsonl", bin_path(), extra), 0);
	n = json_keys(out.s, words, MAXWORDS);
	for (int i = 0; i < n; i++) {
		if (strcmp(words[i], "llmstat") == 0 || strcmp(words[i], "metrics") == 0 ||
		    strcmp(words[i], "quality") == 0)
			continue;
		cr_expect(in_list(tags, nt, words[i]), "man page: KPIS has no entry for %s", words[i]);
	}
	free_words(tags, nt);
	free(out.s);
}

/* groff -ww and mandoc -Tlint are silent; man -l renders. */
Test(docs, man_page_lints_clean)
{
	struct buf out;
	int st;

	cr_assert(have("groff"), "groff is not installed (make docs-deps)");
	st = run(&out, "groff -ww -man -Tutf8 -z man/llmstat.1 2>&1");
	cr_expect(st == 0 && out.n == 0, "groff -ww warns:\n%s", out.s);
	free(out.s);
	if (have("mandoc")) {
		/* STYLE notes would be listed here and fail: there are none to
		 * justify at the moment. */
		st = run(&out, "mandoc -Tlint man/llmstat.1 2>&1");
		cr_expect(st == 0 && out.n == 0, "mandoc -Tlint:\n%s", out.s);
		free(out.s);
	} else {
		cr_log_warn("mandoc is not installed (make docs-deps): mandoc -Tlint not run");
	}
	if (have("man")) {
		st = run(&out, "MANPAGER=cat MANWIDTH=80 man -l man/llmstat.1 2>&1");
		cr_expect(st == 0 && strstr(out.s, "SYNOPSIS") && strstr(out.s, "llmstat"),
		    "man -l man/llmstat.1 failed (%d):\n%.2000s", st, out.s);
		free(out.s);
	} else {
		cr_log_warn("man is not installed (make docs-deps): man -l not run");
	}
}

/* ------------------------------------------------------------ examples */

/* A crontab entry: five time fields, then the command (returned). */
static const char *
cron_command(const char *line)
{
	const char *p = line;

	for (int f = 0; f < 5; f++) {
		if (*p == '\0' || !strchr("0123456789*", *p))
			return NULL;
		while (*p && strchr("0123456789*/,-", *p))
			p++;
		if (*p != ' ' && *p != '\t')
			return NULL;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	return *p ? p : NULL;
}

struct example {
	char cmd[2048];
	int cron;
};

/* The commands of the EXAMPLES section: "$ " lines and crontab lines of
 * .EX/.EE blocks, with "\" continuations joined. */
static int
man_examples(struct example *ex, int max)
{
	struct buf src;
	char *lines[4096], *sec;
	int n, k = 0, in_ex = 0;

	read_file("man/llmstat.1", &src);
	sec = strstr(src.s, "\n.SH EXAMPLES\n");
	cr_assert(sec != NULL, "man page: no EXAMPLES section");
	n = split_lines(sec, lines, 4096);
	for (int i = 1; i < n && k < max; i++) {
		char text[2048];
		const char *c;

		if (strncmp(lines[i], ".SH", 3) == 0)
			break;
		if (strcmp(lines[i], ".EX") == 0 || strcmp(lines[i], ".EE") == 0) {
			in_ex = lines[i][2] == 'X';
			continue;
		}
		if (!in_ex)
			continue;
		cr_assert(unroff(lines[i], text, sizeof(text)),
		    "man page example line uses an escape the test does not know: %s", lines[i]);
		if (strncmp(text, "$ ", 2) == 0) {
			snprintf(ex[k].cmd, sizeof(ex[k].cmd), "%s", text + 2);
			ex[k].cron = 0;
		} else if ((c = cron_command(text)) != NULL) {
			snprintf(ex[k].cmd, sizeof(ex[k].cmd), "%s", c);
			ex[k].cron = 1;
		} else {
			continue;
		}
		/* continuation lines */
		while (ex[k].cmd[0] && ex[k].cmd[strlen(ex[k].cmd) - 1] == '\\' && i + 1 < n) {
			size_t l = strlen(ex[k].cmd) - 1;
			const char *t;

			cr_assert(unroff(lines[++i], text, sizeof(text)), "bad escape in %s", lines[i]);
			for (t = text; *t == ' '; t++)
				;
			snprintf(ex[k].cmd + l, sizeof(ex[k].cmd) - l, " %s", t);
		}
		k++;
	}
	free(src.s);
	return k;
}

/* Each example runs in a directory holding app.jsonl (fixtures/small.jsonl)
 * and app.jsonl.gz, with the binary first in $PATH and a fixed "now", and
 * exits 0, or 3 when an alert fires; never 1 or 2. */
Test(docs, man_page_examples_run, .timeout = 60)
{
	struct example ex[64];
	char dir[] = "/tmp/llmstat-docs-XXXXXX";
	int n = man_examples(ex, 64), pipes = 0, crons = 0, csv = 0, by = 0;

	cr_assert(n >= 8, "man page: only %d example commands", n);
	cr_assert(mkdtemp(dir) != NULL);
	cr_assert_eq(run(NULL, "mkdir '%s/bin' && ln -s '%s' '%s/bin/llmstat' && "
	    "cp fixtures/small.jsonl '%s/app.jsonl' && gzip -c fixtures/small.jsonl > '%s/app.jsonl.gz'",
	    dir, bin_path(), dir, dir, dir), 0, "cannot set up %s", dir);
	for (int i = 0; i < n; i++) {
		struct buf out;
		char *q;
		int st;

		cr_expect(strstr(ex[i].cmd, "llmstat") != NULL, "example without llmstat: %s", ex[i].cmd);
		if (ex[i].cron) {
			/* cron turns "\%" into "%", and a bare "%" into a newline */
			for (q = ex[i].cmd; (q = strchr(q, '%')) != NULL; q++)
				cr_expect(q > ex[i].cmd && q[-1] == '\\', "crontab line with a bare %%: %s", ex[i].cmd);
			for (q = ex[i].cmd; (q = strstr(q, "\\%")) != NULL; )
				memmove(q, q + 1, strlen(q));
			crons++;
		}
		pipes += strstr(ex[i].cmd, " | ") != NULL;
		csv += strstr(ex[i].cmd, "-f csv") != NULL;
		by += strstr(ex[i].cmd, "--by ") != NULL;
		{
			char quoted[4096];
			size_t k = 0;

			/* single-quote the command for sh -c */
			for (const char *s = ex[i].cmd; *s && k + 5 < sizeof(quoted); s++) {
				if (*s == '\'') {
					memcpy(quoted + k, "'\\''", 4);
					k += 4;
				} else {
					quoted[k++] = *s;
				}
			}
			quoted[k] = '\0';
			st = run(&out, "cd '%s' && env HOME='%s' PATH='%s/bin':\"$PATH\" LLMSTAT_NOW=2026-10-03T00:00:00Z "
			    "COLUMNS=100 %s -c '%s' 2>&1", dir, dir, dir,
			    ex[i].cron ? "sh" : "bash -o pipefail", quoted);
		}
		cr_expect(st == 0 || st == 3, "example exits %d: %s\n%.3000s", st, ex[i].cmd, out.s);
		free(out.s);
	}
	cr_expect(pipes > 0, "man page: no example with a shell pipe");
	cr_expect(crons > 0, "man page: no crontab example");
	cr_expect(csv > 0, "man page: no CSV example");
	cr_expect(by > 0, "man page: no --by example");
	run(NULL, "rm -rf '%s'", dir);
}

/* --------------------------------------------------------- completions */

/* The KPI names --alert accepts, from the JSON keys of the summary. */
static int
alert_kpis(struct buf *out, char **kpis, int max)
{
	char *words[MAXWORDS];
	int n, k = 0;

	cr_assert_eq(run(out, "'%s' -q -f json fixtures/small.jsonl", bin_path()), 0);
	n = json_keys(out->s, words, MAXWORDS);
	for (int i = 0; i < n && k < max; i++) {
		struct alert a;
		char rule[128], err[256];

		snprintf(rule, sizeof(rule), "%s > 0", words[i]);
		if (alert_parse(&a, rule, err, sizeof(err)) == 0)
			kpis[k++] = words[i];
	}
	cr_assert(k > 50, "only %d KPI names accepted by --alert", k);
	return k;
}

static void
values_of(const struct optdef *d, char vals[][64], int *n, int max)
{
	const char *p = d->values, *bar;

	*n = 0;
	if (p == NULL || *p == '@')
		return;
	while (*p && *n < max) {
		bar = strchr(p, '|');
		snprintf(vals[(*n)++], 64, "%.*s", (int)(bar ? bar - p : (long)strlen(p)), p);
		p = bar ? bar + 1 : p + strlen(p);
	}
}

/* The text of each completion file names every option, report, option
 * value and KPI name. */
Test(docs, completion_files_name_everything)
{
	struct buf kout;
	char *kpis[MAXWORDS];
	int nk = alert_kpis(&kout, kpis, MAXWORDS);

	for (size_t f = 0; f < sizeof(completion_files) / sizeof(completion_files[0]); f++) {
		int fish = strstr(completion_files[f], ".fish") != NULL;
		struct buf b;

		read_file(completion_files[f], &b);
		for (const struct optdef *d = options_table; d->name; d++) {
			char w[64], vals[64][64];
			int nv;

			snprintf(w, sizeof(w), fish ? "-l %s" : "--%s", d->name);
			cr_expect(fish ? strstr(b.s, w) != NULL : has_word(b.s, w), "%s: option --%s is missing",
			    completion_files[f], d->name);
			if (d->key < 256) {
				snprintf(w, sizeof(w), fish ? "-s %c" : "-%c", d->key);
				cr_expect(fish ? strstr(b.s, w) != NULL : has_word(b.s, w),
				    "%s: option -%c is missing", completion_files[f], d->key);
			}
			values_of(d, vals, &nv, 64);
			for (int i = 0; i < nv; i++)
				cr_expect(has_word(b.s, vals[i]), "%s: value %s of --%s is missing",
				    completion_files[f], vals[i], d->name);
		}
		for (int i = 0; report_name(i); i++)
			cr_expect(has_word(b.s, report_name(i)), "%s: report %s is missing",
			    completion_files[f], report_name(i));
		for (int i = 0; i < nk; i++)
			cr_expect(has_word(b.s, kpis[i]), "%s: KPI %s (for --alert) is missing",
			    completion_files[f], kpis[i]);
		cr_expect(has_word(b.s, "cost-spike") && has_word(b.s, "latency-spike"),
		    "%s: the built-in alert rules are missing", completion_files[f]);
		cr_expect(strstr(b.s, "zoneinfo") || strstr(b.s, "_time_zone"),
		    "%s: no time zones for --tz", completion_files[f]);
		free(b.s);
	}
	free(kout.s);
}

/* What a shell completes, through tests/docs.sh; 77 means not installed. */
static int
complete_in(const char *shell, struct buf *out, const char *args)
{
	return run(out, "sh tests/docs.sh %s '%s' %s 2>&1", shell, root_dir(), args);
}

/* Checks the candidates of one completion (lines of text): all of want
 * (NULL-terminated) are there; with exact, nothing else. */
static void
expect_candidates(const char *shell, const char *what, char *text, const char *const *want, int exact)
{
	char *lines[2048];
	int n = split_lines(text, lines, 2048);

	for (int i = 0; want[i]; i++)
		cr_expect(in_list(lines, n, want[i]), "%s: completing \"%s\" does not offer %s", shell, what,
		    want[i]);
	if (exact)
		for (int i = 0; i < n; i++) {
			int found = 0;

			for (int j = 0; want[j] && !found; j++)
				found = strcmp(want[j], lines[i]) == 0;
			cr_expect(found, "%s: completing \"%s\" offers %s", shell, what, lines[i]);
		}
}

/* want[] for "every option", "every report", "KPIs and built-in rules". */
static const char **
option_list(int with_short)
{
	static char forms[128][40];
	static const char *list[129];
	int n = option_forms(forms, 128), k = 0;

	for (int i = 0; i < n; i++)
		if (with_short || forms[i][1] == '-')
			list[k++] = forms[i];
	list[k] = NULL;
	return list;
}

static const char **
report_list(void)
{
	static const char *list[64];
	int i;

	for (i = 0; report_name(i) && i < 63; i++)
		list[i] = report_name(i);
	list[i] = NULL;
	return list;
}

/* Every candidate offered for --alert is a KPI name or a built-in rule,
 * and every KPI name is offered. */
static void
expect_alert_candidates(const char *shell, char *text)
{
	struct buf kout;
	char *kpis[MAXWORDS], *lines[2048];
	int nk = alert_kpis(&kout, kpis, MAXWORDS);
	int n = split_lines(text, lines, 2048);

	for (int i = 0; i < nk; i++)
		cr_expect(in_list(lines, n, kpis[i]), "%s: --alert does not offer %s", shell, kpis[i]);
	for (int i = 0; i < n; i++) {
		struct alert a;
		char rule[160], err[256];

		if (strcmp(lines[i], "cost-spike") == 0 || strcmp(lines[i], "latency-spike") == 0)
			continue;
		snprintf(rule, sizeof(rule), "%s > 0", lines[i]);
		cr_expect(alert_parse(&a, rule, err, sizeof(err)) == 0,
		    "%s: --alert offers %s, which llmstat refuses: %s", shell, lines[i], err);
	}
	cr_expect(in_list(lines, n, "cost-spike") && in_list(lines, n, "latency-spike"),
	    "%s: --alert does not offer the built-in rules", shell);
	free(kout.s);
}

Test(docs, bash_completion_works)
{
	static const char *const format[] = { "--format", NULL };
	static const char *const fmts[] = { "table", "csv", "json", NULL };
	static const char *const colors[] = { "auto", "always", "never", NULL };
	static const char *const by[] = { "day,week", "day,weekday", NULL };
	static const char *const zone[] = { "Europe/Paris", NULL };
	struct buf out;
	int st;

	if (!have("bash"))
		cr_skip_test("bash is not installed (make docs-deps)");
	cr_expect(run(NULL, "test -r /usr/share/bash-completion/bash_completion") == 0,
	    "bash-completion is not installed (make docs-deps): checking without it");
	/* the check of the issue, word for word */
	st = run(&out, "bash -c 'source /usr/share/bash-completion/bash_completion 2>/dev/null; "
	    "source completions/llmstat.bash; COMP_WORDS=(llmstat --for); COMP_CWORD=1; _llmstat; "
	    "printf \"%%s\\n\" \"${COMPREPLY[@]}\"'");
	cr_assert_eq(st, 0, "bash: loading completions/llmstat.bash failed:\n%s", out.s);
	expect_candidates("bash", "llmstat --for", out.s, format, 1);
	free(out.s);

	cr_assert_eq(complete_in("bash", &out, "llmstat -"), 0);
	expect_candidates("bash", "llmstat -", out.s, option_list(1), 1);
	free(out.s);
	cr_assert_eq(complete_in("bash", &out, "llmstat ''"), 0);
	expect_candidates("bash", "llmstat ", out.s, report_list(), 0);
	free(out.s);
	cr_assert_eq(complete_in("bash", &out, "llmstat --format ''"), 0);
	expect_candidates("bash", "llmstat --format ", out.s, fmts, 1);
	free(out.s);
	cr_assert_eq(complete_in("bash", &out, "llmstat --color = ''"), 0);
	expect_candidates("bash", "llmstat --color=", out.s, colors, 1);
	free(out.s);
	cr_assert_eq(complete_in("bash", &out, "llmstat --by day,w"), 0);
	expect_candidates("bash", "llmstat --by day,w", out.s, by, 1);
	free(out.s);
	cr_assert_eq(complete_in("bash", &out, "llmstat --alert ''"), 0);
	expect_alert_candidates("bash", out.s);
	free(out.s);
	if (run(NULL, "test -f /usr/share/zoneinfo/Europe/Paris") == 0) {
		cr_assert_eq(complete_in("bash", &out, "llmstat --tz Europe/Pa"), 0);
		expect_candidates("bash", "llmstat --tz Europe/Pa", out.s, zone, 1);
		free(out.s);
	}
}

Test(docs, fish_completion_works)
{
	static const char *const fmts[] = { "table", "csv", "json", NULL };
	static const char *const by[] = { "day,week", "day,weekday", NULL };
	static const char *const zone[] = { "Europe/Paris", NULL };
	struct buf out;
	int st;

	if (!have("fish"))
		cr_skip_test("fish is not installed (make docs-deps)");
	/* the check of the issue, word for word */
	st = run(&out, "fish --no-config -c 'source completions/llmstat.fish; complete -C\"llmstat --for\"' 2>&1");
	cr_assert_eq(st, 0, "fish: loading completions/llmstat.fish failed:\n%s", out.s);
	cr_expect(strncmp(out.s, "--format", 8) == 0 && strchr(out.s, '\n') == strrchr(out.s, '\n'),
	    "fish: completing \"llmstat --for\" gives:\n%s", out.s);
	free(out.s);

	cr_assert_eq(complete_in("fish", &out, "'llmstat -'"), 0);
	expect_candidates("fish", "llmstat -", out.s, option_list(1), 0);
	free(out.s);
	cr_assert_eq(complete_in("fish", &out, "'llmstat '"), 0);
	expect_candidates("fish", "llmstat ", out.s, report_list(), 0);
	free(out.s);
	cr_assert_eq(complete_in("fish", &out, "'llmstat --format '"), 0);
	expect_candidates("fish", "llmstat --format ", out.s, fmts, 1);
	free(out.s);
	cr_assert_eq(complete_in("fish", &out, "'llmstat --by day,w'"), 0);
	expect_candidates("fish", "llmstat --by day,w", out.s, by, 1);
	free(out.s);
	cr_assert_eq(complete_in("fish", &out, "'llmstat --alert '"), 0);
	expect_alert_candidates("fish", out.s);
	free(out.s);
	if (run(NULL, "test -f /usr/share/zoneinfo/Europe/Paris") == 0) {
		cr_assert_eq(complete_in("fish", &out, "'llmstat --tz Europe/Pa'"), 0);
		expect_candidates("fish", "llmstat --tz Europe/Pa", out.s, zone, 1);
		free(out.s);
	}
}

/* Splits the output of `docs.sh zsh` into one text per line typed, then
 * the rest. */
static int
zsh_parts(char *s, char **parts, int max)
{
	int n = 0;
	char *p = s, *sep;

	while (n + 1 < max && (sep = strstr(p, "<<>>\n")) != NULL) {
		*sep = '\0';
		parts[n++] = p;
		p = sep + 5;
	}
	parts[n] = p;
	return n;
}

Test(docs, zsh_completion_works, .timeout = 30)
{
	static const char *const format[] = { "--format", NULL };
	static const char *const fmts[] = { "table", "csv", "json", NULL };
	static const char *const by[] = { "week", "weekday", NULL };
	static const char *const zone[] = { "Paris", NULL };
	struct buf out;
	char *parts[8];
	int st;

	if (!have("zsh"))
		cr_skip_test("zsh is not installed (make docs-deps)");
	st = run(&out, "zsh -n completions/_llmstat 2>&1");
	cr_assert_eq(st, 0, "zsh -n completions/_llmstat:\n%s", out.s);
	free(out.s);
	/* from $fpath, in an interactive zsh: one session, seven lines */
	st = complete_in("zsh", &out, "'llmstat --for' 'llmstat -' 'llmstat ' 'llmstat --format ' "
	    "'llmstat --by day,w' 'llmstat --alert ' 'llmstat --tz Europe/Pa'");
	if (st == 77)
		cr_skip_test("zsh has no zsh/zpty module: no functional check");
	cr_assert_eq(st, 0, "zsh: completing failed:\n%s", out.s);
	cr_assert_eq(zsh_parts(out.s, parts, 8), 7, "zsh: unexpected output:\n%s", out.s);
	expect_candidates("zsh", "llmstat --for", parts[0], format, 1);
	expect_candidates("zsh", "llmstat -", parts[1], option_list(1), 1);
	expect_candidates("zsh", "llmstat ", parts[2], report_list(), 0);
	expect_candidates("zsh", "llmstat --format ", parts[3], fmts, 1);
	expect_candidates("zsh", "llmstat --by day,w", parts[4], by, 1);
	expect_alert_candidates("zsh", parts[5]);
	if (run(NULL, "test -f /usr/share/zoneinfo/Europe/Paris") == 0)
		expect_candidates("zsh", "llmstat --tz Europe/Pa", parts[6], zone, 1);
	/* then sourced after compinit (the other way to load it) */
	cr_expect(strstr(parts[7], "registered: _llmstat\n") != NULL,
	    "zsh: sourcing completions/_llmstat after compinit does not register it: %s", parts[7]);
	free(out.s);
}

/* ------------------------------------------------------------- install */

Test(docs, install_and_uninstall, .timeout = 60)
{
	static const struct { const char *path; int mode; } files[] = {
		{ "usr/bin/llmstat", 0755 },
		{ "usr/share/man/man1/llmstat.1", 0644 },
		{ "usr/share/bash-completion/completions/llmstat", 0644 },
		{ "usr/share/zsh/site-functions/_llmstat", 0644 },
		{ "usr/share/fish/vendor_completions.d/llmstat.fish", 0644 },
	};
	char dir[] = "/tmp/llmstat-install-XXXXXX", path[PATH_MAX];
	struct buf out;
	struct stat st;
	int rc;

	if (!have("make"))
		cr_skip_test("make is not installed");
	cr_assert(mkdtemp(dir) != NULL);
	/* -o llmstat: install the binary as it is; the suite may be running
	 * it (and a sanitizer build must not be relinked under it). */
	rc = run(&out, "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -o llmstat install "
	    "DESTDIR='%s' PREFIX=/usr 2>&1", dir);
	cr_assert_eq(rc, 0, "make install failed:\n%s", out.s);
	free(out.s);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].path);
		cr_expect(stat(path, &st) == 0 && S_ISREG(st.st_mode), "make install: no %s", path);
		cr_expect((st.st_mode & 07777) == (mode_t)files[i].mode, "make install: %s has mode %o, want %o",
		    path, (unsigned)(st.st_mode & 07777), (unsigned)files[i].mode);
	}
	/* the installed files are the project's */
	cr_expect_eq(run(NULL, "cmp -s man/llmstat.1 '%s/usr/share/man/man1/llmstat.1' && "
	    "cmp -s completions/_llmstat '%s/usr/share/zsh/site-functions/_llmstat'", dir, dir), 0,
	    "make install: installed files differ from the sources");
	/* a file of someone else's, beside ours, stays */
	snprintf(path, sizeof(path), "%s/usr/bin/other", dir);
	cr_assert_eq(run(NULL, "touch '%s'", path), 0);
	rc = run(&out, "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s uninstall DESTDIR='%s' PREFIX=/usr 2>&1",
	    dir);
	cr_assert_eq(rc, 0, "make uninstall failed:\n%s", out.s);
	free(out.s);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].path);
		cr_expect(access(path, F_OK) != 0, "make uninstall left %s", path);
	}
	snprintf(path, sizeof(path), "%s/usr/bin/other", dir);
	cr_expect(access(path, F_OK) == 0, "make uninstall removed a file it did not install");
	run(NULL, "rm -rf '%s'", dir);
}
