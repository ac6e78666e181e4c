/* The database room: schema, dataset, imports, views, metrics. */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/refresh.h"
#include "db/dataset.h"
#include "db/db.h"
#include "db/export.h"
#include "db/entity.h"
#include "db/import.h"
#include "db/source.h"
#include "db/view.h"

static char dir[] = "/tmp/oligo-test-db-XXXXXX";
static char path[256];

static void
setup(void)
{
	strcpy(dir, "/tmp/oligo-test-db-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/oligo.db", dir);
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(db, .init = setup, .fini = teardown);

static struct db *
open_loaded(void)
{
	struct db *db;
	bool loaded;

	cr_assert_eq(db_open(&db, path, DB_READWRITE), ST_OK, "%s", err_msg());
	cr_assert_eq(dataset_load(db, &loaded), ST_OK, "%s", err_msg());
	cr_assert_eq(analysis_refresh(db), ST_OK, "%s", err_msg());
	return db;
}

static long long
count(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	             SQLITE_OK, "%s", sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
write_file(const char *name, const char *text, char *out, size_t outsz)
{
	FILE *fp;

	snprintf(out, outsz, "%s/%s", dir, name);
	fp = fopen(out, "w");
	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
}

Test(db, creates_wal_database_with_current_schema)
{
	struct db *db = open_loaded();
	sqlite3_stmt *st;

	cr_assert_eq(db_user_version(db), db_schema_version());
	sqlite3_prepare_v2(db_handle(db), "PRAGMA journal_mode", -1, &st, NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	db_close(db);
}

Test(db, dataset_rows_all_carry_source_and_as_of)
{
	static const char *const tables[] = {
	    "alias",  "alliance",     "membership", "holding",
	    "deal",   "market",       "share",      "compute",
	    "matter", "matter_event", "model",      "cusip"};
	struct db *db = open_loaded();

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[200];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s",
		         tables[i]);
		cr_assert_gt(count(db, sql), 0, "table %s is empty", tables[i]);
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM %s WHERE source IS NULL OR "
		         "as_of IS NULL OR source = '' OR as_of = ''",
		         tables[i]);
		cr_assert_eq(count(db, sql), 0, "%s rows without source/as_of",
		             tables[i]);
	}
	cr_assert_eq(count(db, "SELECT count(*) FROM alliance"), 3);
	/* unknown stays unknown: no invented zero amounts */
	cr_assert_eq(
	    count(db, "SELECT count(*) FROM deal WHERE amount_usd = 0"), 0);
	db_close(db);
}

Test(db, aliases_resolve_to_their_owners)
{
	static const char *const pairs[][2] = {
	    {"AWS", "Amazon"},      {"Claude", "Anthropic"},
	    {"Trainium", "Amazon"}, {"Bedrock", "Amazon"},
	    {"Azure", "Microsoft"}, {"gemini", "Google DeepMind"},
	    {"Google", "Alphabet"},
	};
	struct db *db = open_loaded();

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char sql[300];

		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM alias a JOIN entity e ON e.id = "
		         "a.entity_id WHERE a.alias = '%s' AND e.name = '%s'",
		         pairs[i][0], pairs[i][1]);
		cr_assert_eq(count(db, sql), 1, "%s -> %s", pairs[i][0],
		             pairs[i][1]);
	}
	db_close(db);
}

Test(db, init_is_idempotent)
{
	struct db *db = open_loaded();
	long long deals = count(db, "SELECT count(*) FROM deal");
	int before = sqlite3_total_changes(db_handle(db));
	bool loaded = true;

	cr_assert_eq(dataset_load(db, &loaded), ST_OK);
	cr_assert(!loaded);
	cr_assert_eq(sqlite3_total_changes(db_handle(db)), before);
	cr_assert_eq(count(db, "SELECT count(*) FROM deal"), deals);
	/* a forced reload replaces dataset rows and keeps their number */
	cr_assert_eq(db_meta_set(db, "dataset_digest", "old"), ST_OK);
	cr_assert_eq(dataset_load(db, &loaded), ST_OK, "%s", err_msg());
	cr_assert(loaded);
	cr_assert_eq(count(db, "SELECT count(*) FROM deal"), deals);
	db_close(db);
}

Test(db, newer_database_is_refused)
{
	struct db *db = open_loaded();

	cr_assert_eq(db_exec(db, "PRAGMA user_version = 999"), ST_OK);
	db_close(db);
	cr_assert_eq(db_open(&db, path, DB_READWRITE), ST_CONFIG);
	cr_assert_null(db);
	cr_assert(strstr(err_msg(), "newer"), "%s", err_msg());
}

