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
};

/* Every view embeds this first. */
struct view {
	const struct view_ops *ops;
};

extern const struct view_ops landscape_view_ops;

/* A table view over the registered db view of the same name. */
const struct view_ops *table_view_ops(const char *name);

#endif
