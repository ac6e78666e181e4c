#ifndef OLIGO_DB_IMPORT_H
#define OLIGO_DB_IMPORT_H

/*
 * `oligo import`: a user's CSV file into the database, all or nothing.
 *
 * Each import runs in one transaction: any bad row rolls everything back
 * and the message names file:line.  Entity and market names match the
 * dataset's names and aliases case-insensitively; unknown ones are created
 * (origin 'import') and listed in the report so the user can check them.
 * Importing the same file twice changes nothing.
 *
 *   shares:   market,period,entity,share_pct[,source]
 *   holdings: investor,firm,own_pct,ctrl_pct[,as_of,source]
 *             (empty ctrl_pct: control equals ownership; no as_of: the
 *             stake applies to every period)
 */

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "lib/strbuf.h"

struct import_report {
	size_t rows;           /* data rows read */
	size_t changed;        /* rows inserted or updated */
	struct strbuf created; /* "entity 'X'\n" / "market 'Y'\n" lines */
};

void import_report_init(struct import_report *rep);
void import_report_release(struct import_report *rep);

enum status import_shares(struct db *db, const char *path,
                          struct import_report *rep /* OUT */);
enum status import_holdings(struct db *db, const char *path,
                            struct import_report *rep /* OUT */);

/* True for the period labels oligo understands: 2025, 2025Q3, 2025H1,
 * 2025-06, 2025-06-30. */
bool import_period_ok(const char *s);

#endif
