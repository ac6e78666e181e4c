#include "db/ownership.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db/stmt.h"
#include "lib/xalloc.h"

enum {
	S_CUSIPS,
	S_FILING,
	S_CLEAR,
	S_POSITION,
	S_OUTSTANDING,
	S_BY_CIK,
	S_COMPUTE_FIND,
	S_COMPUTE_INS,
	S_COMPUTE_UPD,
	S_MODEL,
	S_CUSIP,
	S_COUNT
};

static const char *const sql[S_COUNT] = {
    [S_CUSIPS] = "SELECT upper(cusip) FROM cusip ORDER BY 1",
    [S_FILING] =
        "INSERT INTO f13_filing(accession, cik, filer, form, filed,"
        " period, quarter, amendment, source)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        " ON CONFLICT(accession) DO UPDATE SET cik = excluded.cik,"
        " filer = excluded.filer, form = excluded.form,"
        " filed = excluded.filed, period = excluded.period,"
        " quarter = excluded.quarter, amendment = excluded.amendment,"
        " source = excluded.source"
        " WHERE (cik, filer, form, filed, period, amendment, source) IS NOT"
        " (excluded.cik, excluded.filer, excluded.form, excluded.filed,"
        " excluded.period, excluded.amendment, excluded.source)",
    [S_CLEAR] = "DELETE FROM f13_position WHERE accession = ?1",
    [S_POSITION] =
        "INSERT INTO f13_position(accession, cusip, shares, value_usd)"
        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(accession, cusip) DO UPDATE"
        " SET shares = shares + excluded.shares,"
        " value_usd = value_usd + excluded.value_usd",
    [S_OUTSTANDING] =
        "INSERT INTO outstanding(entity_id, as_of, shares, source, origin)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(entity_id, as_of)"
        " DO UPDATE SET shares = excluded.shares, source = excluded.source,"
        " origin = excluded.origin WHERE (shares, source, origin) IS NOT"
        " (excluded.shares, excluded.source, excluded.origin)",
    [S_BY_CIK] = "SELECT id FROM entity WHERE ltrim(cik, '0') = ltrim(?1, "
                 "'0') ORDER BY id LIMIT 1",
    [S_COMPUTE_FIND] = "SELECT id, h100e IS ?3 AND chip IS ?4 AND source IS"
                       " ?5 AND as_of IS ?6 AND note IS ?7 AND confidence IS"
                       " ?9 FROM compute"
                       " WHERE owner_id = ?1 AND period = ?2 AND origin = ?8",
    [S_COMPUTE_INS] =
        "INSERT INTO compute(owner_id, period, h100e, chip, source, as_of,"
        " note, origin, confidence)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_COMPUTE_UPD] = "UPDATE compute SET h100e = ?3, chip = ?4, source = "
                      "?5, as_of = ?6, note = ?7, confidence = ?9"
                      " WHERE id = ?1",
    [S_MODEL] =
        "INSERT INTO epoch_model(name, organization, entity_id, published,"
        " training_compute_flop, hardware, source)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(name) DO UPDATE"
        " SET organization = excluded.organization,"
        " entity_id = excluded.entity_id, published = excluded.published,"
        " training_compute_flop = excluded.training_compute_flop,"
        " hardware = excluded.hardware, source = excluded.source"
        " WHERE (organization, entity_id, published, training_compute_flop,"
        " hardware, source) IS NOT (excluded.organization,"
        " excluded.entity_id, excluded.published,"
        " excluded.training_compute_flop, excluded.hardware,"
        " excluded.source)",
    [S_CUSIP] = "INSERT INTO cusip(cusip, entity_id, class, source, as_of,"
                " origin) VALUES (upper(?1), ?2, ?3, ?4, ?5, 'import')"
                " ON CONFLICT(cusip) DO UPDATE SET entity_id ="
                " excluded.entity_id, class = excluded.class,"
                " source = excluded.source, as_of = excluded.as_of,"
                " origin = 'import'",
};

struct own {
	struct db *db;
	sqlite3_stmt *st[S_COUNT];
	sqlite3_stmt *keep; /* own_keep_begin() .. own_keep_end() */
};

void
own_report_init(struct own_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	strbuf_init(&rep->notes, 0);
}

void
own_report_release(struct own_report *rep)
{
	strbuf_release(&rep->notes);
}

