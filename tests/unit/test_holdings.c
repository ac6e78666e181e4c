/*
 * holdings_load() against the window query it replaced, kept here as the
 * oracle: random holdings with duplicate dates from several sources, every
 * confidence, NULL and '' dates, undisclosed stakes, long names; then
 * ownership_kappa() on them against kappa summed in SQL from the stakes
 * in force, with enough investors to grow its hash table several times;
 * and holdings_load_until() against holdings_load().
 */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "analysis/ownership.h"
#include "db/holdings.h"
#include "testdb.h"

static char dir[64];
static struct db *db;

static void
setup(void)
{
	testdb_mkdir(dir, sizeof(dir), "holdings");
	db = testdb_open(dir);
}

static void
teardown(void)
{
	db_close(db);
	testdb_rmdir(dir);
}

TestSuite(holdings, .init = setup, .fini = teardown);

static const char oracle_sql[] =
    "SELECT investor_id, firm_id, i.name, f.name, own_pct, ctrl_pct,"
    " h.as_of FROM (SELECT *, row_number() OVER ("
    "  PARTITION BY investor_id, firm_id, ifnull(as_of, '')"
    "  ORDER BY CASE confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "   WHEN 'low' THEN 2 ELSE 3 END, id DESC) AS rank FROM holding) h"
    " JOIN entity i ON i.id = h.investor_id"
    " JOIN entity f ON f.id = h.firm_id"
    " WHERE rank = 1 ORDER BY firm_id, investor_id, h.as_of";

static void
exec(const char *sql)
{
	char *msg = NULL;

	cr_assert_eq(sqlite3_exec(db_handle(db), sql, NULL, NULL, &msg),
	             SQLITE_OK, "%s: %s", sql, msg ? msg : "");
}

static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned
next(unsigned n)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (unsigned)((rng >> 11) % n);
}

/*
 * 300 funds (names past one 64 KiB string block, one name longer than a
 * block) and 12 firms; rows that clash on the unique key are dropped.
 */
static void
fill_random(size_t nrows)
{
	static const char *const dates[] = {
	    NULL,           "''",           "'2024-03-31'",
	    "'2024-06-30'", "'2024-12'",    "'2025'",
	    "'2025-03-31'", "'2025-09-30'", "'2025-10-01'"};
	static const char *const conf[] = {"'high'", "'medium'", "'low'",
	                                   "NULL", "'rumour'"};
	char sql[512];

	exec("BEGIN");
	exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	     " WHERE i < 300) INSERT INTO entity(name, kind, origin)"
	     " SELECT 'Test Fund ' || i || ' ' || printf('%.*c', 300, 'x'),"
	     " 'fund', 'import' FROM n");
	exec("INSERT INTO entity(name, kind, origin) VALUES"
	     " (printf('Huge %.*c', 70000, 'y'), 'fund', 'import')");
	exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	     " WHERE i < 12) INSERT INTO entity(name, origin)"
	     " SELECT 'Test Firm ' || i, 'import' FROM n");
	for (size_t r = 0; r < nrows; r++) {
		const char *d = dates[next(9)];
		char own[32] = "NULL", ctrl[32] = "NULL";

		if (next(10))
			snprintf(own, sizeof(own), "%.6f", next(20000) / 1e4);
		if (!next(4))
			snprintf(ctrl, sizeof(ctrl), "%.6f", next(20000) / 1e4);
		char who[64] = "Huge %";

		if (next(40))
			snprintf(who, sizeof(who), "Test Fund %u %%",
			         1 + next(300));
		snprintf(
		    sql, sizeof(sql),
		    "INSERT OR IGNORE INTO holding(investor_id, firm_id,"
		    " own_pct, ctrl_pct, as_of, confidence, source, origin)"
		    " SELECT (SELECT id FROM entity WHERE name LIKE '%s'),"
		    " (SELECT id FROM entity WHERE name = 'Test Firm %u'),"
		    " %s, %s, %s, %s, 'src %u', 'import'",
		    who, 1 + next(12), own, ctrl, d ? d : "NULL", conf[next(5)],
		    next(3));
		exec(sql);
	}
	exec("COMMIT");
}

