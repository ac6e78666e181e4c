#include "analysis/screen.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>

/* The tolerant comparisons of the header; everything else derives. */
static int
above(double x, double t)
{
	return x > t + SCREENS_EPS;
}

static int
below(double x, double t)
{
	return x < t - SCREENS_EPS;
}

static void
screens_us2023(double hhi, double delta, double share, struct screens *out)
{
	int by_hhi = above(delta, 100.0) && above(hhi, 1800.0);
	int by_share = above(delta, 100.0) && above(share, 30.0);

	out->us2023.verdict = by_hhi || by_share ? SCREENS_US2023_PRESUMED
	                                         : SCREENS_US2023_NOT_PRESUMED;
	if (by_hhi && by_share)
		out->us2023.rule = SCREENS_US2023_RULE_BOTH;
	else if (by_hhi)
		out->us2023.rule = SCREENS_US2023_RULE_HHI;
	else if (by_share)
		out->us2023.rule = SCREENS_US2023_RULE_SHARE;
	else
		out->us2023.rule = SCREENS_US2023_RULE_NONE;
}

static void
screens_us2010(double hhi, double delta, struct screens *out)
{
	if (below(hhi, 1500.0))
		out->us2010.band = SCREENS_US2010_UNCONCENTRATED;
	else if (above(hhi, 2500.0))
		out->us2010.band = SCREENS_US2010_HIGH;
	else
		out->us2010.band = SCREENS_US2010_MODERATE;

	if (!above(delta, 100.0) ||
	    out->us2010.band == SCREENS_US2010_UNCONCENTRATED)
		out->us2010.verdict = SCREENS_US2010_UNLIKELY;
	else if (out->us2010.band == SCREENS_US2010_HIGH && above(delta, 200.0))
		out->us2010.verdict = SCREENS_US2010_PRESUMED;
	else
		out->us2010.verdict = SCREENS_US2010_SCRUTINY;
}

static void
screens_eu2004(double hhi, double delta, struct screens *out)
{
	int safe;

	if (below(hhi, 1000.0))
		safe = 1;
	else if (!above(hhi, 2000.0))
		safe = below(delta, 250.0);
	else
		safe = below(delta, 150.0);
	out->eu2004.verdict = safe ? SCREENS_EU2004_SAFE_HARBOUR
	                           : SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR;
}

void
screens_eval(double hhi_post, double delta_hhi, double merged_share_pct,
             struct screens *out)
{
	assert(isfinite(hhi_post) && isfinite(delta_hhi) &&
	       isfinite(merged_share_pct));
	screens_us2023(hhi_post, delta_hhi, merged_share_pct, out);
	screens_us2010(hhi_post, delta_hhi, out);
	screens_eu2004(hhi_post, delta_hhi, out);
}

const char *
screens_us2023_verdict_name(enum screens_us2023_verdict v)
{
	switch (v) {
	case SCREENS_US2023_NOT_PRESUMED:
		return "not_presumed";
	case SCREENS_US2023_PRESUMED:
		return "presumed";
	}
	return NULL;
}

const char *
screens_us2023_rule_name(enum screens_us2023_rule r)
{
	switch (r) {
	case SCREENS_US2023_RULE_NONE:
		return NULL;
	case SCREENS_US2023_RULE_HHI:
		return "hhi";
	case SCREENS_US2023_RULE_SHARE:
		return "share";
	case SCREENS_US2023_RULE_BOTH:
		return "both";
	}
	return NULL;
}

const char *
screens_us2010_band_name(enum screens_us2010_band b)
{
	switch (b) {
	case SCREENS_US2010_UNCONCENTRATED:
		return "unconcentrated";
	case SCREENS_US2010_MODERATE:
		return "moderate";
	case SCREENS_US2010_HIGH:
		return "high";
	}
	return NULL;
}

const char *
screens_us2010_verdict_name(enum screens_us2010_verdict v)
{
	switch (v) {
	case SCREENS_US2010_UNLIKELY:
		return "unlikely";
	case SCREENS_US2010_SCRUTINY:
		return "scrutiny";
	case SCREENS_US2010_PRESUMED:
		return "presumed";
	}
	return NULL;
}

const char *
screens_eu2004_verdict_name(enum screens_eu2004_verdict v)
{
	switch (v) {
	case SCREENS_EU2004_SAFE_HARBOUR:
		return "safe_harbour";
	case SCREENS_EU2004_OUTSIDE_SAFE_HARBOUR:
		return "outside_safe_harbour";
	}
	return NULL;
}
