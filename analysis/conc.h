#ifndef OLIGO_ANALYSIS_CONC_H
#define OLIGO_ANALYSIS_CONC_H

/*
 * Concentration indices over one market-period, and the batch kernels that
 * compute HHI and firm-to-alliance aggregation over all market-periods at
 * once.  Pure functions over caller-owned arrays: no I/O, no globals, no
 * state between calls.
 *
 * Units, fixed throughout oligo's analysis layer:
 *   - shares come in as PERCENT (0..100), one entry per listed firm;
 *   - HHI-type outputs are in POINTS (10,000 * sum of squared fractions,
 *     0..10,000), which is the scale the agencies quote;
 *   - concentration ratios are in PERCENT;
 *   - indices that are naturally fractions (normalised HHI, Hall-Tideman,
 *     Gini, Linda, dominance, CK) stay fractions; entropy and Theil are in
 *     nats.
 *
 * Incomplete markets.  Listed shares may sum to less than 100 %: the rest
 * is an unlisted fringe.  HHI is then only known within bounds.  The lower
 * bound treats the fringe as infinitely many infinitesimal firms (adds 0);
 * the upper bound treats it as one firm (adds fringe^2).  conc.hhi is the
 * listed sum of squares, i.e. the lower bound.  CR_k likewise: cr[] is the
 * listed value (lower bound), cr_upper[] ranks the fringe as one firm.
 *
 * Distribution indices.  Gini, entropy, Theil, Linda, Hall-Tideman,
 * dominance, CK, the normalised HHI and the numbers equivalent need the
 * whole distribution, which the fringe hides.  They are computed over the
 * listed shares renormalised to sum to 1 (p_i = s_i / listed_pct): they
 * describe the inequality among the listed firms, not the market with its
 * fringe.  When listed shares sum to 100 % this is the usual definition.
 * n counts every listed entry, including zero shares (they matter for
 * Theil = ln n - entropy and for the Gini's 1/n).
 *
 * Formulas: ../shared/research/metrics.md sections 1 and 5; ranks i = 1..n
 * are by decreasing share.
 */

#include <stddef.h>

/*
 * Tolerance, in percent, on the total of listed shares: a total up to
 * 100 + CONC_SUM_TOL is accepted as 100 (floating rounding of published
 * shares such as 3 x 33.333...); anything above it is -EINVAL.
 */
#define CONC_SUM_TOL 1e-6

struct conc {
	size_t n;           /* listed entries */
	double listed_pct;  /* sum of listed shares, percent */
	double hhi;         /* points: listed sum of squares (= hhi_lower) */
	double hhi_lower;   /* points: fringe as infinitely many tiny firms */
	double hhi_upper;   /* points: fringe as one firm (adds fringe^2) */
	double cr[4];       /* percent: cr[k-1] = CR_k over listed firms; for
	                    * n < k it is the sum of all listed shares */
	double cr_upper[4]; /* percent: CR_k with the fringe as one firm */

	/* Over the renormalised listed shares p_i (see above). */
	double hhi_normalized;     /* (H - 1/n) / (1 - 1/n); 1 when n == 1 */
	double numbers_equivalent; /* 1 / H (Adelman), firms */
	double hall_tideman;       /* 1 / (2 sum i p_(i) - 1) */
	double gini;               /* raw: sum |p_i - p_j| / (2n); 0..1-1/n */
	double gini_normalized;    /* gini * n / (n-1); NaN when n == 1 */
	double entropy;            /* -sum p ln p, nats (0 ln 0 = 0) */
	double theil;              /* ln n - entropy */
	double linda;     /* over the m firms with p > 0; NaN if m < 2 */
	double dominance; /* sum (p_i^2 / H)^2, fraction (x 10^4 = points) */
	double ck;        /* Kvalseth: sum p_(i) / i */
};

/*
 * Validate a share vector: every entry finite and >= 0, total at most
 * 100 + CONC_SUM_TOL.  Stores the total (percent) in *sum when sum is not
 * NULL.  Returns 0, or -EINVAL.  shares_pct may be NULL when n == 0.
 */
int conc_check(const double *shares_pct, size_t n, double *sum /* OUT */);

/*
 * Compute every index of struct conc for one market.
 *
 * n == 0: out->n = 0 and every other field is NaN; returns 0.
 * Listed total 0 (all listed shares zero): hhi = hhi_lower = 0, cr = 0,
 * hhi_upper = 10,000, cr_upper = 100, distribution indices NaN.
 * Returns 0, -EINVAL (see conc_check; *out untouched), or -ENOMEM (one
 * scratch array of n doubles is allocated and freed for the rank sort).
 */
int conc_compute(const double *shares_pct, size_t n,
                 struct conc *out /* OUT */);

/*
 * Row-wise HHI of a dense panel: hhi[r] = sum_c shares[r*cols + c]^2, in
 * points.  shares is rows x cols, row-major, percent (one row per
 * market-period, one column per firm, zero for absent firms); hhi has rows
 * entries and must not overlap shares.  No validation (NaN propagates);
 * cols == 0 gives 0.  Memory-bound: one pass over the panel.
 */
void conc_hhi_batch(const double *shares /* rows x cols, percent */,
                    size_t rows, size_t cols,
                    double *hhi /* OUT: rows, points */);

/*
 * Aggregate firms into groups (alliances) for every row at once, as one
 * DGEMM: out = shares * membership.
 *   shares      rows x firms, row-major, percent
 *   membership  firms x groups, row-major, 0/1 (a fractional weight splits
 *               a firm's share between groups)
 *   out         rows x groups, row-major, percent; must not overlap inputs
 * A firm in no group contributes nothing.  Precondition (asserted): every
 * dimension fits in an int, the BLAS index type.  Any zero dimension is
 * handled without calling BLAS (out is zeroed when firms == 0).
 */
void conc_aggregate(const double *shares /* rows x firms */, size_t rows,
                    size_t firms, const double *membership /* firms x groups */,
                    size_t groups, double *out /* OUT: rows x groups */);

#endif
