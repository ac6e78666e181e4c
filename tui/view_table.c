/*
 * A table view over a registered db view: the same rows and columns
 * `oligo export NAME` writes, formatted for the screen, with search,
 * an alliance filter, a sort and a detail pane of the selected row.
 *
 * Only the first TABLE_CAP rows are held: News and Filings may have a
 * million rows, and the views' default sorts follow an index, so reading
 * a page costs milliseconds while reading everything costs seconds and
 * hundreds of megabytes.  A footer says when rows were left out; search
 * and filters narrow the rest.  (Keyset pagination needs a page API in
 * db/view.h; see the issue.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/view.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "tui/draw.h"
#include "tui/view.h"

#define TABLE_CAP     2000
#define MAX_ALLIANCES 8

struct table_view {
	struct view base;
	const struct view_def *def;
	char **cells; /* nrows x ncols, formatted */
	size_t nrows;
	bool capped; /* more rows exist than are held */
	size_t sel, top;
	size_t hcol; /* first column shown */
	bool detail;
	int detail_top;
	char *search; /* as typed; NULL: none */
	int alliance; /* index into alliances, -1: all */
	int sort;     /* column index, -1: the view's default */
	char sort_arg[64];
	char *alliances[MAX_ALLIANCES];
	size_t nalliances;
	int key_col; /* identifies a row across reloads; -1: whole row */
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

static const char *
cell(const struct table_view *t, size_t r, size_t c)
{
	return t->cells[r * t->def->ncols + c];
}

/* The column that names a row for good: a link, url or accession
 * number survives new rows arriving above it and re-tagging. */
static int
find_key_col(const struct view_def *def)
{
	static const char *const names[] = {"accession", "link", "url"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int c = view_col_index(def, names[i]);

		if (c >= 0)
			return c;
	}
	return -1;
}

static struct view *
table_create(const struct view_ops *ops)
{
	struct table_view *t = xcalloc(1, sizeof(*t));

	t->base.ops = ops;
	t->def = view_find(ops->name);
	t->alliance = -1;
	t->sort = -1;
	t->key_col = find_key_col(t->def);
	return &t->base;
}

static void
row_key(struct strbuf *out, const struct table_view *t, size_t r)
{
	strbuf_reset(out);
	for (size_t i = 0; i < t->def->ncols; i++) {
		if (t->key_col >= 0 && (int)i != t->key_col && i)
			continue;
		strbuf_adds(out, cell(t, r, i));
		strbuf_addch(out, '\x1f');
	}
}

/* After a reload, put the selection back on the row it was on. */
static void
reselect(struct table_view *t, const char *key)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t r = 0; key && r < t->nrows; r++) {
		row_key(&sb, t, r);
		if (!strcmp(sb.buf, key)) {
			t->sel = r; /* top stays: rows arriving above show */
			break;
		}
	}
	strbuf_release(&sb);
	if (t->sel >= t->nrows)
		t->sel = t->nrows ? t->nrows - 1 : 0;
	if (t->top > t->sel)
		t->top = t->sel;
}

static void
make_filter(const struct table_view *t, struct view_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->search = t->search;
	if (t->alliance >= 0)
		f->alliance = t->alliances[t->alliance];
	if (t->sort >= 0)
		f->sort = t->sort_arg;
}

/* The alliances a filter cycles through, as the Landscape names them. */
static void
load_alliances(struct table_view *t, struct db *db)
{
	const struct view_def *land = view_find("landscape");
	int col = land ? view_col_index(land, "alliance") : -1;
	struct view_cursor *c;
	bool row;

	if (t->nalliances || !t->def->alliance_col || col < 0 ||
	    view_open(db, land, NULL, &c))
		return;
	while (!view_step(c, &row) && row) {
		const char *a = view_text(c, (size_t)col);
		bool seen = !a || !strcmp(a, "Other");

		for (size_t i = 0; !seen && i < t->nalliances; i++)
			seen = !strcmp(t->alliances[i], a);
		if (!seen && t->nalliances < MAX_ALLIANCES)
			t->alliances[t->nalliances++] = xstrdup(a);
	}
	view_close(c);
}

static void
add_row(struct table_view *t, struct view_cursor *c, size_t *alloc)
{
	size_t ncols = t->def->ncols;

	if (t->nrows == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		t->cells =
		    xreallocarray(t->cells, *alloc * ncols, sizeof(char *));
	}
	for (size_t i = 0; i < ncols; i++) {
		struct strbuf sb = STRBUF_INIT;

		view_format(&sb, &t->def->cols[i], c, i);
		t->cells[t->nrows * ncols + i] = strbuf_detach(&sb, NULL);
	}
	t->nrows++;
}

