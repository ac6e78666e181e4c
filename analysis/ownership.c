#include "analysis/ownership.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/kappa.h"
#include "lib/idmap.h"
#include "lib/xalloc.h"

int
ownership_period_end(const char *period, char end[11])
{
	static const char *const qend[] = {"03-31", "06-30", "09-30", "12-31"};
	size_t n = strlen(period);

	snprintf(end, 11, "%s", period);
	if (n == 4)
		return snprintf(end, 11, "%.4s-12-31", period), 0;
	if (n == 6 && period[4] == 'Q' && period[5] >= '1' && period[5] <= '4')
		return snprintf(end, 11, "%.4s-%s", period,
		                qend[period[5] - '1']),
		       0;
	if (n == 6 && period[4] == 'H' &&
	    (period[5] == '1' || period[5] == '2'))
		return snprintf(end, 11, "%.4s-%s", period,
		                period[5] == '1' ? "06-30" : "12-31"),
		       0;
	if (n == 7 && period[4] == '-')
		return snprintf(end, 11, "%s-31", period), 0;
	return n == 10 && period[4] == '-' && period[7] == '-' ? 0 : -EINVAL;
}

/* One disclosed stake in force: investor in the j-th firm. */
struct stake {
	size_t j;
	int64_t investor;
	double own, ctrl;
};

struct stakes {
	struct stake *v;
	size_t n, cap;
};

/* Index of the first record of firm (records sorted by firm_id). */
static size_t
first_of(const struct holdings *h, int64_t firm)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->rows[mid].firm_id < firm)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
push(struct stakes *s, size_t j, const struct holding_rec *r)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = (struct stake){j, r->investor_id, r->own, r->ctrl};
}

/*
 * The holdings of firm in force at end, as the j-th firm.  Records of one
 * investor come in as_of order with undated first, so the last one on or
 * before end is the one in force; a record of no stake and no control
 * (a sold-out 13F position) ends the holding.  Returns the number of
 * stakes added.
 */
static size_t
in_force(const struct holdings *h, int64_t firm, size_t j, const char *end,
         struct stakes *s, struct ownership_stats *st)
{
	size_t i = first_of(h, firm), added = 0;

	while (i < h->n && h->rows[i].firm_id == firm) {
		int64_t inv = h->rows[i].investor_id;
		const struct holding_rec *cur = NULL;

		for (; i < h->n && h->rows[i].firm_id == firm &&
		       h->rows[i].investor_id == inv;
		     i++)
			if (!h->rows[i].as_of ||
			    strcmp(h->rows[i].as_of, end) <= 0)
				cur = &h->rows[i];
		if (!cur)
			continue;
		if (isnan(cur->own)) {
			st->undisclosed++;
			continue;
		}
		if (cur->own == 0 && !(cur->ctrl > 0))
			continue; /* sold out: no longer a holder */
		push(s, j, cur);
		added++;
	}
	st->used += added;
	return added;
}

/*
 * beta and gamma (S x F) from the stakes; self[j] adds firm j as its own
 * full owner.  gamma NULL: beta only (gamma = beta).  Returns -EINVAL
 * for a stake outside 0..1.
 */
static int
build(const struct stakes *s, const int64_t *firms, const char *self, size_t F,
      double **beta, double **gamma, size_t *S)
{
	/* investors numbered in order of first sight, so the beta rows
	 * (and the BLAS sums) come in the order of the stakes */
	struct idmap iv = IDMAP_INIT;
	size_t *row = xcalloc(s->n + 1, sizeof(*row));

	*S = 0;
	for (size_t k = 0; k < s->n; k++)
		row[k] = idmap_index(&iv, s->v[k].investor);
	for (size_t j = 0; self && j < F; j++)
		if (self[j])
			idmap_index(&iv, firms[j]);
	*beta = xcalloc(iv.n * F + 1, sizeof(double));
	if (gamma)
		*gamma = xcalloc(iv.n * F + 1, sizeof(double));
	for (size_t k = 0; k < s->n; k++) {
		const struct stake *x = &s->v[k];

		if (!(x->own >= 0 && x->own <= 1 && x->ctrl >= 0 &&
		      x->ctrl <= 1)) {
			free(row);
			idmap_release(&iv);
			return -EINVAL;
		}
		(*beta)[row[k] * F + x->j] = x->own;
		if (gamma)
			(*gamma)[row[k] * F + x->j] = x->ctrl;
	}
	for (size_t j = 0; self && j < F; j++) {
		size_t i = self[j] ? idmap_index(&iv, firms[j]) : 0;

		if (self[j]) {
			(*beta)[i * F + j] = 1.0;
			if (gamma)
				(*gamma)[i * F + j] = 1.0;
		}
	}
	*S = iv.n;
	free(row);
	idmap_release(&iv);
	return 0;
}

