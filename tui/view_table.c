/*
 * A table view over a registered db view: the same rows and columns
 * `oligo export NAME` writes, formatted for the screen, with search,
 * an alliance filter, a sort and a detail pane of the selected row.
 *
 * Views with a key (News, Filings: up to millions of rows) are read a
 * page at a time (view_page()): the table holds a window of a few pages
 * around the selection and reads the next page when the selection
 * nears an edge, so memory and the cost of a key do not grow with the
 * table.  The other views are small and read whole, up to TABLE_CAP.
 *
 * A view with a detail query (Cases: the timeline and linked items)
 * lists its rows under the selected row's fields in the detail pane;
 * j/k move a cursor over them, so o opens the one under it.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/source.h"
#include "db/view.h"
#include "lib/afile.h"
#include "lib/paths.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "tui/draw.h"
#include "tui/view.h"

#define TABLE_CAP     2000       /* rows of a view read whole */
#define PAGE          100        /* rows read at a time: a screen or two */
#define HELD          (4 * PAGE) /* rows held */
#define MARGIN        (PAGE / 2) /* read on when this near an edge */
#define COUNT_CAP     10000      /* rows counted for the footer */
#define MAX_ALLIANCES 8
#define MAX_KINDS     32
#define DETAIL_CAP    500 /* detail rows listed */

/* A detail query's row: section, date, text, link, note (view_detail()),
 * NULL where the database has NULL. */
struct detail_row {
	char *f[5];
};

struct row {
	char **cells; /* ncols, formatted */
	struct view_mark mark;
};

/*
 * The values a filter cycles through and the one applied (cur, -1: all).
 * Re-read at every load, so a source added while the dashboard is open
 * can be chosen; the applied value is kept by name.
 */
struct choices {
	char **v;
	size_t n;
	int cur;
};

struct table_view {
	struct view base;
	const struct view_def *def;
	struct db *db;            /* for reading pages on a key */
	struct view_pager *pager; /* keyed views; NULL: read whole */
	struct row *rows;         /* the window */
	size_t nrows, alloc;
	bool at_start, at_end; /* the window holds the first, last row */
	bool before_known;
	size_t before; /* rows before the window, when before_known */
	size_t total;  /* rows, counted up to COUNT_CAP */
	bool capped;   /* read whole, and more rows exist than are held */
	size_t sel, top;
	size_t hcol; /* first column shown */
	bool detail;
	int detail_top;
	bool restart; /* filters changed: back to the first row */
	char *search; /* as typed; NULL: none */
	int sort;     /* column index, -1: the view's default */
	char sort_arg[64];
	struct choices alliances, sources, kinds; /* a, F, K */
	char *entity;             /* the entity filter; NULL: none */
	struct detail_row *drows; /* the detail's rows (detail_sql) */
	size_t ndrows;
	int dsel;         /* the detail row o opens; -1: the row itself */
	int key_col;      /* identifies a row across reloads; -1: whole row */
	bool visited;     /* the state file has been read */
	int64_t seen_key; /* rows with a larger key are new to the user */
};

static void
free_row(struct row *r, size_t ncols)
{
	for (size_t i = 0; i < ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	view_mark_release(&r->mark);
}

static void
clear_rows(struct table_view *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free_row(&t->rows[i], t->def->ncols);
	t->nrows = 0;
}

static const char *
cell(const struct table_view *t, size_t r, size_t c)
{
	return t->rows[r].cells[c];
}

/* The column that names a row for good in a view read whole: a link,
 * url or accession number survives new rows arriving above it. */
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
	t->alliances.cur = t->sources.cur = t->kinds.cur = -1;
	t->dsel = -1;
	t->sort = -1;
	t->key_col = find_key_col(t->def);
	t->seen_key = INT64_MAX;
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

/* After reading a view whole, put the selection back on its row. */
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

/* The value applied, NULL: all. */
static const char *
choice(const struct choices *c)
{
	return c->cur < 0 ? NULL : c->v[c->cur];
}

static void
choices_release(struct choices *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* Add s unless it is there already or c holds max values. */
static void
choices_add(struct choices *c, const char *s, size_t max)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i], s))
			return;
	if (c->n == max)
		return;
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = xstrdup(s);
}

