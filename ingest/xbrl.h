#ifndef OLIGO_INGEST_XBRL_H
#define OLIGO_INGEST_XBRL_H

/*
 * Shares outstanding, the denominator of 13F ownership, from
 *   - SEC XBRL companyconcept JSON for dei:EntityCommonStockSharesOutstanding
 *     (data.sec.gov/api/xbrl/companyconcept/CIK##########/dei/
 *     EntityCommonStockSharesOutstanding.json): the entity is the one
 *     with that CIK; one value per "end" date, the latest filed winning
 *     when several filings report the same date;
 *   - a CSV with header entity,as_of,shares[,source] (whole shares,
 *     as_of YYYY-MM-DD; unknown entity names are an error, since a
 *     company without a CUSIP in the map cannot use the value).
 * One transaction; then the 13F holdings are rebuilt, since a new
 * denominator changes them.  Errors are ST_DATAERR "FILE:LINE: what"
 * (JSON: "FILE: units.shares[i]: what").
 */

#include "db/db.h"
#include "db/ownership.h"

/* FILE.json is companyconcept JSON, anything else CSV. */
enum status xbrl_import(struct db *db, const char *path,
                        struct own_report *rep /* OUT */);

#endif
