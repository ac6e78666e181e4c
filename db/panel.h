#ifndef OLIGO_DB_PANEL_H
#define OLIGO_DB_PANEL_H

/*
 * The share panel: every market-period's best available point shares
 * (view share_best), with each firm's alliance, read in one query for the
 * analysis kernels; and the metric table they write back.
 *
 * A firm's alliance is its own membership, else its parent's, else the
 * alliance it anchors; a firm in several alliances counts in the one with
 * the lowest id (documented in README: the bundled alliances do not
 * overlap in markets with shares).  Ranges without a point estimate are
 * left out of the panel: an index over a guess would not be defensible.
 */

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
	/* nshares entries each, grouped by row: */
	double *share_pct;
	int *alliance;  /* index into alliances, or -1 */
	char **entity;  /* names */
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

/* One metric row; NaN values are stored as NULL. */
struct metric_values {
	const char *scenario; /* "standalone", "alliances" */
	int n_firms;
	double listed_pct, hhi, hhi_lower, hhi_upper, cr[4];
	double hhi_post, delta_hhi, merged_share, mhhi, delta_mhhi;
	const char *us2023, *us2010, *eu2004; /* NULL when not screened */
};

/* Replace all metric rows: metric_begin(), metric_put()…, metric_end(). */
enum status metric_begin(struct db *db);
enum status metric_put(struct db *db, const struct panel_row *row,
		       const struct metric_values *v);
enum status metric_end(struct db *db, enum status rc);

#endif
