/* render.c - table, CSV and JSON output of computed metrics. */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- shared helpers ------------------------------------------------- */

void
render_num(FILE *f, double d)
{
	char buf[40];
	int prec;

	if (d == 0)
		d = 0;          /* no "-0" */
	if (d == floor(d) && fabs(d) < 1e15) {
		fprintf(f, "%.0f", d);
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	fputs(buf, f);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void
render_json_str(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;

	fputc('"', f);
	while (i < n) {
		unsigned char ch = p[i];

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else if ((l = utf8_len(p + i, n - i)) == 0) {
			fputs("\\ufffd", f);
			i++;
			continue;
		} else {
			fwrite(p + i, 1, l, f);
			i += l;
			continue;
		}
		i++;
	}
	fputc('"', f);
}

void
render_safe(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, l;

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f || (l = utf8_len(p + i, n - i)) == 0) {
			fprintf(f, "\\x%02x", p[i]);
			i++;
		} else if (l == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) {
			fprintf(f, "\\u%04x", p[i + 1]);        /* C1 controls, e.g. CSI */
			i += 2;
		} else {
			fwrite(p + i, 1, l, f);
			i += l;
		}
	}
}

/* ---- JSON ------------------------------------------------------------ */

static const struct ltime_zone *out_tz;   /* zone of the current render */

/* A time for output: local ISO 8601, with its zone when with_zone. */
static void
fmt_time(int64_t us, int with_zone, char out[32])
{
	static const struct ltime_zone utc = { 0, 0, "UTC" };
	const struct ltime_zone *z = out_tz ? out_tz : &utc;
	struct ltime_cache c = { 0 };
	int32_t off = ltime_offset(z, &c, us);

	ltime_fmt_iso(us + (int64_t)off * 1000000, with_zone ? &off : NULL, out);
}

static void
json_value(FILE *f, const struct metric *m)
{
	char d[32];
	size_t i;

	switch (m->kind) {
	case M_TIME: fmt_time(m->i, 1, d); fprintf(f, "\"%s\"", d); break;
	case M_BOOL: fputs(m->i ? "true" : "false", f); break;
	case M_INT: fprintf(f, "%lld", (long long)m->i); break;
	case M_NUM: render_num(f, m->d); break;
	case M_STR: render_json_str(f, m->s, strlen(m->s)); break;
	case M_DATES:
		fputc('[', f);
		for (i = 0; i < m->n; i++) {
			ltime_fmt_date(m->days[i], d);
			fprintf(f, "%s\"%s\"", i ? "," : "", d);
		}
		fputc(']', f);
		break;
	case M_STRS:
		fputc('[', f);
		for (i = 0; i < m->n; i++) {
			fputs(i ? "," : "", f);
			render_json_str(f, m->strs[i], strlen(m->strs[i]));
		}
		fputc(']', f);
		break;
	default: fputs("null", f);
	}
}

/* Writes the members of l (those named in only, when given), after *k
 * members already written. */
static void
json_members(FILE *f, const struct mlist *l, const char *const *only, size_t *k)
{
	size_t i, j;

	for (i = 0; i < l->len; i++) {
		for (j = 0; only && only[j] && strcmp(only[j], l->m[i].name); j++)
			;
		if (only && !only[j])
			continue;
		fputs((*k)++ ? "," : "", f);
		render_json_str(f, l->m[i].name, strlen(l->m[i].name));
		fputc(':', f);
		json_value(f, &l->m[i]);
	}
}

static void
json_object(FILE *f, const struct mlist *l, const char *const *only)
{
	size_t k = 0;

	fputc('{', f);
	json_members(f, l, only, &k);
	fputc('}', f);
}

static int
json_summary(FILE *f, const struct kpis *k, const struct kpis *prev)
{
	fputs("{\"llmstat\":1,\"metrics\":", f);
	json_object(f, &k->summary, NULL);
	if (prev) {
		fputs(",\"previous\":", f);
		json_object(f, &prev->summary, NULL);
	}
	fputs(",\"quality\":", f);
	json_object(f, &k->quality, NULL);
	fputs("}\n", f);
	return 0;
}

