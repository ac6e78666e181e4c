#ifndef OLIGO_TUI_CHART_H
#define OLIGO_TUI_CHART_H

/*
 * Charts drawn with Unicode blocks: horizontal bars in eighths of a cell,
 * sparklines, and a heatmap colour scale.  No database access.  The
 * chart_*_str() functions only build strings (unit-tested); the draw
 * functions put them on a window.  Chart strings are made here from
 * numbers, never from data text, so they are drawn without the
 * sanitizer (which would collapse the blanks a sparkline's gaps need).
 *
 * When the locale is not UTF-8 every chart falls back to ASCII:
 * bars of '#' (a partial cell '+'), sparklines from "_.,-=+*#".
 */

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

/* Whether the locale's codeset is UTF-8 (call after setlocale()). */
bool chart_unicode(void);

/*
 * A bar value/max of width cells, appended to out: full blocks then one
 * of ▏▎▍▌▋▊▉ for the remaining eighths.  A value above 0 always shows
 * at least ▏ (a sliver says "small", nothing says "none").  NaN, a
 * value <= 0 or max <= 0 appends nothing; value > max is cut at width.
 * Returns the cells used.
 */
int chart_bar_str(struct strbuf *out, double value, double max, int width,
                  bool unicode);

/*
 * A sparkline of n values, one cell each, scaled between lo and hi
 * (▁ at lo, █ at hi; all at ▄ when hi <= lo); NaN is a blank gap.
 * Appended to out.
 */
void chart_spark_str(struct strbuf *out, const double *v, size_t n, double lo,
                     double hi, bool unicode);

/* The finite minimum and maximum of v; false when there is none. */
bool chart_range(const double *v, size_t n, double *lo /* OUT */,
                 double *hi /* OUT */);

/*
 * The heatmap scale: CHART_HEAT_LEVELS steps, level 0 for exactly 0,
 * then by the upper bounds chart_heat_bound() (the last step is >= 1,
 * e.g. a kappa diagonal).  NaN is -1.
 */
#define CHART_HEAT_LEVELS 6
int chart_heat_level(double v);
double chart_heat_bound(int level); /* upper bound; INFINITY for the last */
/* The legend label of a level: "0", "<0.05", … ">=1"; static storage. */
const char *chart_heat_label(int level);

/* Whether heat cells are coloured (colours and no $NO_COLOR). */
bool chart_heat_colour(void);

/* Draw out's chart string at (y, x) with attr. */
void chart_draw(WINDOW *w, int y, int x, const struct strbuf *s, int attr);

/*
 * One heat cell of width columns at (y, x): in colour, the level's
 * background with the value in it when it fits; in monochrome the value
 * alone ("0.14"), bold from level 3 up.  NaN draws "—".
 */
void chart_heat_cell(WINDOW *w, int y, int x, int width, double v);

/* The legend, one row from (y, x) in at most width columns; returns the
 * columns used. */
int chart_heat_legend(WINDOW *w, int y, int x, int width);

#endif