static enum status
table_load(struct view *v, struct db *db)
{
	struct table_view *t = (struct table_view *)v;
	struct strbuf key = STRBUF_INIT;
	struct view_filter f;
	struct view_cursor *c;
	size_t alloc = 0;
	enum status rc;
	/* On the first row the user is following the head, as in tail -f:
	 * stay there so new rows show; elsewhere keep the row. */
	bool row, had = t->nrows > 0 && t->sel > 0;

	load_alliances(t, db);
	if (had)
		row_key(&key, t, t->sel);
	clear_cells(t);
	t->capped = false;
	make_filter(t, &f);
	if ((rc = view_open(db, t->def, &f, &c))) {
		strbuf_release(&key);
		return rc;
	}
	while (!(rc = view_step(c, &row)) && row) {
		if (t->nrows == TABLE_CAP) {
			t->capped = true;
			break;
		}
		add_row(t, c, &alloc);
	}
	view_close(c); /* no read transaction held while waiting for keys */
	reselect(t, had ? key.buf : NULL);
	strbuf_release(&key);
	return rc;
}

static void
draw_footer(struct table_view *t, WINDOW *win, int y, int w)
{
	struct strbuf sb = STRBUF_INIT;

	if (t->search)
		strbuf_addf(&sb, "search: %s   ", t->search);
	if (t->alliance >= 0)
		strbuf_addf(&sb, "alliance: %s   ", t->alliances[t->alliance]);
	if (t->sort >= 0)
		strbuf_addf(&sb, "sort: %s   ", t->sort_arg);
	if (t->capped)
		strbuf_addf(&sb,
		            "showing the first %d rows; / searches, f filters",
		            TABLE_CAP);
	else
		strbuf_addf(&sb, "rows: %zu", t->nrows);
	draw_text(win, y, 0, sb.buf, w, theme_attr(PAIR_DIM));
	strbuf_release(&sb);
}

static void
draw_row(struct table_view *t, WINDOW *win, int y, size_t r, int w)
{
	int attr = y < 0         ? (int)(A_BOLD | A_UNDERLINE)
	           : r == t->sel ? theme_attr(PAIR_SELECTED)
	                         : (int)A_NORMAL;
	int x = 0;

	if (y >= 0 && r == t->sel)
		mvwchgat(win, y + 1, 0, -1, attr, 0, NULL);
	for (size_t i = t->hcol; i < t->def->ncols && x < w; i++) {
		const struct view_col *col = &t->def->cols[i];
		const char *s = y < 0 ? col->title : cell(t, r, i);
		int cw = col->width < w - x ? col->width : w - x;

		draw_text(win, y + 1, x, s, cw, attr);
		x += col->width + 1;
	}
}

/* Every column of the selected row, one per paragraph, wrapped. */
static void
draw_detail(struct table_view *t, WINDOW *win, int h, int w)
{
	int y = -t->detail_top;

	werase(win);
	for (size_t i = 0; i < t->def->ncols && y < h - 1; i++) {
		const struct view_col *col = &t->def->cols[i];

		if (y >= 0)
			draw_text(win, y, 1, col->title, w - 2, A_BOLD);
		y = draw_wrapped(win, y + 1, 3, cell(t, t->sel, i), w - 4,
		                 h - 1, A_NORMAL) +
		    1;
	}
	draw_text(win, h - 1, 0, "Esc closes  o opens the link", w,
	          theme_attr(PAIR_DIM));
}