/* ---- CSV ------------------------------------------------------------- */

static void
csv_text(FILE *f, const char *s, int guard)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (guard && strchr("=+-@\t\r", s[0]) && s[0])
		quote = 1;
	if (!quote) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (guard && s[0] && strchr("=+-@\t\r", s[0]))
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
csv_value(FILE *f, const struct metric *m, int guard)
{
	char d[32];
	size_t i;

	switch (m->kind) {
	case M_TIME: fmt_time(m->i, 0, d); fputs(d, f); break;
	case M_BOOL: fputs(m->i ? "true" : "false", f); break;
	case M_INT: fprintf(f, "%lld", (long long)m->i); break;
	case M_NUM: render_num(f, m->d); break;
	case M_STR: csv_text(f, m->s, guard); break;
	case M_DATES:
		for (i = 0; i < m->n; i++) {
			ltime_fmt_date(m->days[i], d);
			fprintf(f, "%s%s", i ? ";" : "", d);
		}
		break;
	case M_STRS: {
		size_t len = 1;
		char *buf, *p;

		for (i = 0; i < m->n; i++)
			len += strlen(m->strs[i]) + 1;
		p = buf = xmalloc(len);
		for (i = 0; i < m->n; i++) {
			if (i)
				*p++ = ';';
			memcpy(p, m->strs[i], strlen(m->strs[i]));
			p += strlen(m->strs[i]);
		}
		*p = '\0';
		csv_text(f, buf, guard);
		free(buf);
		break;
	}
	default: break;
	}
}

static int
csv_summary(FILE *f, const struct kpis *k, const struct kpis *prev, int guard)
{
	size_t i;

	fputs(prev ? "metric,value,previous\r\n" : "metric,value\r\n", f);
	for (i = 0; i < k->summary.len; i++) {
		const struct metric *p = prev ? mlist_find(&prev->summary, k->summary.m[i].name) : NULL;

		fprintf(f, "%s,", k->summary.m[i].name);
		csv_value(f, &k->summary.m[i], guard);
		if (prev)
			fputc(',', f);
		if (p)
			csv_value(f, p, guard);
		fputs("\r\n", f);
	}
	for (i = 0; i < k->quality.len; i++) {
		if (mlist_find(&k->summary, k->quality.m[i].name))
			continue;
		fprintf(f, "%s,", k->quality.m[i].name);
		csv_value(f, &k->quality.m[i], guard);
		fputs("\r\n", f);
	}
	return 0;
}

static int
wanted(const char *name, const char *const *cols)
{
	size_t j;

	if (cols == NULL)
		return 1;
	for (j = 0; cols[j]; j++)
		if (strcmp(cols[j], name) == 0)
			return 1;
	return 0;
}

static int
csv_groups(FILE *f, const struct ktable *t, const char *const *cols, int guard)
{
	size_t i, j, n = 0;
	const struct mlist *first = t->nrows ? &t->rows[0].vals : NULL;

	for (i = 0; t->by[i]; i++)
		fprintf(f, "%s%s", i ? "," : "", t->by[i]);
	n = i;
	if (first == NULL && cols)
		for (j = 0; cols[j]; j++)
			fprintf(f, ",%s", cols[j]);
	for (j = 0; first && j < first->len; j++)
		if (wanted(first->m[j].name, cols))
			fprintf(f, ",%s", first->m[j].name);
	fputs("\r\n", f);
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < n; j++) {
			fputs(j ? "," : "", f);
			csv_value(f, &t->rows[i].keys.m[j], guard);
		}
		for (j = 0; j < t->rows[i].vals.len; j++) {
			if (!wanted(t->rows[i].vals.m[j].name, cols))
				continue;
			fputc(',', f);
			csv_value(f, &t->rows[i].vals.m[j], guard);
		}
		fputs("\r\n", f);
	}
	return 0;
}

/* ---- tables ---------------------------------------------------------- */

/* Writes n with thousands separators. */
static void
thousands(char *buf, size_t cap, long long n)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%lld", n < 0 ? -n : n), i, o = 0;

	if (n < 0 && o < (int)cap - 1)
		buf[o++] = '-';
	for (i = 0; i < len && o < (int)cap - 2; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
}

