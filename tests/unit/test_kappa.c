/*
 * Unit tests for analysis/kappa: O'Brien-Salop kappa with the deciding
 * firm's control in numerator and denominator, the modified HHI, the
 * zero-diagonal guard, and the BLAS paths against a plain triple loop.
 * Vectors T12 and T13 from ../shared/research/metrics.md section 7.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/kappa.h"

#define NEAR(got, want, tol)                                                   \
	cr_assert(fabs((double)(got) - (double)(want)) <= (tol),               \
	          "%s = %.15g, want %.15g (tol %g)", #got, (double)(got),      \
	          (double)(want), (double)(tol))

#define REL(got, want, rel)                                                    \
	cr_assert(fabs((double)(got) - (double)(want)) <=                      \
	                  (rel)*fabs((double)(want)) ||                        \
	              ((want) == 0.0 && fabs((double)(got)) <= (rel)),         \
	          "%s = %.17g, want %.17g (rel %g)", #got, (double)(got),      \
	          (double)(want), (double)(rel))

#define EXACT(got, want)                                                       \
	cr_assert((double)(got) == (double)(want), "%s = %.17g, want %.17g",   \
	          #got, (double)(got), (double)(want))

static uint64_t rng_state = 0xD1B54A32D192ED03u;

static double
rng_unit(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717u) >> 11) * 0x1p-53;
}

/* T12 (Lambert / lux-hux airlines): fund k holds 2 % of airline k */
static const double t12_beta[5 * 4] = {
    .01, .01, .01, .01, /* */
    .02, .01, .01, .01, /* */
    .01, .02, .01, .01, /* */
    .01, .01, .02, .01, /* */
    .01, .01, .01, .02,
};
static const double t12_shares[4] = {30, 30, 20, 20};

static void
check_t12(const double *kappa)
{
	for (size_t j = 0; j < 4; j++)
		for (size_t k = 0; k < 4; k++)
			REL(kappa[j * 4 + k], j == k ? 1.0 : 0.875, 1e-12);
}

Test(kappa, t12_airlines_proportional_control)
{
	double kappa[16], mhhi, delta;

	cr_assert_eq(kappa_compute(t12_beta, NULL, 5, 4, kappa), 0);
	check_t12(kappa);
	cr_assert_eq(mhhi_compute(t12_shares, kappa, 4, &mhhi, &delta), 0);
	REL(mhhi, 9075, 1e-12);
	REL(delta, 6475, 1e-12);
	REL(mhhi - delta, 2600, 1e-12);
}

Test(kappa, t12_gemm_path_and_direct_mhhi)
{
	double kappa[16], mhhi, delta;

	cr_assert_eq(kappa_compute(t12_beta, t12_beta, 5, 4, kappa), 0);
	check_t12(kappa);
	cr_assert_eq(
	    mhhi_from_holdings(t12_shares, t12_beta, NULL, 5, 4, &mhhi, &delta),
	    0);
	REL(mhhi, 9075, 1e-12);
	REL(delta, 6475, 1e-9);
	cr_assert_eq(mhhi_from_holdings(t12_shares, t12_beta, t12_beta, 5, 4,
	                                &mhhi, NULL),
	             0);
	REL(mhhi, 9075, 1e-12);
}

Test(kappa, t13_identical_owners_is_monopoly)
{
	double beta[] = {.3, .3, .7, .7}, shares[] = {50, 50};
	double kappa[4], mhhi, delta;

	cr_assert_eq(kappa_compute(beta, NULL, 2, 2, kappa), 0);
	REL(kappa[1], 1, 1e-15);
	REL(kappa[2], 1, 1e-15);
	cr_assert_eq(mhhi_compute(shares, kappa, 2, &mhhi, &delta), 0);
	REL(mhhi, 10000, 1e-12);
	REL(delta, 5000, 1e-12);
}

