#ifndef OLIGO_DB_SCHEMA_H
#define OLIGO_DB_SCHEMA_H

/*
 * Schema migrations.  migrations[i] takes a database from user_version i
 * to i + 1.  Steps are only ever appended: a released step never changes,
 * so every database reaches the same schema by the same path.
 */

#include <stddef.h>

extern const char *const schema_migrations[];
extern const size_t schema_nmigrations;

#endif
