#ifndef OLIGO_TESTS_TESTDB_H
#define OLIGO_TESTS_TESTDB_H

/*
 * For Criterion tests that need a database: a fresh temporary folder per
 * test, a database in it loaded with the bundled dataset, and a scalar
 * query helper.  Header-only (each test file is its own program).
 */

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/dataset.h"
#include "db/db.h"

/* mkdtemp into dir (at least 64 bytes) from the template /tmp/oligo-test-TAG-. */
static inline void
testdb_mkdir(char *dir, size_t n, const char *tag)
{
	snprintf(dir, n, "/tmp/oligo-test-%s-XXXXXX", tag);
	cr_assert_not_null(mkdtemp(dir));
}

static inline void
testdb_rmdir(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Open (create, migrate) dir/oligo.db and load the bundled dataset. */
static inline struct db *
testdb_open(const char *dir)
{
	char path[300];
	struct db *db;
	bool loaded;

	snprintf(path, sizeof(path), "%s/oligo.db", dir);
	cr_assert_eq(db_open(&db, path, DB_READWRITE), ST_OK, "%s", err_msg());
	cr_assert_eq(dataset_load(db, &loaded), ST_OK, "%s", err_msg());
	return db;
}

/* The first column of the first row of sql as a double, or -1. */
static inline double
testdb_num(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	double v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL),
	             SQLITE_OK, "%s", sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

#endif
