#ifndef OLIGO_DB_STATS_H
#define OLIGO_DB_STATS_H

/* What `oligo status` reports: rows per table and the dates they span. */

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define DB_STATS_MAX_TABLES 24

struct db_stats {
	size_t ntables;
	struct {
		const char *table; /* static storage */
		int64_t rows;
	} tables[DB_STATS_MAX_TABLES];
	char *as_of_min; /* earliest as_of over the fact tables, or NULL */
	char *as_of_max;
	char *last_ingest; /* finish time of the latest run, or NULL */
};

enum status db_stats_read(struct db *db, struct db_stats *out /* OUT */);
void db_stats_release(struct db_stats *s);

#endif
