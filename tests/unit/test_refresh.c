/*
 * The refresh pipeline end to end: a temporary database with the bundled
 * dataset, user imports through db/import.h, analysis_refresh(), then
 * the metric tables read back.  Worked examples from
 * ../shared/research/metrics.md (T1, T9, T12, T13), the holdings period
 * rule, the zero-holder guard, alliances, compute concentration and the
 * lab-to-cloud dependence; and the batch refresh against the row-by-row
 * path for every market-period.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/ownership.h"
#include "analysis/refresh.h"
#include "db/dataset.h"
#include "db/db.h"
#include "db/entity.h"
#include "db/import.h"

#define NEAR(got, want, tol)                                                   \
	cr_assert(fabs((double)(got) - (double)(want)) <= (tol),               \
	          "%s = %.15g, want %.15g", #got, (double)(got),               \
	          (double)(want))

static char dir[] = "/tmp/oligo-test-refresh-XXXXXX";
static char path[256];
static struct db *db;

static void
setup(void)
{
	bool loaded;

	strcpy(dir, "/tmp/oligo-test-refresh-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/oligo.db", dir);
	cr_assert_eq(db_open(&db, path, DB_READWRITE), ST_OK, "%s", err_msg());
	cr_assert_eq(dataset_load(db, &loaded), ST_OK, "%s", err_msg());
}

static void
teardown(void)
{
	char cmd[300];

	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(refresh, .init = setup, .fini = teardown);

static void
import(const char *kind, const char *text)
{
	struct import_report rep;
	char file[300];
	FILE *fp;

	snprintf(file, sizeof(file), "%s/%s.csv", dir, kind);
	fp = fopen(file, "w");
	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
	import_report_init(&rep);
	cr_assert_eq(strcmp(kind, "shares") ? import_holdings(db, file, &rep)
	                                    : import_shares(db, file, &rep),
	             ST_OK, "%s", err_msg());
	import_report_release(&rep);
}

static void
exec(const char *sql)
{
	cr_assert_eq(sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL),
	             SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db_handle(db)));
}

static void
refresh(void)
{
	cr_assert_eq(analysis_refresh(db), ST_OK, "%s", err_msg());
}

/* One number from the metric tables; NAN for NULL or no row. */
static double
value(const char *sql)
{
	sqlite3_stmt *st;
	double v = NAN;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	             SQLITE_OK, "%s", sql);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

static double
metric(const char *market, const char *period, const char *scenario,
       const char *col)
{
	char sql[400];

	snprintf(sql, sizeof(sql),
	         "SELECT m.%s FROM metric m JOIN market k ON k.id = m.market_id"
	         " WHERE k.name = '%s' AND m.period = '%s' AND scenario = '%s'",
	         col, market, period, scenario);
	return value(sql);
}

static const char *
text(const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *st;

	buf[0] = 0;
	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	             SQLITE_OK, "%s", sql);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, n, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static const char t1_csv[] = "market,period,entity,share_pct\n"
                             "t1,2025Q1,AWS,30\nt1,2025Q1,Azure,30\n"
                             "t1,2025Q1,Acme,20\nt1,2025Q1,Beta,20\n";

Test(refresh, t1_standalone_through_the_pipeline)
{
	import("shares", t1_csv);
	refresh();
	NEAR(metric("t1", "2025Q1", "standalone", "hhi"), 2600, 1e-9);
	NEAR(metric("t1", "2025Q1", "standalone", "cr2"), 60, 1e-9);
	NEAR(metric("t1", "2025Q1", "standalone", "cr4"), 100, 1e-9);
	NEAR(metric("t1", "2025Q1", "standalone", "mhhi"), 2600, 1e-9);
	NEAR(metric("t1", "2025Q1", "ownership", "delta_mhhi"), 0, 1e-9);
	/* T19: the distribution indices land in metric_ext */
	NEAR(value("SELECT hall_tideman FROM metric_ext x JOIN market k ON "
	           "k.id = x.market_id WHERE k.name = 't1'"),
	     5.0 / 18, 1e-12);
	NEAR(value("SELECT linda FROM metric_ext x JOIN market k ON "
	           "k.id = x.market_id WHERE k.name = 't1'"),
	     173.0 / 504, 1e-12);
}

