#ifndef OLIGO_DB_SERIES_H
#define OLIGO_DB_SERIES_H

/*
 * Small typed reads for the dashboard's charts: figures over time and
 * where they come from.  Each loader fills a struct series, a table of
 * rows with a fixed number of text and number columns (documented per
 * loader).  Each loader reads its rows whole and finalizes its statement
 * before it returns, so no read transaction outlives the call.
 *
 * Unknown stays unknown: SQL NULL is a NULL string or NaN.
 * Ownership: the caller releases the series with series_release(); every
 * string in it is owned by the series.
 */

#include <stddef.h>

#include "db/db.h"

struct series {
	size_t n;           /* rows */
	size_t ntext, nnum; /* columns of each kind per row */
	char **text;        /* n x ntext */
	double *num;        /* n x nnum */
};

void series_release(struct series *s);

/* Column c of row r: a string (NULL when unknown) or a number (NaN). */
const char *series_text(const struct series *s, size_t r, size_t c);
double series_num(const struct series *s, size_t r, size_t c);

/*
 * The standalone HHI of every market-period the analysis refresh stored
 * (the metric table), for one market or all (market NULL), by market then
 * period.  text: market, period; num: hhi (points).
 */
enum status series_hhi(struct db *db, const char *market,
                       struct series *out /* OUT */);

/*
 * Where a market's shares come from, per period and source, by period
 * then most rows first: the share rows, or for the pseudo-market
 * ai_compute the compute rows.
 * text: period, source, latest as_of; num: rows.
 */
enum status series_sources(struct db *db, const char *market,
                           struct series *out /* OUT */);

/*
 * Compute owned: one row per owner and period, the best row as the
 * analysis panel chooses it (confidence, then the latest as_of, then the
 * newest row), by period then H100e, largest first.
 * text: owner, alliance (NULL when none), period, chip, source, as_of;
 * num: h100e, h100e_low, h100e_high, and the alliance's rank by id
 * (0 for the first alliance; NaN when none), for its colour.
 */
enum status series_compute(struct db *db, struct series *out /* OUT */);

/*
 * The first limit holdings in the ownership view's order (firm, then the
 * latest as_of first), and in *total how many there are: a 13F data set
 * brings tens of thousands, and the dashboard shows a screenful.
 * text: investor, firm, as_of, source; num: own_pct, ctrl_pct.
 */
enum status series_holdings(struct db *db, size_t limit,
                            struct series *out /* OUT */,
                            size_t *total /* OUT */);

/*
 * The quarters of the 13F filings imported, oldest first ("2025Q3").
 * text: quarter; num: filings.  No rows: no 13F data imported.
 */
enum status series_f13_quarters(struct db *db, struct series *out /* OUT */);

#endif
