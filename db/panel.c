#include "db/panel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/stmt.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"

/*
 * The best point share per market, period and firm, as view share_best
 * defines it (confidence, then the latest as_of, then the newest row),
 * chosen in C: ordered by the share_key index, the query needs no sort
 * and no window, which matters for a panel of hundreds of thousands of
 * shares.  Market names come from struct markets, not from a join per
 * share (about 15 % of the read).  Column 1 is unused.
 */
static const char shares_sql[] =
    "SELECT s.market_id, NULL, s.period, s.entity_id, s.share_pct,"
    " CASE s.confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "  WHEN 'low' THEN 2 ELSE 3 END, s.as_of, s.id"
    " FROM share s WHERE s.share_pct IS NOT NULL"
    " AND (?1 IS NULL OR s.market_id IN"
    "  (SELECT id FROM market WHERE name = ?1 COLLATE NOCASE))"
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

/* Market names by id (a join per share would cost more than this). */
struct markets {
	int64_t *id;
	char **name;
	size_t n;
};

static enum status
load_markets(struct db *db, struct markets *mk)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int step;
	enum status rc =
	    stmt_prepare(db, "SELECT id, name FROM market ORDER BY id", &st);

	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);

		if (mk->n == cap) {
			cap = cap ? 2 * cap : 64;
			mk->id = xreallocarray(mk->id, cap, sizeof(*mk->id));
			mk->name =
			    xreallocarray(mk->name, cap, sizeof(*mk->name));
		}
		mk->id[mk->n] = sqlite3_column_int64(st, 0);
		mk->name[mk->n++] = xstrdup(name ? name : "");
	}
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? ST_OK : db_fail(db, "cannot read markets");
}

static const char *
market_name(const struct markets *mk, int64_t id)
{
	size_t lo = 0, hi = mk->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mk->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* share.market_id references market: always found */
	return lo < mk->n && mk->id[lo] == id ? mk->name[lo] : "";
}

static void
markets_free(struct markets *mk)
{
	for (size_t i = 0; i < mk->n; i++)
		free(mk->name[i]);
	free(mk->id);
	free(mk->name);
}

/* The candidate best share of the current (market, period, firm). */
struct cand {
	bool have;
	int64_t mid, eid, id;
	double pct;
	int conf;
	char as_of[16], period[16];
	const char *market; /* borrowed from mk */
	const struct markets *mk;
};

/* One result row, each column fetched once (this runs once per share of
 * the panel); the text stays valid until the next step. */
struct srow {
	int64_t mid, eid, id;
	double pct;
	int conf;
	const char *period, *as_of;
};

static void
fetch(sqlite3_stmt *st, struct srow *s)
{
	const char *period = (const char *)sqlite3_column_text(st, 2);

	s->mid = sqlite3_column_int64(st, 0);
	s->period = period ? period : "";
	s->eid = sqlite3_column_int64(st, 3);
	s->pct = sqlite3_column_double(st, 4);
	s->conf = sqlite3_column_int(st, 5);
	s->as_of = (const char *)sqlite3_column_text(st, 6);
	s->id = sqlite3_column_int64(st, 7);
}

