#include "db/import.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "db/entity.h"
#include "db/stmt.h"
#include "lib/csv.h"

void
import_report_init(struct import_report *rep)
{
	rep->rows = 0;
	rep->changed = 0;
	strbuf_init(&rep->created, 0);
}

void
import_report_release(struct import_report *rep)
{
	strbuf_release(&rep->created);
}

static bool
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool
import_period_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 4 || !digits(s, 4))
		return false;
	switch (n) {
	case 4:
		return true;
	case 6:
		return (s[4] == 'Q' && s[5] >= '1' && s[5] <= '4') ||
		       (s[4] == 'H' && (s[5] == '1' || s[5] == '2'));
	case 7:
		return s[4] == '-' && digits(s + 5, 2) &&
		       strncmp(s + 5, "01", 2) >= 0 &&
		       strncmp(s + 5, "12", 2) <= 0;
	case 10:
		return s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
		       digits(s + 8, 2);
	default:
		return false;
	}
}

struct row_ctx {
	struct db *db;
	struct csv_reader *r;
	struct import_report *rep;
	char where[512];
};

static enum status
resolve_entity(struct row_ctx *c, const char *col, int64_t *id)
{
	const char *name = csv_get(c->r, col);
	bool created;
	enum status rc;

	if (!*name)
		return err_set(ST_DATAERR, "%s: empty %s", c->where, col);
	if ((rc = entity_ensure(c->db, name, "import", id, &created)))
		return rc;
	if (created)
		strbuf_addf(&c->rep->created, "entity '%s'\n", name);
	return ST_OK;
}

static enum status
pct(struct row_ctx *c, const char *col, bool required, double *v, bool *have)
{
	const char *s = csv_get(c->r, col);

	*have = *s != '\0';
	if (!*have)
		return required
		           ? err_set(ST_DATAERR, "%s: empty %s", c->where, col)
		           : ST_OK;
	if (!parse_real(s, v) || *v < 0 || *v > 100)
		return err_set(ST_DATAERR,
		               "%s: %s '%s' is not a percentage (0-100)",
		               c->where, col, s);
	return ST_OK;
}

static enum status
share_row(struct row_ctx *c, sqlite3_stmt *st)
{
	const char *market = csv_get(c->r, "market");
	const char *period = csv_get(c->r, "period");
	int64_t mid, eid;
	bool created, have;
	double v;
	enum status rc;

	if (!*market)
		return err_set(ST_DATAERR, "%s: empty market", c->where);
	if (!import_period_ok(period))
		return err_set(ST_DATAERR,
		               "%s: period '%s' is not one of 2025, 2025Q3, "
		               "2025H1, 2025-06, 2025-06-30",
		               c->where, period);
	if ((rc = pct(c, "share_pct", true, &v, &have)) ||
	    (rc = resolve_entity(c, "entity", &eid)) ||
	    (rc = market_ensure(c->db, market, &mid, &created)))
		return rc;
	if (created)
		strbuf_addf(&c->rep->created, "market '%s'\n", market);
	sqlite3_bind_int64(st, 1, mid);
	sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, eid);
	sqlite3_bind_double(st, 4, v);
	stmt_bind_text(st, 5, csv_get(c->r, "source"));
	return stmt_run(c->db, st, c->where);
}

static enum status
holding_row(struct row_ctx *c, sqlite3_stmt *st)
{
	const char *as_of = csv_get(c->r, "as_of");
	int64_t inv, firm;
	double own, ctrl;
	bool have_own, have_ctrl;
	enum status rc;

	if ((rc = pct(c, "own_pct", true, &own, &have_own)) ||
	    (rc = pct(c, "ctrl_pct", false, &ctrl, &have_ctrl)))
		return rc;
	if (*as_of && (strlen(as_of) != 10 || !import_period_ok(as_of)))
		return err_set(ST_DATAERR,
		               "%s: as_of '%s' is not a date "
		               "(YYYY-MM-DD)",
		               c->where, as_of);
	if ((rc = resolve_entity(c, "investor", &inv)) ||
	    (rc = resolve_entity(c, "firm", &firm)))
		return rc;
	if (inv == firm)
		return err_set(ST_DATAERR, "%s: '%s' cannot hold itself",
		               c->where, csv_get(c->r, "firm"));
	sqlite3_bind_int64(st, 1, inv);
	sqlite3_bind_int64(st, 2, firm);
	sqlite3_bind_double(st, 3, own);
	sqlite3_bind_double(st, 4, have_ctrl ? ctrl : own);
	stmt_bind_text(st, 5, as_of);
	stmt_bind_text(st, 6, csv_get(c->r, "source"));
	return stmt_run(c->db, st, c->where);
}

