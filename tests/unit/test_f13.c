/* ingest/f13 (and the holdings it derives in db/ownership): synthetic data
 * sets from tests/data/13f as a folder and a ZIP, hostile variants, and
 * the real EDGAR XML samples when present. */
#include <criterion/criterion.h>

#include "tests/unit/testdb.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "db/dataset.h"
#include "db/db.h"
#include "ingest/f13.h"
#include "ingest/xbrl.h"

static char dir[64];
static struct db *db;

static void
setup(void)
{
	testdb_mkdir(dir, sizeof(dir), "f13");
	db = testdb_open(dir);
}

static void
teardown(void)
{
	db_close(db);
	testdb_rmdir(dir);
}

TestSuite(f13, .init = setup, .fini = teardown);

static double
num(const char *sql)
{
	return testdb_num(db, sql);
}

static enum status
run(enum status (*fn)(struct db *, const char *, struct own_report *),
    const char *path, struct own_report *rep)
{
	own_report_init(rep);
	return fn(db, path, rep);
}

static double
pct(const char *fund)
{
	char q[400];

	snprintf(
	    q, sizeof(q),
	    "SELECT round(own_pct, 4) FROM holding h JOIN entity i ON"
	    " i.id = h.investor_id WHERE i.name = '%s' AND h.origin = '13f'",
	    fund);
	return num(q);
}

Test(f13, dates_and_quarters)
{
	char iso[11], q[7];

	cr_assert(f13_date("30-SEP-2025", iso));
	cr_assert_str_eq(iso, "2025-09-30");
	cr_assert(f13_date("01-jan-2024", iso));
	cr_assert_not(f13_date("31-SEP-2025", iso));
	cr_assert_not(f13_date("2025-09-30", iso));
	cr_assert_not(f13_date("30-XYZ-2025", iso));
	cr_assert_not(f13_date("", iso));
	f13_quarter("2025-09-30", q);
	cr_assert_str_eq(q, "2025Q3");
	f13_quarter("2024-01-01", q);
	cr_assert_str_eq(q, "2024Q1");
}

Test(f13, folder_rules_and_idempotence)
{
	struct own_report rep;

	cr_assert_eq(run(f13_import, "tests/data/13f/set", &rep), ST_OK, "%s",
	             err_msg());
	cr_assert_eq(rep.holdings, 0);
	cr_assert_eq(rep.skipped_no_outstanding, 4);
	own_report_release(&rep);
	cr_assert_eq(run(xbrl_import, "tests/data/13f/outstanding.csv", &rep),
	             ST_OK, "%s", err_msg());
	own_report_release(&rep);
	cr_assert_eq(pct("SYNTHETIC FUND A"), 1.5); /* SH summed, no PRN/put */
	cr_assert_eq(pct("SYNTHETIC FUND B"), 3.0); /* RESTATEMENT replaces */
	cr_assert_eq(pct("SYNTHETIC FUND C"), 0.1); /* NEW HOLDINGS adds */
	cr_assert_eq(run(f13_import, "tests/data/13f/set", &rep), ST_OK);
	cr_assert_eq(rep.changed, 0, "second import changed %zu", rep.changed);
	own_report_release(&rep);
}

/* Zip the fixture set to dir/NAME, optionally without its last bytes. */
static const char *
make_zip(const char *name, long cut)
{
	static char path[400];
	static const char *const members[] = {"SUBMISSION.tsv", "COVERPAGE.tsv",
	                                      "INFOTABLE.tsv"};
	zip_t *z;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err));
	for (int i = 0; i < 3; i++) {
		char src[200];
		zip_source_t *s;

		snprintf(src, sizeof(src), "tests/data/13f/set/%s", members[i]);
		cr_assert_not_null(s = zip_source_file(z, src, 0, -1));
		cr_assert_geq(zip_file_add(z, members[i], s, 0), 0);
	}
	cr_assert_eq(zip_close(z), 0);
	if (cut) {
		char cmd[900];

		snprintf(cmd, sizeof(cmd), "truncate -s -%ld '%s'", cut, path);
		cr_assert_eq(system(cmd), 0);
	}
	return path;
}

Test(f13, zip_agrees_with_folder)
{
	struct own_report rep;

	cr_assert_eq(run(f13_import, make_zip("set.zip", 0), &rep), ST_OK, "%s",
	             err_msg());
	cr_assert_eq(num("SELECT count(*) FROM f13_filing"), 5);
	cr_assert_eq(num("SELECT sum(shares) FROM f13_position"),
	             15000 + 20000 + 30000 + 1000 + 2000);
	own_report_release(&rep);
}

