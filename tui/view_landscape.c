/*
 * Landscape: the three alliances side by side, one column each, sections
 * stacked in order of importance — members by role with the anchor's
 * stake and money in them, their shares in their markets, ΔHHI if the
 * alliance were one firm, the regulators' matters, its share of compute
 * owned, its frontier models, the latest headlines and deals — and the
 * other players beneath.  Every line comes from a registered view
 * (landscape, shares, cases, deals), so each figure can be exported and
 * traced to its source row.
 *
 * The sections share the column's height: members always show whole,
 * the others get rows in turns, the first three sections first; a
 * section cut short says "(3 of 8)" in its heading.  When even one row
 * each does not fit (80x24), the columns scroll together with j/k and a
 * "…" marks what is below.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/view.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "tui/draw.h"
#include "tui/view.h"

#define MAX_ALLIANCES 3
#define SECTION_ROWS  16 /* rows loaded per section and alliance */
#define FIRST_ROWS    3  /* rows the important sections get first */

enum section_id {
	SEC_MEMBERS,
	SEC_SHARES,
	SEC_ONE_FIRM,
	SEC_MATTERS, /* the important ones end here */
	SEC_COMPUTE,
	SEC_MODELS,
	SEC_HEADLINES,
	SEC_DEALS,
	NSECTIONS
};

static const char *const headings[NSECTIONS] = {
    "Members",       "Shares (latest period)",
    "If one firm",   "Regulators (open first)",
    "Compute owned", "Models",
    "Headlines",     "Latest deals",
};

struct section {
	char **rows;
	size_t n;
	const char *none; /* what an empty section says; static */
};

struct column {
	char *name;
	struct section sec[NSECTIONS];
};

struct landscape_view {
	struct view base;
	struct column cols[MAX_ALLIANCES];
	size_t ncols;
	struct strbuf others;
	size_t scroll, max_scroll; /* max_scroll: as last drawn */
};

static void
add_row(struct section *s, struct strbuf *text)
{
	s->rows = xreallocarray(s->rows, s->n + 1, sizeof(*s->rows));
	s->rows[s->n++] = strbuf_detach(text, NULL);
}

static void
landscape_clear(struct landscape_view *l)
{
	for (size_t a = 0; a < l->ncols; a++) {
		for (size_t s = 0; s < NSECTIONS; s++) {
			for (size_t i = 0; i < l->cols[a].sec[s].n; i++)
				free(l->cols[a].sec[s].rows[i]);
			free(l->cols[a].sec[s].rows);
		}
		free(l->cols[a].name);
	}
	memset(l->cols, 0, sizeof(l->cols));
	l->ncols = 0;
	strbuf_release(&l->others);
}

/* Column value by name, formatted for the screen. */
static void
col(struct strbuf *sb, const struct view_def *d, struct view_cursor *c,
    const char *name)
{
	int i = view_col_index(d, name);

	if (i >= 0)
		view_format(sb, &d->cols[i], c, (size_t)i);
}

static bool
col_null(const struct view_def *d, struct view_cursor *c, const char *name)
{
	int i = view_col_index(d, name);

	return i < 0 || view_is_null(c, (size_t)i);
}

static const char *
col_text(const struct view_def *d, struct view_cursor *c, const char *name)
{
	int i = view_col_index(d, name);

	return i < 0 ? NULL : view_text(c, (size_t)i);
}

static double
col_real(const struct view_def *d, struct view_cursor *c, const char *name)
{
	return col_null(d, c, name)
	           ? NAN
	           : view_real(c, (size_t)view_col_index(d, name));
}

static struct column *
column_for(struct landscape_view *l, const char *name)
{
	for (size_t a = 0; a < l->ncols; a++)
		if (!strcmp(l->cols[a].name, name))
			return &l->cols[a];
	if (l->ncols == MAX_ALLIANCES)
		return NULL;
	l->cols[l->ncols].name = xstrdup(name);
	return &l->cols[l->ncols++];
}

/* One line per member: "OpenAI (lab) stake 27.0% in $1.0B"; an entity
 * with several roles gets them joined, "Microsoft (cloud, investor)". */
