/*
 * Markets: every market at its latest period (the rows `oligo export
 * markets` writes) with a sparkline of its HHI over every period; Enter
 * opens one market: a share bar per firm coloured by alliance, the
 * period (`[`, `]`), the scenario (`c`: standalone, alliances, ownership,
 * or the merger of two firms marked with `m`) with its indices and the
 * screens' verdicts and the rule that fired, and where the shares come
 * from.
 *
 * The detail computes with analysis_row(), the code `oligo analyze`
 * runs, over the same share panel, so the screen and the CLI agree.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/refresh.h"
#include "analysis/screen.h"
#include "db/series.h"
#include "db/view.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "tui/chart.h"
#include "tui/draw.h"
#include "tui/view.h"

/* The list's columns, from the markets view, in screen order. */
enum { C_MARKET, C_PERIOD, C_HHI, C_CR4, C_DHHI, C_MHHI, C_US, C_EU, NCELLS };

static const char *const cell_cols[NCELLS] = {"market",
                                              "period",
                                              "hhi_points",
                                              "cr4_pct",
                                              "delta_hhi_alliances_points",
                                              "mhhi_points",
                                              "us2023",
                                              "eu2004"};

struct list_col {
	const char *title;
	int width;
	int min_screen; /* dropped on screens narrower than this */
};

static const struct list_col list_cols[NCELLS] = {
    {"Market", 20, 0},  {"Period", 7, 0},    {"HHI", 6, 0},
    {"CR4", 6, 0},      {"ΔHHI all.", 9, 0}, {"MHHI", 6, 100},
    {"US 2023", 12, 0}, {"EU 2004", 8, 0},
};

struct market_row {
	char *cells[NCELLS];
	double *hhi; /* over every period, oldest first */
	size_t nhhi;
};

enum scenario { SC_STANDALONE, SC_ALLIANCES, SC_OWNERSHIP, SC_MERGE, NSC };

static const char *const scenario_names[NSC] = {"standalone", "alliances",
                                                "ownership", "merger"};

struct detail {
	bool open;
	char *market;
	char *period; /* the one shown; NULL: the latest */
	enum scenario scen;
	int64_t merge[2];
	size_t nmerge;
	char merge_names[96]; /* " A+B", for the header */
	size_t cursor;        /* the firm under the cursor */
	/* the snapshot load() reads; keys recompute from it */
	struct panel p;
	struct holdings h; /* read once the ownership scenario is wanted */
	bool have_h;
	struct series sources; /* every period's */
	/* computed from the snapshot for the period and scenario shown */
	size_t row; /* index into p.rows */
	struct row_result res;
	bool have_res;
	char err[160];
};

struct markets_view {
	struct view base;
	struct market_row *rows;
	size_t n, sel, top;
	struct detail d;
};

static void
clear_rows(struct markets_view *m)
{
	for (size_t i = 0; i < m->n; i++) {
		for (int c = 0; c < NCELLS; c++)
			free(m->rows[i].cells[c]);
		free(m->rows[i].hhi);
	}
	free(m->rows);
	m->rows = NULL;
	m->n = 0;
}

static void
clear_detail_data(struct detail *d)
{
	panel_release(&d->p);
	holdings_release(&d->h);
	d->have_h = false;
	series_release(&d->sources);
	d->have_res = false;
	d->err[0] = '\0';
}

/* Attach each market's HHI series (the list and the series are both
 * ordered by market name, but match by name to be safe). */
static void
attach_series(struct markets_view *m, const struct series *s)
{
	for (size_t i = 0; i < m->n; i++) {
		struct market_row *r = &m->rows[i];

		for (size_t k = 0; k < s->n; k++) {
			if (strcmp(series_text(s, k, 0), r->cells[C_MARKET]))
				continue;
			r->hhi =
			    xreallocarray(r->hhi, r->nhhi + 1, sizeof(double));
			r->hhi[r->nhhi++] = series_num(s, k, 0);
		}
	}
}

