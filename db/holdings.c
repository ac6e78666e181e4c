#include "db/holdings.h"

#include <math.h>
#include <string.h>

#include "db/stmt.h"
#include "lib/xalloc.h"

static const char holdings_sql[] =
    "SELECT investor_id, firm_id, i.name, f.name, own_pct, ctrl_pct,"
    " h.as_of FROM (SELECT *, row_number() OVER ("
    "  PARTITION BY investor_id, firm_id, ifnull(as_of, '')"
    "  ORDER BY CASE confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "   WHEN 'low' THEN 2 ELSE 3 END, id DESC) AS rank FROM holding) h"
    " JOIN entity i ON i.id = h.investor_id"
    " JOIN entity f ON f.id = h.firm_id"
    " WHERE rank = 1 ORDER BY firm_id, investor_id, h.as_of";

static const char *
keep(struct holdings *h, const unsigned char *s)
{
	if (!s)
		return NULL;
	h->strings =
	    xreallocarray(h->strings, h->nstrings + 1, sizeof(*h->strings));
	return h->strings[h->nstrings++] = xstrdup((const char *)s);
}

static double
frac(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col) / 100.0;
}

static void
add_holding(struct holdings *h, sqlite3_stmt *st, size_t *cap)
{
	struct holding_rec *r;

	if (h->n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		h->rows = xreallocarray(h->rows, *cap, sizeof(*h->rows));
	}
	r = &h->rows[h->n++];
	r->investor_id = sqlite3_column_int64(st, 0);
	r->firm_id = sqlite3_column_int64(st, 1);
	r->investor = keep(h, sqlite3_column_text(st, 2));
	r->firm = keep(h, sqlite3_column_text(st, 3));
	r->own = frac(st, 4);
	/* control not disclosed: proportional to ownership */
	r->ctrl =
	    sqlite3_column_type(st, 5) == SQLITE_NULL ? r->own : frac(st, 5);
	r->as_of = keep(h, sqlite3_column_text(st, 6));
}

enum status
holdings_load(struct db *db, struct holdings *out)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	enum status rc;
	int step;

	memset(out, 0, sizeof(*out));
	if ((rc = stmt_prepare(db, holdings_sql, &st)))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		add_holding(out, st, &cap);
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		holdings_release(out);
		return db_fail(db, "cannot read holdings");
	}
	return ST_OK;
}

void
holdings_release(struct holdings *h)
{
	for (size_t i = 0; i < h->nstrings; i++)
		free(h->strings[i]);
	free(h->strings);
	free(h->rows);
	memset(h, 0, sizeof(*h));
}

/* The alliance of entity e: own membership, parent's, or anchored. */
#define ALLIANCE_ID(e)                                                         \
	"coalesce((SELECT min(alliance_id) FROM membership"                    \
	" WHERE entity_id = " e ".id), (SELECT min(alliance_id) FROM"          \
	" membership WHERE entity_id = " e ".parent_id), (SELECT min(id)"      \
	" FROM alliance WHERE anchor_id IN (" e ".id, " e ".parent_id)))"

static const char dependence_sql[] =
    "INSERT INTO dependence(lab_id, period, alliance_id, deals,"
    " undisclosed, disclosed_usd, own_cloud_usd, dependence_pct)"
    " WITH d AS (SELECT dl.investor_id AS lab, substr(dl.date, 1, 4) AS yr,"
    "  dl.amount_usd AS usd, " ALLIANCE_ID(
        "l") " AS la,"
             "  " ALLIANCE_ID(
                 "t") " AS ta"
                      "  FROM deal dl JOIN entity l ON l.id = dl.investor_id"
                      "  JOIN entity t ON t.id = dl.target_id"
                      "  WHERE dl.kind IN ('cloud_commitment', "
                      "'compute_supply')"
                      "  AND dl.date IS NOT NULL AND (l.kind = 'lab' OR l.id IN"
                      "  (SELECT entity_id FROM membership WHERE role = "
                      "'lab'))),"
                      " y AS (SELECT DISTINCT lab, yr FROM d)"
                      " SELECT y.lab, y.yr, max(d.la), count(*), sum(d.usd IS "
                      "NULL),"
                      "  sum(d.usd), sum(CASE WHEN d.usd IS NOT NULL THEN"
                      "   CASE WHEN d.ta = d.la THEN d.usd ELSE 0 END END),"
                      "  CASE WHEN max(d.la) IS NOT NULL AND sum(d.usd) > 0 "
                      "THEN 100.0 *"
                      "   sum(CASE WHEN d.ta = d.la THEN d.usd ELSE 0 END) / "
                      "sum(d.usd) END"
                      " FROM y JOIN d ON d.lab = y.lab AND d.yr <= y.yr"
                      " GROUP BY y.lab, y.yr";

enum status
dependence_store(struct db *db)
{
	enum status rc = db_exec(db, "DELETE FROM dependence");

	return rc ? rc : db_exec(db, dependence_sql);
}

static char *
dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? xstrdup((const char *)s) : NULL;
}

static double
num_col(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NAN;
	return sqlite3_column_double(st, col);
}

enum status
dependence_load(struct db *db, struct dependence_rec **out, size_t *n)
{
	static const char sql[] =
	    "SELECT l.name, a.name, d.period, d.deals, d.undisclosed,"
	    " d.disclosed_usd, d.own_cloud_usd, d.dependence_pct"
	    " FROM dependence d JOIN entity l ON l.id = d.lab_id"
	    " LEFT JOIN alliance a ON a.id = d.alliance_id"
	    " ORDER BY l.name, d.period";
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);
	int step;

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct dependence_rec *r;

		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		r = &(*out)[(*n)++];
		r->lab = dup_col(st, 0);
		r->alliance = dup_col(st, 1);
		r->period = dup_col(st, 2);
		r->deals = sqlite3_column_int(st, 3);
		r->undisclosed = sqlite3_column_int(st, 4);
		r->disclosed_usd = num_col(st, 5);
		r->own_cloud_usd = num_col(st, 6);
		r->dependence_pct = num_col(st, 7);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		dependence_release(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, "cannot read compute dependence");
	}
	return ST_OK;
}

void
dependence_release(struct dependence_rec *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].lab);
		free(rows[i].alliance);
		free(rows[i].period);
	}
	free(rows);
}
