/*
 * Compute: H100-equivalents owned, by owner and by alliance, as bars for
 * one period (`[`, `]`); the concentration of compute owned (the HHI of
 * the ai_compute pseudo-market) over time as a sparkline; and each lab's
 * compute commitments with the part that goes to its own alliance's
 * cloud (the dependence table).  Every figure names its source and
 * as-of date.  j/k scroll.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/holdings.h"
#include "db/series.h"
#include "db/view.h"
#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/xalloc.h"
#include "tui/chart.h"
#include "tui/draw.h"
#include "tui/view.h"

/* series_compute() columns */
enum { T_OWNER, T_ALLIANCE, T_PERIOD, T_CHIP, T_SOURCE, T_AS_OF };
enum { N_H100E, N_LOW, N_HIGH, N_ALLIANCE };

struct alliance_sum {
	const char *name; /* points into the compute series */
	double rank;      /* by alliance id: its colour */
	double h100e;
	size_t owners, unknown;
};

struct compute_view {
	struct view base;
	struct series compute, hhi;
	struct dependence_rec *dep;
	size_t ndep;
	const char **periods; /* distinct, oldest first; point into compute */
	size_t nperiods, period;
	char *want; /* the period shown, kept across reloads */
	int scroll;
};

static void
compute_clear(struct compute_view *c)
{
	series_release(&c->compute);
	series_release(&c->hhi);
	dependence_release(c->dep, c->ndep);
	c->dep = NULL;
	c->ndep = 0;
	free(c->periods);
	c->periods = NULL;
	c->nperiods = 0;
}

static void
find_periods(struct compute_view *c)
{
	for (size_t r = 0; r < c->compute.n; r++) {
		const char *p = series_text(&c->compute, r, T_PERIOD);

		if (c->nperiods && !strcmp(c->periods[c->nperiods - 1], p))
			continue; /* rows come by period */
		c->periods = xreallocarray(c->periods, c->nperiods + 1,
		                           sizeof(*c->periods));
		c->periods[c->nperiods++] = p;
	}
	c->period = c->nperiods ? c->nperiods - 1 : 0;
	for (size_t i = 0; c->want && i < c->nperiods; i++)
		if (!strcmp(c->periods[i], c->want))
			c->period = i;
}

static enum status
compute_load(struct view *v, struct db *db)
{
	struct compute_view *c = (struct compute_view *)v;
	enum status rc;

	compute_clear(c);
	if ((rc = series_compute(db, &c->compute)) ||
	    (rc = series_hhi(db, "ai_compute", &c->hhi)) ||
	    (rc = dependence_load(db, &c->dep, &c->ndep)))
		return rc;
	find_periods(c);
	return ST_OK;
}

/* Lines are numbered from the top of the content; the scroll moves
 * them up.  Returns the window row, or -1 when out of sight. */
struct canvas {
	WINDOW *win;
	int scroll, h, w;
};

static int
row_of(const struct canvas *cv, int line)
{
	int y = line - cv->scroll;

	return y >= 0 && y < cv->h ? y : -1;
}

static void
text_at(const struct canvas *cv, int line, int x, const char *s, int width,
        int attr)
{
	int y = row_of(cv, line);

	if (y >= 0)
		draw_text(cv->win, y, x, s, width, attr);
}

static void
bar_at(const struct canvas *cv, int line, int x, double v, double max,
       int width, int attr)
{
	struct strbuf sb = STRBUF_INIT;
	int y = row_of(cv, line);

	if (y < 0)
		return;
	chart_bar_str(&sb, v, max, width, chart_unicode());
	chart_draw(cv->win, y, x, &sb, attr);
	strbuf_release(&sb);
}

/* The alliance's colour, as on the Landscape (by alliance id). */
static int
alliance_attr(double rank)
{
	if (!(rank >= 0 && rank < 3))
		return A_NORMAL;
	return theme_attr(PAIR_ALLIANCE0 + (int)rank);
}