Test(kappa, separate_owners_give_plain_hhi)
{
	/* three investors, each holding one firm (two of them share firm 1) */
	double beta[] = {.6, 0, 0, 0, .4, 0, 0, .2, 0, 0, 0, .9};
	double shares[] = {50, 30, 20}, kappa[9], mhhi, delta;

	cr_assert_eq(kappa_compute(beta, NULL, 4, 3, kappa), 0);
	for (size_t j = 0; j < 3; j++)
		for (size_t k = 0; k < 3; k++)
			EXACT(kappa[j * 3 + k], j == k);
	cr_assert_eq(mhhi_compute(shares, kappa, 3, &mhhi, &delta), 0);
	EXACT(mhhi, 3800);
	EXACT(delta, 0);
	cr_assert_eq(
	    mhhi_from_holdings(shares, beta, NULL, 4, 3, &mhhi, &delta), 0);
	REL(mhhi, 3800, 1e-15);
}

/*
 * Two firms A, B.  Investor 0 owns all of A and a stake phi in B; investor
 * 1 owns the rest of B.  Silent: investor 0 has no say in B.  Total
 * control: investor 0 controls B outright.
 */
static const double phi = 0.25;
static const double sab[2] = {30, 20};

static void
two_firm(const double *gamma, double *kappa, double *delta)
{
	double beta[] = {1, phi, 0, 1 - phi}, mhhi, direct;

	cr_assert_eq(kappa_compute(beta, gamma, 2, 2, kappa), 0);
	cr_assert_eq(mhhi_compute(sab, kappa, 2, &mhhi, delta), 0);
	cr_assert_eq(mhhi_from_holdings(sab, beta, gamma, 2, 2, &direct, NULL),
	             0);
	REL(direct, mhhi, 1e-12);
	REL(mhhi - *delta, 1300, 1e-12);
}

Test(kappa, silent_stake_adds_phi_sa_sb)
{
	double gamma[] = {1, 0, 0, 1}, kappa[4], delta;

	two_firm(gamma, kappa, &delta);
	REL(kappa[0 * 2 + 1], phi, 1e-15); /* A's manager weighs B by phi */
	EXACT(kappa[1 * 2 + 0], 0);        /* B's manager ignores A */
	REL(delta, phi * 30 * 20, 1e-12);
}

Test(kappa, total_control_adds_sa_sb_phi_plus_inverse)
{
	double gamma[] = {1, 1, 0, 0}, kappa[4], delta;

	two_firm(gamma, kappa, &delta);
	REL(kappa[0 * 2 + 1], phi, 1e-15);
	/* decider B divides by its own diagonal gamma_B.beta_B = phi; the R
	 * antitrust package would divide by gamma_A.beta_A = 1 and get 1 */
	REL(kappa[1 * 2 + 0], 1 / phi, 1e-15);
	REL(delta, 30 * 20 * (phi + 1 / phi), 1e-12);
	cr_assert(delta > 2 * 30 * 20, "total control exceeds a full merger");
}

/* Firm 2 has no recorded holders; firm 1's controller holds no cash flow
 * in it.  Both are separately owned deciders. */
Test(kappa, zero_diagonal_guard)
{
	double beta[] = {.5, .5, 0, .5, 0, 0};
	double gamma[] = {1, 0, 0, 0, 1, 0}; /* investor 1 controls firm 1 */
	double shares[] = {40, 30, 30}, kappa[9], mhhi, direct;

	memset(kappa, 0xff, sizeof(kappa)); /* NaN garbage on entry */
	cr_assert_eq(kappa_compute(beta, NULL, 2, 3, kappa), 0);
	for (size_t k = 0; k < 3; k++)
		EXACT(kappa[2 * 3 + k], k == 2);
	EXACT(kappa[0 * 3 + 2], 0);
	cr_assert_eq(kappa_compute(beta, gamma, 2, 3, kappa), 0);
	/* W[1][1] = gamma_1 . beta_1 = 0 although W[1][0] = .5 */
	EXACT(kappa[1 * 3 + 0], 0);
	EXACT(kappa[1 * 3 + 1], 1);
	EXACT(kappa[1 * 3 + 2], 0);
	REL(kappa[0 * 3 + 1], 1, 1e-15); /* firm 0 still weighs firm 1 */
	cr_assert_eq(mhhi_compute(shares, kappa, 3, &mhhi, NULL), 0);
	cr_assert_eq(
	    mhhi_from_holdings(shares, beta, gamma, 2, 3, &direct, NULL), 0);
	REL(mhhi, 1600 + 900 + 900 + 40 * 30, 1e-12);
	REL(direct, mhhi, 1e-12);
}

