#ifndef OLIGO_DB_EXPORT_H
#define OLIGO_DB_EXPORT_H

/*
 * Write registered views out: CSV, TSV or JSON, to a stream, to a file
 * (atomically, lib/afile) or, for `oligo export --all`, as a folder
 * snapshot with a README.txt naming each view's sources and as-of dates.
 * Rows are streamed from the view cursor, so memory stays constant
 * however many rows a view has.  Used by `oligo export` and the
 * dashboard, so both write exactly what the screen shows.
 *
 * Cell rules.  CSV/TSV go through lib/csv's writer: text from the data
 * (COL_TEXT, COL_DATE) with csv_put_text, which defuses spreadsheet
 * formulas; numbers oligo holds with csv_put_int/csv_put_double, never
 * prefixed.  A numeric column that holds text (a bad import) is written
 * as text, defused.  JSON is an array of objects, one per line, keyed by
 * the CSV column names: numbers as JSON numbers, NULL as null, text as
 * JSON strings exactly as stored (invalid UTF-8 repaired to U+FFFD).
 *
 * Errors: ST_IOERR "cannot write 'NAME': why" (disk full, file too
 * large), ST_CANTCREAT from afile (exists, symlink, permission); a
 * failed file leaves nothing at its path.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "db/view.h"
#include "lib/csv.h"

enum export_format {
	EXPORT_CSV,  /* RFC 4180, CRLF */
	EXPORT_TSV,  /* TAB-separated, LF, no quoting */
	EXPORT_JSON, /* [ {"col": value, ...}, ... ] */
};

struct export_opts {
	enum export_format format;
	bool excel; /* UTF-8 BOM first; CSV only */
	bool force; /* replace existing files */
};

/* "csv", "tsv" or "json"; false for anything else. */
bool export_format_parse(const char *s, enum export_format *out /* OUT */);

/* The file name extension for f: "csv", "tsv", "json". */
const char *export_format_ext(enum export_format f);

/* View v as CSV/TSV into w: header row, then every row. */
enum status view_export(struct db *db, const struct view_def *v,
                        const struct view_filter *f, struct csv_writer *w,
                        size_t *rows /* OUT, may be NULL */);

/*
 * View v in o->format into fp (not owned; flushed, not closed).  name
 * names fp in messages ("standard output", the path).
 */
enum status export_view_fp(struct db *db, const struct view_def *v,
                           const struct view_filter *f, FILE *fp,
                           const char *name, const struct export_opts *o,
                           size_t *rows /* OUT, may be NULL */);

/* View v to path atomically (a temporary file renamed into place);
 * an existing file is replaced only with o->force. */
enum status export_view_file(struct db *db, const struct view_def *v,
                             const struct view_filter *f, const char *path,
                             const struct export_opts *o,
                             size_t *rows /* OUT, may be NULL */);

/*
 * The snapshot: every view into dir (created if missing), the `market`
 * view once per market as market-NAME.EXT, then README.txt; all read in
 * one transaction, so the files agree with each other.  A dir that is
 * not empty needs o->force (ST_CANTCREAT "'DIR' is not empty (use
 * --force)"); files in it that oligo does not write are left alone.
 * *files counts the files written, README included.
 */
enum status export_all(struct db *db, const char *dir,
                       const struct export_opts *o,
                       size_t *files /* OUT, may be NULL */);

#endif