static int
mhhi_of(const struct stakes *s, const int64_t *firms, const char *self,
        const double *shares_pct, size_t F, double *mhhi, double *delta,
        struct ownership_stats *st)
{
	double *beta, *gamma, *kappa = xcalloc(F * F + 1, sizeof(double));
	size_t S;
	int rc = build(s, firms, self, F, &beta, &gamma, &S);

	st->investors = S;
	if (!rc)
		rc = kappa_compute(beta, gamma, S, F, kappa);
	if (!rc)
		rc = mhhi_compute(shares_pct, kappa, F, mhhi, delta);
	free(beta);
	free(gamma);
	free(kappa);
	return rc;
}

int
ownership_mhhi(const struct holdings *h, const int64_t *firms,
               const double *shares_pct, size_t F, const char *end,
               double *mhhi, double *delta_mhhi, struct ownership_stats *st)
{
	struct stakes s = {NULL, 0, 0};
	char *self = xcalloc(F ? F : 1, 1);
	int rc = 0;

	*st = (struct ownership_stats){0, 0, 0};
	for (size_t j = 0; j < F; j++)
		self[j] = in_force(h, firms[j], j, end, &s, st) == 0;
	if (s.n == 0) {
		/* kappa = I: no overlap, MHHI = HHI */
		double hhi = 0;

		for (size_t j = 0; j < F; j++)
			hhi += shares_pct[j] * shares_pct[j];
		*mhhi = hhi;
		*delta_mhhi = 0.0;
		st->investors = F;
	} else {
		rc = mhhi_of(&s, firms, self, shares_pct, F, mhhi, delta_mhhi,
		             st);
	}
	free(self);
	free(s.v);
	return rc;
}

struct named {
	int64_t id;
	const char *name;
};

static int
by_name(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return strcasecmp(x->name, y->name);
}

/* Every firm with a record, by name (stakes in force are checked later). */
static struct named *
all_firms(const struct holdings *h, size_t *n)
{
	struct named *v = xcalloc(h->n ? h->n : 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < h->n; i++)
		if (!*n || v[*n - 1].id != h->rows[i].firm_id)
			v[(*n)++] =
			    (struct named){h->rows[i].firm_id, h->rows[i].firm};
	qsort(v, *n, sizeof(*v), by_name);
	return v;
}

int
ownership_kappa(const struct holdings *h, const char *end,
                struct kappa_table *out)
{
	struct stakes s = {NULL, 0, 0};
	size_t nf, F = 0, S;
	struct named *f = all_firms(h, &nf);
	int64_t *ids = xcalloc(nf ? nf : 1, sizeof(*ids));
	double *beta;
	int rc;

	memset(out, 0, sizeof(*out));
	out->firms = xcalloc(nf ? nf : 1, sizeof(*out->firms));
	for (size_t k = 0; k < nf; k++) {
		if (!in_force(h, f[k].id, F, end, &s, &out->stats))
			continue;
		ids[F] = f[k].id;
		out->firms[F++] = f[k].name;
	}
	out->F = F;
	out->kappa = xcalloc(F * F + 1, sizeof(double));
	rc = build(&s, ids, NULL, F, &beta, NULL, &S);
	out->stats.investors = S;
	if (!rc)
		rc = kappa_compute(beta, NULL, S, F, out->kappa);
	free(beta);
	free(s.v);
	free(ids);
	free(f);
	return rc;
}

void
ownership_kappa_release(struct kappa_table *t)
{
	free(t->firms);
	free(t->kappa);
	memset(t, 0, sizeof(*t));
}
