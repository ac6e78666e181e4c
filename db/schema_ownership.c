#include "db/schema.h"

/*
 * Tables for 13F holdings, shares outstanding and Epoch AI datasets, part
 * of schema step 1.
 *
 * 13F filings are kept whole (one row per accession, tracked CUSIPs only
 * in f13_position) so that amendments can be resolved again whenever a
 * later data set brings one, and so that a position whose issuer has no
 * shares-outstanding value yet is not lost: the holding rows are derived
 * from these tables (db/ownership.c), never edited by hand.
 */
const char schema_ownership[] =
    "CREATE TABLE f13_filing("
    " accession TEXT PRIMARY KEY,"
    " cik TEXT NOT NULL,"     /* filer, without leading zeros */
    " filer TEXT,"            /* FILINGMANAGER_NAME */
    " form TEXT NOT NULL,"    /* 13F-HR or 13F-HR/A */
    " filed TEXT,"            /* YYYY-MM-DD */
    " period TEXT NOT NULL,"  /* period of report, YYYY-MM-DD */
    " quarter TEXT NOT NULL," /* 2025Q3 */
    " amendment TEXT,"        /* NULL, 'RESTATEMENT', 'NEW HOLDINGS' */
    " source TEXT,"           /* data set or file it came from */
    " origin TEXT NOT NULL DEFAULT '13f');"
    "CREATE INDEX f13_filing_cik ON f13_filing(cik, period);"

    /* Shares summed per filing and CUSIP: SH rows without PUTCALL. */
    "CREATE TABLE f13_position("
    " accession TEXT NOT NULL REFERENCES f13_filing(accession),"
    " cusip TEXT NOT NULL,"
    " shares INTEGER NOT NULL CHECK(shares >= 0),"
    " value_usd INTEGER,"
    " PRIMARY KEY(accession, cusip)) WITHOUT ROWID;"

    "CREATE TABLE outstanding("
    " entity_id INTEGER NOT NULL REFERENCES entity(id),"
    " as_of TEXT NOT NULL,"
    " shares INTEGER NOT NULL CHECK(shares > 0),"
    " source TEXT,"
    " origin TEXT NOT NULL DEFAULT 'import',"
    " PRIMARY KEY(entity_id, as_of)) WITHOUT ROWID;"

    /* Epoch AI notable models: kept apart from the curated model
	 * table, whose names the bundled dataset owns. */
    "CREATE TABLE epoch_model("
    " name TEXT PRIMARY KEY COLLATE NOCASE,"
    " organization TEXT,"
    " entity_id INTEGER REFERENCES entity(id),"
    " published TEXT, training_compute_flop REAL, hardware TEXT,"
    " source TEXT,"
    " origin TEXT NOT NULL DEFAULT 'epoch');";