Test(kappa, no_investors_is_identity)
{
	double kappa[9], shares[] = {50, 30, 20}, mhhi, delta;

	memset(kappa, 0xff, sizeof(kappa));
	cr_assert_eq(kappa_compute(NULL, NULL, 0, 3, kappa), 0);
	for (size_t i = 0; i < 9; i++)
		EXACT(kappa[i], i % 4 == 0);
	cr_assert_eq(
	    mhhi_from_holdings(shares, NULL, NULL, 0, 3, &mhhi, &delta), 0);
	EXACT(mhhi, 3800);
	EXACT(delta, 0);
	cr_assert_eq(kappa_compute(NULL, NULL, 5, 0, NULL), 0);
	cr_assert_eq(mhhi_compute(NULL, NULL, 0, &mhhi, &delta), 0);
	EXACT(mhhi, 0);
}

Test(kappa, rejects_bad_input)
{
	double good[] = {.5, .5}, neg[] = {.5, -.1}, nan_[] = {.5, NAN};
	double kappa[4] = {7, 7, 7, 7}, shares[] = {50, 60}, mhhi = -3;

	cr_assert_eq(mhhi_compute(shares, kappa, 2, &mhhi, NULL), -EINVAL);
	cr_assert_eq(mhhi_from_holdings(shares, good, NULL, 1, 2, &mhhi, NULL),
	             -EINVAL);
	cr_assert_eq(mhhi_from_holdings(good, neg, NULL, 1, 2, &mhhi, NULL),
	             -EINVAL);
	cr_assert_eq(mhhi_from_holdings(good, good, nan_, 1, 2, &mhhi, NULL),
	             -EINVAL);
	EXACT(mhhi, -3); /* untouched on error */
	kappa[1] = -1;
	cr_assert_eq(mhhi_compute(good, kappa, 2, &mhhi, NULL), -EINVAL);
	cr_assert_eq(kappa_compute(good, NULL, (size_t)INT32_MAX + 1, 2, kappa),
	             -EOVERFLOW);
}

/*
 * kappa_compute vets inputs through W's diagonal: a NaN or Inf in any cell
 * of beta or gamma must surface, including where the other matrix holds 0
 * (0 * NaN), on both the DSYRK and the DGEMM path.
 */
Test(kappa, non_finite_entry_anywhere_is_einval)
{
	enum { S = 4, F = 3 };
	double bad[] = {NAN, INFINITY, -INFINITY}, kappa[F * F];

	for (size_t cell = 0; cell < S * F; cell++) {
		for (size_t v = 0; v < 3; v++) {
			double beta[S * F], gamma[S * F];

			for (size_t i = 0; i < S * F; i++)
				beta[i] = gamma[i] = 0.1 + 0.01 * (double)i;
			beta[cell] = bad[v];
			cr_assert_eq(kappa_compute(beta, NULL, S, F, kappa),
			             -EINVAL, "beta cell %zu", cell);
			gamma[cell] = 0.0;
			cr_assert_eq(kappa_compute(beta, gamma, S, F, kappa),
			             -EINVAL, "beta cell %zu, gamma 0", cell);
			beta[cell] = 0.0;
			gamma[cell] = bad[v];
			cr_assert_eq(kappa_compute(beta, gamma, S, F, kappa),
			             -EINVAL, "gamma cell %zu, beta 0", cell);
		}
	}
}

/* ---- random inputs against the textbook triple loop ---------------- */

static void
reference_kappa(const double *beta, const double *gamma, size_t S, size_t F,
                double *kappa)
{
	for (size_t j = 0; j < F; j++) {
		double den = 0.0;

		for (size_t i = 0; i < S; i++)
			den += gamma[i * F + j] * beta[i * F + j];
		for (size_t k = 0; k < F; k++) {
			double num = 0.0;

			for (size_t i = 0; i < S; i++)
				num += gamma[i * F + j] * beta[i * F + k];
			kappa[j * F + k] = den > 0.0 ? num / den : (j == k);
		}
	}
}

static double *
random_holdings(size_t S, size_t F, double density)
{
	double *m = malloc((S * F + 1) * sizeof(*m));

	cr_assert_not_null(m);
	for (size_t i = 0; i < S * F; i++)
		m[i] = rng_unit() < density ? rng_unit() / (double)S : 0.0;
	return m;
}