enum status
own_open(struct db *db, struct own **out)
{
	struct own *o = xcalloc(1, sizeof(*o));
	enum status rc = ST_OK;

	o->db = db;
	for (int i = 0; i < S_COUNT && !rc; i++)
		rc = stmt_prepare(db, sql[i], &o->st[i]);
	if (rc) {
		own_close(o);
		o = NULL;
	}
	*out = o;
	return rc;
}

void
own_close(struct own *o)
{
	if (!o)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(o->st[i]);
	if (o->keep) {
		sqlite3_finalize(o->keep);
		db_exec(o->db, "DROP TABLE IF EXISTS temp.own_keep");
	}
	free(o);
}

/* Remember a row written while replacing a dataset (own_keep_begin). */
static enum status
keep(struct own *o, char kind, int64_t id, const char *name)
{
	char k[2] = {kind, '\0'};

	if (!o->keep)
		return ST_OK;
	stmt_bind_text(o->keep, 1, k);
	sqlite3_bind_int64(o->keep, 2, id);
	stmt_bind_text(o->keep, 3, name);
	return stmt_run(o->db, o->keep, "remembering a row");
}

static bool
changed_row(struct own *o)
{
	return sqlite3_changes(db_handle(o->db)) > 0;
}

enum status
own_each_cusip(struct own *o, void (*fn)(void *ctx, const char *cusip),
               void *ctx)
{
	sqlite3_stmt *st = o->st[S_CUSIPS];
	int r;

	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return r == SQLITE_DONE ? ST_OK : db_fail(o->db, "reading CUSIPs");
}

/* CIKs are stored without leading zeros, as in the bundled dataset. */
static const char *
cik_digits(const char *cik)
{
	while (cik[0] == '0' && cik[1])
		cik++;
	return cik;
}

enum status
own_put_filing(struct own *o, const struct own_filing *f)
{
	sqlite3_stmt *st = o->st[S_FILING];
	enum status rc;

	stmt_bind_text(st, 1, f->accession);
	stmt_bind_text(st, 2, cik_digits(f->cik));
	stmt_bind_text(st, 3, f->filer);
	stmt_bind_text(st, 4, f->form);
	stmt_bind_text(st, 5, f->filed);
	stmt_bind_text(st, 6, f->period);
	stmt_bind_text(st, 7, f->quarter);
	stmt_bind_text(st, 8, f->amendment);
	stmt_bind_text(st, 9, f->source);
	if ((rc = stmt_run(o->db, st, "storing a 13F filing")))
		return rc;
	st = o->st[S_CLEAR];
	stmt_bind_text(st, 1, f->accession);
	return stmt_run(o->db, st, "replacing 13F positions");
}

enum status
own_put_position(struct own *o, const char *accession, const char *cusip,
                 int64_t shares, int64_t value_usd)
{
	sqlite3_stmt *st = o->st[S_POSITION];

	stmt_bind_text(st, 1, accession);
	stmt_bind_text(st, 2, cusip);
	sqlite3_bind_int64(st, 3, shares);
	if (value_usd >= 0)
		sqlite3_bind_int64(st, 4, value_usd);
	else
		sqlite3_bind_null(st, 4);
	return stmt_run(o->db, st, "storing a 13F position");
}

enum status
own_put_outstanding(struct own *o, int64_t entity_id, const char *as_of,
                    int64_t shares, const char *source, const char *origin,
                    bool *changed)
{
	sqlite3_stmt *st = o->st[S_OUTSTANDING];
	enum status rc;

	sqlite3_bind_int64(st, 1, entity_id);
	stmt_bind_text(st, 2, as_of);
	sqlite3_bind_int64(st, 3, shares);
	stmt_bind_text(st, 4, source);
	stmt_bind_text(st, 5, origin);
	rc = stmt_run(o->db, st, "storing shares outstanding");
	if (changed)
		*changed = !rc && changed_row(o);
	return rc;
}

enum status
own_put_cusip(struct own *o, const char *cusip, int64_t entity_id,
              const char *cls, const char *source, const char *as_of)
{
	sqlite3_stmt *st = o->st[S_CUSIP];

	stmt_bind_text(st, 1, cusip);
	sqlite3_bind_int64(st, 2, entity_id);
	stmt_bind_text(st, 3, cls);
	stmt_bind_text(st, 4, source);
	stmt_bind_text(st, 5, as_of);
	return stmt_run(o->db, st, "storing a CUSIP");
}

