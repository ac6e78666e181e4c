#ifndef OLIGO_DB_OWNERSHIP_H
#define OLIGO_DB_OWNERSHIP_H

/*
 * Ownership and compute data from public datasets: Form 13F filings and
 * their positions in tracked CUSIPs, shares outstanding, and the rows the
 * Epoch AI importers write (compute per owner and period, notable models).
 * All SQL for these lives here; ingest/f13.c, ingest/xbrl.c and
 * ingest/epoch.c parse, this file stores.
 *
 * None of these functions opens a transaction: the importer wraps a whole
 * file in db_begin()/db_commit() so that a bad line leaves nothing behind.
 *
 * 13F holdings are derived, not written: own_refresh_holdings() rebuilds
 * the holding rows with origin '13f' from f13_filing, f13_position, cusip
 * and outstanding.  Per filer (CIK) and period of report the positions
 * that count are those of the latest original or RESTATEMENT filing (by
 * filing date, then accession) plus every NEW HOLDINGS amendment filed
 * after it; an amendment never adds to the report it restates, so the
 * same data set imported twice, or a restatement next to its original,
 * counts each share once.  own_pct = 100 x shares / outstanding at the
 * latest as_of on or before the period end; without one the position is
 * kept but no holding is made (counted in skipped_no_outstanding).
 *
 * A firm the filer held (shares > 0) in its previous counted report and
 * not in this period's gets own_pct 0 at this period, note "no position
 * reported", source this report's filing, with or without an outstanding
 * value: the analysis takes the latest holding on or before a period end,
 * and the old stake must stop counting.  A filer with no report for a period is
 * not assumed to have sold anything.  Everything is derived from all
 * stored filings at each refresh, so the order of imports does not
 * matter.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "lib/strbuf.h"

/* What an ownership import did; the caller owns it (own_report_release). */
struct own_report {
	size_t rows;      /* input rows or facts read */
	size_t filings;   /* 13F filings (13F-HR, 13F-HR/A) in the input */
	size_t positions; /* (filing, tracked CUSIP) sums stored */
	size_t changed;   /* rows inserted, updated or deleted */
	size_t holdings;  /* 13F holding rows after the refresh */
	size_t skipped_no_outstanding; /* (filer, firm, period) left out */
	size_t computed;               /* compute rows written (Epoch) */
	struct strbuf notes;           /* lines for stderr, each ending \n */
};

void own_report_init(struct own_report *rep);
void own_report_release(struct own_report *rep);

/* Prepared statements for one import; own_close() frees them. */
struct own;

enum status own_open(struct db *db, struct own **out /* OUT */);
void own_close(struct own *o);

/*
 * Call fn for every CUSIP in the bundled map (9 characters, upper case);
 * the string is valid during the call only.
 */
enum status own_each_cusip(struct own *o,
                           void (*fn)(void *ctx, const char *cusip), void *ctx);

/* One 13F filing (all strings borrowed, already clean). */
struct own_filing {
	const char *accession; /* 0000950123-25-012345 */
	const char *cik;       /* digits, leading zeros allowed */
	const char *filer;     /* may be NULL */
	const char *form;      /* 13F-HR or 13F-HR/A */
	const char *filed;     /* YYYY-MM-DD or NULL */
	const char *period;    /* YYYY-MM-DD */
	const char *quarter;   /* 2025Q3 */
	const char *amendment; /* NULL, "RESTATEMENT" or "NEW HOLDINGS" */
	const char *source;    /* e.g. "data set 2025q3_form13f.zip" */
};

/*
 * Insert or update the filing and forget its stored positions: the caller
 * then adds them all again with own_put_position().  Content that does
 * not change leaves the tables as they were.
 */
enum status own_put_filing(struct own *o, const struct own_filing *f);

/* Add shares (and value in whole dollars, < 0: unknown) of a CUSIP. */
enum status own_put_position(struct own *o, const char *accession,
                             const char *cusip, int64_t shares,
                             int64_t value_usd);

/* Rebuild the 13F holdings (see above) and fill rep's counters. */
enum status own_refresh_holdings(struct own *o, struct own_report *rep);

/*
 * Shares outstanding of entity on as_of (YYYY-MM-DD); replaces a value
 * for the same day.  *changed (may be NULL) tells whether a row changed.
 */
enum status own_put_outstanding(struct own *o, int64_t entity_id,
                                const char *as_of, int64_t shares,
                                const char *source, const char *origin,
                                bool *changed /* OUT */);

/*
 * Track cusip (9 characters, stored upper case) as entity's security from
 * the next 13F import on; replaces an earlier mapping of that CUSIP.
 * cls, source and as_of may be NULL.
 */
enum status own_put_cusip(struct own *o, const char *cusip, int64_t entity_id,
                          const char *cls, const char *source,
                          const char *as_of);

/* *id = the entity whose SEC CIK is cik (leading zeros ignored), or 0. */
enum status own_entity_by_cik(struct own *o, const char *cik,
                              int64_t *id /* OUT */);

/*
 * Compute owned by owner in period (H100-equivalents), one row per owner,
 * period and origin (e.g. 'epoch-chip-owners'); replaces that row.
 */
struct own_compute {
	int64_t owner_id;
	const char *period; /* 2025Q3 */
	double h100e;
	const char *chip; /* may be NULL */
	const char *source;
	const char *as_of; /* may be NULL */
	const char *note;  /* may be NULL */
	const char *origin;
	/* high|medium|low or NULL; the analysis prefers the most confident
	 * row of an owner and period whatever its origin */
	const char *confidence;
};
enum status own_put_compute(struct own *o, const struct own_compute *c,
                            bool *changed /* OUT */);

/* An Epoch notable model; entity_id 0 when the organization is unknown. */
struct own_model {
	const char *name;
	const char *organization;
	int64_t entity_id;
	const char *published; /* YYYY-MM-DD or NULL */
	const char *flop;      /* training compute as text, NULL/"": unknown */
	const char *hardware;
	const char *source;
};
enum status own_put_model(struct own *o, const struct own_model *m,
                          bool *changed /* OUT */);

/*
 * Replacing a whole dataset: between own_keep_begin() and own_keep_end()
 * every compute row and model written is remembered; own_keep_end()
 * then deletes the compute rows of origin, and with models the
 * epoch_model rows, that this import did not write (the dataset dropped
 * them), adding the count to *deleted.  A file imported twice deletes
 * nothing.
 */
enum status own_keep_begin(struct own *o);
enum status own_keep_end(struct own *o, const char *origin, bool models,
                         size_t *deleted /* IN/OUT */);

#endif
