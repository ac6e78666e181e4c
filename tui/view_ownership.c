/*
 * Ownership: the common-ownership weights κ among the firms with
 * disclosed holders, as a heatmap for one quarter (`[`, `]`), then the
 * holdings (investor → firm, stake, control, as-of, source), the first
 * HOLDINGS_CAP in the order of `oligo export ownership`.  κ comes from ownership_kappa(), the code
 * `oligo analyze --kappa` runs, over the same holdings; the quarters are
 * those of the holdings' dates and of the 13F data sets imported, and
 * "latest" (every holding in force now).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ownership.h"
#include "db/holdings.h"
#include "db/series.h"
#include "db/view.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "tui/chart.h"
#include "tui/draw.h"
#include "tui/view.h"

/* The holdings shown: a screenful is plenty; e exports them all. */
#define HOLDINGS_CAP 2000

enum { H_INVESTOR, H_FIRM, H_OWN, H_CTRL, H_AS_OF, H_SOURCE, NHCOLS };

static const char *const hcol_titles[NHCOLS] = {"Investor", "Firm",  "Owns",
                                                "Controls", "As of", "Source"};
static const int hcol_widths[NHCOLS] = {18, 14, 6, 8, 10, 0};

struct ownership_view {
	struct view base;
	struct series rows; /* series_holdings() */
	size_t total, top;
	struct holdings h;
	size_t nf13;     /* 13F quarters imported */
	char **quarters; /* "2025Q3" …, then "latest" */
	size_t nquarters, quarter;
	char *want; /* the quarter shown, kept across reloads */
	struct kappa_table k;
	bool have_k;
	char err[160];
};

static void
ownership_clear(struct ownership_view *o)
{
	series_release(&o->rows);
	for (size_t i = 0; i < o->nquarters; i++)
		free(o->quarters[i]);
	free(o->quarters);
	o->quarters = NULL;
	o->nquarters = 0;
	if (o->have_k)
		ownership_kappa_release(&o->k);
	o->have_k = false;
	holdings_release(&o->h);
	memset(&o->h, 0, sizeof(o->h));
}

static void
add_quarter(struct ownership_view *o, const char *q)
{
	for (size_t i = 0; i < o->nquarters; i++)
		if (!strcmp(o->quarters[i], q))
			return;
	o->quarters =
	    xreallocarray(o->quarters, o->nquarters + 1, sizeof(char *));
	o->quarters[o->nquarters++] = xstrdup(q);
}

