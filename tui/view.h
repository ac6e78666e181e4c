#ifndef OLIGO_TUI_VIEW_H
#define OLIGO_TUI_VIEW_H

/*
 * A screen of the dashboard: an ops table plus state.  load() reads a
 * snapshot from the database (and releases every statement before it
 * returns, so the dashboard never holds a read transaction while it waits
 * for a key); draw() paints from that snapshot only; key() handles an
 * action and says whether to redraw.
 */

#include <curses.h>
#include <stdbool.h>

#include "db/db.h"
#include "db/view.h"
#include "tui/actions.h"

struct view;

struct view_ops {
	const char *name;  /* "landscape": the export name as well */
	const char *title; /* shown in the tab bar */
	struct view *(*create)(const struct view_ops *ops);
	enum status (*load)(struct view *v, struct db *db);
	void (*draw)(struct view *v, WINDOW *win);
	bool (*key)(struct view *v, enum action a, int page_rows);
	void (*free)(struct view *v);
	/*
	 * Optional (NULL: the view does not offer it).  query() says what
	 * the screen shows, for `e` export: the db view and the filters and
	 * sort in force (pointers valid until the next key or load).
	 * search() applies the user's text as typed ("" clears) and says
	 * whether the view is searchable.  link() is the selected row's
	 * link or url as stored, NULL when none.
	 */
	const struct view_def *(*query)(struct view *v,
	                                struct view_filter *f /* OUT */);
	bool (*search)(struct view *v, const char *text);
	const char *(*link)(struct view *v);
};

/*
 * Every view embeds this first.  A key handler sets reload when its
 * filters changed (the app then calls load()), and msg to say something
 * in the status line ("no alliance filter here").
 */
struct view {
	const struct view_ops *ops;
	bool reload;
	char msg[160];
};

extern const struct view_ops landscape_view_ops;
/* Views 2-4: charts over the markets, compute and ownership db views. */
extern const struct view_ops markets_view_ops;
extern const struct view_ops compute_view_ops;
extern const struct view_ops ownership_view_ops;

/* A table view over the registered db view of the same name. */
const struct view_ops *table_view_ops(const char *name);

#endif