Test(db, readonly_open_of_missing_database_says_init)
{
	struct db *db;

	cr_assert_eq(db_open(&db, path, DB_READONLY), ST_NOINPUT);
	cr_assert(strstr(err_msg(), "oligo init"), "%s", err_msg());
}

Test(db, import_shares_all_or_nothing_and_idempotent)
{
	struct db *db = open_loaded();
	struct import_report rep;
	char good[300], bad[300];

	write_file("good.csv",
	           "market,period,entity,share_pct,source\n"
	           "test_mkt,2025Q1,AWS,30,unit test\n"
	           "test_mkt,2025Q1,Microsoft,30,unit test\n"
	           "test_mkt,2025Q1,NewCo,20,unit test\n"
	           "test_mkt,2025Q1,OtherCo,20,unit test\n",
	           good, sizeof(good));
	import_report_init(&rep);
	cr_assert_eq(import_shares(db, good, &rep), ST_OK, "%s", err_msg());
	cr_assert_eq(rep.rows, 4);
	cr_assert_eq(rep.changed, 4);
	cr_assert(strstr(rep.created.buf, "entity 'NewCo'"));
	cr_assert(strstr(rep.created.buf, "market 'test_mkt'"));
	import_report_release(&rep);

	import_report_init(&rep);
	cr_assert_eq(import_shares(db, good, &rep), ST_OK, "%s", err_msg());
	cr_assert_eq(rep.changed, 0, "second import changed %zu rows",
	             rep.changed);
	cr_assert_eq(rep.created.len, 0);
	import_report_release(&rep);

	/* line 3 is bad: nothing of the file may land */
	write_file("bad.csv",
	           "market,period,entity,share_pct\n"
	           "test_mkt2,2025Q1,AWS,10\n"
	           "test_mkt2,2025Q1,Microsoft,ten\n",
	           bad, sizeof(bad));
	import_report_init(&rep);
	cr_assert_eq(import_shares(db, bad, &rep), ST_DATAERR);
	cr_assert(strstr(err_msg(), "bad.csv:3:"), "%s", err_msg());
	import_report_release(&rep);
	cr_assert_eq(count(db, "SELECT count(*) FROM market WHERE name = "
	                       "'test_mkt2'"),
	             0);

	/* the T1 market: HHI 2,600 */
	cr_assert_eq(analysis_refresh(db), ST_OK, "%s", err_msg());
	cr_assert_eq(count(db,
	                   "SELECT round(hhi) FROM metric m JOIN market k "
	                   "ON k.id = m.market_id WHERE k.name = 'test_mkt' "
	                   "AND scenario = 'standalone'"),
	             2600);
	db_close(db);
}

Test(db, import_rejects_hostile_rows)
{
	static const char *const cases[][2] = {
	    {"market,period,entity,share_pct\nm,2025Q5,AWS,10\n", ":2:"},
	    {"market,period,entity,share_pct\nm,2025,AWS,101\n", ":2:"},
	    {"market,period,entity,share_pct\nm,2025,AWS,-1\n", ":2:"},
	    {"market,period,entity,share_pct\nm,2025,AWS,1e999\n", ":2:"},
	    {"market,period,entity,share_pct\nm,2025,,10\n", ":2:"},
	    {"market,period,entity\nm,2025,AWS\n", "share_pct"},
	    {"market,period,entity,share_pct\nm,2025,AWS,60\n"
	     "m,2025,Microsoft,60\n",
	     "add up"},
	    {"market,period,entity,share_pct\nm,2025,AWS,\"10\n", ":2:"},
	};
	struct db *db = open_loaded();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct import_report rep;
		char f[300];

		write_file("hostile.csv", cases[i][0], f, sizeof(f));
		import_report_init(&rep);
		cr_assert_eq(import_shares(db, f, &rep), ST_DATAERR,
		             "case %zu accepted", i);
		cr_assert(strstr(err_msg(), cases[i][1]), "case %zu: %s", i,
		          err_msg());
		import_report_release(&rep);
	}
	cr_assert_eq(count(db, "SELECT count(*) FROM market WHERE name = 'm'"),
	             0);
	db_close(db);
}

