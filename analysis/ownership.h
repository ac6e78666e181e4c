#ifndef OLIGO_ANALYSIS_OWNERSHIP_H
#define OLIGO_ANALYSIS_OWNERSHIP_H

/*
 * Ownership: from the holding records (db/holdings.h) to the investor x
 * firm matrices of the kappa kernels, for one market-period or for the
 * common-ownership table of a period.  No SQL: the caller loads the
 * holdings once and asks for as many periods as it likes.
 *
 * Period rule.  A holding without as_of applies to every period; one
 * with as_of applies from that date until a later as_of of the same
 * investor and firm supersedes it (an undated row counts as the earliest).
 * A holding applies to a period when its as_of is on or before the
 * period's last day (ownership_period_end()).
 *
 * Undisclosed stakes.  A holding in force whose own_pct is NULL is
 * skipped and counted in stats.undisclosed: its size is unknown and is
 * never guessed.  It does not count as a recorded holder.
 *
 * Firms and investors (ownership_mhhi).  The firms are the market's
 * firms.  The investors are every entity with a disclosed holding in
 * force in one of them, plus each firm without such a holder, which is
 * its own owner with full control (beta = gamma = 1 in itself).  A firm
 * that holds a rival is therefore the same investor row as its own
 * self-ownership: a Google with no recorded holders that owns 14 % of
 * Anthropic weighs Anthropic's profit by 0.14.  Parents and alliance
 * anchors are holders only where a holding records it; holdings of the
 * firms' own shareholders are not traced through (no look-through).
 *
 * Units: holdings are fractions (db/holdings.h), shares PERCENT, MHHI
 * POINTS.
 */

#include <stddef.h>
#include <stdint.h>

#include "db/holdings.h"

/*
 * The last day of a period label as "YYYY-MM-DD", comparable as a string
 * with as_of dates of any precision: 2025 -> 2025-12-31, 2025Q3 ->
 * 2025-09-30, 2025H1 -> 2025-06-30, 2025-06 -> 2025-06-31 (a sentinel
 * after every day of June), 2025-06-30 -> itself.  Returns 0, or -EINVAL
 * for any other label (end is then a copy of the label, truncated).
 */
int ownership_period_end(const char *period, char end[11] /* OUT */);

struct ownership_stats {
	size_t used;        /* disclosed holdings in force */
	size_t undisclosed; /* holdings in force with undisclosed size */
	size_t investors;   /* rows of beta, including self-owners */
};

/*
 * MHHI and its increment (points) for F firms with shares_pct (percent)
 * at the period ending end, O'Brien-Salop with control gamma (kappa.h).
 * Without any disclosed holding in force MHHI = HHI and the increment is
 * 0.  Returns 0, -EINVAL (bad shares or holdings) or -ENOMEM.
 */
int ownership_mhhi(const struct holdings *h, const int64_t *firms,
                   const double *shares_pct, size_t F, const char *end,
                   double *mhhi /* OUT */, double *delta_mhhi /* OUT */,
                   struct ownership_stats *st /* OUT */);

/*
 * Common ownership at the period ending end (gamma = beta): the firms
 * with at least one disclosed holding in force, by name, and kappa
 * (F x F, row = the deciding manager).  firms[] point into h.  Free with
 * ownership_kappa_release().  Returns 0, -EINVAL or -ENOMEM.
 */
struct kappa_table {
	size_t F;
	const char **firms;
	double *kappa;
	struct ownership_stats stats;
};

int ownership_kappa(const struct holdings *h, const char *end,
                    struct kappa_table *out /* OUT */);
void ownership_kappa_release(struct kappa_table *t);

#endif
