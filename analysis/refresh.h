#ifndef OLIGO_ANALYSIS_REFRESH_H
#define OLIGO_ANALYSIS_REFRESH_H

/*
 * From the database to the kernels and back: the metric tables that the
 * dashboard and exports read are recomputed from the share panel after
 * every import and ingest.  This file is the only one in analysis/ that
 * touches db/; the kernels stay pure.
 */

#include "analysis/conc.h"
#include "db/panel.h"

enum scenario_kind {
	SCENARIO_STANDALONE,
	SCENARIO_ALLIANCES, /* each alliance's members as one firm */
	SCENARIO_MERGE,     /* an ad hoc set of firms as one */
};

/*
 * Indices of one panel row under a scenario.  For SCENARIO_MERGE, merge
 * names the firms (entity names as in the panel, case-insensitive), nmerge
 * of them.  Fills *conc (standalone indices) and *v (what the metric
 * table stores; v->scenario is a static string).
 */
enum status analysis_row(const struct panel *p, const struct panel_row *row,
			 enum scenario_kind kind, const char *const *merge,
			 size_t nmerge, struct conc *conc /* OUT */,
			 struct metric_values *v /* OUT */);

/* Recompute every metric row in one transaction. */
enum status analysis_refresh(struct db *db);

#endif
