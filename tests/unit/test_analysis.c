/*
 * Unit tests for analysis/conc, analysis/scenario and analysis/screen:
 * the published test vectors of ../shared/research/metrics.md section 7
 * (T1-T9, T19-T22), fringe bounds, every guideline edge, invariants, and
 * the batch kernels against plain-loop references on random input.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/conc.h"
#include "analysis/scenario.h"
#include "analysis/screen.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* |got - want| <= tol, with the expression named in the failure message */
#define NEAR(got, want, tol)                                                   \
	cr_assert(fabs((double)(got) - (double)(want)) <= (tol),               \
	          "%s = %.15g, want %.15g (tol %g)", #got, (double)(got),      \
	          (double)(want), (double)(tol))

/* relative tolerance; an expected 0 must be met within rel absolutely */
#define REL(got, want, rel)                                                    \
	cr_assert(fabs((double)(got) - (double)(want)) <=                      \
	                  (rel)*fmax(fabs((double)(want)), 1e-300) ||          \
	              ((want) == 0.0 && fabs((double)(got)) <= (rel)),         \
	          "%s = %.17g, want %.17g (rel %g)", #got, (double)(got),      \
	          (double)(want), (double)(rel))

/* exact double equality: integer-point HHI is exact in binary floating */
#define EXACT(got, want)                                                       \
	cr_assert((double)(got) == (double)(want), "%s = %.17g, want %.17g",   \
	          #got, (double)(got), (double)(want))

static struct conc
conc_of(const double *s, size_t n)
{
	struct conc c;

	cr_assert_eq(conc_compute(s, n, &c), 0);
	return c;
}

/* xorshift64*: a fixed, libc-independent sequence */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static double
rng_unit(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717u) >> 11) * 0x1p-53;
}

/* n random shares (percent) summing to total */
static void
random_shares(double *s, size_t n, double total)
{
	double sum = 0.0;

	for (size_t i = 0; i < n; i++)
		sum += s[i] = rng_unit() + 1e-3;
	for (size_t i = 0; i < n; i++)
		s[i] *= total / sum * (1.0 - 1e-12);
}

/* ---- T1-T6: HHI and CR -------------------------------------------- */

Test(hhi, t1_doj_four_firms)
{
	double s[] = {30, 30, 20, 20};
	struct conc c = conc_of(s, LEN(s));

	EXACT(c.hhi, 2600);
	EXACT(c.cr[0], 30);
	EXACT(c.cr[1], 60);
	EXACT(c.cr[3], 100);
	EXACT(c.listed_pct, 100);
	EXACT(c.hhi_upper, c.hhi_lower);
}

Test(hhi, t2_investopedia)
{
	double s[] = {10, 9, 12, 15, 12, 11, 15, 16};

	EXACT(conc_of(s, LEN(s)).hhi, 1296);
}

Test(hhi, t3_ten_firms)
{
	double s[] = {12, 12, 12, 12, 12, 8, 8, 8, 8, 8};

	EXACT(conc_of(s, LEN(s)).hhi, 1040);
}

Test(hhi, t4_centrocompetencia)
{
	double a[] = {75, 25}, b[] = {50, 25, 25}, c[] = {20, 20, 20, 20, 20};
	double m[] = {100}, d[] = {50, 50}, e[] = {25, 25, 25, 25};

	EXACT(conc_of(a, LEN(a)).hhi, 6250);
	EXACT(conc_of(b, LEN(b)).hhi, 3750);
	EXACT(conc_of(c, LEN(c)).hhi, 2000);
	EXACT(conc_of(m, LEN(m)).hhi, 10000);
	EXACT(conc_of(d, LEN(d)).hhi, 5000);
	EXACT(conc_of(e, LEN(e)).hhi, 2500);
}

Test(hhi, t5_forty_thirty_twenty_ten)
{
	double s[] = {10, 40, 20, 30};
	struct conc c = conc_of(s, LEN(s));

	EXACT(c.hhi, 3000);
	EXACT(c.cr[0], 40);
	EXACT(c.cr[2], 90);
}

Test(hhi, t6_fraction_input_as_percent)
{
	double s[] = {80, 10, 10};

	EXACT(conc_of(s, LEN(s)).hhi, 6600);
}

