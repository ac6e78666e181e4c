#ifndef OLIGO_ANALYSIS_REFRESH_H
#define OLIGO_ANALYSIS_REFRESH_H

/*
 * From the database to the kernels and back: the metric tables that the
 * dashboard and exports read are recomputed from the share panel and the
 * holdings after every import and ingest.  This file and ownership.c are
 * the only ones in analysis/ that know db/ types; the kernels stay pure.
 *
 * Scenarios, each one metric row per market-period:
 *   standalone  the market as listed; mhhi/delta_mhhi carry the
 *               ownership MHHI too (MHHI is a property of the market as
 *               it is, so the Markets view reads it from this row);
 *   alliances   each alliance's members as one firm;
 *   ownership   O'Brien-Salop MHHI from the holdings in force
 *               (ownership.h): hhi_post = MHHI, delta_hhi = ΔMHHI,
 *               merged_share NULL, and the screens applied to
 *               (MHHI, ΔMHHI) with no merged share, i.e. partial
 *               ownership read as the merger it partly is;
 *   merge       ad hoc (CLI only, never stored).
 */

#include "analysis/conc.h"
#include "analysis/ownership.h"
#include "db/holdings.h"
#include "db/panel.h"

enum scenario_kind {
	SCENARIO_STANDALONE,
	SCENARIO_ALLIANCES, /* each alliance's members as one firm */
	SCENARIO_MERGE,     /* an ad hoc set of firms as one */
	SCENARIO_OWNERSHIP, /* modified HHI from holdings */
};

struct scenario_spec {
	enum scenario_kind kind;
	const int64_t *merge; /* SCENARIO_MERGE: entity ids */
	size_t nmerge;
	/* MHHI for standalone and ownership rows; NULL: no holdings */
	const struct holdings *holdings;
};

struct row_result {
	struct conc conc;       /* standalone indices */
	struct metric_values v; /* what the metric table stores */
	struct ownership_stats own;
	size_t merge_present; /* SCENARIO_MERGE: named firms in the row */
};

/* Indices of one panel row under a scenario, row by row (the CLI path). */
enum status analysis_row(const struct panel *p, const struct panel_row *row,
                         const struct scenario_spec *spec,
                         struct row_result *out /* OUT */);

/*
 * The alliances scenario alliance by alliance, for one panel row (the
 * kernel call analysis_row() makes).  For every g < p->nalliances:
 *   delta[g]    ΔHHI of counting alliance g's listed firms as one
 *               (points; 0 with fewer than two of them listed)
 *   share[g]    their combined share (percent)
 *   members[g]  how many of the row's firms belong to g (0: absent);
 *               firm i of the row belongs to p->alliance[row->first + i]
 * The deltas add up to analysis_row()'s delta_hhi.  Arrays of
 * p->nalliances entries, owned by the caller.
 */
enum status analysis_row_alliances(const struct panel *p,
                                   const struct panel_row *row,
                                   double *delta /* OUT */,
                                   double *share /* OUT */,
                                   size_t *members /* OUT */);

/*
 * Recompute every metric, metric_ext and dependence row in one
 * transaction, with the batch kernels: one conc_hhi_batch over the dense
 * panel and one conc_aggregate (DGEMM) for every alliance of every
 * market-period.  Results equal analysis_row()'s to rounding.
 */
enum status analysis_refresh(struct db *db);

#endif