Test(f13, truncated_or_garbage_zip_is_dataerr)
{
	struct own_report rep;
	long cuts[] = {30, 200, 400};

	for (size_t i = 0; i < 3; i++) {
		enum status rc =
		    run(f13_import, make_zip("cut.zip", cuts[i]), &rep);

		cr_assert_eq(rc, ST_DATAERR, "cut %ld: %d %s", cuts[i], rc,
		             err_msg());
		cr_assert_not_null(strstr(err_msg(), "cut.zip"));
		own_report_release(&rep);
	}
	cr_assert_eq(num("SELECT count(*) FROM f13_filing"), 0);
	{
		char p[400];
		FILE *fp;

		snprintf(p, sizeof(p), "%s/junk.zip", dir);
		cr_assert_not_null(fp = fopen(p, "wb"));
		fputs("PK\003\004garbage", fp);
		fclose(fp);
		cr_assert_eq(run(f13_import, p, &rep), ST_DATAERR);
		own_report_release(&rep);
	}
}

/* Copy the set to dir/bad, edit FILE with a sed expression, import. */
static void
expect_bad(const char *file, const char *sed, const char *want)
{
	char cmd[1200], path[400];
	struct own_report rep;

	snprintf(cmd, sizeof(cmd),
	         "rm -rf '%s/bad' && cp -r tests/data/13f/set '%s/bad' &&"
	         " sed -i '%s' '%s/bad/%s'",
	         dir, dir, sed, dir, file);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	snprintf(path, sizeof(path), "%s/bad", dir);
	cr_assert_eq(run(f13_import, path, &rep), ST_DATAERR, "%s", want);
	cr_assert_not_null(strstr(err_msg(), want), "'%s' not in '%s'", want,
	                   err_msg());
	cr_assert_eq(num("SELECT count(*) FROM f13_filing"), 0);
	own_report_release(&rep);
}

Test(f13, hostile_data_sets)
{
	expect_bad("INFOTABLE.tsv", "1s/CUSIP/CUSIP_NO/",
	           "INFOTABLE.tsv:1: missing column 'CUSIP'");
	expect_bad("INFOTABLE.tsv", "3s/\\t5000\\tSH/\\t5,000\\tSH/",
	           "INFOTABLE.tsv:3: SSHPRNAMT");
	expect_bad("INFOTABLE.tsv", "3s/\\t2\\t/\\t1\\t/",
	           "INFOTABLE.tsv:3: duplicate row");
	expect_bad("INFOTABLE.tsv", "3s/MICROSOFT/MICRO\\xffSOFT/",
	           "INFOTABLE.tsv:3");
	expect_bad("INFOTABLE.tsv", "3s/MICROSOFT/MICRO\\x00SOFT/",
	           "INFOTABLE.tsv:3");
	expect_bad("INFOTABLE.tsv", "2s/$/\\tEXTRA/", "INFOTABLE.tsv:2");
	expect_bad("SUBMISSION.tsv", "2s/14-NOV-2025/2025-11-14/",
	           "SUBMISSION.tsv:2: FILING_DATE");
	expect_bad("SUBMISSION.tsv", "2s/\\t9000001\\t/\\t90A0001\\t/",
	           "SUBMISSION.tsv:2: CIK");
	expect_bad("COVERPAGE.tsv", "4s/RESTATEMENT/OTHER/",
	           "COVERPAGE.tsv:4: AMENDMENTTYPE");
}

Test(f13, wrong_units_more_than_outstanding)
{
	struct own_report rep;
	char p[400];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/o.csv", dir);
	cr_assert_not_null(fp = fopen(p, "w"));
	fputs("entity,as_of,shares\nMicrosoft,2025-09-30,100\n", fp);
	fclose(fp);
	cr_assert_eq(run(f13_import, "tests/data/13f/set", &rep), ST_OK);
	own_report_release(&rep);
	cr_assert_eq(run(xbrl_import, p, &rep), ST_DATAERR);
	cr_assert_not_null(strstr(err_msg(), "wrong units"));
	cr_assert_eq(num("SELECT count(*) FROM outstanding"), 0);
	own_report_release(&rep);
}

static const char *
fixtures(void)
{
	const char *f = getenv("OLIGO_FIXTURES");

	return f && *f ? f : "../shared/fixtures/real";
}

Test(f13, real_edgar_xml_filing)
{
	char src[600], cmd[4000], d[700];
	struct own_report rep;

	snprintf(src, sizeof(src), "%s/sec-edgar-13f", fixtures());
	snprintf(cmd, sizeof(cmd), "test -r '%s/13F-HR_infotable.xml'", src);
	if (system(cmd))
		cr_skip_test("fixtures absent: %s", src);
	snprintf(d, sizeof(d), "%s/x", dir);
	snprintf(cmd, sizeof(cmd),
	         "mkdir '%s' && cp '%s/13F-HR_infotable.xml'"
	         " '%s/13F-HR_primary_doc_metlife.xml' '%s/'",
	         d, src, src, d);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(run(f13_import, d, &rep), ST_OK, "%s", err_msg());
	cr_assert_eq(rep.filings, 1);
	cr_assert_gt(rep.rows, 0);
	cr_assert_eq(num("SELECT count(*) FROM f13_filing WHERE cik ="
	                 " '1099219' AND quarter = '2021Q4'"),
	             1);
	own_report_release(&rep);
	/* the information table alone, its primary document beside it */
	snprintf(cmd, sizeof(cmd), "%s/13F-HR_infotable.xml", d);
	cr_assert_eq(run(f13_import, cmd, &rep), ST_OK, "%s", err_msg());
	cr_assert_eq(rep.changed, 0);
	own_report_release(&rep);
}