Test(db, import_holdings_ctrl_defaults_to_own)
{
	struct db *db = open_loaded();
	struct import_report rep;
	char f[300];

	write_file("h.csv",
	           "investor,firm,own_pct,ctrl_pct,as_of,source\n"
	           "Fund A,Microsoft,5,,2025-09-30,unit\n"
	           "Fund A,Alphabet,4,0,,unit\n",
	           f, sizeof(f));
	import_report_init(&rep);
	cr_assert_eq(import_holdings(db, f, &rep), ST_OK, "%s", err_msg());
	import_report_release(&rep);
	cr_assert_eq(count(db,
	                   "SELECT ctrl_pct FROM holding h JOIN entity e ON "
	                   "e.id = h.firm_id WHERE e.name = 'Microsoft' AND "
	                   "h.source = 'unit'"),
	             5);
	cr_assert_eq(count(db, "SELECT count(*) FROM holding WHERE source = "
	                       "'unit' AND as_of IS NULL AND ctrl_pct = 0"),
	             1);
	db_close(db);
}

Test(db, every_view_runs_and_exports_its_header)
{
	struct db *db = open_loaded();
	size_t n;
	const struct view_def *const *all = view_all(&n);

	cr_assert_geq(n, 9);
	for (size_t i = 0; i < n; i++) {
		char *buf = NULL;
		size_t len = 0, rows = 0;
		FILE *fp = open_memstream(&buf, &len);
		struct csv_writer w;

		csv_writer_init(&w, fp, CSV_RFC4180, false);
		cr_assert_eq(view_export(db, all[i], NULL, &w, &rows), ST_OK,
		             "%s: %s", all[i]->name, err_msg());
		fclose(fp);
		cr_assert(!strncmp(buf, all[i]->cols[0].name,
		                   strlen(all[i]->cols[0].name)),
		          "%s header", all[i]->name);
		if (strcmp(all[i]->name, "news") &&
		    strcmp(all[i]->name, "filings") &&
		    strcmp(all[i]->name, "sources"))
			cr_assert_gt(rows, 0, "view %s is empty", all[i]->name);
		free(buf);
	}
	db_close(db);
}

Test(db, filters_are_checked_and_applied)
{
	struct db *db = open_loaded();
	const struct view_def *deals = view_find("deals");
	struct view_filter f = {.alliance = "Amazon/Anthropic"};
	struct view_cursor *c;
	bool row;
	size_t n = 0;

	cr_assert_eq(view_open(db, deals, &f, &c), ST_OK, "%s", err_msg());
	while (view_step(c, &row) == ST_OK && row) {
		cr_assert_str_eq(view_text(c, 3), "Amazon/Anthropic");
		n++;
	}
	view_close(c);
	cr_assert_gt(n, 0);
	f = (struct view_filter){.sort = "nonsense"};
	cr_assert_eq(view_open(db, deals, &f, &c), ST_USAGE);
	f = (struct view_filter){.market = "x"};
	cr_assert_eq(view_open(db, deals, &f, &c), ST_USAGE);
	/* an alias filters like its entity */
	f = (struct view_filter){.entity = "AWS"};
	cr_assert_eq(view_open(db, deals, &f, &c), ST_OK);
	cr_assert_eq(view_step(c, &row), ST_OK);
	cr_assert(row);
	view_close(c);
	db_close(db);
}

static int64_t
entity_id(struct db *db, const char *name)
{
	int64_t id = 0;

	cr_assert_eq(entity_find(db, name, &id), ST_OK);
	cr_assert_gt(id, 0, "no entity %s", name);
	return id;
}

static long long
linked(struct db *db, const char *guid, const char *matter)
{
	char sql[300];

	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM item_matter im JOIN item i ON i.id = "
	         "im.item_id WHERE i.guid = '%s' AND im.matter_id = '%s'",
	         guid, matter);
	return count(db, sql);
}

/* A regulator's item joins the regulator's matters whose parties it
 * names: all of a one-party matter's, two of a larger one's. */
/* Configure source def; its id. */
static int64_t
add_source(struct db *db, const struct source_def *def)
{
	struct source_row *rows;
	size_t n;
	int64_t id = 0;

	cr_assert_eq(source_sync(db, def, 1), ST_OK, "%s", err_msg());
	cr_assert_eq(source_rows(db, &rows, &n), ST_OK);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].name, def->name))
			id = rows[i].id;
	source_rows_free(rows, n);
	cr_assert_gt(id, 0);
	return id;
}

