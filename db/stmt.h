#ifndef OLIGO_DB_STMT_H
#define OLIGO_DB_STMT_H

/*
 * Private to db/: statement helpers shared by the table files.
 *
 * CSV fields arrive as text.  Empty means unknown and is stored as NULL;
 * a number that does not parse is an error the caller reports with its
 * file:line, never a silent 0.
 */

#include <sqlite3.h>
#include <stdbool.h>

#include "db/db.h"

/* Prepare sql on db; on failure returns a status naming what. */
enum status stmt_prepare(struct db *db, const char *sql, sqlite3_stmt **out);

/* Bind s, or NULL when s is NULL or empty.  The text is copied. */
void stmt_bind_text(sqlite3_stmt *st, int i, const char *s);

/*
 * Bind s as a double, or NULL when empty.  Returns false when s is not a
 * plain finite number (no units, no thousands separators).
 */
bool stmt_bind_real(sqlite3_stmt *st, int i, const char *s);

/* Same for a 64-bit integer. */
bool stmt_bind_int(sqlite3_stmt *st, int i, const char *s);

/* Bind an id, or NULL when id <= 0. */
void stmt_bind_id(sqlite3_stmt *st, int i, sqlite3_int64 id);

/* Step a statement that returns no rows, reset it; status on failure. */
enum status stmt_run(struct db *db, sqlite3_stmt *st, const char *what);

/* Parse a plain finite number; false if s is empty or not a number. */
bool parse_real(const char *s, double *out);

#endif
