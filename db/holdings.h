#ifndef OLIGO_DB_HOLDINGS_H
#define OLIGO_DB_HOLDINGS_H

/*
 * Typed reads for the ownership and compute analyses: the holding table
 * (who owns and controls how much of whom, and since when) and the
 * lab-to-cloud dependence table derived from compute deals.
 *
 * Units: fractions here (own_pct / 100), because the kernels take
 * fractions; the database keeps percent.  Unknown stays unknown: a NULL
 * own_pct arrives as NaN and is never replaced by a guess.
 *
 * Ownership: holdings_load() fills a struct the caller releases with
 * holdings_release(); every string in it is owned by the struct.
 */

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct holding_rec {
	int64_t investor_id, firm_id;
	const char *investor, *firm; /* names, owned by struct holdings */
	double own;                  /* fraction 0..1; NaN = undisclosed */
	double ctrl;                 /* fraction 0..1; = own when NULL */
	const char *as_of;           /* NULL: applies to every period */
};

/*
 * Every holding, one per (investor, firm, as_of): where several sources
 * report the same date the most confident (then the newest row) wins.
 * Sorted by firm_id, investor_id, then as_of with NULL first, so the
 * rows of one pair are in time order.
 */
struct holdings {
	struct holding_rec *rows;
	size_t n;
	char **strings; /* blocks holding each distinct name and date once */
	size_t nstrings;
};

enum status holdings_load(struct db *db, struct holdings *out /* OUT */);

/*
 * The same, without the rows dated after end ("YYYY-MM-DD", see
 * ownership_period_end()): all that ownership_kappa() and ownership_mhhi()
 * look at for a period ending on or before end.  end NULL: every row.
 */
enum status holdings_load_until(struct db *db, const char *end,
                                struct holdings *out /* OUT */);
void holdings_release(struct holdings *h);

/*
 * Rebuild the dependence table inside the caller's transaction: for every
 * lab (entity kind 'lab' or a 'lab' member of an alliance) and every year
 * in which it signed a cloud_commitment or compute_supply deal, the
 * commitments it had made by the end of that year, and the percent of
 * their disclosed dollar amount that goes to its own alliance's cloud
 * (the counterparty's alliance: its own membership, its parent's, or the
 * alliance it anchors).  dependence_pct is NULL when no amount is
 * disclosed or the lab is in no alliance; undisclosed deals are counted,
 * never valued.
 */
enum status dependence_store(struct db *db);

struct dependence_rec {
	char *lab, *alliance; /* alliance NULL when the lab is in none */
	char *period;         /* year: commitments through its end */
	int deals, undisclosed;
	double disclosed_usd, own_cloud_usd; /* NaN when nothing disclosed */
	double dependence_pct;               /* percent, NaN = unknown */
};

/* All rows, by lab then period; free with dependence_release(). */
enum status dependence_load(struct db *db, struct dependence_rec **out,
                            size_t *n /* OUT */);
void dependence_release(struct dependence_rec *rows, size_t n);

#endif