static enum status
load_list(struct markets_view *m, struct db *db)
{
	const struct view_def *d = view_find("markets");
	struct view_cursor *c;
	struct series s;
	enum status rc;
	bool row;

	clear_rows(m);
	if ((rc = view_open(db, d, NULL, &c)))
		return rc;
	while (!(rc = view_step(c, &row)) && row) {
		struct market_row *r;

		m->rows = xreallocarray(m->rows, m->n + 1, sizeof(*m->rows));
		r = &m->rows[m->n++];
		memset(r, 0, sizeof(*r));
		for (int k = 0; k < NCELLS; k++) {
			struct strbuf sb = STRBUF_INIT;
			int i = view_col_index(d, cell_cols[k]);

			if (i >= 0)
				view_format(&sb, &d->cols[i], c, (size_t)i);
			r->cells[k] = strbuf_detach(&sb, NULL);
		}
	}
	view_close(c);
	if (rc || (rc = series_hhi(db, NULL, &s)))
		return rc;
	attach_series(m, &s);
	series_release(&s);
	return ST_OK;
}

/* The panel row of the period shown: the one named, else the latest. */
static size_t
pick_row(const struct detail *d)
{
	for (size_t r = 0; d->period && r < d->p.nrows; r++)
		if (!strcmp(d->p.rows[r].period, d->period))
			return r;
	return d->p.nrows ? d->p.nrows - 1 : 0;
}

/*
 * The indices of the period and scenario shown, from the snapshot only
 * (keys call it: no database).  Bad data in the database (shares over
 * 100 %) is said on screen; the bars stay.
 */
static void
recompute(struct detail *d)
{
	struct scenario_spec spec = {SCENARIO_STANDALONE, NULL, 0, NULL};
	static const enum scenario_kind kinds[NSC] = {
	    SCENARIO_STANDALONE, SCENARIO_ALLIANCES, SCENARIO_OWNERSHIP,
	    SCENARIO_MERGE};

	d->have_res = false;
	d->err[0] = '\0';
	if (!d->p.nrows) {
		snprintf(d->err, sizeof(d->err),
		         "no point shares for %s: its indices cannot be "
		         "computed",
		         d->market);
		return;
	}
	d->row = pick_row(d);
	free(d->period);
	d->period = xstrdup(d->p.rows[d->row].period);
	if (d->cursor >= d->p.rows[d->row].n)
		d->cursor = d->p.rows[d->row].n ? d->p.rows[d->row].n - 1 : 0;
	spec.kind = kinds[d->scen];
	spec.merge = d->merge;
	spec.nmerge = d->nmerge;
	spec.holdings = d->have_h ? &d->h : NULL;
	if (analysis_row(&d->p, &d->p.rows[d->row], &spec, &d->res))
		snprintf(d->err, sizeof(d->err), "%s", err_msg());
	else
		d->have_res = true;
}

static enum status
load_detail(struct detail *d, struct db *db)
{
	enum status rc;

	clear_detail_data(d);
	if ((rc = panel_load(db, d->market, NULL, &d->p)) ||
	    (rc = panel_load_names(db, &d->p)) ||
	    (rc = series_sources(db, d->market, &d->sources)))
		return rc;
	if (d->scen == SC_OWNERSHIP) {
		if ((rc = holdings_load(db, &d->h)))
			return rc;
		d->have_h = true;
	}
	recompute(d);
	return ST_OK;
}

static enum status
markets_load(struct view *v, struct db *db)
{
	struct markets_view *m = (struct markets_view *)v;
	char *keep = m->n ? xstrdup(m->rows[m->sel].cells[C_MARKET]) : NULL;
	enum status rc = load_list(m, db);

	for (size_t i = 0; keep && i < m->n; i++)
		if (!strcmp(m->rows[i].cells[C_MARKET], keep))
			m->sel = i;
	free(keep);
	if (m->sel >= m->n)
		m->sel = m->n ? m->n - 1 : 0;
	if (!rc && m->d.open)
		rc = load_detail(&m->d, db);
	return rc;
}

/* ---- drawing: the list --------------------------------------------- */

/* A verdict as a word: "presumed", "not presumed", "safe", "outside". */
static void
verdict_text(struct strbuf *sb, const char *v, bool wide)
{
	if (!strcmp(v, "outside_safe_harbour") && !wide)
		strbuf_adds(sb, "outside");
	else if (!strcmp(v, "safe_harbour") && !wide)
		strbuf_adds(sb, "safe");
	else
		for (const char *p = v; *p; p++)
			strbuf_addch(sb, *p == '_' ? ' ' : *p);
}

static int
col_width(int c, int w)
{
	if (w < list_cols[c].min_screen)
		return 0;
	if (c == C_EU && w >= 110)
		return 20;
	if (c == C_MARKET && w < 90)
		return 18;
	return list_cols[c].width;
}

