#ifndef OLIGO_DB_SCHEMA_H
#define OLIGO_DB_SCHEMA_H

/*
 * Schema migrations.  schema_migrations[i] takes a database from
 * user_version i to i + 1.  Steps are only ever appended: a released step
 * never changes, so every database reaches the same schema by the same
 * path.  A step is the concatenation of its parts (one per room that owns
 * tables), run in one transaction.
 */

#include <stddef.h>

/* Parts of step 1, each in its own file. */
extern const char schema_core[];      /* db/schema.c */
extern const char schema_analysis[];  /* db/schema_analysis.c */
extern const char schema_ownership[]; /* db/schema_ownership.c */

/* NULL-terminated lists of parts, one list per step. */
extern const char *const *const schema_migrations[];
extern const size_t schema_nmigrations;

#endif
