/*
 * libFuzzer harness for db/view.h's view_fts_query(): whatever a user
 * types in the search box, the FTS5 query it makes must never be an SQL
 * or FTS5 error.  The query runs against an in-memory FTS5 table shaped
 * like item_fts (same columns and tokenizer as db/schema.c), on a few rows.
 *   - NULL exactly when the text has no non-blank character;
 *   - every '"' comes out doubled inside a string, the query is
 *     NUL-free and starts with '"';
 *   - SELECT ... MATCH ? steps to SQLITE_ROW/SQLITE_DONE, never an error.
 * The input is the typed text (up to its first NUL).
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/view.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *h;
static sqlite3_stmt *st;

static void
check(int ok)
{
	if (!ok)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	check(sqlite3_open(":memory:", &h) == SQLITE_OK);
	check(sqlite3_exec(
	          h,
	          "CREATE VIRTUAL TABLE item_fts USING fts5(title,"
	          " summary);"
	          "INSERT INTO item_fts(rowid, title, summary) VALUES"
	          " (1, 'Microsoft files 10-K', 'cloud AND compute'),"
	          " (2, 'Amazon \"AWS\" Anthropic', 'NEAR(x y) * stake'),"
	          " (3, 'Café — 中文 naïve', '');",
	          NULL, NULL, NULL) == SQLITE_OK);
	check(sqlite3_prepare_v2(h,
	                         "SELECT count(*) FROM item_fts WHERE item_fts"
	                         " MATCH ?1",
	                         -1, &st, NULL) == SQLITE_OK);
	return 0;
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *q;
	int any = 0, rc;

	check(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	for (char *p = s; *p; p++)
		any |= !blank(*p);
	q = view_fts_query(s);
	check(!q == !any);
	if (q) {
		check(q[0] == '"');
		sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "query %s: %s\n", q, sqlite3_errmsg(h));
			abort();
		}
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	free(q);
	free(s);
	return 0;
}