static void
draw_list_row(struct markets_view *m, WINDOW *win, int y, size_t r, int w)
{
	bool head = r == (size_t)-1, sel = !head && r == m->sel;
	int attr = head  ? (int)(A_BOLD | A_UNDERLINE)
	           : sel ? theme_attr(PAIR_SELECTED)
	                 : (int)A_NORMAL;
	struct strbuf sb = STRBUF_INIT;
	int x = 0;

	if (sel)
		mvwchgat(win, y, 0, -1, attr, 0, NULL);
	for (int c = 0; c < NCELLS; c++) {
		int cw = col_width(c, w);
		const char *s = head ? list_cols[c].title : m->rows[r].cells[c];

		if (!cw || x + cw > w)
			continue;
		strbuf_reset(&sb);
		if (!head && (c == C_US || c == C_EU) && strcmp(s, "—"))
			verdict_text(&sb, s, cw >= 20);
		else
			strbuf_adds(&sb, s);
		draw_text(win, y, x, sb.buf, cw, attr);
		x += cw + 1;
	}
	if (w - x >= 4) {
		if (head) {
			draw_text(win, y, x, w - x >= 9 ? "HHI trend" : "Trend",
			          w - x, attr);
		} else {
			const struct market_row *mr = &m->rows[r];
			size_t n = mr->nhhi, from = 0;
			double lo = 0, hi = 0;

			if (n > (size_t)(w - x))
				from = n - (size_t)(w - x); /* the latest */
			strbuf_reset(&sb);
			chart_range(mr->hhi + from, n - from, &lo, &hi);
			chart_spark_str(&sb, mr->hhi + from, n - from, lo, hi,
			                chart_unicode());
			chart_draw(win, y, x, &sb, attr);
		}
	}
	strbuf_release(&sb);
}

static void
draw_list(struct markets_view *m, WINDOW *win, int h, int w)
{
	int rows = h - 2;

	if (m->sel < m->top)
		m->top = m->sel;
	if (rows > 0 && m->sel >= m->top + (size_t)rows)
		m->top = m->sel - (size_t)rows + 1;
	draw_list_row(m, win, 0, (size_t)-1, w);
	for (int y = 0; y < rows && m->top + (size_t)y < m->n; y++)
		draw_list_row(m, win, y + 1, m->top + (size_t)y, w);
	if (!m->n)
		draw_text(win, 2, 1,
		          "(no market has point shares yet: oligo import "
		          "shares FILE)",
		          w - 2, theme_attr(PAIR_DIM));
	draw_textf(win, h - 1, 0, w, theme_attr(PAIR_DIM),
	           "markets: %zu   Enter opens a market (share bars, "
	           "periods, scenarios)",
	           m->n);
}

/* ---- drawing: one market ------------------------------------------- */

static const char *
rule_text(enum screens_us2023_rule r)
{
	switch (r) {
	case SCREENS_US2023_RULE_HHI:
		return "HHI > 1,800 and ΔHHI > 100";
	case SCREENS_US2023_RULE_SHARE:
		return "share > 30% and ΔHHI > 100";
	case SCREENS_US2023_RULE_BOTH:
		return "HHI > 1,800 and share > 30%, ΔHHI > 100";
	default:
		return "ΔHHI <= 100, or HHI <= 1,800 and share <= 30%";
	}
}

/* "HHI 2,600  ": points with thousands separators, as the list shows
 * them; percent with decimals. */
static void
add_num(struct strbuf *sb, const char *label, double v, int decimals,
        const char *unit)
{
	char digits[32];
	int n, lead;

	strbuf_addf(sb, "%s ", label);
	if (!isfinite(v)) {
		strbuf_adds(sb, "—  ");
		return;
	}
	if (decimals) {
		strbuf_addf(sb, "%.*f%s  ", decimals, v, unit);
		return;
	}
	n = snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	if (v <= -0.5)
		strbuf_addch(sb, '-');
	lead = n % 3 ? n % 3 : 3;
	strbuf_add(sb, digits, (size_t)lead);
	for (int i = lead; i < n; i += 3) {
		strbuf_addch(sb, ',');
		strbuf_add(sb, digits + i, 3);
	}
	strbuf_addf(sb, "%s  ", unit);
}