/* Take fresh's values into c, keeping the applied one by name (all, if
 * it is gone); fresh is left empty. */
static void
choices_replace(struct choices *c, struct choices *fresh)
{
	const char *cur = choice(c);
	int at = -1;

	for (size_t i = 0; cur && i < fresh->n; i++)
		if (!strcmp(fresh->v[i], cur))
			at = (int)i;
	choices_release(c);
	*c = *fresh;
	c->cur = at;
	*fresh = (struct choices){NULL, 0, -1};
}

static void
make_filter(const struct table_view *t, struct view_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->search = t->search;
	f->alliance = choice(&t->alliances);
	if (t->sort >= 0)
		f->sort = t->sort_arg;
	f->entity = t->entity;
	f->source = choice(&t->sources);
	f->kind = choice(&t->kinds);
}

/* The alliances a filter cycles through, as the Landscape names them. */
static void
load_alliances(struct table_view *t, struct db *db)
{
	const struct view_def *land = view_find("landscape");
	int col = land ? view_col_index(land, "alliance") : -1;
	struct choices fresh = {NULL, 0, -1};
	struct view_cursor *c;
	bool row;

	if (!t->def->alliance_col || col < 0 || view_open(db, land, NULL, &c))
		return;
	while (!view_step(c, &row) && row) {
		const char *a = view_text(c, (size_t)col);

		if (a && strcmp(a, "Other"))
			choices_add(&fresh, a, MAX_ALLIANCES);
	}
	view_close(c);
	choices_replace(&t->alliances, &fresh);
}

/* Room for n more rows at index at (moving the rows from at on). */
static void
open_gap(struct table_view *t, size_t at, size_t n)
{
	if (t->nrows + n > t->alloc) {
		t->alloc =
		    t->nrows + n > 2 * t->alloc ? t->nrows + n : 2 * t->alloc;
		t->rows = xreallocarray(t->rows, t->alloc, sizeof(*t->rows));
	}
	memmove(t->rows + at + n, t->rows + at,
	        (t->nrows - at) * sizeof(*t->rows));
	t->nrows += n;
}

static void
format_row(struct table_view *t, struct view_cursor *c, struct row *r)
{
	size_t ncols = t->def->ncols;

	r->cells = xreallocarray(NULL, ncols, sizeof(char *));
	for (size_t i = 0; i < ncols; i++) {
		struct strbuf sb = STRBUF_INIT;

		view_format(&sb, &t->def->cols[i], c, i);
		r->cells[i] = strbuf_detach(&sb, NULL);
	}
	memset(&r->mark, 0, sizeof(r->mark));
	if (t->pager)
		view_mark(c, &r->mark);
}

/*
 * Read up to limit rows from `at` into the window: appended (VIEW_AT,
 * VIEW_AFTER) or prepended in order (VIEW_BEFORE reads them nearest
 * first).  *got is how many.  Closes the cursor before returning: no
 * read transaction is held while the dashboard waits for a key.
 */
static enum status
read_page(struct table_view *t, const struct view_mark *at, enum view_seek how,
          size_t limit, size_t *got)
{
	struct view_cursor *c;
	enum status rc;
	bool row;

	*got = 0;
	if ((rc = view_page(t->pager, at, how, limit, &c)))
		return rc;
	while (!(rc = view_step(c, &row)) && row) {
		size_t at_i = how == VIEW_BEFORE ? 0 : t->nrows;

		open_gap(t, at_i, 1);
		format_row(t, c, &t->rows[at_i]);
		(*got)++;
	}
	view_close(c);
	return rc;
}

/* Drop n rows from the front or back of the window. */
static void
drop_rows(struct table_view *t, size_t n, bool front)
{
	size_t from = front ? 0 : t->nrows - n;

	for (size_t i = 0; i < n; i++)
		free_row(&t->rows[from + i], t->def->ncols);
	if (front) {
		memmove(t->rows, t->rows + n,
		        (t->nrows - n) * sizeof(*t->rows));
		t->sel = t->sel > n ? t->sel - n : 0;
		t->top = t->top > n ? t->top - n : 0;
		t->before += n;
		t->at_start = false;
	} else {
		t->at_end = false;
	}
	t->nrows -= n;
}

