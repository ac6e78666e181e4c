#include "db/panel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/stmt.h"
#include "lib/xalloc.h"

/*
 * The best point share per market, period and firm, as view share_best
 * defines it (confidence, then the latest as_of, then the newest row),
 * chosen in C: ordered by the share_key index, the query needs no sort
 * and no window, which matters for a panel of hundreds of thousands of
 * shares.
 */
static const char shares_sql[] =
    "SELECT s.market_id, mk.name, s.period, s.entity_id, s.share_pct,"
    " CASE s.confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "  WHEN 'low' THEN 2 ELSE 3 END, s.as_of, s.id"
    " FROM share s JOIN market mk ON mk.id = s.market_id"
    " WHERE s.share_pct IS NOT NULL"
    " AND (?1 IS NULL OR mk.name = ?1 COLLATE NOCASE)"
    " AND (?2 IS NULL OR s.period = ?2)"
    " ORDER BY s.market_id, s.period, s.entity_id";

/* The compute table as the pseudo-market ai_compute (small). */
static const char compute_sql[] =
    "SELECT mk.id, mk.name, c.period, c.owner_id,"
    " 100.0 * c.h100e / sum(c.h100e) OVER (PARTITION BY c.period), 0,"
    " NULL, 0"
    " FROM (SELECT *, row_number() OVER ("
    "  PARTITION BY owner_id, period ORDER BY"
    "  CASE confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "   WHEN 'low' THEN 2 ELSE 3 END, as_of DESC, id DESC) AS rank"
    "  FROM compute WHERE h100e >= 0) c"
    " JOIN market mk ON mk.name = 'ai_compute' WHERE c.rank = 1"
    /* one listed owner would read as a monopoly: an index needs two */
    " AND (SELECT count(DISTINCT owner_id) FROM compute c2"
    "  WHERE c2.period = c.period AND c2.h100e >= 0) >= 2"
    " AND (?1 IS NULL OR mk.name = ?1 COLLATE NOCASE)"
    " AND (?2 IS NULL OR c.period = ?2)"
    " ORDER BY c.period, c.owner_id";

/* Every entity that has an alliance, by id. */
static const char alliance_sql[] =
    "SELECT id, a FROM (SELECT e.id, coalesce((SELECT min(alliance_id)"
    " FROM membership WHERE entity_id = e.id), (SELECT min(alliance_id)"
    " FROM membership WHERE entity_id = e.parent_id), (SELECT min(id)"
    " FROM alliance WHERE anchor_id IN (e.id, e.parent_id))) AS a"
    " FROM entity e) WHERE a IS NOT NULL ORDER BY id";

struct amap {
	int64_t *entity;
	int *alliance; /* index into panel.alliances */
	size_t n;
};

static enum status
load_alliances(struct db *db, struct panel *p, struct amap *m)
{
	int64_t *ids = NULL;
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db,
	                              "SELECT id, name FROM alliance"
	                              " ORDER BY id",
	                              &st);

	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		p->alliances = xreallocarray(p->alliances, p->nalliances + 1,
		                             sizeof(*p->alliances));
		ids = xreallocarray(ids, p->nalliances + 1, sizeof(*ids));
		ids[p->nalliances] = sqlite3_column_int64(st, 0);
		p->alliances[p->nalliances++] =
		    xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if ((rc = stmt_prepare(db, alliance_sql, &st))) {
		free(ids);
		return rc;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(st, 1);

		m->entity = xreallocarray(m->entity, m->n + 1, sizeof(int64_t));
		m->alliance = xreallocarray(m->alliance, m->n + 1, sizeof(int));
		m->entity[m->n] = sqlite3_column_int64(st, 0);
		m->alliance[m->n] = -1;
		for (size_t i = 0; i < p->nalliances; i++)
			if (ids[i] == a)
				m->alliance[m->n] = (int)i;
		m->n++;
	}
	sqlite3_finalize(st);
	free(ids);
	return ST_OK;
}

static int
alliance_of(const struct amap *m, int64_t entity)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->entity[mid] < entity)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->entity[lo] == entity ? m->alliance[lo] : -1;
}