static void
human_num(char *buf, size_t cap, double v, int unit)
{
	char t[40];

	switch (unit) {
	case MU_USD:
		if (fabs(v) >= 1) {
			thousands(t, sizeof(t), (long long)floor(fabs(v)));
			snprintf(buf, cap, "%s$%s.%02d", v < 0 ? "-" : "", t,
			    (int)floor(fmod(fabs(v), 1.0) * 100 + 1e-9));
		} else
			snprintf(buf, cap, "$%.4g", v);
		break;
	case MU_MS:
		if (v >= 1000)
			snprintf(buf, cap, "%.2f s", v / 1000);
		else
			snprintf(buf, cap, "%.1f ms", v);
		break;
	case MU_RATIO: snprintf(buf, cap, "%.2f%%", v * 100); break;
	case MU_RPS: snprintf(buf, cap, "%.3f/s", v); break;
	case MU_TOKENS:
		if (v >= 1e6)
			snprintf(buf, cap, "%.2fM", v / 1e6);
		else if (v >= 1e4)
			snprintf(buf, cap, "%.1fk", v / 1e3);
		else
			snprintf(buf, cap, "%.1f", v);
		break;
	default: snprintf(buf, cap, "%.2f", v); break;
	}
}

static void
human(char *buf, size_t cap, const struct metric *m)
{
	char d[32];
	size_t i, o = 0;

	switch (m->kind) {
	case M_TIME:
		fmt_time(m->i, 0, d);
		d[16] = '\0';
		d[10] = ' ';
		snprintf(buf, cap, "%s", d);
		break;
	case M_BOOL: snprintf(buf, cap, "%s", m->i ? "yes" : "no"); break;
	case M_INT:
		if (m->unit == MU_TOKENS && m->i >= 100000)
			human_num(buf, cap, (double)m->i, MU_TOKENS);
		else
			thousands(buf, cap, (long long)m->i);
		break;
	case M_NUM: human_num(buf, cap, m->d, m->unit); break;
	case M_STR: snprintf(buf, cap, "%s", m->s); break;
	case M_DATES:
	case M_STRS:
		buf[0] = '\0';
		for (i = 0; i < m->n && o + 14 < cap; i++) {
			if (m->kind == M_DATES)
				ltime_fmt_date(m->days[i], d);
			o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "",
			    m->kind == M_DATES ? d : m->strs[i]);
		}
		if (m->n == 0)
			snprintf(buf, cap, "none");
		break;
	default: snprintf(buf, cap, "-"); break;
	}
}

/* Copies s for a terminal, as render_safe writes it: control bytes and
 * invalid UTF-8 as \xNN, C1 controls as \u00NN; cut to cap - 1 bytes on
 * a character boundary. */
static void
safe_copy(char *dst, size_t cap, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, l;
	char esc[8];

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f || (l = utf8_len(p + i, n - i)) == 0) {
			snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
			l = 1;
		} else if (l == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)
			snprintf(esc, sizeof(esc), "\\u%04x", p[i + 1]);
		else {
			if (o + l >= cap)
				break;
			memcpy(dst + o, p + i, l);
			o += l;
			i += l;
			continue;
		}
		if (o + strlen(esc) >= cap)
			break;
		memcpy(dst + o, esc, strlen(esc));
		o += strlen(esc);
		i += l;
	}
	dst[o] = '\0';
}

static const char *const section_names[] = {
	"Volume", "Cost", "Tokens", "Latency", "Users & sessions", "Quality",
	"Daily cost", "Data quality"
};

#define CELLW 44        /* one section column: label + value */

/* Lines of one section, each CELLW wide, into lines[]. Returns the count. */
static int
section_lines(const struct mlist *l, int sec, char lines[][CELLW * 4], int max)
{
	int n = 0;
	size_t i, j;
	char label[64], val[128], raw[128];

	for (i = 0; i < l->len && n < max; i++) {
		if (l->m[i].section != sec)
			continue;
		snprintf(label, sizeof(label), "%s", l->m[i].name);
		for (j = 0; label[j]; j++)
			if (label[j] == '_')
				label[j] = ' ';
		human(raw, sizeof(raw), &l->m[i]);
		safe_copy(val, sizeof(val), raw);
		snprintf(lines[n++], CELLW * 4, "  %-26.26s %14s", label, val);
	}
	return n;
}

