#include "db/db.h"

#include <assert.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/schema.h"
#include "lib/xalloc.h"

/* Statements kept prepared for the connection's life (db_cached). */
#define DB_CACHE_MAX 16

struct db {
	sqlite3 *h;
	char *path;
	bool readonly;
	struct {
		const char *sql; /* the key: a string with static storage */
		sqlite3_stmt *st;
	} cache[DB_CACHE_MAX];
	size_t ncache;
	bool batch; /* db_batch_begin(): transactions are savepoints */
};

int
db_schema_version(void)
{
	return (int)schema_nmigrations;
}

enum status
db_fail(struct db *db, const char *what)
{
	int rc = sqlite3_extended_errcode(db->h);
	enum status st = ST_IOERR;

	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		st = ST_TEMPFAIL;
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		st = ST_DATAERR;
	else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		st = ST_DATAERR;
	return err_set(st, "%s: database '%s': %s", what, db->path,
	               sqlite3_errmsg(db->h));
}

enum status
db_exec(struct db *db, const char *sql)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, "cannot update");
	return ST_OK;
}

enum status
db_relax_sync(struct db *db)
{
	return db_exec(db, "PRAGMA synchronous=NORMAL");
}

enum status
db_cached(struct db *db, const char *sql, sqlite3_stmt **out)
{
	size_t i = 0;

	while (i < db->ncache && db->cache[i].sql != sql)
		i++;
	if (i < db->ncache) {
		*out = db->cache[i].st;
		return ST_OK;
	}
	assert(db->ncache < DB_CACHE_MAX);
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
	                       NULL) != SQLITE_OK) {
		*out = NULL;
		return db_fail(db, "cannot prepare a statement");
	}
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache++].st = *out;
	return ST_OK;
}

enum status
db_batch_begin(struct db *db)
{
	enum status rc;

	assert(!db->batch);
	if (!(rc = db_begin(db)))
		db->batch = true;
	return rc;
}

void
db_batch_rollback(struct db *db)
{
	db->batch = false;
	db_rollback(db);
}

bool
db_batched(const struct db *db)
{
	return db->batch;
}

enum status
db_batch_commit(struct db *db)
{
	assert(db->batch);
	db->batch = false;
	return db_commit(db);
}

enum status
db_begin(struct db *db)
{
	if (sqlite3_exec(db->h, db->batch ? "SAVEPOINT tx" : "BEGIN IMMEDIATE",
	                 NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, "cannot start a write");
	return ST_OK;
}

enum status
db_commit(struct db *db)
{
	if (sqlite3_exec(db->h, db->batch ? "RELEASE tx" : "COMMIT", NULL, NULL,
	                 NULL) != SQLITE_OK) {
		enum status st = db_fail(db, "cannot commit");

		db_rollback(db);
		return st;
	}
	return ST_OK;
}

void
db_rollback(struct db *db)
{
	if (db->batch)
		sqlite3_exec(db->h, "ROLLBACK TO tx; RELEASE tx", NULL, NULL,
		             NULL);
	else if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

static int
pragma_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
db_user_version(struct db *db)
{
	return pragma_int(db, "PRAGMA user_version");
}

enum status
db_data_version(struct db *db, int64_t *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h, "PRAGMA data_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "cannot poll");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? ST_OK : db_fail(db, "cannot poll");
}

/* One step per transaction, with its user_version, so an interrupted
 * migration leaves the previous version whole. */
static enum status
migrate(struct db *db)
{
	int have = db_user_version(db);
	int want = db_schema_version();

	if (have < 0)
		return db_fail(db, "cannot read schema version");
	if (have > want)
		return err_set(
		    ST_CONFIG,
		    "database '%s' has schema version %d, newer than "
		    "this oligo (%d): upgrade oligo",
		    db->path, have, want);
	for (int v = have; v < want; v++) {
		char set[64];
		enum status st = db_begin(db);

		if (st)
			return st;
		/* another process may have migrated while we waited */
		if (db_user_version(db) > v) {
			db_rollback(db);
			v = db_user_version(db) - 1;
			continue;
		}
		snprintf(set, sizeof(set), "PRAGMA user_version=%d", v + 1);
		for (const char *const *part = schema_migrations[v];
		     *part && st == ST_OK; part++)
			if (sqlite3_exec(db->h, *part, NULL, NULL, NULL) !=
			    SQLITE_OK)
				st = ST_IOERR;
		if (st ||
		    sqlite3_exec(db->h, set, NULL, NULL, NULL) != SQLITE_OK) {
			st = db_fail(db, "cannot migrate");
			db_rollback(db);
			return st;
		}
		if ((st = db_commit(db)))
			return st;
	}
	return ST_OK;
}

static enum status
make_parent_dirs(const char *path)
{
	char *dir = xstrdup(path);
	enum status st = ST_OK;

	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			st = err_set(ST_CANTCREAT,
			             "cannot create folder '%s': %s", dir,
			             strerror(errno));
			break;
		}
		*p = '/';
	}
	free(dir);
	return st;
}