Test(hhi, cr_with_fewer_than_four_firms)
{
	double s[] = {70, 30};
	struct conc c = conc_of(s, LEN(s));

	EXACT(c.cr[0], 70);
	EXACT(c.cr[1], 100);
	EXACT(c.cr[2], 100);
	EXACT(c.cr[3], 100);
}

/* ---- T7-T9: mergers ----------------------------------------------- */

Test(merge, t7_five_plus_ten)
{
	double s[] = {5, 10};
	int g[] = {0, 0};
	struct merge_result m;

	cr_assert_eq(scenario_merge(s, 2, g, &m), 0);
	EXACT(m.delta_hhi, 100);
	EXACT(m.hhi_pre, 125);
	EXACT(m.hhi_post, 225);
	EXACT(m.merged_share, 15);
	cr_assert_eq(m.merged_group, 0);
}

Test(merge, t8_nine_firms_two_mergers)
{
	double s[] = {25, 20, 15, 10, 8, 7, 6, 5, 4};
	int small[] = {-1, -1, -1, -1, -1, -1, -1, 3, 3};
	int large[] = {1, 1, -1, -1, -1, -1, -1, -1, -1};
	struct merge_result m;

	cr_assert_eq(scenario_merge(s, LEN(s), small, &m), 0);
	EXACT(m.hhi_pre, 1540);
	EXACT(m.hhi_post, 1580);
	EXACT(m.delta_hhi, 40);
	EXACT(m.merged_share, 9);
	cr_assert_eq(m.merged_group, 3);
	cr_assert_eq(scenario_merge(s, LEN(s), large, &m), 0);
	EXACT(m.hhi_post, 2540);
	EXACT(m.delta_hhi, 1000);
	EXACT(m.merged_share, 45);
}

Test(merge, t9_doj_market_merge_the_twenties)
{
	double s[] = {30, 30, 20, 20};
	int g[] = {-1, -1, 0, 0};
	struct merge_result m;
	struct screens sc;

	cr_assert_eq(scenario_merge(s, LEN(s), g, &m), 0);
	EXACT(m.hhi_post, 3400);
	EXACT(m.delta_hhi, 800);
	EXACT(m.merged_share, 40);
	screens_eval(m.hhi_post, m.delta_hhi, m.merged_share, &sc);
	cr_assert_eq(sc.us2023.verdict, SCREENS_US2023_PRESUMED);
	cr_assert_eq(sc.us2023.rule, SCREENS_US2023_RULE_BOTH);
	cr_assert_eq(sc.us2010.band, SCREENS_US2010_HIGH);
	cr_assert_eq(sc.us2010.verdict, SCREENS_US2010_PRESUMED);
	cr_assert_eq(sc.eu2004.verdict, SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR);
}

/* T15 first value (antitrust::HHI, full mergers only): three alliances */
Test(merge, alliances_per_group_delta)
{
	double s[] = {15, 20, 25, 35, 5};
	int g[] = {0, 0, 1, 1, 2};
	double delta[3], share[3];
	struct merge_result m;

	cr_assert_eq(scenario_alliances(s, 5, g, 3, delta, share, &m), 0);
	EXACT(m.hhi_pre, 2500);
	EXACT(m.hhi_post, 4850);
	EXACT(delta[0], 600);
	EXACT(delta[1], 1750);
	EXACT(delta[2], 0);
	EXACT(share[0], 35);
	EXACT(share[1], 60);
	EXACT(share[2], 5);
	EXACT(m.delta_hhi, 2350);
	EXACT(m.merged_share, 60);
	cr_assert_eq(m.merged_group, 1);
}

Test(merge, alliances_without_share_output_and_empty_group)
{
	double s[] = {40, 10, 30};
	int g[] = {3, -1, 3};
	double delta[5];
	struct merge_result m;

	cr_assert_eq(scenario_alliances(s, 3, g, 5, delta, NULL, &m), 0);
	EXACT(delta[3], 2400);
	EXACT(delta[0], 0);
	EXACT(delta[4], 0);
	EXACT(m.merged_share, 70);
	cr_assert_eq(m.merged_group, 3);
}

