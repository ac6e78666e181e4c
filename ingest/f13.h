#ifndef OLIGO_INGEST_F13_H
#define OLIGO_INGEST_F13_H

/*
 * SEC Form 13F: who holds the tracked companies' shares.
 *
 * f13_import() reads one of
 *   - a quarterly 13F data set as the SEC's ZIP (libzip, members
 *     decompressed as a stream: memory does not grow with the file), or
 *     its unpacked folder (SUBMISSION.tsv, COVERPAGE.tsv, INFOTABLE.tsv);
 *   - one filing's XML: a folder holding its primary document
 *     (edgarSubmission) and information table (informationTable), or the
 *     information table XML itself with the primary document beside it;
 * and stores, in one transaction, every 13F-HR and 13F-HR/A filing and
 * its SH positions (no PUTCALL) in CUSIPs of the bundled map, summed per
 * filing and CUSIP; then the 13F holdings are rebuilt (db/ownership.h).
 *
 * Rules: columns by header name (others, such as FIGI, are ignored);
 * dates DD-MON-YYYY (XML: MM-DD-YYYY); the period label is the quarter of
 * PERIODOFREPORT (2025Q3); VALUE is thousands of dollars for filings
 * before 2023-01-03 and dollars after; AMENDMENTTYPE RESTATEMENT
 * replaces, NEW HOLDINGS adds.  Anything malformed (missing column,
 * non-numeric number, an SSHPRNAMTTYPE other than SH/PRN, a duplicate
 * INFOTABLE_SK or accession, a truncated ZIP) fails the whole import with
 * ST_DATAERR "FILE:LINE: what"; nothing is kept.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/ownership.h"

enum status f13_import(struct db *db, const char *path,
                       struct own_report *rep /* OUT */);

/*
 * A document already in memory, borrowed for the call.  name stands in
 * for the path: it prefixes messages ("NAME:LINE: what") and, for an
 * information table, is where the accession number is looked for.
 */
struct f13_doc {
	const char *name;
	const char *data; /* len bytes, no NUL needed; NULL when len is 0 */
	size_t len;
};

/*
 * f13_import() without files, for callers that hold the bytes (the
 * fuzzer reads at full speed through these): a data set given as its
 * three members, labelled "data set NAME", or one filing as its primary
 * document and information table.  Same rules, transaction and errors.
 */
enum status f13_import_dataset_mem(struct db *db, const char *name,
                                   const struct f13_doc *submission,
                                   const struct f13_doc *coverpage,
                                   const struct f13_doc *infotable,
                                   struct own_report *rep /* OUT */);
enum status f13_import_xml_mem(struct db *db, const struct f13_doc *primary,
                               const struct f13_doc *infotable,
                               struct own_report *rep /* OUT */);

/* "30-SEP-2025" -> "2025-09-30" (out: 11 bytes); false if malformed. */
bool f13_date(const char *s, char out[11]);

/* "2025-09-30" -> "2025Q3" (out: 7 bytes). */
void f13_quarter(const char *iso, char out[7]);

#endif