static int
draw_indices(struct detail *d, WINDOW *win, int y, int w)
{
	const struct row_result *r = &d->res;
	const struct metric_values *v = &r->v;
	struct strbuf sb = STRBUF_INIT;
	struct screens s;

	add_num(&sb, "HHI", r->conc.hhi, 0, "");
	add_num(&sb, "CR4", r->conc.cr[3], 1, "%");
	strbuf_addf(&sb, "firms %zu   listed %.0f%%", r->conc.n,
	            r->conc.listed_pct);
	draw_text(win, y++, 0, sb.buf, w, A_NORMAL);
	strbuf_reset(&sb);
	if (d->scen == SC_STANDALONE) {
		add_num(&sb, "MHHI", v->mhhi, 0, "");
		strbuf_adds(&sb, "(screens apply to a scenario: c)");
		draw_text(win, y++, 0, sb.buf, w, A_NORMAL);
		strbuf_release(&sb);
		return y + 1;
	}
	add_num(&sb, d->scen == SC_OWNERSHIP ? "MHHI" : "HHI post", v->hhi_post,
	        0, "");
	add_num(&sb, d->scen == SC_OWNERSHIP ? "ΔMHHI" : "ΔHHI", v->delta_hhi,
	        0, "");
	if (d->scen != SC_OWNERSHIP)
		add_num(&sb, "merged", v->merged_share, 1, "%");
	else
		strbuf_addf(&sb, "holdings %zu (+%zu undisclosed)", r->own.used,
		            r->own.undisclosed);
	draw_text(win, y++, 0, sb.buf, w, A_BOLD);
	screens_eval(v->hhi_post, v->delta_hhi,
	             isfinite(v->merged_share) ? v->merged_share : 0.0, &s);
	strbuf_reset(&sb);
	strbuf_adds(&sb, "US 2023 ");
	verdict_text(&sb, screens_us2023_verdict_name(s.us2023.verdict), true);
	strbuf_addf(&sb, " (%s)", rule_text(s.us2023.rule));
	draw_text(win, y++, 0, sb.buf, w,
	          s.us2023.verdict ? theme_attr(PAIR_WARN) : (int)A_NORMAL);
	strbuf_reset(&sb);
	strbuf_adds(&sb, "US 2010 ");
	verdict_text(&sb, screens_us2010_verdict_name(s.us2010.verdict), true);
	strbuf_adds(&sb, " (");
	verdict_text(&sb, screens_us2010_band_name(s.us2010.band), true);
	strbuf_adds(&sb, ")   EU 2004 ");
	verdict_text(&sb, screens_eu2004_verdict_name(s.eu2004.verdict), true);
	draw_text(win, y++, 0, sb.buf, w, A_NORMAL);
	strbuf_release(&sb);
	return y;
}

static bool
marked(const struct detail *d, int64_t id)
{
	for (size_t i = 0; i < d->nmerge; i++)
		if (d->merge[i] == id)
			return true;
	return false;
}

static void
draw_legend(const struct detail *d, WINDOW *win, int y, int w)
{
	int x = draw_text(win, y, 0, "Alliances:", w, theme_attr(PAIR_DIM)) + 1;

	for (size_t g = 0; g < d->p.nalliances && g < 3 && x < w; g++)
		x += draw_text(win, y, x, d->p.alliances[g], w - x,
		               theme_attr(PAIR_ALLIANCE0 + (int)g)) +
		     2;
	if (x < w)
		draw_text(win, y, x, "(others plain)", w - x,
		          theme_attr(PAIR_DIM));
}

/* One line per firm: mark, name, share, bar in its alliance's colour,
 * alliance name when there is room; returns the next line. */
static int
draw_bars(struct detail *d, WINDOW *win, int y, int ymax, int w)
{
	const struct panel_row *row = &d->p.rows[d->row];
	int name_w = w >= 100 ? 20 : 14, al_w = w >= 100 ? 18 : 16;
	int bar_w = w - name_w - 9 - al_w - 1;
	size_t first = 0;
	struct strbuf sb = STRBUF_INIT;

	if (d->cursor >= (size_t)(ymax - y) && ymax > y)
		first = d->cursor - (size_t)(ymax - y) + 1;
	for (size_t i = first; i < row->n && y < ymax; i++, y++) {
		size_t k = row->first + i;
		int a = d->p.alliance[k];
		int attr = a >= 0 && a < 3 ? theme_attr(PAIR_ALLIANCE0 + a)
		                           : (int)A_NORMAL;
		bool cur = i == d->cursor;

		draw_text(win, y, 0, marked(d, d->p.entity_id[k]) ? "*" : " ",
		          1, A_BOLD);
		draw_text(win, y, 1, d->p.entity_name[k], name_w,
		          cur ? theme_attr(PAIR_SELECTED) : (int)A_NORMAL);
		draw_textf(win, y, name_w + 2, 6, A_NORMAL, "%5.1f%%",
		           d->p.share_pct[k]);
		strbuf_reset(&sb);
		chart_bar_str(&sb, d->p.share_pct[k], 100, bar_w,
		              chart_unicode());
		chart_draw(win, y, name_w + 9, &sb, attr);
		if (a >= 0)
			draw_text(win, y, w - al_w, d->p.alliances[a], al_w,
			          attr);
	}
	strbuf_release(&sb);
	return y;
}