static void
sparkline(FILE *f, const struct kpis *k, int width)
{
	static const char *const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	size_t n = k->ndaily, start, i;
	double max = 0;

	if (n < 2)
		return;
	start = n > (size_t)(width - 24) ? n - (size_t)(width - 24) : 0;
	for (i = start; i < n; i++)
		if (k->daily_cost[i] > max)
			max = k->daily_cost[i];
	fputs("  daily cost trend       ", f);
	for (i = start; i < n; i++)
		fputs(bars[max > 0 ? (int)(k->daily_cost[i] / max * 7.0 + 0.5) : 0], f);
	fputc('\n', f);
}

static void
table_pair(FILE *f, const struct mlist *l, int a, int b, int two, int color)
{
	static char la[64][CELLW * 4], lb[64][CELLW * 4];
	int na = section_lines(l, a, la, 64), nb = b >= 0 ? section_lines(l, b, lb, 64) : 0, i;
	const char *on = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";

	if (!two) {
		fprintf(f, "%s%s%s\n", on, section_names[a], off);
		for (i = 0; i < na; i++)
			fprintf(f, "%s\n", la[i]);
		if (b >= 0)
			table_pair(f, l, b, -1, 0, color);
		return;
	}
	fprintf(f, "%s%-*s%s", on, CELLW + 2, section_names[a], off);
	fprintf(f, "%s%s%s\n", on, b >= 0 ? section_names[b] : "", off);
	for (i = 0; i < na || i < nb; i++)
		fprintf(f, "%-*s  %s\n", CELLW, i < na ? la[i] : "", i < nb ? lb[i] : "");
}

static int
table_summary(FILE *f, const struct kpis *k, const struct render_conf *rc)
{
	int two = rc->width >= 2 * CELLW + 2;
	struct mlist dq = k->quality;

	fprintf(f, "%s%s%s\n\n", rc->color ? "\033[1m" : "", rc->title ? rc->title : "llmstat summary",
	    rc->color ? "\033[0m" : "");
	table_pair(f, &k->summary, MS_VOLUME, MS_LATENCY, two, rc->color);
	fputc('\n', f);
	table_pair(f, &k->summary, MS_COST, MS_USERS, two, rc->color);
	fputc('\n', f);
	table_pair(f, &k->summary, MS_QUALITY, MS_TOKENS, two, rc->color);
	fputc('\n', f);
	table_pair(f, &k->summary, MS_DAILY, -1, 0, rc->color);
	sparkline(f, k, rc->width);
	fputc('\n', f);
	dq.m = xmalloc((dq.len + k->inputs.len) * sizeof(*dq.m) + 1);
	memcpy(dq.m, k->quality.m, k->quality.len * sizeof(*dq.m));
	memcpy(dq.m + dq.len, k->inputs.m, k->inputs.len * sizeof(*dq.m));
	dq.len += k->inputs.len;
	table_pair(f, &dq, MS_DATA, -1, 0, rc->color);
	free(dq.m);
	return 0;
}


