#include "db/stmt.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum status
stmt_prepare(struct db *db, const char *sql, sqlite3_stmt **out)
{
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, out, NULL) !=
	    SQLITE_OK) {
		*out = NULL;
		return db_fail(db, "cannot prepare a query");
	}
	return ST_OK;
}

void
stmt_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

bool
parse_real(const char *s, double *out)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return !errno && end != s && !*end && isfinite(*out);
}

bool
stmt_bind_real(sqlite3_stmt *st, int i, const char *s)
{
	double v;

	if (!s || !*s) {
		sqlite3_bind_null(st, i);
		return true;
	}
	if (!parse_real(s, &v))
		return false;
	sqlite3_bind_double(st, i, v);
	return true;
}

bool
stmt_bind_int(sqlite3_stmt *st, int i, const char *s)
{
	char *end;
	long long v;

	if (!s || !*s) {
		sqlite3_bind_null(st, i);
		return true;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return false;
	sqlite3_bind_int64(st, i, v);
	return true;
}

void
stmt_bind_id(sqlite3_stmt *st, int i, sqlite3_int64 id)
{
	if (id > 0)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

enum status
stmt_run(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, what);
	return ST_OK;
}
