#ifndef OLIGO_LIB_IDMAP_H
#define OLIGO_LIB_IDMAP_H

/*
 * Integer ids (SQLite rowids) numbered 0, 1, 2 ... in order of first
 * sight, so arrays indexed by the number keep the order the ids came
 * in.  Open addressing: lookups stay O(1) where a linear search made
 * loads over thousands of investors quadratic.
 *
 *   struct idmap m = IDMAP_INIT;
 *   size_t i = idmap_index(&m, id);   // m.ids[i] == id
 *   idmap_release(&m);
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idmap {
	int64_t *ids; /* number -> id, n of them */
	size_t n;
	size_t *slots; /* number + 1, 0 = empty */
	size_t nslots; /* a power of 2, at least twice n */
};

#define IDMAP_INIT                                                             \
	{                                                                      \
		NULL, 0, NULL, 0                                               \
	}

/* The number of id, numbering it next when it is new. */
size_t idmap_index(struct idmap *m, int64_t id);

/* Whether id has a number, and which (*index, may be NULL). */
bool idmap_find(const struct idmap *m, int64_t id, size_t *index /* OUT */);

void idmap_release(struct idmap *m);

#endif