static bool
better(const struct srow *s, const struct cand *c)
{
	int cmp;

	if (s->conf != c->conf)
		return s->conf < c->conf;
	/* later as_of first; NULL is the earliest */
	cmp = !s->as_of ? (c->as_of[0] ? -1 : 0)
	                : strncmp(s->as_of, c->as_of, sizeof(c->as_of) - 1);
	if (cmp)
		return cmp > 0;
	return s->id > c->id;
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
take(const struct srow *s, struct cand *c)
{
	if (!c->market || c->mid != s->mid)
		c->market = market_name(c->mk, s->mid);
	c->have = true;
	c->mid = s->mid;
	c->eid = s->eid;
	c->id = s->id;
	c->pct = s->pct;
	c->conf = s->conf;
	/* plain copies: this runs once per share of the panel */
	copy(c->as_of, sizeof(c->as_of), s->as_of);
	copy(c->period, sizeof(c->period), s->period);
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
same_key(const struct srow *s, const struct cand *c)
{
	return c->have && c->mid == s->mid && c->eid == s->eid &&
	       !strcmp(c->period, s->period);
}

static enum status
read_query(struct db *db, const char *sql, const char *market,
           const char *period, struct panel *p, const struct amap *m,
           const struct markets *mk, struct caps *cap)
{
	struct cand c = {.mk = mk};
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);
	int step;

	if (rc)
		return rc;
	stmt_bind_text(st, 1, market);
	stmt_bind_text(st, 2, period);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct srow s;

		fetch(st, &s);
		if (same_key(&s, &c)) {
			if (better(&s, &c))
				take(&s, &c);
			continue;
		}
		if (c.have)
			commit(p, &c, m, cap);
		take(&s, &c);
	}
	if (c.have)
		commit(p, &c, m, cap);
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
	struct markets mk = {NULL, NULL, 0};
	struct caps cap = {0, 0};
	enum status rc;

	memset(out, 0, sizeof(*out));
	if (!(rc = load_alliances(db, out, &m)) &&
	    !(rc = load_markets(db, &mk)) &&
	    !(rc = read_query(db, shares_sql, market, period, out, &m, &mk,
	                      &cap)))
		rc = read_query(db, compute_sql, market, period, out, &m, &mk,
		                &cap);
	markets_free(&mk);
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

/*
 * Rows per INSERT statement: one statement of many rows spends less per
 * row in the SQLite API than many of one (-30 % CPU per row measured at
 * 16 rows on 120,000 metric rows).
 */
#define METRIC_BATCH 16

static const char put_head[] =
    "INSERT INTO metric(market_id, period, scenario, n_firms,"
    " listed_pct, hhi, hhi_lower, hhi_upper, cr1, cr2, cr3, cr4,"
    " hhi_post, delta_hhi, merged_share, mhhi, delta_mhhi, us2023,"
    " us2010, eu2004) VALUES ";
static const char put_row[] =
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define PUT_COLS 20

static const char ext_head[] =
    "INSERT INTO metric_ext(market_id, period, hhi_normalized,"
    " numbers_equivalent, hall_tideman, gini, gini_normalized, entropy,"
    " theil, linda, dominance, ck, holdings_used, holdings_undisclosed)"
    " VALUES ";
static const char ext_row[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define EXT_COLS 14

/* Rows put but not yet inserted: a batch fills up, or metric_end(). */
struct metric_queue {
	struct {
		const struct panel_row *row;
		struct metric_values v;
	} put[METRIC_BATCH];
	struct {
		const struct panel_row *row;
		struct metric_ext x;
	} ext[METRIC_BATCH];
	size_t nput, next;
};

/* "head row, row, ..." for n rows */
static enum status
prepare_rows(struct db *db, const char *head, const char *row, size_t n,
             sqlite3_stmt **st)
{
	struct strbuf sql = STRBUF_INIT;
	enum status rc;

	strbuf_adds(&sql, head);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_adds(&sql, ", ");
		strbuf_adds(&sql, row);
	}
	rc = stmt_prepare(db, sql.buf, st);
	strbuf_release(&sql);
	return rc;
}

/*
 * Page cache for the refresh, KiB: the rewritten tables (~25 MiB for
 * 1,000 markets x 40 quarters) stay in memory until COMMIT instead of
 * spilling to the WAL half-way (-10 % time measured).  Allocated only as
 * used, and given back by metric_end().
 */
#define METRIC_CACHE_KIB 65536

/* After the transaction: the connection's own settings back. */
static void
metric_restore(struct metric_writer *w)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size=%lld",
	         (long long)w->cache_size);
	sqlite3_exec(db_handle(w->db), sql, NULL, NULL, NULL);
	if (w->foreign_keys)
		sqlite3_exec(db_handle(w->db), "PRAGMA foreign_keys=ON", NULL,
		             NULL, NULL);
}

/* An integer pragma's value, or dflt when it cannot be read. */
static int64_t
pragma_get(struct db *db, const char *sql, int64_t dflt)
{
	sqlite3_stmt *st;
	int64_t v = dflt;

	if (stmt_prepare(db, sql, &st))
		return dflt;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* foreign_keys off and a bigger cache, then BEGIN; undone on failure */
static enum status
metric_settings(struct db *db, struct metric_writer *w)
{
	enum status rc;

	/* foreign_keys is a no-op inside a transaction: before BEGIN */
	w->foreign_keys = pragma_get(db, "PRAGMA foreign_keys", 1) != 0;
	w->cache_size = pragma_get(db, "PRAGMA cache_size", -2000);
	if ((rc = db_exec(db, "PRAGMA foreign_keys=OFF")))
		return rc;
	/* negative: KiB; positive: pages (of 4 KiB unless configured) */
	if (w->cache_size < 0 ? -w->cache_size < METRIC_CACHE_KIB
	                      : w->cache_size < METRIC_CACHE_KIB / 4) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA cache_size=%d",
		         -METRIC_CACHE_KIB);
		rc = db_exec(db, sql);
	}
	if (rc || (rc = db_begin(db)))
		metric_restore(w);
	return rc;
}