static void
member_row(struct section *s, const struct view_def *d, struct view_cursor *c)
{
	struct strbuf sb = STRBUF_INIT;
	const char *role = col_text(d, c, "role");
	const char *entity = col_text(d, c, "entity");
	size_t len = strlen(entity);
	char *prev = s->n ? s->rows[s->n - 1] : NULL;

	if (prev && !strncmp(prev, entity, len) && prev[len] == ' ' && role) {
		/* same entity, next role: "X (a)…" becomes "X (a, b)…" */
		char *close = strchr(prev + len, ')');

		if (close) {
			strbuf_add(&sb, prev, (size_t)(close - prev));
			strbuf_addf(&sb, ", %s%s", role, close);
			free(prev);
			s->rows[s->n - 1] = strbuf_detach(&sb, NULL);
			return;
		}
	}
	strbuf_addf(&sb, "%s (%s)", entity, role ? role : "member");
	if (!col_null(d, c, "stake_pct")) {
		strbuf_adds(&sb, " stake ");
		col(&sb, d, c, "stake_pct");
	}
	if (!col_null(d, c, "invested_usd")) {
		strbuf_adds(&sb, " invested ");
		col(&sb, d, c, "invested_usd");
	}
	if (!col_null(d, c, "committed_usd")) {
		strbuf_adds(&sb, " committed ");
		col(&sb, d, c, "committed_usd");
	}
	add_row(s, &sb);
}

/* "GPT-4 2023-03": the model and its release (— when undated) */
static void
model_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	col(sb, d, c, "item");
	strbuf_adds(sb, " ");
	col(sb, d, c, "date");
}

/* "23.0% 3.40M H100e 2026-04 (Microsoft)" */
static void
compute_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	double h = col_real(d, c, "h100e");

	col(sb, d, c, "share_pct");
	if (isfinite(h) && h >= 1e6)
		strbuf_addf(sb, " %.2fM H100e", h / 1e6);
	else if (isfinite(h))
		strbuf_addf(sb, " %.0fk H100e", h / 1e3);
	strbuf_adds(sb, " ");
	col(sb, d, c, "period");
	strbuf_adds(sb, " (");
	col(sb, d, c, "entity");
	strbuf_adds(sb, ")");
}

/* "ΔHHI 1,200 presumed cloud 2025Q4 share 50.0%": the figure first, as
 * columns are narrow; the alliance's own ΔHHI, and the scenario's when
 * other alliances merge there too. */
static void
one_firm_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	const char *v = col_text(d, c, "us2023");
	double own = col_real(d, c, "delta_hhi_points");
	double all = col_real(d, c, "scenario_delta_hhi_points");

	strbuf_adds(sb, "ΔHHI ");
	col(sb, d, c, "delta_hhi_points");
	strbuf_adds(sb, " ");
	strbuf_adds(sb, !v                           ? "unscreened"
	                : !strcmp(v, "not_presumed") ? "not presumed"
	                                             : v);
	strbuf_adds(sb, " ");
	col(sb, d, c, "item");
	strbuf_adds(sb, " ");
	col(sb, d, c, "period");
	if (isfinite(all) && fabs(all - own) >= 0.5) {
		strbuf_adds(sb, " (all ");
		col(sb, d, c, "scenario_delta_hhi_points");
		strbuf_adds(sb, ")");
	}
	strbuf_adds(sb, " share ");
	col(sb, d, c, "share_pct");
}

/* "2025-02-01 Title" */
static void
headline_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	const char *date = col_text(d, c, "date");

	strbuf_addf(sb, "%.10s ", date ? date : "—");
	col(sb, d, c, "item");
}

typedef void (*row_fn)(struct strbuf *sb, const struct view_def *d,
                       struct view_cursor *c);