static enum status
read_down(struct table_view *t)
{
	struct view_mark m;
	enum status rc;
	size_t got;

	view_mark_copy(&m, &t->rows[t->nrows - 1].mark);
	rc = read_page(t, &m, VIEW_AFTER, PAGE, &got);
	view_mark_release(&m);
	t->at_end = !rc && got < PAGE;
	if (t->nrows > HELD)
		drop_rows(t, t->nrows - HELD, true);
	return rc;
}

static enum status
read_up(struct table_view *t)
{
	struct view_mark m;
	enum status rc;
	size_t got;

	view_mark_copy(&m, &t->rows[0].mark);
	rc = read_page(t, &m, VIEW_BEFORE, PAGE, &got);
	view_mark_release(&m);
	t->sel += got;
	t->top += got;
	t->before = t->before > got ? t->before - got : 0;
	if (!rc && got < PAGE) {
		t->at_start = t->before_known = true;
		t->before = 0;
	}
	if (t->nrows > HELD)
		drop_rows(t, t->nrows - HELD, false);
	return rc;
}

/* Keep MARGIN rows read on either side of the selection. */
static enum status
fill_window(struct table_view *t)
{
	enum status rc = ST_OK;

	while (!rc && t->pager && t->nrows && !t->at_end &&
	       t->sel + MARGIN >= t->nrows)
		rc = read_down(t);
	while (!rc && t->pager && t->nrows && !t->at_start && t->sel < MARGIN)
		rc = read_up(t);
	return rc;
}

/* The window at the first rows (end false) or the last. */
static enum status
read_end(struct table_view *t, bool end)
{
	enum status rc;
	size_t got;

	clear_rows(t);
	rc = read_page(t, NULL, end ? VIEW_BEFORE : VIEW_AT, PAGE, &got);
	t->at_start = !end || got < PAGE;
	t->at_end = end || got < PAGE;
	t->before_known = t->at_start || t->total < COUNT_CAP;
	t->before = t->at_start || t->total < got ? 0 : t->total - got;
	t->sel = end && got ? got - 1 : 0;
	t->top = 0;
	return rc;
}

/*
 * Reload around the selected row's mark.  The screen keeps its first
 * row number (abs_top, SIZE_MAX: unknown), so rows arriving above the
 * selection show and push it down, as in a view read whole; else the
 * selection keeps its screen line.
 */
static enum status
read_around(struct table_view *t, const struct view_mark *m, size_t abs_top,
            size_t line)
{
	enum status rc;
	size_t up, down, before;

	clear_rows(t);
	if ((rc = read_page(t, m, VIEW_BEFORE, PAGE, &up)) ||
	    (rc = read_page(t, m, VIEW_AT, PAGE, &down)))
		return rc;
	t->at_start = up < PAGE;
	t->at_end = down < PAGE;
	t->sel = down || !up ? up : up - 1;
	t->top = t->sel > line ? t->sel - line : 0;
	t->before_known = true;
	t->before = 0;
	if (!t->at_start) {
		rc = view_pager_count(t->pager, &t->rows[0].mark, COUNT_CAP,
		                      &before);
		t->before_known = before < COUNT_CAP;
		t->before = before;
	}
	if (t->before_known && abs_top != SIZE_MAX && abs_top >= t->before &&
	    abs_top - t->before <= t->sel)
		t->top = abs_top - t->before;
	return rc;
}

/* mkdir -p the folder path is in. */
static int
make_parent(const char *path)
{
	char *dir = xstrdup(path);
	int rc = 0;

	for (char *p = dir + 1; *p && !rc; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		rc = mkdir(dir, 0700) && errno != EEXIST;
		*p = '/';
	}
	free(dir);
	return rc;
}

/* The key line of view name in the state file, -1 when none; the
 * other lines go to rest. */