/* Run one market-period row by row with a merge of the named firms. */
static struct row_result
merge_row(const char *market, const char *a, const char *b)
{
	int64_t ids[2];
	struct panel p;
	struct row_result res;

	cr_assert_eq(entity_find(db, a, &ids[0]), ST_OK);
	cr_assert_eq(entity_find(db, b, &ids[1]), ST_OK);
	cr_assert(ids[0] && ids[1]);
	cr_assert_eq(panel_load(db, market, NULL, &p), ST_OK, "%s", err_msg());
	cr_assert_eq(p.nrows, 1);
	struct scenario_spec spec = {SCENARIO_MERGE, ids, 2, NULL};
	cr_assert_eq(analysis_row(&p, &p.rows[0], &spec, &res), ST_OK);
	panel_release(&p);
	return res;
}

Test(refresh, t9_merge_and_aliases)
{
	struct row_result r;

	import("shares", t1_csv);
	r = merge_row("t1", "Acme", "Beta");
	NEAR(r.v.hhi_post, 3400, 1e-9);
	NEAR(r.v.delta_hhi, 800, 1e-9);
	NEAR(r.v.merged_share, 40, 1e-9);
	cr_assert_str_eq(r.v.us2023, "presumed");
	cr_assert_str_eq(r.v.us2010, "presumed");
	cr_assert_str_eq(r.v.eu2004, "outside_safe_harbour");
	cr_assert_eq(r.merge_present, 2);
	/* aliases resolve to the stored entities: AWS = Amazon */
	r = merge_row("t1", "Amazon Web Services", "Microsoft");
	NEAR(r.v.delta_hhi, 1800, 1e-9);
	/* a party without a share changes nothing */
	r = merge_row("t1", "Acme", "Nvidia");
	NEAR(r.v.delta_hhi, 0, 0);
	cr_assert_eq(r.merge_present, 1);
}

Test(refresh, t12_airline_mhhi_from_holdings)
{
	import("shares", "market,period,entity,share_pct\n"
	                 "air,2018,American,30\nair,2018,Delta,30\n"
	                 "air,2018,Southwest,20\nair,2018,United,20\n");
	import("holdings",
	       "investor,firm,own_pct,ctrl_pct\n"
	       "Fund1,American,1,\nFund1,Delta,1,\nFund1,Southwest,1,\n"
	       "Fund1,United,1,\nFund2,American,2,\nFund2,Delta,1,\n"
	       "Fund2,Southwest,1,\nFund2,United,1,\nFund3,American,1,\n"
	       "Fund3,Delta,2,\nFund3,Southwest,1,\nFund3,United,1,\n"
	       "Fund4,American,1,\nFund4,Delta,1,\nFund4,Southwest,2,\n"
	       "Fund4,United,1,\nFund5,American,1,\nFund5,Delta,1,\n"
	       "Fund5,Southwest,1,\nFund5,United,2,\n");
	refresh();
	NEAR(metric("air", "2018", "ownership", "hhi"), 2600, 1e-9);
	NEAR(metric("air", "2018", "ownership", "mhhi"), 9075, 1e-9);
	NEAR(metric("air", "2018", "ownership", "delta_mhhi"), 6475, 1e-9);
	NEAR(metric("air", "2018", "ownership", "hhi_post"), 9075, 1e-9);
	NEAR(metric("air", "2018", "standalone", "mhhi"), 9075, 1e-9);
	NEAR(value("SELECT holdings_used FROM metric_ext x JOIN market k ON "
	           "k.id = x.market_id WHERE k.name = 'air'"),
	     20, 0);
}

Test(refresh, t12_kappa_common_ownership)
{
	struct kappa_table t;
	struct holdings h;

	import("holdings",
	       "investor,firm,own_pct,ctrl_pct\n"
	       "Fund1,American,1,\nFund1,Delta,1,\nFund2,American,2,\n"
	       "Fund2,Delta,1,\nFund3,American,1,\nFund3,Delta,2,\n");
	cr_assert_eq(holdings_load(db, &h), ST_OK);
	cr_assert_eq(ownership_kappa(&h, "2030-12-31", &t), 0);
	cr_assert_geq(t.F, 2);
	for (size_t i = 0; i < t.F; i++)
		NEAR(t.kappa[i * t.F + i], 1, 1e-12);
	for (size_t i = 0; i < t.F; i++)
		if (!strcmp(t.firms[i], "American"))
			for (size_t j = 0; j < t.F; j++)
				if (!strcmp(t.firms[j], "Delta"))
					/* (1 + 2 + 2) / (1 + 4 + 1) */
					NEAR(t.kappa[i * t.F + j], 5.0 / 6,
					     1e-12);
	ownership_kappa_release(&t);
	holdings_release(&h);
}

