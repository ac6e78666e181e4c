#ifndef OLIGO_INGEST_TAG_H
#define OLIGO_INGEST_TAG_H

/*
 * Entity tagging: which tracked entities an item mentions, by their names
 * and aliases ("AWS", "Claude", "Trainium" → Amazon, Anthropic, Amazon).
 *
 * Matching is case-sensitive and on word boundaries: names are proper
 * nouns, and "Meta" the company must not match "meta-analysis".  One pass
 * over the text per item: the first word of each text position is looked
 * up in a hash of the names' first words, so the cost does not grow with
 * the number of names.
 */

#include <stddef.h>
#include <stdint.h>

struct tagger;

struct tagger *tagger_new(void);
void tagger_free(struct tagger *t);

/* Add a surface form for entity id (copied). */
void tagger_add(struct tagger *t, const char *name, int64_t id);

/*
 * Append to ids (a growable array: *ids, *n, *alloc) every distinct
 * entity mentioned in text, in order of first mention.
 */
void tagger_scan(const struct tagger *t, const char *text, int64_t **ids,
                 size_t *n, size_t *alloc);

#endif
