#ifndef OLIGO_DB_ENTITY_H
#define OLIGO_DB_ENTITY_H

/*
 * Entities (companies, labs, regulators, investors, funds) and the
 * aliases they are known by ("AWS", "Claude", "Trainium").  Names and
 * aliases match case-insensitively after trimming.
 */

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

/* *id = the entity named or aliased name, or 0 when there is none. */
enum status entity_find(struct db *db, const char *name, int64_t *id /* OUT */);

/*
 * Find name, or create it (kind 'company', the given origin) inside the
 * caller's transaction.  *created tells which happened.
 */
enum status entity_ensure(struct db *db, const char *name, const char *origin,
                          int64_t *id /* OUT */, bool *created /* OUT */);

/* Same for markets (by name). */
enum status market_ensure(struct db *db, const char *name,
                          int64_t *id /* OUT */, bool *created /* OUT */);

/* Call fn for every entity with an SEC CIK, in name order. */
enum status entity_each_cik(struct db *db,
                            void (*fn)(void *ctx, const char *name,
                                       const char *ticker, const char *cik),
                            void *ctx);

#endif