/* Listed shares above 100 % in one market-period mean a unit mix-up
 * (fractions vs percent) or a duplicate: refuse rather than compute. */
static enum status
check_share_totals(struct db *db)
{
	static const char sql[] =
	    "SELECT mk.name, b.period, sum(b.share_pct) FROM share_best b"
	    " JOIN market mk ON mk.id = b.market_id"
	    " GROUP BY b.market_id, b.period HAVING sum(b.share_pct) > 100.5"
	    " LIMIT 1";
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);

	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = err_set(
		    ST_DATAERR, "shares of market '%s' in %s add up to %.1f%%",
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		    sqlite3_column_double(st, 2));
	sqlite3_finalize(st);
	return rc;
}

typedef enum status (*row_fn)(struct row_ctx *, sqlite3_stmt *);

static enum status
import_rows(struct row_ctx *c, sqlite3_stmt *st, row_fn fn)
{
	sqlite3 *h = db_handle(c->db);
	enum status rc;
	bool eof;

	while (!(rc = csv_read(c->r, &eof)) && !eof) {
		int before = sqlite3_total_changes(h);

		snprintf(c->where, sizeof(c->where), "%s:%zu", csv_name(c->r),
		         csv_line(c->r));
		c->rep->rows++;
		if ((rc = fn(c, st)))
			return rc;
		/* total_changes also counts trigger rows: compare with > */
		if (sqlite3_total_changes(h) > before)
			c->rep->changed++;
	}
	return rc;
}

static enum status
import_file(struct db *db, const char *path, const char *const *req,
            const char *const *opt, const char *sql, row_fn fn,
            struct import_report *rep)
{
	struct row_ctx c = {.db = db, .rep = rep};
	sqlite3_stmt *st = NULL;
	enum status rc;

	if ((rc = csv_reader_open(&c.r, path)))
		return rc;
	rc = csv_read_header(c.r, req, opt);
	if (!rc)
		rc = db_begin(db);
	if (rc) {
		csv_reader_free(c.r);
		return rc;
	}
	rc = stmt_prepare(db, sql, &st);
	if (!rc)
		rc = import_rows(&c, st, fn);
	if (!rc && fn == share_row)
		rc = check_share_totals(db);
	sqlite3_finalize(st);
	csv_reader_free(c.r);
	if (rc) {
		db_rollback(db);
		rep->changed = 0;
		return rc;
	}
	return db_commit(db);
}

enum status
import_shares(struct db *db, const char *path, struct import_report *rep)
{
	static const char *const req[] = {"market", "period", "entity",
	                                  "share_pct", NULL};
	static const char *const opt[] = {"source", NULL};
	static const char sql[] =
	    "INSERT INTO share(market_id, period, entity_id, share_pct,"
	    " source, origin) VALUES (?1, ?2, ?3, ?4, ?5, 'import')"
	    " ON CONFLICT(market_id, period, entity_id, ifnull(source, ''))"
	    " DO UPDATE SET share_pct = excluded.share_pct"
	    " WHERE share_pct IS NOT excluded.share_pct";

	return import_file(db, path, req, opt, sql, share_row, rep);
}

enum status
import_holdings(struct db *db, const char *path, struct import_report *rep)
{
	static const char *const req[] = {"investor", "firm", "own_pct",
	                                  "ctrl_pct", NULL};
	static const char *const opt[] = {"as_of", "source", NULL};
	static const char sql[] =
	    "INSERT INTO holding(investor_id, firm_id, own_pct, ctrl_pct,"
	    " as_of, source, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'import')"
	    " ON CONFLICT(investor_id, firm_id, ifnull(as_of, ''),"
	    " ifnull(source, '')) DO UPDATE SET own_pct = excluded.own_pct,"
	    " ctrl_pct = excluded.ctrl_pct"
	    " WHERE own_pct IS NOT excluded.own_pct"
	    " OR ctrl_pct IS NOT excluded.ctrl_pct";

	return import_file(db, path, req, opt, sql, holding_row, rep);
}