static int64_t
read_seen(const char *path, const char *name, struct strbuf *rest)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, word[64];
	size_t cap = 0;
	long long key;
	int64_t seen = -1;

	while (fp && getline(&line, &cap, fp) > 0) {
		if (sscanf(line, "%63s %lld", word, &key) == 2 &&
		    !strcmp(word, name))
			seen = key;
		else if (strchr(line, '\n'))
			strbuf_adds(rest, line);
	}
	free(line);
	if (fp)
		fclose(fp);
	return seen;
}

/*
 * New since the last visit: the state file ($XDG_STATE_HOME/oligo/state,
 * not the database, which the dashboard opens read-only) holds the
 * largest key each paged view had when the dashboard last quit ("news
 * 1000000").  A view's first load reads its line: for this session,
 * rows above it are drawn bold.  Quitting writes the current largest
 * key (there, the file's fsync costs no frame).  A state file that
 * cannot be read or written only costs the marks.
 */
static void
read_visit(struct table_view *t, struct db *db)
{
	char *path = paths_state();
	struct strbuf rest = STRBUF_INIT;
	int64_t max, seen;

	if (path && !view_max_key(db, t->def, &max)) {
		seen = read_seen(path, t->def->name, &rest);
		t->seen_key = seen >= 0 ? seen : max; /* a first visit */
		t->visited = true;
	}
	strbuf_release(&rest);
	free(path);
}

static void
write_visit(struct table_view *t)
{
	char *path = paths_state();
	struct strbuf rest = STRBUF_INIT;
	struct afile af;
	int64_t max;

	if (!t->visited || !path || view_max_key(t->db, t->def, &max) ||
	    read_seen(path, t->def->name, &rest) == max)
		goto out; /* unchanged: no write, no fsync */
	if (make_parent(path) || afile_open(&af, path, AFILE_FORCE))
		goto out;
	fprintf(af.fp, "%s%s %lld\n", rest.buf, t->def->name, (long long)max);
	afile_commit(&af);
out:
	strbuf_release(&rest);
	free(path);
}

/* A keyed view: a new pager for the filters, a window at the same row. */
static enum status
load_paged(struct table_view *t, struct db *db)
{
	struct view_filter f;
	struct view_mark m = {0};
	/* On the first row the user is following the head, as in tail -f:
	 * stay there so new rows show; elsewhere keep the row. */
	bool keep = !t->restart && t->nrows &&
	            !(t->at_start && t->sel == 0 && t->top == 0);
	size_t line = t->sel >= t->top ? t->sel - t->top : 0;
	size_t abs_top = t->before_known ? t->before + t->top : SIZE_MAX;
	enum status rc;

	if (!t->visited)
		read_visit(t, db);
	if (keep)
		view_mark_copy(&m, &t->rows[t->sel].mark);
	view_pager_free(t->pager);
	t->pager = NULL;
	make_filter(t, &f);
	if (!(rc = view_pager_new(db, t->def, &f, &t->pager)) &&
	    !(rc = view_pager_count(t->pager, NULL, COUNT_CAP, &t->total)))
		rc = keep ? read_around(t, &m, abs_top, line)
		          : read_end(t, false);
	if (!rc)
		rc = fill_window(t);
	view_mark_release(&m);
	return rc;
}

/* A view read whole (small by nature), up to TABLE_CAP rows. */
static enum status
load_whole(struct table_view *t, struct db *db)
{
	struct strbuf key = STRBUF_INIT;
	struct view_filter f;
	struct view_cursor *c;
	enum status rc;
	bool row, had = !t->restart && t->nrows > 0 && t->sel > 0;

	if (had)
		row_key(&key, t, t->sel);
	clear_rows(t);
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
		open_gap(t, t->nrows, 1);
		format_row(t, c, &t->rows[t->nrows - 1]);
	}
	view_close(c); /* no read transaction held while waiting for keys */
	t->at_start = t->at_end = t->before_known = true;
	t->before = 0;
	t->total = t->nrows;
	if (t->restart)
		t->sel = t->top = 0;
	reselect(t, had ? key.buf : NULL);
	strbuf_release(&key);
	return rc;
}