Test(merge, singletons_are_not_mergers)
{
	double s[] = {60, 30};
	int g[] = {0, 1};
	struct merge_result m;

	cr_assert_eq(scenario_merge(s, 2, g, &m), 0);
	EXACT(m.delta_hhi, 0);
	EXACT(m.hhi_post, m.hhi_pre);
	EXACT(m.merged_share, 0);
	cr_assert_eq(m.merged_group, -1);
	cr_assert_eq(scenario_merge(NULL, 0, NULL, &m), 0);
	EXACT(m.hhi_pre, 0);
	cr_assert_eq(m.merged_group, -1);
}

Test(merge, rejects_bad_input)
{
	double s[] = {60, 30}, bad[] = {60, -1}, over[] = {60, 41};
	int ok[] = {0, 0}, high[] = {0, 2}, low[] = {-2, 0};
	double delta[3] = {-7, -7, -7};
	struct merge_result m;

	cr_assert_eq(scenario_merge(s, 2, high, &m), -EINVAL);
	cr_assert_eq(scenario_merge(s, 2, low, &m), -EINVAL);
	cr_assert_eq(scenario_merge(bad, 2, ok, &m), -EINVAL);
	cr_assert_eq(scenario_merge(over, 2, ok, &m), -EINVAL);
	cr_assert_eq(scenario_alliances(s, 2, high, 2, delta, NULL, &m),
	             -EINVAL);
	EXACT(delta[0], -7); /* outputs untouched on error */
	cr_assert_eq(scenario_alliances(s, 2, high, 3, delta, NULL, &m), 0);
	EXACT(delta[0], 0);
}

/* ΔHHI of a set = (sum)^2 - sum of squares, against a brute recount */
Test(merge, random_groups_match_recount)
{
	double s[40], sum[8];

	for (int rep = 0; rep < 200; rep++) {
		size_t n = 1 + (size_t)(rng_unit() * 40);
		int g[40];
		double post = 0.0, delta[8];
		struct merge_result m;

		random_shares(s, n, 100.0 * rng_unit());
		memset(sum, 0, sizeof(sum));
		for (size_t i = 0; i < n; i++) {
			g[i] = (int)(rng_unit() * 9) - 1;
			if (g[i] < 0)
				post += s[i] * s[i];
			else
				sum[g[i]] += s[i];
		}
		for (size_t k = 0; k < 8; k++)
			post += sum[k] * sum[k];
		cr_assert_eq(scenario_alliances(s, n, g, 8, delta, NULL, &m),
		             0);
		REL(m.hhi_post, post, 1e-12);
		REL(m.hhi_post - m.hhi_pre, m.delta_hhi, 1e-12);
	}
}

/* ---- T19-T22: the other indices ---------------------------------- */

Test(indices, t19_doj_market)
{
	double s[] = {20, 30, 20, 30};
	struct conc c = conc_of(s, LEN(s));

	REL(c.hall_tideman, 5.0 / 18.0, 1e-12);
	REL(c.gini, 0.1, 1e-12);
	REL(c.gini_normalized, 0.4 / 3.0, 1e-12);
	NEAR(c.entropy, 1.366158848, 1e-9);
	NEAR(c.entropy / log(4.0), 0.985475297, 1e-9);
	NEAR(c.theil, 0.020135514, 1e-9);
	REL(c.linda, 173.0 / 504.0, 1e-12);
	REL(c.dominance, 97.0 / 338.0, 1e-12);
	NEAR(c.dominance * 1e4, 2869.82, 5e-3);
	REL(c.hhi_normalized, 1.0 / 75.0, 1e-12);
	REL(c.numbers_equivalent, 1.0 / 0.26, 1e-12);
	REL(c.ck, 0.3 + 0.15 + 0.2 / 3.0 + 0.05, 1e-12);
}

Test(indices, t20_concstats_vector)
{
	double s[] = {40, 25, 20, 10, 5};
	struct conc c = conc_of(s, LEN(s));

	EXACT(c.hhi, 2750);
	REL(c.hall_tideman, 10.0 / 33.0, 1e-12);
	REL(c.gini, 0.34, 1e-12);
	REL(c.gini_normalized, 0.425, 1e-12);
	NEAR(c.entropy, 1.415022588, 1e-9);
	NEAR(c.entropy / log(5.0), 0.879202967, 1e-9);
	REL(c.linda, 3523.0 / 5040.0, 1e-12);
	REL(c.dominance, 227.0 / 550.0, 1e-12);
}