static int
table_groups(FILE *f, const struct ktable *t, const char *const *cols,
             const struct render_conf *rc)
{
	size_t nk, nc, r, j, used;
	int w[32], keyw = 40;
	char cell[160];
	const char *all[33];
	const char *const *c = cols;

	if (c == NULL) {        /* every metric of the rows */
		for (j = 0; t->nrows && j < t->rows[0].vals.len && j < 32; j++)
			all[j] = t->rows[0].vals.m[j].name;
		all[j] = NULL;
		c = all;
	}

	for (nk = 0; t->by[nk]; nk++)
		;
	for (nc = 0; c[nc] && nc + nk < 32; nc++)
		;
	for (j = 0; j < nk; j++)
		w[j] = (int)strlen(t->by[j]);
	for (j = 0; j < nc; j++)
		w[nk + j] = (int)strlen(c[j]);
	for (r = 0; r < t->nrows; r++) {
		for (j = 0; j < nk + nc; j++) {
			const struct metric *m = j < nk ? &t->rows[r].keys.m[j] : mlist_find(&t->rows[r].vals, c[j - nk]);
			int l;

			if (m == NULL)
				continue;
			{
				char raw[160];

				human(raw, sizeof(raw), m);
				safe_copy(cell, sizeof(cell), raw);
			}
			l = (int)strlen(cell);
			if (l > w[j])
				w[j] = l > keyw ? keyw : l;
		}
	}
	for (used = 0, j = 0; j < nk + nc; j++) {
		if (j >= nk && used + (size_t)w[j] + 2 > (size_t)rc->width)
			break;
		used += (size_t)w[j] + 2;
	}
	nc = j - nk;
	for (j = 0; j < nk + nc; j++)
		fprintf(f, j < nk ? "%-*s  " : "%*s  ", w[j], j < nk ? t->by[j] : c[j - nk]);
	fputc('\n', f);
	for (r = 0; r < t->nrows; r++) {
		for (j = 0; j < nk + nc; j++) {
			const struct metric *m = j < nk ? &t->rows[r].keys.m[j] : mlist_find(&t->rows[r].vals, c[j - nk]);
			char raw[160];

			if (m == NULL)
				snprintf(cell, sizeof(cell), "-");
			else if (m->kind == M_NULL && j < nk)
				snprintf(cell, sizeof(cell), "(none)");
			else {
				size_t cut = (size_t)w[j];

				human(raw, sizeof(raw), m);
				safe_copy(cell, sizeof(cell), raw);
				if (strlen(cell) > cut) {       /* cut on a character boundary */
					while (cut > 0 && ((unsigned char)cell[cut] & 0xc0) == 0x80)
						cut--;
					cell[cut] = '\0';
				}
			}
			fprintf(f, j < nk ? "%-*s  " : "%*s  ", w[j], cell);
		}
		fputc('\n', f);
	}
	return 0;
}

/* --compare as a table: each metric, its value, the previous period's and
 * the change. */
static int
table_compare(FILE *f, const struct kpis *k, const struct render_conf *rc)
{
	size_t i;
	int sec = -1;
	char a[128], b[128], raw[128];

	fprintf(f, "%-28s %16s %16s %9s\n", "llmstat summary", "this period", "previous", "change");
	for (i = 0; i < k->summary.len; i++) {
		const struct metric *m = &k->summary.m[i];
		const struct metric *p = mlist_find(&rc->prev->summary, m->name);

		if (m->section != sec) {
			sec = m->section;
			fprintf(f, "%s%s%s\n", rc->color ? "\033[1m" : "", section_names[sec], rc->color ? "\033[0m" : "");
		}
		human(raw, sizeof(raw), m);
		safe_copy(a, sizeof(a), raw);
		human(raw, sizeof(raw), p ? p : m);
		safe_copy(b, sizeof(b), p ? raw : "-");
		if (p && m->kind == M_NUM && p->kind == M_NUM && p->d != 0)
			snprintf(raw, sizeof(raw), "%+.1f%%", (m->d - p->d) / fabs(p->d) * 100);
		else if (p && m->kind == M_INT && p->kind == M_INT && p->i != 0)
			snprintf(raw, sizeof(raw), "%+.1f%%", (double)(m->i - p->i) / fabs((double)p->i) * 100);
		else
			snprintf(raw, sizeof(raw), "-");
		fprintf(f, "  %-26.26s %16.16s %16.16s %9s\n", m->name, a, b, raw);
	}
	return 0;
}

int
render_summary(FILE *f, const struct kpis *k, const struct render_conf *rc)
{
	out_tz = rc->tz;
	switch (rc->format) {
	case FMT_JSON: json_summary(f, k, rc->prev); break;
	case FMT_CSV: csv_summary(f, k, rc->prev, rc->csv_guard); break;
	default: rc->prev ? table_compare(f, k, rc) : table_summary(f, k, rc); break;
	}
	return ferror(f) ? -1 : 0;
}

