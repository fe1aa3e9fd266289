/* line.c - what a worker does with each line of its chunk: scan, records,
 * price, filter, aggregate; rejected lines noted for the report; with
 * dedup, the keys pass and lines known from it. Part of the run module. */
#include "worker.h"

#include <stdlib.h>
#include <string.h>

#include "bykey.h"
#include "filter.h"
#include "preset.h"
#include "prices.h"
#include "util.h"

int
line_err_before(const struct lerr *a, const struct lerr *b)
{
	if (a->file != b->file)
		return a->file < b->file;
	if (a->seq != b->seq)
		return a->seq < b->seq;
	return a->line < b->line;
}

/* Keeps the earliest rejected lines: replaces the latest when full. */
static void
note_error(struct worker *w, const struct chunk *ch, uint64_t line, const char *msg, size_t col)
{
	struct lerr e = { ch->file, ch->seq, line, msg, col };
	int i, last = 0;

	w->agg.rejected_lines++;
	if (w->conf->max_messages <= 0)
		return;
	if (w->nerr < w->conf->max_messages) {
		w->errs[w->nerr++] = e;
		return;
	}
	for (i = 1; i < w->nerr; i++)
		if (line_err_before(&w->errs[last], &w->errs[i]))
			last = i;
	if (line_err_before(&e, &w->errs[last]))
		w->errs[last] = e;
}

static int
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/* prices_find normalises the name (a few hundred instructions); logs
 * repeat a handful of models, so each worker keeps the last ones found in
 * a small table indexed by length and end bytes. */
static const struct price *
price_of(struct worker *w, const char *m, size_t n)
{
	struct pcache *c;

	if (n == 0)
		return prices_find(w->conf->prices, m, n);
	c = &w->pc[(n * 7 + (unsigned char)m[0] + (unsigned char)m[n - 1] * 3) % PCACHE];
	if (c->n == n && memcmp(c->name, m, n) == 0)
		return c->price;
	c->price = prices_find(w->conf->prices, m, n);
	c->n = n < sizeof(c->name) ? n : 0;
	memcpy(c->name, m, c->n);
	return c->price;
}

static void
price(struct worker *w, struct record *r)
{
	const struct price *pr;

	if (!w->conf->use_log_cost)
		r->has &= ~(uint32_t)R_COST;
	if (w->conf->prices == NULL || r->model.p == NULL)
		return;
	pr = price_of(w, r->model.p, r->model.n);
	if (pr == NULL)
		return;
	r->list_pico = price_cost_pico(pr, r);
	if (r->batch)
		r->list_pico /= 2;      /* batch APIs bill half the list price */
	r->has |= R_LIST;
	if (!(r->has & R_COST)) {
		r->cost_pico = r->list_pico;
		r->has |= R_COST;
	}
}

/* One accepted record: priced, filtered, aggregated. */
static void
use_record(struct worker *w, struct record *rec, int kind)
{
	const struct run_conf *c = w->conf;
	int t;

	if (kind == PR_FEEDBACK) {
		w->agg.feedback_records++;
		for (t = 0; t < c->agg->ntables; t++)
			w->klen[t] = bykey_build(c->by[t], rec, w->ex.views, c->agg->tz, &w->tzc, w->key[t], KEYBUF);
		agg_add_feedback(&w->agg, rec, w->key, w->klen);
		return;
	}
	price(w, rec);
	if (c->filter && (t = filter_match(c->filter, rec, w->ex.views)) != 1) {
		w->agg.filtered_records++;
		if (t == 2 && c->prev)
			agg_add(&w->prev, rec, NULL, NULL);
		return;
	}
	for (t = 0; t < c->agg->ntables; t++)
		w->klen[t] = bykey_build(c->by[t], rec, w->ex.views, c->agg->tz, &w->tzc, w->key[t], KEYBUF);
	agg_add(&w->agg, rec, w->key, w->klen);
}

static void
line_counts(struct worker *w, int nrec)
{
	if (nrec == 0)
		w->agg.filtered_records++;      /* an OTLP line without spans */
	else
		w->agg.extra_records += (uint64_t)nrec - 1;
}

