/*
 * libFuzzer harness for the 13F importer, through its in-memory entry
 * points (no file is written per input): the first byte picks what the
 * rest of the input is, next to fixed companions:
 *   0  INFOTABLE.tsv of a data set with a fixed SUBMISSION/COVERPAGE
 *   1  a 13F information table XML beside a fixed primary document
 *   2  a primary document (edgarSubmission) beside a fixed info table
 *   3  SUBMISSION.tsv with a fixed COVERPAGE and INFOTABLE
 * and imports it into one database made at start-up.  Besides memory
 * safety it checks the contract: success or ST_DATAERR/ST_NOINPUT only,
 * and a failed import leaves the tables as they were.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char infotable_tsv[] =
    "ACCESSION_NUMBER\tINFOTABLE_SK\tCUSIP\tVALUE\tSSHPRNAMT\t"
    "SSHPRNAMTTYPE\tPUTCALL\n"
    "0009000001-25-000001\t1\t594918104\t100\t10\tSH\t\n";

#define DOC(name, text) ((struct f13_doc){name, text, sizeof(text) - 1})

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

/* The database folder goes when the run ends (libFuzzer exits). */
static void
cleanup(void)
{
	char cmd[300];

	if (db)
		db_close(db);
	db = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_f13: cannot remove %s\n", dir);
}

static void
init(void)
{
	char path[200];
	bool loaded;

	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/db/oligo.db", dir);
	if (db_open(&db, path, DB_READWRITE) || dataset_load(db, &loaded))
		abort();
	/* a throwaway database: no fsync per accepted input */
	if (sqlite3_exec(db_handle(db), "PRAGMA synchronous=OFF", NULL, NULL,
	                 NULL))
		abort();
}

static enum status
import(int mode, const struct f13_doc *in, struct own_report *rep)
{
	struct f13_doc su = DOC("set/SUBMISSION.tsv", submission);
	struct f13_doc co = DOC("set/COVERPAGE.tsv", coverpage);
	struct f13_doc it = DOC("set/INFOTABLE.tsv", infotable_tsv);
	struct f13_doc pd = DOC("x/primary.xml", primary);
	struct f13_doc id = DOC("x/info.xml", infotable);

	switch (mode) {
	case 0:
		return f13_import_dataset_mem(db, "set", &su, &co, in, rep);
	case 1:
		return f13_import_xml_mem(db, &pd, in, rep);
	case 2:
		return f13_import_xml_mem(db, in, &id, rep);
	default:
		return f13_import_dataset_mem(db, "set", in, &co, &it, rep);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct own_report rep;
	struct f13_doc in;
	enum status rc;
	long long before;
	int mode;

	if (!db)
		init();
	if (size < 1)
		return 0;
	mode = data[0] % 4;
	in = (struct f13_doc){mode == 0 || mode == 3 ? "set/fuzz.tsv"
	                                             : "x/fuzz.xml",
	                      (const char *)data + 1, size - 1};
	own_report_init(&rep);
	before = rows();
	rc = import(mode, &in, &rep);
	if (rc != ST_OK && rc != ST_DATAERR && rc != ST_NOINPUT)
		abort();
	if (rc && rows() != before)
		abort(); /* half an import was kept */
	own_report_release(&rep);
	return 0;
}