int
render_groups(FILE *f, const struct kpis *k, const struct ktable *t,
              const char *const *cols, const struct render_conf *rc)
{
	struct rview v = { t, cols, NULL, 0 };

	return render_report(f, k, "groups", &v, 1, rc);
}

void
render_spark(FILE *f, const char *label, const double *v, size_t n, int width)
{
	static const char *const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	size_t start, i, room = width > 30 ? (size_t)width - 26 : 4;
	double max = 0;

	if (n < 2)
		return;
	start = n > room ? n - room : 0;
	for (i = start; i < n; i++)
		if (v[i] > max)
			max = v[i];
	fprintf(f, "  %-22s", label);
	for (i = start; i < n; i++)
		fputs(bars[max > 0 && v[i] > 0 ? (int)(v[i] / max * 7.0 + 0.5) : 0], f);
	fputc('\n', f);
}

static void
chart(FILE *f, const struct ktable *t, int width)
{
	double *cost = xmalloc((t->nrows + 1) * sizeof(double));
	double *req = xmalloc((t->nrows + 1) * sizeof(double));
	size_t i;

	for (i = 0; i < t->nrows; i++) {
		const struct metric *c = mlist_find(&t->rows[i].vals, "total_cost");
		const struct metric *r = mlist_find(&t->rows[i].vals, "requests");

		cost[i] = c && c->kind == M_NUM ? c->d : 0;
		req[i] = r && r->kind == M_INT ? (double)r->i : 0;
	}
	fputc('\n', f);
	render_spark(f, "cost", cost, t->nrows, width);
	render_spark(f, "requests", req, t->nrows, width);
	free(cost);
	free(req);
}

static void
json_body(FILE *f, const struct ktable *t, const char *const *cols)
{
	size_t i;

	fputs("\"by\":[", f);
	for (i = 0; t->by[i]; i++) {
		fputs(i ? "," : "", f);
		render_json_str(f, t->by[i], strlen(t->by[i]));
	}
	fputs("],\"groups\":[", f);
	for (i = 0; i < t->nrows; i++) {
		size_t n = 0;

		fputs(i ? ",{" : "{", f);
		json_members(f, &t->rows[i].keys, NULL, &n);
		json_members(f, &t->rows[i].vals, cols, &n);
		fputc('}', f);
	}
	fputc(']', f);
}

int
render_report(FILE *f, const struct kpis *k, const char *name,
              const struct rview *v, int n, const struct render_conf *rc)
{
	int i;

	out_tz = rc->tz;
	if (rc->format == FMT_JSON) {
		fputs("{\"llmstat\":1,", f);
		if (n != 1) {
			fputs("\"report\":", f);
			render_json_str(f, name, strlen(name));
			fputs(",\"tables\":[", f);
		}
		for (i = 0; i < n; i++) {
			if (n != 1) {
				fputs(i ? ",{\"title\":" : "{\"title\":", f);
				render_json_str(f, v[i].title ? v[i].title : "", v[i].title ? strlen(v[i].title) : 0);
				fputc(',', f);
			}
			json_body(f, v[i].t, v[i].cols);
			if (n != 1)
				fputc('}', f);
		}
		fputs(n != 1 ? "],\"quality\":" : ",\"quality\":", f);
		json_object(f, &k->quality, NULL);
		fputs("}\n", f);
		return ferror(f) ? -1 : 0;
	}
	for (i = 0; i < n; i++) {
		if (i)
			fputs(rc->format == FMT_CSV ? "\r\n" : "\n", f);
		if (rc->format == FMT_CSV) {
			csv_groups(f, v[i].t, v[i].cols, rc->csv_guard);
			continue;
		}
		if (v[i].title)
			fprintf(f, "%s%s%s\n", rc->color ? "\033[1m" : "", v[i].title, rc->color ? "\033[0m" : "");
		table_groups(f, v[i].t, v[i].cols, rc);
		if (v[i].chart)
			chart(f, v[i].t, rc->width);
	}
	return ferror(f) ? -1 : 0;
}