static void
table_draw(struct view *v, WINDOW *win)
{
	struct table_view *t = (struct table_view *)v;
	int h = getmaxy(win), w = getmaxx(win);
	int rows = h - 2; /* header and footer */

	if (t->detail && t->nrows)
		return draw_detail(t, win, h, w);
	werase(win);
	if (t->sel < t->top)
		t->top = t->sel;
	if (rows > 0 && t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
	draw_row(t, win, -1, 0, w);
	for (int y = 0; y < rows && t->top + (size_t)y < t->nrows; y++)
		draw_row(t, win, y, t->top + (size_t)y, w);
	if (!t->nrows)
		draw_text(win, 2, 1,
		          t->search || t->alliance >= 0 ? "(no rows match)"
		                                        : "(no rows yet)",
		          w - 2, theme_attr(PAIR_DIM));
	if (h > 2)
		draw_footer(t, win, h - 1, w);
}

/* s: default, then each column (dates and numbers newest/largest
 * first), then default again. */
static void
next_sort(struct table_view *t)
{
	const struct view_col *col;

	if (++t->sort >= (int)t->def->ncols) {
		t->sort = -1;
		snprintf(t->base.msg, sizeof(t->base.msg), "sort: default");
		return;
	}
	col = &t->def->cols[t->sort];
	snprintf(t->sort_arg, sizeof(t->sort_arg), "%s%s",
	         col->type == COL_TEXT ? "" : "-", col->name);
	snprintf(t->base.msg, sizeof(t->base.msg), "sort: %s", t->sort_arg);
}

static void
next_alliance(struct table_view *t)
{
	if (!t->def->alliance_col || !t->nalliances) {
		snprintf(t->base.msg, sizeof(t->base.msg),
		         "%s cannot be filtered by alliance", t->def->title);
		return;
	}
	if (++t->alliance >= (int)t->nalliances)
		t->alliance = -1;
	snprintf(t->base.msg, sizeof(t->base.msg), "alliance: %s",
	         t->alliance < 0 ? "all" : t->alliances[t->alliance]);
	t->base.reload = true;
}

static bool
detail_key(struct table_view *t, enum action a)
{
	switch (a) {
	case ACTION_CLOSE:
		t->detail = false;
		break;
	case ACTION_DOWN:
		t->detail_top++;
		break;
	case ACTION_UP:
		t->detail_top -= t->detail_top > 0;
		break;
	default:
		return false;
	}
	return true;
}

static bool
move_key(struct table_view *t, enum action a, int page)
{
	size_t last = t->nrows ? t->nrows - 1 : 0;
	size_t step = page > 2 ? (size_t)page - 2 : 1;

	switch (a) {
	case ACTION_DOWN:
		t->sel = t->sel < last ? t->sel + 1 : last;
		break;
	case ACTION_UP:
		t->sel = t->sel ? t->sel - 1 : 0;
		break;
	case ACTION_PAGE_DOWN:
		t->sel = t->sel + step < last ? t->sel + step : last;
		break;
	case ACTION_PAGE_UP:
		t->sel = t->sel > step ? t->sel - step : 0;
		break;
	case ACTION_FIRST:
		t->sel = 0;
		break;
	case ACTION_LAST:
		t->sel = last;
		break;
	case ACTION_LEFT:
		t->hcol = t->hcol ? t->hcol - 1 : 0;
		break;
	case ACTION_RIGHT:
		t->hcol += t->hcol + 1 < t->def->ncols;
		break;
	default:
		return false;
	}
	return true;
}

static bool
table_key(struct view *v, enum action a, int page)
{
	struct table_view *t = (struct table_view *)v;

	if (t->detail && detail_key(t, a))
		return true;
	switch (a) {
	case ACTION_OPEN_DETAIL:
		t->detail = t->nrows > 0;
		t->detail_top = 0;
		return true;
	case ACTION_CLOSE:
		if (t->search)
			return v->ops->search(v, "");
		return false;
	case ACTION_SORT:
		next_sort(t);
		t->base.reload = true;
		return true;
	case ACTION_FILTER:
		next_alliance(t);
		return true;
	default:
		return move_key(t, a, page);
	}
}

static bool
table_search(struct view *v, const char *text)
{
	struct table_view *t = (struct table_view *)v;

	if (!t->def->searchable)
		return false;
	free(t->search);
	t->search = text && *text ? xstrdup(text) : NULL;
	t->sel = t->top = 0;
	t->detail = false;
	v->reload = true;
	return true;
}

static const struct view_def *
table_query(struct view *v, struct view_filter *f)
{
	struct table_view *t = (struct table_view *)v;

	make_filter(t, f);
	return t->def;
}

static const char *
table_link(struct view *v)
{
	struct table_view *t = (struct table_view *)v;
	int c = view_col_index(t->def, "link");

	if (c < 0)
		c = view_col_index(t->def, "url");
	if (c < 0 || !t->nrows)
		return NULL;
	return cell(t, t->sel, (size_t)c);
}

static void
table_free(struct view *v)
{
	struct table_view *t = (struct table_view *)v;

	clear_cells(t);
	for (size_t i = 0; i < t->nalliances; i++)
		free(t->alliances[i]);
	free(t->search);
	free(t);
}

#define TABLE_OPS(id, title_)                                                  \
	{                                                                      \
		.name = #id, .title = title_, .create = table_create,          \
		.load = table_load, .draw = table_draw, .key = table_key,      \
		.free = table_free, .query = table_query,                      \
		.search = table_search, .link = table_link                     \
	}

static const struct view_ops table_ops[] = {
    TABLE_OPS(markets, "Markets"),     TABLE_OPS(compute, "Compute"),
    TABLE_OPS(ownership, "Ownership"), TABLE_OPS(deals, "Deals"),
    TABLE_OPS(cases, "Cases"),         TABLE_OPS(news, "News"),
    TABLE_OPS(filings, "Filings"),     TABLE_OPS(sources, "Sources"),
};

const struct view_ops *
table_view_ops(const char *name)
{
	for (size_t i = 0; i < sizeof(table_ops) / sizeof(table_ops[0]); i++)
		if (!strcmp(table_ops[i].name, name))
			return &table_ops[i];
	return NULL;
}
