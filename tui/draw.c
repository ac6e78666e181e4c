#include "tui/draw.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/text.h"
#include "lib/xalloc.h"

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
		       (p >= PAIR_ALLIANCE0 && p <= PAIR_ALLIANCE2 ? A_BOLD
		                                                   : 0);
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

/* Bytes of s that fit in width columns, preferring to end at a space;
 * at least one code point so a line always advances. */
static size_t
wrap_len(const char *s, int width)
{
	struct strbuf pre = STRBUF_INIT;
	size_t len = strlen(s), i = 0, space = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = text_utf8_decode(s + i, len - i, &cp);

		strbuf_add(&pre, s + i, n);
		if (i && text_width(pre.buf) > (size_t)width)
			break;
		i += n;
		if (cp == ' ')
			space = i;
	}
	strbuf_release(&pre);
	return i < len && space ? space : i;
}

int
draw_wrapped(WINDOW *w, int y, int x, const char *s, int width, int ymax,
             int attr)
{
	struct strbuf clean = STRBUF_INIT;
	const char *p;

	if (width <= 0 || !s)
		return y;
	text_sanitize(&clean, s, strlen(s), TEXT_LINE, 4096);
	p = clean.buf;
	do {
		size_t n = wrap_len(p, width);
		char *line = xstrndup(p, n);

		if (y >= 0 && y < ymax)
			draw_text(w, y, x, line, width, attr);
		free(line);
		p += n;
		while (*p == ' ')
			p++;
		y++;
	} while (*p && y < ymax);
	strbuf_release(&clean);
	return y;
}