Test(indices, t21_nine_firms)
{
	double s[] = {25, 20, 15, 10, 8, 7, 6, 5, 4};
	struct conc c = conc_of(s, LEN(s));

	REL(c.hall_tideman, 1.0 / 6.0, 1e-12);
	REL(c.gini, 1.0 / 3.0, 1e-12);
	REL(c.gini_normalized, 0.375, 1e-12);
	NEAR(c.entropy, 2.018840464, 1e-9);
	REL(c.linda, 4141.0 / 12960.0, 1e-12);
	NEAR(c.dominance, 0.261395, 1e-6);
}

Test(indices, t22_five_equal)
{
	double s[] = {20, 20, 20, 20, 20};
	struct conc c = conc_of(s, LEN(s));

	EXACT(c.hhi, 2000);
	NEAR(c.hhi_normalized, 0, 1e-12);
	REL(c.hall_tideman, 0.2, 1e-12);
	NEAR(c.gini, 0, 1e-12);
	REL(c.entropy, log(5.0), 1e-12);
	NEAR(c.theil, 0, 1e-12);
	REL(c.linda, 0.2, 1e-12);
	REL(c.dominance, 0.2, 1e-12);
}

/* ---- invariants ---------------------------------------------------- */

Test(invariants, n_equal_firms)
{
	double s[50];

	for (size_t n = 1; n <= 50; n++) {
		double h = 0.0;

		for (size_t i = 0; i < n; i++)
			s[i] = 100.0 / (double)n;
		struct conc c = conc_of(s, n);

		REL(c.hhi, 10000.0 / (double)n, 1e-12);
		REL(c.numbers_equivalent, (double)n, 1e-12);
		REL(c.hall_tideman, 1.0 / (double)n, 1e-12);
		REL(c.dominance, 1.0 / (double)n, 1e-12);
		NEAR(c.gini, 0, 1e-12);
		NEAR(c.theil, 0, 1e-12);
		REL(c.entropy, log((double)n), 1e-12);
		for (size_t i = 1; i <= n; i++)
			h += 1.0 / (double)i;
		REL(c.ck, h / (double)n, 1e-12);
		if (n >= 2) {
			NEAR(c.hhi_normalized, 0, 1e-12);
			REL(c.linda, 1.0 / (double)n, 1e-12);
		}
	}
}

Test(invariants, monopoly)
{
	double one[] = {100}, with_zeros[] = {0, 100, 0};
	struct conc c = conc_of(one, 1);

	EXACT(c.hhi, 10000);
	EXACT(c.cr[0], 100);
	EXACT(c.hhi_normalized, 1);
	EXACT(c.hall_tideman, 1);
	EXACT(c.gini, 0);
	cr_assert(isnan(c.gini_normalized));
	EXACT(c.entropy, 0);
	EXACT(c.theil, 0);
	cr_assert(isnan(c.linda));
	EXACT(c.dominance, 1);
	EXACT(c.ck, 1);
	EXACT(c.numbers_equivalent, 1);

	c = conc_of(with_zeros, 3);
	EXACT(c.hhi, 10000);
	REL(c.hhi_normalized, 1, 1e-15);
	EXACT(c.hall_tideman, 1);
	REL(c.gini, 2.0 / 3.0, 1e-15);
	REL(c.gini_normalized, 1, 1e-15);
	REL(c.theil, log(3.0), 1e-15);
	cr_assert(isnan(c.linda), "Linda needs two firms with positive share");
	EXACT(c.ck, 1);
}

static void
assert_same_conc(const struct conc *a, const struct conc *b)
{
	REL(a->hhi, b->hhi, 1e-13);
	REL(a->listed_pct, b->listed_pct, 1e-13);
	for (size_t k = 0; k < 4; k++) {
		REL(a->cr[k], b->cr[k], 1e-13);
		REL(a->cr_upper[k], b->cr_upper[k], 1e-13);
	}
	REL(a->hhi_upper, b->hhi_upper, 1e-13);
	REL(a->hall_tideman, b->hall_tideman, 1e-13);
	REL(a->gini, b->gini, 1e-12);
	REL(a->entropy, b->entropy, 1e-13);
	REL(a->linda, b->linda, 1e-13);
	REL(a->dominance, b->dominance, 1e-13);
	REL(a->ck, b->ck, 1e-13);
}