static void
draw_sources(struct detail *d, WINDOW *win, int y, int w)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "Source:");
	for (size_t i = 0, n = 0; i < d->sources.n; i++) {
		const char *src = series_text(&d->sources, i, 1);
		const char *as_of = series_text(&d->sources, i, 2);

		if (strcmp(series_text(&d->sources, i, 0), d->period))
			continue;
		strbuf_addf(&sb, "%s %s (as of %s, %.0f rows)", n++ ? ";" : "",
		            src ? src : "unrecorded", as_of ? as_of : "—",
		            series_num(&d->sources, i, 0));
	}
	draw_text(win, y, 0, sb.buf, w, theme_attr(PAIR_DIM));
	strbuf_release(&sb);
}

static void
draw_detail(struct detail *d, WINDOW *win, int h, int w)
{
	const struct panel_row *row;
	int y = 0;

	draw_text(win, y, 0, d->market, w, A_BOLD | A_UNDERLINE);
	if (d->err[0])
		draw_text(win, 2, 0, d->err, w, theme_attr(PAIR_WARN));
	if (!d->p.nrows) {
		draw_text(win, h - 1, 0, "Esc returns", w,
		          theme_attr(PAIR_DIM));
		return;
	}
	row = &d->p.rows[d->row];
	draw_textf(win, y++, (int)strlen(d->market) + 2,
	           w - (int)strlen(d->market) - 2, A_BOLD,
	           "period %s (%zu/%zu)  scenario: %s%s", row->period,
	           d->row + 1, d->p.nrows, scenario_names[d->scen],
	           d->scen == SC_MERGE ? d->merge_names : "");
	if (d->have_res)
		y = draw_indices(d, win, y, w);
	if (d->scen == SC_MERGE && d->res.merge_present < 2)
		draw_text(win, y++, 0,
		          "(a marked firm has no share in this period: the "
		          "merger changes less)",
		          w, theme_attr(PAIR_DIM));
	draw_legend(d, win, y++, w);
	y = draw_bars(d, win, y, h - 2, w);
	draw_sources(d, win, h - 2, w);
	draw_text(win, h - 1, 0,
	          "Esc back  [ ] period  c scenario  j/k firm  m marks a "
	          "firm for the merger",
	          w, theme_attr(PAIR_DIM));
}

static void
markets_draw(struct view *v, WINDOW *win)
{
	struct markets_view *m = (struct markets_view *)v;
	int h = getmaxy(win), w = getmaxx(win);

	werase(win);
	if (m->d.open)
		draw_detail(&m->d, win, h, w);
	else
		draw_list(m, win, h, w);
}

/* ---- keys ---------------------------------------------------------- */

static void
say(struct markets_view *m, const char *msg)
{
	snprintf(m->base.msg, sizeof(m->base.msg), "%s", msg);
}

static void
next_scenario(struct markets_view *m)
{
	struct detail *d = &m->d;

	d->scen = (enum scenario)((d->scen + 1) % NSC);
	if (d->scen == SC_MERGE && d->nmerge < 2) {
		d->scen = SC_STANDALONE;
		say(m, "merger: mark two firms with m first; scenario: "
		       "standalone");
	}
	if (d->scen == SC_OWNERSHIP && !d->have_h)
		m->base.reload = true; /* load() reads the holdings */
	else
		recompute(d);
}

static const char *
firm_name(const struct detail *d, int64_t id)
{
	for (size_t k = 0; k < d->p.nshares; k++)
		if (d->p.entity_id[k] == id)
			return d->p.entity_name[k];
	return "?";
}

/* m: mark the firm under the cursor (a third mark replaces the
 * oldest); two marks make the merger scenario current. */
