#include "analysis/refresh.h"

#include <errno.h>
#include <math.h>
#include <strings.h>

#include "analysis/scenario.h"
#include "analysis/screen.h"
#include "lib/xalloc.h"

static void
set_screens(struct metric_values *v)
{
	struct screens s;

	screens_eval(v->hhi_post, v->delta_hhi, v->merged_share, &s);
	v->us2023 = screens_us2023_verdict_name(s.us2023.verdict);
	v->us2010 = screens_us2010_verdict_name(s.us2010.verdict);
	v->eu2004 = screens_eu2004_verdict_name(s.eu2004.verdict);
}

/* group[i] for the firms of row: alliance index, a merge set (0), or -1 */
static int *
groups_for(const struct panel *p, const struct panel_row *row,
	   enum scenario_kind kind, const char *const *merge, size_t nmerge,
	   size_t *ngroups)
{
	int *g = xcalloc(row->n ? row->n : 1, sizeof(int));

	*ngroups = kind == SCENARIO_ALLIANCES ? p->nalliances : 1;
	for (size_t i = 0; i < row->n; i++) {
		size_t k = row->first + i;

		g[i] = -1;
		if (kind == SCENARIO_ALLIANCES)
			g[i] = p->alliance[k];
		for (size_t m = 0; kind == SCENARIO_MERGE && m < nmerge; m++)
			if (!strcasecmp(p->entity[k], merge[m]))
				g[i] = 0;
	}
	return g;
}

static enum status
kernel_fail(int err, const struct panel_row *row)
{
	return err_set(err == -ENOMEM ? ST_SOFTWARE : ST_DATAERR,
		       "market '%s' %s: shares are negative or add up to "
		       "more than 100%%",
		       row->market, row->period);
}

enum status
analysis_row(const struct panel *p, const struct panel_row *row,
	     enum scenario_kind kind, const char *const *merge, size_t nmerge,
	     struct conc *conc, struct metric_values *v)
{
	const double *s = p->share_pct + row->first;
	struct merge_result mr;
	size_t ngroups;
	int *group, err;

	if ((err = conc_compute(s, row->n, conc)))
		return kernel_fail(err, row);
	*v = (struct metric_values){
		.scenario = "standalone", .n_firms = (int)row->n,
		.listed_pct = conc->listed_pct, .hhi = conc->hhi,
		.hhi_lower = conc->hhi_lower, .hhi_upper = conc->hhi_upper,
		.hhi_post = NAN, .delta_hhi = NAN, .merged_share = NAN,
		.mhhi = NAN, .delta_mhhi = NAN,
	};
	for (int k = 0; k < 4; k++)
		v->cr[k] = conc->cr[k];
	if (kind == SCENARIO_STANDALONE)
		return ST_OK;
	group = groups_for(p, row, kind, merge, nmerge, &ngroups);
	if (kind == SCENARIO_ALLIANCES) {
		double *delta = xcalloc(ngroups ? ngroups : 1, sizeof(double));

		err = scenario_alliances(s, row->n, group, ngroups, delta, NULL,
					 &mr);
		free(delta);
	} else {
		err = scenario_merge(s, row->n, group, &mr);
	}
	free(group);
	if (err)
		return kernel_fail(err, row);
	v->scenario = kind == SCENARIO_ALLIANCES ? "alliances" : "merge";
	v->hhi_post = mr.hhi_post;
	v->delta_hhi = mr.delta_hhi;
	v->merged_share = mr.merged_share;
	set_screens(v);
	return ST_OK;
}

enum status
analysis_refresh(struct db *db)
{
	static const enum scenario_kind kinds[] = {SCENARIO_STANDALONE,
						   SCENARIO_ALLIANCES};
	struct panel p;
	enum status rc = panel_load(db, NULL, NULL, &p);

	if (rc)
		return rc;
	if ((rc = metric_begin(db))) {
		panel_release(&p);
		return rc;
	}
	for (size_t r = 0; r < p.nrows && !rc; r++) {
		for (size_t k = 0; k < 2 && !rc; k++) {
			struct metric_values v;
			struct conc c;

			rc = analysis_row(&p, &p.rows[r], kinds[k], NULL, 0, &c,
					  &v);
			if (!rc)
				rc = metric_put(db, &p.rows[r], &v);
		}
	}
	panel_release(&p);
	return metric_end(db, rc);
}