/* The sources a filter cycles through, by name.  (Not from the Sources
 * view: it counts every source's items.) */
static void
load_sources(struct table_view *t, struct db *db)
{
	struct choices fresh = {NULL, 0, -1};
	struct source_row *rows;
	size_t n;

	if (!t->def->source_col || source_rows(db, &rows, &n))
		return;
	for (size_t i = 0; i < n; i++)
		choices_add(&fresh, rows[i].name, SIZE_MAX);
	source_rows_free(rows, n);
	choices_replace(&t->sources, &fresh);
}

/* The kinds a filter cycles through: those the view's rows have. */
static void
load_kinds(struct table_view *t, struct db *db)
{
	struct choices fresh = {NULL, 0, -1};
	struct view_cursor *c;
	bool row;

	if (!t->def->kind_col ||
	    view_distinct(db, t->def, t->def->kind_col, &c))
		return;
	while (!view_step(c, &row) && row)
		choices_add(&fresh, view_text(c, 0), MAX_KINDS);
	view_close(c);
	choices_replace(&t->kinds, &fresh);
}

static void
clear_detail(struct table_view *t)
{
	for (size_t i = 0; i < t->ndrows; i++)
		for (size_t j = 0; j < 5; j++)
			free(t->drows[i].f[j]);
	free(t->drows);
	t->drows = NULL;
	t->ndrows = 0;
}

/* The selected row's detail rows, when its view has a detail query. */
static enum status
load_detail(struct table_view *t)
{
	const struct view_def *def = t->def;
	int kc = def->detail_sql ? view_col_index(def, def->detail_key) : -1;
	struct view_cursor *c;
	enum status rc;
	bool row;

	assert(!def->detail_sql || kc >= 0);
	clear_detail(t);
	if (kc < 0 || !t->nrows)
		return ST_OK;
	if ((rc = view_detail(t->db, def, cell(t, t->sel, (size_t)kc), &c)))
		return rc;
	while (t->ndrows < DETAIL_CAP && !(rc = view_step(c, &row)) && row) {
		struct detail_row *d;

		t->drows =
		    xreallocarray(t->drows, t->ndrows + 1, sizeof(*t->drows));
		d = &t->drows[t->ndrows++];
		for (size_t j = 0; j < 5; j++) {
			const char *s = view_text(c, j);

			d->f[j] = s ? xstrdup(s) : NULL;
		}
	}
	view_close(c); /* no read transaction held while waiting */
	if (t->dsel >= (int)t->ndrows)
		t->dsel = (int)t->ndrows - 1;
	return rc;
}

static enum status
table_load(struct view *v, struct db *db)
{
	struct table_view *t = (struct table_view *)v;
	enum status rc;

	t->db = db;
	load_alliances(t, db);
	load_sources(t, db);
	load_kinds(t, db);
	rc = t->def->key ? load_paged(t, db) : load_whole(t, db);
	if (!rc && t->detail)
		rc = load_detail(t);
	t->restart = false;
	return rc;
}

/* 1234567 -> "1,234,567" */
static void
add_count(struct strbuf *sb, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%zu", n);

	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			strbuf_addch(sb, ',');
		strbuf_addch(sb, digits[i]);
	}
}

/* "row 12 of 10,000+": counts stop at COUNT_CAP, so a million rows
 * cost what ten thousand do. */
static void
add_position(struct table_view *t, struct strbuf *sb)
{
	bool more = t->pager && t->total >= COUNT_CAP;

	if (t->capped) {
		strbuf_addf(sb,
		            "showing the first %d rows; / searches, f filters",
		            TABLE_CAP);
		return;
	}
	if (!t->nrows) {
		strbuf_adds(sb, "rows: 0");
		return;
	}
	strbuf_adds(sb, "row ");
	if (t->before_known) {
		add_count(sb, t->before + t->sel + 1);
	} else if (t->at_end) {
		add_count(sb, t->nrows - t->sel);
		strbuf_adds(sb, " from the end");
	} else {
		add_count(sb, COUNT_CAP);
		strbuf_adds(sb, "+");
	}
	strbuf_adds(sb, " of ");
	add_count(sb, t->total);
	if (more)
		strbuf_adds(sb, "+");
}