Test(invariants, permutation)
{
	double s[30], t[30];

	for (int rep = 0; rep < 50; rep++) {
		size_t n = 2 + (size_t)(rng_unit() * 28);

		random_shares(s, n, 40.0 + 60.0 * rng_unit());
		memcpy(t, s, n * sizeof(*s));
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)(rng_unit() * (double)(i + 1));
			double x = t[i];

			t[i] = t[j];
			t[j] = x;
		}
		struct conc a = conc_of(s, n), b = conc_of(t, n);

		assert_same_conc(&a, &b);
	}
}

/* ---- incomplete markets, validation, degenerate input -------------- */

Test(bounds, fringe_as_tiny_firms_or_one_firm)
{
	double s[] = {20, 40};
	struct conc c = conc_of(s, 2);

	EXACT(c.listed_pct, 60);
	EXACT(c.hhi, 2000);
	EXACT(c.hhi_lower, 2000);
	EXACT(c.hhi_upper, 3600);
	EXACT(c.cr[0], 40);
	EXACT(c.cr[1], 60);
	EXACT(c.cr[3], 60);
	EXACT(c.cr_upper[0], 40);
	EXACT(c.cr_upper[1], 80);
	EXACT(c.cr_upper[2], 100);
	EXACT(c.cr_upper[3], 100);
	/* renormalised: 2/3, 1/3 */
	REL(c.hhi_normalized, 1.0 / 9.0, 1e-12);
	REL(c.gini, 1.0 / 6.0, 1e-12);
}

Test(bounds, fringe_larger_than_every_firm)
{
	double s[] = {10, 30};
	struct conc c = conc_of(s, 2);

	EXACT(c.hhi_upper, 1000 + 3600);
	EXACT(c.cr_upper[0], 60);
	EXACT(c.cr_upper[1], 90);
	EXACT(c.cr_upper[2], 100);
	REL(c.hhi_normalized, 0.25, 1e-12);
}

Test(bounds, total_tolerance_and_rejects)
{
	double third[] = {100.0 / 3, 100.0 / 3, 100.0 / 3};
	double just_over[] = {50, 50.0000001};
	double over[] = {50, 50.01}, neg[] = {50, -0.5};
	double nan_[] = {50, NAN}, inf_[] = {INFINITY};
	struct conc c;

	c = conc_of(third, 3);
	REL(c.hhi_upper, c.hhi_lower, 1e-15);
	c = conc_of(just_over, 2);
	EXACT(c.hhi_upper, c.hhi_lower);
	cr_assert_eq(conc_compute(over, 2, &c), -EINVAL);
	cr_assert_eq(conc_compute(neg, 2, &c), -EINVAL);
	cr_assert_eq(conc_compute(nan_, 2, &c), -EINVAL);
	cr_assert_eq(conc_compute(inf_, 1, &c), -EINVAL);
}

Test(bounds, empty_market_is_nan)
{
	struct conc c;

	memset(&c, 0, sizeof(c));
	c.n = 99;
	cr_assert_eq(conc_compute(NULL, 0, &c), 0);
	cr_assert_eq(c.n, 0);
	cr_assert(isnan(c.listed_pct) && isnan(c.hhi) && isnan(c.hhi_lower));
	cr_assert(isnan(c.hhi_upper) && isnan(c.hhi_normalized));
	cr_assert(isnan(c.numbers_equivalent) && isnan(c.hall_tideman));
	cr_assert(isnan(c.gini) && isnan(c.gini_normalized));
	cr_assert(isnan(c.entropy) && isnan(c.theil) && isnan(c.linda));
	cr_assert(isnan(c.dominance) && isnan(c.ck));
	for (size_t k = 0; k < 4; k++)
		cr_assert(isnan(c.cr[k]) && isnan(c.cr_upper[k]));
}

Test(bounds, all_zero_listed_shares)
{
	double s[] = {0, 0};
	struct conc c = conc_of(s, 2);

	EXACT(c.hhi, 0);
	EXACT(c.hhi_upper, 10000);
	EXACT(c.cr[0], 0);
	EXACT(c.cr_upper[0], 100);
	cr_assert(isnan(c.gini) && isnan(c.hall_tideman) && isnan(c.linda));
}

