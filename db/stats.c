#include "db/stats.h"

#include <stdio.h>
#include <string.h>

#include "db/stmt.h"
#include "lib/xalloc.h"

static const char *const tables[] = {
    "entity", "alias",  "alliance", "membership", "holding",      "deal",
    "market", "share",  "compute",  "matter",     "matter_event", "model",
    "cusip",  "source", "item",     "filing",     "run",          "metric",
};

static enum status
scalar_text(struct db *db, const char *sql, char **out)
{
	sqlite3_stmt *st;
	enum status rc = stmt_prepare(db, sql, &st);

	*out = NULL;
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		*out = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return ST_OK;
}

#define FACTS(f)                                                               \
	"SELECT " f "(as_of) FROM (SELECT as_of FROM share UNION ALL"          \
	" SELECT as_of FROM deal UNION ALL SELECT as_of FROM holding"          \
	" UNION ALL SELECT as_of FROM compute UNION ALL"                       \
	" SELECT as_of FROM matter_event) WHERE as_of IS NOT NULL"

enum status
db_stats_read(struct db *db, struct db_stats *out)
{
	enum status rc = ST_OK;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[96];
		sqlite3_stmt *st;

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s",
		         tables[i]);
		if ((rc = stmt_prepare(db, sql, &st)))
			return rc;
		out->tables[i].table = tables[i];
		if (sqlite3_step(st) == SQLITE_ROW)
			out->tables[i].rows = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		out->ntables++;
	}
	if (!rc)
		rc = scalar_text(db, FACTS("min"), &out->as_of_min);
	if (!rc)
		rc = scalar_text(db, FACTS("max"), &out->as_of_max);
	if (!rc)
		rc = scalar_text(db, "SELECT max(finished) FROM run",
		                 &out->last_ingest);
	return rc;
}

void
db_stats_release(struct db_stats *s)
{
	free(s->as_of_min);
	free(s->as_of_max);
	free(s->last_ingest);
}