/* "2025-06-30" or "2025-06" → "2025Q2"; a bare year has no quarter. */
static bool
quarter_of(const char *date, char q[8])
{
	int y, m;

	if (!date || sscanf(date, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		return false;
	snprintf(q, 8, "%04dQ%d", y % 10000, (m - 1) / 3 + 1);
	return true;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
find_quarters(struct ownership_view *o, const struct series *f13)
{
	char q[8];

	for (size_t i = 0; i < o->h.n; i++)
		if (quarter_of(o->h.rows[i].as_of, q))
			add_quarter(o, q);
	for (size_t i = 0; i < f13->n; i++)
		add_quarter(o, series_text(f13, i, 0));
	qsort(o->quarters, o->nquarters, sizeof(char *), cmp_str);
	add_quarter(o, "latest");
	o->quarter = o->nquarters - 1;
	for (size_t i = 0; o->want && i < o->nquarters; i++)
		if (!strcmp(o->quarters[i], o->want))
			o->quarter = i;
}

/* κ at the end of the quarter shown ("latest": every holding now). */
static void
compute_kappa(struct ownership_view *o)
{
	char end[11] = "9999-12-31";
	const char *q = o->quarters[o->quarter];

	if (o->have_k)
		ownership_kappa_release(&o->k);
	o->have_k = false;
	o->err[0] = '\0';
	if (strcmp(q, "latest"))
		ownership_period_end(q, end);
	if (ownership_kappa(&o->h, end, &o->k)) {
		ownership_kappa_release(&o->k);
		snprintf(
		    o->err, sizeof(o->err),
		    "kappa cannot be computed: a holding is outside 0-100%%");
		return;
	}
	o->have_k = true;
}

/* Cell c of holding r as the ownership export formats it. */
static void
cell(struct strbuf *sb, const struct series *rows, size_t r, int c)
{
	static const int text_col[NHCOLS] = {0, 1, -1, -1, 2, 3};
	double v;

	strbuf_reset(sb);
	if (text_col[c] >= 0) {
		const char *t = series_text(rows, r, (size_t)text_col[c]);

		strbuf_adds(sb, t ? t : "—");
		return;
	}
	v = series_num(rows, r, c == H_OWN ? 0 : 1);
	if (isfinite(v))
		strbuf_addf(sb, "%.1f%%", v);
	else
		strbuf_adds(sb, "—");
}

static enum status
ownership_load(struct view *v, struct db *db)
{
	struct ownership_view *o = (struct ownership_view *)v;
	struct series f13;
	enum status rc;

	ownership_clear(o);
	if ((rc = series_holdings(db, HOLDINGS_CAP, &o->rows, &o->total)) ||
	    (rc = holdings_load(db, &o->h)) ||
	    (rc = series_f13_quarters(db, &f13)))
		return rc;
	o->nf13 = f13.n;
	find_quarters(o, &f13);
	series_release(&f13);
	compute_kappa(o);
	if (o->top >= o->rows.n)
		o->top = o->rows.n ? o->rows.n - 1 : 0;
	return ST_OK;
}

/* The κ matrix: a label column, then one cell per firm that fits.
 * Returns the next line. */
static int
draw_heatmap(struct ownership_view *o, WINDOW *win, int y, int w)
{
	const struct kappa_table *k = &o->k;
	int label = w >= 100 ? 18 : 12;
	int cw = k->F ? (w - label - 1) / (int)k->F : 0;
	size_t shown;

	cw = cw > 8 ? 8 : cw;
	if (cw < 4)
		cw = 4;
	shown = (size_t)((w - label - 1) / cw);
	shown = shown < k->F ? shown : k->F;
	draw_text(win, y, 0, "row decides", label, theme_attr(PAIR_DIM));
	for (size_t j = 0; j < shown; j++)
		draw_text(win, y, label + 1 + (int)j * cw, k->firms[j], cw - 1,
		          A_BOLD);
	y++;
	for (size_t i = 0; i < k->F; i++, y++) {
		draw_text(win, y, 0, k->firms[i], label, A_BOLD);
		for (size_t j = 0; j < shown; j++)
			chart_heat_cell(win, y, label + 1 + (int)j * cw, cw - 1,
			                k->kappa[i * k->F + j]);
	}
	if (shown < k->F)
		draw_textf(win, y++, 0, w, theme_attr(PAIR_DIM),
		           "%zu more firms to the right: oligo analyze "
		           "--kappa",
		           k->F - shown);
	return y;
}

static void
draw_holdings(struct ownership_view *o, WINDOW *win, int y, int h, int w)
{
	struct strbuf sb = STRBUF_INIT;
	int x = 0;

	for (int c = 0; c < NHCOLS && x < w; c++) {
		int cw = hcol_widths[c] ? hcol_widths[c] : w - x;

		draw_text(win, y, x, hcol_titles[c], cw, A_BOLD | A_UNDERLINE);
		x += cw + 1;
	}
	for (size_t r = o->top; r < o->rows.n && ++y < h; r++) {
		x = 0;
		for (int c = 0; c < NHCOLS && x < w; c++) {
			int cw = hcol_widths[c] ? hcol_widths[c] : w - x;

			cell(&sb, &o->rows, r, c);
			draw_text(win, y, x, sb.buf, cw < w - x ? cw : w - x,
			          c == H_SOURCE ? theme_attr(PAIR_DIM)
			                        : (int)A_NORMAL);
			x += cw + 1;
		}
	}
	if (!o->rows.n && y + 1 < h)
		draw_text(win, y + 1, 1, "(no holdings recorded)", w - 1,
		          theme_attr(PAIR_DIM));
	strbuf_release(&sb);
}

static void
ownership_draw(struct view *v, WINDOW *win)
{
	struct ownership_view *o = (struct ownership_view *)v;
	int h = getmaxy(win), w = getmaxx(win), y = 0;

	werase(win);
	if (!o->nquarters)
		return;
	draw_textf(win, y++, 0, w, A_BOLD,
	           "Common ownership %s, quarter %s (%zu/%zu)   [ ] quarter",
	           chart_unicode() ? "κ" : "kappa", o->quarters[o->quarter],
	           o->quarter + 1, o->nquarters);
	if (!o->nf13)
		draw_text(win, y++, 0,
		          "no 13F data imported: oligo import 13f FILE adds "
		          "the public companies' holders",
		          w, theme_attr(PAIR_WARN));
	if (o->err[0])
		draw_text(win, y++, 0, o->err, w, theme_attr(PAIR_WARN));
	if (o->have_k && o->k.F) {
		chart_heat_legend(win, y++, 0, w);
		y = draw_heatmap(o, win, y, w);
	} else if (o->have_k) {
		draw_text(win, y++, 0,
		          "no disclosed holdings in force at the quarter's end",
		          w, theme_attr(PAIR_DIM));
	}
	draw_holdings(o, win, y + 1, h - 1, w);
	if (o->rows.n < o->total)
		draw_textf(win, h - 1, 0, w, theme_attr(PAIR_DIM),
		           "showing the first %zu of %zu holdings; e exports "
		           "them all",
		           o->rows.n, o->total);
	else
		draw_textf(
		    win, h - 1, 0, w, theme_attr(PAIR_DIM),
		    "holdings: %zu   j/k scroll   %s as in oligo analyze "
		    "--kappa",
		    o->total, chart_unicode() ? "κ" : "kappa");
}

static bool
ownership_key(struct view *v, enum action a, int page)
{
	struct ownership_view *o = (struct ownership_view *)v;
	size_t last = o->rows.n ? o->rows.n - 1 : 0;

	switch (a) {
	case ACTION_PERIOD_PREV:
	case ACTION_PERIOD_NEXT:
		if (!o->nquarters)
			return false;
		if (a == ACTION_PERIOD_PREV && o->quarter)
			o->quarter--;
		else if (a == ACTION_PERIOD_NEXT &&
		         o->quarter + 1 < o->nquarters)
			o->quarter++;
		free(o->want);
		o->want = xstrdup(o->quarters[o->quarter]);
		compute_kappa(o); /* pure: the holdings are in memory */
		return true;
	case ACTION_DOWN:
		o->top += o->top < last;
		return true;
	case ACTION_UP:
		o->top -= o->top > 0;
		return true;
	case ACTION_FIRST:
		o->top = 0;
		return true;
	case ACTION_LAST:
		o->top = last;
		return true;
	default:
		return false;
	}
}

static const struct view_def *
ownership_query(struct view *v, struct view_filter *f)
{
	memset(f, 0, sizeof(*f));
	return view_find("ownership");
}

static struct view *
ownership_create(const struct view_ops *ops)
{
	struct ownership_view *o = xcalloc(1, sizeof(*o));

	o->base.ops = ops;
	return &o->base;
}

static void
ownership_free(struct view *v)
{
	struct ownership_view *o = (struct ownership_view *)v;

	ownership_clear(o);
	free(o->want);
	free(o);
}

const struct view_ops ownership_view_ops = {
    .name = "ownership",
    .title = "Ownership",
    .create = ownership_create,
    .load = ownership_load,
    .draw = ownership_draw,
    .key = ownership_key,
    .free = ownership_free,
    .query = ownership_query,
};
