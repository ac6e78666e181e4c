#ifndef OLIGO_DB_SOURCE_H
#define OLIGO_DB_SOURCE_H

/*
 * Ingestion sources and what they bring: items (news, press releases)
 * and filings.
 *
 * Nothing lost, nothing doubled: source_commit() writes a source's items,
 * filings and HTTP validators (ETag, Last-Modified) in ONE transaction, so
 * a crash leaves the source all-old or all-new and the next conditional
 * GET asks for exactly what was not stored.  Items are keyed by (source,
 * guid) and filings by accession; re-running changes nothing; an item a
 * feed no longer lists is never deleted.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* A source as configured (defaults plus the user's config file). */
struct source_def {
	const char *name;
	const char *kind; /* feed, edgar-atom, edgar-submissions, edgar-index */
	const char *url;
	const char *authority; /* entity name of a regulator, or NULL */
	const char *cik;       /* EDGAR company sources, or NULL */
	bool enabled;
	bool user; /* from the config file */
};

/* A source as stored, with its state. */
struct source_row {
	int64_t id;
	char *name, *kind, *url, *etag, *last_modified, *cik;
	char *next_due;       /* "YYYY-MM-DDTHH:MM:SSZ", NULL: next run */
	int64_t authority_id; /* 0 if none */
	int failures;         /* consecutive, 0 after a success */
	bool enabled;
};

/*
 * Make the source table match defs: insert new names, update kind/url/
 * enabled, and disable (never delete: their items stay) sources that are
 * no longer configured.  A new URL is a new document: its validators and
 * next_due are forgotten, so the next run fetches it.
 */
enum status source_sync(struct db *db, const struct source_def *defs, size_t n);

/* Every source, by name.  Caller frees with source_rows_free(). */
enum status source_rows(struct db *db, struct source_row **out, size_t *n);
void source_rows_free(struct source_row *rows, size_t n);

struct item_rec {
	const char *guid; /* required */
	const char *title, *link, *summary, *author;
	const char *published;   /* ISO 8601 UTC, or NULL */
	const int64_t *entities; /* tagged entity ids */
	size_t nentities;
};

struct filing_rec {
	const char *accession, *cik; /* required */
	const char *company, *form, *filed, *accepted, *url, *description;
};

/*
 * Rows a source kind writes itself, inside the commit's transaction
 * (Epoch AI datasets): called after items and filings; *added counts
 * rows changed.
 */
typedef enum status (*source_writer)(struct db *db, void *ctx,
                                     size_t *added /* IN/OUT */);

struct source_update {
	const char *etag, *last_modified; /* new validators, may be NULL */
	const char
	    *next_due; /* when to fetch again (UTC ISO); NULL: next run */
	const struct item_rec *items;
	size_t nitems;
	const struct filing_rec *filings;
	size_t nfilings;
	source_writer write; /* may be NULL */
	void *write_ctx;
};

/*
 * Store a successful fetch of source id: items, filings and validators in
 * one BEGIN IMMEDIATE transaction, plus a run row.  *added (may be NULL)
 * counts new items and filings.
 */
enum status source_commit(struct db *db, int64_t id,
                          const struct source_update *u, size_t *added);

/* A 304 (or no document that day): last_ok and next_due move. */
enum status source_unchanged(struct db *db, int64_t id, const char *next_due);

/* A failure: last_error, the failure count and next_due (NULL: next run),
 * in their own small transaction; items and validators are untouched. */
enum status source_failed(struct db *db, int64_t id, const char *error,
                          const char *next_due);

/*
 * Every entity name and alias with its id, for tagging: calls fn for each
 * (name, id).  Names of one character or less are skipped.
 */
enum status source_entity_names(struct db *db,
                                void (*fn)(void *ctx, const char *name,
                                           int64_t id),
                                void *ctx);

#endif
