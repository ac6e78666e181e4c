/*
 * Landscape: the three alliances side by side — members by role with the
 * anchor's stake and money in them, the alliance's shares in its markets,
 * its latest deals and the regulators' matters naming it — and the other
 * players beneath.  Every line comes from a registered view (landscape,
 * shares, deals, cases), so each figure can be exported and traced to its
 * source row.
 */
#include <stdlib.h>
#include <string.h>

#include "db/view.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "tui/draw.h"
#include "tui/view.h"

#define MAX_ALLIANCES 3
#define SECTION_ROWS  5 /* lines per section and alliance */

enum line_kind { LINE_HEAD, LINE_TEXT, LINE_DIM };

struct line {
	enum line_kind kind;
	char *text;
};

struct panel_lines {
	char *name;
	struct line *v;
	size_t n;
};

struct landscape_view {
	struct view base;
	struct panel_lines alliances[MAX_ALLIANCES];
	size_t nalliances;
	struct strbuf others;
	size_t scroll;
};

static void
add_line(struct panel_lines *p, enum line_kind kind, struct strbuf *text)
{
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	p->v[p->n].kind = kind;
	p->v[p->n++].text = strbuf_detach(text, NULL);
}

static void
landscape_clear(struct landscape_view *l)
{
	for (size_t a = 0; a < l->nalliances; a++) {
		for (size_t i = 0; i < l->alliances[a].n; i++)
			free(l->alliances[a].v[i].text);
		free(l->alliances[a].v);
		free(l->alliances[a].name);
	}
	memset(l->alliances, 0, sizeof(l->alliances));
	l->nalliances = 0;
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

static struct panel_lines *
panel_for(struct landscape_view *l, const char *name)
{
	for (size_t a = 0; a < l->nalliances; a++)
		if (!strcmp(l->alliances[a].name, name))
			return &l->alliances[a];
	if (l->nalliances == MAX_ALLIANCES)
		return NULL;
	l->alliances[l->nalliances].name = xstrdup(name);
	return &l->alliances[l->nalliances++];
}

/* One line per member: "OpenAI (lab) stake 27.0% in $1.0B"; an entity
 * with several roles gets them joined, "Microsoft (cloud, investor)". */
static void
member_line(struct landscape_view *l, const struct view_def *d,
            struct view_cursor *c)
{
	struct strbuf sb = STRBUF_INIT;
	const char *alliance = view_text(c, 0);
	const char *role = view_text(c, 1);
	const char *entity = view_text(c, 2);
	struct panel_lines *p;
	struct line *prev;

	if (!strcmp(alliance, "Other")) {
		if (l->others.len)
			strbuf_adds(&l->others, ", ");
		strbuf_adds(&l->others, entity);
		return;
	}
	if (!(p = panel_for(l, alliance)))
		return;
	prev = p->n ? &p->v[p->n - 1] : NULL;
	if (prev && !strncmp(prev->text, entity, strlen(entity)) &&
	    prev->text[strlen(entity)] == ' ' && role) {
		/* same entity, next role: "X (a)…" becomes "X (a, b)…" */
		char *close = strchr(prev->text + strlen(entity), ')');

		if (close) {
			strbuf_add(&sb, prev->text,
			           (size_t)(close - prev->text));
			strbuf_addf(&sb, ", %s%s", role, close);
			free(prev->text);
			prev->text = strbuf_detach(&sb, NULL);
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
	add_line(p, LINE_TEXT, &sb);
}

typedef void (*row_fn)(struct strbuf *sb, const struct view_def *d,
                       struct view_cursor *c);

/* Up to SECTION_ROWS lines of view name filtered to one alliance. */
/* Whether the first word of text starts an earlier line of p after
 * index from: keeps one line per market (the latest period). */
static bool
seen_first_word(const struct panel_lines *p, size_t from, const char *text)
{
	size_t n = strcspn(text, " ");

	for (size_t i = from; i < p->n; i++)
		if (!strncmp(p->v[i].text, text, n) && p->v[i].text[n] == ' ')
			return true;
	return false;
}

static enum status
section(struct db *db, struct panel_lines *p, const char *view,
        const char *heading, const char *sort, row_fn fn, bool one_per_key)
{
	const struct view_def *d = view_find(view);
	struct view_filter f = {.alliance = p->name, .sort = sort};
	struct strbuf sb = STRBUF_INIT;
	struct view_cursor *c;
	enum status rc;
	size_t n = 0;
	bool row;

	size_t first;

	strbuf_adds(&sb, heading);
	add_line(p, LINE_HEAD, &sb);
	first = p->n;
	if ((rc = view_open(db, d, &f, &c)))
		return rc;
	while (n < SECTION_ROWS && !(rc = view_step(c, &row)) && row) {
		fn(&sb, d, c);
		if (one_per_key && seen_first_word(p, first, sb.buf))
			strbuf_reset(&sb);
		if (sb.len) {
			add_line(p, LINE_TEXT, &sb);
			n++;
		}
	}
	view_close(c);
	if (!n) {
		strbuf_adds(&sb, "(none recorded)");
		add_line(p, LINE_DIM, &sb);
	}
	return rc;
}

static void
share_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	bool low = !col_null(d, c, "share_low_pct");
	bool high = !col_null(d, c, "share_high_pct");

	if (col_null(d, c, "share_pct") && !low && !high)
		return;
	col(sb, d, c, "market");
	strbuf_adds(sb, " ");
	col(sb, d, c, "period");
	strbuf_adds(sb, " ");
	col(sb, d, c, "entity");
	strbuf_adds(sb, " ");
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

static void
case_row(struct strbuf *sb, const struct view_def *d, struct view_cursor *c)
{
	col(sb, d, c, "authority");
	strbuf_adds(sb, " [");
	col(sb, d, c, "status");
	strbuf_adds(sb, "] ");
	col(sb, d, c, "title");
}

static enum status
landscape_load(struct view *v, struct db *db)
{
	struct landscape_view *l = (struct landscape_view *)v;
	const struct view_def *d = view_find("landscape");
	struct view_cursor *c;
	enum status rc;
	bool row;

	landscape_clear(l);
	if ((rc = view_open(db, d, NULL, &c)))
		return rc;
	while (!(rc = view_step(c, &row)) && row)
		member_line(l, d, c);
	view_close(c);
	for (size_t a = 0; a < l->nalliances && !rc; a++) {
		struct panel_lines *p = &l->alliances[a];

		rc = section(db, p, "shares", "Shares (latest period)",
		             "-period", share_row, true);
		if (!rc)
			rc = section(db, p, "deals", "Latest deals", NULL,
			             deal_row, false);
		if (!rc)
			rc = section(db, p, "cases", "Regulators", "-opened",
			             case_row, false);
	}
	return rc;
}

static void
draw_panel(WINDOW *win, const struct panel_lines *p, int pair, int x, int w,
           size_t scroll)
{
	int h = getmaxy(win) - 2; /* leave room for "Other players" */

	draw_text(win, 0, x, p->name, w, theme_attr(pair) | A_UNDERLINE);
	for (size_t i = scroll; i < p->n && (int)(i - scroll) + 1 < h; i++) {
		int y = (int)(i - scroll) + 1;
		int attr = p->v[i].kind == LINE_HEAD  ? (int)A_BOLD
		           : p->v[i].kind == LINE_DIM ? theme_attr(PAIR_DIM)
		                                      : (int)A_NORMAL;

		draw_text(win, y, x + (p->v[i].kind == LINE_HEAD ? 0 : 1),
		          p->v[i].text, w - 1, attr);
	}
}

static void
landscape_draw(struct view *v, WINDOW *win)
{
	struct landscape_view *l = (struct landscape_view *)v;
	int h = getmaxy(win), w = getmaxx(win);
	int pw = l->nalliances ? w / (int)l->nalliances : w;

	werase(win);
	if (!l->nalliances) {
		draw_text(win, 1, 1,
		          "No alliances in the database: run "
		          "'oligo init'.",
		          w - 2, theme_attr(PAIR_WARN));
		return;
	}
	for (size_t a = 0; a < l->nalliances; a++)
		draw_panel(win, &l->alliances[a], PAIR_ALLIANCE0 + (int)a,
		           (int)a * pw, pw - 1, l->scroll);
	mvwhline(win, h - 2, 0, ACS_HLINE, w);
	draw_text(win, h - 1, 0, "Other players: ", w, A_BOLD);
	draw_text(win, h - 1, 15, l->others.buf, w - 15, A_NORMAL);
}

static bool
landscape_key(struct view *v, enum action a, int page)
{
	struct landscape_view *l = (struct landscape_view *)v;

	switch (a) {
	case ACTION_DOWN:
		l->scroll++;
		return true;
	case ACTION_UP:
		l->scroll = l->scroll ? l->scroll - 1 : 0;
		return true;
	case ACTION_FIRST:
		l->scroll = 0;
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
