#ifndef OLIGO_DB_PANEL_H
#define OLIGO_DB_PANEL_H

/*
 * The share panel: every market-period's best available point shares
 * (view share_best), with each firm's alliance, read in one query for the
 * analysis kernels; and the metric tables they write back.
 *
 * The pseudo-market "ai_compute" joins the panel with one row per period
 * of the compute table: each owner's share (percent) of the H100e owned
 * by the owners listed for that period (the best row per owner and
 * period, as for shares; rows without an H100e point value, or with a
 * negative one, are left out).  Its listed shares therefore add up to
 * 100 %: concentration among the disclosed owners, not of the world.
 *
 * A firm's alliance is its own membership, else its parent's, else the
 * alliance it anchors; a firm in several alliances counts in the one with
 * the lowest id (documented in README: the bundled alliances do not
 * overlap in markets with shares).  Ranges without a point estimate are
 * left out of the panel: an index over a guess would not be defensible.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct panel_row {
	int64_t market_id;
	char *market;
	char *period;
	size_t first; /* index of its first share in the arrays below */
	size_t n;     /* number of shares */
};

struct panel {
	struct panel_row *rows;
	size_t nrows;
	/* nshares entries each, grouped by row, largest share first: */
	double *share_pct;
	int *alliance;      /* index into alliances, or -1 */
	int64_t *entity_id; /* entity ids (names: panel_load_names()) */
	char **entity_name; /* NULL until panel_load_names() */
	size_t nshares;
	char **alliances; /* names, nalliances entries */
	size_t nalliances;
};

/*
 * Read the panel, optionally limited to one market and/or period (NULL:
 * all).  The caller releases it with panel_release().
 */
enum status panel_load(struct db *db, const char *market, const char *period,
                       struct panel *out /* OUT */);
void panel_release(struct panel *p);

/*
 * Fill p->entity_name (nshares entries, parallel to entity_id) with each
 * firm's entity name; panel_release() frees them.  A second call is a
 * no-op.  Kept out of panel_load(): the refresh never needs names.
 */
enum status panel_load_names(struct db *db, struct panel *p);

/* *known = whether a market of that name (case-insensitive) exists. */
enum status panel_market_known(struct db *db, const char *name,
                               bool *known /* OUT */);

/* One metric row; NaN values are stored as NULL. */
struct metric_values {
	const char *scenario; /* "standalone", "alliances", "ownership", … */
	int n_firms;
	double listed_pct, hhi, hhi_lower, hhi_upper, cr[4];
	double hhi_post, delta_hhi, merged_share, mhhi, delta_mhhi;
	const char *us2023, *us2010, *eu2004; /* NULL when not screened */
};

/* One metric_ext row (see db/schema_analysis.c); NaN stored as NULL. */
struct metric_ext {
	double hhi_normalized, numbers_equivalent, hall_tideman, gini,
	    gini_normalized, entropy, theil, linda, dominance, ck;
	int holdings_used, holdings_undisclosed;
};

/*
 * Replace all rows of metric and metric_ext in one transaction:
 * metric_begin(), metric_put()/metric_put_ext()…, metric_end(), which
 * commits when rc is ST_OK and rolls back otherwise.  Rows are inserted
 * in batches, so an error may surface at a later put or at metric_end();
 * the row and the strings a put points to must stay valid until
 * metric_end().
 *
 * Read the panel AFTER metric_begin(), inside its transaction: the
 * writer turns foreign-key checks off for the connection until
 * metric_end() (each metric row names a market the same transaction has
 * just read, so the checks prove nothing, and without them the old rows
 * go in one truncation instead of row by row).  Between the two calls
 * the connection must write nothing else that needs those checks.  The
 * page cache is enlarged meanwhile, so the rows are written once, at
 * COMMIT.
 */
struct metric_writer {
	struct db *db;
	struct sqlite3_stmt *put, *ext;
	struct metric_queue *q; /* rows waiting for a full batch */
	/* the connection's settings, restored by metric_end() */
	int foreign_keys;
	int64_t cache_size;
};

enum status metric_begin(struct db *db, struct metric_writer *w /* OUT */);
enum status metric_put(struct metric_writer *w, const struct panel_row *row,
                       const struct metric_values *v);
enum status metric_put_ext(struct metric_writer *w, const struct panel_row *row,
                           const struct metric_ext *x);
enum status metric_end(struct metric_writer *w, enum status rc);

#endif
