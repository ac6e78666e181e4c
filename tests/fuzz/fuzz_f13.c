/*
 * libFuzzer harness for f13_import(): the first byte picks what the rest
 * of the input is, and the harness writes it beside fixed companions in a
 * temporary folder (f13_import reads paths; the folder lives in /tmp):
 *   0  INFOTABLE.tsv of a data set with a fixed SUBMISSION/COVERPAGE
 *   1  a 13F information table XML beside a fixed primary document
 *   2  a primary document (edgarSubmission) beside a fixed info table
 * and imports it into one database made at start-up.  Besides memory
 * safety it checks the contract: success or ST_DATAERR/ST_NOINPUT only,
 * and a failed import leaves the tables as they were.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db/dataset.h"
#include "db/db.h"
#include "ingest/f13.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/oligo-fuzz-f13-XXXXXX";
static struct db *db;

static const char submission[] =
    "ACCESSION_NUMBER\tFILING_DATE\tSUBMISSIONTYPE\tCIK\tPERIODOFREPORT\n"
    "0009000001-25-000001\t14-NOV-2025\t13F-HR\t9000001\t30-SEP-2025\n"
    "0009000002-25-000002\t20-NOV-2025\t13F-HR/A\t9000002\t30-SEP-2025\n";
static const char coverpage[] =
    "ACCESSION_NUMBER\tISAMENDMENT\tAMENDMENTTYPE\tFILINGMANAGER_NAME\n"
    "0009000001-25-000001\tN\t\tSYNTHETIC FUND A\n"
    "0009000002-25-000002\tY\tRESTATEMENT\tSYNTHETIC FUND B\n";
static const char primary[] =
    "<?xml version=\"1.0\"?><edgarSubmission><headerData><filerInfo>"
    "<filer><credentials><cik>0009000001</cik></credentials></filer>"
    "<periodOfReport>09-30-2025</periodOfReport></filerInfo>"
    "<submissionType>13F-HR</submissionType></headerData><formData>"
    "<coverPage><filingManager><name>SYNTHETIC FUND A</name>"
    "</filingManager></coverPage></formData></edgarSubmission>";
static const char infotable[] =
    "\n<?xml version=\"1.0\"?><informationTable><infoTable>"
    "<cusip>594918104</cusip><value>100</value><shrsOrPrnAmt>"
    "<sshPrnamt>10</sshPrnamt><sshPrnamtType>SH</sshPrnamtType>"
    "</shrsOrPrnAmt></infoTable></informationTable>";

static void
put(const char *name, const void *p, size_t n)
{
	char path[200];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(fp = fopen(path, "wb")) || fwrite(p, 1, n, fp) != n)
		abort();
	fclose(fp);
}

/* Rows of the 13F tables: a failed import must leave them alone. */
static long long
rows(void)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(
	        db_handle(db),
	        "SELECT (SELECT count(*) FROM f13_filing) * 1000000"
	        " + (SELECT count(*) FROM f13_position) * 1000"
	        " + (SELECT count(*) FROM holding)",
	        -1, &st, NULL))
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
init(void)
{
	char path[200];
	bool loaded;

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/db/oligo.db", dir);
	if (db_open(&db, path, DB_READWRITE) || dataset_load(db, &loaded))
		abort();
	snprintf(path, sizeof(path), "%s/set", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/x", dir);
	mkdir(path, 0700);
	put("set/SUBMISSION.tsv", submission, sizeof(submission) - 1);
	put("set/COVERPAGE.tsv", coverpage, sizeof(coverpage) - 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct own_report rep;
	char path[200];
	enum status rc;
	long long before;
	int mode;

	if (!db)
		init();
	if (size < 1)
		return 0;
	mode = data[0] % 3;
	data++, size--;
	if (mode == 0) {
		put("set/INFOTABLE.tsv", data, size);
		snprintf(path, sizeof(path), "%s/set", dir);
	} else {
		put("x/primary.xml", mode == 2 ? (const void *)data : primary,
		    mode == 2 ? size : sizeof(primary) - 1);
		put("x/info.xml", mode == 1 ? (const void *)data : infotable,
		    mode == 1 ? size : sizeof(infotable) - 1);
		snprintf(path, sizeof(path), "%s/x", dir);
	}
	own_report_init(&rep);
	before = rows();
	rc = f13_import(db, path, &rep);
	if (rc != ST_OK && rc != ST_DATAERR && rc != ST_NOINPUT)
		abort();
	if (rc && rows() != before)
		abort(); /* half an import was kept */
	own_report_release(&rep);
	return 0;
}