static void
fmt_h100e(char *buf, size_t n, double v)
{
	if (!isfinite(v))
		snprintf(buf, n, "—");
	else if (v >= 1e6)
		snprintf(buf, n, "%.2fM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, n, "%.0fk", v / 1e3);
	else
		snprintf(buf, n, "%.0f", v);
}

/* Sums per alliance of the period's rows, in order of the alliances'
 * first appearance: the series is by H100e, so the largest owner's
 * alliance comes first. */
static size_t
sum_alliances(const struct compute_view *c, const char *period,
              struct alliance_sum *s, size_t max)
{
	size_t n = 0;

	for (size_t r = 0; r < c->compute.n; r++) {
		const char *a = series_text(&c->compute, r, T_ALLIANCE);
		double h = series_num(&c->compute, r, N_H100E);
		size_t i;

		if (strcmp(series_text(&c->compute, r, T_PERIOD), period) || !a)
			continue;
		for (i = 0; i < n && strcmp(s[i].name, a); i++)
			;
		if (i == n) {
			if (n == max)
				continue;
			s[n++] = (struct alliance_sum){
			    a, series_num(&c->compute, r, N_ALLIANCE), 0, 0, 0};
		}
		s[i].owners++;
		if (isfinite(h))
			s[i].h100e += h;
		else
			s[i].unknown++;
	}
	return n;
}

static double
period_max(const struct compute_view *c, const char *period)
{
	double max = 0;

	for (size_t r = 0; r < c->compute.n; r++) {
		double h = series_num(&c->compute, r, N_H100E);

		if (!strcmp(series_text(&c->compute, r, T_PERIOD), period) &&
		    h > max)
			max = h;
	}
	return max;
}

static int
draw_owners(const struct compute_view *c, const struct canvas *cv, int line,
            const struct alliance_sum *as, size_t nas)
{
	const char *period = c->periods[c->period];
	double max = period_max(c, period);
	int name_w = 14, bar_w = cv->w - name_w - 10 - (cv->w >= 100 ? 31 : 0);
	char num[32];

	for (size_t g = 0; g < nas; g++)
		max = as[g].h100e > max ? as[g].h100e : max;
	text_at(cv, line++, 0, "Owner", cv->w, A_BOLD | A_UNDERLINE);
	for (size_t r = 0; r < c->compute.n; r++) {
		const struct series *s = &c->compute;
		int attr = alliance_attr(series_num(s, r, N_ALLIANCE));

		if (strcmp(series_text(s, r, T_PERIOD), period))
			continue;
		text_at(cv, line, 1, series_text(s, r, T_OWNER), name_w, attr);
		fmt_h100e(num, sizeof(num), series_num(s, r, N_H100E));
		text_at(cv, line, name_w + 2, num, 8, A_NORMAL);
		bar_at(cv, line, name_w + 10, series_num(s, r, N_H100E), max,
		       bar_w, attr);
		if (cv->w >= 100)
			text_at(cv, line, cv->w - 30,
			        series_text(s, r, T_CHIP)
			            ? series_text(s, r, T_CHIP)
			            : "",
			        30, theme_attr(PAIR_DIM));
		line++;
	}
	text_at(cv, line++, 0, "By alliance", cv->w, A_BOLD | A_UNDERLINE);
	for (size_t g = 0; g < nas; g++, line++) {
		text_at(cv, line, 1, as[g].name, name_w,
		        alliance_attr(as[g].rank));
		fmt_h100e(num, sizeof(num), as[g].h100e);
		text_at(cv, line, name_w + 2, num, 8, A_NORMAL);
		bar_at(cv, line, name_w + 10, as[g].h100e, max, bar_w,
		       alliance_attr(as[g].rank));
		if (as[g].unknown) {
			snprintf(num, sizeof(num), "+%zu unknown",
			         as[g].unknown);
			text_at(cv, line, cv->w - 12, num, 12,
			        theme_attr(PAIR_DIM));
		}
	}
	if (!nas)
		text_at(cv, line++, 1, "(no owner in an alliance this period)",
		        cv->w - 1, theme_attr(PAIR_DIM));
	return line;
}

static int
draw_hhi(const struct compute_view *c, const struct canvas *cv, int line)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = c->hhi.n;
	double *v = xcalloc(n + 1, sizeof(double)), lo = 0, hi = 0;
	int y;

	for (size_t i = 0; i < n; i++)
		v[i] = series_num(&c->hhi, i, 0);
	text_at(cv, line++, 0, "Concentration of compute owned (HHI)", cv->w,
	        A_BOLD | A_UNDERLINE);
	if (!n) {
		text_at(cv, line++, 1,
		        "(no period lists two owners with H100e figures)",
		        cv->w - 1, theme_attr(PAIR_DIM));
		free(v);
		return line;
	}
	strbuf_addf(&sb, "%s %.0f", series_text(&c->hhi, 0, 1), v[0]);
	if (n > 1)
		strbuf_addf(&sb, " → %s %.0f", series_text(&c->hhi, n - 1, 1),
		            v[n - 1]);
	text_at(cv, line, 1, sb.buf, cv->w - 1, A_NORMAL);
	y = row_of(cv, line);
	if (y >= 0 && (int)text_width(sb.buf) + 3 < cv->w) {
		int x = (int)text_width(sb.buf) + 3;
		size_t from =
		    n > (size_t)(cv->w - x) ? n - (size_t)(cv->w - x) : 0;

		strbuf_reset(&sb);
		chart_range(v + from, n - from, &lo, &hi);
		chart_spark_str(&sb, v + from, n - from, lo, hi,
		                chart_unicode());
		chart_draw(cv->win, y, x, &sb, A_BOLD);
	}
	free(v);
	strbuf_release(&sb);
	return line + 1;
}

