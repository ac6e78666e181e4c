#include "analysis/refresh.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/scenario.h"
#include "analysis/screen.h"
#include "lib/xalloc.h"

static enum status
kernel_fail(int err, const struct panel_row *row)
{
	return err_set(err == -ENOMEM ? ST_SOFTWARE : ST_DATAERR,
	               "market '%s' %s: shares are negative or add up to "
	               "more than 100%%, or a holding is outside 0-100%%",
	               row->market, row->period);
}

/* The standalone row from the per-row indices. */
static void
base_values(const struct conc *c, struct metric_values *v)
{
	*v = (struct metric_values){
	    .scenario = "standalone",
	    .n_firms = (int)c->n,
	    .listed_pct = c->listed_pct,
	    .hhi = c->hhi,
	    .hhi_lower = c->hhi_lower,
	    .hhi_upper = c->hhi_upper,
	    .hhi_post = NAN,
	    .delta_hhi = NAN,
	    .merged_share = NAN,
	    .mhhi = NAN,
	    .delta_mhhi = NAN,
	};
	for (int k = 0; k < 4; k++)
		v->cr[k] = c->cr[k];
}

/* A scenario row: post level, delta, merged share and the screens. */
static void
scenario_values(struct metric_values *v, const char *scenario, double post,
                double delta, double share)
{
	struct screens s;

	v->scenario = scenario;
	v->hhi_post = post;
	v->delta_hhi = delta;
	v->merged_share = share;
	screens_eval(post, delta, isfinite(share) ? share : 0.0, &s);
	v->us2023 = screens_us2023_verdict_name(s.us2023.verdict);
	v->us2010 = screens_us2010_verdict_name(s.us2010.verdict);
	v->eu2004 = screens_eu2004_verdict_name(s.eu2004.verdict);
}

static enum status
own_values(const struct panel *p, const struct panel_row *row,
           const struct holdings *h, struct row_result *out)
{
	struct holdings none = {0};
	char end[11];
	int err;

	ownership_period_end(row->period, end);
	err = ownership_mhhi(h ? h : &none, p->entity_id + row->first,
	                     p->share_pct + row->first, row->n, end,
	                     &out->v.mhhi, &out->v.delta_mhhi, &out->own);
	return err ? kernel_fail(err, row) : ST_OK;
}

/* group[i]: 0 for a named merger party, or -1 */
static int *
groups_for(const struct panel *p, const struct panel_row *row,
           const struct scenario_spec *spec, struct row_result *out)
{
	int *g = xcalloc(row->n ? row->n : 1, sizeof(int));

	for (size_t i = 0; i < row->n; i++) {
		size_t k = row->first + i;

		g[i] = -1;
		for (size_t m = 0; m < spec->nmerge; m++)
			if (p->entity_id[k] == spec->merge[m]) {
				g[i] = 0;
				out->merge_present++;
			}
	}
	return g;
}

/* scenario_alliances() over one row; delta and share: nalliances each */
static int
alliance_kernel(const struct panel *p, const struct panel_row *row,
                double *delta, double *share, struct merge_result *mr)
{
	int *group = xcalloc(row->n ? row->n : 1, sizeof(int));
	int err;

	for (size_t i = 0; i < row->n; i++)
		group[i] = p->alliance[row->first + i];
	err = scenario_alliances(p->share_pct + row->first, row->n, group,
	                         p->nalliances, delta, share, mr);
	free(group);
	return err;
}

static enum status
merge_values(const struct panel *p, const struct panel_row *row,
             const struct scenario_spec *spec, struct row_result *out)
{
	size_t ng = p->nalliances ? p->nalliances : 1;
	double *delta = xcalloc(ng, sizeof(double));
	struct merge_result mr;
	int *group;
	int err;

	if (spec->kind == SCENARIO_ALLIANCES) {
		err = alliance_kernel(p, row, delta, NULL, &mr);
	} else {
		group = groups_for(p, row, spec, out);
		err = scenario_merge(p->share_pct + row->first, row->n, group,
		                     &mr);
		free(group);
	}
	free(delta);
	if (err)
		return kernel_fail(err, row);
	out->v.mhhi = out->v.delta_mhhi = NAN;
	scenario_values(
	    &out->v, spec->kind == SCENARIO_ALLIANCES ? "alliances" : "merge",
	    mr.hhi_post, mr.delta_hhi, mr.merged_share);
	return ST_OK;
}

enum status
analysis_row_alliances(const struct panel *p, const struct panel_row *row,
                       double *delta, double *share, size_t *members)
{
	struct merge_result mr;
	int err;

	for (size_t g = 0; g < p->nalliances; g++)
		members[g] = 0;
	if (!p->nalliances)
		return ST_OK;
	if ((err = alliance_kernel(p, row, delta, share, &mr)))
		return kernel_fail(err, row);
	for (size_t i = 0; i < row->n; i++)
		if (p->alliance[row->first + i] >= 0)
			members[p->alliance[row->first + i]]++;
	return ST_OK;
}

