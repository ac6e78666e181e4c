#ifndef OLIGO_ANALYSIS_SCENARIO_H
#define OLIGO_ANALYSIS_SCENARIO_H

/*
 * Merger scenarios: "what if these firms were one".  Pure functions over
 * caller-owned arrays.
 *
 * Shares come in as PERCENT (0..100), validated as by conc_check() (finite,
 * >= 0, total <= 100 + CONC_SUM_TOL).  HHI outputs are POINTS, merged
 * shares PERCENT.
 *
 * Groups.  group[i] says what becomes of firm i: -1 = stays standalone,
 * g >= 0 = merges into group g.  Several groups at once model the alliance
 * scenario (each alliance's members counted as one firm).  Group ids must
 * be dense and small: g < n for scenario_merge(), g < groups for
 * scenario_alliances(); anything else (including ids < -1) is -EINVAL.
 *
 * Definitions (metrics.md section 1): for a group M,
 *   delta_M = (sum_M s)^2 - sum_M s^2 = 2 sum_{i<j in M} s_i s_j  (points)
 * computed in the second form (a running prefix sum), which has no
 * cancellation.  hhi_post = hhi_pre + sum of the group deltas, exactly as
 * computed, so hhi_post - hhi_pre == delta_hhi for the screens.
 *
 * HHI levels cover the listed firms only (the lower bound of conc.h): an
 * unlisted fringe does not change any delta; a caller wanting the upper
 * bound adds fringe^2 to both levels.
 */

#include <stddef.h>

struct merge_result {
	double hhi_pre;      /* points, listed firms */
	double hhi_post;     /* points, = hhi_pre + delta_hhi */
	double delta_hhi;    /* points, summed over all groups */
	double merged_share; /* percent: largest combined share among groups
	                      * with at least two members; 0 if none */
	int merged_group;    /* id of that group, or -1 */
};

/*
 * Merge the firms of each group g >= 0 (ids < n).  Returns 0, -EINVAL
 * (bad shares or group id; *out untouched) or -ENOMEM (scratch arrays of
 * n entries, freed before return).  n == 0 gives all zeros and
 * merged_group -1.
 */
int scenario_merge(const double *shares_pct, size_t n, const int *group,
                   struct merge_result *out /* OUT */);

/*
 * The same with per-group results, for the alliance scenario.  group ids
 * must be < groups.  For every g < groups:
 *   delta[g]   ΔHHI of merging group g's members (points; 0 for a group
 *              with fewer than two members)
 *   share[g]   combined share of group g (percent); share may be NULL
 * Returns 0, -EINVAL (bad shares or group id; outputs untouched) or
 * -ENOMEM (scratch arrays of groups entries, freed before return).
 */
int scenario_alliances(const double *shares_pct, size_t n, const int *group,
                       size_t groups, double *delta /* OUT: groups, points */,
                       double *share /* OUT: groups, percent, or NULL */,
                       struct merge_result *out /* OUT */);

#endif
