#ifndef OLIGO_INGEST_SOURCES_H
#define OLIGO_INGEST_SOURCES_H

/*
 * Which sources an ingest run fetches: the built-in defaults (regulators,
 * news, and SEC EDGAR for every entity with a CIK) plus the user's own
 * from the config file, minus those the config disables.
 */

#include <stddef.h>

#include "db/db.h"
#include "db/source.h"
#include "lib/conf.h"

#define SOURCE_KINDS "feed, edgar-atom, edgar-submissions, edgar-index"

struct source_set {
	struct source_def *v;
	size_t n;
	char **owned; /* strings the set allocated */
	size_t nowned;
};

/* Build the set; release it with source_set_release(). */
enum status source_set_build(struct db *db, const struct conf *c,
                             struct source_set *out /* OUT */);
void source_set_release(struct source_set *s);

/* True for one of SOURCE_KINDS. */
bool source_kind_valid(const char *kind);

/* The kind a URL most likely is (for `oligo sources add` without --kind). */
const char *source_kind_sniff(const char *url);

/* True when the URL's host is sec.gov or one of its subdomains. */
bool source_is_sec(const char *url);

#endif
