#include "ingest/tag.h"

#include <stdbool.h>
#include <string.h>

#include "lib/xalloc.h"

struct pattern {
	char *text;
	size_t len, first_len; /* whole pattern, its first word */
	int64_t id;
	struct pattern *next; /* same first word */
};

struct tagger {
	struct pattern **slots; /* open addressing on the first word */
	size_t nslots, used;
};

/* Word characters: ASCII letters and digits, and every byte of a
 * multi-byte UTF-8 sequence, so "Café" is one word. */
static bool
is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static size_t
first_word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && is_word((unsigned char)s[n]))
		n++;
	return n;
}

struct tagger *
tagger_new(void)
{
	struct tagger *t = xcalloc(1, sizeof(*t));

	t->nslots = 256;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	return t;
}

void
tagger_free(struct tagger *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nslots; i++) {
		struct pattern *p = t->slots[i], *next;

		for (; p; p = next) {
			next = p->next;
			free(p->text);
			free(p);
		}
	}
	free(t->slots);
	free(t);
}

static struct pattern **
slot_for(struct pattern **slots, size_t nslots, const char *w, size_t n)
{
	size_t i = hash(w, n) & (nslots - 1);

	while (slots[i] &&
	       (slots[i]->first_len != n || memcmp(slots[i]->text, w, n)))
		i = (i + 1) & (nslots - 1);
	return &slots[i];
}

static void
grow(struct tagger *t)
{
	size_t old = t->nslots;
	struct pattern **slots = t->slots;

	t->nslots *= 2;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	for (size_t i = 0; i < old; i++)
		if (slots[i])
			*slot_for(t->slots, t->nslots, slots[i]->text,
			          slots[i]->first_len) = slots[i];
	free(slots);
}

void
tagger_add(struct tagger *t, const char *name, int64_t id)
{
	size_t fl = first_word_len(name);
	struct pattern *p, **slot;

	if (!fl) /* a name must start with a word character */
		return;
	if ((t->used + 1) * 2 > t->nslots)
		grow(t);
	p = xcalloc(1, sizeof(*p));
	p->text = xstrdup(name);
	p->len = strlen(name);
	p->first_len = fl;
	p->id = id;
	slot = slot_for(t->slots, t->nslots, name, fl);
	if (!*slot)
		t->used++;
	/* longest first, so "Google Cloud" is tried before "Google" */
	while (*slot && (*slot)->len > p->len)
		slot = &(*slot)->next;
	p->next = *slot;
	*slot = p;
}

static void
add_id(int64_t id, int64_t **ids, size_t *n, size_t *alloc)
{
	for (size_t i = 0; i < *n; i++)
		if ((*ids)[i] == id)
			return;
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		*ids = xreallocarray(*ids, *alloc, sizeof(**ids));
	}
	(*ids)[(*n)++] = id;
}

void
tagger_scan(const struct tagger *t, const char *text, int64_t **ids, size_t *n,
            size_t *alloc)
{
	const char *s = text;

	while (*s) {
		size_t wl = first_word_len(s);
		struct pattern *p;

		if (!wl) {
			s++;
			continue;
		}
		p = *slot_for(t->slots, t->nslots, s, wl);
		for (; p; p = p->next) {
			if (!strncmp(s, p->text, p->len) &&
			    !is_word((unsigned char)s[p->len])) {
				add_id(p->id, ids, n, alloc);
				break;
			}
		}
		s += wl;
	}
}