static enum status
configure(struct db *db)
{
	/* The dashboard reads while cron writes: WAL, and wait for locks
	 * rather than fail.  synchronous stays FULL so a committed ingest
	 * survives a power cut. */
	sqlite3_busy_timeout(db->h, db->readonly ? 2000 : 10000);
	if (db_exec(db, "PRAGMA foreign_keys=ON"))
		return err_prefix(ST_IOERR, "cannot configure");
	if (!db->readonly) {
		if (pragma_int(db, "PRAGMA journal_mode") < 0)
			return db_fail(db, "cannot open");
		if (db_exec(db, "PRAGMA journal_mode=WAL"))
			return err_prefix(ST_IOERR, "cannot enable WAL");
		/* A big feed's commit outgrows the default 2 MB of pages,
		 * and each page spilled to the WAL early is written again
		 * later: half the system time of a 50,000-item feed. */
		if (db_exec(db, "PRAGMA cache_size=-65536"))
			return err_prefix(ST_IOERR, "cannot size the cache");
	}
	return ST_OK;
}

/* A read-only open needs the schema this oligo writes: say which way
 * it is off, and how to fix it. */
static enum status
check_current(struct db *db, const char *path)
{
	int have = db_user_version(db), want = db_schema_version();

	if (have < 0) /* e.g. a read-only folder where -shm cannot be made */
		return db_fail(db, "cannot read");
	if (have > want)
		return err_set(
		    ST_CONFIG,
		    "database '%s' is newer than this oligo: upgrade oligo",
		    path);
	if (have > 0 && have < want)
		return err_set(
		    ST_CONFIG,
		    "database '%s' was made by an older oligo: 'oligo "
		    "init' (or the next ingest) upgrades it, keeping "
		    "everything",
		    path);
	if (have != want)
		return err_set(ST_CONFIG, "database '%s' needs 'oligo init'",
		               path);
	return ST_OK;
}

enum status
db_open(struct db **out, const char *path, enum db_mode mode)
{
	struct db *db = xcalloc(1, sizeof(*db));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	enum status st;
	struct stat sb;

	*out = NULL;
	db->path = xstrdup(path);
	db->readonly = mode == DB_READONLY;
	if (mode == DB_READWRITE) {
		flags |= SQLITE_OPEN_CREATE;
		if ((st = make_parent_dirs(path)))
			goto fail;
	} else if (stat(path, &sb)) {
		st = err_set(ST_NOINPUT,
		             "cannot open database '%s': %s "
		             "(run 'oligo init')",
		             path, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		st = err_set(ST_IOERR, "cannot open database '%s': %s", path,
		             db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	if ((st = configure(db)))
		goto fail;
	if (mode == DB_READWRITE) {
		st = migrate(db);
	} else {
		st = check_current(db, path);
	}
	if (st)
		goto fail;
	*out = db;
	return ST_OK;
fail:
	db_close(db);
	return st;
}

void
db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	if (db->h)
		sqlite3_close(db->h);
	free(db->path);
	free(db);
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

sqlite3 *
db_handle(struct db *db)
{
	return db->h;
}

enum status
db_check(struct db *db)
{
	sqlite3_stmt *st;
	enum status rc = ST_OK;
	const char *msg;

	if (sqlite3_prepare_v2(db->h, "PRAGMA quick_check(1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "cannot check");
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_fail(db, "cannot check");
	} else if (strcmp(msg = (const char *)sqlite3_column_text(st, 0),
	                  "ok")) {
		rc = err_set(ST_DATAERR,
		             "database '%s' is damaged (%s): restore a backup; "
		             "'sqlite3 %s .recover' may save its contents",
		             db->path, msg, db->path);
	}
	sqlite3_finalize(st);
	return rc;
}

char *
db_meta_get(struct db *db, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(db->h, "SELECT value FROM meta WHERE key = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

enum status
db_meta_set(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h,
	                       "INSERT INTO meta(key, value) VALUES (?, ?) "
	                       "ON CONFLICT(key) DO UPDATE SET value = "
	                       "excluded.value",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "cannot record");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? ST_OK : db_fail(db, "cannot record");
}