/* Geometric growth: a refresh reads hundreds of thousands of shares. */
struct caps {
	size_t rows, shares;
};

/* The candidate best share of the current (market, period, firm). */
struct cand {
	bool have;
	int64_t mid, eid, id;
	double pct;
	int conf;
	char as_of[16], period[16];
	char *market;
};

static bool
better(sqlite3_stmt *st, const struct cand *c)
{
	const char *as_of = (const char *)sqlite3_column_text(st, 6);
	int conf = sqlite3_column_int(st, 5), cmp;

	if (conf != c->conf)
		return conf < c->conf;
	/* later as_of first; NULL is the earliest */
	cmp = !as_of ? (c->as_of[0] ? -1 : 0)
	             : strncmp(as_of, c->as_of, sizeof(c->as_of) - 1);
	if (cmp)
		return cmp > 0;
	return sqlite3_column_int64(st, 7) > c->id;
}

static void
copy(char *dst, size_t n, const char *src)
{
	size_t len = src ? strnlen(src, n - 1) : 0;

	if (len)
		memcpy(dst, src, len);
	dst[len] = 0;
}

static void
take(sqlite3_stmt *st, struct cand *c)
{
	const char *market = (const char *)sqlite3_column_text(st, 1);
	const char *as_of = (const char *)sqlite3_column_text(st, 6);

	if (!c->market || c->mid != sqlite3_column_int64(st, 0)) {
		free(c->market);
		c->market = xstrdup(market);
	}
	c->have = true;
	c->mid = sqlite3_column_int64(st, 0);
	c->eid = sqlite3_column_int64(st, 3);
	c->id = sqlite3_column_int64(st, 7);
	c->pct = sqlite3_column_double(st, 4);
	c->conf = sqlite3_column_int(st, 5);
	/* plain copies: this runs once per share of the panel */
	copy(c->as_of, sizeof(c->as_of), as_of);
	copy(c->period, sizeof(c->period),
	     (const char *)sqlite3_column_text(st, 2));
}

static void
commit(struct panel *p, const struct cand *c, const struct amap *m,
       struct caps *cap)
{
	struct panel_row *r = p->nrows ? &p->rows[p->nrows - 1] : NULL;
	size_t i;

	if (!r || r->market_id != c->mid || strcmp(r->period, c->period)) {
		if (p->nrows == cap->rows) {
			cap->rows = cap->rows ? 2 * cap->rows : 64;
			p->rows =
			    xreallocarray(p->rows, cap->rows, sizeof(*p->rows));
		}
		r = &p->rows[p->nrows++];
		*r = (struct panel_row){c->mid, xstrdup(c->market),
		                        xstrdup(c->period), p->nshares, 0};
	}
	if (p->nshares == cap->shares) {
		cap->shares = cap->shares ? 2 * cap->shares : 256;
		p->share_pct =
		    xreallocarray(p->share_pct, cap->shares, sizeof(double));
		p->alliance =
		    xreallocarray(p->alliance, cap->shares, sizeof(int));
		p->entity_id =
		    xreallocarray(p->entity_id, cap->shares, sizeof(int64_t));
	}
	i = p->nshares++;
	r->n++;
	p->share_pct[i] = c->pct;
	p->entity_id[i] = c->eid;
	p->alliance[i] = alliance_of(m, c->eid);
}

static bool
same_key(sqlite3_stmt *st, const struct cand *c)
{
	return c->have && c->mid == sqlite3_column_int64(st, 0) &&
	       c->eid == sqlite3_column_int64(st, 3) &&
	       !strcmp(c->period, (const char *)sqlite3_column_text(st, 2));
}

static enum status
read_query(struct db *db, const char *sql, const char *market,
           const char *period, struct panel *p, const struct amap *m,
           struct caps *cap)
{
	struct cand c = {0};
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);
	int step;

	if (rc)
		return rc;
	stmt_bind_text(st, 1, market);
	stmt_bind_text(st, 2, period);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (same_key(st, &c)) {
			if (better(st, &c))
				take(st, &c);
			continue;
		}
		if (c.have)
			commit(p, &c, m, cap);
		take(st, &c);
	}
	if (c.have)
		commit(p, &c, m, cap);
	free(c.market);
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? ST_OK : db_fail(db, "cannot read shares");
}

