#ifndef OLIGO_DB_DB_H
#define OLIGO_DB_DB_H

/*
 * The database: the only room that speaks SQL.
 *
 * A struct db is one SQLite connection with oligo's connection policy:
 * WAL journal, foreign keys on, a busy timeout, and every write inside
 * BEGIN IMMEDIATE (db_begin), so a reader never blocks a writer for long
 * and a writer never fails half-way with SQLITE_BUSY_SNAPSHOT.
 *
 * Opening migrates the schema (PRAGMA user_version) unless the database is
 * opened read-only; a database written by a newer oligo is refused.  An
 * interrupted migration leaves the old version intact, because each step
 * and its user_version change commit in one transaction.
 *
 * Ownership: db_open() returns a connection the caller closes with
 * db_close().  Strings returned by db_* functions are owned by the caller
 * unless a comment says otherwise.
 */

#include <stdbool.h>
#include <stdint.h>

#include "lib/status.h"

struct db;
struct sqlite3;
struct sqlite3_stmt;

enum db_mode {
	DB_READWRITE, /* create if absent, migrate */
	DB_READONLY,  /* must exist and be current; for the dashboard */
};

/* The newest schema version this binary knows. */
int db_schema_version(void);

/* Open (and create/migrate) the database at path.  *out is NULL on error. */
enum status db_open(struct db **out, const char *path, enum db_mode mode);
void db_close(struct db *db);

const char *db_path(const struct db *db);

/* The raw connection, for the other db/ files only. */
struct sqlite3 *db_handle(struct db *db);

/*
 * For the db/ files: sql prepared once per connection and kept until
 * db_close(), for statements run once per source or item.  sql must have
 * static storage (its address is the key).  *out is borrowed; reset it
 * after use (stmt_run() does).
 */
enum status db_cached(struct db *db, const char *sql,
                      struct sqlite3_stmt **out);

/* Write transactions: BEGIN IMMEDIATE … COMMIT, or ROLLBACK. */
enum status db_begin(struct db *db);
enum status db_commit(struct db *db);
void db_rollback(struct db *db);

/*
 * Batches: between db_batch_begin() and db_batch_commit() or
 * db_batch_rollback(), db_begin/db_commit/db_rollback are a savepoint
 * inside one outer transaction, so a batch commits many writers' units
 * at once and each unit is still all-or-nothing.
 */
enum status db_batch_begin(struct db *db);
enum status db_batch_commit(struct db *db);
void db_batch_rollback(struct db *db);
bool db_batched(const struct db *db);

/*
 * For bulk writers (ingest): PRAGMA synchronous=NORMAL.  In WAL mode a
 * commit then skips its fsync; it stays atomic and survives a crash of
 * the process, and only a power cut can roll back the last commits —
 * items and their validators together, so the next run refetches them.
 */
enum status db_relax_sync(struct db *db);

/* Run SQL without results; for the db/ files. */
enum status db_exec(struct db *db, const char *sql);

/*
 * PRAGMA data_version: changes when another connection commits.  The
 * dashboard polls it to notice new data without re-reading everything.
 */
enum status db_data_version(struct db *db, int64_t *out /* OUT */);

/*
 * PRAGMA quick_check: ST_DATAERR naming the path when the file is
 * damaged, so nothing writes into a corrupt database.  O(size): for
 * commands a person runs and for each ingest, not for every read.
 */
enum status db_check(struct db *db);

/* Current user_version of the open database. */
int db_user_version(struct db *db);

/* A value from the meta table, or NULL (caller frees). */
char *db_meta_get(struct db *db, const char *key);
enum status db_meta_set(struct db *db, const char *key, const char *value);

/* Map a SQLite failure to a status with a message naming what was done. */
enum status db_fail(struct db *db, const char *what);

#endif
