#ifndef OLIGO_INGEST_STORE_H
#define OLIGO_INGEST_STORE_H

/*
 * Parse one fetched document according to its source's kind and commit
 * what it holds.  This is the part of a run that touches untrusted bytes,
 * so ingest_run() calls it in a child process.  Feeds and EDGAR kinds
 * bring items and filings; the Epoch AI kinds replace that dataset's
 * compute or model rows (ingest/epoch.h) in the same transaction as the
 * source's validators, so a bad CSV leaves the old data and the old
 * validators.
 */

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "db/source.h"
#include "ingest/tag.h"

struct store_input {
	const struct source_row *source;
	const char *body;
	size_t len;
	const char *content_type; /* may be NULL */
	const char *final_url;
	const char *etag, *last_modified; /* new validators */
	const char *next_due;             /* when to fetch again, or NULL */
	const struct tagger *tagger;
	const char *const *ciks; /* tracked CIKs, sorted, nciks */
	size_t nciks;
	bool verbose; /* say on stderr what a dataset could not place */
};

/* *added (may be NULL) counts new items and filings. */
enum status store_document(struct db *db, const struct store_input *in,
                           size_t *added);

#endif
