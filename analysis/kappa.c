#include "analysis/kappa.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <cblas.h>

#include "analysis/conc.h"

/* Tile edge for the triangle mirror: a source and a target tile of 32x32
 * doubles (8 KiB each) stay in L1 together. */
#define KAPPA_TILE 32

static int
kappa_check_dims(size_t S, size_t F)
{
	if (S > INT_MAX || F > INT_MAX)
		return -EOVERFLOW;
	/* only bites where size_t is 32 bits */
	if (F && (S > SIZE_MAX / F || F > SIZE_MAX / F))
		return -EOVERFLOW;
	return 0;
}

/* Every entry finite and >= 0 (holdings, control weights, kappa). */
static int
check_nonneg(const double *m, size_t count)
{
	for (size_t i = 0; m && i < count; i++)
		if (!(m[i] >= 0.0) || isinf(m[i]))
			return -EINVAL;
	return 0;
}

/*
 * DSYRK filled the upper triangle only; copy it down tile by tile so that
 * the column-wise reads of the upper part stay in cache.
 */
static void
kappa_mirror(double *w, size_t F)
{
	for (size_t jb = 0; jb < F; jb += KAPPA_TILE) {
		size_t je = jb + KAPPA_TILE < F ? jb + KAPPA_TILE : F;

		for (size_t kb = jb; kb < F; kb += KAPPA_TILE) {
			size_t ke = kb + KAPPA_TILE < F ? kb + KAPPA_TILE : F;

			for (size_t j = jb; j < je; j++)
				for (size_t k = kb > j + 1 ? kb : j + 1; k < ke;
				     k++)
					w[k * F + j] = w[j * F + k];
		}
	}
}

/* Row j divided by W[j][j]; the zero-diagonal guard of the header. */
static void
kappa_scale_rows(double *w, size_t F)
{
	for (size_t j = 0; j < F; j++) {
		double *row = w + j * F;
		double d = row[j];

		if (d > 0.0) {
			double inv = 1.0 / d;

			for (size_t k = 0; k < F; k++)
				row[k] *= inv;
		} else {
			for (size_t k = 0; k < F; k++)
				row[k] = 0.0;
		}
		row[j] = 1.0; /* exactly, not d * (1/d) */
	}
}

/*
 * A non-finite entry anywhere in column j of beta or gamma reaches
 * W[j][j] = sum_i gamma_ij beta_ij (NaN * 0 and Inf * 0 are NaN), so the
 * diagonal vets the inputs in O(F) instead of a pass over S x F entries.
 */
static int
kappa_diagonal_finite(const double *w, size_t F)
{
	for (size_t j = 0; j < F; j++)
		if (!isfinite(w[j * F + j]))
			return 0;
	return 1;
}

int
kappa_compute(const double *beta, const double *gamma, size_t S, size_t F,
              double *kappa)
{
	int rc = kappa_check_dims(S, F);

	if (rc < 0 || F == 0)
		return rc;
	if (S == 0) {
		/* no investors: every diagonal is zero, so the identity (and
		 * k == 0 BLAS calls are legal but not reliably zeroing) */
		for (size_t i = 0; i < F * F; i++)
			kappa[i] = 0.0;
		kappa_scale_rows(kappa, F);
		return 0;
	}
	if (!gamma) {
		cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)F,
		            (int)S, 1.0, beta, (int)F, 0.0, kappa, (int)F);
		kappa_mirror(kappa, F);
	} else {
		cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)F,
		            (int)F, (int)S, 1.0, gamma, (int)F, beta, (int)F,
		            0.0, kappa, (int)F);
	}
	if (!kappa_diagonal_finite(kappa, F))
		return -EINVAL;
	kappa_scale_rows(kappa, F);
	return 0;
}

int
mhhi_compute(const double *shares_pct, const double *kappa, size_t F,
             double *mhhi, double *delta_mhhi)
{
	double hhi = 0.0, delta = 0.0;

	if (F && F > SIZE_MAX / F)
		return -EINVAL;
	if (conc_check(shares_pct, F, NULL) < 0 ||
	    check_nonneg(kappa, F * F) < 0)
		return -EINVAL;
	for (size_t j = 0; j < F; j++) {
		const double *row = kappa + j * F;
		double off = 0.0;

		for (size_t k = 0; k < F; k++)
			if (k != j)
				off += row[k] * shares_pct[k];
		hhi += shares_pct[j] * shares_pct[j];
		delta += shares_pct[j] * off;
	}
	if (mhhi)
		*mhhi = hhi + delta;
	if (delta_mhhi)
		*delta_mhhi = delta;
	return 0;
}

/* den[j] = gamma_j . beta_j: one row-major pass over both matrices. */
static void
mhhi_diagonal(const double *beta, const double *gamma, size_t S, size_t F,
              double *den)
{
	for (size_t j = 0; j < F; j++)
		den[j] = 0.0;
	for (size_t i = 0; i < S; i++)
		for (size_t j = 0; j < F; j++)
			den[j] += gamma[i * F + j] * beta[i * F + j];
}

int
mhhi_from_holdings(const double *shares_pct, const double *beta,
                   const double *gamma, size_t S, size_t F, double *mhhi,
                   double *delta_mhhi)
{
	double hhi = 0.0, sum = 0.0, *v, *num, *den;
	int rc = kappa_check_dims(S, F);

	if (rc == 0 && conc_check(shares_pct, F, NULL) < 0)
		rc = -EINVAL;
	if (rc == 0)
		rc = check_nonneg(beta, S * F);
	if (rc == 0)
		rc = check_nonneg(gamma, S * F);
	if (rc < 0)
		return rc;
	if (!gamma)
		gamma = beta;
	v = calloc(S + 2 * F + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	num = v + S;
	den = num + F;
	if (S > 0 && F > 0) {
		cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)S, (int)F, 1.0,
		            beta, (int)F, shares_pct, 1, 0.0, v, 1);
		cblas_dgemv(CblasRowMajor, CblasTrans, (int)S, (int)F, 1.0,
		            gamma, (int)F, v, 1, 0.0, num, 1);
	}
	mhhi_diagonal(beta, gamma, S, F, den);
	for (size_t j = 0; j < F; j++) {
		double s = shares_pct[j];

		hhi += s * s;
		sum += den[j] > 0.0 ? s * num[j] / den[j] : s * s;
	}
	free(v);
	if (mhhi)
		*mhhi = sum;
	if (delta_mhhi)
		*delta_mhhi = sum - hhi;
	return 0;
}
