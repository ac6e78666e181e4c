#include "db/panel.h"

#include <math.h>
#include <string.h>

#include "db/stmt.h"
#include "lib/xalloc.h"

static const char panel_sql[] =
	"SELECT b.market_id, mk.name, b.period, e.name, b.share_pct,"
	" coalesce((SELECT min(alliance_id) FROM membership"
	"  WHERE entity_id = e.id), (SELECT min(alliance_id) FROM membership"
	"  WHERE entity_id = e.parent_id), (SELECT min(id) FROM alliance"
	"  WHERE anchor_id IN (e.id, e.parent_id))) AS alliance_id"
	" FROM share_best b JOIN market mk ON mk.id = b.market_id"
	" JOIN entity e ON e.id = b.entity_id"
	" WHERE b.share_pct IS NOT NULL"
	" AND (?1 IS NULL OR mk.name = ?1 COLLATE NOCASE)"
	" AND (?2 IS NULL OR b.period = ?2)"
	" ORDER BY mk.name, b.period, b.share_pct DESC, e.name";

static enum status
load_alliances(struct db *db, struct panel *p, int64_t **ids)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, "SELECT id, name FROM alliance"
				      " ORDER BY id", &st);

	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		p->alliances = xreallocarray(p->alliances, p->nalliances + 1,
					     sizeof(*p->alliances));
		*ids = xreallocarray(*ids, p->nalliances + 1, sizeof(**ids));
		(*ids)[p->nalliances] = sqlite3_column_int64(st, 0);
		p->alliances[p->nalliances++] =
			xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return ST_OK;
}

static int
alliance_index(const int64_t *ids, size_t n, sqlite3_stmt *st, int col)
{
	int64_t id;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return -1;
	id = sqlite3_column_int64(st, col);
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return (int)i;
	return -1;
}

static void
add_share(struct panel *p, sqlite3_stmt *st, const int64_t *ids)
{
	size_t i = p->nshares++;
	const char *market = (const char *)sqlite3_column_text(st, 1);
	const char *period = (const char *)sqlite3_column_text(st, 2);
	struct panel_row *r = p->nrows ? &p->rows[p->nrows - 1] : NULL;

	if (!r || r->market_id != sqlite3_column_int64(st, 0) ||
	    strcmp(r->period, period)) {
		p->rows = xreallocarray(p->rows, p->nrows + 1, sizeof(*p->rows));
		r = &p->rows[p->nrows++];
		r->market_id = sqlite3_column_int64(st, 0);
		r->market = xstrdup(market);
		r->period = xstrdup(period);
		r->first = i;
		r->n = 0;
	}
	r->n++;
	p->share_pct = xreallocarray(p->share_pct, i + 1, sizeof(double));
	p->alliance = xreallocarray(p->alliance, i + 1, sizeof(int));
	p->entity = xreallocarray(p->entity, i + 1, sizeof(char *));
	p->share_pct[i] = sqlite3_column_double(st, 4);
	p->alliance[i] = alliance_index(ids, p->nalliances, st, 5);
	p->entity[i] = xstrdup((const char *)sqlite3_column_text(st, 3));
}

enum status
panel_load(struct db *db, const char *market, const char *period,
	   struct panel *out)
{
	int64_t *ids = NULL;
	sqlite3_stmt *st;
	enum status rc;
	int step;

	memset(out, 0, sizeof(*out));
	if ((rc = load_alliances(db, out, &ids)))
		return rc;
	if ((rc = stmt_prepare(db, panel_sql, &st))) {
		free(ids);
		return rc;
	}
	stmt_bind_text(st, 1, market);
	stmt_bind_text(st, 2, period);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		add_share(out, st, ids);
	sqlite3_finalize(st);
	free(ids);
	if (step != SQLITE_DONE)
		return db_fail(db, "cannot read shares");
	return ST_OK;
}

void
panel_release(struct panel *p)
{
	for (size_t i = 0; i < p->nrows; i++) {
		free(p->rows[i].market);
		free(p->rows[i].period);
	}
	for (size_t i = 0; i < p->nshares; i++)
		free(p->entity[i]);
	for (size_t i = 0; i < p->nalliances; i++)
		free(p->alliances[i]);
	free(p->rows);
	free(p->share_pct);
	free(p->alliance);
	free(p->entity);
	free(p->alliances);
	memset(p, 0, sizeof(*p));
}

enum status
metric_begin(struct db *db)
{
	enum status rc = db_begin(db);

	if (!rc && (rc = db_exec(db, "DELETE FROM metric")))
		db_rollback(db);
	return rc;
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
metric_put(struct db *db, const struct panel_row *row,
	   const struct metric_values *v)
{
	static const char sql[] =
		"INSERT INTO metric(market_id, period, scenario, n_firms,"
		" listed_pct, hhi, hhi_lower, hhi_upper, cr1, cr2, cr3, cr4,"
		" hhi_post, delta_hhi, merged_share, mhhi, delta_mhhi, us2023,"
		" us2010, eu2004) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?, ?, ?, ?)";
	const double nums[] = {v->listed_pct, v->hhi,      v->hhi_lower,
			       v->hhi_upper,  v->cr[0],    v->cr[1],
			       v->cr[2],      v->cr[3],    v->hhi_post,
			       v->delta_hhi,  v->merged_share, v->mhhi,
			       v->delta_mhhi};
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);
	int i = 1;

	if (rc)
		return rc;
	sqlite3_bind_int64(st, i++, row->market_id);
	sqlite3_bind_text(st, i++, row->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, v->scenario, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, i++, v->n_firms);
	for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		bind_num(st, i++, nums[k]);
	stmt_bind_text(st, i++, v->us2023);
	stmt_bind_text(st, i++, v->us2010);
	stmt_bind_text(st, i++, v->eu2004);
	rc = stmt_run(db, st, "cannot store a metric");
	sqlite3_finalize(st);
	return rc;
}

enum status
metric_end(struct db *db, enum status rc)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