static bool
same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static void
assert_as_oracle(const struct holdings *h)
{
	sqlite3_stmt *st;
	size_t i = 0;

	cr_assert_eq(
	    sqlite3_prepare_v2(db_handle(db), oracle_sql, -1, &st, NULL),
	    SQLITE_OK);
	for (; sqlite3_step(st) == SQLITE_ROW; i++) {
		const struct holding_rec *r = &h->rows[i];
		const char *as_of = (const char *)sqlite3_column_text(st, 6);
		double own = sqlite3_column_type(st, 4) == SQLITE_NULL
		                 ? NAN
		                 : sqlite3_column_double(st, 4) / 100.0;
		double ctrl = sqlite3_column_type(st, 5) == SQLITE_NULL
		                  ? own
		                  : sqlite3_column_double(st, 5) / 100.0;

		cr_assert_lt(i, h->n, "fewer records than the oracle's");
		cr_assert_eq(r->investor_id, sqlite3_column_int64(st, 0),
		             "row %zu", i);
		cr_assert_eq(r->firm_id, sqlite3_column_int64(st, 1));
		cr_assert_str_eq(r->investor,
		                 (const char *)sqlite3_column_text(st, 2));
		cr_assert_str_eq(r->firm,
		                 (const char *)sqlite3_column_text(st, 3));
		cr_assert(same_num(r->own, own), "row %zu own %g, want %g", i,
		          r->own, own);
		cr_assert(same_num(r->ctrl, ctrl), "row %zu ctrl", i);
		cr_assert_eq(!as_of, !r->as_of, "row %zu as_of", i);
		if (as_of)
			cr_assert_str_eq(r->as_of, as_of);
	}
	sqlite3_finalize(st);
	cr_assert_eq(i, h->n, "%zu records, the oracle has %zu", h->n, i);
}

Test(holdings, same_as_window_query)
{
	struct holdings h;

	fill_random(6000);
	/* a firm whose rows arrive in order (as a 13F import writes them),
	 * one that arrives backwards */
	exec("INSERT INTO entity(name, origin) VALUES ('Ordered', 'import'),"
	     " ('Backwards', 'import')");
	exec("INSERT INTO holding(investor_id, firm_id, own_pct, as_of,"
	     " confidence, origin) SELECT e.id, f.id, 1, d.d, 'high', 'import'"
	     " FROM entity e, entity f, (SELECT '2025-03-31' AS d UNION"
	     " SELECT '2025-06-30') d WHERE e.name LIKE 'Test Fund 1%'"
	     " AND f.name = 'Ordered' ORDER BY e.id, d.d");
	exec("INSERT INTO holding(investor_id, firm_id, own_pct, as_of,"
	     " confidence, origin) SELECT e.id, f.id, 2, NULL, 'low', 'import'"
	     " FROM entity e, entity f WHERE e.name LIKE 'Test Fund 2%'"
	     " AND f.name = 'Backwards' ORDER BY e.id DESC");
	cr_assert_gt(testdb_num(db, "SELECT count(*) FROM holding"), 3000);
	cr_assert_eq(holdings_load(db, &h), ST_OK, "%s", err_msg());
	assert_as_oracle(&h);
	holdings_release(&h);
}

Test(holdings, empty_table)
{
	struct holdings h;

	exec("DELETE FROM holding");
	cr_assert_eq(holdings_load(db, &h), ST_OK);
	cr_assert_eq(h.n, 0);
	holdings_release(&h);
}

static size_t
firm_at(const struct kappa_table *t, const char *name)
{
	for (size_t j = 0; j < t->F; j++)
		if (!strcmp(t->firms[j], name))
			return j;
	cr_assert_fail("%s missing from kappa", name);
	return 0;
}

/*
 * kappa[a][b] of the test firms at end, summed in SQL over the stakes in
 * force, against t; returns the number of pairs compared.
 */