static void
mark_firm(struct markets_view *m)
{
	struct detail *d = &m->d;
	const struct panel_row *row;
	int64_t id;

	if (!d->p.nrows || !d->p.rows[d->row].n)
		return;
	row = &d->p.rows[d->row];
	id = d->p.entity_id[row->first + d->cursor];
	if (marked(d, id)) {
		if (d->merge[0] == id)
			d->merge[0] = d->merge[1];
		d->nmerge--;
	} else {
		if (d->nmerge == 2) {
			d->merge[0] = d->merge[1];
			d->nmerge = 1;
		}
		d->merge[d->nmerge++] = id;
	}
	if (d->nmerge == 2) {
		d->scen = SC_MERGE;
		snprintf(d->merge_names, sizeof(d->merge_names), " %s+%s",
		         firm_name(d, d->merge[0]), firm_name(d, d->merge[1]));
	} else if (d->scen == SC_MERGE) {
		d->scen = SC_STANDALONE;
	}
	recompute(d);
}

static bool
detail_key(struct markets_view *m, enum action a)
{
	struct detail *d = &m->d;
	size_t nfirms = d->p.nrows ? d->p.rows[d->row].n : 0;

	switch (a) {
	case ACTION_CLOSE:
		d->open = false;
		return true;
	case ACTION_PERIOD_PREV:
	case ACTION_PERIOD_NEXT:
		if (!d->p.nrows)
			return false;
		if (a == ACTION_PERIOD_PREV ? d->row == 0
		                            : d->row + 1 >= d->p.nrows) {
			say(m, a == ACTION_PERIOD_PREV ? "the first period"
			                               : "the latest period");
			return true;
		}
		free(d->period);
		d->period = xstrdup(
		    d->p.rows[a == ACTION_PERIOD_PREV ? d->row - 1 : d->row + 1]
		        .period);
		recompute(d);
		return true;
	case ACTION_SCENARIO:
		next_scenario(m);
		return true;
	case ACTION_MARK:
		mark_firm(m);
		return true;
	case ACTION_DOWN:
		d->cursor += d->cursor + 1 < nfirms;
		return true;
	case ACTION_UP:
		d->cursor -= d->cursor > 0;
		return true;
	default:
		return false;
	}
}

static void
open_market(struct markets_view *m)
{
	struct detail *d = &m->d;

	if (!m->n)
		return;
	if (!d->market || strcmp(d->market, m->rows[m->sel].cells[C_MARKET])) {
		free(d->market);
		d->market = xstrdup(m->rows[m->sel].cells[C_MARKET]);
		free(d->period);
		d->period = NULL;
		d->nmerge = 0;
		d->cursor = 0;
		d->scen = SC_ALLIANCES;
	}
	d->open = true;
	m->base.reload = true;
}

static bool
markets_key(struct view *v, enum action a, int page)
{
	struct markets_view *m = (struct markets_view *)v;
	size_t last = m->n ? m->n - 1 : 0;
	size_t step = page > 2 ? (size_t)page - 2 : 1;

	if (m->d.open)
		return detail_key(m, a);
	switch (a) {
	case ACTION_OPEN_DETAIL:
		open_market(m);
		break;
	case ACTION_DOWN:
		m->sel = m->sel < last ? m->sel + 1 : last;
		break;
	case ACTION_UP:
		m->sel = m->sel ? m->sel - 1 : 0;
		break;
	case ACTION_PAGE_DOWN:
		m->sel = m->sel + step < last ? m->sel + step : last;
		break;
	case ACTION_PAGE_UP:
		m->sel = m->sel > step ? m->sel - step : 0;
		break;
	case ACTION_FIRST:
		m->sel = 0;
		break;
	case ACTION_LAST:
		m->sel = last;
		break;
	default:
		return false;
	}
	return true;
}

static const struct view_def *
markets_query(struct view *v, struct view_filter *f)
{
	memset(f, 0, sizeof(*f));
	return view_find("markets");
}

static struct view *
markets_create(const struct view_ops *ops)
{
	struct markets_view *m = xcalloc(1, sizeof(*m));

	m->base.ops = ops;
	return &m->base;
}

static void
markets_free(struct view *v)
{
	struct markets_view *m = (struct markets_view *)v;

	clear_rows(m);
	clear_detail_data(&m->d);
	free(m->d.market);
	free(m->d.period);
	free(m);
}

const struct view_ops markets_view_ops = {
    .name = "markets",
    .title = "Markets",
    .create = markets_create,
    .load = markets_load,
    .draw = markets_draw,
    .key = markets_key,
    .free = markets_free,
    .query = markets_query,
};