/* The landscape view's rows, each to its alliance's section. */
static enum status
load_landscape(struct landscape_view *l, struct db *db)
{
	static const struct {
		const char *name;
		enum section_id id;
		row_fn fn;
	} kinds[] = {
	    {"member", SEC_MEMBERS, NULL},
	    {"model", SEC_MODELS, model_row},
	    {"compute", SEC_COMPUTE, compute_row},
	    {"if_one_firm", SEC_ONE_FIRM, one_firm_row},
	    {"headline", SEC_HEADLINES, headline_row},
	};
	const struct view_def *d = view_find("landscape");
	struct view_cursor *c;
	enum status rc;
	bool row;

	if ((rc = view_open(db, d, NULL, &c)))
		return rc;
	while (!(rc = view_step(c, &row)) && row) {
		const char *alliance = col_text(d, c, "alliance");
		const char *section = col_text(d, c, "section");
		struct strbuf sb = STRBUF_INIT;
		struct column *p;
		size_t k = 0;

		if (!strcmp(alliance, "Other")) {
			if (l->others.len)
				strbuf_adds(&l->others, ", ");
			strbuf_adds(&l->others, col_text(d, c, "entity"));
			continue;
		}
		while (k < sizeof(kinds) / sizeof(kinds[0]) &&
		       strcmp(kinds[k].name, section))
			k++;
		if (k == sizeof(kinds) / sizeof(kinds[0]) ||
		    !(p = column_for(l, alliance)))
			continue;
		if (!kinds[k].fn) {
			member_row(&p->sec[SEC_MEMBERS], d, c);
			continue;
		}
		kinds[k].fn(&sb, d, c);
		add_row(&p->sec[kinds[k].id], &sb);
	}
	view_close(c);
	return rc;
}

/* Up to SECTION_ROWS rows of view name filtered to one alliance; with
 * key, one row per value of that column (the first, i.e. the latest). */
static enum status
section(struct db *db, const char *alliance, struct section *s,
        const char *view, const char *sort, row_fn fn, const char *key)
{
	const struct view_def *d = view_find(view);
	struct view_filter f = {.alliance = alliance, .sort = sort};
	struct strbuf sb = STRBUF_INIT, seen = STRBUF_INIT, k = STRBUF_INIT;
	struct view_cursor *c;
	enum status rc;
	bool row;

	if ((rc = view_open(db, d, &f, &c)))
		return rc;
	strbuf_addch(&seen, '\n');
	while (s->n < SECTION_ROWS && !(rc = view_step(c, &row)) && row) {
		if (key) {
			strbuf_reset(&k);
			strbuf_addch(&k, '\n');
			strbuf_adds(&k, col_text(d, c, key));
			strbuf_addch(&k, '\n');
			if (strstr(seen.buf, k.buf))
				continue;
		}
		fn(&sb, d, c);
		if (sb.len) {
			add_row(s, &sb);
			if (key)
				strbuf_adds(&seen, k.buf + 1);
		}
	}
	view_close(c);
	strbuf_release(&sb);
	strbuf_release(&seen);
	strbuf_release(&k);
	return rc;
}

static void
share_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	bool low = !col_null(d, c, "share_low_pct");
	bool high = !col_null(d, c, "share_high_pct");

	if (col_null(d, c, "share_pct") && !low && !high)
		return;
	/* "28.0% Amazon cloud_infrastructure 2025Q4": the figure first */
	if (!col_null(d, c, "share_pct")) {
		col(sb, d, c, "share_pct");
	} else {
		/* a range as published: "30.0%–40.0%", "<10.0%", ">90.0%" */
		strbuf_adds(sb, low ? (high ? "" : ">") : "<");
		if (low)
			col(sb, d, c, "share_low_pct");
		if (low && high)
			strbuf_adds(sb, "–");
		if (high)
			col(sb, d, c, "share_high_pct");
	}
	strbuf_adds(sb, " ");
	col(sb, d, c, "entity");
	strbuf_adds(sb, " ");
	col(sb, d, c, "market");
	strbuf_adds(sb, " ");
	col(sb, d, c, "period");
}

static void
deal_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	col(sb, d, c, "date");
	strbuf_adds(sb, " ");
	col(sb, d, c, "investor");
	strbuf_adds(sb, "→");
	col(sb, d, c, "target");
	strbuf_adds(sb, " ");
	col(sb, d, c, "kind");
	if (!col_null(d, c, "amount_usd")) {
		strbuf_adds(sb, " ");
		col(sb, d, c, "amount_usd");
	}
}