static void
check_random(size_t S, size_t F, int proportional)
{
	double *beta = random_holdings(S, F, 0.4);
	double *gamma = proportional ? NULL : random_holdings(S, F, 0.4);
	double *got = malloc((F * F + 1) * sizeof(*got));
	double *want = malloc((F * F + 1) * sizeof(*want));
	double *shares = malloc((F + 1) * sizeof(*shares));
	double m1, m2, d1, sum = 0.0;

	reference_kappa(beta, gamma ? gamma : beta, S, F, want);
	cr_assert_eq(kappa_compute(beta, gamma, S, F, got), 0);
	for (size_t i = 0; i < F * F; i++)
		REL(got[i], want[i], 1e-9);
	for (size_t j = 0; j < F; j++)
		sum += shares[j] = rng_unit();
	for (size_t j = 0; j < F; j++)
		shares[j] *= 99.0 / sum;
	cr_assert_eq(mhhi_compute(shares, want, F, &m1, &d1), 0);
	cr_assert_eq(mhhi_from_holdings(shares, beta, gamma, S, F, &m2, NULL),
	             0);
	REL(m2, m1, 1e-9);
	free(beta);
	free(gamma);
	free(got);
	free(want);
	free(shares);
}

Test(kappa, random_vs_triple_loop)
{
	size_t S_set[] = {1, 2, 7, 64, 301};
	size_t F_set[] = {1, 2, 3, 17, 64, 130};

	for (size_t a = 0; a < sizeof(S_set) / sizeof(*S_set); a++)
		for (size_t b = 0; b < sizeof(F_set) / sizeof(*F_set); b++) {
			check_random(S_set[a], F_set[b], 1);
			check_random(S_set[a], F_set[b], 0);
		}
}

Test(kappa, diagonal_is_one_and_proportional_is_cosine_form)
{
	size_t S = 50, F = 20;
	double *beta = random_holdings(S, F, 0.5), kappa[20 * 20];

	cr_assert_eq(kappa_compute(beta, NULL, S, F, kappa), 0);
	for (size_t f = 0; f < F; f++) {
		EXACT(kappa[f * F + f], 1);
		for (size_t g = 0; g < F; g++) {
			/* BCS: kappa_fg = cos(b_f, b_g) sqrt(IHHI_g / IHHI_f) */
			double dot = 0, nf = 0, ng = 0;

			for (size_t i = 0; i < S; i++) {
				dot += beta[i * F + f] * beta[i * F + g];
				nf += beta[i * F + f] * beta[i * F + f];
				ng += beta[i * F + g] * beta[i * F + g];
			}
			REL(kappa[f * F + g],
			    dot / sqrt(nf * ng) * sqrt(ng / nf), 1e-12);
		}
	}
	free(beta);
}

/*
 * The DSYRK path fills both triangles, scaled, in one tiled pass: firms
 * on either side of several tile edges (32), zero-diagonal firms among
 * them, each entry against the triple loop, the guard exactly.
 */
Test(kappa, one_pass_fill_across_tiles_with_empty_firms)
{
	size_t S = 40, F = 97;
	double *beta = random_holdings(S, F, 0.3);
	double *got = malloc(F * F * sizeof(*got));
	double *want = malloc(F * F * sizeof(*want));
	static const size_t empty[] = {0, 31, 32, 33, 64, 96};

	cr_assert(got && want);
	for (size_t e = 0; e < sizeof(empty) / sizeof(*empty); e++)
		for (size_t i = 0; i < S; i++)
			beta[i * F + empty[e]] = 0.0;
	reference_kappa(beta, beta, S, F, want);
	cr_assert_eq(kappa_compute(beta, NULL, S, F, got), 0);
	for (size_t j = 0; j < F; j++)
		for (size_t k = 0; k < F; k++)
			REL(got[j * F + k], want[j * F + k], 1e-9);
	for (size_t e = 0; e < sizeof(empty) / sizeof(*empty); e++)
		for (size_t k = 0; k < F; k++) {
			size_t j = empty[e];

			EXACT(got[j * F + k], j == k); /* the guard's row */
			if (k != j)
				EXACT(got[k * F + j], 0); /* nobody weighs j */
		}
	free(beta);
	free(got);
	free(want);
}