static bool
is_new(const struct table_view *t, size_t r)
{
	return t->pager && t->rows[r].mark.key > t->seen_key;
}

static void
draw_footer(struct table_view *t, WINDOW *win, int y, int w)
{
	struct strbuf sb = STRBUF_INIT;

	if (t->search)
		strbuf_addf(&sb, "search: %s   ", t->search);
	if (choice(&t->alliances))
		strbuf_addf(&sb, "alliance: %s   ", choice(&t->alliances));
	if (t->entity)
		strbuf_addf(&sb, "entity: %s   ", t->entity);
	if (choice(&t->sources))
		strbuf_addf(&sb, "source: %s   ", choice(&t->sources));
	if (choice(&t->kinds))
		strbuf_addf(&sb, "kind: %s   ", choice(&t->kinds));
	if (t->sort >= 0)
		strbuf_addf(&sb, "sort: %s   ", t->sort_arg);
	add_position(t, &sb);
	if (t->nrows && is_new(t, t->sel))
		strbuf_adds(&sb, "   new since your last visit (bold)");
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

	if (y >= 0 && is_new(t, r))
		attr |= A_BOLD;
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

/* A detail row from line y: "date  text", then its link and note dim,
 * a line each (o opens the link; notes repeat a case's sources at
 * length); returns the line after it. */
static int
draw_drow(WINDOW *win, int y, const struct detail_row *d, bool sel, int h,
          int w)
{
	struct strbuf sb = STRBUF_INIT;
	int dim = theme_attr(PAIR_DIM);

	if (sel && y >= 0 && y < h - 1)
		draw_text(win, y, 1, "▸", 1, A_BOLD);
	strbuf_addf(&sb, "%s  %s", d->f[1] ? d->f[1] : "—",
	            d->f[2] ? d->f[2] : "");
	y = draw_wrapped(win, y, 3, sb.buf, w - 4, h - 1,
	                 sel ? theme_attr(PAIR_SELECTED) : (int)A_NORMAL);
	for (int j = 3; j < 5; j++) {
		if (!d->f[j])
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s%s", j == 4 ? "source: " : "", d->f[j]);
		if (y >= 0 && y < h - 1)
			draw_text(win, y, 5, sb.buf, w - 6, dim);
		y++;
	}
	strbuf_release(&sb);
	return y;
}

/*
 * Every column of the selected row, one per paragraph, wrapped; then
 * the detail rows under their section headings.  *sy, *ey: the lines
 * the detail cursor's row starts and ends on (lines past the window
 * count one each, so they may be too few).
 */
static void
draw_detail_at(struct table_view *t, WINDOW *win, int h, int w, int *sy,
               int *ey)
{
	int y = -t->detail_top;
	const char *section = NULL;

	werase(win);
	*sy = *ey = 0;
	for (size_t i = 0; i < t->def->ncols; i++) {
		const struct view_col *col = &t->def->cols[i];

		if (y >= 0)
			draw_text(win, y, 1, col->title, w - 2, A_BOLD);
		y = draw_wrapped(win, y + 1, 3, cell(t, t->sel, i), w - 4,
		                 h - 1, A_NORMAL) +
		    1;
	}
	for (size_t i = 0; i < t->ndrows; i++) {
		const char *s = t->drows[i].f[0] ? t->drows[i].f[0] : "";

		if (!section || strcmp(section, s)) {
			if (y >= 0 && y < h - 1)
				draw_text(win, y, 1, s, w - 2, A_BOLD);
			y++;
			section = s;
		}
		if ((int)i == t->dsel)
			*sy = y;
		y = draw_drow(win, y, &t->drows[i], (int)i == t->dsel, h, w);
		if ((int)i == t->dsel)
			*ey = y;
	}
}

/* The detail, scrolled so that the detail cursor's row shows. */
static void
draw_detail(struct table_view *t, WINDOW *win, int h, int w)
{
	int sy, ey;

	/* a row below the window measures short: scroll until it shows */
	for (int i = 0; i < 4 * h; i++) {
		draw_detail_at(t, win, h, w, &sy, &ey);
		if (t->dsel < 0 || (sy >= 0 && (ey <= h - 1 || sy == 0)))
			break;
		if (sy < 0)
			t->detail_top += sy;
		else
			t->detail_top += ey - (h - 1) < sy ? ey - (h - 1) : sy;
	}
	draw_text(win, h - 1, 0,
	          t->ndrows ? "Esc closes  j/k select a row below"
	                      "  o opens its link (none: the row's)"
	                    : "Esc closes  o opens the link",
	          w, theme_attr(PAIR_DIM));
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
		          t->search || t->entity || choice(&t->alliances) ||
		                  choice(&t->sources) || choice(&t->kinds)
		              ? "(no rows match)"
		              : "(no rows yet)",
		          w - 2, theme_attr(PAIR_DIM));
	if (h > 2)
		draw_footer(t, win, h - 1, w);
}