/* ---- guideline screens at every edge -------------------------------- */

static struct screens
screen(double hhi, double delta, double share)
{
	struct screens sc;

	memset(&sc, 0xa5, sizeof(sc)); /* every field must be written */
	screens_eval(hhi, delta, share, &sc);
	return sc;
}

static enum screens_us2023_rule
us2023_rule(double hhi, double delta, double share)
{
	struct screens sc = screen(hhi, delta, share);

	cr_assert_eq(sc.us2023.verdict,
	             sc.us2023.rule == SCREENS_US2023_RULE_NONE
	                 ? SCREENS_US2023_NOT_PRESUMED
	                 : SCREENS_US2023_PRESUMED);
	return sc.us2023.rule;
}

Test(screens, us2023_hhi_prong)
{
	cr_assert_eq(us2023_rule(1800, 101, 0), SCREENS_US2023_RULE_NONE);
	cr_assert_eq(us2023_rule(1800.0001, 101, 0), SCREENS_US2023_RULE_HHI);
	cr_assert_eq(us2023_rule(1800 + 1e-9, 101, 0), SCREENS_US2023_RULE_NONE,
	             "within SCREENS_EPS of 1800 counts as 1800");
	cr_assert_eq(us2023_rule(5000, 100, 0), SCREENS_US2023_RULE_NONE);
	cr_assert_eq(us2023_rule(5000, 100.0001, 0), SCREENS_US2023_RULE_HHI);
	cr_assert_eq(us2023_rule(1800.0001, 100, 0), SCREENS_US2023_RULE_NONE);
}

Test(screens, us2023_share_prong)
{
	cr_assert_eq(us2023_rule(1000, 150, 30), SCREENS_US2023_RULE_NONE);
	cr_assert_eq(us2023_rule(1000, 150, 30.0001),
	             SCREENS_US2023_RULE_SHARE);
	cr_assert_eq(us2023_rule(1000, 100, 60), SCREENS_US2023_RULE_NONE);
	cr_assert_eq(us2023_rule(1000, 100.0001, 60),
	             SCREENS_US2023_RULE_SHARE);
	cr_assert_eq(us2023_rule(1800.0001, 150, 30.0001),
	             SCREENS_US2023_RULE_BOTH);
	cr_assert_eq(us2023_rule(1800, 150, 30), SCREENS_US2023_RULE_NONE);
}

/* an HHI that is 1,800 in exact arithmetic but not in binary floating */
Test(screens, rounding_noise_is_not_a_crossing)
{
	double s[] = {sqrt(1800.0)};
	struct conc c = conc_of(s, 1);

	cr_assert(c.hhi > 1800.0, "the float HHI must exceed 1800: %.17g",
	          c.hhi);
	NEAR(c.hhi, 1800, 1e-9);
	cr_assert_eq(us2023_rule(c.hhi, 101, 0), SCREENS_US2023_RULE_NONE);
}

static void
check_us2010(double hhi, double delta, enum screens_us2010_band band,
             enum screens_us2010_verdict verdict)
{
	struct screens sc = screen(hhi, delta, 0);

	cr_assert_eq(sc.us2010.band, band, "band of HHI %.4f", hhi);
	cr_assert_eq(sc.us2010.verdict, verdict, "verdict at HHI %.4f, Δ %.4f",
	             hhi, delta);
}

Test(screens, us2010_bands)
{
	check_us2010(1499.9999, 150, SCREENS_US2010_UNCONCENTRATED,
	             SCREENS_US2010_UNLIKELY);
	check_us2010(1500, 150, SCREENS_US2010_MODERATE,
	             SCREENS_US2010_SCRUTINY);
	check_us2010(2500, 150, SCREENS_US2010_MODERATE,
	             SCREENS_US2010_SCRUTINY);
	check_us2010(2500, 900, SCREENS_US2010_MODERATE,
	             SCREENS_US2010_SCRUTINY);
	check_us2010(2500.0001, 150, SCREENS_US2010_HIGH,
	             SCREENS_US2010_SCRUTINY);
	check_us2010(1000, 5000, SCREENS_US2010_UNCONCENTRATED,
	             SCREENS_US2010_UNLIKELY);
	/* within SCREENS_EPS below a threshold counts as the threshold */
	check_us2010(1500 - 1e-9, 150, SCREENS_US2010_MODERATE,
	             SCREENS_US2010_SCRUTINY);
}