struct slot {
	double pct;
	int64_t id;
	size_t ix;
};

static int
by_share_desc(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->pct != y->pct)
		return x->pct < y->pct ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
}

static int
by_market_period(const void *a, const void *b)
{
	const struct panel_row *x = a, *y = b;
	int c = strcasecmp(x->market, y->market);

	return c ? c : strcmp(x->period, y->period);
}

/*
 * Rows by market name and period, each row's shares largest first: the
 * order every reader shows.  The arrays are rebuilt in that order.
 */
static void
order(struct panel *p)
{
	size_t n = p->nshares, k = 0;
	struct slot *ix = xcalloc(n + 1, sizeof(*ix));
	double *pct = xcalloc(n + 1, sizeof(double));
	int *al = xcalloc(n + 1, sizeof(int));
	int64_t *id = xcalloc(n + 1, sizeof(int64_t));

	if (p->nrows)
		qsort(p->rows, p->nrows, sizeof(*p->rows), by_market_period);
	for (size_t r = 0; r < p->nrows; r++) {
		struct panel_row *row = &p->rows[r];

		for (size_t i = 0; i < row->n; i++) {
			size_t j = row->first + i;

			ix[k + i] =
			    (struct slot){p->share_pct[j], p->entity_id[j], j};
		}
		qsort(ix + k, row->n, sizeof(*ix), by_share_desc);
		row->first = k;
		k += row->n;
	}
	for (size_t i = 0; i < n; i++) {
		pct[i] = p->share_pct[ix[i].ix];
		al[i] = p->alliance[ix[i].ix];
		id[i] = p->entity_id[ix[i].ix];
	}
	free(p->share_pct);
	free(p->alliance);
	free(p->entity_id);
	p->share_pct = pct;
	p->alliance = al;
	p->entity_id = id;
	free(ix);
}

enum status
panel_load(struct db *db, const char *market, const char *period,
           struct panel *out)
{
	struct amap m = {NULL, NULL, 0};
	struct caps cap = {0, 0};
	enum status rc;

	memset(out, 0, sizeof(*out));
	if (!(rc = load_alliances(db, out, &m)) &&
	    !(rc = read_query(db, shares_sql, market, period, out, &m, &cap)))
		rc = read_query(db, compute_sql, market, period, out, &m, &cap);
	free(m.entity);
	free(m.alliance);
	if (rc)
		panel_release(out);
	else
		order(out);
	return rc;
}

void
panel_release(struct panel *p)
{
	for (size_t i = 0; i < p->nrows; i++) {
		free(p->rows[i].market);
		free(p->rows[i].period);
	}
	for (size_t i = 0; i < p->nalliances; i++)
		free(p->alliances[i]);
	for (size_t i = 0; p->entity_name && i < p->nshares; i++)
		free(p->entity_name[i]);
	free(p->entity_name);
	free(p->rows);
	free(p->share_pct);
	free(p->alliance);
	free(p->entity_id);
	free(p->alliances);
	memset(p, 0, sizeof(*p));
}

enum status
panel_load_names(struct db *db, struct panel *p)
{
	sqlite3_stmt *st;
	char **names;
	enum status rc;
	int step = SQLITE_DONE;

	if (p->entity_name)
		return ST_OK;
	if ((rc = stmt_prepare(db, "SELECT name FROM entity WHERE id = ?1",
	                       &st)))
		return rc;
	names = xcalloc(p->nshares ? p->nshares : 1, sizeof(*names));
	for (size_t k = 0; k < p->nshares; k++) {
		const char *name;

		sqlite3_bind_int64(st, 1, p->entity_id[k]);
		step = sqlite3_step(st);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			break;
		name = step == SQLITE_ROW
		           ? (const char *)sqlite3_column_text(st, 0)
		           : NULL;
		names[k] = xstrdup(name ? name : "");
		sqlite3_reset(st);
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		rc = db_fail(db, "cannot read entity names");
		for (size_t k = 0; k < p->nshares; k++)
			free(names[k]);
		free(names);
	} else {
		p->entity_name = names;
	}
	sqlite3_finalize(st);
	return rc;
}