/* s: default, then each column (dates and numbers newest/largest
 * first), then default again.  On a large paged view only the orders
 * an index gives: sorting a million rows would freeze the keyboard. */
static void
next_sort(struct table_view *t)
{
	bool large = t->pager && t->total >= COUNT_CAP, skipped = false;

	while (++t->sort < (int)t->def->ncols) {
		const struct view_col *col = &t->def->cols[t->sort];

		snprintf(t->sort_arg, sizeof(t->sort_arg), "%s%s",
		         col->type == COL_TEXT ? "" : "-", col->name);
		if (!large || view_sort_indexed(t->db, t->def, t->sort_arg))
			break;
		skipped = true;
	}
	if (t->sort >= (int)t->def->ncols)
		t->sort = -1;
	snprintf(t->base.msg, sizeof(t->base.msg), "sort: %s%s",
	         t->sort < 0 ? "default" : t->sort_arg,
	         skipped ? " (columns without an index skipped: too many rows)"
	                 : "");
	t->restart = true;
}

/* The next of c's values (after the last: all), for the filter on col. */
static void
next_choice(struct table_view *t, struct choices *c, const char *col,
            const char *what)
{
	if (!col || !c->n) {
		snprintf(t->base.msg, sizeof(t->base.msg),
		         "%s cannot be filtered by %s", t->def->title, what);
		return;
	}
	if (++c->cur >= (int)c->n)
		c->cur = -1;
	snprintf(t->base.msg, sizeof(t->base.msg), "%s: %s", what,
	         c->cur < 0 ? "all" : c->v[c->cur]);
	t->restart = true;
	t->base.reload = true;
}

/* The entities the selected row names, in its entity columns ("A; B"
 * lists several), the next after the filter's; NULL after the last. */
static char *
next_row_entity(const struct table_view *t)
{
	char *cols = xstrdup(t->def->entity_cols), *save = NULL, *next = NULL;
	bool take = !t->entity;

	for (char *c = strtok_r(cols, ",", &save); c && !next;
	     c = strtok_r(NULL, ",", &save)) {
		int i = view_col_index(t->def, c);
		const char *p = i >= 0 ? cell(t, t->sel, (size_t)i) : "";

		while (*p && !next) {
			size_t n = strcspn(p, ";");
			char *name = xstrndup(p, n);

			if (take && *name && strcmp(name, "—")) {
				next = name;
				break;
			}
			take |= t->entity && !strcmp(name, t->entity);
			free(name);
			p += n;
			p += strspn(p, "; ");
		}
	}
	free(cols);
	return next;
}

/* E: filter by the selected row's entity; again, by its next one; after
 * the last, no entity filter. */
static void
next_entity(struct table_view *t)
{
	char *next;

	if (!t->def->entity_cols) {
		snprintf(t->base.msg, sizeof(t->base.msg),
		         "%s cannot be filtered by entity", t->def->title);
		return;
	}
	next = t->nrows ? next_row_entity(t) : NULL;
	free(t->entity);
	t->entity = next;
	snprintf(t->base.msg, sizeof(t->base.msg), "entity: %s",
	         next ? next : "all");
	t->restart = true;
	t->base.reload = true;
}

