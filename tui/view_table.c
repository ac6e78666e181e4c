/*
 * A table view over a registered db view: the same rows and columns
 * `oligo export NAME` writes, formatted for the screen.
 */
#include <stdlib.h>
#include <string.h>

#include "db/view.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "tui/draw.h"
#include "tui/view.h"

struct table_view {
	struct view base;
	const struct view_def *def;
	char **cells; /* nrows x ncols, formatted */
	size_t nrows;
	size_t sel, top;
	size_t hcol; /* first column shown */
};

static void
clear_cells(struct table_view *t)
{
	for (size_t i = 0; i < t->nrows * t->def->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}

static struct view *
table_create(const struct view_ops *ops)
{
	struct table_view *t = xcalloc(1, sizeof(*t));

	t->base.ops = ops;
	t->def = view_find(ops->name);
	return &t->base;
}

static enum status
table_load(struct view *v, struct db *db)
{
	struct table_view *t = (struct table_view *)v;
	size_t ncols = t->def->ncols, alloc = 0;
	struct view_cursor *c;
	enum status rc;
	bool row;

	clear_cells(t);
	if ((rc = view_open(db, t->def, NULL, &c)))
		return rc;
	while (!(rc = view_step(c, &row)) && row) {
		if (t->nrows == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			t->cells = xreallocarray(t->cells, alloc * ncols,
						 sizeof(char *));
		}
		for (size_t i = 0; i < ncols; i++) {
			struct strbuf sb = STRBUF_INIT;

			view_format(&sb, &t->def->cols[i], c, i);
			t->cells[t->nrows * ncols + i] = strbuf_detach(&sb, NULL);
		}
		t->nrows++;
	}
	view_close(c);
	if (t->sel >= t->nrows)
		t->sel = t->nrows ? t->nrows - 1 : 0;
	return rc;
}

static void
table_draw(struct view *v, WINDOW *win)
{
	struct table_view *t = (struct table_view *)v;
	int h = getmaxy(win), w = getmaxx(win);
	int rows = h - 1;

	werase(win);
	if (t->sel < t->top)
		t->top = t->sel;
	if (rows > 0 && t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
	for (int y = -1; y < rows; y++) {
		size_t r = t->top + (size_t)y;
		int x = 0;
		int attr = y < 0 ? (int)(A_BOLD | A_UNDERLINE)
			 : r == t->sel ? theme_attr(PAIR_SELECTED) : (int)A_NORMAL;

		if (y >= 0 && r >= t->nrows)
			break;
		for (size_t i = t->hcol; i < t->def->ncols && x < w; i++) {
			const struct view_col *col = &t->def->cols[i];
			const char *s = y < 0 ? col->title
					      : t->cells[r * t->def->ncols + i];
			int cw = col->width < w - x ? col->width : w - x;

			if (r == t->sel && y >= 0)
				mvwchgat(win, y + 1, 0, -1, attr, 0, NULL);
			draw_text(win, y + 1, x, s, cw, attr);
			x += col->width + 1;
		}
	}
	if (!t->nrows)
		draw_text(win, 2, 1, "(no rows yet)", w - 2, theme_attr(PAIR_DIM));
}

static bool
table_key(struct view *v, enum action a, int page)
{
	struct table_view *t = (struct table_view *)v;
	size_t last = t->nrows ? t->nrows - 1 : 0;
	size_t step = page > 1 ? (size_t)page - 1 : 1;

	switch (a) {
	case ACTION_DOWN: t->sel = t->sel < last ? t->sel + 1 : last; break;
	case ACTION_UP: t->sel = t->sel ? t->sel - 1 : 0; break;
	case ACTION_PAGE_DOWN:
		t->sel = t->sel + step < last ? t->sel + step : last;
		break;
	case ACTION_PAGE_UP: t->sel = t->sel > step ? t->sel - step : 0; break;
	case ACTION_FIRST: t->sel = 0; break;
	case ACTION_LAST: t->sel = last; break;
	case ACTION_LEFT: t->hcol = t->hcol ? t->hcol - 1 : 0; break;
	case ACTION_RIGHT:
		if (t->hcol + 1 < t->def->ncols)
			t->hcol++;
		break;
	default: return false;
	}
	return true;
}

static void
table_free(struct view *v)
{
	struct table_view *t = (struct table_view *)v;

	clear_cells(t);
	free(t);
}

#define TABLE_OPS(id, title_)                                                  \
	{.name = #id, .title = title_, .create = table_create,                 \
	 .load = table_load, .draw = table_draw, .key = table_key,             \
	 .free = table_free}

static const struct view_ops table_ops[] = {
	TABLE_OPS(markets, "Markets"),   TABLE_OPS(compute, "Compute"),
	TABLE_OPS(ownership, "Ownership"), TABLE_OPS(deals, "Deals"),
	TABLE_OPS(cases, "Cases"),       TABLE_OPS(news, "News"),
	TABLE_OPS(filings, "Filings"),   TABLE_OPS(sources, "Sources"),
};

const struct view_ops *
table_view_ops(const char *name)
{
	for (size_t i = 0; i < sizeof(table_ops) / sizeof(table_ops[0]); i++)
		if (!strcmp(table_ops[i].name, name))
			return &table_ops[i];
	return NULL;
}
