#ifndef OLIGO_DB_DATASET_H
#define OLIGO_DB_DATASET_H

/*
 * The bundled starter dataset (the CSV files in data/, compiled into the binary).
 *
 * dataset_load() brings the database in line with the bundled files in
 * one transaction: entities, aliases, alliances, markets and matters are
 * upserted by name; the fact rows the dataset owns (origin 'dataset') are
 * replaced.  Rows a user imported are never touched.  Loading the same
 * dataset again changes nothing (a hash of the files is kept in meta).
 */

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

/* A hex digest of the bundled files; static storage. */
const char *dataset_digest(void);

/*
 * Load the bundled dataset unless this exact version is loaded already.
 * *loaded (may be NULL) tells whether anything was written.
 */
enum status dataset_load(struct db *db, bool *loaded /* OUT */);

#endif