Test(refresh, t13_identical_owners_and_period_rule)
{
	import("shares", "market,period,entity,share_pct\n"
	                 "duo,2025Q1,FirmA,50\nduo,2025Q1,FirmB,50\n"
	                 "duo,2025Q3,FirmA,50\nduo,2025Q3,FirmB,50\n");
	/* undated: both firms held alike in every period (T13) ... */
	import("holdings", "investor,firm,own_pct,ctrl_pct,as_of\n"
	                   "Zeta,FirmA,50,,\nZeta,FirmB,50,,\n"
	                   "Eta,FirmA,50,,\nEta,FirmB,50,,\n");
	refresh();
	NEAR(metric("duo", "2025Q1", "ownership", "mhhi"), 10000, 1e-9);
	NEAR(metric("duo", "2025Q3", "ownership", "delta_mhhi"), 5000, 1e-9);
	/* ... until dated rows sell B from 2025-06-15 on */
	import("holdings",
	       "investor,firm,own_pct,ctrl_pct,as_of\n"
	       "Zeta,FirmB,0,,2025-06-15\nEta,FirmB,0,,2025-06-15\n");
	refresh();
	NEAR(metric("duo", "2025Q1", "ownership", "mhhi"), 10000, 1e-9);
	NEAR(metric("duo", "2025Q3", "ownership", "mhhi"), 5000, 1e-9);
	NEAR(metric("duo", "2025Q3", "ownership", "delta_mhhi"), 0, 1e-9);
	/* a 0 % row ends a holding: only the two stakes in FirmA count */
	NEAR(value("SELECT holdings_used FROM metric_ext x JOIN market k ON"
	           " k.id = x.market_id WHERE k.name = 'duo'"
	           " AND x.period = '2025Q3'"),
	     2, 0);
}

/* FirmB, its holders sold out (0 % rows), drops out of the kappa table
 * of the firms with a holding in force; before the sale it is in. */
Test(refresh, sold_out_firm_leaves_the_kappa_table)
{
	const char *const ends[] = {"2025-03-31", "2025-09-30"};

	import("holdings",
	       "investor,firm,own_pct,ctrl_pct,as_of\n"
	       "Zeta,FirmA,50,,\nZeta,FirmB,50,,\n"
	       "Eta,FirmA,50,,\nEta,FirmB,50,,\n"
	       "Zeta,FirmB,0,,2025-06-15\nEta,FirmB,0,,2025-06-15\n");
	for (size_t e = 0; e < 2; e++) {
		struct kappa_table t;
		struct holdings h;
		bool has_b = false;

		cr_assert_eq(holdings_load(db, &h), ST_OK);
		cr_assert_eq(ownership_kappa(&h, ends[e], &t), 0);
		for (size_t i = 0; i < t.F; i++)
			has_b |= !strcmp(t.firms[i], "FirmB");
		cr_assert_eq(has_b, e == 0, "FirmB at %s", ends[e]);
		ownership_kappa_release(&t);
		holdings_release(&h);
	}
}

Test(refresh, zero_holder_guard_silent_stake_and_undisclosed)
{
	char buf[64];

	import("shares", "market,period,entity,share_pct\n"
	                 "sil,2025,Alpha,40\nsil,2025,Bravo,30\n"
	                 "sil,2025,Charlie,30\n");
	/* Alpha (no holders: its own owner) holds 20 % of Bravo silently */
	import("holdings", "investor,firm,own_pct,ctrl_pct\n"
	                   "Alpha,Bravo,20,0\nFundX,Charlie,10,\n");
	refresh();
	/* a silent stake phi adds phi * s_A * s_B = 0.2 * 40 * 30 */
	NEAR(metric("sil", "2025", "ownership", "delta_mhhi"), 240, 1e-9);
	NEAR(metric("sil", "2025", "ownership", "hhi"), 3400, 1e-9);
	/* an undisclosed stake is skipped and counted, never guessed */
	exec("INSERT INTO holding(investor_id, firm_id, own_pct, origin)"
	     " SELECT (SELECT id FROM entity WHERE name = 'FundX'),"
	     " (SELECT id FROM entity WHERE name = 'Alpha'), NULL, 'import'");
	refresh();
	NEAR(metric("sil", "2025", "ownership", "delta_mhhi"), 240, 1e-9);
	NEAR(value("SELECT holdings_undisclosed FROM metric_ext x JOIN market"
	           " k ON k.id = x.market_id WHERE k.name = 'sil'"),
	     1, 0);
	cr_assert_str_eq(text("SELECT us2023 FROM metric m JOIN market k ON "
	                      "k.id = m.market_id WHERE k.name = 'sil' AND "
	                      "scenario = 'ownership'",
	                      buf, sizeof(buf)),
	                 "presumed");
}

