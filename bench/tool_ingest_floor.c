/*
 * The floor for the ingest benchmark: the least work any ingester must do
 * for a feed file — parse it with libxml2's streaming reader and insert
 * each item's fields into SQLite with an FTS5 index, in one transaction.
 * Prints the best of three wall times in seconds.
 *
 *   tool_ingest_floor FEED.xml SCRATCH.db [bulk]
 *
 * The floor indexes each row by trigger, as a schema usually
 * does.  With "bulk" the rows are indexed by one statement at the end,
 * as oligo's commits do: cheaper, since FTS5 writes out its pending
 * index at every statement savepoint, which a trigger per row opens.
 */
#include <libxml/xmlreader.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "lib/xalloc.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		die("cannot open '%s'", path);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	return strbuf_detach(&sb, len);
}

static void
exec_sql(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die("sqlite: %s", sqlite3_errmsg(db));
}

/* Parse and insert; returns the number of items. */
static long
run_once(const char *data, size_t len, const char *dbpath, bool bulk)
{
	const char *const fields[] = {"title", "link", "guid", "description"};
	sqlite3 *db;
	sqlite3_stmt *st;
	xmlTextReaderPtr r;
	long items = 0;
	int field = -1;

	unlink(dbpath);
	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		die("cannot open %s", dbpath);
	exec_sql(db,
	         "PRAGMA journal_mode=WAL;"
	         "CREATE TABLE item(id INTEGER PRIMARY KEY, guid TEXT UNIQUE,"
	         " title TEXT, link TEXT, summary TEXT);"
	         "CREATE VIRTUAL TABLE item_fts USING fts5(title, summary,"
	         " content='item', content_rowid='id');");
	if (!bulk)
		exec_sql(db, "CREATE TRIGGER ai AFTER INSERT ON item BEGIN"
		             " INSERT INTO item_fts(rowid, title, summary)"
		             " VALUES (new.id, new.title, new.summary); END;");
	exec_sql(db, "BEGIN IMMEDIATE");
	sqlite3_prepare_v2(db,
	                   "INSERT INTO item(title, link, guid, summary)"
	                   " VALUES (?1, ?2, ?3, ?4)",
	                   -1, &st, NULL);
	r = xmlReaderForMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET);
	while (xmlTextReaderRead(r) == 1) {
		int type = xmlTextReaderNodeType(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);

		if (type == XML_READER_TYPE_ELEMENT) {
			field = -1;
			for (int i = 0; i < 4; i++)
				if (!strcmp(name, fields[i]))
					field = i;
		} else if ((type == XML_READER_TYPE_TEXT ||
		            type == XML_READER_TYPE_CDATA) &&
		           field >= 0) {
			sqlite3_bind_text(
			    st, field + 1,
			    (const char *)xmlTextReaderConstValue(r), -1,
			    SQLITE_TRANSIENT);
		} else if (type == XML_READER_TYPE_END_ELEMENT &&
		           !strcmp(name, "item")) {
			sqlite3_step(st);
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			items++;
		}
	}
	xmlFreeTextReader(r);
	sqlite3_finalize(st);
	if (bulk)
		exec_sql(db, "INSERT INTO item_fts(rowid, title, summary)"
		             " SELECT id, title, summary FROM item");
	exec_sql(db, "COMMIT");
	sqlite3_close(db);
	return items;
}

int
main(int argc, char **argv)
{
	bool bulk = argc == 4 && !strcmp(argv[3], "bulk");
	double best = 1e9;
	size_t len;
	long items = 0;
	char *data;

	if (argc != 3 && !bulk)
		die("usage: tool_ingest_floor FEED.xml SCRATCH.db [bulk]");
	data = slurp(argv[1], &len);
	for (int i = 0; i < 3; i++) {
		double t0 = now();

		items = run_once(data, len, argv[2], bulk);
		if (now() - t0 < best)
			best = now() - t0;
	}
	printf("%.4f %ld\n", best, items);
	free(data);
	return 0;
}