/* Dedup phase 1 (keys only) when keys is set; else the real pass. */
static void
line_records(struct worker *w, const struct chunk *ch, uint64_t ln, int keys)
{
	const struct schema *s = ch->schema;
	struct record rec;
	const char *why = "";
	uint64_t key, junk = 0, *inv = keys ? &junk : &w->agg.invalid_values;
	int kind, nrec = 0;

	while ((kind = ex_next(&w->ex, s, &rec, w->scratch, SCRATCH, &why, inv, &key)) != EX_END) {
		nrec++;
		if (keys) {
			xgrow((void **)&w->dkeys, &w->dkcap, w->ndkeys + 1, sizeof(*w->dkeys));
			xgrow((void **)&w->dfilt, &w->dfcap, w->ndkeys + 1, 1);
			w->dfilt[w->ndkeys] = kind == PR_FILTERED;
			w->dkeys[w->ndkeys++] = kind == PR_REQUEST || kind == PR_FEEDBACK ? key : 0;
			continue;
		}
		if (s->ndedup && w->ddup[w->drec++]) {
			w->agg.duplicate_records++;
			continue;
		}
		if (kind == PR_REJECT)
			note_error(w, ch, ln, why, 0);
		else if (kind == PR_FILTERED)
			w->agg.filtered_records++;
		else
			use_record(w, &rec, kind);
	}
	if (keys) {
		w->lf[ln - 1].nrec = (uint32_t)nrec;
		w->lf[ln - 1].invalid = (uint32_t)junk;
		return;
	}
	line_counts(w, nrec);
}

/* The keys pass keeps a scanned line's views for the real pass, which
 * then skips the scan. Only lines at least half as long as their views:
 * what is kept stays within twice the chunk's size. */
static void
keep_views(struct worker *w, const struct schema *s, uint64_t ln, size_t n)
{
	size_t nv = ex_nviews(s);

	if (!ex_resumable(s) || n < nv * sizeof(struct js_view) / 2)
		return;
	xgrow_uninit((void **)&w->lv, &w->lvcap, w->nlv + nv, sizeof(*w->lv));
	memcpy(w->lv + w->nlv, w->ex.views, nv * sizeof(*w->lv));
	w->lf[ln - 1].views = w->nlv;
	w->nlv += nv;
}

static void
do_line(struct worker *w, const char *p, size_t n, const struct chunk *ch, uint64_t ln, int keys)
{
	struct js_err je;
	size_t i = 0;

	if (!keys)
		w->agg.lines_read++;
	else {
		xgrow((void **)&w->lf, &w->lfcap, ln, sizeof(*w->lf));
		w->lf[ln - 1].nrec = UINT32_MAX;
		w->lf[ln - 1].views = 0;
		w->nlf = ln;
	}
	if (n && p[n - 1] == '\r')
		n--;
	if (ch->seq == 0 && ln == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;         /* a UTF-8 byte order mark */
		n -= 3;
	}
	if (is_blank(p, n)) {
		w->agg.blank_lines += !keys;
		return;
	}
	while (p[i] == ' ' || p[i] == '\t')
		i++;
	if (p[i] != '{') {
		if (!keys)
			note_error(w, ch, ln, "not a JSON object", i + 1);
		return;
	}
	if (!keys && ch->schema->ndedup && ln <= w->nlf && w->lf[ln - 1].views)
		ex_resume(&w->ex, ch->schema, w->lv + w->lf[ln - 1].views);
	else if (ex_begin(&w->ex, ch->schema, p, n, &je) < 0) {
		if (!keys)
			note_error(w, ch, ln, je.msg, je.pos + 1);
		return;
	} else if (keys)
		keep_views(w, ch->schema, ln, n);
	line_records(w, ch, ln, keys);
}

/* In the real pass after a keys pass: a line whose records are all
 * duplicates or unused kinds is counted from what the keys pass saw, not
 * scanned again (Claude Code logs: half their lines). Returns 1 if so. */
static int
line_known(struct worker *w, uint64_t ln)
{
	const struct lfate *f;
	uint32_t j;

	if (ln > w->nlf || (f = &w->lf[ln - 1])->nrec == UINT32_MAX)
		return 0;
	for (j = 0; j < f->nrec; j++)
		if (!w->ddup[w->drec + j] && !w->dfilt[w->drec + j])
			return 0;
	for (j = 0; j < f->nrec; j++) {
		if (w->ddup[w->drec + j])
			w->agg.duplicate_records++;
		else
			w->agg.filtered_records++;
	}
	w->drec += f->nrec;
	w->agg.lines_read++;
	w->agg.invalid_values += f->invalid;
	line_counts(w, (int)f->nrec);
	return 1;
}

uint64_t
line_each(struct worker *w, const struct chunk *ch, int keys)
{
	const char *p = ch->p, *end = ch->p + ch->len, *nl;
	uint64_t ln = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!keys && ch->schema->ndedup && line_known(w, ln + 1)) {
			ln++;
			p = nl ? nl + 1 : end;
			continue;
		}
		do_line(w, p, (size_t)((nl ? nl : end) - p), ch, ++ln, keys);
		p = nl ? nl + 1 : end;
	}
	return ln;
}