/* Whether a matter is over: those go after the open ones. */
static bool
matter_over(const char *row)
{
	return strstr(row, " [closed] ") || strstr(row, " [concluded] ");
}

static void
open_first(struct section *s)
{
	char **v = xreallocarray(NULL, s->n ? s->n : 1, sizeof(*v));
	size_t k = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->n; i++)
			if (matter_over(s->rows[i]) == (pass == 1))
				v[k++] = s->rows[i];
	free(s->rows);
	s->rows = v;
}

static void
case_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	col(sb, d, c, "authority");
	strbuf_adds(sb, " [");
	col(sb, d, c, "status");
	strbuf_adds(sb, "] ");
	col(sb, d, c, "title");
}

/* What empty sections say; headlines tell how to get some. */
static void
set_none(struct landscape_view *l)
{
	bool news = false;

	for (size_t a = 0; a < l->ncols; a++)
		news |= l->cols[a].sec[SEC_HEADLINES].n > 0;
	for (size_t a = 0; a < l->ncols; a++) {
		struct section *s = l->cols[a].sec;

		for (size_t i = 0; i < NSECTIONS; i++)
			s[i].none = "none recorded";
		s[SEC_ONE_FIRM].none = "no market with 2+ members";
		s[SEC_HEADLINES].none =
		    news ? "none tagged"
		         : "no news ingested yet — run oligo ingest";
	}
}

static enum status
landscape_load(struct view *v, struct db *db)
{
	struct landscape_view *l = (struct landscape_view *)v;
	enum status rc;

	landscape_clear(l);
	rc = load_landscape(l, db);
	for (size_t a = 0; a < l->ncols && !rc; a++) {
		struct column *p = &l->cols[a];

		rc = section(db, p->name, &p->sec[SEC_SHARES], "shares",
		             "-period", share_row, "market");
		if (!rc)
			rc = section(db, p->name, &p->sec[SEC_MATTERS], "cases",
			             "-opened", case_row, NULL);
		open_first(&p->sec[SEC_MATTERS]);
		if (!rc)
			rc = section(db, p->name, &p->sec[SEC_DEALS], "deals",
			             NULL, deal_row, NULL);
	}
	set_none(l);
	return rc;
}

/*
 * How many rows of each section fit in h lines: members whole, every
 * non-empty section at least one row, then the important sections up to
 * FIRST_ROWS, then every section a row in turn.  Returns the lines the
 * column takes (more than h when even that does not fit).
 */
static int
layout(const struct column *p, int h, size_t shown[NSECTIONS])
{
	int used = 0;
	bool more = true;

	for (size_t s = 0; s < NSECTIONS; s++) {
		size_t n = p->sec[s].n;

		shown[s] = s == SEC_MEMBERS ? n : n ? 1 : 0;
		used += 1 + (int)shown[s]; /* empty: "Heading: none" */
	}
	for (size_t s = SEC_SHARES; s <= SEC_MATTERS; s++)
		while (used < h && shown[s] < p->sec[s].n &&
		       shown[s] < FIRST_ROWS) {
			shown[s]++;
			used++;
		}
	while (used < h && more) {
		more = false;
		for (size_t s = SEC_SHARES; s < NSECTIONS && used < h; s++)
			if (shown[s] < p->sec[s].n) {
				shown[s]++;
				used++;
				more = true;
			}
	}
	return used;
}

static int
line_attr(bool head)
{
	return head ? (int)A_BOLD : (int)A_NORMAL;
}

/* Line y of the column (before scrolling), if on screen (rows 1..h):
 * returns the columns drawn, -1 when off screen. */
static int
put(WINDOW *win, int y, int x, int w, const char *s, int attr,
    const struct landscape_view *l, int h)
{
	int sy = y - (int)l->scroll + 1;

	if (sy < 1 || sy > h)
		return -1;
	return draw_text(win, sy, x, s, w, attr);
}