enum status
panel_market_known(struct db *db, const char *name, bool *known)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db,
	                              "SELECT 1 FROM market WHERE name = ?1"
	                              " COLLATE NOCASE",
	                              &st);
	int step;

	*known = false;
	if (rc)
		return rc;
	stmt_bind_text(st, 1, name);
	step = sqlite3_step(st);
	*known = step == SQLITE_ROW;
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, "cannot look up a market");
	return ST_OK;
}

static const char put_sql[] =
    "INSERT INTO metric(market_id, period, scenario, n_firms,"
    " listed_pct, hhi, hhi_lower, hhi_upper, cr1, cr2, cr3, cr4,"
    " hhi_post, delta_hhi, merged_share, mhhi, delta_mhhi, us2023,"
    " us2010, eu2004) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?, ?, ?)";

static const char ext_sql[] =
    "INSERT INTO metric_ext(market_id, period, hhi_normalized,"
    " numbers_equivalent, hall_tideman, gini, gini_normalized, entropy,"
    " theil, linda, dominance, ck, holdings_used, holdings_undisclosed)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

enum status
metric_begin(struct db *db, struct metric_writer *w)
{
	enum status rc = db_begin(db);

	*w = (struct metric_writer){.db = db};
	if (rc)
		return rc;
	if ((rc = db_exec(db, "DELETE FROM metric; DELETE FROM metric_ext")) ||
	    (rc = stmt_prepare(db, put_sql, &w->put)) ||
	    (rc = stmt_prepare(db, ext_sql, &w->ext)))
		return metric_end(w, rc);
	return ST_OK;
}

static void
bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

enum status
metric_put(struct metric_writer *w, const struct panel_row *row,
           const struct metric_values *v)
{
	const double nums[] = {
	    v->listed_pct,   v->hhi,   v->hhi_lower, v->hhi_upper, v->cr[0],
	    v->cr[1],        v->cr[2], v->cr[3],     v->hhi_post,  v->delta_hhi,
	    v->merged_share, v->mhhi,  v->delta_mhhi};
	sqlite3_stmt *st = w->put;
	int i = 1;

	sqlite3_bind_int64(st, i++, row->market_id);
	sqlite3_bind_text(st, i++, row->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, v->scenario, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, i++, v->n_firms);
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		bind_num(st, i++, nums[k]);
	stmt_bind_text(st, i++, v->us2023);
	stmt_bind_text(st, i++, v->us2010);
	stmt_bind_text(st, i++, v->eu2004);
	return stmt_run(w->db, st, "cannot store a metric");
}

enum status
metric_put_ext(struct metric_writer *w, const struct panel_row *row,
               const struct metric_ext *x)
{
	const double nums[] = {x->hhi_normalized,  x->numbers_equivalent,
	                       x->hall_tideman,    x->gini,
	                       x->gini_normalized, x->entropy,
	                       x->theil,           x->linda,
	                       x->dominance,       x->ck};
	sqlite3_stmt *st = w->ext;
	int i = 1;

	sqlite3_bind_int64(st, i++, row->market_id);
	sqlite3_bind_text(st, i++, row->period, -1, SQLITE_STATIC);
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		bind_num(st, i++, nums[k]);
	sqlite3_bind_int(st, i++, x->holdings_used);
	sqlite3_bind_int(st, i++, x->holdings_undisclosed);
	return stmt_run(w->db, st, "cannot store a metric");
}

enum status
metric_end(struct metric_writer *w, enum status rc)
{
	sqlite3_finalize(w->put);
	sqlite3_finalize(w->ext);
	w->put = w->ext = NULL;
	if (rc) {
		db_rollback(w->db);
		return rc;
	}
	return db_commit(w->db);
}