enum status
own_entity_by_cik(struct own *o, const char *cik, int64_t *id)
{
	sqlite3_stmt *st = o->st[S_BY_CIK];
	int r;

	*id = 0;
	stmt_bind_text(st, 1, cik);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return r == SQLITE_ROW || r == SQLITE_DONE
	           ? ST_OK
	           : db_fail(o->db, "looking up a CIK");
}

static void
bind_compute(sqlite3_stmt *st, const struct own_compute *c)
{
	sqlite3_bind_double(st, 3, c->h100e);
	stmt_bind_text(st, 4, c->chip);
	stmt_bind_text(st, 5, c->source);
	stmt_bind_text(st, 6, c->as_of);
	stmt_bind_text(st, 7, c->note);
	stmt_bind_text(st, 9, c->confidence);
}

enum status
own_put_compute(struct own *o, const struct own_compute *c, bool *changed)
{
	sqlite3_stmt *st = o->st[S_COMPUTE_FIND];
	sqlite3_int64 id = 0;
	bool same = false;
	int r;

	sqlite3_bind_int64(st, 1, c->owner_id);
	stmt_bind_text(st, 2, c->period);
	bind_compute(st, c);
	stmt_bind_text(st, 8, c->origin);
	if ((r = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		same = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_fail(o->db, "reading compute");
	*changed = !same;
	if (!same) {
		enum status rc;

		st = o->st[id ? S_COMPUTE_UPD : S_COMPUTE_INS];
		sqlite3_bind_int64(st, 1, id ? id : c->owner_id);
		stmt_bind_text(st, 2, c->period);
		bind_compute(st, c);
		if (!id)
			stmt_bind_text(st, 8, c->origin);
		if ((rc = stmt_run(o->db, st, "storing compute")))
			return rc;
		if (!id)
			id = sqlite3_last_insert_rowid(db_handle(o->db));
	}
	return keep(o, 'c', id, NULL);
}

enum status
own_put_model(struct own *o, const struct own_model *m, bool *changed)
{
	sqlite3_stmt *st = o->st[S_MODEL];
	enum status rc;

	stmt_bind_text(st, 1, m->name);
	stmt_bind_text(st, 2, m->organization);
	stmt_bind_id(st, 3, m->entity_id);
	stmt_bind_text(st, 4, m->published);
	if (!stmt_bind_real(st, 5, m->flop ? m->flop : ""))
		return err_set(ST_DATAERR,
		               "training compute '%s' is not a "
		               "number",
		               m->flop);
	stmt_bind_text(st, 6, m->hardware);
	stmt_bind_text(st, 7, m->source);
	rc = stmt_run(o->db, st, "storing a model");
	*changed = !rc && changed_row(o);
	return rc ? rc : keep(o, 'm', 0, m->name);
}

enum status
own_keep_begin(struct own *o)
{
	enum status rc;

	if ((rc = db_exec(o->db, "DROP TABLE IF EXISTS temp.own_keep;"
	                         " CREATE TEMP TABLE own_keep(kind, id, name"
	                         " COLLATE NOCASE)")))
		return rc;
	return stmt_prepare(
	    o->db, "INSERT INTO temp.own_keep VALUES (?1, ?2, ?3)", &o->keep);
}

enum status
own_keep_end(struct own *o, const char *origin, bool models, size_t *deleted)
{
	sqlite3_stmt *st;
	enum status rc;

	if (!o->keep)
		return ST_OK;
	rc = stmt_prepare(o->db,
	                  "DELETE FROM compute WHERE origin = ?1 AND id NOT IN"
	                  " (SELECT id FROM temp.own_keep WHERE kind = 'c')",
	                  &st);
	if (!rc) {
		stmt_bind_text(st, 1, origin);
		if (!(rc = stmt_run(o->db, st, "replacing compute")))
			*deleted += (size_t)sqlite3_changes(db_handle(o->db));
		sqlite3_finalize(st);
	}
	if (!rc && models &&
	    !(rc = db_exec(o->db, "DELETE FROM epoch_model WHERE name NOT IN"
	                          " (SELECT name FROM temp.own_keep"
	                          " WHERE kind = 'm')")))
		*deleted += (size_t)sqlite3_changes(db_handle(o->db));
	sqlite3_finalize(o->keep);
	o->keep = NULL;
	if (!rc)
		rc = db_exec(o->db, "DROP TABLE temp.own_keep");
	return rc;
}

/* ---- 13F holdings ------------------------------------------------------ */

/*
 * The reports that count, one per filer and period, and the shares they
 * hold per firm (see the header), in keyed temp tables: the sold-out
 * branch of calc_sql looks both up again.  Row values compare (filed,
 * accession) so that a filing date tie still picks one filing.
 */
static const char held_sql[] =
    "CREATE TEMP TABLE f13_base AS SELECT f.* FROM f13_filing f"
    " WHERE ifnull(f.amendment, 'RESTATEMENT') = 'RESTATEMENT'"
    " AND NOT EXISTS (SELECT 1 FROM f13_filing g"
    "  WHERE g.cik = f.cik AND g.period = f.period"
    "  AND ifnull(g.amendment, 'RESTATEMENT') = 'RESTATEMENT'"
    "  AND (ifnull(g.filed, ''), g.accession) >"
    "      (ifnull(f.filed, ''), f.accession));"
    "CREATE INDEX temp.f13_base_key ON f13_base(cik, period);"
    "CREATE TEMP TABLE f13_held(cik TEXT, period TEXT, firm_id INTEGER,"
    " shares INTEGER, PRIMARY KEY(cik, period, firm_id)) WITHOUT ROWID;"
    "INSERT INTO f13_held"
    " WITH counted AS (SELECT b.cik, b.period, b.accession FROM f13_base b"
    "  UNION ALL SELECT b.cik, b.period, f.accession FROM f13_base b"
    "  JOIN f13_filing f ON f.cik = b.cik AND f.period = b.period"
    "  AND f.amendment = 'NEW HOLDINGS'"
    "  AND (ifnull(f.filed, ''), f.accession) >"
    "      (ifnull(b.filed, ''), b.accession))"
    /* CROSS JOIN keeps this order: positions by filing, then the
     * CUSIP looked up (not every CUSIP tried against every filing) */
    " SELECT k.cik, k.period, c.entity_id, sum(p.shares) FROM counted k"
    " CROSS JOIN f13_position p ON p.accession = k.accession"
    " CROSS JOIN f13_tracked c ON c.cusip = p.cusip"
    " GROUP BY k.cik, k.period, c.entity_id";

/*
 * One row per filer, period and firm with shares held, and with 0 shares
 * for a firm held in the filer's previous report and not in this one, so
 * that the old stake stops being in force (a filer without a report for
 * the period keeps it: unknown is not zero); with the outstanding value
 * that applies.  CROSS JOIN: each report looks up its predecessor's
 * positions (not each position every report of its filer).
 */
static const char calc_sql[] =
    "CREATE TEMP TABLE f13_calc AS"
    " WITH prior AS (SELECT cik, period, lag(period) OVER"
    "  (PARTITION BY cik ORDER BY period) AS prev FROM f13_base),"
    " gone AS (SELECT p.cik, p.period, h.firm_id, 0 AS shares"
    "  FROM prior p CROSS JOIN f13_held h ON h.cik = p.cik"
    "  AND h.period = p.prev"
    "  WHERE h.shares > 0 AND NOT EXISTS (SELECT 1 FROM f13_held n"
    "   WHERE n.cik = p.cik AND n.period = p.period"
    "   AND n.firm_id = h.firm_id AND n.shares > 0)),"
    " stake AS (SELECT cik, period, firm_id, shares FROM f13_held"
    "  WHERE shares > 0 UNION ALL SELECT * FROM gone)"
    " SELECT h.cik, h.period, h.firm_id, h.shares, b.filer, b.quarter,"
    "  'SEC Form 13F ' || b.quarter || ' (' || ifnull(b.source, '?') ||"
    "  '), accession ' || b.accession AS source,"
    "  (SELECT o.shares FROM outstanding o WHERE o.entity_id = h.firm_id"
    "   AND o.as_of <= h.period ORDER BY o.as_of DESC LIMIT 1) AS outst,"
    "  e.id AS investor_id"
    " FROM stake h JOIN f13_base b ON b.cik = h.cik AND b.period = h.period"
    " LEFT JOIN f13_filer e ON e.cik = h.cik";

/*
 * The CUSIP map and the filers by CIK as the joins compare them, indexed:
 * on the expressions themselves every position scanned the CUSIP map and
 * every row the entities (minutes with 500 CUSIPs tracked).
 */
static const char prep_sql[] =
    "CREATE TEMP TABLE f13_tracked(cusip TEXT, entity_id INTEGER);"
    "INSERT INTO f13_tracked SELECT upper(cusip), entity_id FROM cusip;"
    "CREATE INDEX temp.f13_tracked_cusip ON f13_tracked(cusip);"
    /* typed, so that f13_calc.investor_id is an INTEGER column that its
     * index serves in comparisons with holding.investor_id */
    "CREATE TEMP TABLE f13_filer(cik TEXT, id INTEGER);"
    "INSERT INTO f13_filer SELECT ltrim(cik, '0'), min(id) FROM entity"
    " WHERE cik IS NOT NULL GROUP BY 1;"
    "CREATE INDEX temp.f13_filer_cik ON f13_filer(cik)";

static const char drop_sql[] = "DROP TABLE IF EXISTS temp.f13_calc;"
                               "DROP TABLE IF EXISTS temp.f13_held;"
                               "DROP TABLE IF EXISTS temp.f13_base;"
                               "DROP TABLE IF EXISTS temp.f13_tracked;"
                               "DROP TABLE IF EXISTS temp.f13_filer";

/* For the lookups of write_holdings() and create_filers(). */
static const char calc_index_sql[] =
    "CREATE INDEX temp.f13_calc_key ON f13_calc(investor_id, firm_id,"
    " period); CREATE INDEX temp.f13_calc_cik ON f13_calc(cik)";

/* A filer with something to show becomes an entity (kind 'fund'). */
static enum status
create_filers(struct own *o)
{
	static const char pick[] =
	    "SELECT DISTINCT cik, filer FROM f13_calc"
	    " WHERE investor_id IS NULL AND outst IS NOT NULL AND shares > 0";
	static const char ins[] =
	    "INSERT INTO entity(name, kind, cik, source, origin)"
	    " SELECT CASE WHEN EXISTS (SELECT 1 FROM entity WHERE name = ?2)"
	    " THEN ?2 || ' (CIK ' || ?1 || ')' ELSE ?2 END, 'fund', ?1,"
	    " 'SEC Form 13F cover page', '13f'";
	sqlite3_stmt *sel, *st;
	enum status rc;
	int r;

	if ((rc = stmt_prepare(o->db, pick, &sel)))
		return rc;
	if ((rc = stmt_prepare(o->db, ins, &st))) {
		sqlite3_finalize(sel);
		return rc;
	}
	while (!rc && (r = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *cik = (const char *)sqlite3_column_text(sel, 0);
		const char *name = (const char *)sqlite3_column_text(sel, 1);
		char fallback[64];

		if (!name || !*name) {
			snprintf(fallback, sizeof(fallback), "13F filer CIK %s",
			         cik);
			name = fallback;
		}
		stmt_bind_text(st, 1, cik);
		stmt_bind_text(st, 2, name);
		rc = stmt_run(o->db, st, "creating a 13F filer");
	}
	if (!rc && r != SQLITE_DONE)
		rc = db_fail(o->db, "reading 13F filers");
	sqlite3_finalize(sel);
	sqlite3_finalize(st);
	if (!rc)
		rc = db_exec(o->db,
		             "UPDATE f13_calc SET investor_id = e.id FROM"
		             " (SELECT ltrim(cik, '0') AS cik, min(id) AS id"
		             " FROM entity WHERE cik IS NOT NULL GROUP BY 1)"
		             " e WHERE e.cik = f13_calc.cik"
		             " AND f13_calc.investor_id IS NULL");
	return rc;
}

/* More shares held than outstanding is a unit or scale mistake. */
static enum status
check_over_100(struct own *o)
{
	static const char q[] =
	    "SELECT c.cik, e.name, c.shares, c.outst, c.period FROM f13_calc c"
	    " JOIN entity e ON e.id = c.firm_id WHERE c.shares > c.outst"
	    " LIMIT 1";
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(o->db, q, &st);

	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = err_set(ST_DATAERR,
		             "13F filer CIK %s holds %lld shares of %s, more "
		             "than the %lld outstanding on %s: wrong units?",
		             sqlite3_column_text(st, 0),
		             (long long)sqlite3_column_int64(st, 2),
		             sqlite3_column_text(st, 1),
		             (long long)sqlite3_column_int64(st, 3),
		             sqlite3_column_text(st, 4));
	sqlite3_finalize(st);
	return rc;
}

static enum status
note_skipped(struct own *o, struct own_report *rep)
{
	static const char q[] =
	    "SELECT e.name, c.period, count(*) FROM f13_calc c"
	    " JOIN entity e ON e.id = c.firm_id WHERE c.outst IS NULL"
	    " AND c.shares > 0 GROUP BY c.firm_id, c.period ORDER BY e.name, "
	    "c.period";
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(o->db, q, &st);

	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(st, 2);

		rep->skipped_no_outstanding += (size_t)n;
		strbuf_addf(
		    &rep->notes,
		    "no shares outstanding for %s on or before %s: %lld "
		    "holding%s not made (positions kept)\n",
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1), n,
		    n == 1 ? "" : "s");
	}
	sqlite3_finalize(st);
	return ST_OK;
}

/*
 * A row of f13_calc that makes a holding: shares with the outstanding
 * value to divide by, or none at all (0 shares are 0 % of any total).
 */
#define COUNTS "(c.outst IS NOT NULL OR c.shares = 0)"

static enum status
write_holdings(struct own *o, struct own_report *rep)
{
	sqlite3 *h = db_handle(o->db);
	enum status rc;

	rc = db_exec(
	    o->db,
	    "INSERT INTO holding(investor_id, firm_id, own_pct, ctrl_pct,"
	    " as_of, confidence, source, note, origin)"
	    " SELECT investor_id, firm_id, CASE WHEN shares = 0 THEN 0.0"
	    " ELSE 100.0 * shares / outst END, NULL, period, 'high', source,"
	    " CASE WHEN shares = 0 THEN 'no position reported' ELSE"
	    " 'shares ' || shares || ' of ' || outst || ' outstanding' END,"
	    " '13f' FROM f13_calc c WHERE " COUNTS
	    " AND investor_id IS NOT NULL"
	    " ORDER BY investor_id, firm_id, period"
	    " ON CONFLICT(investor_id, firm_id, ifnull(as_of, ''),"
	    " ifnull(source, '')) DO UPDATE SET own_pct ="
	    " excluded.own_pct, note = excluded.note, origin = '13f'"
	    " WHERE (own_pct, note) IS NOT (excluded.own_pct,"
	    " excluded.note)");
	if (rc)
		return rc;
	rep->changed += (size_t)sqlite3_changes(h);
	rc = db_exec(o->db,
	             "DELETE FROM holding WHERE origin = '13f' AND NOT EXISTS"
	             " (SELECT 1 FROM f13_calc c WHERE " COUNTS
	             " AND c.investor_id = holding.investor_id"
	             " AND c.firm_id = holding.firm_id"
	             " AND c.period IS holding.as_of"
	             " AND c.source IS holding.source)");
	if (rc)
		return rc;
	rep->changed += (size_t)sqlite3_changes(h);
	return ST_OK;
}

enum status
own_refresh_holdings(struct own *o, struct own_report *rep)
{
	sqlite3_stmt *st;
	enum status rc;

	if ((rc = db_exec(o->db, drop_sql)) ||
	    (rc = db_exec(o->db, prep_sql)) ||
	    (rc = db_exec(o->db, held_sql)) ||
	    (rc = db_exec(o->db, calc_sql)) ||
	    (rc = db_exec(o->db, calc_index_sql)) || (rc = check_over_100(o)) ||
	    (rc = create_filers(o)) || (rc = note_skipped(o, rep)) ||
	    (rc = write_holdings(o, rep)))
		goto out;
	if (!(rc = stmt_prepare(o->db,
	                        "SELECT count(*) FROM holding"
	                        " WHERE origin = '13f'",
	                        &st))) {
		if (sqlite3_step(st) == SQLITE_ROW)
			rep->holdings = (size_t)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
out:
	db_exec(o->db, drop_sql);
	return rc;
}
