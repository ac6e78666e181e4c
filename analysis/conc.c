#include "analysis/conc.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include <cblas.h>

int
conc_check(const double *shares_pct, size_t n, double *sum)
{
	double total = 0.0;

	for (size_t i = 0; i < n; i++) {
		/* !(x >= 0) also rejects NaN */
		if (!(shares_pct[i] >= 0.0) || isinf(shares_pct[i]))
			return -EINVAL;
		total += shares_pct[i];
	}
	if (total > 100.0 + CONC_SUM_TOL)
		return -EINVAL;
	if (sum)
		*sum = total;
	return 0;
}

static void
conc_set_nan(struct conc *out, size_t n)
{
	double *f[] = {
	    &out->listed_pct,      &out->hhi,
	    &out->hhi_lower,       &out->hhi_upper,
	    &out->hhi_normalized,  &out->numbers_equivalent,
	    &out->hall_tideman,    &out->gini,
	    &out->gini_normalized, &out->entropy,
	    &out->theil,           &out->linda,
	    &out->dominance,       &out->ck,
	};

	out->n = n;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		*f[i] = NAN;
	for (size_t k = 0; k < 4; k++)
		out->cr[k] = out->cr_upper[k] = NAN;
}

/* Rows up to this many firms are sorted on the stack. */
#define CONC_SMALL 32

static int
cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

/*
 * CR_1..CR_4 from shares sorted descending; the upper variant merges the
 * fringe into the ranking as one more firm.
 */
static void
conc_ratios(const double *s, size_t n, double fringe, struct conc *out)
{
	double lo = 0.0, up = 0.0;
	size_t i = 0, j = 0;
	int fringe_used = fringe <= 0.0;

	for (size_t k = 0; k < 4; k++) {
		if (i < n)
			lo += s[i++];
		if (!fringe_used && (j >= n || fringe > s[j])) {
			up += fringe;
			fringe_used = 1;
		} else if (j < n) {
			up += s[j++];
		}
		out->cr[k] = lo;
		out->cr_upper[k] = up;
	}
}

/*
 * Linda over the m leading firms with positive share.  The tail sum
 * CR_m - CR_i is accumulated from the small end rather than subtracted, so
 * that a long tail of tiny shares keeps its relative precision.
 */
static double
conc_linda(const double *p, size_t n)
{
	size_t m = n;
	double total = 0.0, tail = 0.0, q = 0.0;

	while (m > 0 && !(p[m - 1] > 0.0))
		m--;
	if (m < 2)
		return NAN;
	for (size_t i = 0; i < m; i++)
		total += p[i];
	for (size_t i = m - 1; i >= 1; i--) {
		tail += p[i]; /* sum of ranks i+1..m (1-based) */
		q += ((total - tail) / (double)i) / (tail / (double)(m - i));
	}
	return q / ((double)m * (double)(m - 1));
}

/* Indices over p, the listed shares renormalised to 1, sorted descending. */
static void
conc_shape(const double *p, size_t n, struct conc *out)
{
	double h = 0.0, h4 = 0.0, rank = 0.0, gini = 0.0, e = 0.0, ck = 0.0;
	double dn = (double)n;

	for (size_t i = 0; i < n; i++) {
		double r = (double)(i + 1), p2 = p[i] * p[i];

		h += p2;
		h4 += p2 * p2;
		rank += r * p[i];
		/* sum_{i<j} (p_i - p_j) regrouped by rank: no cancellation
		 * between 1 and 2*sum(i p_i) as in the textbook form */
		gini += (dn + 1.0 - 2.0 * r) * p[i];
		if (p[i] > 0.0)
			e -= p[i] * log(p[i]);
		ck += p[i] / r;
	}
	out->hhi_normalized = n == 1 ? 1.0 : (h - 1.0 / dn) / (1.0 - 1.0 / dn);
	out->numbers_equivalent = 1.0 / h;
	out->hall_tideman = 1.0 / (2.0 * rank - 1.0);
	out->gini = gini / dn;
	out->gini_normalized = n == 1 ? NAN : gini / (dn - 1.0);
	out->entropy = e;
	out->theil = log(dn) - e;
	out->linda = conc_linda(p, n);
	out->dominance = h4 / (h * h);
	out->ck = ck;
}

/* Whether s is already largest first, as the panel hands rows over. */
static int
sorted_desc(const double *s, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (s[i] > s[i - 1])
			return 0;
	return 1;
}

int
conc_compute(const double *shares_pct, size_t n, struct conc *out)
{
	/* a market lists a handful of firms: no malloc per row for those */
	double total, hhi = 0.0, fringe, small[CONC_SMALL], *p = small;
	int rc = conc_check(shares_pct, n, &total);

	if (rc < 0)
		return rc;
	conc_set_nan(out, n);
	if (n == 0)
		return 0;
	if (n > CONC_SMALL && !(p = malloc(n * sizeof(*p))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		p[i] = shares_pct[i];
		hhi += p[i] * p[i];
	}
	if (!sorted_desc(p, n))
		qsort(p, n, sizeof(*p), cmp_desc);

	/* totals within CONC_SUM_TOL above 100 count as exactly 100 */
	fringe = total < 100.0 ? 100.0 - total : 0.0;
	out->listed_pct = total;
	out->hhi = out->hhi_lower = hhi;
	out->hhi_upper = hhi + fringe * fringe;
	conc_ratios(p, n, fringe, out);
	if (total > 0.0) {
		for (size_t i = 0; i < n; i++)
			p[i] /= total;
		conc_shape(p, n, out);
	}
	if (p != small)
		free(p);
	return 0;
}

/*
 * Eight named accumulators: each lane's additions stay in order, so gcc -O2
 * packs them into four SSE2 registers (SLP) without -ffast-math, which a
 * single-accumulator reduction would need; four independent chains also
 * hide the add latency.  Spelled out rather than as an a[8] loop, which gcc
 * keeps in memory.  The tail is scalar.
 */
static double
row_sumsq(const double *restrict x, size_t n)
{
	double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
	double a4 = 0.0, a5 = 0.0, a6 = 0.0, a7 = 0.0;
	double s;
	size_t j = 0;

	for (; j + 8 <= n; j += 8) {
		a0 += x[j] * x[j];
		a1 += x[j + 1] * x[j + 1];
		a2 += x[j + 2] * x[j + 2];
		a3 += x[j + 3] * x[j + 3];
		a4 += x[j + 4] * x[j + 4];
		a5 += x[j + 5] * x[j + 5];
		a6 += x[j + 6] * x[j + 6];
		a7 += x[j + 7] * x[j + 7];
	}
	s = ((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7));
	for (; j < n; j++)
		s += x[j] * x[j];
	return s;
}

void
conc_hhi_batch(const double *restrict shares, size_t rows, size_t cols,
               double *restrict hhi)
{
	for (size_t r = 0; r < rows; r++)
		hhi[r] = row_sumsq(shares + r * cols, cols);
}

void
conc_aggregate(const double *shares, size_t rows, size_t firms,
               const double *membership, size_t groups, double *out)
{
	assert(rows <= INT_MAX && firms <= INT_MAX && groups <= INT_MAX);
	if (rows == 0 || groups == 0)
		return;
	if (firms == 0) {
		/* BLAS with k == 0 is legal but not every build zeroes C */
		for (size_t i = 0; i < rows * groups; i++)
			out[i] = 0.0;
		return;
	}
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows,
	            (int)groups, (int)firms, 1.0, shares, (int)firms,
	            membership, (int)groups, 0.0, out, (int)groups);
}