/* A fixture file whole, for the in-memory entry points. */
static char *
slurp_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(fp, "%s", path);
	cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
	cr_assert_geq(n = ftell(fp), 0);
	rewind(fp);
	cr_assert_not_null(buf = malloc((size_t)n + 1));
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

Test(f13, dataset_from_memory_agrees_with_folder)
{
	static const char *const names[] = {"SUBMISSION.tsv", "COVERPAGE.tsv",
	                                    "INFOTABLE.tsv"};
	struct f13_doc doc[3];
	char *buf[3], *bad;
	struct own_report rep;

	for (int i = 0; i < 3; i++) {
		char path[200];

		snprintf(path, sizeof(path), "tests/data/13f/set/%s", names[i]);
		buf[i] = slurp_file(path, &doc[i].len);
		doc[i].data = buf[i];
		doc[i].name = names[i];
	}
	/* a bad row names the member and line, and nothing is kept */
	cr_assert_not_null(bad = strstr(buf[2], "\t5000\tSH"));
	memcpy(bad, "\t5,00\tSH", 8);
	own_report_init(&rep);
	cr_assert_eq(
	    f13_import_dataset_mem(db, "set", &doc[0], &doc[1], &doc[2], &rep),
	    ST_DATAERR);
	cr_assert_not_null(strstr(err_msg(), "INFOTABLE.tsv:3: SSHPRNAMT"),
	                   "%s", err_msg());
	cr_assert_eq(num("SELECT count(*) FROM f13_filing"), 0);
	own_report_release(&rep);
	memcpy(bad, "\t5000\tSH", 8);
	/* the same filings and positions as the folder (zip test above) */
	own_report_init(&rep);
	cr_assert_eq(
	    f13_import_dataset_mem(db, "set", &doc[0], &doc[1], &doc[2], &rep),
	    ST_OK, "%s", err_msg());
	own_report_release(&rep);
	cr_assert_eq(num("SELECT count(*) FROM f13_filing"), 5);
	cr_assert_eq(num("SELECT sum(shares) FROM f13_position"),
	             15000 + 20000 + 30000 + 1000 + 2000);
	/* and the folder itself then changes nothing */
	cr_assert_eq(run(f13_import, "tests/data/13f/set", &rep), ST_OK);
	cr_assert_eq(rep.changed, 0, "folder after memory changed %zu",
	             rep.changed);
	own_report_release(&rep);
	for (int i = 0; i < 3; i++)
		free(buf[i]);
}

Test(f13, xml_from_memory_needs_no_nul_and_is_idempotent)
{
	static const char primary[] =
	    "<?xml version=\"1.0\"?><edgarSubmission><headerData><filerInfo>"
	    "<filer><credentials><cik>0009000001</cik></credentials></filer>"
	    "<periodOfReport>09-30-2025</periodOfReport></filerInfo>"
	    "<submissionType>13F-HR</submissionType></headerData><formData>"
	    "<coverPage><filingManager><name>SYNTHETIC FUND A</name>"
	    "</filingManager></coverPage></formData></edgarSubmission>";
	static const char info[] =
	    "<?xml version=\"1.0\"?><informationTable><infoTable>"
	    "<cusip>594918104</cusip><value>100</value><shrsOrPrnAmt>"
	    "<sshPrnamt>10</sshPrnamt><sshPrnamtType>SH</sshPrnamtType>"
	    "</shrsOrPrnAmt></infoTable></informationTable>";
	/* copies without a terminating NUL, followed by junk */
	char *p = malloc(sizeof(primary) + 8), *q = malloc(sizeof(info) + 8);
	struct f13_doc pd = {"x/primary.xml", p, sizeof(primary) - 1};
	struct f13_doc id = {"x/info.xml", q, sizeof(info) - 1};
	struct own_report rep;

	cr_assert(p && q);
	memcpy(p, primary, sizeof(primary) - 1);
	memcpy(q, info, sizeof(info) - 1);
	memset(p + sizeof(primary) - 1, '<', 9);
	memset(q + sizeof(info) - 1, '<', 9);
	for (int round = 0; round < 2; round++) {
		own_report_init(&rep);
		cr_assert_eq(f13_import_xml_mem(db, &pd, &id, &rep), ST_OK,
		             "%s", err_msg());
		cr_assert_eq(rep.filings, 1);
		if (round)
			cr_assert_eq(rep.changed, 0);
		own_report_release(&rep);
	}
	cr_assert_eq(num("SELECT count(*) FROM f13_filing"), 1);
	cr_assert_eq(num("SELECT sum(shares) FROM f13_position"), 10);
	/* a truncated document is bad data naming the document */
	id.len -= 20;
	own_report_init(&rep);
	cr_assert_eq(f13_import_xml_mem(db, &pd, &id, &rep), ST_DATAERR);
	cr_assert_not_null(strstr(err_msg(), "x/info.xml"), "%s", err_msg());
	own_report_release(&rep);
	free(p);
	free(q);
}