enum status
analysis_row(const struct panel *p, const struct panel_row *row,
             const struct scenario_spec *spec, struct row_result *out)
{
	enum status rc;
	int err;

	*out = (struct row_result){0};
	if ((err = conc_compute(p->share_pct + row->first, row->n, &out->conc)))
		return kernel_fail(err, row);
	base_values(&out->conc, &out->v);
	if (spec->kind == SCENARIO_STANDALONE ||
	    spec->kind == SCENARIO_OWNERSHIP) {
		if ((rc = own_values(p, row, spec->holdings, out)))
			return rc;
		if (spec->kind == SCENARIO_OWNERSHIP)
			scenario_values(&out->v, "ownership", out->v.mhhi,
			                out->v.delta_mhhi, NAN);
		return ST_OK;
	}
	return merge_values(p, row, spec, out);
}

/* ---- the batch path ------------------------------------------------ */

struct batch {
	double *hhi;    /* nrows, points */
	double *delta;  /* nrows: alliance ΔHHI summed over alliances */
	double *merged; /* nrows: largest alliance of >= 2 listed members */
};

/* HHI of every row with conc_hhi_batch, in dense blocks of rows. */
static void
batch_hhi(const struct panel *p, double *hhi)
{
	enum { BLOCK = 4096 };

	for (size_t r0 = 0; r0 < p->nrows; r0 += BLOCK) {
		size_t nr = p->nrows - r0 < BLOCK ? p->nrows - r0 : BLOCK;
		size_t w = 0;
		double *dense;

		for (size_t r = r0; r < r0 + nr; r++)
			w = p->rows[r].n > w ? p->rows[r].n : w;
		dense = xcalloc(nr * w + 1, sizeof(double));
		for (size_t r = r0; r < r0 + nr; r++)
			for (size_t i = 0; i < p->rows[r].n; i++)
				dense[(r - r0) * w + i] =
				    p->share_pct[p->rows[r].first + i];
		conc_hhi_batch(dense, nr, w, hhi + r0);
		free(dense);
	}
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The distinct firms of the panel that belong to an alliance, sorted. */
static int64_t *
alliance_firms(const struct panel *p, size_t *n)
{
	int64_t *ids = xcalloc(p->nshares ? p->nshares : 1, sizeof(*ids));
	size_t m = 0;

	for (size_t k = 0; k < p->nshares; k++)
		if (p->alliance[k] >= 0)
			ids[m++] = p->entity_id[k];
	qsort(ids, m, sizeof(*ids), cmp_id);
	*n = 0;
	for (size_t k = 0; k < m; k++)
		if (!*n || ids[*n - 1] != ids[k])
			ids[(*n)++] = ids[k];
	return ids;
}

/* rows[i]: the panel row of compact row i (R of them, out: 3R x G) */
static void
batch_sums(const double *out, const size_t *rows, size_t R, size_t G,
           struct batch *b)
{
	for (size_t i = 0; i < R; i++) {
		size_t r = rows[i];

		for (size_t g = 0; g < G; g++) {
			double a = out[i * G + g], q = out[(R + i) * G + g];

			b->delta[r] += a * a - q;
			/* a real merger needs two listed members */
			if (out[(2 * R + i) * G + g] > 1.5 && a > b->merged[r])
				b->merged[r] = a;
		}
	}
}

/* The panel rows that list at least one alliance member, in order. */
static size_t *
alliance_rows(const struct panel *p, size_t *n)
{
	size_t *rows = xcalloc(p->nrows ? p->nrows : 1, sizeof(*rows));

	*n = 0;
	for (size_t r = 0; r < p->nrows; r++)
		for (size_t i = 0; i < p->rows[r].n; i++)
			if (p->alliance[p->rows[r].first + i] >= 0) {
				rows[(*n)++] = r;
				break;
			}
	return rows;
}

/*
 * Every alliance of every row with ONE DGEMM: x (3R x F, F = the firms
 * in some alliance) stacks their shares, squared shares and a listed
 * indicator; x * membership (F x G) gives per row and alliance the
 * combined share A, the sum of squares Q and the member count, and
 * ΔHHI_g = A^2 - Q.  Only the R rows that list an alliance member take
 * part: for the others A = Q = 0, and a panel of many small markets
 * would otherwise fill x mostly with zeros.
 */
static void
batch_alliances(const struct panel *p, struct batch *b)
{
	size_t F, R, G = p->nalliances;
	int64_t *ids = alliance_firms(p, &F);
	size_t *rows = alliance_rows(p, &R);
	double *x, *m, *out;

	for (size_t r = 0; r < p->nrows; r++)
		b->delta[r] = b->merged[r] = 0.0;
	if (!F || !G || !R) {
		free(ids);
		free(rows);
		return;
	}
	x = xcalloc(3 * R * F, sizeof(double));
	m = xcalloc(F * G, sizeof(double));
	out = xcalloc(3 * R * G, sizeof(double));
	for (size_t j = 0; j < R; j++) {
		const struct panel_row *row = &p->rows[rows[j]];

		for (size_t i = 0; i < row->n; i++) {
			size_t k = row->first + i, c;
			double s = p->share_pct[k];

			if (p->alliance[k] < 0)
				continue;
			c = (size_t)((int64_t *)bsearch(&p->entity_id[k], ids,
			                                F, sizeof(*ids),
			                                cmp_id) -
			             ids);
			x[j * F + c] = s;
			x[(R + j) * F + c] = s * s;
			x[(2 * R + j) * F + c] = 1.0;
			m[c * G + (size_t)p->alliance[k]] = 1.0;
		}
	}
	conc_aggregate(x, 3 * R, F, m, G, out);
	batch_sums(out, rows, R, G, b);
	free(x);
	free(m);
	free(out);
	free(ids);
	free(rows);
}

static void
ext_values(const struct row_result *res, struct metric_ext *x)
{
	const struct conc *c = &res->conc;

	*x = (struct metric_ext){
	    c->hhi_normalized,  c->numbers_equivalent,
	    c->hall_tideman,    c->gini,
	    c->gini_normalized, c->entropy,
	    c->theil,           c->linda,
	    c->dominance,       c->ck,
	    (int)res->own.used, (int)res->own.undisclosed,
	};
}

/* The three stored scenarios and the ext row of panel row r. */
static enum status
refresh_row(struct metric_writer *w, const struct panel *p, size_t r,
            const struct batch *b, const struct holdings *h)
{
	const struct panel_row *row = &p->rows[r];
	struct metric_values al, own;
	struct row_result res = {0};
	struct metric_ext x;
	enum status rc;
	int err;

	if ((err = conc_compute(p->share_pct + row->first, row->n, &res.conc)))
		return kernel_fail(err, row);
	base_values(&res.conc, &res.v);
	res.v.hhi = res.v.hhi_lower = b->hhi[r];
	res.v.hhi_upper = b->hhi[r] + (res.conc.hhi_upper - res.conc.hhi);
	if ((rc = own_values(p, row, h, &res)))
		return rc;
	al = own = res.v;
	al.mhhi = al.delta_mhhi = NAN;
	scenario_values(&al, "alliances", b->hhi[r] + b->delta[r], b->delta[r],
	                b->merged[r]);
	scenario_values(&own, "ownership", res.v.mhhi, res.v.delta_mhhi, NAN);
	ext_values(&res, &x);
	if ((rc = metric_put(w, row, &res.v)) ||
	    (rc = metric_put(w, row, &al)) || (rc = metric_put(w, row, &own)))
		return rc;
	return metric_put_ext(w, row, &x);
}

static enum status
refresh_all(struct metric_writer *w, const struct panel *p,
            const struct holdings *h)
{
	size_t R = p->nrows ? p->nrows : 1;
	struct batch b = {xcalloc(R, sizeof(double)),
	                  xcalloc(R, sizeof(double)),
	                  xcalloc(R, sizeof(double))};
	enum status rc = ST_OK;

	batch_hhi(p, b.hhi);
	batch_alliances(p, &b);
	for (size_t r = 0; r < p->nrows && !rc; r++)
		rc = refresh_row(w, p, r, &b, h);
	if (!rc)
		rc = dependence_store(w->db);
	free(b.hhi);
	free(b.delta);
	free(b.merged);
	return rc;
}

/*
 * One write transaction from the first read to the last write: the
 * tables are derived from one consistent state, and metric_begin() may
 * skip the foreign-key checks (panel.h) -- every id written, in the
 * dependence table too, was read in this transaction.
 */
enum status
analysis_refresh(struct db *db)
{
	struct metric_writer w;
	struct holdings h;
	struct panel p;
	enum status rc = metric_begin(db, &w);

	if (rc)
		return rc;
	if ((rc = panel_load(db, NULL, NULL, &p)))
		return metric_end(&w, rc);
	if (!(rc = holdings_load(db, &h))) {
		rc = refresh_all(&w, &p, &h);
		holdings_release(&h);
	}
	/* the writer's queued rows point into the panel */
	rc = metric_end(&w, rc);
	panel_release(&p);
	return rc;
}
