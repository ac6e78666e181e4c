#include "tui/draw.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/text.h"

static bool colour;

void
theme_init(void)
{
	const char *nc = getenv("NO_COLOR");

	colour = has_colors() && !(nc && *nc);
	if (!colour)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_STATUS, COLOR_BLACK, COLOR_WHITE);
	init_pair(PAIR_DIM, COLOR_BLUE, -1);
	init_pair(PAIR_ALLIANCE0, COLOR_CYAN, -1);
	init_pair(PAIR_ALLIANCE1, COLOR_GREEN, -1);
	init_pair(PAIR_ALLIANCE2, COLOR_YELLOW, -1);
	init_pair(PAIR_WARN, COLOR_RED, -1);
	init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_YELLOW);
}

int
theme_attr(enum theme_pair p)
{
	if (colour)
		return (int)COLOR_PAIR(p) |
		       (p >= PAIR_ALLIANCE0 && p <= PAIR_ALLIANCE2 ? A_BOLD : 0);
	switch (p) {
	case PAIR_TITLE:
	case PAIR_STATUS:
	case PAIR_SELECTED:
		return A_REVERSE;
	case PAIR_ALLIANCE0:
	case PAIR_ALLIANCE1:
	case PAIR_ALLIANCE2:
	case PAIR_WARN:
		return A_BOLD;
	case PAIR_DIM:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

int
draw_text(WINDOW *w, int y, int x, const char *s, int width, int attr)
{
	struct strbuf clean = STRBUF_INIT, fit = STRBUF_INIT;
	int used;

	if (width <= 0 || !s)
		return 0;
	text_sanitize(&clean, s, strlen(s), TEXT_LINE, 4096);
	used = (int)text_fit(&fit, clean.buf, (size_t)width);
	wattron(w, attr);
	mvwaddstr(w, y, x, fit.buf);
	wattroff(w, attr);
	strbuf_release(&clean);
	strbuf_release(&fit);
	return used;
}

int
draw_textf(WINDOW *w, int y, int x, int width, int attr, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int used;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	used = draw_text(w, y, x, sb.buf, width, attr);
	strbuf_release(&sb);
	return used;
}