Test(screens, us2010_delta_edges)
{
	check_us2010(2000, 100, SCREENS_US2010_MODERATE,
	             SCREENS_US2010_UNLIKELY);
	check_us2010(2000, 100.0001, SCREENS_US2010_MODERATE,
	             SCREENS_US2010_SCRUTINY);
	check_us2010(3000, 99.9999, SCREENS_US2010_HIGH,
	             SCREENS_US2010_UNLIKELY);
	check_us2010(3000, 100, SCREENS_US2010_HIGH, SCREENS_US2010_UNLIKELY);
	check_us2010(3000, 100.0001, SCREENS_US2010_HIGH,
	             SCREENS_US2010_SCRUTINY);
	check_us2010(3000, 200, SCREENS_US2010_HIGH, SCREENS_US2010_SCRUTINY);
	check_us2010(3000, 200.0001, SCREENS_US2010_HIGH,
	             SCREENS_US2010_PRESUMED);
}

static void
check_eu(double hhi, double delta, enum screens_eu2004_verdict verdict)
{
	struct screens sc = screen(hhi, delta, 0);

	cr_assert_eq(sc.eu2004.verdict, verdict, "EU at HHI %.4f, Δ %.4f", hhi,
	             delta);
}

Test(screens, eu2004_edges)
{
	check_eu(999.9999, 5000, SCREENS_EU2004_SAFE_HARBOUR);
	check_eu(1000, 249.9999, SCREENS_EU2004_SAFE_HARBOUR);
	check_eu(1000, 250, SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR);
	check_eu(2000, 249.9999, SCREENS_EU2004_SAFE_HARBOUR);
	check_eu(2000, 250, SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR);
	check_eu(2000.0001, 149.9999, SCREENS_EU2004_SAFE_HARBOUR);
	check_eu(2000.0001, 150, SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR);
	check_eu(2000.0001, 249, SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR);
	check_eu(9000, 0, SCREENS_EU2004_SAFE_HARBOUR);
	/* within SCREENS_EPS of a threshold counts as the threshold */
	check_eu(1000 - 1e-9, 300, SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR);
	check_eu(1500, 250 - 1e-9, SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR);
	check_eu(2500, 150 - 1e-9, SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR);
}

Test(screens, names)
{
	cr_assert_str_eq(screens_us2023_verdict_name(SCREENS_US2023_PRESUMED),
	                 "presumed");
	cr_assert_str_eq(
	    screens_us2023_verdict_name(SCREENS_US2023_NOT_PRESUMED),
	    "not_presumed");
	cr_assert_str_eq(screens_us2023_rule_name(SCREENS_US2023_RULE_HHI),
	                 "hhi");
	cr_assert_str_eq(screens_us2023_rule_name(SCREENS_US2023_RULE_SHARE),
	                 "share");
	cr_assert_str_eq(screens_us2023_rule_name(SCREENS_US2023_RULE_BOTH),
	                 "both");
	cr_assert_null(screens_us2023_rule_name(SCREENS_US2023_RULE_NONE));
	cr_assert_str_eq(
	    screens_us2010_band_name(SCREENS_US2010_UNCONCENTRATED),
	    "unconcentrated");
	cr_assert_str_eq(screens_us2010_band_name(SCREENS_US2010_MODERATE),
	                 "moderate");
	cr_assert_str_eq(screens_us2010_band_name(SCREENS_US2010_HIGH), "high");
	cr_assert_str_eq(screens_us2010_verdict_name(SCREENS_US2010_UNLIKELY),
	                 "unlikely");
	cr_assert_str_eq(screens_us2010_verdict_name(SCREENS_US2010_SCRUTINY),
	                 "scrutiny");
	cr_assert_str_eq(screens_us2010_verdict_name(SCREENS_US2010_PRESUMED),
	                 "presumed");
	cr_assert_str_eq(
	    screens_eu2004_verdict_name(SCREENS_EU2004_SAFE_HARBOUR),
	    "safe_harbour");
	cr_assert_str_eq(
	    screens_eu2004_verdict_name(SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR),
	    "outside_safe_harbour");
	cr_assert_null(screens_us2010_band_name((enum screens_us2010_band)42));
}