enum status
metric_begin(struct db *db, struct metric_writer *w)
{
	enum status rc;

	*w = (struct metric_writer){.db = db};
	if ((rc = metric_settings(db, w)))
		return rc;
	w->q = xcalloc(1, sizeof(*w->q));
	if ((rc = db_exec(db, "DELETE FROM metric; DELETE FROM metric_ext")) ||
	    (rc = prepare_rows(db, put_head, put_row, METRIC_BATCH, &w->put)) ||
	    (rc = prepare_rows(db, ext_head, ext_row, METRIC_BATCH, &w->ext)))
		return metric_end(w, rc);
	return ST_OK;
}

/* Not copied (SQLITE_STATIC): the rows are stepped while the caller's
 * text is still valid (metric_put() documents how long). */
static void
bind_static(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* The parameters of one metric row, from i on. */
static void
bind_put(sqlite3_stmt *st, int i, const struct panel_row *row,
         const struct metric_values *v)
{
	const double nums[] = {
	    v->listed_pct,   v->hhi,   v->hhi_lower, v->hhi_upper, v->cr[0],
	    v->cr[1],        v->cr[2], v->cr[3],     v->hhi_post,  v->delta_hhi,
	    v->merged_share, v->mhhi,  v->delta_mhhi};

	sqlite3_bind_int64(st, i++, row->market_id);
	bind_static(st, i++, row->period);
	bind_static(st, i++, v->scenario);
	sqlite3_bind_int(st, i++, v->n_firms);
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		bind_num(st, i++, nums[k]);
	bind_static(st, i++, v->us2023);
	bind_static(st, i++, v->us2010);
	bind_static(st, i++, v->eu2004);
}

static void
bind_ext(sqlite3_stmt *st, int i, const struct panel_row *row,
         const struct metric_ext *x)
{
	const double nums[] = {x->hhi_normalized,  x->numbers_equivalent,
	                       x->hall_tideman,    x->gini,
	                       x->gini_normalized, x->entropy,
	                       x->theil,           x->linda,
	                       x->dominance,       x->ck};

	sqlite3_bind_int64(st, i++, row->market_id);
	bind_static(st, i++, row->period);
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		bind_num(st, i++, nums[k]);
	sqlite3_bind_int(st, i++, x->holdings_used);
	sqlite3_bind_int(st, i++, x->holdings_undisclosed);
}

/* Insert the queued metric rows: the prepared batch when full, else a
 * statement of just that many rows. */
static enum status
flush_put(struct metric_writer *w)
{
	struct metric_queue *q = w->q;
	sqlite3_stmt *st = w->put;
	enum status rc = ST_OK;

	if (!q->nput)
		return ST_OK;
	if (q->nput < METRIC_BATCH &&
	    (rc = prepare_rows(w->db, put_head, put_row, q->nput, &st)))
		return rc;
	for (size_t k = 0; k < q->nput; k++)
		bind_put(st, (int)(k * PUT_COLS) + 1, q->put[k].row,
		         &q->put[k].v);
	rc = stmt_run(w->db, st, "cannot store a metric");
	if (st != w->put)
		sqlite3_finalize(st);
	q->nput = 0;
	return rc;
}

static enum status
flush_ext(struct metric_writer *w)
{
	struct metric_queue *q = w->q;
	sqlite3_stmt *st = w->ext;
	enum status rc = ST_OK;

	if (!q->next)
		return ST_OK;
	if (q->next < METRIC_BATCH &&
	    (rc = prepare_rows(w->db, ext_head, ext_row, q->next, &st)))
		return rc;
	for (size_t k = 0; k < q->next; k++)
		bind_ext(st, (int)(k * EXT_COLS) + 1, q->ext[k].row,
		         &q->ext[k].x);
	rc = stmt_run(w->db, st, "cannot store a metric");
	if (st != w->ext)
		sqlite3_finalize(st);
	q->next = 0;
	return rc;
}

enum status
metric_put(struct metric_writer *w, const struct panel_row *row,
           const struct metric_values *v)
{
	struct metric_queue *q = w->q;

	q->put[q->nput].row = row;
	q->put[q->nput++].v = *v;
	return q->nput == METRIC_BATCH ? flush_put(w) : ST_OK;
}

enum status
metric_put_ext(struct metric_writer *w, const struct panel_row *row,
               const struct metric_ext *x)
{
	struct metric_queue *q = w->q;

	q->ext[q->next].row = row;
	q->ext[q->next++].x = *x;
	return q->next == METRIC_BATCH ? flush_ext(w) : ST_OK;
}

enum status
metric_end(struct metric_writer *w, enum status rc)
{
	if (!rc && !(rc = flush_put(w)))
		rc = flush_ext(w);
	sqlite3_finalize(w->put);
	sqlite3_finalize(w->ext);
	w->put = w->ext = NULL;
	free(w->q);
	w->q = NULL;
	if (rc)
		db_rollback(w->db);
	else
		rc = db_commit(w->db);
	metric_restore(w);
	return rc;
}