/* Each lab's latest year: deals, undisclosed, own-cloud percent bar. */
static int
draw_dependence(const struct compute_view *c, const struct canvas *cv, int line)
{
	char buf[96];

	text_at(cv, line++, 0,
	        "Labs' compute commitments: share to own alliance's cloud",
	        cv->w, A_BOLD | A_UNDERLINE);
	for (size_t i = 0; i < c->ndep; i++) {
		const struct dependence_rec *d = &c->dep[i];

		if (i + 1 < c->ndep && !strcmp(c->dep[i + 1].lab, d->lab))
			continue; /* the latest year only */
		text_at(cv, line, 1, d->lab, 14, A_NORMAL);
		snprintf(buf, sizeof(buf), "%s %d deals, %d undiscl.",
		         d->period, d->deals, d->undisclosed);
		text_at(cv, line, 16, buf, 27, A_NORMAL);
		if (isfinite(d->dependence_pct)) {
			snprintf(buf, sizeof(buf), "%5.1f%%",
			         d->dependence_pct);
			text_at(cv, line, 44, buf, 6, A_BOLD);
			bar_at(cv, line, 51, d->dependence_pct, 100, cv->w - 51,
			       A_BOLD);
		} else {
			text_at(cv, line, 44,
			        d->alliance ? "no amount disclosed"
			                    : "in no alliance",
			        cv->w - 44, theme_attr(PAIR_DIM));
		}
		line++;
	}
	if (!c->ndep)
		text_at(cv, line++, 1, "(no compute deals recorded)", cv->w - 1,
		        theme_attr(PAIR_DIM));
	text_at(cv, line++, 1,
	        "Source: the deals table (cloud_commitment, compute_supply), "
	        "each deal with its own source: 5 Deals",
	        cv->w - 1, theme_attr(PAIR_DIM));
	return line;
}