Test(refresh, alliances_on_the_bundled_dataset)
{
	import("shares", "market,period,entity,share_pct\n"
	                 "duel,2025,Microsoft,30\nduel,2025,OpenAI,20\n"
	                 "duel,2025,Amazon,25\nduel,2025,Anthropic,10\n");
	refresh();
	NEAR(metric("duel", "2025", "alliances", "delta_hhi"), 1700, 1e-9);
	NEAR(metric("duel", "2025", "alliances", "hhi_post"), 3725, 1e-9);
	NEAR(metric("duel", "2025", "alliances", "merged_share"), 50, 1e-9);
	cr_assert(isnan(metric("duel", "2025", "alliances", "mhhi")));
}

/* Per alliance: the deltas and shares behind the row's totals. */
Test(refresh, alliances_one_by_one)
{
	struct scenario_spec spec = {SCENARIO_ALLIANCES, NULL, 0, NULL};
	double delta[16], share[16], total = 0;
	size_t members[16];
	struct row_result res;
	struct panel p;
	bool ms = false, am = false;

	import("shares", "market,period,entity,share_pct\n"
	                 "duel,2025,Microsoft,30\nduel,2025,OpenAI,20\n"
	                 "duel,2025,AWS,25\nduel,2025,Anthropic,10\n"
	                 "duel,2025,Acme,15\n");
	cr_assert_eq(panel_load(db, "duel", "2025", &p), ST_OK);
	cr_assert_eq(p.nrows, 1);
	cr_assert_leq(p.nalliances, 16);
	cr_assert_eq(
	    analysis_row_alliances(&p, &p.rows[0], delta, share, members),
	    ST_OK);
	cr_assert_eq(analysis_row(&p, &p.rows[0], &spec, &res), ST_OK);
	for (size_t g = 0; g < p.nalliances; g++) {
		total += delta[g];
		if (!strcmp(p.alliances[g], "Microsoft/OpenAI")) {
			ms = true;
			cr_assert_eq(members[g], 2);
			NEAR(delta[g], 1200, 1e-9);
			NEAR(share[g], 50, 1e-9);
		} else if (!strcmp(p.alliances[g], "Amazon/Anthropic")) {
			am = true;
			cr_assert_eq(members[g], 2);
			NEAR(delta[g], 500, 1e-9);
			NEAR(share[g], 35, 1e-9);
		} else {
			cr_assert_eq(members[g], 0);
			NEAR(delta[g], 0, 0);
		}
	}
	cr_assert(ms && am);
	NEAR(total, res.v.delta_hhi, 1e-9);
	/* names through db/, parallel to entity_id: AWS is Amazon's alias */
	cr_assert_null(p.entity_name);
	cr_assert_eq(panel_load_names(db, &p), ST_OK);
	cr_assert_str_eq(p.entity_name[p.rows[0].first], "Microsoft");
	/* largest first: Microsoft, AWS, OpenAI, Acme, Anthropic */
	cr_assert_str_eq(p.entity_name[p.rows[0].first + 1], "Amazon");
	cr_assert_str_eq(p.entity_name[p.rows[0].first + 4], "Anthropic");
	panel_release(&p);
}

Test(refresh, compute_concentration_by_hand)
{
	refresh();
	/* Epoch 2026-04: 5.0, 3.4, 2.5, 2.3, 1.1, 0.5 M H100e of 14.8 M */
	NEAR(metric("ai_compute", "2026-04", "standalone", "hhi"),
	     1e4 * (25 + 11.56 + 6.25 + 5.29 + 1.21 + 0.25) / (14.8 * 14.8),
	     1e-9);
	exec("INSERT INTO compute(owner_id, period, h100e, origin) SELECT id,"
	     " '2030', CASE name WHEN 'Microsoft' THEN 600 WHEN 'OpenAI'"
	     " THEN 200 ELSE 200 END, 'import' FROM entity WHERE name IN"
	     " ('Microsoft', 'OpenAI', 'Meta')");
	refresh();
	NEAR(metric("ai_compute", "2030", "standalone", "hhi"), 4400, 1e-9);
	/* by alliance: Microsoft + OpenAI are one owner */
	NEAR(metric("ai_compute", "2030", "alliances", "hhi_post"), 6800, 1e-9);
	NEAR(metric("ai_compute", "2030", "alliances", "merged_share"), 80,
	     1e-9);
}

