#include "lib/idmap.h"

#include <stdlib.h>

#include "lib/xalloc.h"

static size_t
slot_of(const struct idmap *m, int64_t id)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15u; /* Fibonacci hash */
	size_t k = (size_t)(x >> 32) & (m->nslots - 1);

	while (m->slots[k] && m->ids[m->slots[k] - 1] != id)
		k = (k + 1) & (m->nslots - 1);
	return k;
}

static void
grow(struct idmap *m)
{
	m->nslots = m->nslots ? 2 * m->nslots : 64;
	free(m->slots);
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	m->ids = xreallocarray(m->ids, m->nslots / 2, sizeof(*m->ids));
	for (size_t i = 0; i < m->n; i++)
		m->slots[slot_of(m, m->ids[i])] = i + 1;
}

size_t
idmap_index(struct idmap *m, int64_t id)
{
	size_t k;

	if (2 * (m->n + 1) > m->nslots)
		grow(m);
	k = slot_of(m, id);
	if (!m->slots[k]) {
		m->ids[m->n] = id;
		m->slots[k] = ++m->n;
	}
	return m->slots[k] - 1;
}

bool
idmap_find(const struct idmap *m, int64_t id, size_t *index)
{
	size_t k;

	if (!m->nslots)
		return false;
	k = m->slots[slot_of(m, id)];
	if (k && index)
		*index = k - 1;
	return k != 0;
}

void
idmap_release(struct idmap *m)
{
	free(m->ids);
	free(m->slots);
	*m = (struct idmap)IDMAP_INIT;
}
