#include "analysis/scenario.h"

#include <errno.h>
#include <stdlib.h>

#include "analysis/conc.h"

static int
scenario_check(const double *shares_pct, size_t n, const int *group,
               size_t groups)
{
	int rc = conc_check(shares_pct, n, NULL);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (group[i] < -1 ||
		    (group[i] >= 0 && (size_t)group[i] >= groups))
			return -EINVAL;
	return 0;
}

/* Largest combined share among real mergers (two or more members). */
static void
scenario_largest(const double *sum, const size_t *count, size_t groups,
                 struct merge_result *out)
{
	out->merged_share = 0.0;
	out->merged_group = -1;
	for (size_t g = 0; g < groups; g++) {
		if (count[g] < 2)
			continue;
		if (out->merged_group < 0 || sum[g] > out->merged_share) {
			out->merged_share = sum[g];
			out->merged_group = (int)g;
		}
	}
}

int
scenario_alliances(const double *shares_pct, size_t n, const int *group,
                   size_t groups, double *delta, double *share,
                   struct merge_result *out)
{
	double pre = 0.0, total = 0.0, *sum = share;
	size_t *count;
	int rc = scenario_check(shares_pct, n, group, groups);

	if (rc < 0)
		return rc;
	count = calloc(groups ? groups : 1, sizeof(*count));
	if (!sum)
		sum = calloc(groups ? groups : 1, sizeof(*sum));
	if (!count || !sum) {
		free(count);
		if (sum != share)
			free(sum);
		return -ENOMEM;
	}
	for (size_t g = 0; g < groups; g++)
		delta[g] = sum[g] = 0.0;
	for (size_t i = 0; i < n; i++) {
		double s = shares_pct[i];
		int g = group[i];

		pre += s * s;
		if (g < 0)
			continue;
		/* 2 s_i * (members so far): each pair counted once */
		delta[g] += 2.0 * s * sum[g];
		sum[g] += s;
		count[g]++;
	}
	for (size_t g = 0; g < groups; g++)
		total += delta[g];
	scenario_largest(sum, count, groups, out);
	out->hhi_pre = pre;
	out->delta_hhi = total;
	out->hhi_post = pre + total;
	free(count);
	if (sum != share)
		free(sum);
	return 0;
}

int
scenario_merge(const double *shares_pct, size_t n, const int *group,
               struct merge_result *out)
{
	double *delta;
	int rc;

	/* ids < n: there cannot be more non-empty groups than firms */
	delta = calloc(n ? n : 1, sizeof(*delta));
	if (!delta)
		return -ENOMEM;
	rc = scenario_alliances(shares_pct, n, group, n, delta, NULL, out);
	free(delta);
	return rc;
}
