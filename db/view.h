#ifndef OLIGO_DB_VIEW_H
#define OLIGO_DB_VIEW_H

/*
 * The view registry: every table a user can see or export is defined once
 * here (name, columns with types and units, SQL, default sort) and used by
 * both the dashboard and `oligo export`, so an export holds exactly the
 * rows and columns the screen shows with the same filters.
 *
 * Column names are the CSV headers and carry their unit (amount_usd,
 * share_pct, hhi_points); titles are the short screen headings.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

enum col_type {
	COL_TEXT,   /* untrusted text: sanitized, injection-safe in CSV */
	COL_DATE,   /* ISO 8601 text written by oligo */
	COL_INT,    /* integer */
	COL_REAL,   /* number, `decimals` places on screen */
	COL_USD,    /* integer dollars; shown as $1.3B on screen */
	COL_PCT,    /* percent 0–100 */
	COL_POINTS, /* HHI points 0–10,000 */
};

struct view_col {
	const char *name;  /* CSV header, snake_case with unit */
	const char *title; /* screen heading */
	enum col_type type;
	int width;    /* preferred screen width in columns */
	int decimals; /* for COL_REAL/COL_PCT/COL_POINTS on screen */
};

struct view_def {
	const char *name;  /* `oligo export NAME` */
	const char *title; /* screen title */
	const char *sql;   /* SELECT yielding cols in order */
	const char *sort;  /* default ORDER BY, in terms of the columns */
	const struct view_col *cols;
	size_t ncols;
	/* Which columns the standard filters apply to (NULL: not offered). */
	const char *alliance_col;
	const char *entity_cols; /* comma-separated */
	/* A SELECT of the keys of the rows naming :entity, used instead of
	 * matching entity_cols (which may be costly to build per row). */
	const char *entity_keys;
	const char *market_col;
	const char *source_col; /* a source name, filtered by equality */
	const char *date_col;
	bool searchable; /* search matches the FTS5 table fts */
	const char *fts; /* FTS5 table whose rowids are key values */
	/*
	 * A column of sql (not shown, not exported) holding a unique
	 * integer per row: it breaks ties in every order, so the rows can
	 * be read a page at a time (view_page()).  With it, sort is one
	 * column and a direction ("published DESC"), and an order is
	 * always (that column, key) in one direction.  NULL: the view is
	 * read whole.
	 */
	const char *key;
	/*
	 * The filter a positional argument sets: "market" for
	 * `oligo export market cloud_infrastructure`.  view_open() then
	 * fails (ST_USAGE "no market 'x'") when no market has that name,
	 * rather than return no rows.  Without the argument the view holds
	 * every market.  NULL for views without one.
	 */
	const char *param;
	/*
	 * Where the rows' facts come from, for view_provenance(): a SELECT
	 * yielding columns source and as_of (and market when market_col is
	 * set).  NULL: the view's own source and as_of (or date_col) columns.
	 */
	const char *prov_sql;
	const char *kind_col; /* a kind, filtered by equality */
	/*
	 * What happened to one row, listed under its fields in the
	 * dashboard's detail pane (a case's timeline and linked items): a
	 * SELECT with :key bound to the row's detail_key column as the
	 * screen shows it, yielding section, date, text, link and note
	 * (each may be NULL) in the order to list them.  NULL: none.
	 */
	const char *detail_sql;
	const char *detail_key;
};

/*
 * Filters a user set; NULL or "" means unset.  search is the text as the
 * user typed it: view_open() quotes it with view_fts_query(), so callers
 * (the CLI, the dashboard's search box) pass it through unchanged.
 */
struct view_filter {
	const char *alliance;
	const char *entity;
	const char *market;
	const char *source; /* a source's name, as the Sources view lists */
	const char *kind;   /* a deal's kind, as the Deals view lists */
	const char *since;  /* inclusive, ISO date */
	const char *until;  /* inclusive, ISO date */
	const char *search;
	const char *sort; /* a column name, '-' prefix for descending */
};

/* The registered views, in menu order; static storage. */
const struct view_def *const *view_all(size_t *n /* OUT */);
const struct view_def *view_find(const char *name);

/*
 * The user's search text as an FTS5 query that cannot be a syntax error:
 * each run of non-blank characters becomes one FTS5 string ("term", with
 * every '"' doubled), and the strings are ANDed.  So `10-K`, `AND`, `NEAR(`
 * and a lone `"` are searched for as text, never read as operators.  A
 * term ending in '*' (and longer than it) stays a prefix search: `clou*`
 * becomes `"clou" *`.  Returns a new string the caller frees, or NULL
 * when s holds no term (no search).
 */
char *view_fts_query(const char *s);

/* Index of the column called name, or -1. */
int view_col_index(const struct view_def *v, const char *name);

struct view_cursor;

/*
 * Run view v with filter f (may be NULL).  Fails with ST_USAGE when a
 * filter is set that the view does not offer, or the sort column is not
 * one of its columns.  The cursor holds a read statement: step it to the
 * end or close it promptly, so the WAL can be checkpointed.
 */
enum status view_open(struct db *db, const struct view_def *v,
                      const struct view_filter *f, struct view_cursor **out);

