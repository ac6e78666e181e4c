#ifndef OLIGO_ANALYSIS_KAPPA_H
#define OLIGO_ANALYSIS_KAPPA_H

/*
 * Partial and common ownership: O'Brien-Salop profit weights kappa and the
 * modified HHI.  Pure functions over caller-owned arrays; BLAS does the
 * algebra.
 *
 * Layout.  Investors s = 0..S-1, firms j = 0..F-1.  beta and gamma are
 * S x F, row-major (investors in rows, as in Backus-Conlon-Sinkinson):
 *   beta[s*F + j]   fraction of firm j's cash-flow rights held by s
 *   gamma[s*F + j]  investor s's control weight in firm j
 * Entries must be finite and >= 0.  Columns need not sum to 1: kappa is
 * invariant to scaling a firm's control column, and the holdings of
 * unrecorded investors simply do not appear.
 *
 * Definition (O'Brien & Salop 2000; DESIGN.md "Analysis"): with
 * W = Gamma^T B (F x F), W[j][k] = gamma_j . beta_k,
 *   kappa[j][k] = W[j][k] / W[j][j]
 * i.e. the DECIDING firm j's control vector in numerator and denominator;
 * kappa is stored with the decider in the row.  (The R package antitrust
 * divides by W[k][k]; that is wrong whenever control is not proportional
 * to ownership, e.g. silent or total-control stakes.)  kappa[j][j] = 1 and
 * kappa[j][k] > 1 is possible.
 *
 * Zero diagonal.  W[j][j] = 0 means no recorded investor both controls
 * firm j and holds its cash flows (typically: no holdings recorded for j
 * at all).  The ratio is then undefined; oligo treats j as a separately
 * owned firm whose unrecorded owner has full control: kappa[j][j] = 1 and
 * kappa[j][k] = 0 for k != j.  (BCS leave NaN and later fill 0, which would
 * also zero the diagonal and drop j's own s_j^2 from the MHHI.)  Column j
 * of kappa is computed normally: other deciders may still weigh j's
 * profits.
 *
 * Units: shares PERCENT, MHHI POINTS (s^T kappa s with percent shares).
 */

#include <stddef.h>

/*
 * kappa (OUT, F x F row-major, decider in the row; must not overlap the
 * inputs) from beta and gamma (S x F).  gamma == NULL means gamma = beta
 * (proportional control, the common-ownership default): W is then
 * symmetric and computed with one DSYRK (half the flops), else with one
 * DGEMM.  S == 0 or an all-zero beta gives the identity.
 * Validation: a non-finite entry (or products overflowing) is detected
 * through W's diagonal at O(F) cost and returns -EINVAL, kappa contents
 * unspecified.  The sign of entries is NOT scanned: a pass over S x F
 * entries costs ~10 % of the kernel (measured at 500 x 5000), so >= 0 is
 * the caller's precondition, best checked once where holdings enter the
 * database.  Negative entries give meaningless but finite kappa.
 * Returns 0, -EINVAL, or -EOVERFLOW (S or F above INT_MAX, the BLAS index
 * type, or S*F or F*F overflowing size_t).  Allocates nothing.
 */
int kappa_compute(const double *beta /* S x F */,
                  const double *gamma /* S x F, or NULL for gamma = beta */,
                  size_t S, size_t F, double *kappa /* OUT: F x F */);

/*
 * MHHI = sum_j sum_k s_j s_k kappa[j][k] (points) and its increment over
 * HHI, delta_mhhi = sum_j sum_{k != j} s_j s_k kappa[j][k], summed directly
 * so that a small increment keeps its precision; *mhhi = HHI + delta.
 * shares_pct: F entries validated as by conc_check() (they may be a
 * subset of the market: the unlisted fringe has no ownership links).
 * kappa: F x F, finite and >= 0.  Either OUT pointer may be NULL.
 * Returns 0 or -EINVAL.  F == 0 gives 0 and 0.
 */
int mhhi_compute(const double *shares_pct, const double *kappa, size_t F,
                 double *mhhi /* OUT: points */,
                 double *delta_mhhi /* OUT: points */);

/*
 * The same MHHI straight from the holdings, without forming kappa:
 * v = B s, num_j = gamma_j . v, den_j = gamma_j . beta_j,
 * MHHI = sum_j s_j num_j / den_j -- O(S*F) (two DGEMVs) instead of
 * O(S*F^2), for when only the index is wanted.  Zero-diagonal firms follow
 * the kappa rule above (they contribute s_j^2).  delta_mhhi = MHHI - HHI
 * here is a difference, so its absolute error is ~1e-16 * MHHI; use
 * mhhi_compute() when tiny increments matter.  gamma == NULL means
 * gamma = beta.  Either OUT pointer may be NULL.  Unlike kappa_compute()
 * this does scan every entry (finite, >= 0): the scan is one more pass
 * over data that the two DGEMVs stream anyway.
 * Returns 0, -EINVAL (bad shares or holdings; outputs untouched),
 * -EOVERFLOW (as kappa_compute) or -ENOMEM (scratch of S + 2F doubles).
 */
int mhhi_from_holdings(const double *shares_pct, const double *beta,
                       const double *gamma, size_t S, size_t F,
                       double *mhhi /* OUT: points */,
                       double *delta_mhhi /* OUT: points */);

#endif