/* The sources of the period's rows, each once, with its as-of. */
static int
draw_sources(const struct compute_view *c, const struct canvas *cv, int line)
{
	const char *period = c->periods[c->period];

	for (size_t r = 0; r < c->compute.n; r++) {
		const char *src = series_text(&c->compute, r, T_SOURCE);
		struct strbuf sb = STRBUF_INIT;
		bool seen = false;

		if (strcmp(series_text(&c->compute, r, T_PERIOD), period))
			continue;
		for (size_t k = 0; k < r && !seen; k++)
			seen =
			    !strcmp(series_text(&c->compute, k, T_PERIOD),
			            period) &&
			    src && series_text(&c->compute, k, T_SOURCE) &&
			    !strcmp(series_text(&c->compute, k, T_SOURCE), src);
		if (seen)
			continue;
		strbuf_addf(&sb, "Source: %s (as of %s)",
		            src ? src : "unrecorded",
		            series_text(&c->compute, r, T_AS_OF)
		                ? series_text(&c->compute, r, T_AS_OF)
		                : "—");
		text_at(cv, line++, 1, sb.buf, cv->w - 1, theme_attr(PAIR_DIM));
		strbuf_release(&sb);
	}
	return line;
}

static void
compute_draw(struct view *v, WINDOW *win)
{
	struct compute_view *c = (struct compute_view *)v;
	struct canvas cv = {win, c->scroll, getmaxy(win) - 1, getmaxx(win)};
	struct alliance_sum as[8];
	size_t nas;
	int line = 0;

	werase(win);
	if (!c->nperiods) {
		draw_text(win, 1, 1,
		          "No compute owned recorded (oligo import "
		          "epoch-chip-owners FILE)",
		          cv.w - 2, theme_attr(PAIR_WARN));
		return;
	}
	nas = sum_alliances(c, c->periods[c->period], as, 8);
	{
		char head[96];

		snprintf(head, sizeof(head),
		         "Compute owned (H100e), period %s (%zu/%zu)",
		         c->periods[c->period], c->period + 1, c->nperiods);
		text_at(&cv, line++, 0, head, cv.w, A_BOLD);
	}
	line = draw_owners(c, &cv, line, as, nas);
	line = draw_sources(c, &cv, line);
	line = draw_hhi(c, &cv, line + 1);
	draw_dependence(c, &cv, line + 1);
	draw_text(win, cv.h, 0, "[ ] period  j/k scroll  e exports compute",
	          cv.w, theme_attr(PAIR_DIM));
}

static bool
compute_key(struct view *v, enum action a, int page)
{
	struct compute_view *c = (struct compute_view *)v;

	switch (a) {
	case ACTION_PERIOD_PREV:
	case ACTION_PERIOD_NEXT:
		if (!c->nperiods)
			return false;
		if (a == ACTION_PERIOD_PREV && c->period)
			c->period--;
		else if (a == ACTION_PERIOD_NEXT && c->period + 1 < c->nperiods)
			c->period++;
		free(c->want);
		c->want = xstrdup(c->periods[c->period]);
		return true;
	case ACTION_DOWN:
		c->scroll++;
		return true;
	case ACTION_UP:
		c->scroll -= c->scroll > 0;
		return true;
	case ACTION_FIRST:
		c->scroll = 0;
		return true;
	default:
		return false;
	}
}

static const struct view_def *
compute_query(struct view *v, struct view_filter *f)
{
	memset(f, 0, sizeof(*f));
	return view_find("compute");
}

static struct view *
compute_create(const struct view_ops *ops)
{
	struct compute_view *c = xcalloc(1, sizeof(*c));

	c->base.ops = ops;
	return &c->base;
}

static void
compute_free(struct view *v)
{
	struct compute_view *c = (struct compute_view *)v;

	compute_clear(c);
	free(c->want);
	free(c);
}

const struct view_ops compute_view_ops = {
    .name = "compute",
    .title = "Compute",
    .create = compute_create,
    .load = compute_load,
    .draw = compute_draw,
    .key = compute_key,
    .free = compute_free,
    .query = compute_query,
};
