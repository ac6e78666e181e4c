#ifndef OLIGO_DB_EXPORT_H
#define OLIGO_DB_EXPORT_H

/*
 * Write a registered view as CSV/TSV: the header row (column names with
 * units), then every row the view yields with the given filter, streamed
 * (constant memory).  Used by `oligo export` and the dashboard's `e` key,
 * so both write exactly what the screen shows.
 */

#include <stddef.h>

#include "db/view.h"
#include "lib/csv.h"

enum status view_export(struct db *db, const struct view_def *v,
			const struct view_filter *f, struct csv_writer *w,
			size_t *rows /* OUT, may be NULL */);

#endif
