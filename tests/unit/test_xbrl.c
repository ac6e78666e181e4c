/* ingest/xbrl: shares outstanding from companyconcept JSON and CSV on a
 * temporary database; hostile input; the real SEC sample when present. */
#include <criterion/criterion.h>

#include "tests/unit/testdb.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/dataset.h"
#include "db/db.h"
#include "ingest/xbrl.h"

static char dir[64];
static struct db *db;

static void
setup(void)
{
	testdb_mkdir(dir, sizeof(dir), "xbrl");
	db = testdb_open(dir);
}

static void
teardown(void)
{
	db_close(db);
	testdb_rmdir(dir);
}

TestSuite(xbrl, .init = setup, .fini = teardown);

static double
num(const char *sql)
{
	return testdb_num(db, sql);
}

/* Write text (len bytes) to dir/name and import it. */
static enum status
import_text(const char *name, const char *text, size_t len,
            struct own_report *rep)
{
	char path[400];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(fp = fopen(path, "wb"));
	cr_assert_eq(fwrite(text, 1, len, fp), len);
	fclose(fp);
	own_report_init(rep);
	return xbrl_import(db, path, rep);
}

static void
expect(enum status want_rc, const char *name, const char *text, size_t len,
       const char *want)
{
	struct own_report rep;
	enum status rc = import_text(name, text, len, &rep);

	cr_assert_eq(rc, want_rc, "%s: %d %s", want, rc, err_msg());
	if (want)
		cr_assert_not_null(strstr(err_msg(), want), "'%s' not in '%s'",
		                   want, err_msg());
	own_report_release(&rep);
}
#define BAD(name, lit, want)                                                   \
	expect(ST_DATAERR, name, lit, sizeof(lit) - 1, want)

Test(xbrl, csv_and_idempotence)
{
	static const char csv[] = "entity,as_of,shares,source\n"
	                          "Microsoft,2025-06-30,1000000,synthetic\n"
	                          "Google,2025-06-30,2000000,synthetic\n";
	struct own_report rep;

	cr_assert_eq(import_text("o.csv", csv, sizeof(csv) - 1, &rep), ST_OK,
	             "%s", err_msg());
	cr_assert_eq(rep.changed, 2);
	own_report_release(&rep);
	cr_assert_eq(num("SELECT shares FROM outstanding o JOIN entity e ON"
	                 " e.id = o.entity_id WHERE e.name = 'Alphabet'"),
	             2000000);
	cr_assert_eq(import_text("o.csv", csv, sizeof(csv) - 1, &rep), ST_OK);
	cr_assert_eq(rep.changed, 0);
	own_report_release(&rep);
}

Test(xbrl, hostile_csv)
{
	BAD("a.csv", "entity,as_of\nMicrosoft,2025-06-30\n",
	    "missing column 'shares'");
	BAD("b.csv", "entity,as_of,shares\nMicrosoft,2025-06-30,1.5e9\n",
	    "b.csv:2: shares '1.5e9'");
	BAD("c.csv", "entity,as_of,shares\nMicrosoft,30-06-2025,10\n",
	    "c.csv:2: as_of");
	BAD("d.csv", "entity,as_of,shares\nNobody Inc,2025-06-30,10\n",
	    "d.csv:2: unknown entity");
	BAD("e.csv", "entity,as_of,shares\nMicro\xc3soft,2025-06-30,10\n",
	    "e.csv:2");
	BAD("f.csv", "entity,as_of,shares\nMicro\0soft,2025-06-30,10\n",
	    "f.csv:2");
	BAD("g.csv", "entity,as_of,shares\nMicrosoft,2025-06-30,0\n",
	    "g.csv:2");
	cr_assert_eq(num("SELECT count(*) FROM outstanding"), 0);
}

Test(xbrl, companyconcept_json)
{
	static const char ok[] =
	    "{\"cik\":789019,\"taxonomy\":\"dei\",\"tag\":"
	    "\"EntityCommonStockSharesOutstanding\",\"units\":{\"shares\":["
	    "{\"end\":\"2025-06-30\",\"val\":100,\"accn\":\"a\","
	    "\"filed\":\"2025-07-30\"},"
	    "{\"end\":\"2025-06-30\",\"val\":200,\"accn\":\"b\","
	    "\"filed\":\"2025-08-30\"}]}}";
	struct own_report rep;

	cr_assert_eq(import_text("c.json", ok, sizeof(ok) - 1, &rep), ST_OK,
	             "%s", err_msg());
	own_report_release(&rep);
	cr_assert_eq(num("SELECT shares FROM outstanding"), 200,
	             "the later filing wins");
	BAD("t.json",
	    "{\"cik\":789019,\"units\":{\"shares\":[{\"end\":", "t.json:");
	BAD("u.json",
	    "{\"cik\":789019,\"tag\":\"EntityCommonStockSharesOutstanding\","
	    "\"units\":{\"USD\":[]}}",
	    "not companyconcept JSON");
	BAD("v.json",
	    "{\"cik\":789019,\"tag\":\"EntityCommonStockSharesOutstanding\","
	    "\"units\":{\"shares\":[{\"end\":\"2025-06-30\",\"val\":\"12M\","
	    "\"filed\":\"2025-07-01\"}]}}",
	    "units.shares[0]");
	BAD("w.json",
	    "{\"cik\":1,\"tag\":\"EntityCommonStockSharesOutstanding\","
	    "\"units\":{\"shares\":[]}}",
	    "no entity with CIK 1");
	BAD("x.json", "{\"cik\":1,\"cik\":2}", "x.json:");
	cr_assert_eq(num("SELECT count(*) FROM outstanding"), 1);
}

Test(xbrl, real_apple_companyconcept)
{
	const char *f = getenv("OLIGO_FIXTURES");
	char path[600];
	struct own_report rep;
	FILE *fp;

	snprintf(path, sizeof(path),
	         "%s/sec-edgar-xbrl-api/companyconcept_CIK0000320193_dei_"
	         "EntityCommonStockSharesOutstanding.json",
	         f && *f ? f : "../shared/fixtures/real");
	if (!(fp = fopen(path, "r")))
		cr_skip_test("fixtures absent: %s", path);
	fclose(fp);
	own_report_init(&rep);
	cr_assert_eq(xbrl_import(db, path, &rep), ST_OK, "%s", err_msg());
	cr_assert_gt(rep.rows, 10);
	own_report_release(&rep);
	cr_assert_eq(num("SELECT o.shares FROM outstanding o JOIN entity e ON"
	                 " e.id = o.entity_id WHERE e.name = 'Apple' AND"
	                 " o.as_of = '2009-06-27'"),
	             895816758);
	own_report_init(&rep);
	cr_assert_eq(xbrl_import(db, path, &rep), ST_OK);
	cr_assert_eq(rep.changed, 0);
	own_report_release(&rep);
}
