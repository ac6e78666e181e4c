#include "tui/chart.h"

#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Eighths of a cell, 1/8 to 7/8, and the sparkline's eight levels. */
static const char *const eighths[] = {"▏", "▎", "▍", "▌", "▋", "▊", "▉"};
static const char *const levels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
static const char ascii_levels[] = "_.,-=+*#";

/* Heat colour pairs sit above the theme's (tui/draw.h). */
#define HEAT_PAIR0 32

bool
chart_unicode(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && !strcmp(cs, "UTF-8");
}

int
chart_bar_str(struct strbuf *out, double value, double max, int width,
              bool unicode)
{
	double cells;
	int full, rem;

	if (!(value > 0) || !(max > 0) || width <= 0)
		return 0;
	cells = value >= max ? width : value / max * width;
	full = (int)cells;
	rem = (int)lround((cells - full) * 8);
	if (rem == 8) {
		full++;
		rem = 0;
	}
	if (!full && !rem)
		rem = 1; /* above 0: a sliver */
	if (full + (rem > 0) > width)
		rem = 0;
	for (int i = 0; i < full; i++)
		strbuf_adds(out, unicode ? "█" : "#");
	if (rem)
		strbuf_adds(out, unicode ? eighths[rem - 1] : "+");
	return full + (rem > 0);
}

bool
chart_range(const double *v, size_t n, double *lo, double *hi)
{
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (!any || v[i] < *lo)
			*lo = v[i];
		if (!any || v[i] > *hi)
			*hi = v[i];
		any = true;
	}
	return any;
}

void
chart_spark_str(struct strbuf *out, const double *v, size_t n, double lo,
                double hi, bool unicode)
{
	for (size_t i = 0; i < n; i++) {
		int l;

		if (!isfinite(v[i])) {
			strbuf_addch(out, ' ');
			continue;
		}
		if (hi <= lo)
			l = 3;
		else
			l = (int)lround((v[i] - lo) / (hi - lo) * 7);
		l = l < 0 ? 0 : l > 7 ? 7 : l;
		if (unicode)
			strbuf_adds(out, levels[l]);
		else
			strbuf_addch(out, ascii_levels[l]);
	}
}

static const double heat_bounds[CHART_HEAT_LEVELS] = {0,   0.05, 0.2,
                                                      0.5, 1,    INFINITY};
static const char *const heat_labels[CHART_HEAT_LEVELS] = {
    "0", "<0.05", "<0.2", "<0.5", "<1", ">=1"};

int
chart_heat_level(double v)
{
	if (isnan(v))
		return -1;
	if (v <= 0)
		return 0;
	for (int l = 1; l < CHART_HEAT_LEVELS - 1; l++)
		if (v < heat_bounds[l])
			return l;
	return CHART_HEAT_LEVELS - 1;
}

double
chart_heat_bound(int level)
{
	return level >= 0 && level < CHART_HEAT_LEVELS ? heat_bounds[level]
	                                               : NAN;
}

const char *
chart_heat_label(int level)
{
	return level >= 0 && level < CHART_HEAT_LEVELS ? heat_labels[level]
	                                               : "?";
}

bool
chart_heat_colour(void)
{
	static int inited;
	static const short bg[CHART_HEAT_LEVELS] = {
	    -1, COLOR_BLUE, COLOR_CYAN, COLOR_GREEN, COLOR_YELLOW, COLOR_RED};
	const char *nc = getenv("NO_COLOR");
	bool on = has_colors() && !(nc && *nc) && COLOR_PAIRS > HEAT_PAIR0 + 8;

	if (on && !inited) {
		for (int l = 0; l < CHART_HEAT_LEVELS; l++)
			init_pair((short)(HEAT_PAIR0 + l), l ? COLOR_BLACK : -1,
			          bg[l]);
		inited = 1;
	}
	return on;
}

void
chart_draw(WINDOW *w, int y, int x, const struct strbuf *s, int attr)
{
	if (!s->len)
		return;
	wattron(w, attr);
	mvwaddstr(w, y, x, s->buf);
	wattroff(w, attr);
}

void
chart_heat_cell(WINDOW *w, int y, int x, int width, double v)
{
	int l = chart_heat_level(v), attr = A_NORMAL;
	char num[32];
	int n;

	if (width <= 0)
		return;
	if (l < 0)
		snprintf(num, sizeof(num), "—");
	else
		snprintf(num, sizeof(num), "%.*f", width >= 5 ? 3 : 2, v);
	n = (int)strlen(num);
	if (l >= 0 && chart_heat_colour())
		attr = (int)COLOR_PAIR(HEAT_PAIR0 + l);
	else if (l >= 3)
		attr = A_BOLD;
	wattron(w, attr);
	mvwhline(w, y, x, ' ', width);
	if (l < 0 || n <= width)
		mvwaddstr(w, y, x + (l < 0 || n > width ? 0 : width - n), num);
	wattroff(w, attr);
}

int
chart_heat_legend(WINDOW *w, int y, int x, int width)
{
	bool colour = chart_heat_colour();
	const char *k = chart_unicode() ? "κ" : "kappa";
	char head[64];
	int used;

	snprintf(head, sizeof(head), "%s %s", k,
	         colour ? "scale:" : "as numbers, bold from 0.2:");
	used = (int)strlen(head) - (chart_unicode() ? 1 : 0); /* κ: 1 col */
	if (width < used)
		return 0;
	mvwaddstr(w, y, x, head);
	for (int l = 0; colour && l < CHART_HEAT_LEVELS; l++) {
		const char *lab = chart_heat_label(l);
		int n = (int)strlen(lab) + 2;

		if (used + 1 + n > width)
			break;
		wattron(w, COLOR_PAIR(HEAT_PAIR0 + l));
		mvwprintw(w, y, x + used + 1, " %s ", lab);
		wattroff(w, COLOR_PAIR(HEAT_PAIR0 + l));
		used += 1 + n;
	}
	return used;
}
