#include "db/entity.h"

#include <stddef.h>

#include "db/stmt.h"

enum status
entity_find(struct db *db, const char *name, int64_t *id)
{
	static const char sql[] =
	    "SELECT id FROM entity WHERE name = trim(?1) "
	    "UNION ALL SELECT entity_id FROM alias WHERE alias = trim(?1) "
	    "LIMIT 1";
	sqlite3_stmt *st;
	enum status rc;
	int step;

	*id = 0;
	if ((rc = stmt_prepare(db, sql, &st)))
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, "cannot look up an entity");
	return ST_OK;
}

static enum status
insert_named(struct db *db, const char *sql, const char *name,
             const char *origin, int64_t *id)
{
	sqlite3_stmt *st;
	enum status rc;

	if ((rc = stmt_prepare(db, sql, &st)))
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (origin)
		sqlite3_bind_text(st, 2, origin, -1, SQLITE_STATIC);
	rc = stmt_run(db, st, "cannot create");
	sqlite3_finalize(st);
	if (!rc)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return rc;
}

enum status
entity_ensure(struct db *db, const char *name, const char *origin, int64_t *id,
              bool *created)
{
	enum status rc = entity_find(db, name, id);

	*created = false;
	if (rc || *id)
		return rc;
	*created = true;
	return insert_named(
	    db, "INSERT INTO entity(name, origin) VALUES (trim(?1), ?2)", name,
	    origin, id);
}

enum status
market_ensure(struct db *db, const char *name, int64_t *id, bool *created)
{
	sqlite3_stmt *st;
	enum status rc;
	int step;

	*id = 0;
	*created = false;
	if ((rc = stmt_prepare(db, "SELECT id FROM market WHERE name = trim(?)",
	                       &st)))
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, "cannot look up a market");
	if (*id)
		return ST_OK;
	*created = true;
	return insert_named(db, "INSERT INTO market(name) VALUES (trim(?1))",
	                    name, NULL, id);
}

enum status
entity_each_cik(struct db *db,
                void (*fn)(void *ctx, const char *name, const char *ticker,
                           const char *cik),
                void *ctx)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db,
	                              "SELECT name, ticker, cik FROM entity"
	                              " WHERE cik IS NOT NULL AND cik != ''"
	                              " ORDER BY name",
	                              &st);

	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(st, 0),
		   (const char *)sqlite3_column_text(st, 1),
		   (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return ST_OK;
}
