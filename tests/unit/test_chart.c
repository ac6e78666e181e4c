/*
 * tui/chart: the strings behind bars, sparklines and the heat scale, for
 * given values and widths, in Unicode and in the ASCII fallback.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "lib/strbuf.h"
#include "tui/chart.h"

static char *
bar(double v, double max, int width, bool unicode, int *cells)
{
	struct strbuf sb = STRBUF_INIT;

	*cells = chart_bar_str(&sb, v, max, width, unicode);
	return strbuf_detach(&sb, NULL);
}

static void
expect_bar(double v, double max, int width, bool unicode, const char *want,
           int want_cells)
{
	int cells;
	char *s = bar(v, max, width, unicode, &cells);

	cr_expect_str_eq(s, want, "bar(%g, %g, %d)", v, max, width);
	cr_expect_eq(cells, want_cells, "bar(%g, %g, %d) cells", v, max, width);
	free(s);
}

Test(chart, bar_eighths)
{
	expect_bar(100, 100, 4, true, "████", 4);
	expect_bar(50, 100, 4, true, "██", 2);
	expect_bar(50, 100, 5, true, "██▌", 3);     /* 2.5 cells */
	expect_bar(10, 80, 1, true, "▏", 1);        /* 1/8 */
	expect_bar(70, 80, 1, true, "▉", 1);        /* 7/8 */
	expect_bar(79.9, 80, 1, true, "█", 1);      /* rounds up to full */
	expect_bar(0.001, 100, 10, true, "▏", 1);   /* above 0 shows */
	expect_bar(0, 100, 10, true, "", 0);        /* zero shows nothing */
	expect_bar(NAN, 100, 10, true, "", 0);      /* unknown shows nothing */
	expect_bar(150, 100, 3, true, "███", 3);    /* cut at width */
	expect_bar(10, 0, 3, true, "", 0);          /* no scale */
	expect_bar(50, 100, 0, true, "", 0);        /* no room */
	expect_bar(37.5, 100, 8, true, "███", 3);   /* exact cells */
	expect_bar(33.3, 100, 10, true, "███▍", 4); /* 3.33: 3 + 3/8 */
}

Test(chart, bar_ascii)
{
	expect_bar(50, 100, 5, false, "##+", 3);
	expect_bar(100, 100, 3, false, "###", 3);
	expect_bar(0.01, 100, 3, false, "+", 1);
}

static char *
spark(const double *v, size_t n, bool unicode)
{
	struct strbuf sb = STRBUF_INIT;
	double lo = 0, hi = 0;

	chart_range(v, n, &lo, &hi);
	chart_spark_str(&sb, v, n, lo, hi, unicode);
	return strbuf_detach(&sb, NULL);
}

Test(chart, sparkline)
{
	double up[] = {0, 1, 2, 3, 4, 5, 6, 7};
	double gap[] = {1000, NAN, NAN, 3000};
	double flat[] = {5, 5, 5};
	char *s;

	s = spark(up, 8, true);
	cr_expect_str_eq(s, "▁▂▃▄▅▆▇█");
	free(s);
	s = spark(up, 8, false);
	cr_expect_str_eq(s, "_.,-=+*#");
	free(s);
	s = spark(gap, 4, true); /* two gaps stay two blanks */
	cr_expect_str_eq(s, "▁  █");
	free(s);
	s = spark(flat, 3, true);
	cr_expect_str_eq(s, "▄▄▄");
	free(s);
}

Test(chart, range)
{
	double v[] = {NAN, 3, -1, INFINITY, 2};
	double none[] = {NAN, NAN};
	double lo, hi;

	cr_assert(chart_range(v, 5, &lo, &hi));
	cr_expect_eq(lo, -1);
	cr_expect_eq(hi, 3);
	cr_expect_not(chart_range(none, 2, &lo, &hi));
	cr_expect_not(chart_range(v, 0, &lo, &hi));
}

Test(chart, heat_levels)
{
	cr_expect_eq(chart_heat_level(NAN), -1);
	cr_expect_eq(chart_heat_level(0), 0);
	cr_expect_eq(chart_heat_level(0.01), 1);
	cr_expect_eq(chart_heat_level(0.05), 2); /* bounds are upper, open */
	cr_expect_eq(chart_heat_level(0.19), 2);
	cr_expect_eq(chart_heat_level(0.3), 3);
	cr_expect_eq(chart_heat_level(0.99), 4);
	cr_expect_eq(chart_heat_level(1), 5); /* the diagonal */
	cr_expect_eq(chart_heat_level(1.7), 5);
	cr_expect_str_eq(chart_heat_label(0), "0");
	cr_expect_str_eq(chart_heat_label(CHART_HEAT_LEVELS - 1), ">=1");
	/* every label's bound is above the previous one */
	for (int l = 1; l < CHART_HEAT_LEVELS; l++)
		cr_expect_gt(chart_heat_bound(l), chart_heat_bound(l - 1));
}