/* In the detail, j/k move the cursor over the detail rows (from the
 * row itself, -1) when there are some, else scroll; the page keys
 * scroll, leaving the cursor on the row itself. */
static bool
detail_key(struct table_view *t, enum action a, int page)
{
	int step = page > 2 ? page - 2 : 1;

	switch (a) {
	case ACTION_CLOSE:
		t->detail = false;
		break;
	case ACTION_DOWN:
		if (!t->ndrows)
			t->detail_top++;
		else if (t->dsel + 1 < (int)t->ndrows)
			t->dsel++;
		break;
	case ACTION_UP:
		if (t->dsel >= 0 && --t->dsel < 0)
			t->detail_top = 0;
		else if (t->dsel < 0)
			t->detail_top -= t->detail_top > 0;
		break;
	case ACTION_PAGE_DOWN:
	case ACTION_PAGE_UP:
		t->dsel = -1;
		t->detail_top += a == ACTION_PAGE_DOWN ? step : -step;
		if (t->detail_top < 0)
			t->detail_top = 0;
		break;
	case ACTION_FIRST:
		t->dsel = -1;
		t->detail_top = 0;
		break;
	case ACTION_LAST:
		t->dsel = (int)t->ndrows - 1;
		break;
	default:
		return false;
	}
	return true;
}

/* g and G: within the window when it holds that end, else a new
 * window read from that end. */
static enum status
go_end(struct table_view *t, bool end)
{
	if (end ? t->at_end : t->at_start) {
		t->sel = end && t->nrows ? t->nrows - 1 : 0;
		return ST_OK;
	}
	return read_end(t, end);
}

static bool
move_key(struct table_view *t, enum action a, int page)
{
	size_t last = t->nrows ? t->nrows - 1 : 0;
	size_t step = page > 2 ? (size_t)page - 2 : 1;
	enum status rc = ST_OK;

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
		rc = go_end(t, false);
		break;
	case ACTION_LAST:
		rc = go_end(t, true);
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
	if (!rc)
		rc = fill_window(t);
	if (rc)
		snprintf(t->base.msg, sizeof(t->base.msg), "%s", err_msg());
	return true;
}

static bool
table_key(struct view *v, enum action a, int page)
{
	struct table_view *t = (struct table_view *)v;

	if (t->detail && detail_key(t, a, page))
		return true;
	switch (a) {
	case ACTION_OPEN_DETAIL:
		t->detail = t->nrows > 0;
		t->detail_top = 0;
		t->dsel = -1;
		if (t->detail && load_detail(t))
			snprintf(v->msg, sizeof(v->msg), "%s", err_msg());
		return true;
	case ACTION_CLOSE:
		if (t->search)
			return v->ops->search(v, "");
		return false;
	case ACTION_SELECT_ROW: /* page: the clicked line under the header */
		if (!t->detail && page >= 0 &&
		    t->top + (size_t)page < t->nrows) {
			t->sel = t->top + (size_t)page;
			if (fill_window(t))
				snprintf(v->msg, sizeof(v->msg), "%s",
				         err_msg());
		}
		return true;
	case ACTION_SORT:
		next_sort(t);
		t->base.reload = true;
		return true;
	case ACTION_FILTER:
		next_choice(t, &t->alliances, t->def->alliance_col, "alliance");
		return true;
	case ACTION_FILTER_ENTITY:
		next_entity(t);
		return true;
	case ACTION_FILTER_SOURCE:
		next_choice(t, &t->sources, t->def->source_col, "source");
		return true;
	case ACTION_FILTER_KIND:
		next_choice(t, &t->kinds, t->def->kind_col, "kind");
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
	t->restart = true;
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

	if (t->detail && t->dsel >= 0 && (size_t)t->dsel < t->ndrows)
		return t->drows[t->dsel].f[3];
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

	write_visit(t); /* the database is still open */
	clear_rows(t);
	free(t->rows);
	view_pager_free(t->pager);
	choices_release(&t->alliances);
	choices_release(&t->sources);
	choices_release(&t->kinds);
	clear_detail(t);
	free(t->entity);
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
