#ifndef OLIGO_TUI_ACTIONS_H
#define OLIGO_TUI_ACTIONS_H

/*
 * Every action the dashboard knows, once: this table generates the enum,
 * the default key bindings, the config names and the help screen.
 *   _(ENUM, config-name, default key, second key or 0, help text)
 */
#define ACTION_TABLE(_)                                                        \
	_(QUIT, "quit", 'q', 0, "Quit")                                        \
	_(HELP, "help", '?', 0, "Show or hide this help")                      \
	_(NEXT_VIEW, "next-view", '\t', 0, "Next view")                        \
	_(PREV_VIEW, "prev-view", KEY_BTAB, 0, "Previous view")                \
	_(VIEW_1, "view-landscape", '1', 0, "Landscape: the three alliances")  \
	_(VIEW_2, "view-markets", '2', 0, "Markets: concentration per market") \
	_(VIEW_3, "view-compute", '3', 0, "Compute owned")                     \
	_(VIEW_4, "view-ownership", '4', 0, "Ownership stakes")                \
	_(VIEW_5, "view-deals", '5', 0, "Deals")                               \
	_(VIEW_6, "view-cases", '6', 0, "Regulatory cases")                    \
	_(VIEW_7, "view-news", '7', 0, "News")                                 \
	_(VIEW_8, "view-filings", '8', 0, "SEC filings")                       \
	_(VIEW_9, "view-sources", '9', 0, "Sources")                           \
	_(DOWN, "move-down", 'j', KEY_DOWN, "Move down")                       \
	_(UP, "move-up", 'k', KEY_UP, "Move up")                               \
	_(PAGE_DOWN, "page-down", KEY_NPAGE, ' ', "Page down")                 \
	_(PAGE_UP, "page-up", KEY_PPAGE, 'b', "Page up")                       \
	_(FIRST, "move-first", 'g', KEY_HOME, "First row")                     \
	_(LAST, "move-last", 'G', KEY_END, "Last row")                         \
	_(LEFT, "scroll-left", 'h', KEY_LEFT, "Scroll left")                   \
	_(RIGHT, "scroll-right", 'l', KEY_RIGHT, "Scroll right")               \
	_(REFRESH, "redraw", 0x0c, 0, "Reload and redraw (Ctrl-L)")            \
	_(SEARCH, "search", '/', 0,                                            \
	  "Search (News): Enter applies, Esc clears")                          \
	_(FILTER, "filter-alliance", 'f', 0, "Filter by alliance (cycles)")    \
	_(FILTER_ENTITY, "filter-entity", 'E', 0,                              \
	  "Filter by the selected row's entity (again: its next; cycles)")     \
	_(FILTER_SOURCE, "filter-source", 'F', 0, "Filter by source (cycles)") \
	_(FILTER_KIND, "filter-kind", 'K', 0,                                  \
	  "Filter by kind (Deals; cycles)")                                    \
	_(SORT, "sort", 's', 0, "Sort by the next column (cycles)")            \
	_(OPEN_DETAIL, "open-detail", '\n', KEY_ENTER,                         \
	  "Open the selected row")                                             \
	_(CLOSE, "close", 27, 0, "Close the detail; clear the search")         \
	_(EXPORT, "export", 'e', 0, "Export this view as CSV to the folder")   \
	_(OPEN_LINK, "open-link", 'o', 0, "Open the row's link in a browser")  \
	_(SELECT_ROW, "select-row", 0, 0, "Select the clicked row")            \
	_(INGEST, "ingest", 'r', 0, "Run oligo ingest in the background")      \
	_(PERIOD_PREV, "period-prev", '[', 0, "Previous period or quarter")    \
	_(PERIOD_NEXT, "period-next", ']', 0, "Next period or quarter")        \
	_(SCENARIO, "scenario", 'c', 0,                                        \
	  "Market: next scenario (standalone, alliances, ownership, merger)")  \
	_(MARK, "mark-merger", 'm', 0, "Market: mark a firm for the merger")

enum action {
	ACTION_NONE,
#define ACTION_ENUM(e, name, key, key2, help) ACTION_##e,
	ACTION_TABLE(ACTION_ENUM)
#undef ACTION_ENUM
	    ACTION_COUNT
};

struct action_info {
	enum action action;
	const char *name;
	int key, key2;
	const char *help;
};

/* The table above, ACTION_COUNT - 1 entries; static storage. */
const struct action_info *action_table(size_t *n /* OUT */);

/* The action bound to key, or ACTION_NONE. */
enum action action_for_key(int key);

/* "q", "Tab", "PgDn": a printable name for a key; static storage. */
const char *action_key_name(int key);

#endif