Test(refresh, dependence_on_own_alliance_cloud)
{
	refresh();
	/* OpenAI by 2025: $250B of $1,010.4B disclosed to Microsoft */
	NEAR(value(
	         "SELECT dependence_pct FROM dependence d JOIN entity e ON "
	         "e.id = d.lab_id WHERE e.name = 'OpenAI' AND period = '2025'"),
	     100.0 * 250 / 1010.4, 1e-9);
	NEAR(value(
	         "SELECT undisclosed FROM dependence d JOIN entity e ON "
	         "e.id = d.lab_id WHERE e.name = 'OpenAI' AND period = '2025'"),
	     4, 0);
	/* no amount disclosed: unknown, not 0 */
	cr_assert(isnan(value("SELECT dependence_pct FROM dependence d JOIN "
	                      "entity e ON e.id = d.lab_id WHERE e.name = "
	                      "'OpenAI' AND period = '2024'")));
}

/* The batch refresh equals the row-by-row CLI path on every row. */
Test(refresh, batch_equals_rows)
{
	static const enum scenario_kind kinds[] = {
	    SCENARIO_STANDALONE, SCENARIO_ALLIANCES, SCENARIO_OWNERSHIP};
	static const char *const names[] = {"standalone", "alliances",
	                                    "ownership"};
	struct holdings h;
	struct panel p;

	import("shares", "market,period,entity,share_pct\n"
	                 "duel,2025,Microsoft,30\nduel,2025,OpenAI,20\n"
	                 "duel,2025,Amazon,25\nduel,2025,Anthropic,10\n");
	refresh();
	cr_assert_eq(panel_load(db, NULL, NULL, &p), ST_OK);
	cr_assert_eq(holdings_load(db, &h), ST_OK);
	cr_assert_gt(p.nrows, 20);
	for (size_t r = 0; r < p.nrows; r++) {
		for (size_t k = 0; k < 3; k++) {
			struct scenario_spec spec = {kinds[k], NULL, 0, &h};
			struct row_result res;

			cr_assert_eq(analysis_row(&p, &p.rows[r], &spec, &res),
			             ST_OK);
			NEAR(metric(p.rows[r].market, p.rows[r].period,
			            names[k], "hhi"),
			     res.v.hhi, 1e-9);
			if (k)
				NEAR(metric(p.rows[r].market, p.rows[r].period,
				            names[k], "hhi_post"),
				     res.v.hhi_post, 1e-9);
		}
	}
	holdings_release(&h);
	panel_release(&p);
}

Test(refresh, period_end_labels)
{
	static const char *const cases[][2] = {
	    {"2025", "2025-12-31"},       {"2025Q1", "2025-03-31"},
	    {"2025Q3", "2025-09-30"},     {"2025H1", "2025-06-30"},
	    {"2025H2", "2025-12-31"},     {"2025-06", "2025-06-31"},
	    {"2025-06-30", "2025-06-30"},
	};
	char end[11];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(ownership_period_end(cases[i][0], end), 0);
		cr_assert_str_eq(end, cases[i][1]);
	}
	cr_assert_eq(ownership_period_end("last year", end), -EINVAL);
}

/* The writer's temporary connection settings come back, even when the
 * refresh fails and is rolled back. */
Test(refresh, settings_restored_and_failure_keeps_tables)
{
	double rows, ext;

	exec("PRAGMA cache_size=-1234");
	refresh();
	rows = value("SELECT count(*) FROM metric");
	ext = value("SELECT count(*) FROM metric_ext");
	/* three scenarios per market-period, written in batches */
	cr_assert_gt(ext, 20);
	NEAR(rows, 3 * ext, 0);
	NEAR(value("PRAGMA foreign_keys"), 1, 0);
	NEAR(value("PRAGMA cache_size"), -1234, 0);
	/* shares adding up to 120 %: the kernels refuse the row */
	import("shares", "market,period,entity,share_pct\n"
	                 "over,2025,Acme,40\nover,2025,Beta,40\n");
	exec("UPDATE share SET share_pct = 60 WHERE market_id ="
	     " (SELECT id FROM market WHERE name = 'over')");
	cr_assert_eq(analysis_refresh(db), ST_DATAERR);
	cr_assert_not_null(strstr(err_msg(), "over"), "%s", err_msg());
	NEAR(value("SELECT count(*) FROM metric"), rows, 0);
	NEAR(value("SELECT count(*) FROM metric_ext"), ext, 0);
	NEAR(value("PRAGMA foreign_keys"), 1, 0);
	NEAR(value("PRAGMA cache_size"), -1234, 0);
	/* and enforced: a metric row of no market is refused again */
	cr_assert_neq(sqlite3_exec(db_handle(db),
	                           "INSERT INTO metric(market_id, period,"
	                           " scenario) VALUES (987654321, '2025', 'x')",
	                           NULL, NULL, NULL),
	              SQLITE_OK);
}