/* Advance; *row is false at the end. */
enum status view_step(struct view_cursor *c, bool *row /* OUT */);

/* Column i of the current row: NULL for SQL NULL (valid until the next
 * step). */
const char *view_text(struct view_cursor *c, size_t i);
bool view_is_null(struct view_cursor *c, size_t i);
double view_real(struct view_cursor *c, size_t i);
int64_t view_int(struct view_cursor *c, size_t i);

/* What column i of the current row holds (SQLite's storage class; a
 * blob counts as text): a numeric column may hold text after a bad
 * import, and exporters must not write that as a number. */
enum view_value { VIEW_NULL, VIEW_INT, VIEW_REAL, VIEW_TEXT };
enum view_value view_type(struct view_cursor *c, size_t i);

void view_close(struct view_cursor *c);

/*
 * The SELECT view_open() prepares for v and f (named parameters :alliance,
 * :entity, :market, :source, :kind, :since, :until, :search unbound),
 * appended to out:
 * for `oligo export --sql` and the benchmark, which run the very same
 * query through the sqlite3 shell.  Fails like view_open() on a filter
 * the view does not offer.
 */
struct strbuf;
enum status view_sql(struct strbuf *out, const struct view_def *v,
                     const struct view_filter *f);

/*
 * Where view v's facts come from, one row per source, most rows first:
 * column 0 source (text, NULL when unrecorded), 1 rows (int), 2 first
 * as-of date, 3 last as-of date (ISO text, NULL when none).  Honours
 * f's market filter (the `market` view's argument); other filters are
 * ignored.  Read it with view_step()/view_text()/view_int().
 */
enum status view_provenance(struct db *db, const struct view_def *v,
                            const struct view_filter *f,
                            struct view_cursor **out);

/*
 * The detail rows of v's row whose detail_key column shows key, as
 * v->detail_sql describes them: columns 0 section, 1 date, 2 text,
 * 3 link, 4 note.  v must have a detail_sql.
 */
enum status view_detail(struct db *db, const struct view_def *v,
                        const char *key, struct view_cursor **out);

/* The distinct values of v's column col in column 0, sorted, without
 * NULL: the choices a filter on that column cycles through. */
enum status view_distinct(struct db *db, const struct view_def *v,
                          const char *col, struct view_cursor **out);

/*
 * Keyset paging, for views with a key: a page is the rows after (or
 * before) a row's place in the order, found through an index rather
 * than by skipping rows, so page 40,000 costs what page 1 does.
 *
 * A mark is a row's place: its sort value and its key.  Text is owned
 * by the mark (view_mark_release()).
 */
struct view_mark {
	enum view_value type; /* the sort value's; VIEW_NULL sorts first */
	int64_t i;
	double r;
	char *s;
	int64_t key;
};

void view_mark_release(struct view_mark *m);
void view_mark_copy(struct view_mark *dst, const struct view_mark *src);

/*
 * A view under one filter, ready to read pages.  It decides once how to
 * run the search (driving from the FTS5 matches when they are few, from
 * the sort's index with a membership test when they are many) and holds
 * no statement between calls.  Fails like view_open().
 */
struct view_pager;
enum status view_pager_new(struct db *db, const struct view_def *v,
                           const struct view_filter *f,
                           struct view_pager **out);
void view_pager_free(struct view_pager *p);

enum view_seek {
	VIEW_AT,     /* the mark's row (if it still exists) and later rows */
	VIEW_AFTER,  /* rows after the mark */
	VIEW_BEFORE, /* rows before the mark, nearest first */
};

/*
 * At most limit rows from `at` (NULL: the first row; with VIEW_BEFORE
 * the last row, so the last page, last row first).  Columns as
 * view_open(); view_mark() reads the current row's mark.
 */
enum status view_page(struct view_pager *p, const struct view_mark *at,
                      enum view_seek how, size_t limit,
                      struct view_cursor **out);
void view_mark(struct view_cursor *c, struct view_mark *out /* OUT */);

/*
 * How many rows come before `at` (NULL: rows in all), counting no
 * further than cap: *n == cap means "cap or more".
 */
enum status view_pager_count(struct view_pager *p, const struct view_mark *at,
                             size_t cap, size_t *n /* OUT */);

/* The largest key of keyed view v (0 when it has no rows): keys grow
 * as rows arrive, so rows above it are new. */
enum status view_max_key(struct db *db, const struct view_def *v,
                         int64_t *out /* OUT */);

/*
 * Whether an index gives keyed view v's rows in order sort (a column,
 * '-' for descending) without sorting them all: sorting a million rows
 * takes seconds, so the dashboard offers only these on large views.
 * Views read whole are always "indexed".
 */
bool view_sort_indexed(struct db *db, const struct view_def *v,
                       const char *sort);

/*
 * Format a value for the screen: numbers with their unit (USD as
 * "$13.0B", percent "31.0%", points "2,600"), NULL as "—".  Appends to
 * out.
 */
void view_format(struct strbuf *out, const struct view_col *col,
                 struct view_cursor *c, size_t i);

#endif
