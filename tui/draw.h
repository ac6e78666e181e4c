#ifndef OLIGO_TUI_DRAW_H
#define OLIGO_TUI_DRAW_H

/*
 * Drawing helpers and the colour theme.  Every string from the database
 * is sanitized again here before it reaches the terminal (the ingester
 * already cleaned it; this is the second wall), then cut to the display
 * width without splitting a wide character.
 */

#include <curses.h>

enum theme_pair {
	PAIR_NONE,
	PAIR_TITLE,
	PAIR_STATUS,
	PAIR_DIM,
	PAIR_ALLIANCE0, /* Microsoft/OpenAI, then the next two */
	PAIR_ALLIANCE1,
	PAIR_ALLIANCE2,
	PAIR_WARN,
	PAIR_SELECTED,
};

/* Start colours unless the terminal has none or $NO_COLOR is set. */
void theme_init(void);

/* Attributes for a pair; in monochrome, bold/reverse stand in. */
int theme_attr(enum theme_pair p);

/* Draw s at (y, x) in at most width columns; returns columns used. */
int draw_text(WINDOW *w, int y, int x, const char *s, int width, int attr);

/*
 * Draw s wrapped at word boundaries into width columns from line y on,
 * skipping lines above 0 (a scrolled pane) and stopping before ymax.
 * Returns the line after the last one s took, drawn or not.
 */
int draw_wrapped(WINDOW *w, int y, int x, const char *s, int width, int ymax,
                 int attr);

/* Same with printf formatting. */
int draw_textf(WINDOW *w, int y, int x, int width, int attr, const char *fmt,
               ...) __attribute__((format(printf, 6, 7)));

#endif
