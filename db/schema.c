#include "db/schema.h"

/*
 * Conventions: every fact row carries source and as_of (the bundled
 * dataset fills both; imports may leave them NULL when the file has no
 * such column) and origin ('dataset', 'import', 'ingest') so reloading the
 * bundled dataset never touches what a user imported.  Unknown values are
 * NULL, never 0.  Names compare case-insensitively.
 */
const char schema_core[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"

    "CREATE TABLE entity("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " kind TEXT NOT NULL DEFAULT 'company',"
    " country TEXT, cik TEXT, ticker TEXT,"
    " parent_id INTEGER REFERENCES entity(id),"
    " source TEXT, as_of TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"
    "CREATE INDEX entity_cik ON entity(cik);"

    "CREATE TABLE alias("
    " alias TEXT PRIMARY KEY COLLATE NOCASE,"
    " entity_id INTEGER NOT NULL REFERENCES entity(id),"
    " source TEXT, as_of TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"

    "CREATE TABLE alliance("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " anchor_id INTEGER REFERENCES entity(id),"
    " description TEXT, source TEXT, as_of TEXT);"

    "CREATE TABLE membership("
    " alliance_id INTEGER NOT NULL REFERENCES alliance(id),"
    " entity_id INTEGER NOT NULL REFERENCES entity(id),"
    " role TEXT NOT NULL,"
    " since TEXT, until TEXT, confidence TEXT,"
    " source TEXT, as_of TEXT, note TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset',"
    " PRIMARY KEY(alliance_id, entity_id, role));"

    "CREATE TABLE holding("
    " id INTEGER PRIMARY KEY,"
    " investor_id INTEGER NOT NULL REFERENCES entity(id),"
    " firm_id INTEGER NOT NULL REFERENCES entity(id),"
    " own_pct REAL CHECK(own_pct BETWEEN 0 AND 100),"
    " ctrl_pct REAL CHECK(ctrl_pct BETWEEN 0 AND 100),"
    " as_of TEXT, confidence TEXT, source TEXT, note TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"
    "CREATE UNIQUE INDEX holding_key ON holding(investor_id, firm_id,"
    " ifnull(as_of, ''), ifnull(source, ''));"

    "CREATE TABLE deal("
    " id INTEGER PRIMARY KEY,"
    " date TEXT,"
    " investor_id INTEGER NOT NULL REFERENCES entity(id),"
    " target_id INTEGER NOT NULL REFERENCES entity(id),"
    " kind TEXT NOT NULL, amount_usd INTEGER,"
    " status TEXT, confidence TEXT, source TEXT, as_of TEXT, note TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"
    "CREATE INDEX deal_date ON deal(date);"

    "CREATE TABLE market("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " title TEXT, unit TEXT, geography TEXT, definition TEXT,"
    " source TEXT, as_of TEXT);"

    "CREATE TABLE share("
    " id INTEGER PRIMARY KEY,"
    " market_id INTEGER NOT NULL REFERENCES market(id),"
    " period TEXT NOT NULL,"
    " entity_id INTEGER NOT NULL REFERENCES entity(id),"
    " share_pct REAL CHECK(share_pct BETWEEN 0 AND 100),"
    " share_low REAL, share_high REAL,"
    " metric TEXT, confidence TEXT, source TEXT, as_of TEXT, note TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"
    "CREATE UNIQUE INDEX share_key ON share(market_id, period, entity_id,"
    " ifnull(source, ''));"

    "CREATE TABLE compute("
    " id INTEGER PRIMARY KEY,"
    " owner_id INTEGER NOT NULL REFERENCES entity(id),"
    " period TEXT NOT NULL,"
    " h100e REAL, h100e_low REAL, h100e_high REAL, chip TEXT,"
    " confidence TEXT, source TEXT, as_of TEXT, note TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"

    "CREATE TABLE matter("
    " id TEXT PRIMARY KEY,"
    " authority_id INTEGER REFERENCES entity(id),"
    " title TEXT NOT NULL, parties TEXT, opened TEXT, status TEXT,"
    " closed TEXT, url TEXT, confidence TEXT, source TEXT, as_of TEXT);"
    "CREATE TABLE matter_party("
    " matter_id TEXT NOT NULL REFERENCES matter(id),"
    " entity_id INTEGER NOT NULL REFERENCES entity(id),"
    " PRIMARY KEY(matter_id, entity_id));"
    "CREATE TABLE matter_event("
    " id INTEGER PRIMARY KEY,"
    " matter_id TEXT NOT NULL REFERENCES matter(id),"
    " date TEXT, event TEXT NOT NULL, url TEXT,"
    " confidence TEXT, source TEXT, as_of TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"

    "CREATE TABLE model("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " entity_id INTEGER REFERENCES entity(id),"
    " released TEXT, training_compute_flop REAL, hardware TEXT,"
    " confidence TEXT, source TEXT, as_of TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"

    "CREATE TABLE cusip("
    " cusip TEXT PRIMARY KEY,"
    " entity_id INTEGER NOT NULL REFERENCES entity(id),"
    " class TEXT, source TEXT, as_of TEXT,"
    " origin TEXT NOT NULL DEFAULT 'dataset');"

    /* Ingestion: sources, their items and filings, one row per run. */
    "CREATE TABLE source("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL, url TEXT NOT NULL,"
    " enabled INTEGER NOT NULL DEFAULT 1,"
    " etag TEXT, last_modified TEXT,"
    " last_ok TEXT, last_error TEXT, last_error_at TEXT,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " next_due TEXT, origin TEXT NOT NULL DEFAULT 'default',"
    " authority_id INTEGER REFERENCES entity(id),"
    " cik TEXT);"
    "CREATE TABLE item("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES source(id),"
    " guid TEXT NOT NULL,"
    " title TEXT, link TEXT, summary TEXT, author TEXT,"
    " published TEXT, fetched TEXT NOT NULL,"
    " UNIQUE(source_id, guid));"
    "CREATE INDEX item_published ON item(published, id);"
    "CREATE VIRTUAL TABLE item_fts USING fts5("
    " title, summary, content='item', content_rowid='id');"
    "CREATE TRIGGER item_ai AFTER INSERT ON item BEGIN"
    " INSERT INTO item_fts(rowid, title, summary)"
    "  VALUES (new.id, new.title, new.summary); END;"
    "CREATE TRIGGER item_ad AFTER DELETE ON item BEGIN"
    " INSERT INTO item_fts(item_fts, rowid, title, summary)"
    "  VALUES ('delete', old.id, old.title, old.summary); END;"
    "CREATE TRIGGER item_au AFTER UPDATE ON item BEGIN"
    " INSERT INTO item_fts(item_fts, rowid, title, summary)"
    "  VALUES ('delete', old.id, old.title, old.summary);"
    " INSERT INTO item_fts(rowid, title, summary)"
    "  VALUES (new.id, new.title, new.summary); END;"
    "CREATE TABLE item_entity("
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " entity_id INTEGER NOT NULL REFERENCES entity(id),"
    " PRIMARY KEY(item_id, entity_id)) WITHOUT ROWID;"
    /* A regulator's item names the parties of its own matters. */
    "CREATE TABLE item_matter("
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " matter_id TEXT NOT NULL REFERENCES matter(id),"
    " PRIMARY KEY(item_id, matter_id)) WITHOUT ROWID;"
    "CREATE TABLE filing("
    " id INTEGER PRIMARY KEY,"
    " accession TEXT NOT NULL UNIQUE,"
    " cik TEXT NOT NULL, entity_id INTEGER REFERENCES entity(id),"
    " company TEXT, form TEXT, filed TEXT, accepted TEXT, url TEXT,"
    " description TEXT,"
    " source_id INTEGER REFERENCES source(id));"
    "CREATE INDEX filing_filed ON filing(filed, id);"
    "CREATE TABLE run("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER REFERENCES source(id),"
    " started TEXT NOT NULL, finished TEXT,"
    " outcome TEXT, items_new INTEGER, error TEXT);"

    /* Refreshed after every import and ingest by analysis/. */
    "CREATE TABLE metric("
    " market_id INTEGER NOT NULL REFERENCES market(id),"
    " period TEXT NOT NULL,"
    " scenario TEXT NOT NULL,"
    " n_firms INTEGER, listed_pct REAL,"
    " hhi REAL, hhi_lower REAL, hhi_upper REAL,"
    " cr1 REAL, cr2 REAL, cr3 REAL, cr4 REAL,"
    " hhi_post REAL, delta_hhi REAL, merged_share REAL,"
    " mhhi REAL, delta_mhhi REAL,"
    " us2023 TEXT, us2010 TEXT, eu2004 TEXT,"
    " PRIMARY KEY(market_id, period, scenario));"

    /* Views over the facts: the best available share per firm. */
    "CREATE VIEW share_best AS"
    " SELECT * FROM ("
    "  SELECT s.*, row_number() OVER ("
    "   PARTITION BY market_id, period, entity_id"
    "   ORDER BY s.share_pct IS NULL,"
    "    CASE s.confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "     WHEN 'low' THEN 2 ELSE 3 END,"
    "    s.as_of DESC, s.id DESC) AS rank"
    "  FROM share s)"
    " WHERE rank = 1;";

static const char *const step1[] = {schema_core, schema_analysis,
                                    schema_ownership, NULL};

/*
 * Step 2: indexes the dashboard's keyset pages need on a million items.
 * Filtering News by entity walks item_entity by entity, and by a rare
 * source walks that source's items in date order instead of the whole
 * date index; a filing's detail lists its filer's other filings.
 */
static const char schema_paging[] =
    "CREATE INDEX item_entity_entity ON item_entity(entity_id, item_id);"
    "CREATE INDEX item_source_published ON item(source_id, published, id);"
    "CREATE INDEX filing_cik ON filing(cik, filed);";

static const char *const step2[] = {schema_paging, NULL};

/*
 * Step 3: an ingest commit indexes its new items in one statement at its
 * end.  FTS5 writes out its pending index at every statement savepoint,
 * and a trigger per row opens one for every item: 60% of ingesting a big
 * feed.  While a row of item_fts_defer is present (only inside such a
 * commit), the triggers leave the items above its mark to that
 * statement; every other writer finds no row and is indexed as before.
 */
static const char schema_fts_defer[] =
    "CREATE TABLE item_fts_defer(above INTEGER NOT NULL);"
    "DROP TRIGGER item_ai;"
    "DROP TRIGGER item_ad;"
    "DROP TRIGGER item_au;"
    "CREATE TRIGGER item_ai AFTER INSERT ON item"
    " WHEN NOT EXISTS (SELECT 1 FROM item_fts_defer d"
    "  WHERE new.id > d.above)"
    " BEGIN INSERT INTO item_fts(rowid, title, summary)"
    "  VALUES (new.id, new.title, new.summary); END;"
    "CREATE TRIGGER item_ad AFTER DELETE ON item"
    " WHEN NOT EXISTS (SELECT 1 FROM item_fts_defer d"
    "  WHERE old.id > d.above)"
    " BEGIN INSERT INTO item_fts(item_fts, rowid, title, summary)"
    "  VALUES ('delete', old.id, old.title, old.summary); END;"
    "CREATE TRIGGER item_au AFTER UPDATE ON item"
    " WHEN NOT EXISTS (SELECT 1 FROM item_fts_defer d"
    "  WHERE old.id > d.above)"
    " BEGIN INSERT INTO item_fts(item_fts, rowid, title, summary)"
    "  VALUES ('delete', old.id, old.title, old.summary);"
    " INSERT INTO item_fts(rowid, title, summary)"
    "  VALUES (new.id, new.title, new.summary); END;";

static const char *const step3[] = {schema_fts_defer, NULL};

/*
 * Step 4: the date index carries each item's source, so counting News
 * (the footer's "row 12 of 10,000+") and walking a search's matches read
 * the index alone, not an item row each: 10,000 rows in 0.8 ms, not 5.
 */
static const char schema_covering[] =
    "CREATE INDEX item_published_source ON item(published, id, source_id);"
    "DROP INDEX item_published;";

static const char *const step4[] = {schema_covering, NULL};

const char *const *const schema_migrations[] = {
    step1,
    step2,
    step3,
    step4,
};

const size_t schema_nmigrations =
    sizeof(schema_migrations) / sizeof(schema_migrations[0]);