/* ---- batch kernels against plain loops ------------------------------ */

static double *
random_matrix(size_t rows, size_t cols, double scale, double density)
{
	double *m = malloc((rows * cols + 1) * sizeof(*m));

	cr_assert_not_null(m);
	for (size_t i = 0; i < rows * cols; i++)
		m[i] = rng_unit() < density ? scale * rng_unit() : 0.0;
	return m;
}

Test(batch, hhi_matches_plain_loop)
{
	size_t rows_set[] = {0, 1, 2, 3, 7, 100};
	size_t cols_set[] = {0,  1,  2,  3,  5,  7,  8,  9,
	                     15, 16, 17, 63, 64, 65, 129};

	for (size_t a = 0; a < LEN(rows_set); a++) {
		for (size_t b = 0; b < LEN(cols_set); b++) {
			size_t rows = rows_set[a], cols = cols_set[b];
			double *s = random_matrix(rows, cols, 100.0, 0.8);
			double *h = malloc((rows + 1) * sizeof(*h));

			h[rows] = -1.0; /* canary past the end */
			conc_hhi_batch(s, rows, cols, h);
			for (size_t r = 0; r < rows; r++) {
				double ref = 0.0;

				for (size_t c = 0; c < cols; c++)
					ref +=
					    s[r * cols + c] * s[r * cols + c];
				REL(h[r], ref, 1e-9);
			}
			EXACT(h[rows], -1.0);
			free(s);
			free(h);
		}
	}
}

Test(batch, hhi_agrees_with_conc_compute)
{
	double s[3 * 6];

	for (size_t r = 0; r < 3; r++)
		random_shares(s + r * 6, 6, 100.0);
	double h[3];

	conc_hhi_batch(s, 3, 6, h);
	for (size_t r = 0; r < 3; r++)
		REL(h[r], conc_of(s + r * 6, 6).hhi, 1e-12);
}

static void
check_aggregate(size_t rows, size_t firms, size_t groups)
{
	double *s = random_matrix(rows, firms, 100.0, 0.7);
	double *m = random_matrix(firms, groups, 1.0, 1.0);
	double *out = malloc((rows * groups + 1) * sizeof(*out));

	for (size_t i = 0; i < firms * groups; i++)
		m[i] = m[i] < 0.4 ? 1.0 : 0.0;
	for (size_t i = 0; i < rows * groups; i++)
		out[i] = NAN; /* must be overwritten, even for firms == 0 */
	out[rows * groups] = -1.0;
	conc_aggregate(s, rows, firms, m, groups, out);
	for (size_t r = 0; r < rows; r++) {
		for (size_t g = 0; g < groups; g++) {
			double ref = 0.0;

			for (size_t f = 0; f < firms; f++)
				ref += s[r * firms + f] * m[f * groups + g];
			REL(out[r * groups + g], ref, 1e-9);
		}
	}
	EXACT(out[rows * groups], -1.0);
	free(s);
	free(m);
	free(out);
}

Test(batch, aggregate_matches_plain_loop)
{
	size_t rows_set[] = {0, 1, 5, 33, 257};
	size_t firms_set[] = {0, 1, 3, 8, 17, 64};
	size_t groups_set[] = {0, 1, 3, 4};

	for (size_t a = 0; a < LEN(rows_set); a++)
		for (size_t b = 0; b < LEN(firms_set); b++)
			for (size_t c = 0; c < LEN(groups_set); c++)
				check_aggregate(rows_set[a], firms_set[b],
				                groups_set[c]);
}

/* the alliance pipeline: aggregate, then batch HHI = scenario post HHI */
Test(batch, aggregate_then_hhi_is_alliance_scenario)
{
	double s[] = {15, 20, 25, 35, 5};
	int g[] = {0, 0, 1, 1, 2};
	double member[5 * 3] = {0}, agg[3], h;
	struct merge_result m;

	for (size_t f = 0; f < 5; f++)
		member[f * 3 + (size_t)g[f]] = 1.0;
	conc_aggregate(s, 1, 5, member, 3, agg);
	conc_hhi_batch(agg, 1, 3, &h);
	cr_assert_eq(scenario_merge(s, 5, g, &m), 0);
	EXACT(h, 4850);
	EXACT(m.hhi_post, h);
}