static size_t
assert_sql_kappa(const struct kappa_table *t, const char *end)
{
	char sql[2048];
	sqlite3_stmt *st;
	size_t n = 0;

	snprintf(sql, sizeof(sql),
	         "WITH d AS (SELECT investor_id, firm_id, f.name AS name,"
	         " own_pct, h.as_of FROM (SELECT *, row_number() OVER ("
	         " PARTITION BY investor_id, firm_id, ifnull(as_of, '')"
	         " ORDER BY CASE confidence WHEN 'high' THEN 0 WHEN 'medium'"
	         " THEN 1 WHEN 'low' THEN 2 ELSE 3 END, id DESC) AS rank"
	         " FROM holding) h JOIN entity f ON f.id = h.firm_id"
	         " WHERE rank = 1), f AS (SELECT * FROM d x"
	         " WHERE ifnull(x.as_of, '') <= '%s' AND NOT EXISTS"
	         " (SELECT 1 FROM d y WHERE y.investor_id = x.investor_id"
	         " AND y.firm_id = x.firm_id AND ifnull(y.as_of, '') <= '%s'"
	         " AND ifnull(y.as_of, '') > ifnull(x.as_of, ''))"
	         " AND own_pct IS NOT NULL AND name LIKE 'Test Firm %%'),"
	         " w AS (SELECT x.name AS a, y.name AS b,"
	         " sum(x.own_pct * y.own_pct) AS w FROM f x JOIN f y"
	         " USING (investor_id) GROUP BY 1, 2)"
	         " SELECT w.a, w.b, w.w / v.w FROM w JOIN w v"
	         " ON v.a = w.a AND v.b = w.a",
	         end, end);
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	             SQLITE_OK, "%s", sqlite3_errmsg(db_handle(db)));
	for (; sqlite3_step(st) == SQLITE_ROW; n++) {
		const char *a = (const char *)sqlite3_column_text(st, 0);
		const char *b = (const char *)sqlite3_column_text(st, 1);
		double k = t->kappa[firm_at(t, a) * t->F + firm_at(t, b)];

		cr_assert(fabs(k - sqlite3_column_double(st, 2)) <= 1e-12,
		          "kappa[%s][%s] at %s: %.17g, SQL %.17g", a, b, end, k,
		          sqlite3_column_double(st, 2));
	}
	sqlite3_finalize(st);
	return n;
}

Test(holdings, kappa_as_summed_in_sql)
{
	static const char *const ends[] = {"2024-06-30", "2025-09-30",
	                                   "9999-12-31"};
	struct holdings h;

	fill_random(6000);
	cr_assert_eq(holdings_load(db, &h), ST_OK, "%s", err_msg());
	for (size_t e = 0; e < 3; e++) {
		struct kappa_table t;

		cr_assert_eq(ownership_kappa(&h, ends[e], &t), 0);
		cr_assert_gt(t.stats.investors, 200);
		/* every pair of the 12 test firms */
		cr_assert_eq(assert_sql_kappa(&t, ends[e]), 144);
		ownership_kappa_release(&t);
	}
	holdings_release(&h);
}

/* Rows after the period's end change nothing: the same kappa, bit for bit. */
Test(holdings, until_end_same_kappa)
{
	static const char *const ends[] = {"2024-06-30", "2025-03-31",
	                                   "2025-09-30"};
	struct holdings all;

	fill_random(3000);
	cr_assert_eq(holdings_load(db, &all), ST_OK, "%s", err_msg());
	for (size_t e = 0; e < 3; e++) {
		struct kappa_table a, b;
		struct holdings h;

		cr_assert_eq(holdings_load_until(db, ends[e], &h), ST_OK);
		cr_assert_lt(h.n, all.n);
		for (size_t i = 0; i < h.n; i++)
			cr_assert(!h.rows[i].as_of ||
			          strcmp(h.rows[i].as_of, ends[e]) <= 0);
		cr_assert_eq(ownership_kappa(&all, ends[e], &a), 0);
		cr_assert_eq(ownership_kappa(&h, ends[e], &b), 0);
		cr_assert_eq(a.F, b.F);
		cr_assert_eq(a.stats.used, b.stats.used);
		cr_assert_eq(a.stats.undisclosed, b.stats.undisclosed);
		cr_assert_eq(a.stats.investors, b.stats.investors);
		for (size_t j = 0; j < a.F; j++)
			cr_assert_str_eq(a.firms[j], b.firms[j]);
		cr_assert_eq(
		    memcmp(a.kappa, b.kappa, a.F * a.F * sizeof(*a.kappa)), 0);
		ownership_kappa_release(&a);
		ownership_kappa_release(&b);
		holdings_release(&h);
	}
	holdings_release(&all);
}
