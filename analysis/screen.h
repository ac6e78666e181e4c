#ifndef OLIGO_ANALYSIS_SCREEN_H
#define OLIGO_ANALYSIS_SCREEN_H

/*
 * Merger-guideline screens: map (post-merger HHI, ΔHHI, merged share) to
 * the verdicts of the US 2023, US 2010 and EU 2004 guidelines.  Pure; no
 * state.  Inputs: HHI and ΔHHI in POINTS (0..10,000), share in PERCENT.
 * Inputs must be finite (asserted): a market whose HHI is unknown (NaN
 * from conc_compute with n == 0) has no verdict, and the caller must not
 * ask for one.
 *
 * Comparisons.  Inputs are floating sums of floating percent shares, so a
 * market whose exact HHI is 1,800 may arrive as 1800.0000000000002.  Every
 * comparison against a threshold T therefore treats values within
 * SCREENS_EPS of T as equal to T:
 *   "x > T"  means  x >  T + SCREENS_EPS
 *   "x < T"  means  x <  T - SCREENS_EPS
 *   "x >= T" means  not "x < T";  "x <= T" means not "x > T".
 * SCREENS_EPS is 1e-6 (points, or percent for the share): far above the
 * rounding error of an HHI of 10,000 (~1e-12) and far below any meaningful
 * difference (1800.0001 is above 1,800).
 *
 * US 2023 (Merger Guidelines, Guideline 1), strict as written:
 *   presumed if  ΔHHI > 100  and  (HHI > 1,800  or  share > 30 %).
 *   rule says which prong(s) fired: hhi, share, both; none if not presumed.
 *
 * US 2010 (Horizontal Merger Guidelines section 5.3).  The text leaves the
 * edges open; oligo decides:
 *   band:  HHI < 1,500 unconcentrated; 1,500 <= HHI <= 2,500 moderate
 *          (both edges moderate: "between 1500 and 2500");
 *          HHI > 2,500 high.
 *   verdict:  ΔHHI <= 100 -> unlikely in every band (ΔHHI exactly 100 is
 *          not "more than 100", so no concern arises);
 *          unconcentrated -> unlikely whatever ΔHHI;
 *          moderate and ΔHHI > 100 -> scrutiny;
 *          high and 100 < ΔHHI <= 200 -> scrutiny (exactly 200 is not
 *          "more than 200");
 *          high and ΔHHI > 200 -> presumed.
 *
 * EU 2004 (Horizontal Merger Guidelines paras 19-20), safe harbour if
 *   HHI < 1,000, or 1,000 <= HHI <= 2,000 and Δ < 250, or HHI > 2,000 and
 *   Δ < 150.  HHI exactly 2,000 is in the middle band (Δ < 250 applies);
 *   Δ exactly 250 or 150 is outside.  The guidelines' special circumstances
 *   (cross-shareholdings, mavericks, a party >= 50 %...) are not screened.
 */

#define SCREENS_EPS 1e-6

enum screens_us2023_verdict {
	SCREENS_US2023_NOT_PRESUMED,
	SCREENS_US2023_PRESUMED,
};

enum screens_us2023_rule {
	SCREENS_US2023_RULE_NONE,  /* not presumed */
	SCREENS_US2023_RULE_HHI,   /* HHI > 1,800 and Δ > 100 only */
	SCREENS_US2023_RULE_SHARE, /* share > 30 and Δ > 100 only */
	SCREENS_US2023_RULE_BOTH,
};

enum screens_us2010_band {
	SCREENS_US2010_UNCONCENTRATED,
	SCREENS_US2010_MODERATE,
	SCREENS_US2010_HIGH,
};

enum screens_us2010_verdict {
	SCREENS_US2010_UNLIKELY,
	SCREENS_US2010_SCRUTINY,
	SCREENS_US2010_PRESUMED,
};

enum screens_eu2004_verdict {
	SCREENS_EU2004_SAFE_HARBOUR,
	SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR,
};

struct screens {
	struct {
		enum screens_us2023_verdict verdict;
		enum screens_us2023_rule rule;
	} us2023;
	struct {
		enum screens_us2010_band band;
		enum screens_us2010_verdict verdict;
	} us2010;
	struct {
		enum screens_eu2004_verdict verdict;
	} eu2004;
};

/* Evaluate all three screens; see the rules above.  Fills every field. */
void screens_eval(double hhi_post, double delta_hhi, double merged_share_pct,
                  struct screens *out /* OUT */);

/*
 * Stable lower-case names, used in the metric tables, CSV and JSON:
 * "presumed" / "not_presumed"; "hhi" / "share" / "both" (NULL for none);
 * "unconcentrated" / "moderate" / "high"; "unlikely" / "scrutiny" /
 * "presumed"; "safe_harbour" / "outside_safe_harbour".  Static strings;
 * NULL for a value outside the enum.
 */
const char *screens_us2023_verdict_name(enum screens_us2023_verdict v);
const char *screens_us2023_rule_name(enum screens_us2023_rule r);
const char *screens_us2010_band_name(enum screens_us2010_band b);
const char *screens_us2010_verdict_name(enum screens_us2010_verdict v);
const char *screens_eu2004_verdict_name(enum screens_eu2004_verdict v);

#endif