Test(db, regulator_items_link_to_their_cases)
{
	struct db *db = open_loaded();
	struct source_def def = {.name = "ftc-test",
	                         .kind = "feed",
	                         .url = "http://127.0.0.1/ftc.xml",
	                         .authority = "FTC",
	                         .enabled = true};
	int64_t msft_oai[] = {entity_id(db, "Microsoft"),
	                      entity_id(db, "OpenAI")};
	int64_t amzn[] = {entity_id(db, "Amazon")};
	struct item_rec items[] = {
	    {.guid = "a",
	     .title = "Microsoft and OpenAI",
	     .entities = msft_oai,
	     .nentities = 2},
	    {.guid = "b", .title = "Amazon", .entities = amzn, .nentities = 1},
	};
	struct source_update u = {.items = items, .nitems = 2};
	int64_t id = add_source(db, &def);
	size_t added = 0;

	cr_assert_eq(source_commit(db, id, &u, &added), ST_OK, "%s", err_msg());
	cr_assert_eq(added, 2);
	cr_assert_eq(linked(db, "a", "ftc-microsoft-openai-conduct"), 1);
	cr_assert_eq(linked(db, "a", "ftc-6b-ai-partnerships"), 1);
	cr_assert_eq(linked(db, "a", "ftc-microsoft-broad"), 1);
	cr_assert_eq(linked(db, "a", "ftc-amazon-adept"), 0);
	cr_assert_eq(linked(db, "a", "cma-microsoft-openai"), 0,
	             "another authority's case");
	cr_assert_eq(linked(db, "b", "ftc-amazon-adept"), 0,
	             "one party of two is not enough");
	cr_assert_eq(count(db, "SELECT count(*) FROM item_matter im JOIN item i"
	                       " ON i.id = im.item_id WHERE i.guid = 'b'"),
	             0);
	db_close(db);
}

static long long
matches(struct db *db, const char *query)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM item_fts WHERE item_fts MATCH '%s'",
	         query);
	return count(db, sql);
}

static void
fts_intact(struct db *db)
{
	cr_assert_eq(db_exec(db, "INSERT INTO item_fts(item_fts, rank)"
	                         " VALUES ('integrity-check', 1)"),
	             ST_OK, "%s", err_msg());
	cr_assert_eq(count(db, "SELECT count(*) FROM item_fts_defer"), 0,
	             "the commit lifts its deferral");
}

/*
 * A commit indexes its new items in one statement at its end (schema
 * step 3): an item listed twice in one document is indexed at its last
 * text, an old item's change is indexed at once, a failed commit leaves
 * no deferral behind, and writers other than a commit (the sqlite3
 * shell, imports) are still indexed by the triggers.
 */
Test(db, commit_indexes_items_for_search)
{
	struct db *db = open_loaded();
	struct source_def def = {.name = "wire",
	                         .kind = "feed",
	                         .url = "http://127.0.0.1/wire.xml",
	                         .enabled = true};
	int64_t src = add_source(db, &def);
	struct item_rec first[] = {
	    {.guid = "x", .title = "Antitrust probe opens"},
	    {.guid = "y", .title = "Cloud credits deal", .summary = "gpu"},
	    {.guid = "x", .title = "Antitrust probe widens"},
	};
	struct item_rec second[] = {
	    {.guid = "y", .title = "Cloud credits deal", .summary = "tpu"},
	    {.guid = "z", .title = "Model release"},
	};
	struct item_rec bad[] = {{.guid = "w", .title = "Orphan story"},
	                         {.guid = NULL, .title = "no guid"}};
	struct source_update u1 = {.items = first, .nitems = 3};
	struct source_update u2 = {.items = second, .nitems = 2};
	struct source_update u3 = {.items = bad, .nitems = 2};

	cr_assert_eq(source_commit(db, src, &u1, NULL), ST_OK, "%s", err_msg());
	fts_intact(db);
	cr_assert_eq(matches(db, "widens"), 1);
	cr_assert_eq(matches(db, "opens"), 0, "replaced in the same commit");
	cr_assert_eq(matches(db, "gpu"), 1);
	cr_assert_eq(source_commit(db, src, &u2, NULL), ST_OK, "%s", err_msg());
	fts_intact(db);
	cr_assert_eq(matches(db, "gpu"), 0, "an old item's change");
	cr_assert_eq(matches(db, "tpu"), 1);
	cr_assert_eq(matches(db, "release"), 1);
	cr_assert_neq(source_commit(db, src, &u3, NULL), ST_OK);
	fts_intact(db);
	cr_assert_eq(matches(db, "orphan"), 0);
	cr_assert_eq(db_exec(db,
	                     "INSERT INTO item(source_id, guid, title,"
	                     " fetched) SELECT id, 'v', 'Shell insert',"
	                     " '2025-01-01' FROM source WHERE name = 'wire';"
	                     "UPDATE item SET title = 'Shell edit'"
	                     " WHERE guid = 'z';"),
	             ST_OK, "%s", err_msg());
	fts_intact(db);
	cr_assert_eq(matches(db, "shell"), 2);
	cr_assert_eq(matches(db, "release"), 0);
	db_close(db);
}