static int
draw_column(WINDOW *win, const struct landscape_view *l, size_t a, int x, int w,
            int h)
{
	const struct column *p = &l->cols[a];
	size_t shown[NSECTIONS];
	int lines = layout(p, h, shown), y = 0;

	draw_text(win, 0, x, p->name, w,
	          theme_attr(PAIR_ALLIANCE0 + (int)a) | A_UNDERLINE);
	for (size_t s = 0; s < NSECTIONS; s++) {
		const struct section *sec = &p->sec[s];
		char head[96];

		if (!sec->n) { /* "Heading: none recorded" */
			int n;

			snprintf(head, sizeof(head), "%s:", headings[s]);
			n = put(win, y, x, w, head, line_attr(true), l, h) + 1;
			if (n > 0)
				put(win, y, x + n, w - n, sec->none,
				    theme_attr(PAIR_DIM), l, h);
			y++;
			continue;
		}
		if (shown[s] < sec->n)
			snprintf(head, sizeof(head), "%s (%zu of %zu)",
			         headings[s], shown[s], sec->n);
		else
			snprintf(head, sizeof(head), "%s", headings[s]);
		put(win, y++, x, w, head, line_attr(true), l, h);
		for (size_t i = 0; i < shown[s]; i++)
			put(win, y++, x + 1, w - 1, sec->rows[i],
			    line_attr(false), l, h);
	}
	if (lines - (int)l->scroll > h) {
		/* more below: the last line says so */
		wmove(win, h, x);
		for (int i = 0; i < w; i++)
			waddch(win, ' ');
		draw_text(win, h, x, "… j/k scrolls", w, theme_attr(PAIR_DIM));
	}
	return lines;
}

static void
landscape_draw(struct view *v, WINDOW *win)
{
	struct landscape_view *l = (struct landscape_view *)v;
	int h = getmaxy(win), w = getmaxx(win);
	int pw = l->ncols ? w / (int)l->ncols : w;
	int body = h - 3; /* the names above, "Other players" beneath */
	int most = 0;

	werase(win);
	if (!l->ncols) {
		draw_text(win, 1, 1,
		          "No alliances in the database: run "
		          "'oligo init'.",
		          w - 2, theme_attr(PAIR_WARN));
		return;
	}
	for (size_t a = 0; a < l->ncols; a++) {
		size_t shown[NSECTIONS];
		int n = layout(&l->cols[a], body, shown);

		most = n > most ? n : most;
	}
	l->max_scroll = most > body ? (size_t)(most - body) : 0;
	if (l->scroll > l->max_scroll)
		l->scroll = l->max_scroll;
	for (size_t a = 0; a < l->ncols; a++)
		draw_column(win, l, a, (int)a * pw, pw - 1, body);
	mvwhline(win, h - 2, 0, ACS_HLINE, w);
	draw_text(win, h - 1, 0, "Other players: ", w, A_BOLD);
	draw_text(win, h - 1, 15, l->others.buf, w - 15, A_NORMAL);
}

static bool
landscape_key(struct view *v, enum action a, int page)
{
	struct landscape_view *l = (struct landscape_view *)v;
	size_t step = page > 1 ? (size_t)page - 1 : 1;

	switch (a) {
	case ACTION_DOWN:
		l->scroll += l->scroll < l->max_scroll;
		return true;
	case ACTION_UP:
		l->scroll -= l->scroll > 0;
		return true;
	case ACTION_PAGE_DOWN:
		l->scroll = l->scroll + step < l->max_scroll ? l->scroll + step
		                                             : l->max_scroll;
		return true;
	case ACTION_PAGE_UP:
		l->scroll = l->scroll > step ? l->scroll - step : 0;
		return true;
	case ACTION_FIRST:
		l->scroll = 0;
		return true;
	case ACTION_LAST:
		l->scroll = l->max_scroll;
		return true;
	default:
		return false;
	}
}

static struct view *
landscape_create(const struct view_ops *ops)
{
	struct landscape_view *l = xcalloc(1, sizeof(*l));

	l->base.ops = ops;
	strbuf_init(&l->others, 0);
	return &l->base;
}

static void
landscape_free(struct view *v)
{
	landscape_clear((struct landscape_view *)v);
	free(v);
}

const struct view_ops landscape_view_ops = {
    .name = "landscape",
    .title = "Landscape",
    .create = landscape_create,
    .load = landscape_load,
    .draw = landscape_draw,
    .key = landscape_key,
    .free = landscape_free,
};
