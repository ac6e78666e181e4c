#include "db/series.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/stmt.h"
#include "lib/xalloc.h"

static const char hhi_sql[] = "SELECT mk.name, m.period, m.hhi FROM metric m"
                              " JOIN market mk ON mk.id = m.market_id"
                              " WHERE m.scenario = 'standalone'"
                              " AND (?1 IS NULL OR mk.name = ?1 COLLATE NOCASE)"
                              " ORDER BY mk.name, m.period";

static const char sources_sql[] =
    "SELECT period, source, max(as_of), count(*) FROM ("
    " SELECT s.period, s.source, s.as_of FROM share s"
    "  JOIN market mk ON mk.id = s.market_id"
    "  WHERE mk.name = ?1 COLLATE NOCASE"
    " UNION ALL"
    " SELECT c.period, c.source, c.as_of FROM compute c"
    "  WHERE ?1 = 'ai_compute' COLLATE NOCASE)"
    " GROUP BY period, source ORDER BY 1, 4 DESC, 2";

/* The best row per owner and period, as db/panel.c ranks them; the
 * alliance as the views find it (its own, its parent's, the one it
 * anchors), with its rank by id for colours. */
static const char compute_sql[] =
    "SELECT e.name, al.name, c.period, c.chip, c.source, c.as_of,"
    " c.h100e, c.h100e_low, c.h100e_high,"
    " CASE WHEN al.id IS NOT NULL THEN"
    "  (SELECT count(*) FROM alliance a2 WHERE a2.id < al.id) END"
    " FROM (SELECT *, row_number() OVER ("
    "  PARTITION BY owner_id, period ORDER BY"
    "  CASE confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "   WHEN 'low' THEN 2 ELSE 3 END, as_of DESC, id DESC) AS rank"
    "  FROM compute) c JOIN entity e ON e.id = c.owner_id"
    " LEFT JOIN alliance al ON al.id = coalesce("
    "  (SELECT min(alliance_id) FROM membership WHERE entity_id = e.id),"
    "  (SELECT min(alliance_id) FROM membership"
    "   WHERE entity_id = e.parent_id),"
    "  (SELECT min(id) FROM alliance"
    "   WHERE anchor_id IN (e.id, e.parent_id)))"
    " WHERE c.rank = 1"
    " ORDER BY c.period, c.h100e IS NULL, c.h100e DESC, e.name";

static const char holdings_sql[] =
    "SELECT i.name, f.name, h.as_of, h.source, h.own_pct, h.ctrl_pct"
    " FROM holding h JOIN entity i ON i.id = h.investor_id"
    " JOIN entity f ON f.id = h.firm_id"
    " ORDER BY f.name, h.as_of DESC LIMIT ?1";

static const char f13_sql[] = "SELECT quarter, count(*) FROM f13_filing"
                              " GROUP BY quarter ORDER BY quarter";

void
series_release(struct series *s)
{
	for (size_t i = 0; i < s->n * s->ntext; i++)
		free(s->text[i]);
	free(s->text);
	free(s->num);
	memset(s, 0, sizeof(*s));
}

const char *
series_text(const struct series *s, size_t r, size_t c)
{
	assert(r < s->n && c < s->ntext);
	return s->text[r * s->ntext + c];
}

double
series_num(const struct series *s, size_t r, size_t c)
{
	assert(r < s->n && c < s->nnum);
	return s->num[r * s->nnum + c];
}

/* Step st to the end: ntext text columns, then nnum number columns. */
static enum status
read_all(struct db *db, sqlite3_stmt *st, size_t ntext, size_t nnum,
         struct series *out, const char *what)
{
	size_t alloc = 0;
	int step;

	*out = (struct series){.ntext = ntext, .nnum = nnum};
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			out->text = xreallocarray(out->text, alloc * ntext + 1,
			                          sizeof(char *));
			out->num = xreallocarray(out->num, alloc * nnum + 1,
			                         sizeof(double));
		}
		for (size_t c = 0; c < ntext; c++) {
			const unsigned char *t =
			    sqlite3_column_text(st, (int)c);

			out->text[out->n * ntext + c] =
			    t ? xstrdup((const char *)t) : NULL;
		}
		for (size_t c = 0; c < nnum; c++) {
			int col = (int)(ntext + c);

			out->num[out->n * nnum + c] =
			    sqlite3_column_type(st, col) == SQLITE_NULL
			        ? NAN
			        : sqlite3_column_double(st, col);
		}
		out->n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		series_release(out);
		return db_fail(db, what);
	}
	return ST_OK;
}

/* Run sql, its one parameter bound to arg unless NULL, and read it all. */
static enum status
read_query(struct db *db, const char *sql, const char *arg, size_t ntext,
           size_t nnum, struct series *out, const char *what)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);

	*out = (struct series){0};
	if (rc)
		return rc;
	if (arg)
		stmt_bind_text(st, 1, arg);
	return read_all(db, st, ntext, nnum, out, what);
}

enum status
series_hhi(struct db *db, const char *market, struct series *out)
{
	return read_query(db, hhi_sql, market, 2, 1, out,
	                  "cannot read the HHI series");
}

enum status
series_sources(struct db *db, const char *market, struct series *out)
{
	return read_query(db, sources_sql, market, 3, 1, out,
	                  "cannot read the shares' sources");
}

enum status
series_compute(struct db *db, struct series *out)
{
	return read_query(db, compute_sql, NULL, 6, 4, out,
	                  "cannot read compute owned");
}

enum status
series_f13_quarters(struct db *db, struct series *out)
{
	return read_query(db, f13_sql, NULL, 1, 1, out,
	                  "cannot read the 13F quarters");
}

enum status
series_holdings(struct db *db, size_t limit, struct series *out, size_t *total)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, "SELECT count(*) FROM holding", &st);

	*out = (struct series){0};
	*total = 0;
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*total = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if ((rc = stmt_prepare(db, holdings_sql, &st)))
		return rc;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	return read_all(db, st, 4, 2, out, "cannot read the holdings");
}
